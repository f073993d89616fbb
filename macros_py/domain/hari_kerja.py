"""Working days (hari kerja) of a kecamatan office: Monday–Friday, minus Indonesian public holidays and cuti
bersama (from the `holidays` package) and minus extra days listed in Konfigurasi.

Rule for a mutu baku given in days (documented in Panduan): the day a step starts does not count; the step
is on time when it finishes by the end of the N-th working day after its start date. "2 hari" started on
Friday 14 Aug 2026 is due Wednesday 19 Aug (Sat/Sun and 17 Aug skipped).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=32)
def _libur_nasional(tahun: int) -> frozenset[date]:
    import holidays  # imported lazily: only steps measured in days need it

    hari = holidays.country_holidays("ID", years=tahun, categories=("public", "government"), language="id")
    return frozenset(hari)


class KalenderKerja:
    """Answers "is this a working day" for the office, holidays plus the office's own extra days off."""

    def __init__(self, libur_tambahan: Iterable[date] = ()) -> None:
        self.libur_tambahan = frozenset(libur_tambahan)

    def hari_kerja(self, hari: date) -> bool:
        if hari.weekday() >= 5 or hari in self.libur_tambahan:
            return False
        return hari not in _libur_nasional(hari.year)

    def jumlah_hari_kerja(self, mulai: date, selesai: date) -> int:
        """Working days after `mulai` up to and including `selesai` (0 when finished the same day)."""
        jumlah = 0
        hari = mulai + timedelta(days=1)
        while hari <= selesai:
            jumlah += self.hari_kerja(hari)
            hari += timedelta(days=1)
        return jumlah

    def batas_waktu(self, mulai: date, n_hari: int) -> date:
        """The N-th working day after `mulai`: the last day a step of N hari may finish on."""
        hari = mulai
        sisa = n_hari
        while sisa > 0:
            hari += timedelta(days=1)
            sisa -= self.hari_kerja(hari)
        return hari
