"""Shared pieces of the print-ready sheets (document and letter): paper, text measure, cells, kop, signatures.

Why values only: the PDF is made by LibreOffice from the saved file, and openpyxl saves formulas without a
cached value, so any formula would print empty or stale. Every cell holds a finished value, numbers already
written the Indonesian way ("1.250.000", "87,50") as text so the printout never depends on the locale of the
machine that prints it. Text that merely looks like a formula ("=HYPERLINK(...)") is stored as text.

Why measure text here: neither Excel nor LibreOffice grows merged or pre-sized rows on its own, and the document
must fit its paper at a readable size, so widths and heights are computed from the text. The measure is the
widest common substitute for Arial (DejaVu Sans, what LibreOffice uses on a Linux machine without Arial): on a
machine with Arial the same layout only gets a little roomier. Column widths are converted with the digit width
of the workbook's Normal font, which is how LibreOffice and Excel turn a width into points.
"""

from __future__ import annotations

import datetime
import decimal
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from openpyxl.cell.cell import Cell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from macros_py.domain.angka import format_angka_id
from macros_py.io.engines.openpyxl_book import nilai_aman

HURUF = "Arial"
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
FILL_NOMOR_KOLOM = PatternFill("solid", fgColor="F2F2F2")
FILL_KELOMPOK = PatternFill("solid", fgColor="EDEDED")
TIPIS = Side(style="thin", color="000000")
GARIS = Border(left=TIPIS, right=TIPIS, top=TIPIS, bottom=TIPIS)
GARIS_KOP = Border(bottom=Side(style="double", color="000000"))
TITIK = "." * 40
CM = 72 / 2.54  # points per centimetre
RUANG_TTD = 3.2 * CM  # room for a wet signature with the stamp (at least 3 cm on paper)
UKURAN_MINIMUM = 7.0  # smallest text on paper, in points

# Advance widths (1/1000 em) of DejaVu Sans and DejaVu Sans Bold for ASCII 32..126.
_LEBAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
)
_LEBAR_TEBAL = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838,
)
DIGIT_EM = 0.636  # the digit width (em) that turns a column width into points (LibreOffice: width x digit)
TINGGI_BARIS_EM = 1.18  # line pitch per point of font size (LibreOffice: DejaVu Sans 1.165, Arial 1.149)


class Kertas(NamedTuple):
    """A paper: name, portrait width and height in mm, and the Excel paperSize code closest to it."""

    nama: str
    lebar_mm: float
    tinggi_mm: float
    kode_excel: int


KERTAS = {
    # F4/Folio has no Excel code of its own: 14 (Folio 8.5 x 13 in) is the nearest for Excel, and the exact size
    # goes in paperWidth/paperHeight, which LibreOffice's PDF export honours (MediaBox 609.45 x 935.43 pt).
    "F4": Kertas("F4", 215.0, 330.0, 14),
    "A4": Kertas("A4", 210.0, 297.0, 9),
    "A3": Kertas("A3", 297.0, 420.0, 8),
}


class Penanda(NamedTuple):
    """One signer: jabatan as printed above the signature, nama and NIP below it (a plain tuple works too)."""

    jabatan: str
    nama: str
    nip: str = ""


@dataclass(frozen=True)
class Halaman:
    """Where text may go on a page, in points, for a paper, orientation and margins (cm)."""

    kertas: Kertas
    mendatar: bool
    kiri: float
    kanan: float
    atas: float
    bawah: float

    @property
    def lebar(self) -> float:
        sisi = self.kertas.tinggi_mm if self.mendatar else self.kertas.lebar_mm
        return sisi / 10 * CM - (self.kiri + self.kanan) * CM

    @property
    def tinggi(self) -> float:
        sisi = self.kertas.lebar_mm if self.mendatar else self.kertas.tinggi_mm
        return sisi / 10 * CM - (self.atas + self.bawah) * CM


# ---------------------------------------------------------------------------------------------------------------
# Text measure


def lebar_teks(teks: str, ukuran: float, tebal: bool = False) -> float:
    """Width of one line of text in points at ``ukuran`` pt (wide characters outside ASCII count as 'M')."""
    tabel = _LEBAR_TEBAL if tebal else _LEBAR
    total = 0
    for c in teks:
        i = ord(c) - 32
        total += tabel[i] if 0 <= i < len(tabel) else tabel[45]
    return total * ukuran / 1000


def bungkus(teks: str | None, lebar: float, ukuran: float, tebal: bool = False) -> list[str]:
    """Greedy wrap to ``lebar`` points at spaces, explicit newlines kept; a word too long for a line is cut by
    characters. Spreadsheets may also break after '-' or inside an over-long word elsewhere; counting only spaces
    never gives fewer lines than they print, so a row is never too short for its text."""
    if not teks:
        return [""]
    hasil: list[str] = []
    for paragraf in str(teks).split("\n"):
        baris = ""
        for kata in paragraf.split():
            calon = f"{baris} {kata}" if baris else kata
            if lebar_teks(calon, ukuran, tebal) <= lebar:
                baris = calon
                continue
            if baris:
                hasil.append(baris)
            while lebar_teks(kata, ukuran, tebal) > lebar and len(kata) > 1:
                n = len(kata) - 1
                while n > 1 and lebar_teks(kata[:n], ukuran, tebal) > lebar:
                    n -= 1
                hasil.append(kata[:n])
                kata = kata[n:]
            baris = kata
        hasil.append(baris)
    return hasil


