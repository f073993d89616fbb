"""The Kasubag's indicator list (sheet Daftar Indikator): what `format` fills every bidang sheet with, and what
an intake compares each submission's reference columns with."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.langkah import Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.validasi import KOLOM_IDENTITAS_INDIKATOR, Masalah, validasi_lembar
from macros_py.io.book import Book


def baris_indikator(book: Book, konteks: Konteks, akibat: str = "format tidak dibuat",
                    wajib_ada: bool = True) -> list[dict[str, Any]]:
    """The indicator list, validated like a submission (numbers, choices, duplicates within a bidang); rows
    without a Kode Bidang belong to no format and are left out.

    Each row carries its `kode_bidang`, its sheet row (`baris_daftar`) and, as `no`, its position among its
    bidang's rows (1, 2, ...) in sheet order: the indicator's stable key, which `format` writes into the No
    column of the bidang sheet and the template, and by which an intake matches a submitted row (whatever No
    the Kasubag typed). Refused (naming cells, `akibat` saying what did not happen) when the list holds
    mistakes; an empty list is a usage error when `wajib_ada`.
    """
    skema = konteks.skema
    tabel = skema.tabel("indikator")
    kode_sah = {b["kode"] for b in konteks.konfigurasi.bidang}
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
        hasil.append(dict(d, kode_bidang=kode, no=urutan[kode], baris_daftar=r))
    if masalah:
        raise InputDitolak(f"Daftar Indikator berisi kesalahan; {akibat}.", [str(m) for m in masalah])
    if not hasil and wajib_ada:
        raise PenggunaanSalah(f"Sheet {tabel.sheet} masih kosong: format tanpa indikator tidak dapat dibagikan. Isi "
                              f"dulu satu baris per indikator (mulai baris {tabel.baris_data}, kolom Kode Bidang "
                              "dan seterusnya), simpan, lalu jalankan lagi: evkin format")
    return hasil


def per_bidang(baris: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of `baris_indikator` grouped by kode bidang, in order."""
    hasil: dict[str, list[dict[str, Any]]] = {}
    for d in baris:
        hasil.setdefault(d["kode_bidang"], []).append(d)
    return hasil
