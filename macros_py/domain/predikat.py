"""Predikat: the kriteria (bands) that turn a capaian into a word — data, not code.

Why data: offices grade with the Permendagri 86/2017 bands (Sangat Tinggi ... Sangat Rendah), others with the
LKjIP words (Sangat Baik ... Sangat Kurang) or other edges. The bands live in the Konfigurasi sheet (table
"Kriteria Predikat", defaults in sheets_schema/organisasi.yaml); this module only applies them. Pure Python.

A kriteria is a list of lower bounds, highest first: a capaian >= a bound gets that band's predikat; the last
band (``terendah``) takes every capaian below the lowest bound. The check is on the capaian as shown (rounded
to 2 decimals), so 90.99 is below 91 and 91.00 is not. Above 100 stays in the top band; the figure itself is
printed unchanged (the regulation says nothing about it).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation, localcontext

PREDIKAT_SANGAT_TINGGI = "Sangat Tinggi"
PREDIKAT_TINGGI = "Tinggi"
PREDIKAT_SEDANG = "Sedang"
PREDIKAT_RENDAH = "Rendah"
PREDIKAT_SANGAT_RENDAH = "Sangat Rendah"

#: Lower bounds of the Permendagri 86/2017 bands, highest first (a capaian >= bound gets that predikat).
BATAS_PREDIKAT: tuple[tuple[float, str], ...] = (
    (91.0, PREDIKAT_SANGAT_TINGGI),
    (76.0, PREDIKAT_TINGGI),
    (66.0, PREDIKAT_SEDANG),
    (51.0, PREDIKAT_RENDAH),
)

KUNCI_TANPA_NILAI = "tanpa_nilai"
#: Keys of the Analisis table that a predikat's count column may not take.
KUNCI_TERPAKAI = frozenset({"bidang", "jumlah_indikator", "rata_capaian_kinerja", "rata_capaian_anggaran",
                            "predikat", "predikat_anggaran", KUNCI_TANPA_NILAI})


def kunci_predikat(label: str) -> str:
    """The column key of a predikat's count in Analisis: 'Sangat Tinggi' -> 'sangat_tinggi'."""
    return re.sub(r"[^0-9a-z]+", "_", str(label).casefold()).strip("_")


@dataclass(frozen=True)
class KriteriaPredikat:
    """Bands as data: ``batas`` = (lower bound, predikat) highest first; ``terendah`` below every bound."""

    batas: tuple[tuple[float, str], ...]
    terendah: str

    def __post_init__(self) -> None:
        masalah = _masalah_kriteria(self.batas, self.terendah)
        if masalah:
            raise ValueError("; ".join(masalah))

    @property
    def label(self) -> tuple[str, ...]:
        """Every predikat, highest first."""
        return (*(nama for _, nama in self.batas), self.terendah)

    @property
    def kunci(self) -> tuple[str, ...]:
        """Analisis column keys of the predikat counts, in the order of :attr:`label`."""
        return tuple(kunci_predikat(n) for n in self.label)

    def predikat(self, capaian: float | None) -> str | None:
        """The predikat of a capaian; None (not graded) for a missing or non-finite value."""
        if capaian is None or isinstance(capaian, bool) or not isinstance(capaian, int | float):
            return None
        if not math.isfinite(capaian):
            return None
        for bawah, nama in self.batas:
            if capaian >= bawah:
                return nama
        return self.terendah

    def teks(self) -> str:
        """The bands in words (Panduan, document notes): '>= 91 Sangat Tinggi; 76 s.d. < 91 Tinggi; ...'."""
        bagian: list[str] = []
        atas: float | None = None
        for bawah, nama in self.batas:
            b = _angka_teks(bawah)
            bagian.append(f">= {b} {nama}" if atas is None else f"{b} s.d. < {_angka_teks(atas)} {nama}")
            atas = bawah
        bagian.append(f"< {_angka_teks(atas)} {self.terendah}" if atas is not None else self.terendah)
        return "; ".join(bagian)


