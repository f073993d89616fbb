"""The Dokumen Evaluasi Kinerja as printed: Formulir E.81 (Permendagri 86/2017) on one worksheet.

Layout, top to bottom: kop (optional logo), title, period; the E.81 table — group headers, a K / Rp row, the
column numbers with their formulas ("13 = 6 + 12"), the indicator rows (optionally grouped by Urusan with
subtotals), the rata-rata capaian and predikat rows for K and for Rp; notes under the table; faktor pendorong,
faktor penghambat, the two tindak lanjut; the "Disusun" and "Dievaluasi" signature blocks.

Paper is the office's (F4 landscape by default). The table's model, its font (the largest of 9 ... 7 pt) and the
unit of its Rp columns (the finest of rupiah, ribu, juta) at which it fits the paper's width unscaled are in
print_table.py; columns are sized from their content. Pages are laid out here, not by the
spreadsheet: the header rows are written again at the top of every page that continues the table, and never
above the narrative or the signatures (print titles would repeat on every page); the signature blocks are
never split. Revision notes stay in the Revisi sheet: nothing of them is printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from macros_py.io.output.print_common import (
    FILL_HEADER,
    FILL_KELOMPOK,
    FILL_NOMOR_KOLOM,
    GARIS,
    HURUF,
    KERTAS,
    Halaman,
    Penanda,
    atur_halaman,
    bungkus,
    gabung,
    garis_rentang,
    isi,
    kop,
    kosongkan,
    tanda_tangan,
    tinggi_tanda_tangan,
    tinggi_teks,
    tulis_lebar,
)
from macros_py.io.output.print_table import (
    INDIKATOR,
    KELOMPOK,
    PAD,
    SUBTOTAL,
    BarisTabel,
    DataDokumen,
    HasilTataLetak,
    KolomE81,
    KolomFisik,
    format_nilai,
    nomor_kolom,
    pilih_ukuran,
)

__all__ = ["INDIKATOR", "KELOMPOK", "SUBTOTAL", "BarisTabel", "DataDokumen", "HasilTataLetak", "KolomE81",
           "nomor_kolom", "write_dokumen_sheet"]

UKURAN_TEKS = 9.0  # narrative lists
UKURAN_CATATAN = 7.5  # notes under the table
UKURAN_TTD = 10.0
HEMAT = 0.97  # share of a page's height filled, so a row estimated a hair short never spills


# ---------------------------------------------------------------------------------------------------------------
# Layout


class _Halaman:
    """Keeps count of the height used on the current page and starts new pages (manual row breaks)."""

    def __init__(self, ws: Worksheet, tinggi: float) -> None:
        self.ws = ws
        self.tinggi = tinggi
        self.terpakai = 0.0
        self.jumlah = 1

    def muat(self, tinggi: float) -> bool:
        return self.terpakai + tinggi <= self.tinggi

    def baru(self, baris: int) -> None:
        """A page break before ``baris``."""
        self.ws.row_breaks.append(Break(id=baris - 1))
        self.terpakai = 0.0
        self.jumlah += 1

    def tambah(self, tinggi: float) -> None:
        self.terpakai += tinggi


def _h(ws: Worksheet, baris: int, tinggi: float) -> float:
    ws.row_dimensions[baris].height = round(tinggi, 2)
    return round(tinggi, 2)


def write_dokumen_sheet(ws: Worksheet, data: DataDokumen) -> HasilTataLetak:
    """Lay out the Dokumen Evaluasi Kinerja on ``ws`` (cleared first) and return what the layout decided."""
    if not data.kolom:
        raise ValueError("kolom kosong: dokumen evaluasi butuh paling sedikit satu kolom")
    kosongkan(ws)
    halaman = Halaman(KERTAS[data.kertas], True, 0.8, 0.8, 1.0, 1.4)
    data, fisik, lebar, u = pilih_ukuran(data, halaman)
    n = len(fisik)
    total = sum(lebar)
    skala = 1.0 if total <= halaman.lebar else int(halaman.lebar / total * 100) / 100  # the spreadsheet's zoom
    tulis_lebar(ws, lebar)
    hal = _Halaman(ws, halaman.tinggi / skala * HEMAT)

    r, tinggi_kop = kop(ws, data.pemerintah, data.unit, data.alamat, n, total, data.logo)
    hal.tambah(tinggi_kop)
    tengah = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for teks, font in ((data.judul.upper(), Font(name=HURUF, size=12, bold=True)),
                       (f"Periode pelaksanaan: {data.periode_teks}", Font(name=HURUF, size=10))):
        isi(ws, r, 1, teks, font, tengah)
        gabung(ws, r, 1, n)
        hal.tambah(_h(ws, r, tinggi_teks(len(bungkus(teks, total, font.sz, font.b)), font.sz)))
        r += 1
    hal.tambah(_h(ws, r, 6))
    r += 1

    tinggi_header = _tinggi_header(fisik, data, lebar, u)
    r = _header(ws, r, fisik, data, lebar, u, tinggi_header)
    hal.tambah(sum(tinggi_header))
    r = _isi_tabel(ws, r, fisik, data, lebar, u, hal, tinggi_header)
    r = _kaki_tabel(ws, r, fisik, data, lebar, u, hal, tinggi_header)
    r = _catatan(ws, r, data, total, hal)
    for judul, butir in (
        ("Faktor pendorong keberhasilan pencapaian:", data.faktor_pendorong),
        ("Faktor penghambat pencapaian kinerja:", data.faktor_penghambat),
        ("Tindak lanjut yang diperlukan dalam triwulan berikutnya:", data.tindak_lanjut_triwulan),
        ("Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya:", data.tindak_lanjut_renja),
        *([("Koreksi realisasi yang sudah disahkan (rekaman tersegel periode lalu):", data.koreksi)]
          if data.koreksi else []),
    ):
        r = _daftar(ws, r, judul, butir, lebar, hal)
    r = _tanda_tangan(ws, r, data, lebar, hal)

    kaki = f"{data.unit} – {data.judul.title()} – {data.periode_teks} – versi {data.versi}"
    atur_halaman(ws, halaman, f"A1:{get_column_letter(n)}{r - 1}", kaki)
    return HasilTataLetak(u, skala, hal.jumlah, data.rp_dalam or 1)


def _tinggi_header(fisik: Sequence[KolomFisik], data: DataDokumen, lebar: Sequence[float], u: float) -> list[float]:
    """Heights of the three header rows: group titles, K / Rp, column numbers."""
    nomor = nomor_kolom(data.kolom)
    kelompok = any(b.jenis == KELOMPOK for b in data.baris)
    judul, sub, no = 1, 1, 1
    for g in data.kolom:
        w = sum(lebar[i] for i, k in enumerate(fisik) if k.grup is g) - PAD
        baris_judul = len(bungkus(g.judul_untuk(kelompok), w, u, True))
        # a single column's title spans the K / Rp row too
        judul = max(judul, baris_judul if g.k or g.rp else baris_judul - 1)
        no = max(no, len(bungkus(nomor[g.id], w, u)))
    for i, k in enumerate(fisik):
        if k.sub:
            sub = max(sub, len(bungkus(k.sub, lebar[i] - PAD, u, True)))
    return [tinggi_teks(judul, u), tinggi_teks(sub, u), tinggi_teks(no, u)]


def _header(ws: Worksheet, r: int, fisik: Sequence[KolomFisik], data: DataDokumen, lebar: Sequence[float], u: float,
            tinggi: Sequence[float]) -> int:
    tengah = Alignment(horizontal="center", vertical="center", wrap_text=True)
    tebal = Font(name=HURUF, size=u, bold=True)
    nomor = nomor_kolom(data.kolom)
    kelompok = any(b.jenis == KELOMPOK for b in data.baris)
    k = 1
    for g in data.kolom:
        lebar_g = 2 if (g.k or g.rp) else 1
        isi(ws, r, k, g.judul_untuk(kelompok), tebal, tengah)
        if lebar_g == 2:
            gabung(ws, r, k, k + 1)
            for j, bagian in enumerate(fisik[k - 1 : k + 1]):
                isi(ws, r + 1, k + j, bagian.sub, tebal, tengah)
        else:
            gabung(ws, r, k, k, r + 1)
        isi(ws, r + 2, k, nomor[g.id], Font(name=HURUF, size=u, italic=True), tengah)
        gabung(ws, r + 2, k, k + lebar_g - 1)
        k += lebar_g
    n = len(fisik)
    for j in range(3):
        garis_rentang(ws, r + j, 1, n, GARIS)
        for kol in range(1, n + 1):
            ws.cell(r + j, kol).fill = FILL_NOMOR_KOLOM if j == 2 else FILL_HEADER
        _h(ws, r + j, tinggi[j])
    return r + 3


def _isi_tabel(ws: Worksheet, r: int, fisik: Sequence[KolomFisik], data: DataDokumen, lebar: Sequence[float], u: float,
               hal: _Halaman, tinggi_header: Sequence[float]) -> int:
    biasa, tebal = Font(name=HURUF, size=u), Font(name=HURUF, size=u, bold=True)
    n = len(fisik)
    for b in data.baris:
        if b.jenis == KELOMPOK:
            awal = next(i for i, k in enumerate(fisik, 1) if k.teks and k.key != "sasaran")
            teks: list[tuple[int, str | None]] = [(awal, b.teks)]
        else:
            teks = [(i, format_nilai(b.nilai.get(k.key), k, data.rp_dalam)) for i, k in enumerate(fisik, 1)]
        if b.jenis == SUBTOTAL:
            akhir_label = next(i for i, k in enumerate(fisik, 1) if not k.teks and k.key != "no") - 1
            teks = [(1, b.teks)] + [(i, t) for i, t in teks if i > akhir_label]
        baris = 1
        for i, t in teks:
            w = (sum(lebar[i - 1 :]) if b.jenis == KELOMPOK else
                 sum(lebar[:akhir_label]) if b.jenis == SUBTOTAL and i == 1 else lebar[i - 1])
            baris = max(baris, len(bungkus(t, w - PAD, u, b.jenis != INDIKATOR)))
        tinggi = tinggi_teks(baris, u)
        if not hal.muat(tinggi):
            hal.baru(r)
            r = _header(ws, r, fisik, data, lebar, u, tinggi_header)
            hal.tambah(sum(tinggi_header))
        font = biasa if b.jenis == INDIKATOR else tebal
        for i, t in teks:
            kol = fisik[i - 1]
            if kol.key == "no" or (not kol.teks and not t):
                rata = Alignment(horizontal="center", vertical="top", wrap_text=True)
            elif kol.teks or (b.jenis != INDIKATOR and i == 1):
                rata = Alignment(horizontal="left", vertical="top", wrap_text=True)
            else:
                rata = Alignment(horizontal="right", vertical="top", wrap_text=True)
            isi(ws, r, i, t, font, rata)
        if b.jenis == KELOMPOK:
            gabung(ws, r, teks[0][0], n)
            if teks[0][0] > 1:
                gabung(ws, r, 1, teks[0][0] - 1)
        elif b.jenis == SUBTOTAL:
            gabung(ws, r, 1, akhir_label)
        garis_rentang(ws, r, 1, n, GARIS)
        if b.jenis != INDIKATOR:
            for nomor_kolom in range(1, n + 1):
                ws.cell(r, nomor_kolom).fill = FILL_KELOMPOK
        hal.tambah(_h(ws, r, tinggi))
        r += 1
    return r


def _kaki_tabel(ws: Worksheet, r: int, fisik: Sequence[KolomFisik], data: DataDokumen, lebar: Sequence[float], u: float,
                hal: _Halaman, tinggi_header: Sequence[float]) -> int:
    """The E.81 footer rows: rata-rata capaian (%) and predikat, K and Rp under their columns."""
    kunci = [i for i, k in enumerate(fisik, 1) if k.key in data.rata_rata or k.key in data.predikat]
    if not kunci:
        return r
    akhir_label = kunci[0] - 1
    tebal = Font(name=HURUF, size=u, bold=True)
    rata = {k: format_nilai(v, fisik[i - 1], data.rp_dalam) for i in kunci for k, v in data.rata_rata.items()
            if k == fisik[i - 1].key}
    baris: list[tuple[str, dict[str, Any]]] = [("Rata-rata capaian kinerja (%)", rata),
             ("Predikat kinerja", dict(data.predikat))]
    tinggi = [tinggi_teks(max([len(bungkus(v or "", lebar[i - 1] - PAD, u, True)) for i in kunci
                               for k, v in isian.items() if k == fisik[i - 1].key] + [1]), u) for _, isian in baris]
    if not hal.muat(sum(tinggi)):
        hal.baru(r)
        r = _header(ws, r, fisik, data, lebar, u, tinggi_header)
        hal.tambah(sum(tinggi_header))
    for (label, isian), h in zip(baris, tinggi, strict=True):
        isi(ws, r, 1, label, tebal, Alignment(horizontal="right", vertical="center", wrap_text=True))
        if akhir_label > 1:
            gabung(ws, r, 1, akhir_label)
        for i in kunci:
            isi(ws, r, i, isian.get(fisik[i - 1].key), tebal,
                Alignment(horizontal="center", vertical="center", wrap_text=True))
        garis_rentang(ws, r, 1, len(fisik), GARIS)
        hal.tambah(_h(ws, r, h))
        r += 1
    return r


def _catatan(ws: Worksheet, r: int, data: DataDokumen, total: float, hal: _Halaman) -> int:
    ukuran = UKURAN_CATATAN
    for teks in data.catatan_tabel:
        h = tinggi_teks(len(bungkus(teks, total - PAD, ukuran)), ukuran)
        if not hal.muat(h):
            hal.baru(r)
        isi(ws, r, 1, teks, Font(name=HURUF, size=ukuran, italic=True),
            Alignment(horizontal="left", vertical="top", wrap_text=True))
        gabung(ws, r, 1, ws.max_column)
        hal.tambah(_h(ws, r, h))
        r += 1
    hal.tambah(_h(ws, r, 8))
    return r + 1


def _daftar(ws: Worksheet, r: int, judul: str, butir: Sequence[str], lebar: Sequence[float], hal: _Halaman) -> int:
    """A heading and numbered lines with a hanging indent; the heading never ends a page alone."""
    n = len(lebar)
    u = UKURAN_TEKS
    isi_butir = [b for b in butir if str(b).strip()] or ["-"]
    awal_teks = 2 if n >= 2 else 1
    w_teks = sum(lebar[awal_teks - 1 :]) - PAD
    tinggi_judul = tinggi_teks(len(bungkus(judul, sum(lebar) - PAD, u, True)), u)
    tinggi_butir = [tinggi_teks(len(bungkus(str(t), w_teks, u)), u) for t in isi_butir]
    if not hal.muat(tinggi_judul + tinggi_butir[0]):
        hal.baru(r)
    isi(ws, r, 1, judul, Font(name=HURUF, size=u, bold=True), Alignment(vertical="top", wrap_text=True))
    gabung(ws, r, 1, n)
    hal.tambah(_h(ws, r, tinggi_judul))
    r += 1
    kiri = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for i, (teks, h) in enumerate(zip(isi_butir, tinggi_butir, strict=True), start=1):
        if not hal.muat(h):
            hal.baru(r)
        if awal_teks == 2:
            isi(ws, r, 1, f"{i}." if isi_butir != ["-"] else "", Font(name=HURUF, size=u),
                Alignment(horizontal="right", vertical="top"))
        isi(ws, r, awal_teks, teks, Font(name=HURUF, size=u), kiri)
        gabung(ws, r, awal_teks, n)
        hal.tambah(_h(ws, r, h))
        r += 1
    hal.tambah(_h(ws, r, 6))
    return r + 1


def _tanda_tangan(ws: Worksheet, r: int, data: DataDokumen, lebar: Sequence[float], hal: _Halaman) -> int:
    """"Disusun oleh," on the left, "Dievaluasi oleh," with place and date on the right; one page, never split."""
    n = len(lebar)
    total = sum(lebar)
    target = max(total * 0.3, 170.0)
    kiri_awal = 2 if n >= 4 else 1
    kiri_akhir = kiri_awal
    while kiri_akhir < n and sum(lebar[kiri_awal - 1 : kiri_akhir]) < target:
        kiri_akhir += 1
    kanan_awal = n
    while kanan_awal > 1 and sum(lebar[kanan_awal - 1 :]) < target:
        kanan_awal -= 1
    disusun, dievaluasi = Penanda(*data.disusun), Penanda(*data.dievaluasi)
    blok = [(kiri_awal, kiri_akhir, ["", "Disusun oleh,", disusun.jabatan], disusun),
            (kanan_awal, n, [data.tempat_tanggal, "Dievaluasi oleh,", dievaluasi.jabatan], dievaluasi)]
    if kanan_awal <= kiri_akhir:  # too few columns to stand side by side: one under the other
        blok = [(1, n, ["Disusun oleh,", disusun.jabatan], disusun),
                (1, n, [data.tempat_tanggal, "Dievaluasi oleh,", dievaluasi.jabatan], dievaluasi)]
    if blok[0][0] != 1:
        tinggi = tinggi_tanda_tangan([(sum(lebar[a - 1 : z]), atas, p) for a, z, atas, p in blok], UKURAN_TTD)
    else:
        tinggi = sum(tinggi_tanda_tangan([(total, atas, p)], UKURAN_TTD) for _, _, atas, p in blok)
    if not hal.muat(tinggi + 12):
        hal.baru(r)
    hal.tambah(_h(ws, r, 12))
    r += 1
    if blok[0][0] != 1:
        akhir = max(tanda_tangan(ws, r, awal, akhir, sum(lebar[awal - 1 : akhir]), atas, penanda, UKURAN_TTD)
                    for awal, akhir, atas, penanda in blok)
    else:
        akhir = r
        for awal, akhir_k, atas, penanda in blok:
            akhir = tanda_tangan(ws, akhir, awal, akhir_k, sum(lebar[awal - 1 : akhir_k]), atas, penanda, UKURAN_TTD)
    hal.tambah(tinggi)
    return akhir