def tinggi_teks(jumlah_baris: int, ukuran: float) -> float:
    """Row height (pt) for ``jumlah_baris`` lines at ``ukuran`` pt, with a little air above and below."""
    return jumlah_baris * ukuran * TINGGI_BARIS_EM + 3


def kata_terpanjang(teks: str | None, ukuran: float, tebal: bool = False, batas: int | None = None) -> float:
    """Width of the widest word; with ``batas``, words longer than that many characters (addresses, codes) count
    as that many characters, as they may be cut."""
    return max((lebar_teks(k if batas is None or len(k) <= batas else k[:batas], ukuran, tebal)
                for k in str(teks or "").split()), default=0.0)


def workbook_cetak():
    """A new workbook for a printed output: its Normal font is the text font (Arial 10), so column widths, which
    spreadsheets measure in digits of the Normal font, grow and shrink with the font the printing machine has."""
    from openpyxl import Workbook

    wb = Workbook()
    wb._named_styles["Normal"].font = Font(name=HURUF, size=10)
    return wb


def pt_per_unit(ws: Worksheet) -> float:
    """Points per Excel column-width unit: the digit width of the workbook's Normal font (as LibreOffice does)."""
    normal = ws.parent._named_styles["Normal"].font if ws.parent is not None else None
    ukuran = float(normal.sz) if normal is not None and normal.sz else 11.0
    return ukuran * DIGIT_EM


# ---------------------------------------------------------------------------------------------------------------
# Cells


def teks_nilai(nilai: object, desimal: int = 2) -> str | None:
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
        return format_angka_id(nilai, desimal)  # type: ignore[arg-type]
    if isinstance(nilai, datetime.datetime):
        return nilai.strftime("%d-%m-%Y %H:%M")
    if isinstance(nilai, datetime.date):
        return nilai.strftime("%d-%m-%Y")
    return str(nilai)


def angka(nilai: object) -> bool:
    return isinstance(nilai, numbers.Real | decimal.Decimal) and not isinstance(nilai, bool)


