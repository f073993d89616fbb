"""Print-ready sheets: the "Dokumen Evaluasi Kinerja" and the surat pengantar, laid out on openpyxl worksheets.

Why values only: the PDF is made by LibreOffice from the saved file, and openpyxl saves formulas without a
cached value, so any formula would print empty or stale. Every cell here therefore holds a finished value,
numbers already written the Indonesian way ("1.250.000", "87,50") as text so the printout never depends on
the locale of the machine that prints it. Text that merely looks like a formula ("=HYPERLINK(...)") is stored
as text, never as a formula.

Row heights are estimated here (a greedy word wrap per cell) because neither Excel nor LibreOffice grows
merged or pre-sized rows on its own; a clipped line on a signed government document is worse than a little
extra white space.
"""

from __future__ import annotations

import datetime
import decimal
import math
import numbers
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from macros_py.domain.angka import format_angka_id
from macros_py.io.engines.openpyxl_book import nilai_aman

HURUF = "Arial"
UKURAN = 10
TINGGI_BARIS = 13.0  # points per line of 10 pt text, a little generous so nothing is clipped
KARAKTER_PER_LEBAR = 1.15  # characters of 10 pt Arial per Excel width unit (conservative for substitute fonts)
INDENT = 1.5  # width units an indent level takes from a table cell (text must not touch the borders)
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
FILL_NOMOR_KOLOM = PatternFill("solid", fgColor="F2F2F2")
_TIPIS = Side(style="thin", color="000000")
GARIS = Border(left=_TIPIS, right=_TIPIS, top=_TIPIS, bottom=_TIPIS)
GARIS_KOP = Border(bottom=Side(style="double", color="000000"))
TITIK = "." * 40
BARIS_TTD = 4  # empty lines left for the signature (and the stamp)


class Penanda(NamedTuple):
    """One signer: jabatan as printed above the signature, nama and NIP below it (a plain tuple works too)."""

    jabatan: str
    nama: str
    nip: str = ""


@dataclass
class DataDokumen:
    """Everything printed on the Dokumen Evaluasi Kinerja; all values final (no formulas are written)."""

    pemerintah: str
    unit: str
    alamat: str
    judul: str
    periode_teks: str
    versi: int
    tabel_kolom: list[str]
    tabel_baris: list[list[object]]
    ringkasan: list[tuple[str, str]]
    faktor_pendorong: list[str]
    faktor_penghambat: list[str]
    tindak_lanjut: list[str]
    tempat_tanggal: str
    disusun: Penanda
    dievaluasi: Penanda
    catatan_revisi: str = ""
    lebar_kolom: list[float] | None = None
    """Optional column widths (Excel units); estimated from the content when None."""


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


# ---------------------------------------------------------------------------------------------------------------
# Cell helpers


def teks_nilai(nilai: object) -> str | None:
    """The printed form of a value: numbers and dates the Indonesian way, text unchanged, None stays empty."""
    if nilai is None:
        return None
    if isinstance(nilai, bool):
        return "Ya" if nilai else "Tidak"
    if isinstance(nilai, numbers.Integral):
        return format_angka_id(int(nilai), 0)
    if (isinstance(nilai, float) and not math.isfinite(nilai)) or (
        isinstance(nilai, decimal.Decimal) and not nilai.is_finite()
    ):
        return "-"
    if isinstance(nilai, numbers.Real | decimal.Decimal):
        return format_angka_id(nilai, 2)  # type: ignore[arg-type]
    if isinstance(nilai, datetime.datetime):
        return nilai.strftime("%d-%m-%Y %H:%M")
    if isinstance(nilai, datetime.date):
        return nilai.strftime("%d-%m-%Y")
    return str(nilai)


def _angka(nilai: object) -> bool:
    return isinstance(nilai, numbers.Real | decimal.Decimal) and not isinstance(nilai, bool)


