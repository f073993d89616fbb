"""`evkin init --lanjut`: what a new period takes from the previous one.

Always: the indicator list (Daftar Indikator) and, within the same year, the letter register (the counter
continues). From a sealed record — an archive folder made by step 11 (its seal is checked first: every file
against MANIFEST.json) or its frozen workbook (``*_ARSIP.xlsx``; a workbook whose period was closed) — also the
realisasi the record accepted for the earlier triwulan of the same year (``domain.tersegel``): carried per
indicator into Daftar Indikator, locked in every bidang sheet and template, compared on intake, and changed only
with ``evkin koreksi-realisasi``. From the sealed record that closed the previous year (TW4 or TAHUNAN), the
Realisasi Renstra s.d. tahun lalu of each indicator (sheets.yaml ``dari_tahun_lalu``), recorded and corrected the
same way; from anything else, a list carried into another year leaves that column empty for the Kasubag to fill
(last year's "s.d. tahun lalu" is not this year's). A workbook of a period still open is no record: only the list
is carried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from macros_py.aksi.langkah import SEBELUM_SOP, Konteks, _teks, tulis_pengaturan
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.tersegel import (
    bawa_realisasi,
    kunci_indikator,
    renstra_dibawa,
    teks_triwulan,
    triwulan_dibawa,
)
from macros_py.io.book import Book, read_table, write_table
from macros_py.schema import Skema


@dataclass
class PeriodeLalu:
    """The previous period's workbook, opened (values only), and what it is."""

    path: Path
    book: Book
    tahun: int
    periode: str
    ditutup: bool  # its period was closed and archived: a sealed record
    sha256: str

    def triwulan_untuk(self, tahun: int, periode: str) -> tuple[int, ...]:
        """The triwulan a new period takes from this one (none unless it is a sealed record)."""
        return triwulan_dibawa(self.tahun, self.periode, tahun, periode) if self.ditutup else ()

    def renstra_untuk(self, tahun: int) -> bool:
        """Whether a new year takes Realisasi Renstra s.d. tahun lalu from this one (a sealed record closing the
        year before)."""
        return self.ditutup and renstra_dibawa(self.tahun, self.periode, tahun)

    def rekaman(self) -> str:
        """How Konfigurasi and the Log name this record: its file and SHA-256."""
        return f"{self.path.name} (sha256 {self.sha256})"


def _workbook_arsip(folder: Path) -> Path:
    """The frozen workbook of an archive folder, once its seal holds."""
    from macros_py.io.arsip.seal import verify_seal

    masalah = verify_seal(folder)
    if masalah:
        raise InputDitolak(f"Arsip {folder} tidak utuh; realisasi triwulan sebelumnya tidak dibawa dari arsip yang "
                           "segelnya rusak. Periksa dengan: evkin verifikasi " + str(folder), masalah)
    beku = sorted(folder.glob("*_ARSIP.xlsx"))
    if len(beku) != 1:
        raise PenggunaanSalah(f"Folder {folder} bukan arsip periode (harus berisi tepat satu salinan beku "
                              f"*_ARSIP.xlsx; ada {len(beku)}).")
    return beku[0]


def buka_periode_lalu(lama: Path, skema: Skema) -> PeriodeLalu:
    """Open the previous period given to --lanjut: an archive folder or a workbook."""
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.files import sha256_file

    if lama.is_dir():
        path = _workbook_arsip(lama)
    elif lama.is_file():
        path = lama
    else:
        raise PenggunaanSalah(f"Workbook atau folder arsip periode lalu {lama} tidak ditemukan.")
    try:
        book = OpenpyxlBook(load_workbook(path, data_only=True))
        pengaturan = {_teks(r["kunci"]): r["nilai"]
                      for r in read_table(book, skema.sheet("konfigurasi").tabel_("pengaturan"))}
        tahun, periode = int(float(pengaturan["tahun"])), _teks(pengaturan["periode"])
    except Exception as e:
        raise PenggunaanSalah(f"{path} bukan workbook evaluasi kinerja yang dapat dibaca ({type(e).__name__}).") from e
    return PeriodeLalu(path, book, tahun, periode, bool(_teks(pengaturan.get("periode_ditutup"))),
                       sha256_file(path))


