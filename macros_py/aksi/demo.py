"""`evkin demo DIR`: the SOP run on sample data, each action in its own unit of work as real users would."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from macros_py.aksi.dokumen import FOLDER_DOKUMEN
from macros_py.aksi.himpun import FOLDER_BUKTI, FOLDER_KIRIMAN, FOLDER_PERBAIKAN
from macros_py.aksi.inisialisasi import buat_master
from macros_py.aksi.langkah import eksekusi, selesaikan_langkah
from macros_py.aksi.laporan import persen
from macros_py.aksi.persiapan import FOLDER_FORMAT
from macros_py.aksi.registry import AKSI, jalankan
from macros_py.aksi.status import ringkasan_status
from macros_py.domain.errors import InputDitolak
from macros_py.io.book import write_table
from macros_py.io.files import remove_tree
from macros_py.io.unit_of_work import FileUnitOfWork
from macros_py.schema import Skema, muat_skema

AWAL_DEMO = datetime(2026, 10, 5, 8, 0)  # Monday after TW3 closes
KATA_SANDI_DEMO = "contoh-kata-sandi"  # the sample officials' keys only; a real office chooses its own


def folder_kunci(folder: Path) -> Path:
    """Where the demo keeps the sample officials' keys: beside the demo folder, never inside the workbook's."""
    folder = folder.resolve()
    return folder.parent / f"{folder.name}-kunci"


def sertifikat_ca(folder: Path) -> Path:
    """The demo kecamatan CA's public certificate (what a recipient trusts: `evkin verifikasi --percaya`)."""
    return folder.resolve() / "CA_Kecamatan_Mangkutana.pem"


