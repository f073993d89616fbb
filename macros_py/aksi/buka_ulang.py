"""Reopening a finished SOP step (`evkin buka-ulang`, and the Kepala's `kembalikan`): the steps after it are reset,
and a signature over work that is reopened is voided visibly."""

from __future__ import annotations

from macros_py.aksi.langkah import Konteks, baca_status, tulis_status
from macros_py.domain import dokumen_versi
from macros_py.domain.errors import LangkahDitolak
from macros_py.domain.sop import PERAN_PENGAWAS, SELESAI, StatusLangkah
from macros_py.io.book import Book, read_table, write_table

PERAN_SESUDAH_TTD = ("kasubag_perencanaan", *PERAN_PENGAWAS)  # who may void the Kepala's signature by reopening


def batalkan_tanda_tangan(book: Book, konteks: Konteks, alasan: str) -> int:
    """Status BATAL in Pengesahan and "(batal)" in Revisi for every valid signature; returns how many."""
    skema = konteks.skema
    pengesahan, revisi = skema.tabel("pengesahan"), skema.tabel("revisi")
    baris, versi, batal = dokumen_versi.batalkan_tanda_tangan(read_table(book, pengesahan), read_table(book, revisi),
                                                              alasan)
    if batal:
        write_table(book, pengesahan, baris)
        write_table(book, revisi, versi)
        konteks.catat(konteks.no("tandatangani"), "tanda-tangan-batal", alasan)
        konteks.info(f"Tanda tangan dokumen dibatalkan ({alasan}); dokumen harus ditandatangani ulang.")
    return batal


def buka_ulang(book: Book, konteks: Konteks, no: int, alasan: str) -> list[StatusLangkah]:
    """Reopen a finished step; reopening signed work (the signing step or before) voids the signature visibly."""
    sebelum = baca_status(book, konteks.skema)
    ttd = konteks.no("tandatangani")
    ditandatangani = {s.no: s for s in sebelum}[ttd].status == SELESAI
    if ditandatangani and no <= ttd and konteks.pelaku.peran not in PERAN_SESUDAH_TTD:
        raise LangkahDitolak(f"Dokumen sudah ditandatangani Kepala; membuka ulang langkah {no} membatalkan tanda "
                             "tangan itu, sehingga hanya Kasubag Perencanaan, Sekretaris atau Kepala yang dapat "
                             f"melakukannya. {konteks.pelaku.label()}: hubungi Kasubag Perencanaan.")
    berubah = konteks.mesin.buka_ulang(sebelum, no, konteks.pelaku, konteks.waktu, alasan)
    tulis_status(book, konteks.skema, berubah)
    if no <= ttd and ditandatangani:
        batalkan_tanda_tangan(book, konteks, f"langkah {no} dibuka ulang: {alasan.strip()}")
    ikut = [str(s.no) for s in berubah[1:]]
    rincian = f"alasan: {alasan.strip()}" + (f"; langkah diulang: {', '.join(ikut)}" if ikut else "")
    konteks.catat(no, "buka-ulang", rincian)
    return berubah
