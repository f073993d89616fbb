"""Excel entry point: the xlwings add-in's "Run main" imports `workbook/Evaluasi_Kinerja.py`, which calls `main()`.

One button, and what it does depends on where the user stands, so nobody has to learn commands:
- sheet SOP, a step's row selected: the step's own action runs — the very function `evkin` runs for it (1
  disposisi from the row typed in sheet Disposisi, 2 format, 3 distribusi, 4 rapat from the rows typed in sheet
  Rapat, 6 analisa, 7 konsep or koreksi with the Catatan typed in the step's row, 8 ajukan, 9 tandatangani,
  10 surat); step 5 is started, or finished saying which bidang have not sent; step 11 (arsip) is refused with
  the command to run, because the sealed copy is made from the saved file;
- a bidang sheet: that bidang's data are sent to Rekap (step 5, `himpun` of that sheet only);
- Rekap or Analisis: the analysis is computed again (step 6).
Every action goes through `eksekusi`, like the CLI, acting as the Excel user mapped through Konfigurasi. The
answer is an Excel alert in Indonesian, never a traceback; on any error nothing is written (the adapter writes
only after the action succeeded). Files an action makes (formats, documents, letters) go beside the workbook, as
with `evkin`; the print layout of the Dokumen and Surat Pengantar sheets inside the workbook is made only by the
headless engine (`evkin`), the Excel route leaves those two sheets as they are.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from macros_py.aksi import laporan
from macros_py.aksi.langkah import Konfigurasi, baca_konfigurasi, baca_status, eksekusi, pengguna_os
from macros_py.domain.errors import EvkinError, InputDitolak, LangkahDitolak
from macros_py.domain.sop import BELUM, BERJALAN, SELESAI
from macros_py.excel.rencana import Papan, Rencana
from macros_py.io.engines.xlwings_book import XlwingsBook
from macros_py.io.unit_of_work import ExcelUnitOfWork, SesudahSimpanGagal
from macros_py.schema import Skema, muat_skema

JUDUL = "Evaluasi Kinerja"
MAKS_MASALAH = 15  # lines of problems shown in one alert; the rest are counted


@dataclass
class HasilTombol:
    """What the press showed the user (returned for tests and for callers other than Run main)."""

    pesan: str
    berhasil: bool
    round_trips: int
    ditulis: int = 0


def main(book: Any = None) -> None:
    """xlwings "Run main": act on the calling workbook (`xw.Book.caller()` when no book is given)."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    jalankan(book)


def jalankan(book: Any, konfirmasi: bool = True, waktu: datetime | None = None) -> HasilTombol:
    """Decide, confirm (where Excel can answer), run through `eksekusi`, write, and report — all as alerts."""
    xb = XlwingsBook(book)
    berhasil, ditulis = False, 0
    try:
        pesan, berhasil, ditulis = _tekan(xb, konfirmasi, waktu)
    except InputDitolak as e:
        xb.discard()
        pesan = _pesan_ditolak(e)
    except SesudahSimpanGagal as e:  # the cells are in Excel already: never "Workbook tidak diubah"
        pesan = e.pesan
    except EvkinError as e:
        pesan = _pesan_gagal(xb, e.pesan)
    except Exception as e:  # never a traceback for the user
        pesan = _pesan_gagal(xb, f"Terjadi kesalahan tak terduga ({type(e).__name__}: {e}).")
    with contextlib.suppress(Exception):  # Excel could not show it: nothing more can be done from here
        xb.alert(pesan, JUDUL, mode="info" if berhasil else "critical")
    return HasilTombol(pesan, berhasil, xb.round_trips, ditulis)


def _pesan_gagal(xb: XlwingsBook, pesan: str) -> str:
    if xb.writing:
        return (f"{pesan}\n\nPenulisan ke Excel terhenti di tengah; sebagian hasil mungkin sudah tertulis. "
                "Periksa sheet SOP dan Log, lalu jalankan: evkin verifikasi")
    xb.discard()
    return f"{pesan}\n\nWorkbook tidak diubah."


def _pesan_ditolak(e: InputDitolak) -> str:
    baris = [f"- {m}" for m in e.masalah[:MAKS_MASALAH]]
    if len(e.masalah) > MAKS_MASALAH:
        baris.append(f"... dan {len(e.masalah) - MAKS_MASALAH} masalah lain.")
    return "\n".join([f"DITOLAK: {e.pesan}", *baris, "", "Perbaiki sel yang disebut, lalu tekan Run main lagi."])


