"""Steps 10–11 and after: letter numbers, the surat pengantar, the sealed record, and roll-up of records."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from macros_py.aksi.dokumen import FOLDER_DOKUMEN, NAMA_PERIODE, STATUS_DITANDATANGANI, _pejabat, tanggal_id
from macros_py.aksi.konteks import Konteks, _teks, tulis_log, tulis_pengaturan
from macros_py.aksi.sop import jalankan_langkah
from macros_py.domain import penomoran
from macros_py.domain.errors import InputDitolak, LangkahDitolak, PenggunaanSalah
from macros_py.io.book import Book, read_table, read_table_rows, write_table

PERAN_PENOMORAN = ("kasubag_perencanaan", "sekretaris", "kepala")
FOLDER_ARSIP_BUKTI = "bukti_dukung"


def _periksa_peran_nomor(konteks: Konteks) -> None:
    if konteks.pelaku.peran not in PERAN_PENOMORAN:
        raise LangkahDitolak(f"{konteks.pelaku.label()} tidak berwenang mengambil atau membatalkan nomor surat.")


def nomor(book: Book, konteks: Konteks, perihal: str, tujuan: str, kode: str | None = None) -> dict[str, Any]:
    """Allocate the next letter number of its counter (per year, or per year and kode klasifikasi as Konfigurasi
    says): gapless, never reused (the master's lock serializes). ``kode``: another kode klasifikasi than the
    Konfigurasi's."""
    _periksa_peran_nomor(konteks)
    p = konteks.konfigurasi.pengaturan
    tabel = konteks.skema.tabel("penomoran")
    register = read_table(book, tabel)
    baris = penomoran.alokasi(register, konteks.waktu, perihal, tujuan, konteks.pelaku.label(),
                              _teks(p.get("format_nomor")) or penomoran.FORMAT_BAKU,
                              _teks(kode) or _teks(p.get("kode_klasifikasi")), _teks(p.get("kode_unit")),
                              penomoran.baca_lingkup(p.get("lingkup_nomor")))
    write_table(book, tabel, [baris], mulai=len(read_table_rows(book, tabel)))
    konteks.catat("", "nomor", f"{baris['nomor_surat']}: {perihal} — kepada {tujuan}")
    return baris


def batal_nomor(book: Book, konteks: Konteks, nomor_surat: str, alasan: str) -> dict[str, Any]:
    """Cancel a number: it stays in the register as "batal" and is never reused."""
    _periksa_peran_nomor(konteks)
    tabel = konteks.skema.tabel("penomoran")
    register = read_table(book, tabel)
    baru = penomoran.batalkan(register, nomor_surat, alasan)
    register = [baru if r["nomor_surat"] == baru["nomor_surat"] else r for r in register]
    write_table(book, tabel, register)
    konteks.catat("", "nomor-batal", f"{baru['nomor_surat']} dibatalkan: {alasan}")
    return baru


def _versi_ditandatangani(book: Book, konteks: Konteks) -> dict[str, Any]:
    riwayat = [r for r in read_table(book, konteks.skema.tabel("revisi")) if r["status"] == STATUS_DITANDATANGANI]
    if not riwayat:
        raise LangkahDitolak("Belum ada dokumen yang ditandatangani Kepala (langkah 9).")
    return riwayat[-1]


def data_surat(book: Book, konteks: Konteks, nomor_surat: str, tujuan: str, alamat_tujuan: str,  # type: ignore[no-untyped-def]
               folder_master: Path | None = None):
    from macros_py.aksi.konfigurasi import pengaturan_cetak
    from macros_py.io.output.print_layout import DataSurat

    konf = konteks.konfigurasi
    p = konf.pengaturan
    versi = _versi_ditandatangani(book, konteks)
    kepala = _pejabat(konteks, "kepala")
    cetak = pengaturan_cetak(book, konteks, folder_master or Path.cwd())
    periode = f"{NAMA_PERIODE.get(konf.periode, konf.periode)} Tahun {konf.tahun}"
    return DataSurat(
        pemerintah=str(p["pemerintah"]).upper(), unit=str(p["unit"]).upper(), alamat=str(p.get("alamat") or ""),
        tempat_tanggal=f"{p.get('tempat') or ''}, {tanggal_id(konteks.waktu.date())}", tujuan=tujuan,
        alamat_tujuan=alamat_tujuan, nomor=nomor_surat,
        daftar=[(f"Dokumen Evaluasi Kinerja {periode} (versi {versi['versi']}, telah ditandatangani)",
                 "1 (satu) berkas", "Disampaikan dengan hormat untuk diketahui dan dipergunakan seperlunya")],
        jabatan=kepala.jabatan, nama=kepala.nama, nip=kepala.nip,
        kertas=cetak.kertas, logo=cetak.logo,
    )


def surat(book: Book, konteks: Konteks, folder: Path, tujuan: str | None = None, alamat_tujuan: str | None = None,
          info: Callable[[str], None] = print) -> dict[str, Any]:
    """Step 10: number the cover letter and write it as a printable sheet, PDF and editable .docx."""
    from macros_py.aksi.konfigurasi import berkas_konfigurasi, tolak_contoh
    from macros_py.io.output.pdf import available, to_pdf
    from macros_py.io.output.print_common import workbook_cetak
    from macros_py.io.output.print_layout import write_surat_sheet
    from macros_py.io.output.surat_docx import write_surat_docx
    from macros_py.io.unit_of_work import save_atomic

    p = konteks.konfigurasi.pengaturan
    tujuan = (tujuan or _teks(p.get("tujuan_surat"))).strip()
    alamat_tujuan = (alamat_tujuan if alamat_tujuan is not None else _teks(p.get("alamat_tujuan"))).strip()
    if not tujuan:
        raise PenggunaanSalah("Tujuan surat wajib diisi (--tujuan).")

    def kerja() -> dict[str, Any]:
        tolak_contoh(book, konteks, "Surat pengantar")
        template = berkas_konfigurasi(book, konteks, "template_surat", folder.parent)
        konf = konteks.konfigurasi
        perihal = f"Penyampaian Dokumen Evaluasi Kinerja {NAMA_PERIODE.get(konf.periode, konf.periode)} {konf.tahun}"
        baris = nomor(book, konteks, perihal, tujuan)
        data = data_surat(book, konteks, baris["nomor_surat"], tujuan, alamat_tujuan, folder.parent)
        nama_sheet = konteks.skema.sheet("surat").nama
        if hasattr(book, "wb"):
            write_surat_sheet(book.wb[nama_sheet], data)
        folder.mkdir(parents=True, exist_ok=True)
        dasar = f"Surat_Pengantar_{konf.tahun}_{konf.periode}"
        wb = workbook_cetak()
        wb.active.title = nama_sheet
        write_surat_sheet(wb.active, data)
        xlsx = folder / f"{dasar}.xlsx"
        save_atomic(xlsx, wb.save, cadangan=False)
        docx = write_surat_docx(data, folder / f"{dasar}.docx", template)
        hasil = {"nomor": baris["nomor_surat"], "xlsx": str(xlsx), "docx": str(docx), "pdf": None}
        if available():
            hasil["pdf"] = str(to_pdf(xlsx, folder))
        else:
            info("Perhatian: LibreOffice tidak ditemukan; PDF surat pengantar belum dibuat.")
        konteks.catat(10, "surat", f"surat pengantar {baris['nomor_surat']} kepada {tujuan}")
        return hasil

    return jalankan_langkah(book, konteks, 10, kerja)


def arsip(book: Book, konteks: Konteks, folder: Path, folder_master: Path, tujuan: str | None = None) -> Path:
    """Step 11: record the delivery, close the period, and seal the record folder.

    The record holds a frozen copy of the workbook (values only, every sheet protected, read-only), the signed
    document and the surat pengantar (PDF, docx), the bukti dukung, and a manifest of every file's SHA-256 with
    the Log's last hash — so anyone can verify it later with `evkin verifikasi DIR`. It is built in a staging
    folder and renamed into place whole, so a killed run never leaves a half-sealed record.
    """
    from macros_py.io.arsip.seal import freeze_workbook, verify_seal, write_manifest
    from macros_py.io.unit_of_work import save_atomic

    if not hasattr(book, "wb"):
        raise PenggunaanSalah("Arsip dibuat dari baris perintah (evkin arsip), bukan dari Excel.")
    konf = konteks.konfigurasi
    p = konf.pengaturan
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PenggunaanSalah(f"Folder arsip {folder} sudah berisi berkas; pilih folder baru yang kosong.")
    tujuan = (tujuan or _teks(p.get("tujuan_surat"))).strip()
    register = [r for r in read_table(book, konteks.skema.tabel("penomoran")) if r["status"] != penomoran.STATUS_BATAL]
    nomor_surat = register[-1]["nomor_surat"] if register else ""
    panggung = folder.with_name(f".{folder.name}.sementara")
    if panggung.exists():
        shutil.rmtree(panggung)
        konteks.info(f"Folder arsip sementara sisa proses yang terhenti dihapus: {panggung.name}")

    def kerja() -> Path:
        panggung.mkdir(parents=True)
        versi = _versi_ditandatangani(book, konteks)
        salin = [Path(str(versi["berkas"]))]
        salin += sorted((folder_master / FOLDER_DOKUMEN).glob(f"Surat_Pengantar_{konf.tahun}_{konf.periode}.*"))
        for asal in salin:
            if asal.exists():
                shutil.copyfile(asal, panggung / asal.name)
        for b in read_table(book, konteks.skema.tabel("bukti")):
            asal = Path(_teks(b["lokasi"]))
            if b["status"] == "disimpan" and asal.is_file():
                tujuan_bukti = panggung / FOLDER_ARSIP_BUKTI / asal.parent.name / asal.name
                tujuan_bukti.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(asal, tujuan_bukti)
        tabel = konteks.skema.tabel("pengiriman")
        write_table(book, tabel, [{"waktu": konteks.waktu, "tujuan": tujuan, "nomor_surat": nomor_surat,
                                   "arsip": str(folder), "oleh": konteks.pelaku.label()}],
                    mulai=len(read_table_rows(book, tabel)))
        tulis_pengaturan(book, konteks.skema, {"periode_ditutup": konteks.waktu.isoformat(sep=" ")})
        konteks.catat(11, "arsip", f"dikirim kepada {tujuan} dengan surat {nomor_surat}; arsip di {folder}")
        return folder

    hasil = jalankan_langkah(book, konteks, 11, kerja)
    tulis_log(book, konteks)  # the sealed copy must carry the final log rows
    sementara = panggung / ".workbook-sementara.xlsx"
    save_atomic(sementara, book.wb.save, cadangan=False)
    freeze_workbook(sementara, panggung / f"Evaluasi_Kinerja_{konf.tahun}_{konf.periode}_ARSIP.xlsx")
    sementara.unlink()
    pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, konteks.skema.sheet("konfigurasi")
                                                                         .tabel_("pengaturan"))}
    write_manifest(panggung, {
        "unit": _teks(p.get("unit")), "tahun": konf.tahun, "periode": konf.periode,
        "log_jumlah": pengaturan.get("log_jumlah"), "log_hash_terakhir": pengaturan.get("log_hash_terakhir"),
        "dibuat_oleh": konteks.pelaku.label(), "waktu": konteks.waktu.isoformat(sep=" "), "tujuan": tujuan,
        "nomor_surat": nomor_surat,
    })
    masalah = verify_seal(panggung)
    if masalah:
        raise InputDitolak("Arsip yang baru dibuat tidak lolos verifikasi.", masalah)
    if folder.exists():
        folder.rmdir()
    panggung.rename(folder)
    return hasil


