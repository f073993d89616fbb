"""Steps 7–9: the Dokumen Evaluasi Kinerja as numbered versions (konsep, koreksi), its submission to the
Kepala (ajukan, kembalikan) and the signature that freezes it (tandatangani)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from macros_py.aksi.buka_ulang import buka_ulang
from macros_py.aksi.konfigurasi import tolak_contoh
from macros_py.aksi.langkah import Konteks, _teks, langkah, selesaikan_langkah, status_langkah
from macros_py.domain import dokumen_versi
from macros_py.domain.dokumen_versi import SAH, STATUS_DIAJUKAN, STATUS_DIKEMBALIKAN, STATUS_DITANDATANGANI
from macros_py.domain.errors import InputDitolak, LangkahDitolak, PenggunaanSalah
from macros_py.domain.sop import BERJALAN, SELESAI, Pelaku
from macros_py.io.book import LAYOUT, Book, read_table, read_table_rows, write_table
from macros_py.io.files import sha256_file

FOLDER_DOKUMEN = "dokumen"
def _pejabat(konteks: Konteks, peran: str) -> Pelaku:
    for p in konteks.konfigurasi.pejabat:
        if p.peran == peran:
            return p
    raise PenggunaanSalah(f"Tidak ada pejabat berperan {konteks.skema.nama_peran.get(peran, peran)} di Konfigurasi.")


def data_dokumen(book: Book, konteks: Konteks, versi: int):
    """Everything printed on the document (Formulir E.81), read from Rekap and Analisis (values, not formulas)."""
    from macros_py.aksi.dokumen_e81 import data_e81

    return data_e81(book, konteks, versi, konteks.folder)


def _terbitkan(book: Book, konteks: Konteks, catatan: str) -> dict[str, Any]:
    """Version N: the Dokumen sheet in the master (engines that lay out), a one-sheet .xlsx and its PDF beside the
    master — staged, and put in place only once the master is saved."""
    from macros_py.io.output.pdf import available, to_pdf, warm_up
    from macros_py.io.output.print_common import workbook_cetak
    from macros_py.io.output.print_layout import write_dokumen_sheet

    warm_up()  # the Excel button: LibreOffice starts while the document is laid out (the CLI has started it)
    skema = konteks.skema
    tabel = skema.tabel("revisi")
    riwayat = read_table(book, tabel)
    versi = dokumen_versi.versi_berikutnya(riwayat)
    data = data_dokumen(book, konteks, versi)
    nama_sheet = skema.sheet("dokumen").nama
    if LAYOUT in book.capabilities:  # the headless engine lays out the print-ready sheet inside the master too
        write_dokumen_sheet(book.worksheet(nama_sheet), data)
    wb = workbook_cetak()
    wb.active.title = nama_sheet
    tata = write_dokumen_sheet(wb.active, data)
    if tata.skala < 1:
        konteks.info(f"Perhatian: tabel dokumen lebih lebar dari kertas {data.kertas}; dicetak {tata.skala:.0%} (teks "
                     f"terkecil {tata.ukuran_terkecil:g} pt). Pilih ukuran_kertas A3 atau rp_dalam juta di "
                     "Konfigurasi.")
    konf = konteks.konfigurasi
    dasar = konteks.folder / FOLDER_DOKUMEN / f"Dokumen_Evaluasi_Kinerja_{konf.tahun}_{konf.periode}_v{versi}"
    uow = konteks.uow
    assert uow is not None
    xlsx = uow.stage(dasar.with_suffix(".xlsx"))
    wb.save(xlsx)
    berkas, sementara = dasar.with_suffix(".xlsx"), xlsx
    if available():
        berkas = dasar.with_suffix(".pdf")
        sementara = to_pdf(xlsx, berkas.parent, tujuan=uow.stage(berkas))
    else:
        konteks.info("Perhatian: LibreOffice tidak ditemukan; PDF belum dibuat (jalankan bash scripts/setup.sh).")
    baris: dict[str, Any] = {"versi": versi, "waktu": konteks.waktu, "oleh": konteks.pelaku.label(),
                             "catatan": catatan or "konsep awal", "berkas": konteks.relatif(berkas),
                             "sha256": sha256_file(sementara), "status": dokumen_versi.STATUS_KONSEP}
    write_table(book, tabel, [baris], mulai=len(read_table_rows(book, tabel)))
    konteks.catat(konteks.no("konsep"), "konsep" if versi == 1 else "koreksi",
                  f"versi {versi}: {berkas.name} (sha256 {baris['sha256'][:12]})" + (f"; {catatan}" if catatan else ""))
    return baris


def konsep(book: Book, konteks: Konteks) -> dict[str, Any]:
    """Step 7: the first version of the document (the step stays open for corrections)."""
    with langkah(book, konteks, "konsep", selesai=False):
        tolak_contoh(book, konteks, "Konsep dokumen")
        if read_table(book, konteks.skema.tabel("revisi")):
            raise LangkahDitolak("Konsep dokumen sudah ada; gunakan: evkin koreksi --catatan \"...\" untuk versi "
                                 "berikutnya.")
        return _terbitkan(book, konteks, "")


def koreksi(book: Book, konteks: Konteks, catatan: str) -> dict[str, Any]:
    """Step 7: a correction (by the Sekretaris) recorded as the next numbered version; history stays."""
    if not catatan.strip():
        raise PenggunaanSalah("Catatan koreksi wajib diisi (--catatan).")
    no = konteks.no("konsep")
    status = status_langkah(book, konteks.skema, no)
    if status.status != BERJALAN:
        raise LangkahDitolak(f"Koreksi hanya dapat dibuat selama langkah {no} berjalan (status sekarang: "
                             f"{status.status}).")
    with langkah(book, konteks, "konsep", selesai=False):
        tolak_contoh(book, konteks, "Koreksi dokumen")
        if not read_table(book, konteks.skema.tabel("revisi")):
            raise LangkahDitolak("Belum ada konsep dokumen; jalankan dulu: evkin konsep")
        return _terbitkan(book, konteks, catatan.strip())


def _ubah_status_versi(book: Book, konteks: Konteks, status: str) -> None:
    tabel = konteks.skema.tabel("revisi")
    write_table(book, tabel, dokumen_versi.dengan_status_terakhir(read_table(book, tabel), status))


def _catat_pengesahan(book: Book, konteks: Konteks, aksi: str, versi: dict[str, Any], status: str,
                      **tambahan: Any) -> None:
    tabel = konteks.skema.tabel("pengesahan")
    p = konteks.pelaku
    baris = {"waktu": konteks.waktu, "aksi": aksi, "versi": versi["versi"], "nama": p.nama, "nip": p.nip,
             "jabatan": p.jabatan, "sha256": versi["sha256"], "status": status, **tambahan}
    write_table(book, tabel, [baris], mulai=len(read_table_rows(book, tabel)))


def _versi_terakhir(book: Book, konteks: Konteks) -> dict[str, Any]:
    return dokumen_versi.versi_terakhir(read_table(book, konteks.skema.tabel("revisi")))


def _berkas_diajukan(book: Book, konteks: Konteks, versi: dict[str, Any]) -> Path:
    """The file the Kepala signs: the Sekretaris' paraf'd PDF of this version where there is one, else the version."""
    diajukan = [r for r in read_table(book, konteks.skema.tabel("pengesahan"))
                if r["aksi"] == "diajukan" and r["versi"] == versi["versi"]]
    if diajukan and _teks(diajukan[-1].get("berkas")):
        return periksa_berkas(konteks, diajukan[-1]["berkas"], diajukan[-1]["sha256_berkas"],
                              f"Dokumen versi {versi['versi']} yang diparaf")
    return periksa_berkas_versi(konteks, versi)


def periksa_berkas(konteks: Konteks, tercatat: Any, sha: Any, apa: str) -> Path:
    """A file the workbook recorded, found beside the workbook and byte-identical to what was recorded — else
    refused, never skipped."""
    path = konteks.lokasi(tercatat)
    if not path.is_file():
        raise InputDitolak(f"{apa} ({_teks(tercatat)}) tidak ditemukan di folder workbook ({konteks.folder}). "
                           "Kembalikan berkas itu ke tempatnya, atau terbitkan versi baru (evkin koreksi).")
    if _teks(sha) and sha256_file(path) != _teks(sha):
        raise InputDitolak(f"{apa} ({path.name}) berubah sejak dicatat (SHA-256 tidak cocok); tidak dapat diproses. "
                           "Kembalikan berkas aslinya, atau terbitkan versi baru.")
    return path


def periksa_berkas_versi(konteks: Konteks, versi: dict[str, Any]) -> Path:
    """The version's file, found beside the workbook and byte-identical to what was recorded — else refused."""
    return periksa_berkas(konteks, versi["berkas"], versi["sha256"], f"Berkas dokumen versi {versi['versi']}")