def _isi(ws: Worksheet, baris: int, kolom: int, nilai: object, font: Font | None = None,
         rata: Alignment | None = None) -> Cell:
    """Write one value as plain text; a leading '=' is kept as text (quote prefix), never a formula."""
    cell = ws.cell(row=baris, column=kolom)
    teks = teks_nilai(nilai)
    if teks is None:
        cell.value = None
    else:
        teks = nilai_aman(teks)
        cell.value = teks
        cell.data_type = "s"  # openpyxl turns any "=..." string into a formula; force it back to text
        if teks[:1] in {"=", "+", "-", "@"}:
            cell.quotePrefix = True  # Excel keeps it as text even when the cell is edited
    cell.font = font or Font(name=HURUF, size=UKURAN)
    if rata is not None:
        cell.alignment = rata
    return cell


def _gabung(ws: Worksheet, baris: int, kolom_awal: int, kolom_akhir: int, baris_akhir: int | None = None) -> None:
    if kolom_akhir > kolom_awal or (baris_akhir or baris) > baris:
        ws.merge_cells(start_row=baris, start_column=kolom_awal, end_row=baris_akhir or baris, end_column=kolom_akhir)


def _garis_rentang(ws: Worksheet, baris: int, kolom_awal: int, kolom_akhir: int, garis: Border) -> None:
    """Borders of merged cells must sit on every cell of the range or the printout shows gaps."""
    for k in range(kolom_awal, kolom_akhir + 1):
        ws.cell(row=baris, column=k).border = garis


def jumlah_baris(teks: str | None, lebar: float, faktor: float = KARAKTER_PER_LEBAR) -> int:
    """Lines a wrapped cell needs at ``lebar`` Excel units (greedy word wrap, explicit newlines kept)."""
    if not teks:
        return 1
    per_baris = max(1, int(lebar * faktor) - 1)
    return sum(max(1, len(textwrap.wrap(bagian, per_baris, break_long_words=True))) for bagian in teks.split("\n"))


def _tinggi(ws: Worksheet, baris: int, jumlah: int, ukuran: float = UKURAN, minimum: float = 15.0) -> None:
    ws.row_dimensions[baris].height = max(minimum, jumlah * TINGGI_BARIS * ukuran / UKURAN + 3)


def _lebar(lebar: Sequence[float], awal: int, akhir: int) -> float:
    """Width of columns awal..akhir (1-based, inclusive) in Excel units."""
    return sum(lebar[awal - 1 : akhir])


def kosongkan(ws: Worksheet) -> None:
    """Start from a blank sheet so a re-run never leaves rows, merges or print settings of an older version."""
    for rentang in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rentang))
    if ws.max_row >= 1:
        ws.delete_rows(1, ws.max_row)
    ws.row_dimensions.clear()
    ws.column_dimensions.clear()
    ws.conditional_formatting = ConditionalFormattingList()
    ws.data_validations.dataValidation = []
    for nama in list(ws.tables):
        del ws.tables[nama]
    ws.freeze_panes = None
    ws.auto_filter.ref = None
    ws.row_breaks.brk = []
    ws.col_breaks.brk = []
    ws.print_title_rows = None
    ws.print_title_cols = None


