"""`evkin demo DIR`: the SOP run on sample data, each action in its own unit of work as real users would."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from macros_py.aksi.analisis import analisa
from macros_py.aksi.dokumen import FOLDER_DOKUMEN, ajukan, konsep, koreksi, tandatangani
from macros_py.aksi.inisialisasi import buat_master
from macros_py.aksi.konteks import eksekusi
from macros_py.aksi.pengumpulan import FOLDER_BUKTI, buat_format, catat_disposisi, catat_rapat, distribusi, himpun
from macros_py.aksi.penutupan import arsip, surat
from macros_py.aksi.sop import ringkasan_status, selesaikan_langkah
from macros_py.domain.errors import InputDitolak
from macros_py.io.book import write_table
from macros_py.io.unit_of_work import ENGINE_FAST, ENGINE_OPENPYXL, FileUnitOfWork
from macros_py.schema import Skema, muat_skema

AWAL_DEMO = datetime(2026, 10, 5, 8, 0)  # Monday after TW3 closes
def data_contoh() -> dict[str, Any]:
    from macros_py.schema import _yaml, folder_data

    return _yaml(folder_data("contoh") / "data_contoh.yaml")


def isi_format(path: Path, isian: dict[str, dict[str, Any]], skema: Skema) -> None:
    """Fill a distributed template as a bidang would: only the input cells of the rows of its indicators."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    tabel = skema.tabel_bidang(ws.title)
    kolom_indikator = tabel.kolom_awal + tabel.indeks("indikator")
    for r in range(tabel.baris_data, ws.max_row + 1):
        nilai = isian.get(str(ws.cell(r, kolom_indikator).value or "").strip())
        for key, v in (nilai or {}).items():
            kolom = tabel.kolom[tabel.indeks(key)]
            assert kolom.input, key
            cell = ws.cell(r, tabel.kolom_awal + tabel.indeks(key))
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # typed text stays text, even "=> ..." (Excel's leading apostrophe)
    wb.save(path)