def ajukan(book: Book, konteks: Konteks, penanda: Any = None) -> dict[str, Any]:
    """Step 8: the current version goes to the Kepala; konsep/koreksi (step 7) ends here. Where the Sekretaris has a
    registered certificate, their paraf is a real PDF signature the Kepala's signature then follows."""
    from macros_py.aksi.kunci import penanda_sah

    versi = _versi_terakhir(book, konteks)
    pdf = periksa_berkas_versi(konteks, versi)
    no_konsep = konteks.no("konsep")
    if status_langkah(book, konteks.skema, no_konsep).status == BERJALAN:
        selesaikan_langkah(book, konteks, no_konsep)
    with langkah(book, konteks, "ajukan") as no:
        paraf = {}
        if konteks.pelaku.sertifikat or penanda is not None:
            penanda = penanda_sah(konteks, penanda, f"Paraf dokumen (langkah {no})", "ajukan", wajib_bila_tidak=False)
            paraf = _tanda_tangan_pdf(konteks, pdf, penanda, paraf=True)
        _ubah_status_versi(book, konteks, STATUS_DIAJUKAN)
        _catat_pengesahan(book, konteks, "diajukan", versi, f"menunggu persetujuan Kepala (versi {versi['versi']})",
                          **paraf)
        konteks.catat(no, "ajukan", f"versi {versi['versi']} diajukan ke Kepala (sha256 {versi['sha256'][:12]})"
                      + (f"; paraf elektronik {paraf['berkas']} (sertifikat {paraf['sertifikat']})" if paraf else ""))
    return {**versi, **paraf}


