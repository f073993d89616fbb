"""The format owns its reference columns: a submission's rows compared with the bidang's rows of Daftar Indikator.

The reference columns (``Skema.kolom_referensi``: No, Sasaran ... Pagu, Kode, Urusan) are filled by `format`
from Daftar Indikator and locked in the distributed template; only the input columns (realisasi, faktor, tindak
lanjut, bukti, keterangan) are the bidang's. Pure: the rows compared are the values the validator already read.

Matching. A submitted row is matched with an indicator of Daftar Indikator by its key, the No column (``kunci``),
which `format` writes as the indicator's position among its bidang's rows in Daftar Indikator (1, 2, ...). Rows
are matched by that key, never by their position in the sheet: a sorted or moved row still matches.

Findings (each a ``Temuan``: the cell, or "" for an indicator missing from the file, and an Indonesian message):
- a reference cell whose value differs from Daftar Indikator names the cell and both values;
- a row without a key, with a key Daftar Indikator does not have, or with a key an earlier row already has, is
  "not in Daftar Indikator", named by its indicator;
- an indicator of Daftar Indikator with no row in the file is named as missing.

Equality (``sama``): empty (None or blank text) equals empty; numbers are equal when they agree to 12 significant
digits or show the same at six decimals (a file re-saved by another program may write a float's last digits
differently); text is compared after collapsing runs of white space (the validator does the same for the
short text columns), case and punctuation included. Cells listed in ``sudah`` (already refused by the validator,
e.g. an empty required cell) are not reported twice.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from macros_py.domain.cell_names import nama_sel
from macros_py.domain.validasi_isian import teks_angka

PANJANG_TEKS_PESAN = 150  # characters of a text value quoted in a message


class KolomReferensi(Protocol):
    """A schema column as the comparison names it (schema.Kolom)."""

    @property
    def key(self) -> str: ...
    @property
    def judul(self) -> str: ...


@dataclass(frozen=True)
class Temuan:
    """One finding: the cell it is about ("" for an indicator that has no row), and the Indonesian message."""

    sel: str
    pesan: str


def kosong(nilai: object) -> bool:
    return nilai is None or (isinstance(nilai, str) and not nilai.strip())


def _angka(nilai: object) -> float | None:
    if isinstance(nilai, bool) or not isinstance(nilai, int | float):
        return None
    return float(nilai)


def sama(a: object, b: object) -> bool:
    """Whether two values of a reference (or input) cell are the same value (see the module docstring)."""
    if kosong(a) or kosong(b):
        return kosong(a) and kosong(b)
    x, y = _angka(a), _angka(b)
    if x is not None and y is not None:
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return math.isclose(x, y, rel_tol=1e-12) or teks_angka(x) == teks_angka(y)
    if x is not None or y is not None:
        return False
    return " ".join(str(a).split()) == " ".join(str(b).split())


def sama_semua(a: Sequence[object], b: Sequence[object]) -> bool:
    """``sama`` of each pair. Values read alike are equal by ``==`` already, so whole rows are compared in one
    go first (30,000 rows at kabupaten scale); a bool is never taken for 0 or 1 that way."""
    if len(a) != len(b):
        return False
    if a == b and bool not in set(map(type, a)) | set(map(type, b)):
        return True
    return all(map(sama, a, b))


def teks_nilai(nilai: object) -> str:
    """A value as a message quotes it: numbers as Indonesians write them, text in quotes, empty as "kosong"."""
    if kosong(nilai):
        return "kosong"
    x = _angka(nilai)
    if x is not None and math.isfinite(x):
        return teks_angka(x)
    teks = " ".join(str(nilai).split())
    return f"'{teks[:PANJANG_TEKS_PESAN]}…'" if len(teks) > PANJANG_TEKS_PESAN else f"'{teks}'"


def kunci_baris(nilai: object) -> int | str | None:
    """The key a row carries in its No column: a whole number (5.0 reads as 5), else None."""
    x = _angka(nilai)
    if x is not None and math.isfinite(x) and x.is_integer():
        return int(x)
    if isinstance(nilai, str) and nilai.strip().isdigit():
        return int(nilai.strip())
    return None


def sel_kolom(r: int, kolom_excel: Mapping[str, int], key: str) -> str:
    """The cell of column `key` in sheet row `r`, or the row when the sheet has no such column."""
    c = kolom_excel.get(key)
    return nama_sel(r, c) if c else f"baris {r}"


def nama_indikator(baris: Mapping[str, Any]) -> str:
    teks = " ".join(str(baris.get("indikator") or "").split())
    return teks or "(tanpa nama indikator)"


def bandingkan_daftar(
    baris: Sequence[Mapping[str, Any]],
    baris_excel: Sequence[int],
    kolom_excel: Mapping[str, int],
    daftar: Sequence[Mapping[str, Any]],
    kolom: Sequence[KolomReferensi],
    kunci: str = "no",
    sudah: Collection[str] = (),
    tersegel: Collection[str] = (),
    kode_bidang: str = "",
) -> list[Temuan]:
    """Every difference between a submission's reference cells and its bidang's rows of Daftar Indikator.

    ``baris``/``baris_excel``: the validated rows and their sheet rows; ``kolom_excel``: the 1-based sheet
    column of each schema column; ``daftar``: the bidang's rows of Daftar Indikator, each with its key under
    ``kunci``; ``kolom``: the reference columns compared (the key column itself is the match, not compared).
    ``tersegel``: the columns among them that hold realisasi carried from the previous period's sealed record
    (``domain.tersegel``): a difference there says how the Kasubag records a correction (of bidang
    ``kode_bidang``).
    """
    per_kunci = {d[kunci]: d for d in daftar}
    dilihat: dict[int | str, int] = {}
    hasil: list[Temuan] = []
    dibanding = [kol for kol in kolom if kol.key != kunci]
    keys = [kol.key for kol in dibanding]
    for data, r in zip(baris, baris_excel, strict=True):
        k = kunci_baris(data.get(kunci))
        nama = nama_indikator(data)
        tempat = sel_kolom(r, kolom_excel, kunci)
        if k is None or k not in per_kunci:
            hasil.append(Temuan(tempat, f"indikator '{nama}' (baris {r}) tidak ada di Daftar Indikator bidang "
                                        "ini: baris indikator tidak boleh ditambah atau No-nya diubah di format. "
                                        "Indikator baru ditambahkan Kasubag di Daftar Indikator, lalu format dibuat "
                                        "dan dibagikan ulang."))
            continue
        if k in dilihat:
            hasil.append(Temuan(tempat, f"indikator '{nama}' (baris {r}) memakai No {k} yang sudah dipakai baris "
                                        f"{dilihat[k]}: baris salinan? Hapus baris ini; satu baris per indikator."))
            continue
        dilihat[k] = r
        acuan = per_kunci[k]
        if sama_semua([acuan.get(key) for key in keys], [data.get(key) for key in keys]):
            continue
        for kol in dibanding:
            a, b = acuan.get(kol.key), data.get(kol.key)
            if sama(a, b):
                continue
            s = sel_kolom(r, kolom_excel, kol.key)
            if s in sudah:
                continue
            if kol.key in tersegel:
                hasil.append(Temuan(s, _pesan_tersegel(kol, a, b, acuan, k, kode_bidang)))
                continue
            hasil.append(Temuan(s, f"{kol.judul} di Daftar Indikator {teks_nilai(a)}, di berkas {teks_nilai(b)} "
                                   f"(indikator '{nama_indikator(acuan)}'); perubahan {kol.judul} dilakukan Kasubag "
                                   "di Daftar Indikator, bukan di format."))
    for k, acuan in per_kunci.items():
        if k not in dilihat:
            hasil.append(Temuan("", f"indikator '{nama_indikator(acuan)}' (No {k}) dari Daftar Indikator tidak ada "
                                    "di berkas: baris indikator format tidak boleh dihapus. Kirim ulang format "
                                    "dengan semua barisnya (realisasi yang belum ada dibiarkan kosong)."))
    return hasil


def _pesan_tersegel(kol: KolomReferensi, a: object, b: object, acuan: Mapping[str, Any], k: int | str,
                    kode_bidang: str) -> str:
    awal = (f"{kol.judul} menurut rekaman tersegel periode lalu {teks_nilai(a)}, di berkas {teks_nilai(b)} "
            f"(indikator '{nama_indikator(acuan)}'): realisasi triwulan yang sudah disahkan tidak diubah lewat "
            "format.")
    if kosong(b):
        return f"{awal} Biarkan nilainya seperti di format."
    return (f"{awal} Bila memang keliru, Kasubag mencatat koreksinya dengan alasan: evkin koreksi-realisasi "
            f"--bidang {kode_bidang or '<kode>'} --no {k} --kolom {kol.key} --nilai {teks_nilai(b)} --alasan \"...\"")