def jalankan_demo(folder: Path, info: Callable[[str], None] = print, sampai: int = 11) -> Path:
    """Run the SOP up to step `sampai` (11: all of it) and return the master's path."""
    skema = muat_skema()
    contoh = data_contoh()
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "Evaluasi_Kinerja.xlsx"
    for lama in (FOLDER_BUKTI, FOLDER_DOKUMEN):
        if (master.parent / lama).exists():
            shutil.rmtree(master.parent / lama)
    buat_master(master, 2026, "TW3", sebagai="kasubag", timpa=True, waktu=AWAL_DEMO - timedelta(minutes=30),
                info=info)
    info(f"[init] workbook dibuat: {master}")

    def aksi(sebagai: str, waktu: datetime, fungsi: Callable[..., Any], mesin: str = ENGINE_FAST) -> Any:
        # The demo runs on the shipped sample Konfigurasi, whose names are marked "(contoh)": it alone may print
        # them on the document and letter (izinkan_contoh); any real run refuses them.
        with FileUnitOfWork(master, info=info, mesin=mesin) as uow:
            hasil = eksekusi(uow.book, fungsi, sebagai=sebagai, waktu=waktu, info=info, izinkan_contoh=True)
            uow.simpan()
        return hasil

    # The Kasubag types the indicator list into the Daftar Indikator sheet (as in Excel: no action, no log).
    with FileUnitOfWork(master, info=info) as uow:
        write_table(uow.book, skema.tabel("indikator"), contoh["indikator"])
        uow.simpan()

    t = AWAL_DEMO
    aksi("kasubag", t, lambda b, k: catat_disposisi(
        b, k, "005/112/Kec-Mkt/X/2026", "2026-10-05", "Camat Mangkutana selaku Pengguna Anggaran",
        "Susun evaluasi kinerja Triwulan III Tahun 2026 dan sampaikan ke Bupati melalui Bappelitbangda."))
    info("[langkah 1] disposisi dicatat")
    jumlah = aksi("kasubag", t + timedelta(minutes=55), lambda b, k: buat_format(b, k))
    info(f"[langkah 2] format dibuat: {jumlah}")
    folder_format = folder / "format_bidang"
    catatan = aksi("kasubag", t + timedelta(minutes=68), lambda b, k: distribusi(b, k, folder_format))
    info(f"[langkah 3] {len(catatan)} berkas format di {folder_format}")
    peserta = {"SEKRET": "Sekretaris Camat, Kasubag Perencanaan dan Keuangan", "PEM": "Kasi Pemerintahan",
               "TRANTIB": "Kasi Trantibum", "PMD": "Kasi PMD, Staf PMD", "KESOS": "Kasi Kesos",
               "PELAYANAN": "Kasi Pelayanan Umum"}
    aksi("kasubag", t + timedelta(minutes=68 + 200), lambda b, k: catat_rapat(
        b, k, "2026-10-05", peserta, "Format disepakati; data dikirim paling lambat dua hari kerja."))
    info("[langkah 4] rapat koordinasi dicatat (melebihi mutu baku 180 menit)")

    # Each bidang fills its own file offline and sends it back.
    kiriman = folder / "kiriman"
    if kiriman.exists():
        shutil.rmtree(kiriman)
    kiriman.mkdir()
    for c in catatan:
        asal = Path(c["berkas"])
        kode = asal.stem.rsplit("_", 1)[-1]
        tujuan = kiriman / asal.name
        shutil.copyfile(asal, tujuan)
        isi_format(tujuan, contoh["isian"][kode], skema)
    (kiriman / "Laporan_Evaluasi_TW3.pdf").write_bytes(b"%PDF-1.4\n% contoh bukti dukung\n")
    (kiriman / "Rekap_PATEN_TW3.pdf").write_bytes(b"%PDF-1.4\n% contoh bukti dukung\n")

    if sampai <= 4:
        return master
    # First a typing error from Trantibum: rejected, nothing written; then the corrected file.
    trantib = next(kiriman.glob("*_TRANTIB.xlsx"))
    salah = {"Jumlah kejadian gangguan ketentraman dan ketertiban umum": {"tw3_k": -2}}
    isi_format(trantib, salah, skema)
    t5 = t + timedelta(days=1, hours=1)
    bukti = master.parent / FOLDER_BUKTI / "2026-TW3"
    try:
        aksi("kasi_trantib", t5, lambda b, k: himpun(b, k, [trantib], bukti))
    except InputDitolak as e:
        info(f"[langkah 5] kiriman Trantibum DITOLAK (contoh): {e.pesan}")
        for m in e.masalah:
            info(f"    - {m}")
    isi_format(trantib, {"Jumlah kejadian gangguan ketentraman dan ketertiban umum": {"tw3_k": 2}}, skema)
    hasil = aksi("kasubag", t5 + timedelta(hours=3), lambda b, k: himpun(b, k, [kiriman], bukti))
    info(f"[langkah 5] {len(hasil.diterima)} kiriman diterima, {len(hasil.peringatan)} peringatan "
         f"(angka diketik sebagai teks dll.); belum mengirim: {hasil.belum_mengirim or 'tidak ada'}")
    waktu = t5 + timedelta(hours=4)
    s = aksi("kasubag", waktu, lambda b, k: selesaikan_langkah(b, k, 5))
    info(f"[langkah 5] selesai, durasi {s.durasi}")
    if sampai <= 5:
        return master

    folder_dokumen = master.parent / FOLDER_DOKUMEN
    ringkas = aksi("kasubag", waktu + timedelta(hours=5), analisa)
    total = ringkas[-1]
    info(f"[langkah 6] analisa: rata-rata capaian kinerja unit {total['rata_capaian_kinerja']}% "
         f"({total['predikat']}); anggaran {total['rata_capaian_anggaran']}% ({total['predikat_anggaran']})")
    if sampai <= 6:
        return master
    waktu += timedelta(days=1)
    v1 = aksi("kasubag", waktu, lambda b, k: konsep(b, k, folder_dokumen, info=info), ENGINE_OPENPYXL)
    info(f"[langkah 7] konsep v{v1['versi']}: {v1['berkas']}")
    v2 = aksi("sekcam", waktu + timedelta(hours=3), lambda b, k: koreksi(
        b, k, folder_dokumen, "Perbaiki uraian faktor penghambat Seksi Trantibum", info=info), ENGINE_OPENPYXL)
    info(f"[langkah 7] koreksi Sekretaris -> v{v2['versi']}: {v2['berkas']}")
    waktu += timedelta(hours=4)
    aksi("sekcam", waktu, ajukan)
    info("[langkah 8] dokumen diajukan ke Camat")
    waktu += timedelta(minutes=20)
    ttd = aksi("camat", waktu, tandatangani)
    info(f"[langkah 9] ditandatangani Camat (versi {ttd['versi']}, sha256 {ttd['sha256'][:16]}...)")
    pdf = Path(ttd["berkas"])
    if pdf.suffix == ".pdf":
        shutil.copyfile(pdf, master.parent / "Dokumen_Evaluasi_Kinerja.pdf")
        info(f"PDF dokumen: {master.parent / 'Dokumen_Evaluasi_Kinerja.pdf'}")

    if sampai <= 9:
        return master
    waktu += timedelta(minutes=15)
    surat_ = aksi("kasubag", waktu, lambda b, k: surat(b, k, folder_dokumen, info=info), ENGINE_OPENPYXL)
    info(f"[langkah 10] surat pengantar nomor {surat_['nomor']}: {surat_['pdf'] or surat_['xlsx']}")
    if sampai <= 10:
        return master
    waktu += timedelta(minutes=10)
    rekaman = folder / "arsip" / "2026-TW3"
    if rekaman.exists():
        shutil.rmtree(rekaman)
    aksi("kasubag", waktu, lambda b, k: arsip(b, k, rekaman, master.parent), ENGINE_OPENPYXL)
    info(f"[langkah 11] dikirim dan diarsipkan; periode ditutup. Arsip tersegel: {rekaman.resolve()}")
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    data = ringkasan_status(OpenpyxlBook(load_workbook(master)), skema, waktu)
    info(f"Demo selesai. Workbook: {master.resolve()}")
    info(f"Arsip (rekaman resmi): {rekaman.resolve()} — periksa dengan: evkin verifikasi {rekaman}")
    for x in data["terlambat"]:
        info(f"  terlambat: langkah {x['no']} {x['keterangan']}")
    return master