def _tekan(xb: XlwingsBook, konfirmasi: bool, waktu: datetime | None) -> tuple[str, bool, int]:
    skema = muat_skema()
    sheet = xb.active_sheet()
    konf = baca_konfigurasi(xb, skema)
    rencana = _rencana(xb, skema, konf, sheet)
    if isinstance(rencana, str):
        return rencana, True, 0
    sebagai = _pengguna(xb, konf)
    if konfirmasi and xb.interactive():
        jawab = xb.alert(f"{rencana.tanya}\n\nPengguna: {konf.cari_pelaku(sebagai).label()}", JUDUL,
                         tombol="ok_cancel")
        if jawab not in (None, "ok"):
            return "Dibatalkan; workbook tidak diubah.", True, 0
    catatan: list[str] = []
    try:
        hasil, uow = _jalankan_rencana(xb, rencana, sebagai, waktu, catatan, skema)
    except InputDitolak as e:  # a refusal the user may overrule is asked about first (nothing was written)
        lagi = rencana.ditolak(e) if rencana.ditolak is not None and konfirmasi and xb.interactive() else None
        if lagi is None:
            raise
        if xb.alert(lagi.tanya, JUDUL, tombol="ok_cancel") not in (None, "ok"):
            return "Dibatalkan; workbook tidak diubah.", True, 0
        rencana, catatan = lagi, []
        hasil, uow = _jalankan_rencana(xb, rencana, sebagai, waktu, catatan, skema)
    try:
        lapor = rencana.lapor(hasil)
    except Exception as e:  # the action is done and written: say so rather than "tidak diubah"
        lapor = f"{uow.sudah}; laporannya tidak dapat disusun ({type(e).__name__}: {e})."
    return "\n".join([lapor, *catatan]), True, uow.ditulis


def _jalankan_rencana(xb: XlwingsBook, rencana: Rencana, sebagai: str, waktu: datetime | None, catatan: list[str],
                      skema: Skema) -> tuple[Any, ExcelUnitOfWork]:
    from macros_py.io.parallel import tutup_pool

    try:
        with ExcelUnitOfWork(xb, rencana.folder) as uow:
            hasil = eksekusi(uow, rencana.fungsi, sebagai=sebagai, waktu=waktu, info=catatan.append, skema=skema)
            uow.commit()
    finally:
        tutup_pool()  # xlwings' UDF server keeps Python running between clicks: no idle workers left behind
    return hasil, uow


def _pengguna(xb: XlwingsBook, konf: Konfigurasi) -> str:
    """Excel's user name, else the login (EVKIN_PENGGUNA overrides both): the first one Konfigurasi knows."""
    calon = [n for n in (os.environ.get("EVKIN_PENGGUNA"), xb.excel_user(), pengguna_os()) if n]
    for nama in calon:
        try:
            konf.cari_pelaku(nama)
            return nama
        except LangkahDitolak:
            continue
    daftar = ", ".join(p.pengguna for p in konf.pejabat)
    raise LangkahDitolak(
        f"Pengguna {' / '.join(dict.fromkeys(calon))} tidak terdaftar di sheet Konfigurasi (tabel Pejabat dan "
        f"Peran; yang terdaftar: {daftar}). Tulis nama pengguna Excel Anda (File > Opsi > Umum > Nama pengguna) "
        "di kolom Pengguna pada baris Anda, simpan, lalu tekan Run main lagi.")


def _rencana(xb: XlwingsBook, skema: Skema, konf: Konfigurasi, sheet: str) -> Rencana | str:
    """What the button does on this sheet; a plain string is an explanation (nothing to run)."""
    if sheet == skema.sheet("sop").nama:
        return _rencana_sop(xb, skema, konf, xb.selected_row())
    bidang = {b["sheet"]: b for b in konf.bidang}
    if sheet in bidang:
        return _rencana_bidang(skema, bidang[sheet])
    if sheet in (skema.sheet("rekap").nama, skema.sheet("analisis").nama):
        from macros_py.aksi.analisis import analisa

        no = skema.langkah_aksi("analisa").no
        return Rencana(f"Hitung ulang capaian dan predikat (langkah {no}: analisa data)?", analisa,
                       lambda h: "\n".join(laporan.analisa(h, no)))
    return (f"Tombol Run main tidak berbuat apa-apa di sheet {sheet}.\n\n"
            f"- Sheet {skema.sheet('sop').nama}: pilih baris langkah, tekan Run main untuk menjalankan langkah "
            "itu.\n"
            "- Sheet bidang (mis. " + ", ".join(list(bidang)[:2]) + "): tekan Run main untuk mengirim data "
            "bidang itu.\n"
            f"- Sheet {skema.sheet('rekap').nama} atau {skema.sheet('analisis').nama}: tekan Run main untuk "
            "menghitung ulang analisis.")


