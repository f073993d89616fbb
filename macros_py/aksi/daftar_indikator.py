"""The Kasubag's indicator list (sheet Daftar Indikator): what `format` fills every bidang sheet with, and what
an intake compares each submission's reference columns with."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.langkah import Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.validasi import KOLOM_IDENTITAS_INDIKATOR, Masalah, validasi_lembar
from macros_py.io.book import Book
from macros_py.io.files import source_digest
from macros_py.schema import Tabel

MODUL_VALIDASI = ("macros_py.domain.validasi", "macros_py.domain.validasi_isian", "macros_py.domain.angka",
                  "macros_py.domain.teks", "macros_py.domain.cell_names", __name__)
"""The code a validated Daftar Indikator depends on (what `Book.memo` keeps it with)."""


def baris_indikator(book: Book, konteks: Konteks, akibat: str = "format tidak dibuat",
                    wajib_ada: bool = True) -> list[dict[str, Any]]:
    """The indicator list, validated like a submission (numbers, choices, duplicates within a bidang); rows
    without a Kode Bidang belong to no format and are left out.

    Each row carries its `kode_bidang`, its sheet row (`baris_daftar`) and, as `no`, its position among its
    bidang's rows (1, 2, ...) in sheet order: the indicator's stable key, which `format` writes into the No
    column of the bidang sheet and the template, and by which an intake matches a submitted row (whatever No
    the Kasubag typed). Refused (naming cells, `akibat` saying what did not happen) when the list holds
    mistakes; an empty list is a usage error when `wajib_ada`.

    Every intake compares with the list, which changes rarely: the validated list is kept with the sheet's
    stored bytes (`Book.memo`), with what else it depends on (the bidang, the table's schema, this code).
    """
    tabel = konteks.skema.tabel("indikator")
    kode_sah = sorted(b["kode"] for b in konteks.konfigurasi.bidang)
    kode = source_digest(*MODUL_VALIDASI)
    if not kode:
        hasil = _baca_daftar(book, tabel, set(kode_sah), akibat)
    else:
        hasil = book.memo(tabel.sheet, repr((kode_sah, tabel, kode)),
                          lambda: _baca_daftar(book, tabel, set(kode_sah), akibat))
    if not hasil and wajib_ada:
        raise PenggunaanSalah(f"Sheet {tabel.sheet} masih kosong: format tanpa indikator tidak dapat dibagikan. Isi "
                              f"dulu satu baris per indikator (mulai baris {tabel.baris_data}, kolom Kode Bidang "
                              "dan seterusnya), simpan, lalu jalankan lagi: evkin format")
    return hasil


def _baca_daftar(book: Book, tabel: Tabel, kode_sah: set[str], akibat: str) -> list[dict[str, Any]]:
    """The validated list (see `baris_indikator`); refused naming the cells of its mistakes."""
    semua = book.read(tabel.sheet, 1, 1, tabel.kolom_awal - 1 + len(tabel.kolom))
    i_kode = tabel.kolom_awal - 1 + tabel.indeks("kode_bidang")
    masalah: list[Masalah] = []
    for r, b in enumerate(semua[tabel.header_row:], start=tabel.baris_data):
        kode = str(b[i_kode] or "").strip() if len(b) > i_kode else ""
        if kode and kode not in kode_sah:
            masalah.append(Masalah("", tabel.sheet, f"A{r}", f"kode bidang '{kode}' tidak dikenal "
                                                             f"(yang ada: {', '.join(sorted(kode_sah))})."))
        elif not kode:
            semua[r - 1] = [None] * len(b)  # a row without a bidang belongs to no format
    # one pass over the whole list (a province's holds 200,000 rows), validated like a submission; an indicator
    # is a duplicate only within its own bidang
    k = validasi_lembar("", tabel.sheet, semua, tabel.kolom, None, boleh_kosong=True,
                        kunci_ganda=("kode_bidang", *KOLOM_IDENTITAS_INDIKATOR))
    masalah += k.galat
    urutan: dict[str, int] = {}
    hasil: list[dict[str, Any]] = []
    for d, r in zip(k.baris, k.baris_excel, strict=True):
        kode = str(d.get("kode_bidang") or "")
        if kode not in kode_sah:
            continue
        urutan[kode] = urutan.get(kode, 0) + 1
        d.update(kode_bidang=kode, no=urutan[kode], baris_daftar=r)  # in place: a province's list is 200,000 rows
        hasil.append(d)
    if masalah:
        raise InputDitolak(f"Daftar Indikator berisi kesalahan; {akibat}.", [str(m) for m in masalah])
    return hasil


def per_bidang(baris: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of `baris_indikator` grouped by kode bidang, in order."""
    hasil: dict[str, list[dict[str, Any]]] = {}
    for d in baris:
        hasil.setdefault(d["kode_bidang"], []).append(d)
    return hasil
