"""The surat pengantar (step 10) as a print-ready sheet: kop, place and date, addressee, title and number, the
list of what is sent, the signer with room for signature and stamp, and a receipt block. Portrait, one page,
on the office's paper (F4 by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from macros_py.io.output.print_common import (
    FILL_HEADER,
    GARIS,
    HURUF,
    KERTAS,
    TIPIS,
    Halaman,
    Penanda,
    atur_halaman,
    bungkus,
    gabung,
    isi,
    kop,
    kosongkan,
    lebar_teks,
    tanda_tangan,
    teks_nilai,
    tinggi_teks,
    tulis_lebar,
)

BAGIAN_KOLOM = (0.07, 0.24, 0.22, 0.15, 0.32)
"""A: No; B:C Jenis yang Dikirim; D: Banyaknya; E: Keterangan — shares of the page width."""
UKURAN = 11.0
PAD = 6.0


@dataclass
class DataSurat:
    """The surat pengantar: kop, tujuan, nomor, what is sent, and the signer."""

    pemerintah: str
    unit: str
    alamat: str
    tempat_tanggal: str
    tujuan: str
    alamat_tujuan: str
    nomor: str
    daftar: list[tuple[str, object, str]] = field(default_factory=list)
    jabatan: str = ""
    nama: str = ""
    nip: str = ""
    kertas: str = "F4"
    logo: Path | None = None


def write_surat_sheet(ws: Worksheet, data: DataSurat) -> None:
    """Lay out the surat pengantar on ``ws`` (cleared first): portrait, fitted to one page."""
    kosongkan(ws)
    halaman = Halaman(KERTAS[data.kertas], False, 2.5, 2.0, 1.5, 1.5)
    lebar = [halaman.lebar * b for b in BAGIAN_KOLOM]
    tulis_lebar(ws, lebar)
    n = len(lebar)
    biasa = Font(name=HURUF, size=UKURAN)
    kiri = Alignment(horizontal="left", vertical="top", wrap_text=True)
    tengah = Alignment(horizontal="center", vertical="center", wrap_text=True)

    r, _ = kop(ws, data.pemerintah, data.unit, data.alamat, n, sum(lebar), data.logo)
    r += 1

    # Place and date, then the addressee, in the right-hand column block (D:E).
    blok, lebar_blok = 4, sum(lebar[3:])
    alamat_tujuan = data.alamat_tujuan.strip() or "Tempat"
    for teks in (data.tempat_tanggal, "", "Kepada", f"Yth. {data.tujuan}", "di -", f"    {alamat_tujuan}"):
        isi(ws, r, blok, teks, biasa, kiri)
        gabung(ws, r, blok, n)
        ws.row_dimensions[r].height = tinggi_teks(len(bungkus(teks, lebar_blok - PAD, UKURAN)), UKURAN)
        r += 1
    r += 1

    isi(ws, r, 1, "SURAT PENGANTAR", Font(name=HURUF, size=13, bold=True, underline="single"), tengah)
    gabung(ws, r, 1, n)
    ws.row_dimensions[r].height = 19
    r += 1
    isi(ws, r, 1, f"Nomor: {data.nomor}", biasa, tengah)
    gabung(ws, r, 1, n)
    ws.row_dimensions[r].height = 16
    r += 2

    # Table: No | Jenis yang Dikirim (B:C) | Banyaknya | Keterangan
    kolom = [(1, 1, "No"), (2, 3, "Jenis yang Dikirim"), (4, 4, "Banyaknya"), (5, 5, "Keterangan")]
    for awal, akhir, judul_kolom in kolom:
        isi(ws, r, awal, judul_kolom, Font(name=HURUF, size=UKURAN, bold=True), tengah)
        gabung(ws, r, awal, akhir)
        for k in range(awal, akhir + 1):
            ws.cell(row=r, column=k).fill = FILL_HEADER
            ws.cell(row=r, column=k).border = GARIS
    ws.row_dimensions[r].height = 20
    r += 1
    for i, (jenis, banyaknya, keterangan) in enumerate(data.daftar or [("-", "-", "-")], start=1):
        garis_terbanyak = 1
        for awal, akhir, nilai, horizontal in ((1, 1, i, "center"), (2, 3, jenis, "left"),
                                               (4, 4, banyaknya, "center"), (5, 5, keterangan, "left")):
            indent = 1 if horizontal == "left" else 0
            isi(ws, r, awal, nilai, biasa, Alignment(horizontal=horizontal, vertical="top", wrap_text=True,
                                                     indent=indent))
            gabung(ws, r, awal, akhir)
            for k in range(awal, akhir + 1):
                ws.cell(row=r, column=k).border = GARIS
            sisa = sum(lebar[awal - 1 : akhir]) - PAD - 9 * indent
            garis_terbanyak = max(garis_terbanyak, len(bungkus(teks_nilai(nilai), sisa, UKURAN)))
        ws.row_dimensions[r].height = max(18.0, tinggi_teks(garis_terbanyak, UKURAN))
        r += 1
    r += 1

    # Signer on the right (D:E), with room for the signature and the stamp.
    r = tanda_tangan(ws, r, blok, n, lebar_blok, [data.jabatan], Penanda(data.jabatan, data.nama, data.nip),
                     UKURAN) + 1

    # Receipt, filled in by hand by the recipient: a boxed block on the left (A:C).
    label_font = Font(name=HURUF, size=10)
    isi(ws, r, 1, "TANDA TERIMA", Font(name=HURUF, size=10, bold=True), Alignment(horizontal="left", indent=1))
    gabung(ws, r, 1, 3)
    awal_kotak = r
    r += 1
    for label in ("Diterima tanggal", "Nama", "Tanda tangan"):
        isi(ws, r, 1, label, label_font, Alignment(horizontal="left", vertical="bottom", indent=1))
        gabung(ws, r, 1, 2)
        titik = "." * int((lebar[2] - lebar_teks(": ", 10) - PAD) / lebar_teks(".", 10))  # inside the box
        isi(ws, r, 3, f": {titik}", label_font, Alignment(horizontal="left", vertical="bottom"))
        ws.row_dimensions[r].height = 30 if label == "Tanda tangan" else 20
        r += 1
    akhir_kotak = r - 1
    for rr in range(awal_kotak, akhir_kotak + 1):
        for k in range(1, 4):
            ws.cell(row=rr, column=k).border = Border(
                left=TIPIS if k == 1 else None,
                right=TIPIS if k == 3 else None,
                top=TIPIS if rr == awal_kotak else None,
                bottom=TIPIS if rr == akhir_kotak else None,
            )

    atur_halaman(ws, halaman, f"A1:{get_column_letter(n)}{akhir_kotak}", nomor_halaman=False)
    ws.page_setup.fitToHeight = 1
