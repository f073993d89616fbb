"""Builds the master workbook from `sheets_schema/` — never laid out by hand."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from macros_py.domain.sop import BELUM
from macros_py.io.cell_format import FORMAT_ANGKA, FORMAT_TANGGAL, FORMAT_WAKTU
from macros_py.schema import Skema, SpecSheet, Tabel

TANDA_PELAKSANA = "●"


def identitas_template(tahun: int, periode: str, kode_bidang: str, versi: int) -> str:
    """Identity printed in every template so an import can tell a wrong or stale file."""
    return f"EVKIN-{tahun}-{periode}-{kode_bidang}-v{versi}"


def nama_sheet_bidang(skema: Skema) -> list[str]:
    return [b["sheet"] for b in skema.organisasi["bidang"]]


def _isi_pengaturan(skema: Skema, spec: SpecSheet, tahun: int, periode: str,
                    tersegel: tuple[int, ...] = ()) -> dict[str, Any]:
    """Every Pengaturan value of a new master: the period, the schema's versions, the counters, and for the rest
    organisasi.yaml's value or else the `baku` of the key in sheets.yaml."""
    nilai = {b["kunci"]: skema.organisasi.get(b["kunci"], b.get("baku", "")) for b in spec.ekstra["pengaturan"]}
    nilai.update({"tahun": tahun, "periode": periode, "versi_skema": skema.versi_skema,
                  "versi_template": skema.versi_template, "format_dibuat": "", "periode_ditutup": "",
                  "log_jumlah": 0, "log_hash_terakhir": "",
                  "triwulan_tersegel": ",".join(map(str, tersegel)), "rekaman_tersegel": ""})
    return nilai


class _Gaya:
    def __init__(self, skema: Skema) -> None:
        g = skema.gaya
        self.judul = Font(bold=True, size=14, color=g["judul_font"])
        self.header_font = Font(bold=True, color=g["header_font"])
        self.header_fill = PatternFill("solid", fgColor=g["header_fill"])
        self.input_fill = PatternFill("solid", fgColor=g["input_fill"])
        self.terlambat = PatternFill("solid", fgColor=g["terlambat_fill"])
        self.selesai = PatternFill("solid", fgColor=g["selesai_fill"])
        self.berjalan = PatternFill("solid", fgColor=g["berjalan_fill"])
        tipis = Side(style="thin", color="999999")
        self.garis = Border(left=tipis, right=tipis, top=tipis, bottom=tipis)


def _header(ws: Worksheet, tabel: Tabel, gaya: _Gaya) -> None:
    for j, kolom in enumerate(tabel.kolom):
        cell = ws.cell(row=tabel.header_row, column=tabel.kolom_awal + j, value=kolom.judul)
        cell.font = gaya.header_font
        cell.fill = gaya.header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = gaya.garis
        ws.column_dimensions[get_column_letter(tabel.kolom_awal + j)].width = kolom.lebar
    if tabel.judul and tabel.header_row > 1:
        ws.cell(row=tabel.header_row - 1, column=tabel.kolom_awal, value=tabel.judul).font = Font(bold=True)
    ws.row_dimensions[tabel.header_row].height = 45


def _judul(ws: Worksheet, teks: str, gaya: _Gaya) -> None:
    ws.cell(row=1, column=1, value=teks).font = gaya.judul


def _tulis_baris(ws: Worksheet, tabel: Tabel, baris: list[dict[str, Any]]) -> None:
    for i, b in enumerate(baris):
        for j, key in enumerate(tabel.keys):
            ws.cell(row=tabel.baris_data + i, column=tabel.kolom_awal + j, value=b.get(key))


