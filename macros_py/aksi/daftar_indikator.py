"""The Kasubag's indicator list (sheet Daftar Indikator): what `format` fills every bidang sheet with, and what
an intake compares each submission's reference columns with."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.langkah import Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.validasi import Masalah, validasi_lembar
from macros_py.io.book import Book


def baris_indikator(book: Book, konteks: Konteks, akibat: str = "format tidak dibuat",
                    wajib_ada: bool = True) -> list[dict[str, Any]]:
    """The indicator list, validated like a submission (numbers, choices, duplicates) per bidang.

    Each row carries its `kode_bidang` and, as `no`, its position among its bidang's rows (1, 2, ...) in sheet
    order: the indicator's stable key, which `format` writes into the No column of the bidang sheet and the
    template, and by which an intake matches a submitted row (whatever No the Kasubag typed). Refused (naming
    cells, `akibat` saying what did not happen) when the list holds mistakes; an empty list is a usage error
    when `wajib_ada`.
    """
    skema = konteks.skema
    tabel = skema.tabel("indikator")
    kode_sah = {b["kode"] for b in konteks.konfigurasi.bidang}
    semua = book.read(tabel.sheet, 1, 1, tabel.kolom_awal - 1 + len(tabel.kolom))
    i_kode = tabel.kolom_awal - 1 + tabel.indeks("kode_bidang")
    masalah: list[Masalah] = []
    hasil: list[dict[str, Any]] = []
    for r, b in enumerate(semua[tabel.header_row:], start=tabel.baris_data):
        kode = str(b[i_kode] or "").strip()
        if kode and kode not in kode_sah:
            masalah.append(Masalah("", tabel.sheet, f"A{r}", f"kode bidang '{kode}' tidak dikenal "
                                                             f"(yang ada: {', '.join(sorted(kode_sah))})."))
    for kode in sorted(kode_sah):
        # each bidang's rows are validated like a submission; other bidang's rows are blanked out
        baris = [b if r < tabel.header_row or str(b[i_kode] or "").strip() == kode else [None] * len(b)
                 for r, b in enumerate(semua)]
        k = validasi_lembar("", tabel.sheet, baris, tabel.kolom[1:], None, boleh_kosong=True)
        masalah += k.galat
        hasil += [dict(d, kode_bidang=kode, no=i) for i, d in enumerate(k.baris, start=1)]
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