def _rekap_per_indikator(lalu: PeriodeLalu, skema: Skema) -> dict[tuple[str, int | None, str], dict[str, Any]]:
    kode = {_teks(b["nama"]): _teks(b["kode"]) for b in read_table(lalu.book, skema.sheet("konfigurasi")
                                                                   .tabel_("bidang"))}
    return {kunci_indikator(kode.get(_teks(r["bidang"]), ""), r["no"], r["indikator"]): r
            for r in read_table(lalu.book, skema.tabel("rekap"))}


def bawa_dari_periode_lalu(book: Book, konteks: Konteks, lalu: PeriodeLalu, tahun: int, periode: str) -> None:
    """Carry the indicator list, the year's letter register and, from a sealed record, the earlier triwulan's
    realisasi (same year) or Realisasi Renstra s.d. tahun lalu (the record closing the previous year) into the new
    master; logged with the record's SHA-256."""
    skema = konteks.skema
    indikator = read_table(lalu.book, skema.tabel("indikator"))
    triwulan = lalu.triwulan_untuk(tahun, periode)
    renstra = lalu.renstra_untuk(tahun)
    rekap = _rekap_per_indikator(lalu, skema) if triwulan or renstra else {}
    rincian = ""
    if triwulan:
        kolom = skema.kolom_tersegel(triwulan)
        indikator, ketemu = bawa_realisasi(indikator, rekap, {k: k for k in kolom})
        # realisasi of later triwulan never come along: they are this period's own
        for d in indikator:
            d.update({k: None for k in skema.kolom_realisasi if k not in kolom})
        tulis_pengaturan(book, skema, {"triwulan_tersegel": teks_triwulan(triwulan),
                                       "rekaman_tersegel": lalu.rekaman()})
        rincian = (f"; realisasi TW {teks_triwulan(triwulan)} dari rekaman tersegel {lalu.path.name} (sha256 "
                   f"{lalu.sha256[:16]}) untuk {ketemu} indikator")
    else:
        for d in indikator:
            d.update(dict.fromkeys(skema.kolom_realisasi))
    if lalu.tahun != tahun:  # last year's "s.d. tahun lalu" is not this year's: from the record, or typed anew
        for d in indikator:
            d.update(dict.fromkeys(skema.kolom_dari_tahun_lalu))
    if renstra:
        indikator, ketemu = bawa_realisasi(indikator, rekap, skema.kolom_dari_tahun_lalu)
        tulis_pengaturan(book, skema, {"renstra_tersegel": lalu.rekaman()})
        rincian += (f"; Realisasi Renstra s.d. Tahun Lalu dari rekaman tersegel {lalu.path.name} (sha256 "
                    f"{lalu.sha256[:16]}) untuk {ketemu} indikator")
        if ketemu < sum(1 for d in indikator if d.get("indikator")):
            konteks.info(f"Realisasi Renstra s.d. Tahun Lalu: {ketemu} indikator ditemukan di rekaman "
                         f"{lalu.path.name}; isi kolom itu di Daftar Indikator untuk indikator lainnya.")
    elif lalu.tahun != tahun:
        konteks.info(f"Realisasi Renstra s.d. Tahun Lalu dikosongkan di Daftar Indikator: {lalu.path.name} bukan "
                     f"rekaman tersegel penutup tahun {tahun - 1} (arsip TW4 atau TAHUNAN). Isi kolom itu, atau "
                     f"ulangi init dengan --lanjut FOLDER_ARSIP_{tahun - 1}_TAHUNAN.")
    write_table(book, skema.tabel("indikator"), indikator)
    register = [r for r in read_table(lalu.book, skema.tabel("penomoran"))
                if isinstance(r["tanggal"], datetime) and r["tanggal"].year == tahun]
    write_table(book, skema.tabel("penomoran"), register)
    konteks.catat(SEBELUM_SOP, "lanjut", f"dari {lalu.path.name}: {len(indikator)} indikator, {len(register)} "
                                         f"nomor surat {tahun}{rincian}")