def _atur_halaman(ws: Worksheet, orientasi: str, tinggi_halaman: int, area: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientasi
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = tinggi_halaman
    ws.print_options.horizontalCentered = True
    ws.print_area = area
    ws.sheet_view.showGridLines = False


def _kop(ws: Worksheet, pemerintah: str, unit: str, alamat: str, n_kolom: int, lebar_total: float) -> int:
    """Kop surat across the full width, double rule underneath; returns the next free row."""
    baris = [
        (pemerintah.upper(), Font(name=HURUF, size=13, bold=True), 13),
        (unit.upper(), Font(name=HURUF, size=15, bold=True), 15),
        (alamat, Font(name=HURUF, size=9, italic=True), 9),
    ]
    rata = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (teks, font, ukuran) in enumerate(baris, start=1):
        _isi(ws, i, 1, teks, font, rata)
        _gabung(ws, i, 1, n_kolom)
        _tinggi(ws, i, jumlah_baris(teks, lebar_total, KARAKTER_PER_LEBAR * UKURAN / ukuran * 0.9), ukuran, 14)
    _garis_rentang(ws, 3, 1, n_kolom, GARIS_KOP)
    ws.row_dimensions[4].height = 8
    return 5


# ---------------------------------------------------------------------------------------------------------------
# Dokumen Evaluasi Kinerja


def _lebar_otomatis(kolom: Sequence[str], baris: Sequence[Sequence[object]]) -> list[float]:
    """Column widths from content: narrow for No and figures, up to 34 units for long text (then it wraps)."""
    hasil: list[float] = []
    for j, judul in enumerate(kolom):
        kata_terpanjang = max((len(k) for k in judul.split()), default=1)
        isi = [b[j] for b in baris if j < len(b) and b[j] is not None]
        panjang = max((len(teks_nilai(v) or "") for v in isi), default=0)
        semua_angka = bool(isi) and all(_angka(v) for v in isi)
        if semua_angka or panjang <= 12:
            lebar = max(panjang + 3, kata_terpanjang + 2, 5)
        else:
            lebar = min(max(panjang * 0.6, 16), 34)
            lebar = max(lebar, kata_terpanjang + 2)
        hasil.append(float(min(lebar, 40)))
    return hasil


def _sampai(lebar: Sequence[float], awal: int, target: float) -> int:
    """The last column such that columns awal..it are at least ``target`` wide (or the last column)."""
    total = 0.0
    for k in range(awal, len(lebar) + 1):
        total += lebar[k - 1]
        if total >= target:
            return k
    return len(lebar)


def _daftar(ws: Worksheet, baris: int, judul: str, butir: Sequence[str], lebar: Sequence[float]) -> int:
    """A heading and numbered lines with a hanging indent (number in column A, text merged across the rest)."""
    n = len(lebar)
    _isi(ws, baris, 1, judul, Font(name=HURUF, size=UKURAN, bold=True))
    _gabung(ws, baris, 1, n)
    baris += 1
    isi = [b for b in butir if str(b).strip()] or ["-"]
    kiri = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for i, teks in enumerate(isi, start=1):
        if n >= 2:
            _isi(ws, baris, 1, f"{i}." if isi != ["-"] else "", rata=Alignment(horizontal="right", vertical="top"))
            _isi(ws, baris, 2, teks, rata=kiri)
            _gabung(ws, baris, 2, n)
            _tinggi(ws, baris, jumlah_baris(str(teks), _lebar(lebar, 2, n)))
        else:
            _isi(ws, baris, 1, f"{i}. {teks}", rata=kiri)
            _tinggi(ws, baris, jumlah_baris(f"{i}. {teks}", lebar[0]))
        baris += 1
    return baris


def _tanda_tangan(ws: Worksheet, baris: int, awal: int, akhir: int, lebar: float, salam: str, penanda: Penanda,
                  tempat_tanggal: str | None = None) -> int:
    """A signature block in ONE tall cell: (place, date), greeting, jabatan, room to sign, nama, NIP.

    One row because neither Excel nor LibreOffice splits a row across pages: the block can never be torn
    between two pages, whatever fonts the printing machine has. ``tempat_tanggal=""`` keeps an empty first
    line so a block beside a dated one lines up with it; None leaves the line out.
    """
    biasa = InlineFont(rFont=HURUF, sz=UKURAN)
    tebal = InlineFont(rFont=HURUF, sz=UKURAN, b=True, u="single")
    nip = f"NIP. {penanda.nip}" if penanda.nip.strip() else f"NIP. {TITIK[:30]}"
    atas = [t for t in (tempat_tanggal, salam, penanda.jabatan) if t is not None]
    nama = penanda.nama.strip() or f"({TITIK})"
    bersih = [nilai_aman(t) for t in (*atas, nama, nip)]
    isi = CellRichText(
        TextBlock(biasa, "\n".join(bersih[: len(atas)]) + "\n" * (1 + BARIS_TTD)),
        TextBlock(tebal, bersih[-2]),
        TextBlock(biasa, "\n" + bersih[-1]),
    )
    cell = ws.cell(row=baris, column=awal)
    cell.value = isi
    cell.font = Font(name=HURUF, size=UKURAN)
    cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    _gabung(ws, baris, awal, akhir)
    jumlah = sum(jumlah_baris(t, lebar, KARAKTER_PER_LEBAR * 0.95) for t in bersih) + BARIS_TTD
    ws.row_dimensions[baris].height = max(ws.row_dimensions[baris].height or 0, jumlah * TINGGI_BARIS + 6)
    return baris + 1


def write_dokumen_sheet(ws: Worksheet, data: DataDokumen) -> None:
    """Lay out the Dokumen Evaluasi Kinerja on ``ws`` (cleared first): A4 landscape, one page wide."""
    if not data.tabel_kolom:
        raise ValueError("tabel_kolom kosong: dokumen evaluasi butuh paling sedikit satu kolom")
    kosongkan(ws)
    n = len(data.tabel_kolom)
    baris_tabel = [list(b) + [None] * (n - len(b)) for b in data.tabel_baris]
    lebar = list(data.lebar_kolom) if data.lebar_kolom else _lebar_otomatis(data.tabel_kolom, baris_tabel)
    if len(lebar) != n:
        raise ValueError(f"lebar_kolom berisi {len(lebar)} angka, padahal tabel punya {n} kolom")
    for k, w in enumerate(lebar, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    total = sum(lebar)
    disusun, dievaluasi = Penanda(*data.disusun), Penanda(*data.dievaluasi)

    r = _kop(ws, data.pemerintah, data.unit, data.alamat, n, total)
    tengah = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _isi(ws, r, 1, data.judul.upper(), Font(name=HURUF, size=12, bold=True), tengah)
    _gabung(ws, r, 1, n)
    _tinggi(ws, r, jumlah_baris(data.judul, total, 0.9), 12, 18)
    r += 1
    _isi(ws, r, 1, f"Periode pelaksanaan: {data.periode_teks}", Font(name=HURUF, size=11), tengah)
    _gabung(ws, r, 1, n)
    ws.row_dimensions[r].height = 16
    r += 2

    # Table: header, a row of column numbers (the usual "(1) (2) ..." of government forms), then the data.
    header = r
    font_header = Font(name=HURUF, size=UKURAN, bold=True)
    for k, judul in enumerate(data.tabel_kolom, start=1):
        cell = _isi(ws, r, k, judul, font_header, tengah)
        cell.fill = FILL_HEADER
        cell.border = GARIS
    _tinggi(ws, r, max(jumlah_baris(j, lebar[k], 0.95) for k, j in enumerate(data.tabel_kolom)))
    r += 1
    for k in range(1, n + 1):
        cell = _isi(ws, r, k, f"({k})", Font(name=HURUF, size=8, italic=True), tengah)
        cell.fill = FILL_NOMOR_KOLOM
        cell.border = GARIS
    ws.row_dimensions[r].height = 12
    r += 1
    for isi_baris in baris_tabel:
        garis_terbanyak = 1
        for k, nilai in enumerate(isi_baris, start=1):
            if k == 1 and len(teks_nilai(nilai) or "") <= 4:
                rata = Alignment(horizontal="center", vertical="top")
            elif _angka(nilai):
                rata = Alignment(horizontal="right", vertical="top", indent=1)
            else:
                rata = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
            cell = _isi(ws, r, k, nilai, rata=rata)
            cell.border = GARIS
            garis_terbanyak = max(garis_terbanyak, jumlah_baris(teks_nilai(nilai), lebar[k - 1] - INDENT))
        _tinggi(ws, r, garis_terbanyak)
        r += 1
    r += 1

    # Summary: label and ": value" in two column spans so the colons line up.
    if data.ringkasan:
        akhir_label = _sampai(lebar, 1, 34) if n >= 2 else 1
        if akhir_label >= n:
            akhir_label = max(1, n - 1)
        for label, nilai in data.ringkasan:
            _isi(ws, r, 1, label, rata=Alignment(horizontal="left", vertical="top", wrap_text=True))
            _gabung(ws, r, 1, akhir_label)
            if akhir_label < n:
                _isi(ws, r, akhir_label + 1, f": {teks_nilai(nilai) or ''}",
                     Font(name=HURUF, size=UKURAN, bold=True), Alignment(horizontal="left", vertical="top"))
                _gabung(ws, r, akhir_label + 1, n)
            _tinggi(ws, r, jumlah_baris(label, _lebar(lebar, 1, akhir_label)))
            r += 1
        r += 1

    for judul, butir in (
        ("Faktor pendorong keberhasilan pencapaian:", data.faktor_pendorong),
        ("Faktor penghambat pencapaian kinerja:", data.faktor_penghambat),
        ("Tindak lanjut yang diperlukan:", data.tindak_lanjut),
    ):
        r = _daftar(ws, r, judul, butir, lebar) + 1

    # Two signature blocks side by side: "Disusun oleh," on the left, "Dievaluasi oleh," on the right.
    target = max(total * 0.3, 24)
    kiri_awal = 2 if n >= 4 else 1
    kiri_akhir = _sampai(lebar, kiri_awal, target)
    kanan_akhir = n
    kanan_awal = kanan_akhir
    while kanan_awal > 1 and _lebar(lebar, kanan_awal, kanan_akhir) < target:
        kanan_awal -= 1
    if kanan_awal > kiri_akhir:
        _tanda_tangan(ws, r, kiri_awal, kiri_akhir, _lebar(lebar, kiri_awal, kiri_akhir), "Disusun oleh,", disusun,
                      "")
        r = _tanda_tangan(ws, r, kanan_awal, kanan_akhir, _lebar(lebar, kanan_awal, kanan_akhir),
                          "Dievaluasi oleh,", dievaluasi, data.tempat_tanggal)
    else:  # too few columns to stand side by side: one under the other
        r = _tanda_tangan(ws, r, 1, n, total, "Disusun oleh,", disusun)
        r = _tanda_tangan(ws, r, 1, n, total, "Dievaluasi oleh,", dievaluasi, data.tempat_tanggal)
    if data.catatan_revisi.strip():
        r += 1
        teks = f"Catatan revisi: {data.catatan_revisi.strip()}"
        _isi(ws, r, 1, teks, Font(name=HURUF, size=8, italic=True),
             Alignment(horizontal="left", vertical="top", wrap_text=True))
        _gabung(ws, r, 1, n)
        _tinggi(ws, r, jumlah_baris(teks, total, KARAKTER_PER_LEBAR * 1.2), 8, 12)
        r += 1
    akhir = r - 1

    _atur_halaman(ws, "landscape", 0, f"A1:{get_column_letter(n)}{akhir}")
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_title_rows = f"{header}:{header + 1}"
    kaki = f"{data.unit} – {data.periode_teks} – versi {data.versi}".replace("&", "&&")
    ws.oddFooter.left.text = kaki
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 8


# ---------------------------------------------------------------------------------------------------------------
# Surat pengantar

LEBAR_SURAT = [6.0, 20.0, 20.0, 13.0, 29.0]
"""A: No; B:C Jenis yang Dikirim; D: Banyaknya; E: Keterangan (A4 portrait at close to 100 %)."""


def write_surat_sheet(ws: Worksheet, data: DataSurat) -> None:
    """Lay out the surat pengantar on ``ws`` (cleared first): A4 portrait, fitted to one page."""
    kosongkan(ws)
    lebar = LEBAR_SURAT
    n = len(lebar)
    for k, w in enumerate(lebar, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    total = sum(lebar)
    biasa = Font(name=HURUF, size=11)
    kiri = Alignment(horizontal="left", vertical="top", wrap_text=True)
    tengah = Alignment(horizontal="center", vertical="center", wrap_text=True)
    faktor11 = KARAKTER_PER_LEBAR * UKURAN / 11

    r = _kop(ws, data.pemerintah, data.unit, data.alamat, n, total) + 1

    # Place and date, then the addressee, in the right-hand column block (D:E).
    blok, lebar_blok = 4, _lebar(lebar, 4, n)
    alamat_tujuan = data.alamat_tujuan.strip() or "Tempat"
    for teks in (data.tempat_tanggal, "", "Kepada", f"Yth. {data.tujuan}", "di -", f"    {alamat_tujuan}"):
        _isi(ws, r, blok, teks, biasa, kiri)
        _gabung(ws, r, blok, n)
        _tinggi(ws, r, jumlah_baris(teks, lebar_blok, faktor11), 11)
        r += 1
    r += 1

    _isi(ws, r, 1, "SURAT PENGANTAR", Font(name=HURUF, size=13, bold=True, underline="single"), tengah)
    _gabung(ws, r, 1, n)
    ws.row_dimensions[r].height = 19
    r += 1
    _isi(ws, r, 1, f"Nomor: {data.nomor}", biasa, tengah)
    _gabung(ws, r, 1, n)
    ws.row_dimensions[r].height = 16
    r += 2

    # Table: No | Jenis yang Dikirim (B:C) | Banyaknya | Keterangan
    kolom = [(1, 1, "No"), (2, 3, "Jenis yang Dikirim"), (4, 4, "Banyaknya"), (5, 5, "Keterangan")]
    font_header = Font(name=HURUF, size=11, bold=True)
    for awal, akhir, judul_kolom in kolom:
        _isi(ws, r, awal, judul_kolom, font_header, tengah)
        _gabung(ws, r, awal, akhir)
        for k in range(awal, akhir + 1):
            ws.cell(row=r, column=k).fill = FILL_HEADER
            ws.cell(row=r, column=k).border = GARIS
    ws.row_dimensions[r].height = 20
    r += 1
    daftar = data.daftar or [("-", "-", "-")]
    for i, (jenis, banyaknya, keterangan) in enumerate(daftar, start=1):
        isi = [(1, 1, i, tengah), (2, 3, jenis, kiri),
               (4, 4, banyaknya, Alignment(horizontal="center", vertical="top", wrap_text=True)),
               (5, 5, keterangan, kiri)]
        garis_terbanyak = 1
        for awal, akhir, nilai, rata in isi:
            indent = 1 if rata.horizontal == "left" else 0
            _isi(ws, r, awal, nilai, biasa,
                 Alignment(horizontal=rata.horizontal, vertical="top", wrap_text=True, indent=indent))
            _gabung(ws, r, awal, akhir)
            for k in range(awal, akhir + 1):
                ws.cell(row=r, column=k).border = GARIS
            sisa = _lebar(lebar, awal, akhir) - INDENT * indent
            garis_terbanyak = max(garis_terbanyak, jumlah_baris(teks_nilai(nilai), sisa, faktor11))
        _tinggi(ws, r, garis_terbanyak, 11, 18)
        r += 1
    r += 1

    # Signer on the right (D:E).
    ttd_font = Font(name=HURUF, size=11)
    tengah_atas = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for teks, font, tinggi in (
        (data.jabatan, ttd_font, None),
        ("", ttd_font, 20), ("", ttd_font, 20), ("", ttd_font, 20),
        (data.nama or f"({TITIK})", Font(name=HURUF, size=11, bold=True, underline="single"), None),
        (f"NIP. {data.nip}" if data.nip.strip() else f"NIP. {TITIK[:30]}", ttd_font, None),
    ):
        _isi(ws, r, blok, teks, font, tengah_atas)
        _gabung(ws, r, blok, n)
        if tinggi:
            ws.row_dimensions[r].height = tinggi
        else:
            _tinggi(ws, r, jumlah_baris(teks, lebar_blok, faktor11), 11)
        r += 1
    r += 1

    # Receipt, filled in by hand by the recipient: a boxed block on the left (A:C).
    label_font = Font(name=HURUF, size=10)
    _isi(ws, r, 1, "TANDA TERIMA", Font(name=HURUF, size=10, bold=True), Alignment(horizontal="left", indent=1))
    _gabung(ws, r, 1, 3)
    awal_kotak = r
    r += 1
    for label in ("Diterima tanggal", "Nama", "Tanda tangan"):
        _isi(ws, r, 1, label, label_font, Alignment(horizontal="left", vertical="bottom", indent=1))
        _gabung(ws, r, 1, 2)
        _isi(ws, r, 3, f": {TITIK[:34]}", label_font, Alignment(horizontal="left", vertical="bottom"))
        ws.row_dimensions[r].height = 30 if label == "Tanda tangan" else 20
        r += 1
    akhir_kotak = r - 1
    for rr in range(awal_kotak, akhir_kotak + 1):
        for k in range(1, 4):
            ws.cell(row=rr, column=k).border = Border(
                left=_TIPIS if k == 1 else None,
                right=_TIPIS if k == 3 else None,
                top=_TIPIS if rr == awal_kotak else None,
                bottom=_TIPIS if rr == akhir_kotak else None,
            )

    _atur_halaman(ws, "portrait", 1, f"A1:{get_column_letter(n)}{akhir_kotak}")
    ws.page_margins = PageMargins(left=0.8, right=0.6, top=0.6, bottom=0.6, header=0.3, footer=0.3)