def isi(ws: Worksheet, baris: int, kolom: int, nilai: object, font: Font | None = None,
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
    cell.font = font or Font(name=HURUF, size=10)
    if rata is not None:
        cell.alignment = rata
    return cell


def gabung(ws: Worksheet, baris: int, kolom_awal: int, kolom_akhir: int, baris_akhir: int | None = None) -> None:
    if kolom_akhir > kolom_awal or (baris_akhir or baris) > baris:
        ws.merge_cells(start_row=baris, start_column=kolom_awal, end_row=baris_akhir or baris, end_column=kolom_akhir)


def garis_rentang(ws: Worksheet, baris: int, kolom_awal: int, kolom_akhir: int, garis: Border,
                  baris_akhir: int | None = None) -> None:
    """Borders of merged cells must sit on every cell of the range or the printout shows gaps."""
    for r in range(baris, (baris_akhir or baris) + 1):
        for k in range(kolom_awal, kolom_akhir + 1):
            ws.cell(row=r, column=k).border = garis


def kosongkan(ws: Worksheet) -> None:
    """Start from a blank sheet so a re-run never leaves rows, merges, images or print settings behind."""
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
    ws._images = []
    ws.freeze_panes = None
    ws.auto_filter.ref = None
    ws.row_breaks.brk = []
    ws.col_breaks.brk = []
    ws.print_title_rows = None
    ws.print_title_cols = None


def atur_kertas(ws: Worksheet, kertas: Kertas, mendatar: bool) -> None:
    """Paper size and orientation; F4 through its real dimensions (see KERTAS)."""
    ws.page_setup.paperSize = kertas.kode_excel
    ws.page_setup.orientation = "landscape" if mendatar else "portrait"
    if kertas.nama == "F4":
        ws.page_setup.paperWidth = f"{kertas.lebar_mm:g}mm"
        ws.page_setup.paperHeight = f"{kertas.tinggi_mm:g}mm"
    else:
        ws.page_setup.paperWidth = ws.page_setup.paperHeight = None


def atur_halaman(ws: Worksheet, halaman: Halaman, area: str, kaki_kiri: str = "", nomor_halaman: bool = True) -> None:
    """Paper, margins, one page wide (never enlarged), print area, and the footer "Halaman x dari y"."""
    atur_kertas(ws, halaman.kertas, halaman.mendatar)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.print_area = area
    ws.sheet_view.showGridLines = False
    inci = 1 / 2.54
    ws.page_margins = PageMargins(left=halaman.kiri * inci, right=halaman.kanan * inci, top=halaman.atas * inci,
                                  bottom=halaman.bawah * inci, header=0.4 * inci, footer=0.5 * inci)
    if kaki_kiri:
        ws.oddFooter.left.text = kaki_kiri.replace("&", "&&")
        ws.oddFooter.left.size = 8
        ws.oddFooter.left.font = HURUF
    if nomor_halaman:
        ws.oddFooter.right.text = "Halaman &P dari &N"
        ws.oddFooter.right.size = 8
        ws.oddFooter.right.font = HURUF


def tulis_lebar(ws: Worksheet, lebar_pt: Sequence[float]) -> None:
    """Column widths given in points."""
    per_unit = pt_per_unit(ws)
    for k, w in enumerate(lebar_pt, start=1):
        ws.column_dimensions[get_column_letter(k)].width = round(w / per_unit, 2)


# ---------------------------------------------------------------------------------------------------------------
# Kop and signature


def kop(ws: Worksheet, pemerintah: str, unit: str, alamat: str, n_kolom: int, lebar_total: float,
        logo: Path | None = None, ukuran: tuple[float, float, float] = (13, 15, 9)) -> tuple[int, float]:
    """Kop surat across the full width, double rule underneath, optional logo on the left.

    Returns the next free row and the height used (pt).
    """
    ruang_logo = 0.0
    if logo is not None:
        ruang_logo = _logo(ws, logo)
    lebar_teks_kop = max(lebar_total - 2 * ruang_logo, lebar_total * 0.5)
    baris = [(pemerintah.upper(), Font(name=HURUF, size=ukuran[0], bold=True)),
             (unit.upper(), Font(name=HURUF, size=ukuran[1], bold=True)),
             (alamat, Font(name=HURUF, size=ukuran[2], italic=True))]
    rata = Alignment(horizontal="center", vertical="center", wrap_text=True)
    tinggi = 0.0
    for i, (teks, font) in enumerate(baris, start=1):
        isi(ws, i, 1, teks, font, rata)
        gabung(ws, i, 1, n_kolom)
        h = tinggi_teks(len(bungkus(teks, lebar_teks_kop, font.sz, font.b)), font.sz)
        ws.row_dimensions[i].height = h
        tinggi += h
    if ruang_logo and tinggi < 2.4 * CM:  # the rows hold the logo's height
        ws.row_dimensions[2].height += 2.4 * CM - tinggi
        tinggi = 2.4 * CM
    garis_rentang(ws, 3, 1, n_kolom, GARIS_KOP)
    ws.row_dimensions[4].height = 8
    return 5, tinggi + 8


def _logo(ws: Worksheet, path: Path) -> float:
    """Put the logo at the top left, 2.2 cm high; returns the width it takes (pt)."""
    from openpyxl.drawing.image import Image

    gambar = Image(str(path))
    skala = (2.2 * CM / 0.75) / gambar.height  # openpyxl sizes images in pixels (96 per inch)
    gambar.height = round(gambar.height * skala)
    gambar.width = round(gambar.width * skala)
    gambar.anchor = "A1"
    ws.add_image(gambar)
    return gambar.width * 0.75 + 6


def _baris_ttd(lebar: float, baris_atas: Sequence[str], penanda: Penanda,
               ukuran: float) -> list[tuple[str | None, Font | None, float]]:
    """The rows of a signature block: (text, font, height); the room to sign is a row of its own."""
    biasa = Font(name=HURUF, size=ukuran)
    tebal = Font(name=HURUF, size=ukuran, bold=True, underline="single")
    nip = f"NIP. {penanda.nip}" if penanda.nip.strip() else f"NIP. {TITIK[:30]}"
    hasil: list[tuple[str | None, Font | None, float]] = []
    for teks, font in [*((t, biasa) for t in baris_atas), (None, None),
                       (penanda.nama.strip() or f"({TITIK})", tebal), (nip, biasa)]:
        if teks is None:
            hasil.append((None, None, RUANG_TTD))
        else:
            hasil.append((teks, font, tinggi_teks(len(bungkus(teks, lebar - 4, ukuran, bool(font.b))), ukuran)))
    return hasil


def tinggi_tanda_tangan(blok: Sequence[tuple[float, Sequence[str], Penanda]], ukuran: float = 10) -> float:
    """Height of signature blocks standing side by side (rows shared): (width, lines above, signer) each."""
    baris = [[h for _, _, h in _baris_ttd(w, atas, p, ukuran)] for w, atas, p in blok]
    return sum(max(b[i] if i < len(b) else 0 for b in baris) for i in range(max(map(len, baris))))


def tanda_tangan(ws: Worksheet, baris: int, awal: int, akhir: int, lebar: float, baris_atas: Sequence[str],
                 penanda: Penanda, ukuran: float = 10) -> int:
    """A signature block: the lines above (place/date, greeting, jabatan), RUANG_TTD for the wet signature and
    stamp, then nama (bold, underlined) and NIP. Returns the next free row. Blocks written side by side on the
    same rows share their heights (the taller wins)."""
    tengah = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for teks, font, h in _baris_ttd(lebar, baris_atas, penanda, ukuran):
        if teks is not None:
            isi(ws, baris, awal, teks, font, tengah)
            gabung(ws, baris, awal, akhir)
        ws.row_dimensions[baris].height = max(ws.row_dimensions[baris].height or 0, h)
        baris += 1
    return baris