def _angka_teks(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _masalah_kriteria(batas: Sequence[tuple[float, str]], terendah: str) -> list[str]:
    masalah: list[str] = []
    label = [nama for _, nama in batas] + [terendah]
    for nama in label:
        if not isinstance(nama, str) or not nama.strip():
            masalah.append("setiap predikat harus bernama")
    kunci = [kunci_predikat(n) for n in label if isinstance(n, str)]
    if len(set(kunci)) != len(kunci) or any(not k for k in kunci):
        masalah.append(f"nama predikat harus berbeda satu sama lain: {', '.join(map(str, label))}")
    if any(k in KUNCI_TERPAKAI for k in kunci):
        masalah.append(f"nama predikat tidak boleh salah satu dari: {', '.join(sorted(KUNCI_TERPAKAI))}")
    angka = [b for b, _ in batas]
    if any(isinstance(b, bool) or not isinstance(b, int | float) or not math.isfinite(b) for b in angka):
        masalah.append("batas bawah harus angka")
    elif any(a <= b for a, b in itertools.pairwise(angka)):
        masalah.append("batas bawah harus menurun dari predikat tertinggi ke terendah")
    return masalah


KRITERIA_BAKU = KriteriaPredikat(BATAS_PREDIKAT, PREDIKAT_SANGAT_RENDAH)
"""The Permendagri 86/2017 bands; the default of the Konfigurasi table in sheets_schema/organisasi.yaml too."""


def predikat(capaian: float | None, kriteria: KriteriaPredikat = KRITERIA_BAKU) -> str | None:
    """Predikat of a capaian under ``kriteria`` (default: the Permendagri 86/2017 bands)."""
    return kriteria.predikat(capaian)


def rata_rata(nilai: Sequence[float | None]) -> float | None:
    """Mean of the values present, rounded to 2 decimals half away from zero (Excel's ROUND(AVERAGE(...); 2)).

    Exact on the figures as written: each value is taken as its shortest decimal (90.99 is 90.99, not the binary
    float just below it), summed exactly (decimal arithmetic without rounding), and the mean rounded once. So a
    grade never depends on the order of summation or on a float landing a hair below a band's edge:
    (90.99 + 91) / 2 = 90.995 shows as 91.00.
    """
    terisi = [repr(float(x)) for x in nilai
              if x is not None and not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)]
    if not terisi:
        return None
    with localcontext(_TEPAT):
        pembilang, penyebut = sum(map(Decimal, terisi), Decimal(0)).as_integer_ratio()
    return _bulat_dua(pembilang, penyebut * len(terisi))


_TEPAT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
"""Decimal arithmetic that never rounds (an inexact result would raise)."""


def _bulat_dua(pembilang: int, penyebut: int) -> float:
    """pembilang / penyebut (penyebut > 0) rounded to 2 decimals, half away from zero, exactly."""
    bulat, sisa = divmod(abs(pembilang) * 100, penyebut)
    if 2 * sisa >= penyebut:
        bulat += 1
    return (bulat if pembilang >= 0 else -bulat) / 100 + 0.0


def _angka_sel(nilai: object) -> float | None:
    """A typed bound: 91, 90.5, '90,5', '≥ 91', '91%'; None when empty."""
    if nilai is None or (isinstance(nilai, str) and not nilai.strip()):
        return None
    if isinstance(nilai, bool):
        raise ValueError(nilai)
    if isinstance(nilai, int | float):
        if not math.isfinite(nilai):
            raise ValueError(nilai)
        return float(nilai)
    teks = str(nilai).strip().replace("≥", "").replace(">=", "").replace("%", "").strip()
    teks = teks.replace(".", "").replace(",", ".") if "," in teks else teks
    try:
        hasil = float(Decimal(teks))
    except (InvalidOperation, ValueError):
        raise ValueError(nilai) from None
    if not math.isfinite(hasil):
        raise ValueError(nilai)
    return hasil


def baca_kriteria(baris: Sequence[tuple[object, object]]) -> tuple[KriteriaPredikat | None, list[tuple[int, str]]]:
    """Read the Konfigurasi table: rows (capaian minimal, predikat), highest first; blank rows are skipped.

    The last row is the lowest band: its minimal must be empty or at most 0 (it takes everything below the
    row above). Returns the kriteria (None when the table has problems or is empty) and the problems as
    (index of the row in ``baris``, message in Indonesian) so the caller can name the cell.
    """
    isi = [(i, b) for i, b in enumerate(baris) if any(v is not None and str(v).strip() for v in b)]
    if not isi:
        return None, []
    masalah: list[tuple[int, str]] = []
    batas: list[tuple[float, str]] = []
    for n, (i, (minimal, nama)) in enumerate(isi):
        label = "" if nama is None else str(nama).strip()
        if not label:
            masalah.append((i, "nama predikat kosong"))
        try:
            angka = _angka_sel(minimal)
        except ValueError:
            masalah.append((i, f"capaian minimal {minimal!r} bukan angka"))
            continue
        terakhir = n == len(isi) - 1
        if terakhir:
            if angka is not None and angka > 0:
                masalah.append((i, "baris terakhir adalah predikat terendah: capaian minimalnya harus kosong atau "
                                   "0 (berlaku untuk semua capaian di bawah batas baris sebelumnya)"))
        elif angka is None:
            masalah.append((i, "capaian minimal kosong; hanya baris terakhir (predikat terendah) yang boleh kosong"))
        else:
            batas.append((angka, label))
    if len(isi) < 2:
        masalah.append((isi[0][0], "kriteria predikat butuh paling sedikit dua baris"))
    if masalah:
        return None, masalah
    terendah = str(isi[-1][1][1]).strip()
    soal = _masalah_kriteria(batas, terendah)
    if soal:
        return None, [(isi[0][0], s) for s in soal]
    return KriteriaPredikat(tuple(batas), terendah), []
