"""Earlier triwulan come from the sealed record (pure).

From TW2 on, each template asks again for the realisasi of the earlier triwulan. Once a period is archived
(step 11: a frozen workbook in a sealed folder), the realisasi it accepted are the record the Camat signed: the
next period of the same year takes them from that record (``evkin init --lanjut ARSIP``), shows them locked in
every template, and refuses a submission that changes them unless the Kasubag records a correction (old value,
new value, reason, who), which the document then lists.

- ``triwulan_dibawa``: which triwulan a new period takes from a record: those the record covered
  (``capaian.TRIWULAN_PERIODE``), of the same year, before the new period's last triwulan (TW2 record -> TW3
  takes TW I and TW II; S1 -> S2 takes TW I and TW II; TW4 -> TAHUNAN takes TW I..TW III). Another year: none.
- ``renstra_dibawa``: whether a new year takes Realisasi Renstra s.d. tahun lalu from a record: one that closed
  the previous year (it covered all four triwulan: TW4 or TAHUNAN).
- ``baca_triwulan``/``teks_triwulan``: the Konfigurasi value ``triwulan_tersegel`` ("1,2").
- ``kunci_indikator``: how a record's Rekap row and a Daftar Indikator row are known to be the same indicator
  (kode bidang, the No key, the indicator's name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macros_py.domain.capaian import jumlah_triwulan


def triwulan_dibawa(tahun_lama: int, periode_lama: str, tahun_baru: int, periode_baru: str) -> tuple[int, ...]:
    """The triwulan whose realisasi a new period takes from the record of an earlier one (see module)."""
    if tahun_lama != tahun_baru:
        return ()
    try:
        lama, baru = jumlah_triwulan(periode_lama), jumlah_triwulan(periode_baru)
    except ValueError:
        return ()
    return tuple(range(1, min(lama, baru - 1) + 1))


def renstra_dibawa(tahun_lama: int, periode_lama: str, tahun_baru: int) -> bool:
    """Whether a record closed the year before `tahun_baru` (see module)."""
    try:
        return tahun_lama == tahun_baru - 1 and jumlah_triwulan(periode_lama) == 4
    except ValueError:
        return False


def baca_triwulan(teks: object) -> tuple[int, ...]:
    """ "1,2" -> (1, 2); empty or anything else that is not a triwulan number is left out."""
    hasil = []
    for bagian in str(teks or "").replace(";", ",").split(","):
        bagian = bagian.strip().removesuffix(".0")
        if bagian.isdigit() and 1 <= int(bagian) <= 4 and int(bagian) not in hasil:
            hasil.append(int(bagian))
    return tuple(sorted(hasil))


def teks_triwulan(triwulan: tuple[int, ...]) -> str:
    return ",".join(str(t) for t in triwulan)


def kunci_indikator(kode_bidang: object, no: object, indikator: object) -> tuple[str, int | None, str]:
    """(kode bidang, No as a whole number, the indicator's name without case or extra spaces)."""
    try:
        kunci = int(float(no)) if no not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        kunci = None
    return str(kode_bidang or "").strip(), kunci, " ".join(str(indikator or "").split()).casefold()


def nomori_per_bidang(daftar: list[dict[str, Any]]) -> list[tuple[str, int | None, str]]:
    """The key of each row of a Daftar Indikator as `format` numbers it: its position among its bidang's rows
    that name an indicator, in sheet order (rows without an indicator get None)."""
    hitung: dict[str, int] = {}
    hasil: list[tuple[str, int | None, str]] = []
    for d in daftar:
        kode = str(d.get("kode_bidang") or "").strip()
        if not kode or not str(d.get("indikator") or "").strip():
            hasil.append((kode, None, ""))
            continue
        hitung[kode] = hitung.get(kode, 0) + 1
        hasil.append(kunci_indikator(kode, hitung[kode], d.get("indikator")))
    return hasil


def bawa_realisasi(daftar: list[dict[str, Any]], rekap: Mapping[tuple[str, int | None, str], Mapping[str, Any]],
                   kolom: Mapping[str, str]) -> tuple[list[dict[str, Any]], int]:
    """Daftar Indikator rows with realisasi of the same indicator in the record's Rekap (`rekap` by
    ``kunci_indikator``), `kolom` mapping a Daftar Indikator column to the Rekap column it takes; an indicator the
    record does not have keeps its own values. Returns the rows and how many indicators were found."""
    hasil, ketemu = [], 0
    for d, kunci in zip(daftar, nomori_per_bidang(daftar), strict=True):
        asal = rekap.get(kunci) if kunci[1] is not None else None
        if asal is None:
            hasil.append(dict(d))
            continue
        ketemu += 1
        hasil.append({**d, **{k: asal.get(dari) for k, dari in kolom.items()}})
    return hasil, ketemu
