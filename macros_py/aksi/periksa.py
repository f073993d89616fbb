"""`evkin periksa`: a doctor for the master — schema version, sheets and headers, SOP order, Log chain,
letter register, stray formulas in data areas, content a headless save would refuse, Konfigurasi values still
marked "(contoh)", a broken Kriteria Predikat table — each problem explained in Indonesian with where to look."""

from __future__ import annotations

import itertools
from pathlib import Path

from macros_py.aksi.konfigurasi import masalah_contoh
from macros_py.aksi.langkah import _teks, baca_konfigurasi, baca_status, verifikasi_log
from macros_py.domain.errors import PenggunaanSalah
from macros_py.domain.penomoran import FORMAT_BAKU, baca_lingkup, periksa_register
from macros_py.domain.sop import BELUM, SELESAI
from macros_py.io.book import read_table
from macros_py.schema import Skema, Tabel, muat_skema

JENIS_DATA = ("sop", "rekap", "analisis", "penomoran", "log", "penerimaan", "distribusi", "revisi", "pengesahan")


def _tabel_data(skema: Skema, bidang_sheet: list[str], label_predikat: tuple[str, ...]) -> list[Tabel]:
    tabel = [skema.tabel_analisis(label_predikat) if jenis == "analisis" else t
             for jenis in JENIS_DATA for t in skema.sheet(jenis).tabel]
    return tabel + [skema.tabel_bidang(s) for s in bidang_sheet]


def periksa(path: Path, skema: Skema | None = None) -> list[str]:
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.preserve import inventory

    skema = skema or muat_skema()
    masalah: list[str] = []
    try:
        wb = load_workbook(path)
    except Exception as e:
        return [f"Workbook tidak dapat dibuka ({type(e).__name__}: {e}). Pulihkan dari cadangan {path.name}.bak."]
    book = OpenpyxlBook(wb, path)
    if "Konfigurasi" not in wb.sheetnames:
        return ["Sheet Konfigurasi tidak ada: workbook ini bukan workbook induk evkin (atau sheet itu terhapus)."]
    konf = baca_konfigurasi(book, skema)
    versi = _teks(konf.pengaturan.get("versi_skema"))
    if versi != str(skema.versi_skema):
        masalah.append(f"Konfigurasi: versi skema workbook {versi or '(kosong)'}, program ini memakai versi "
                       f"{skema.versi_skema}. Buat workbook baru dengan evkin init --lanjut.")
    bidang_sheet = [b["sheet"] for b in konf.bidang]
    wajib = [s.nama for s in skema.sheets if s.jenis != "bidang"] + bidang_sheet
    for nama in wajib:
        if nama not in wb.sheetnames:
            masalah.append(f"Sheet '{nama}' tidak ada (terhapus atau berganti nama).")
    masalah += konf.kriteria_masalah
    label = konf.kriteria_baca.label if konf.kriteria_baca is not None else skema.kriteria_baku.label
    for t in _tabel_data(skema, bidang_sheet, label):
        if t.sheet not in wb.sheetnames:
            continue
        judul = book.read(t.sheet, t.header_row, t.kolom_awal, len(t.kolom), 1)[0]
        for j, (k, ada) in enumerate(zip(t.kolom, judul, strict=True)):
            if _teks(ada) != k.judul:
                from macros_py.domain.validasi import huruf_kolom

                masalah.append(f"Sheet '{t.sheet}' sel {huruf_kolom(t.kolom_awal + j)}{t.header_row}: judul kolom "
                               f"'{_teks(ada)}' seharusnya '{k.judul}'.")
                break
        ws = wb[t.sheet]
        for baris in ws.iter_rows(min_row=t.baris_data, min_col=t.kolom_awal, max_col=t.kolom_awal + len(t.kolom) - 1):
            for c in baris:
                if c.data_type == "f":
                    masalah.append(f"Sheet '{t.sheet}' sel {c.coordinate}: berisi rumus ({c.value}); area data "
                                   "hanya boleh berisi nilai. Ganti dengan nilainya.")
    if "SOP" in wb.sheetnames:
        status = baca_status(book, skema)
        for a, b in itertools.pairwise(status):
            if a.status == BELUM and b.status == SELESAI:
                masalah.append(f"Sheet SOP: langkah {b.no} selesai padahal langkah {a.no} belum dimulai — "
                               "urutan diubah di luar evkin.")
    if "Log" in wb.sheetnames:
        masalah += [m.pesan for m in verifikasi_log(book, skema)]
    masalah += masalah_contoh(book, skema)
    if "Penomoran" in wb.sheetnames:
        pola = _teks(konf.pengaturan.get("format_nomor")) or FORMAT_BAKU
        try:
            lingkup = baca_lingkup(konf.pengaturan.get("lingkup_nomor"))
            masalah += [f"Penomoran: {m}" for m in periksa_register(read_table(book, skema.tabel("penomoran")), pola,
                                                                    lingkup)]
        except PenggunaanSalah as e:
            masalah.append(f"Konfigurasi: {e.pesan}")
    asing = {k: v for k, v in inventory(path).items() if k not in ("grafik", "gambar", "komentar", "tabel")}
    for kategori, bagian in asing.items():
        masalah.append(f"Workbook berisi {kategori} ({', '.join(sorted(set(bagian))[:3])}): simpan tanpa Excel "
                       "akan ditolak agar isi itu tidak hilang.")
    return masalah