def _panduan(ws: Worksheet, skema: Skema, tahun: int, periode: str, gaya: _Gaya) -> None:
    from macros_py.schema import _yaml

    teks = _yaml(skema.folder / "panduan.yaml")
    isian = {"unit": skema.organisasi["unit"], "tahun": tahun, "periode": periode,
             "kriteria_predikat": skema.kriteria_baku.teks()}
    baris: list[tuple[str, Font | None]] = [(teks["judul"].format(**isian), gaya.judul)]
    for bagian in teks["bagian"]:
        baris += [("", None), (bagian["judul"], Font(bold=True, size=12))]
        baris += [(p.format(**isian), None) for p in bagian["isi"]]
    baris += [("", None), ("Langkah SOP dan mutu baku", Font(bold=True, size=12))]
    for lk in skema.langkah:
        pelaksana = ", ".join(skema.nama_peran[p] for p in lk.pelaksana)
        baris.append((f"{lk.no}. {lk.uraian} — pelaksana: {pelaksana}; mutu baku: {lk.kelengkapan}, "
                      f"{lk.waktu.teks()}, output: {lk.output}.", None))
    tabel = skema.tabel("bidang")
    baris += [("", None), ("Kolom format pengumpulan data (sel kuning diisi bidang)", Font(bold=True, size=12))]
    for k in tabel.kolom:
        aturan = []
        if k.key in skema.kolom_referensi:
            aturan.append("diisi dari Daftar Indikator, terkunci")
        if k.wajib:
            aturan.append("wajib")
        if k.tipe == "angka":
            aturan.append("angka" + (f" >= {k.min:g}" if k.min is not None else ""))
        if k.pilihan:
            aturan.append("pilihan: " + " / ".join(k.pilihan))
        baris.append((f"{k.judul}" + (f" ({', '.join(aturan)})" if aturan else ""), None))
    for i, (t, font) in enumerate(baris, start=1):
        cell = ws.cell(row=i, column=1, value=t)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
    ws.column_dimensions["A"].width = 110


def _konfigurasi(ws: Worksheet, spec: SpecSheet, skema: Skema, tahun: int, periode: str, gaya: _Gaya,
                 tersegel: tuple[int, ...]) -> None:
    _judul(ws, spec.judul, gaya)
    nilai = _isi_pengaturan(skema, spec, tahun, periode, tersegel)
    isi = {
        "pengaturan": [{"kunci": p["kunci"], "nilai": nilai[p["kunci"]], "keterangan": p["keterangan"]}
                       for p in spec.ekstra["pengaturan"]],
        "pejabat": list(skema.organisasi["pejabat"]),
        "bidang": list(skema.organisasi["bidang"]),
        "hari_libur": [],
        "kriteria": list(skema.organisasi.get("kriteria_predikat", [])),
    }
    for tabel in spec.tabel:
        _header(ws, tabel, gaya)
        _tulis_baris(ws, tabel, isi[tabel.key])
        for j, kolom in enumerate(tabel.kolom):
            if kolom.tipe == "tanggal":
                for r in range(tabel.baris_data, tabel.baris_data + 50):
                    ws.cell(row=r, column=tabel.kolom_awal + j).number_format = FORMAT_TANGGAL
    pejabat = spec.tabel_("pejabat")
    kolom_peran = get_column_letter(pejabat.kolom_awal + pejabat.indeks("peran"))
    dv = DataValidation(type="list", formula1='"' + ",".join(skema.nama_peran) + '"', allow_blank=True,
                        error="Pilih salah satu peran yang tersedia.", errorTitle="Peran tidak dikenal")
    dv.add(f"{kolom_peran}{pejabat.baris_data}:{kolom_peran}{pejabat.baris_data + 99}")
    ws.add_data_validation(dv)
    pengaturan = spec.tabel_("pengaturan")
    kolom_nilai = get_column_letter(pengaturan.kolom_awal + pengaturan.indeks("nilai"))
    for i, p in enumerate(spec.ekstra["pengaturan"]):
        if p.get("pilihan"):
            dv = DataValidation(type="list", formula1='"' + ",".join(p["pilihan"]) + '"', allow_blank=True,
                                error=f"Pilih: {', '.join(p['pilihan'])}.", errorTitle=p["kunci"])
            dv.add(f"{kolom_nilai}{pengaturan.baris_data + i}")
            ws.add_data_validation(dv)
    kriteria = spec.tabel_("kriteria")
    for r in range(kriteria.baris_data, kriteria.baris_data + 10):
        for j in range(len(kriteria.kolom)):
            cell = ws.cell(row=r, column=kriteria.kolom_awal + j)
            cell.fill = gaya.input_fill
            cell.border = gaya.garis
    ws.freeze_panes = "A4"


