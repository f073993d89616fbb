"""Steps 7–9: the Dokumen Evaluasi Kinerja as numbered versions (konsep, koreksi), its submission to the
Kepala (ajukan, kembalikan) and the signature that freezes it (tandatangani)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from macros_py.aksi.konfigurasi import tolak_contoh
from macros_py.aksi.konteks import Konteks
from macros_py.aksi.sop import baca_status, buka_ulang, jalankan_langkah, selesaikan_langkah
from macros_py.domain.errors import LangkahDitolak, PenggunaanSalah
from macros_py.domain.sop import BERJALAN, SELESAI, Pelaku
from macros_py.io.arsip.seal import sha256_file
from macros_py.io.book import Book, read_table, read_table_rows, write_table

FOLDER_DOKUMEN = "dokumen"
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
NAMA_PERIODE = {"TW1": "Triwulan I", "TW2": "Triwulan II", "TW3": "Triwulan III", "TW4": "Triwulan IV",
                "S1": "Semester I", "S2": "Semester II", "TAHUNAN": "Tahunan"}
STATUS_KONSEP, STATUS_DIAJUKAN, STATUS_DIKEMBALIKAN, STATUS_DITANDATANGANI = (
    "konsep", "diajukan", "dikembalikan", "ditandatangani")
SAH = "sah"


def tanggal_id(hari: date) -> str:
    return f"{hari.day} {BULAN[hari.month - 1]} {hari.year}"


def _pejabat(konteks: Konteks, peran: str) -> Pelaku:
    for p in konteks.konfigurasi.pejabat:
        if p.peran == peran:
            return p
    raise PenggunaanSalah(f"Tidak ada pejabat berperan {konteks.skema.nama_peran.get(peran, peran)} di Konfigurasi.")


def _daftar(rekap: list[dict[str, Any]], key: str) -> list[str]:
    hasil: list[str] = []
    for r in rekap:
        teks = str(r.get(key) or "").strip()
        butir = f"{r['bidang']}: {teks}"
        if teks and teks not in ("-", "—") and butir not in hasil:
            hasil.append(butir)
    return hasil


def data_dokumen(book: Book, konteks: Konteks, versi: int, folder_master: Path | None = None):  # type: ignore[no-untyped-def]
    """Everything printed on the document (Formulir E.81), read from Rekap and Analisis (values, not formulas)."""
    from macros_py.aksi.dokumen_e81 import data_e81

    return data_e81(book, konteks, versi, folder_master or Path.cwd())


def _terbitkan(book: Book, konteks: Konteks, folder: Path, catatan: str,
               info: Callable[[str], None]) -> dict[str, Any]:
    """Write version N: the Dokumen sheet in the master, a one-sheet .xlsx and its PDF beside the master."""
    from macros_py.io.output.pdf import available, to_pdf
    from macros_py.io.output.print_common import workbook_cetak
    from macros_py.io.output.print_layout import write_dokumen_sheet
    from macros_py.io.unit_of_work import save_atomic

    skema = konteks.skema
    tabel = skema.tabel("revisi")
    riwayat = read_table(book, tabel)
    versi = len(riwayat) + 1
    data = data_dokumen(book, konteks, versi, folder.parent)
    nama_sheet = skema.sheet("dokumen").nama
    if hasattr(book, "wb"):  # the headless engine lays out the print-ready sheet inside the master too
        write_dokumen_sheet(book.wb[nama_sheet], data)
    folder.mkdir(parents=True, exist_ok=True)
    wb = workbook_cetak()
    wb.active.title = nama_sheet
    tata = write_dokumen_sheet(wb.active, data)
    if tata.skala < 1:
        info(f"Perhatian: tabel dokumen lebih lebar dari kertas {data.kertas}; dicetak {tata.skala:.0%} (teks "
             f"terkecil {tata.ukuran_terkecil:g} pt). Pilih ukuran_kertas A3 atau rp_dalam juta di Konfigurasi.")
    konf = konteks.konfigurasi
    xlsx = folder / f"Dokumen_Evaluasi_Kinerja_{konf.tahun}_{konf.periode}_v{versi}.xlsx"
    save_atomic(xlsx, wb.save, cadangan=False)
    berkas = xlsx
    if available():
        berkas = to_pdf(xlsx, folder)
    else:
        info("Perhatian: LibreOffice tidak ditemukan; PDF belum dibuat (jalankan bash scripts/setup.sh).")
    baris = {"versi": versi, "waktu": konteks.waktu, "oleh": konteks.pelaku.label(),
             "catatan": catatan or "konsep awal", "berkas": str(berkas), "sha256": sha256_file(berkas),
             "status": STATUS_KONSEP}
    write_table(book, tabel, [baris], mulai=len(read_table_rows(book, tabel)))
    konteks.catat(7, "konsep" if versi == 1 else "koreksi",
                  f"versi {versi}: {berkas.name} (sha256 {baris['sha256'][:12]})" + (f"; {catatan}" if catatan else ""))
    return baris


def konsep(book: Book, konteks: Konteks, folder: Path, info: Callable[[str], None] = print) -> dict[str, Any]:
    """Step 7: the first version of the document (the step stays open for corrections)."""
    def kerja() -> dict[str, Any]:
        tolak_contoh(book, konteks, "Konsep dokumen")
        if read_table(book, konteks.skema.tabel("revisi")):
            raise LangkahDitolak("Konsep dokumen sudah ada; gunakan: evkin koreksi --catatan \"...\" untuk versi "
                                 "berikutnya.")
        return _terbitkan(book, konteks, folder, "", info)

    return jalankan_langkah(book, konteks, 7, kerja, selesai=False)


def koreksi(book: Book, konteks: Konteks, folder: Path, catatan: str,
            info: Callable[[str], None] = print) -> dict[str, Any]:
    """Step 7: a correction (by the Sekretaris) recorded as the next numbered version; history stays."""
    if not catatan.strip():
        raise PenggunaanSalah("Catatan koreksi wajib diisi (--catatan).")

    def kerja() -> dict[str, Any]:
        tolak_contoh(book, konteks, "Koreksi dokumen")
        if not read_table(book, konteks.skema.tabel("revisi")):
            raise LangkahDitolak("Belum ada konsep dokumen; jalankan dulu: evkin konsep")
        return _terbitkan(book, konteks, folder, catatan.strip(), info)

    status = {s.no: s for s in baca_status(book, konteks.skema)}[7]
    if status.status != BERJALAN:
        raise LangkahDitolak("Koreksi hanya dapat dibuat selama langkah 7 berjalan (status sekarang: "
                             f"{status.status}).")
    return jalankan_langkah(book, konteks, 7, kerja, selesai=False)


def _versi_terakhir(book: Book, konteks: Konteks) -> dict[str, Any]:
    riwayat = read_table(book, konteks.skema.tabel("revisi"))
    if not riwayat:
        raise LangkahDitolak("Belum ada dokumen; jalankan dulu: evkin konsep")
    return riwayat[-1]


def _ubah_status_versi(book: Book, konteks: Konteks, status: str) -> None:
    tabel = konteks.skema.tabel("revisi")
    riwayat = read_table(book, tabel)
    riwayat[-1]["status"] = status
    write_table(book, tabel, riwayat)


def _catat_pengesahan(book: Book, konteks: Konteks, aksi: str, versi: dict[str, Any], status: str) -> None:
    tabel = konteks.skema.tabel("pengesahan")
    p = konteks.pelaku
    baris = {"waktu": konteks.waktu, "aksi": aksi, "versi": versi["versi"], "nama": p.nama, "nip": p.nip,
             "jabatan": p.jabatan, "sha256": versi["sha256"], "status": status}
    write_table(book, tabel, [baris], mulai=len(read_table_rows(book, tabel)))


def ajukan(book: Book, konteks: Konteks) -> dict[str, Any]:
    """Step 8: the current version goes to the Kepala; konsep/koreksi (step 7) ends here."""
    versi = _versi_terakhir(book, konteks)
    if {s.no: s for s in baca_status(book, konteks.skema)}[7].status == BERJALAN:
        selesaikan_langkah(book, konteks, 7)

    def kerja() -> dict[str, Any]:
        _ubah_status_versi(book, konteks, STATUS_DIAJUKAN)
        _catat_pengesahan(book, konteks, "diajukan", versi, f"menunggu persetujuan Kepala (versi {versi['versi']})")
        konteks.catat(8, "ajukan", f"versi {versi['versi']} diajukan ke Kepala (sha256 {versi['sha256'][:12]})")
        return versi

    return jalankan_langkah(book, konteks, 8, kerja)


def kembalikan(book: Book, konteks: Konteks, catatan: str) -> dict[str, Any]:
    """The Kepala returns the submitted version for correction: step 7 reopens with the reason."""
    if konteks.pelaku.peran != "kepala":
        raise LangkahDitolak(
            f"Hanya Kepala yang dapat mengembalikan dokumen; {konteks.pelaku.label()} tidak berwenang."
        )
    status = {s.no: s for s in baca_status(book, konteks.skema)}
    if status[8].status != SELESAI or status[9].status == SELESAI:
        raise LangkahDitolak("Tidak ada dokumen yang sedang diajukan untuk dikembalikan.")
    versi = _versi_terakhir(book, konteks)
    buka_ulang(book, konteks, 7, f"dikembalikan Kepala: {catatan}")
    _ubah_status_versi(book, konteks, STATUS_DIKEMBALIKAN)
    _catat_pengesahan(book, konteks, "dikembalikan", versi, f"dikembalikan: {catatan.strip()}")
    return versi


def tandatangani(book: Book, konteks: Konteks) -> dict[str, Any]:
    """Step 9 (the Kepala only): name, NIP, time and the SHA-256 of the exact version signed."""
    versi = _versi_terakhir(book, konteks)
    folder_ok = Path(str(versi["berkas"]))
    if folder_ok.exists() and sha256_file(folder_ok) != versi["sha256"]:
        raise LangkahDitolak(f"Berkas versi {versi['versi']} ({folder_ok.name}) berubah sejak diajukan; "
                             "tidak dapat ditandatangani. Kembalikan dan terbitkan versi baru.")

    def kerja() -> dict[str, Any]:
        tolak_contoh(book, konteks, "Tanda tangan")
        _ubah_status_versi(book, konteks, STATUS_DITANDATANGANI)
        _catat_pengesahan(book, konteks, "ditandatangani", versi, SAH)
        konteks.catat(9, "tandatangani", f"versi {versi['versi']} ditandatangani {konteks.pelaku.nama} NIP "
                                         f"{konteks.pelaku.nip}; sha256 {versi['sha256']}")
        return versi

    return jalankan_langkah(book, konteks, 9, kerja)


def batalkan_tanda_tangan(book: Book, konteks: Konteks, alasan: str) -> int:
    """Reopening signed work voids the signature visibly (status BATAL in Pengesahan); returns rows voided."""
    tabel = konteks.skema.tabel("pengesahan")
    baris = read_table(book, tabel)
    batal = 0
    for b in baris:
        if b["aksi"] == "ditandatangani" and b["status"] == SAH:
            b["status"] = f"BATAL: {alasan}"
            batal += 1
    if batal:
        write_table(book, tabel, baris)
        riwayat = read_table(book, konteks.skema.tabel("revisi"))
        write_table(book, konteks.skema.tabel("revisi"),
                    [dict(r, status=f"{STATUS_DITANDATANGANI} (batal)") if r["status"] == STATUS_DITANDATANGANI
                     else r for r in riwayat])
        konteks.catat(9, "tanda-tangan-batal", alasan)
    return batal