def penanda(folder: Path, pengguna: str) -> Any:
    from macros_py.io.signing.keys import load_pkcs12

    return load_pkcs12(folder_kunci(folder) / f"{pengguna}.p12", KATA_SANDI_DEMO)
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
    for sub in (FOLDER_BUKTI, FOLDER_DOKUMEN, FOLDER_KIRIMAN, FOLDER_PERBAIKAN, FOLDER_FORMAT, "arsip", "kiriman"):
        remove_tree(master.parent / sub)  # the demo owns its folder: a previous run's sealed record goes too
    for berkas in (master, master.with_name(master.name + ".bak")):
        remove_tree(berkas)
    buat_master(master, 2026, "TW3", sebagai="kasubag", waktu=AWAL_DEMO - timedelta(minutes=30), info=info)
    info(f"[init] workbook dibuat: {master}")

    def aksi(sebagai: str, waktu: datetime, nama: str, **argumen: Any) -> Any:
        entri = AKSI[nama] if "." not in nama else next(a for a in AKSI[nama.split(".")[0]].anak
                                                          if a.nama == nama.split(".")[1])
        # The demo runs on the shipped sample Konfigurasi, whose names are marked "(contoh)": it alone may print
        # them on the document and letter (izinkan_contoh); any real run refuses them.
        return jalankan(entri, master, argumen, sebagai=sebagai, waktu=waktu, info=info, izinkan_contoh=True)

    # The sample officials' electronic signature keys, from a kecamatan CA made for the demo.
    kunci = folder_kunci(folder)
    remove_tree(kunci)
    remove_tree(sertifikat_ca(folder))
    kunci.mkdir(parents=True)
    ca = kunci / "ca.p12"
    t0 = AWAL_DEMO - timedelta(minutes=20)
    aksi("kasubag", t0, "kunci.buat-ca", p12=ca, pem=sertifikat_ca(folder), kata_sandi=KATA_SANDI_DEMO)
    for pengguna in ("camat", "sekcam", "kasubag"):
        aksi("kasubag", t0, "kunci.terbitkan", ca_p12=ca, ca_sandi=KATA_SANDI_DEMO, pengguna=pengguna,
             p12=kunci / f"{pengguna}.p12", kata_sandi=KATA_SANDI_DEMO)
    info(f"[kunci] CA kecamatan dan kunci contoh Camat, Sekretaris dan Kasubag di {kunci}")

    # The Kasubag types the indicator list into the Daftar Indikator sheet (as in Excel: no action, no log).
    with FileUnitOfWork(master, info=info) as uow:
        write_table(uow.book, skema.tabel("indikator"), contoh["indikator"])
        uow.commit()

    t = AWAL_DEMO
    aksi("kasubag", t, "disposisi", nomor="005/112/Kec-Mkt/X/2026", tanggal="2026-10-05",
         dari="Camat Mangkutana selaku Pengguna Anggaran",
         isi="Susun evaluasi kinerja Triwulan III Tahun 2026 dan sampaikan ke Bupati melalui Bappelitbangda.")
    info("[langkah 1] disposisi dicatat")
    jumlah = aksi("kasubag", t + timedelta(minutes=55), "format")
    info(f"[langkah 2] format dibuat: {jumlah}")
    folder_format = folder / FOLDER_FORMAT
    catatan = aksi("kasubag", t + timedelta(minutes=68), "distribusi")
    info(f"[langkah 3] {len(catatan)} berkas format di {folder_format}")
    peserta = {"SEKRET": "Sekretaris Camat, Kasubag Perencanaan dan Keuangan", "PEM": "Kasi Pemerintahan",
               "TRANTIB": "Kasi Trantibum", "PMD": "Kasi PMD, Staf PMD", "KESOS": "Kasi Kesos",
               "PELAYANAN": "Kasi Pelayanan Umum"}
    aksi("kasubag", t + timedelta(minutes=68 + 200), "rapat", tanggal="2026-10-05", peserta=peserta,
         kesimpulan="Format disepakati; data dikirim paling lambat dua hari kerja.")
    info("[langkah 4] rapat koordinasi dicatat (melebihi mutu baku 180 menit)")

    # Each bidang fills its own file offline and sends it back.
    kiriman = folder / "kiriman"
    kiriman.mkdir()
    for c in catatan:
        asal = master.parent / c["berkas"]
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
    try:
        aksi("kasi_trantib", t5, "himpun", berkas=[trantib])
    except InputDitolak as e:
        info(f"[langkah 5] kiriman Trantibum DITOLAK (contoh): {e.pesan}")
        for m in e.masalah:
            info(f"    - {m}")
    isi_format(trantib, {"Jumlah kejadian gangguan ketentraman dan ketertiban umum": {"tw3_k": 2}}, skema)
    hasil = aksi("kasubag", t5 + timedelta(hours=3), "himpun", berkas=[kiriman])
    info(f"[langkah 5] {len(hasil.diterima)} kiriman diterima, {len(hasil.peringatan)} peringatan "
         f"(angka diketik sebagai teks dll.); belum mengirim: {hasil.belum_mengirim or 'tidak ada'}")
    waktu = t5 + timedelta(hours=4)
    with FileUnitOfWork(master, info=info) as uow:
        s = eksekusi(uow, lambda b, k: selesaikan_langkah(b, k, k.no("himpun")), sebagai="kasubag", waktu=waktu,
                     info=info)
        uow.commit()
    info(f"[langkah 5] selesai, durasi {s.durasi}")
    if sampai <= 5:
        return master

    ringkas = aksi("kasubag", waktu + timedelta(hours=5), "analisa")
    total = ringkas[-1]
    info(f"[langkah 6] analisa: rata-rata capaian kinerja unit {persen(total['rata_capaian_kinerja'])} "
         f"({total['predikat']}); anggaran {persen(total['rata_capaian_anggaran'])} ({total['predikat_anggaran']})")
    if sampai <= 6:
        return master
    waktu += timedelta(days=1)
    v1 = aksi("kasubag", waktu, "konsep")
    info(f"[langkah 7] konsep v{v1['versi']}: {v1['berkas']}")
    v2 = aksi("sekcam", waktu + timedelta(hours=3), "koreksi",
              catatan="Perbaiki uraian faktor penghambat Seksi Trantibum")
    info(f"[langkah 7] koreksi Sekretaris -> v{v2['versi']}: {v2['berkas']}")
    waktu += timedelta(hours=4)
    aksi("sekcam", waktu, "ajukan", penanda=penanda(folder, "sekcam"))
    info("[langkah 8] dokumen diparaf Sekretaris secara elektronik dan diajukan ke Camat")
    if sampai <= 8:
        return master
    waktu += timedelta(minutes=20)
    ttd = aksi("camat", waktu, "tandatangani", penanda=penanda(folder, "camat"))
    info(f"[langkah 9] ditandatangani Camat (versi {ttd['versi']}, sha256 {ttd['sha256'][:16]}...)")
    pdf = master.parent / ttd["berkas"]
    if pdf.suffix == ".pdf":
        shutil.copyfile(pdf, master.parent / "Dokumen_Evaluasi_Kinerja.pdf")
        info(f"PDF dokumen: {master.parent / 'Dokumen_Evaluasi_Kinerja.pdf'}")

    if sampai <= 9:
        return master
    waktu += timedelta(minutes=15)
    surat_ = aksi("kasubag", waktu, "surat")
    info(f"[langkah 10] surat pengantar nomor {surat_['nomor']}: {surat_['pdf'] or surat_['xlsx']}")
    if sampai <= 10:
        return master
    waktu += timedelta(minutes=10)
    rekaman = folder / "arsip" / "2026-TW3"
    segel = aksi("kasubag", waktu, "arsip", folder=rekaman, penanda=penanda(folder, "kasubag"))
    info(f"[langkah 11] dikirim dan diarsipkan; periode ditutup. Arsip tersegel: {rekaman.resolve()}")
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    data = ringkasan_status(OpenpyxlBook(load_workbook(master)), skema, waktu)
    info(f"Demo selesai. Workbook: {master.resolve()}")
    info(f"Arsip (rekaman resmi): {rekaman.resolve()}; sidik SHA-256 CA kecamatan: {segel['ca_sidik']}")
    info(f"Periksa dengan: evkin verifikasi {rekaman.resolve()} --percaya {sertifikat_ca(folder)}")
    for x in data["terlambat"]:
        info(f"  terlambat: langkah {x['no']} {x['keterangan']}")
    return master