def _sop(ws: Worksheet, spec: SpecSheet, skema: Skema, tahun: int, periode: str, gaya: _Gaya) -> None:
    _judul(ws, spec.judul, gaya)
    ws.cell(row=2, column=1, value=f"{skema.organisasi['unit']} — periode {periode} {tahun}")
    tabel = spec.tabel[0]
    _header(ws, tabel, gaya)
    baris = []
    for lk in skema.langkah:
        b: dict[str, Any] = {"no": lk.no, "uraian": lk.uraian, "kelengkapan": lk.kelengkapan,
                             "waktu": lk.waktu.teks(), "output": lk.output, "status": BELUM}
        for peran in skema.sop["kolom_pelaksana"]:
            b[f"pelaksana_{peran}"] = TANDA_PELAKSANA if peran in lk.pelaksana else None
        baris.append(b)
    _tulis_baris(ws, tabel, baris)
    akhir = tabel.baris_data + len(baris) - 1
    kiri, kanan = get_column_letter(tabel.kolom_awal), get_column_letter(tabel.kolom_awal + len(tabel.kolom) - 1)
    for r in range(tabel.baris_data, akhir + 1):
        ws.row_dimensions[r].height = 32
        for j, kolom in enumerate(tabel.kolom):
            cell = ws.cell(row=r, column=tabel.kolom_awal + j)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="center" if kolom.key.startswith("pelaksana_") else None)
            cell.border = gaya.garis
            if kolom.tipe == "waktu":
                cell.number_format = FORMAT_WAKTU
    area = f"{kiri}{tabel.baris_data}:{kanan}{akhir}"
    sesuai = get_column_letter(tabel.kolom_awal + tabel.indeks("sesuai_mutu_baku"))
    status = get_column_letter(tabel.kolom_awal + tabel.indeks("status"))
    r0 = tabel.baris_data
    ws.conditional_formatting.add(area, FormulaRule(formula=[f'${sesuai}{r0}="Tidak"'], fill=gaya.terlambat))
    ws.conditional_formatting.add(f"{status}{r0}:{status}{akhir}",
                                  FormulaRule(formula=[f'${status}{r0}="Selesai"'], fill=gaya.selesai))
    ws.conditional_formatting.add(f"{status}{r0}:{status}{akhir}",
                                  FormulaRule(formula=[f'${status}{r0}="Berjalan"'], fill=gaya.berjalan))
    ws.freeze_panes = ws.cell(row=tabel.baris_data, column=3)


def _area_input(ws: Worksheet, tabel: Tabel, gaya: _Gaya, n_baris: int, terkunci: tuple[str, ...] = ()) -> None:
    """Input cells: unlocked, shaded, validated (numbers >= min, lists) as the schema says. Columns in
    `terkunci` stay locked and unshaded (a bidang sheet's reference columns, owned by the format)."""
    r0, r1 = tabel.baris_data, tabel.baris_data + n_baris - 1
    for j, kolom in enumerate(tabel.kolom):
        huruf = get_column_letter(tabel.kolom_awal + j)
        if kolom.key in terkunci:
            for r in range(r0, r1 + 1):
                cell = ws.cell(row=r, column=tabel.kolom_awal + j)
                cell.border = gaya.garis
                if kolom.tipe == "angka":
                    cell.number_format = FORMAT_ANGKA
            continue
        for r in range(r0, r1 + 1):
            cell = ws.cell(row=r, column=tabel.kolom_awal + j)
            cell.border = gaya.garis
            if kolom.input:
                cell.fill = gaya.input_fill
                cell.protection = Protection(locked=False)
            if kolom.tipe == "angka":
                cell.number_format = FORMAT_ANGKA
        if kolom.pilihan:
            dv = DataValidation(type="list", formula1='"' + ",".join(kolom.pilihan) + '"', allow_blank=True,
                                error=f"Pilih: {', '.join(kolom.pilihan)}.", errorTitle=kolom.judul)
        elif kolom.tipe in ("angka", "bulat"):
            jenis = "decimal" if kolom.tipe == "angka" else "whole"
            dv = DataValidation(type=jenis, operator="greaterThanOrEqual", allow_blank=True,
                                formula1=str(kolom.min if kolom.min is not None else 0),
                                error="Isi dengan angka >= 0.", errorTitle=kolom.judul)
        else:
            continue
        dv.showErrorMessage = True
        dv.add(f"{huruf}{r0}:{huruf}{r1}")
        ws.add_data_validation(dv)