def kembalikan(book: Book, konteks: Konteks, catatan: str) -> dict[str, Any]:
    """The Kepala returns the submitted version for correction: step 7 reopens with the reason."""
    if konteks.pelaku.peran != "kepala":
        raise LangkahDitolak(
            f"Hanya Kepala yang dapat mengembalikan dokumen; {konteks.pelaku.label()} tidak berwenang."
        )
    if (status_langkah(book, konteks.skema, konteks.no("ajukan")).status != SELESAI
            or status_langkah(book, konteks.skema, konteks.no("tandatangani")).status == SELESAI):
        raise LangkahDitolak("Tidak ada dokumen yang sedang diajukan untuk dikembalikan.")
    versi = _versi_terakhir(book, konteks)
    buka_ulang(book, konteks, konteks.no("konsep"), f"dikembalikan Kepala: {catatan}")
    _ubah_status_versi(book, konteks, STATUS_DIKEMBALIKAN)
    _catat_pengesahan(book, konteks, "dikembalikan", versi, f"dikembalikan: {catatan.strip()}")
    return versi


def _tanda_tangan_pdf(konteks: Konteks, pdf: Path, penanda: Any, paraf: bool = False) -> dict[str, str]:
    """The PDF signed with the acting pejabat's key (PAdES, a visible box: the Kepala's in the signature block,
    the Sekretaris' paraf small beside the page number), as a new file beside it, put in place once the master
    is saved. A signed source keeps its signature (the new one is an incremental update)."""
    from macros_py.io.signing.keys import Pejabat
    from macros_py.io.signing.pades import sign_pdf
    from macros_py.io.signing.placement import kotak_paraf, kotak_tanda_tangan

    if pdf.suffix.lower() != ".pdf":
        raise PenggunaanSalah(f"Versi ini tidak memiliki PDF ({pdf.name}); tanda tangan elektronik memerlukan PDF. "
                              "Pasang LibreOffice, lalu terbitkan versi baru (evkin koreksi).")
    p, uow = konteks.pelaku, konteks.uow
    assert uow is not None
    dasar = pdf.stem.removesuffix("_paraf")
    tujuan = pdf.with_name(f"{dasar}_paraf.pdf" if paraf else f"{dasar}_ditandatangani.pdf")
    sementara = uow.stage(tujuan)
    halaman, kotak = kotak_paraf(pdf) if paraf else kotak_tanda_tangan(pdf, p.nama)
    unit = _teks(konteks.konfigurasi.pengaturan.get("unit"))
    sign_pdf(pdf, sementara, penanda, field_name="ParafSekretaris" if paraf else "TandaTanganKepala", page=halaman,
             box=kotak, pejabat=Pejabat(p.nama, p.nip, p.jabatan, unit),
             reason="Paraf Dokumen Evaluasi Kinerja" if paraf else "Pengesahan Dokumen Evaluasi Kinerja",
             location=_teks(konteks.konfigurasi.pengaturan.get("tempat")))
    return {"berkas": konteks.relatif(tujuan), "sha256_berkas": sha256_file(sementara),
            "sertifikat": penanda.fingerprint}


def tandatangani(book: Book, konteks: Konteks, penanda: Any = None) -> dict[str, Any]:
    """Step 9 (the Kepala only): name, NIP, time and the SHA-256 of the exact version signed — and, with the
    Kepala's registered key, a real PAdES signature in the PDF."""
    from macros_py.aksi.kunci import penanda_sah

    versi = _versi_terakhir(book, konteks)
    with langkah(book, konteks, "tandatangani") as no:
        tolak_contoh(book, konteks, "Tanda tangan")
        pdf = _berkas_diajukan(book, konteks, versi)
        penanda = penanda_sah(konteks, penanda, f"Tanda tangan dokumen (langkah {no})", "tandatangani")
        ttd = _tanda_tangan_pdf(konteks, pdf, penanda) if penanda is not None else {}
        _ubah_status_versi(book, konteks, STATUS_DITANDATANGANI)
        _catat_pengesahan(book, konteks, "ditandatangani", versi, SAH, **ttd)
        elektronik = (f"; PDF bertanda tangan elektronik {ttd['berkas']} (sha256 {ttd['sha256_berkas']}, sertifikat "
                      f"{ttd['sertifikat']})" if ttd else "")
        konteks.catat(no, "tandatangani", f"versi {versi['versi']} ditandatangani {konteks.pelaku.nama} NIP "
                                          f"{konteks.pelaku.nip}; sha256 {versi['sha256']}{elektronik}")
    return {**versi, **ttd}