def _rencana_sop(xb: XlwingsBook, skema: Skema, konf: Konfigurasi, baris: int | None) -> Rencana | str:
    """A step's row: the step's own action, planned by the registry's Excel planner for its sop.yaml `aksi`."""
    from macros_py.aksi.langkah import mulai_langkah, selesaikan_langkah
    from macros_py.aksi.registry import _muat, untuk_langkah

    tabel = skema.tabel("sop")
    status = {s.no: s for s in baca_status(xb, skema)}
    petunjuk = (f"Pilih sel pada baris langkah di sheet {tabel.sheet} (baris {tabel.baris_data}–"
                f"{tabel.baris_data + len(status) - 1}), lalu tekan Run main lagi.")
    if baris is None or baris < tabel.baris_data:
        return petunjuk
    sel = xb.read(tabel.sheet, baris, tabel.kolom_awal + tabel.indeks("no"), 1, 1)[0][0]
    try:
        no = int(float(sel))
    except (TypeError, ValueError):
        return petunjuk
    if no not in status:
        return petunjuk
    s = status[no]
    lk = next(lk for lk in skema.langkah if lk.no == no)
    if s.status == SELESAI:
        kapan = f" pada {s.selesai:%d-%m-%Y %H:%M}" if s.selesai else ""
        return (f"Langkah {no} sudah selesai{kapan} oleh {s.oleh or '-'}.\n\n"
                f"Untuk membukanya kembali (dengan alasan): evkin buka-ulang {no} --alasan \"...\"")
    if s.status not in (BELUM, BERJALAN):
        return f"Status langkah {no} di sheet {tabel.sheet} tidak dikenal: '{s.status}'."
    papan = Papan(xb, skema, konf, status, no, baris, lambda: konf.cari_pelaku(_pengguna(xb, konf)))
    rencana = _muat(untuk_langkah(lk.aksi).excel)(papan)
    if rencana is not None:
        return rencana
    if s.status == BELUM:
        return Rencana(f"Mulai langkah {no}?\n{lk.uraian}", lambda b, k: mulai_langkah(b, k, no),
                       laporan.langkah_dimulai)
    return Rencana(f"Selesaikan langkah {no}?\n{lk.uraian}", lambda b, k: selesaikan_langkah(b, k, no),
                   laporan.langkah_selesai)


def _rencana_bidang(skema: Skema, bidang: dict[str, Any]) -> Rencana:
    from macros_py.aksi.himpun import KirimanMengosongkan, himpun

    no = skema.langkah_aksi("himpun").no

    def kosongkan(e: InputDitolak) -> Rencana | None:
        """Blanking values accepted before: asked, naming the cells; OK sends the sheet all the same."""
        if not isinstance(e, KirimanMengosongkan):
            return None
        daftar = [f"- {m}" for m in e.masalah[:MAKS_MASALAH]]
        if len(e.masalah) > MAKS_MASALAH:
            daftar.append(f"... dan {len(e.masalah) - MAKS_MASALAH} sel lain.")
        return Rencana("\n".join([f"Sheet {bidang['sheet']} mengosongkan nilai yang sudah diterima sebelumnya:",
                                  *daftar, "", "Tetap kirim dan kosongkan nilai itu di Rekap? (Batal: isi kembali "
                                  "nilainya, lalu tekan Run main lagi.)"]),
                       lambda b, k: himpun(b, k, hanya_sheet=bidang["sheet"], boleh_kosongkan=True), _lapor_himpun)

    return Rencana(f"Kirim data {bidang['nama']} (sheet {bidang['sheet']}) ke Rekap (langkah {no})?",
                   lambda b, k: himpun(b, k, hanya_sheet=bidang["sheet"]), _lapor_himpun, ditolak=kosongkan)


def _lapor_himpun(hasil: Any) -> str:
    baris = [f"Diterima: {k.sheet or k.berkas} — bidang {k.kode_bidang}, {k.jumlah_baris} baris."
             for k in hasil.diterima]
    baris += [f"Identik dengan kiriman {waktu}: {k.sheet or k.berkas} — tidak ada yang berubah, tidak ditulis ulang."
              for k, waktu in hasil.identik]
    baris += [f"  peringatan: {m}" for m in hasil.peringatan[:MAKS_MASALAH]]
    if len(hasil.peringatan) > MAKS_MASALAH:
        baris.append(f"  ... dan {len(hasil.peringatan) - MAKS_MASALAH} peringatan lain.")
    baris.append("Belum mengirim: " + ", ".join(hasil.belum_mengirim) if hasil.belum_mengirim
                 else "Semua bidang sudah mengirim.")
    return "\n".join(baris)