def _bidang(ws: Worksheet, spec: SpecSheet, skema: Skema, bidang: dict[str, Any], tahun: int, periode: str,
            gaya: _Gaya, versi: int, tersegel: tuple[int, ...] = ()) -> None:
    _judul(ws, f"{spec.judul} — {bidang['nama']}", gaya)
    kepala = spec.ekstra["kepala"]
    isi = {"unit": skema.organisasi["unit"], "periode": f"{periode} {tahun}", "bidang": bidang["nama"],
           "kode_bidang": bidang["kode"],
           "identitas": identitas_template(tahun, periode, bidang["kode"], versi)}
    for i, f in enumerate(kepala["isian"]):
        ws.cell(row=kepala["baris_awal"] + i, column=kepala["kolom_label"], value=f["judul"]).font = Font(bold=True)
        ws.cell(row=kepala["baris_awal"] + i, column=kepala["kolom_nilai"], value=isi[f["key"]])
    tabel = skema.tabel_bidang(ws.title)
    _header(ws, tabel, gaya)
    r0 = tabel.baris_data
    # Only the input columns are open: the reference columns are the format's (filled from Daftar Indikator),
    # and so are the realisasi of earlier triwulan carried from the sealed record (`tersegel`).
    _area_input(ws, tabel, gaya, tabel.baris_input,
                terkunci=skema.kolom_referensi + skema.kolom_tersegel(tersegel))
    ws.freeze_panes = ws.cell(row=r0, column=tabel.kolom_awal + tabel.indeks("indikator") + 1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _tabel_biasa(ws: Worksheet, spec: SpecSheet, gaya: _Gaya) -> None:
    _judul(ws, spec.judul, gaya)
    for tabel in spec.tabel:
        _header(ws, tabel, gaya)
        for j, kolom in enumerate(tabel.kolom):
            if kolom.tipe == "waktu":
                huruf = get_column_letter(tabel.kolom_awal + j)
                ws.column_dimensions[huruf].number_format = FORMAT_WAKTU
    ws.freeze_panes = ws.cell(row=spec.tabel[0].baris_data, column=1)


def _grafik(ws: Worksheet, spec: SpecSheet, skema: Skema, n_bidang: int) -> int:
    """Charts over the Analisis summary (rows: the bidang, then the unit total), side by side below the table so
    they print on the page with it. Returns the last row they cover."""
    from openpyxl.chart import BarChart, Reference

    tabel = spec.tabel[0]
    r0 = tabel.baris_data
    baris_grafik = r0 + n_bidang + 2
    lebar_tabel = sum(k.lebar for k in tabel.kolom)
    kolom_awal = [tabel.kolom_awal, tabel.kolom_awal]
    separuh = 0.0
    for j, k in enumerate(tabel.kolom):  # the second chart starts at the column nearest the middle
        if separuh >= lebar_tabel / 2:
            kolom_awal[1] = tabel.kolom_awal + j
            break
        separuh += k.lebar
    for i, g in enumerate(spec.ekstra.get("grafik", [])):
        chart = BarChart()
        chart.title = g["judul"]
        chart.height = 7.5
        chart.width = min(15.0, lebar_tabel / 2 * 0.19)  # cm; about 0.19 cm per width unit, inside its half
        keys = [k for key in g["kolom"] for k in (skema.kriteria_baku.kunci if key == "per_predikat" else [key])]
        kolom = [tabel.kolom_awal + tabel.indeks(k) for k in keys]
        if g["jenis"] == "batang_total":  # one bar per predikat, for the unit-total row
            r_total = r0 + n_bidang
            data = Reference(ws, min_col=kolom[0], max_col=kolom[-1], min_row=r_total, max_row=r_total)
            kategori = Reference(ws, min_col=kolom[0], max_col=kolom[-1], min_row=tabel.header_row)
            chart.add_data(data, from_rows=True, titles_from_data=False)
            chart.legend = None
        else:  # horizontal bars: the bidang names read across, inside the chart
            chart.type = "bar"
            chart.height = 9.0
            chart.legend.position = "b"
            for kol in kolom:
                chart.add_data(Reference(ws, min_col=kol, min_row=tabel.header_row, max_row=r0 + n_bidang - 1),
                               titles_from_data=True)
            kategori = Reference(ws, min_col=tabel.kolom_awal, min_row=r0, max_row=r0 + n_bidang - 1)
        chart.set_categories(kategori)
        ws.add_chart(chart, f"{get_column_letter(kolom_awal[i % 2])}{baris_grafik}")
    return baris_grafik + 19  # 9 cm of 15-point rows


def _atur_cetak(ws: Worksheet, spec: SpecSheet, skema: Skema, akhir: int | None = None) -> None:
    """Every sheet prints sensibly: paper from Konfigurasi's default, landscape, one page wide, table header
    repeated, print area where the table's extent is known (SOP, Analisis with its charts)."""
    from macros_py.io.output.print_common import KERTAS, atur_kertas

    baku = next((b.get("baku") for b in skema.sheet("konfigurasi").ekstra["pengaturan"]
                 if b["kunci"] == "ukuran_kertas"), "F4")
    atur_kertas(ws, KERTAS[str(skema.organisasi.get("ukuran_kertas", baku))], spec.jenis != "panduan")
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.oddFooter.left.text = f"{ws.title}".replace("&", "&&")
    ws.oddFooter.right.text = "Halaman &P dari &N"
    if not spec.tabel or spec.jenis == "konfigurasi":
        return
    tabel = spec.tabel[0]
    ws.print_title_rows = f"{tabel.header_row}:{tabel.header_row}"
    if akhir:  # tables that grow print their used range (openpyxl cannot write a whole-column print area)
        ws.print_area = f"A1:{get_column_letter(tabel.kolom_awal + len(tabel.kolom) - 1)}{akhir}"


def build_workbook(skema: Skema, tahun: int, periode: str, tersegel: tuple[int, ...] = ()) -> Workbook:
    """A fresh master for one period, every sheet laid out from the schema (the Log is still empty).
    `tersegel`: the triwulan whose realisasi come from the previous period's sealed record (locked)."""
    gaya = _Gaya(skema)
    wb = Workbook()
    wb.remove(wb.active)
    for spec in skema.sheets:
        if spec.jenis == "bidang":
            for bidang in skema.organisasi["bidang"]:
                ws = wb.create_sheet(bidang["sheet"])
                _bidang(ws, spec, skema, bidang, tahun, periode, gaya, skema.versi_template, tersegel)
                _atur_cetak(ws, spec, skema)
            continue
        ws = wb.create_sheet(spec.nama)
        if spec.jenis == "panduan":
            _panduan(ws, skema, tahun, periode, gaya)
        elif spec.jenis == "konfigurasi":
            _konfigurasi(ws, spec, skema, tahun, periode, gaya, tersegel)
        elif spec.jenis == "sop":
            _sop(ws, spec, skema, tahun, periode, gaya)
        elif not spec.tabel:
            _judul(ws, spec.judul, gaya)
        else:
            _tabel_biasa(ws, spec, gaya)
        if spec.jenis == "log":
            ws.protection.sheet = True
        if spec.jenis == "indikator":
            _area_input(ws, spec.tabel[0], gaya, 200)
        akhir = None
        if spec.jenis == "analisis":
            akhir = _grafik(ws, spec, skema, len(skema.organisasi["bidang"]))
        elif spec.jenis == "sop":
            akhir = spec.tabel[0].baris_data + len(skema.langkah) - 1
        _atur_cetak(ws, spec, skema, akhir)
    wb.properties.creator = "evkin"
    wb.properties.title = f"Evaluasi Kinerja {skema.organisasi['unit']} {periode} {tahun}"
    return wb


def build_format_bidang(skema: Skema, tahun: int, periode: str, versi: int, bidang: dict[str, Any],
                         baris: list[list[Any]], tersegel: tuple[int, ...] = ()) -> Workbook:
    """The standalone template one bidang fills offline: its sheet exactly as in the master, prefilled."""
    wb = Workbook()
    ws = wb.active
    ws.title = bidang["sheet"]
    _bidang(ws, skema.sheet("bidang"), skema, bidang, tahun, periode, _Gaya(skema), versi, tersegel)
    _atur_cetak(ws, skema.sheet("bidang"), skema)
    tabel = skema.tabel_bidang(ws.title)
    for i, nilai in enumerate(baris):
        for j, v in enumerate(nilai):
            ws.cell(row=tabel.baris_data + i, column=tabel.kolom_awal + j, value=v)
    wb.properties.creator = "evkin"
    wb.properties.title = f"Format Evaluasi Kinerja {bidang['nama']} {periode} {tahun}"
    return wb