def verifikasi_rekaman(folder: Path) -> list[str]:
    """A sealed record: every file against the manifest, then the frozen workbook's Log chain and last hash."""
    import json

    from openpyxl import load_workbook

    from macros_py.aksi.sop import verifikasi_log
    from macros_py.io.arsip.seal import MANIFEST_NAME, verify_seal
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.schema import muat_skema

    masalah = verify_seal(folder)
    if masalah:
        return masalah
    info = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["info"]
    for wb_path in sorted(folder.glob("*_ARSIP.xlsx")):
        book = OpenpyxlBook(load_workbook(wb_path, read_only=False))
        masalah += [f"{wb_path.name}: {m.pesan}" for m in verifikasi_log(book, muat_skema())]
        konf = {_teks(r["kunci"]): _teks(r["nilai"]) for r in read_table(
            book, muat_skema().sheet("konfigurasi").tabel_("pengaturan"))}
        if konf.get("log_hash_terakhir") != _teks(info.get("log_hash_terakhir")):
            masalah.append(f"{wb_path.name}: hash Log terakhir tidak sama dengan yang tercatat di manifest.")
    return masalah


def rollup(rekaman: Sequence[Path], keluar: Path) -> dict[str, Any]:
    """Verify each record, then consolidate their Rekap into one summary workbook with the same analysis."""
    from openpyxl import Workbook, load_workbook

    from macros_py.aksi.analisis import hitung
    from macros_py.aksi.konteks import baca_konfigurasi
    from macros_py.io.arsip.seal import MANIFEST_HASH_NAME
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.unit_of_work import save_atomic
    from macros_py.schema import muat_skema

    skema = muat_skema()
    semua: list[dict[str, Any]] = []
    unit: list[str] = []
    segel: set[bytes] = set()
    kriteria = None
    for folder in rekaman:
        masalah = verifikasi_rekaman(folder)
        if masalah:
            raise InputDitolak(f"Arsip {folder} tidak utuh; rollup dibatalkan.", masalah)
        cap = (folder / MANIFEST_HASH_NAME).read_bytes()
        if cap in segel:
            raise InputDitolak(f"Arsip {folder} diberikan dua kali; datanya tidak boleh terhitung ganda.")
        segel.add(cap)
        wb_path = next(folder.glob("*_ARSIP.xlsx"))
        book = OpenpyxlBook(load_workbook(wb_path, read_only=False))
        pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, skema.sheet("konfigurasi")
                                                                          .tabel_("pengaturan"))}
        milik = baca_konfigurasi(book, skema).kriteria
        if kriteria is not None and milik != kriteria:
            raise InputDitolak(f"Arsip {folder} memakai kriteria predikat lain ({milik.teks()}) daripada arsip "
                               f"sebelumnya ({kriteria.teks()}); predikatnya tidak dapat digabung.")
        kriteria = milik
        nama = f"{_teks(pengaturan.get('unit'))} ({_teks(pengaturan.get('periode'))} {_teks(pengaturan.get('tahun'))})"
        if nama in unit:  # the same unit twice (e.g. two demo records) stays apart
            nama = f"{nama} #{sum(u.startswith(nama) for u in unit) + 1}"
        unit.append(nama)
        semua += [dict(r, unit=nama) for r in read_table(book, skema.tabel("rekap"))]
        periode = _teks(pengaturan.get("periode"))
    # the same analysis, with each unit in the place of a bidang
    kriteria = kriteria or skema.kriteria_baku
    baris, ringkas = hitung([dict(r, bidang_asal=r["bidang"], bidang=r["unit"]) for r in semua], periode, unit,
                            kriteria)
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    kolom = ["unit", "bidang_asal", *[k for k in skema.tabel("rekap").keys if k != "bidang"]]
    judul = {k.key: k.judul for k in skema.tabel("rekap").kolom}
    ws.append([{"unit": "Unit", "bidang_asal": "Bidang"}.get(k, judul.get(k, k)) for k in kolom])
    for b in baris:
        ws.append([b.get(k) for k in kolom])
    ws2 = wb.create_sheet("Analisis")
    kolom2 = skema.tabel_analisis(kriteria.label).kolom
    ws2.append(["Unit" if k.key == "bidang" else k.judul for k in kolom2])
    for r in ringkas:
        ws2.append([r.get(k.key) for k in kolom2])
    keluar.parent.mkdir(parents=True, exist_ok=True)
    save_atomic(keluar, wb.save, cadangan=False)
    return {"unit": unit, "baris": len(baris), "ringkasan": ringkas}
