"""Step 10 and the letter register: nomor surat (gapless, never reused) and the numbered surat pengantar."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.dokumen import FOLDER_DOKUMEN, _pejabat
from macros_py.aksi.langkah import Konteks, _teks, langkah
from macros_py.domain import dokumen_versi, penomoran
from macros_py.domain.errors import LangkahDitolak, PenggunaanSalah
from macros_py.domain.periode import NAMA_PERIODE, tanggal_id
from macros_py.io.book import Book, append_rows, read_table, write_table

PERAN_PENOMORAN = ("kasubag_perencanaan", "sekretaris", "kepala")


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
    append_rows(book, tabel, [baris])
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


def versi_ditandatangani(book: Book, konteks: Konteks) -> dict[str, Any]:
    return dokumen_versi.versi_ditandatangani(read_table(book, konteks.skema.tabel("revisi")))


def perihal_surat(konteks: Konteks) -> str:
    konf = konteks.konfigurasi
    return f"Penyampaian Dokumen Evaluasi Kinerja {NAMA_PERIODE.get(konf.periode, konf.periode)} {konf.tahun}"


def nomor_surat_pengantar(book: Book, konteks: Konteks) -> str:
    """The number of step 10's own letter (not merely the last number taken: `nomor` may have been used since)."""
    register = [r for r in read_table(book, konteks.skema.tabel("penomoran"))
                if r["status"] != penomoran.STATUS_BATAL and _teks(r["perihal"]) == perihal_surat(konteks)]
    if not register:
        raise LangkahDitolak(f"Surat pengantar belum dibuat (langkah {konteks.no('surat')}): jalankan dulu evkin surat")
    return _teks(register[-1]["nomor_surat"])


def data_surat(book: Book, konteks: Konteks, nomor_surat: str, tujuan: str, alamat_tujuan: str):
    from macros_py.aksi.konfigurasi import pengaturan_cetak
    from macros_py.io.output.print_layout import DataSurat

    konf = konteks.konfigurasi
    p = konf.pengaturan
    versi = versi_ditandatangani(book, konteks)
    kepala = _pejabat(konteks, "kepala")
    cetak = pengaturan_cetak(book, konteks, konteks.folder)
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


def surat(book: Book, konteks: Konteks, tujuan: str | None = None, alamat_tujuan: str | None = None
          ) -> dict[str, Any]:
    """Step 10: number the cover letter and write it as a printable sheet, PDF and editable .docx beside the
    workbook (put in place once the master is saved)."""
    from macros_py.aksi.konfigurasi import berkas_konfigurasi, tolak_contoh
    from macros_py.io.book import LAYOUT
    from macros_py.io.output.pdf import available, to_pdf, warm_up
    from macros_py.io.output.print_common import workbook_cetak
    from macros_py.io.output.print_layout import write_surat_sheet
    from macros_py.io.output.surat_docx import write_surat_docx

    p = konteks.konfigurasi.pengaturan
    tujuan = (tujuan or _teks(p.get("tujuan_surat"))).strip()
    alamat_tujuan = (alamat_tujuan if alamat_tujuan is not None else _teks(p.get("alamat_tujuan"))).strip()
    if not tujuan:
        raise PenggunaanSalah("Tujuan surat wajib diisi (--tujuan, atau tujuan_surat di sheet Konfigurasi).")
    uow = konteks.uow
    assert uow is not None
    with langkah(book, konteks, "surat") as no:
        tolak_contoh(book, konteks, "Surat pengantar")
        warm_up()  # the Excel button: LibreOffice starts while the letter is written (the CLI has started it)
        template = berkas_konfigurasi(book, konteks, "template_surat", konteks.folder)
        konf = konteks.konfigurasi
        baris = nomor(book, konteks, perihal_surat(konteks), tujuan)
        data = data_surat(book, konteks, baris["nomor_surat"], tujuan, alamat_tujuan)
        nama_sheet = konteks.skema.sheet("surat").nama
        if LAYOUT in book.capabilities:
            write_surat_sheet(book.worksheet(nama_sheet), data)
        dasar = konteks.folder / FOLDER_DOKUMEN / f"Surat_Pengantar_{konf.tahun}_{konf.periode}"
        wb = workbook_cetak()
        wb.active.title = nama_sheet
        write_surat_sheet(wb.active, data)
        xlsx = uow.stage(dasar.with_suffix(".xlsx"))
        wb.save(xlsx)
        write_surat_docx(data, uow.stage(dasar.with_suffix(".docx")), template)
        hasil = {"nomor": baris["nomor_surat"], "xlsx": konteks.relatif(dasar.with_suffix(".xlsx")),
                 "docx": konteks.relatif(dasar.with_suffix(".docx")), "pdf": None}
        if available():
            to_pdf(xlsx, dasar.parent, tujuan=uow.stage(dasar.with_suffix(".pdf")))
            hasil["pdf"] = konteks.relatif(dasar.with_suffix(".pdf"))
        else:
            konteks.info("Perhatian: LibreOffice tidak ditemukan; PDF surat pengantar belum dibuat.")
        konteks.catat(no, "surat", f"surat pengantar {baris['nomor_surat']} kepada {tujuan}")
    return hasil
