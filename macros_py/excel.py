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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from macros_py.aksi import laporan
from macros_py.aksi.konteks import Konfigurasi, Konteks, baca_konfigurasi, eksekusi, pengguna_os, sekarang
from macros_py.domain.errors import EvkinError, InputDitolak, LangkahDitolak, PenggunaanSalah
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.sop import (
    BELUM,
    BERJALAN,
    CATATAN_DIBUKA_ULANG,
    CATATAN_DIULANG,
    SELESAI,
    MesinSop,
    Pelaku,
    StatusLangkah,
)
from macros_py.domain.teks import teks_sel
from macros_py.io.book import Book, read_table, read_table_rows
from macros_py.io.engines.xlwings_book import XlwingsBook
from macros_py.schema import Skema, Tabel, muat_skema

JUDUL = "Evaluasi Kinerja"
LANGKAH_HIMPUN = 5
LANGKAH_ANALISA = 6
LANGKAH_KONSEP = 7
LANGKAH_ARSIP = 11
# Steps whose input (typed rows, the Catatan cell) or folder is read before the action runs: for them the order
# and the role are checked first, so the user hears "step 2 is not finished" before "type the rows".
PERIKSA_DULU = (1, 3, 4, 7, 10, 11)
FOLDER_FORMAT = "format_bidang"  # step 3's files, beside the workbook (as in README's `--out format_bidang/`)
CATATAN_SISTEM = (CATATAN_DIBUKA_ULANG, CATATAN_DIULANG)  # what the SOP machine itself writes into Catatan
MAKS_MASALAH = 15  # lines of problems shown in one alert; the rest are counted


@dataclass
class Rencana:
    """One button press, decided before anything runs: the question to confirm, the action, its report."""

    tanya: str
    fungsi: Callable[[Book, Konteks], Any]
    lapor: Callable[[Any], str]


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
    hasil = eksekusi(xb, rencana.fungsi, sebagai=sebagai, waktu=waktu, info=catatan.append, skema=skema)
    ditulis = xb.flush()
    return "\n".join([rencana.lapor(hasil), *catatan]), True, ditulis


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
        return _rencana_bidang(bidang[sheet])
    if sheet in (skema.sheet("rekap").nama, skema.sheet("analisis").nama):
        from macros_py.aksi.analisis import analisa

        return Rencana("Hitung ulang capaian dan predikat (langkah 6: analisa data)?", analisa, _lapor_analisa)
    return (f"Tombol Run main tidak berbuat apa-apa di sheet {sheet}.\n\n"
            f"- Sheet {skema.sheet('sop').nama}: pilih baris langkah, tekan Run main untuk menjalankan langkah "
            "itu.\n"
            "- Sheet bidang (mis. " + ", ".join(list(bidang)[:2]) + "): tekan Run main untuk mengirim data "
            "bidang itu.\n"
            f"- Sheet {skema.sheet('rekap').nama} atau {skema.sheet('analisis').nama}: tekan Run main untuk "
            "menghitung ulang analisis.")


def _rencana_sop(xb: XlwingsBook, skema: Skema, konf: Konfigurasi, baris: int | None) -> Rencana | str:
    from macros_py.aksi.sop import baca_status, mulai_langkah, selesaikan_langkah

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
    judul = next((lk.uraian for lk in skema.langkah if lk.no == no), "")
    if s.status == SELESAI:
        kapan = f" pada {s.selesai:%d-%m-%Y %H:%M}" if s.selesai else ""
        return (f"Langkah {no} sudah selesai{kapan} oleh {s.oleh or '-'}.\n\n"
                f"Untuk membukanya kembali (dengan alasan): evkin buka-ulang {no} --alasan \"...\"")
    if s.status not in (BELUM, BERJALAN):
        return f"Status langkah {no} di sheet {tabel.sheet} tidak dikenal: '{s.status}'."
    aksi = _rencana_aksi(xb, skema, konf, status, no, baris)
    if aksi is not None:
        return aksi
    if s.status == BELUM:
        return Rencana(f"Mulai langkah {no}?\n{judul}", lambda b, k: mulai_langkah(b, k, no), laporan.langkah_dimulai)
    if no == LANGKAH_HIMPUN:
        # Data arrive per bidang (Run main on its sheet, or evkin himpun with files). Collecting every bidang
        # sheet here would count sheets that only hold the format's prefilled indicators as sent; so this
        # finishes the step and says who has not sent.
        from macros_py.aksi.pengumpulan import status_bidang

        belum = [b["bidang"] for b in status_bidang(xb, skema, None, sekarang())
                 if not b["keadaan"].startswith("Diterima")]
        sisa = "Belum mengirim: " + ", ".join(belum) + "." if belum else "Semua bidang sudah mengirim."
        return Rencana(f"Selesaikan langkah {no}?\n{judul}\n\n{sisa}\nData bidang dikirim dengan Run main di sheet "
                       "bidang masing-masing; sesudah langkah 5 selesai, data tidak dapat dikirim atau diubah lagi.",
                       lambda b, k: selesaikan_langkah(b, k, no), lambda h: laporan.langkah_selesai(h) + "\n" + sisa)
    return Rencana(f"Selesaikan langkah {no}?\n{judul}", lambda b, k: selesaikan_langkah(b, k, no),
                   laporan.langkah_selesai)


def _rencana_aksi(xb: XlwingsBook, skema: Skema, konf: Konfigurasi, status: dict[int, StatusLangkah], no: int,
                  baris: int) -> Rencana | None:
    """The step's own action, called exactly as `evkin` calls it; None where the step has none (step 5)."""
    pelaku = _periksa_boleh(xb, skema, konf, status, no) if no in PERIKSA_DULU else None
    if no == 1:
        return _rencana_disposisi(xb, skema)
    if no == 2:
        from macros_py.aksi.pengumpulan import buat_format

        return Rencana("Buat format pengumpulan data per bidang dari sheet Daftar Indikator, lalu selesaikan "
                       "langkah 2?", lambda b, k: buat_format(b, k), laporan.format_dibuat)
    if no == 3:
        from macros_py.aksi.pengumpulan import distribusi

        folder = _folder_workbook(xb, "Distribusi format (langkah 3)",
                                  f"distribusi --out {FOLDER_FORMAT}") / FOLDER_FORMAT
        return Rencana(f"Buat satu berkas format per bidang di folder {folder}, lalu selesaikan langkah 3?",
                       lambda b, k: distribusi(b, k, folder), _lapor_distribusi)
    if no == 4:
        return _rencana_rapat(xb, skema, konf)
    if no == LANGKAH_ANALISA:
        from macros_py.aksi.analisis import analisa

        return Rencana(f"Hitung capaian dan predikat, lalu selesaikan langkah {no}?", analisa, _lapor_analisa)
    if no == LANGKAH_KONSEP:
        return _rencana_dokumen(xb, skema, status[no], baris)
    if no == 8:
        from macros_py.aksi.dokumen import ajukan

        return Rencana("Ajukan versi terakhir Dokumen Evaluasi Kinerja ke Kepala (langkah 8)? Langkah 7 ikut "
                       "diselesaikan; data dibekukan sampai dokumen dikembalikan atau ditandatangani.", ajukan,
                       lambda v: f"Dokumen versi {v['versi']} diajukan ke Kepala; langkah 8 selesai. Data dibekukan "
                                 "sampai dokumen dikembalikan atau ditandatangani.")
    if no == 9:
        from macros_py.aksi.dokumen import tandatangani

        return Rencana("Tandatangani versi terakhir Dokumen Evaluasi Kinerja (langkah 9, oleh Kepala)? Nama, NIP, "
                       "waktu dan SHA-256 versi itu dicatat di sheet Pengesahan.", tandatangani,
                       lambda v: f"Dokumen versi {v['versi']} ditandatangani (sha256 {v['sha256']}); langkah 9 "
                                 "selesai.")
    if no == 10:
        return _rencana_surat(xb, konf)
    if no == LANGKAH_ARSIP:
        raise PenggunaanSalah(_pesan_arsip(xb, konf, pelaku.pengguna if pelaku else ""))
    return None


def _periksa_boleh(xb: XlwingsBook, skema: Skema, konf: Konfigurasi, status: dict[int, StatusLangkah],
                   no: int) -> Pelaku:
    """The order and role checks the action itself makes (`jalankan_langkah`), made before its input is read."""
    pelaku = konf.cari_pelaku(_pengguna(xb, konf))
    mesin = MesinSop(list(skema.langkah), KalenderKerja(konf.libur_tambahan), skema.nama_peran)
    if status[no].status == BELUM:
        mesin.mulai(list(status.values()), no, pelaku, sekarang())  # pure: raises, writes nothing
    else:
        mesin.periksa_peran(no, pelaku)
    return pelaku


def _isi(nilai: Any) -> str:
    return teks_sel(nilai).strip()


def _kolom(tabel: Tabel, key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(tabel.kolom_awal + tabel.indeks(key))


def _sel(tabel: Tabel, key: str, baris: int) -> str:
    return f"{_kolom(tabel, key)}{baris}"


def _judul(tabel: Tabel, *keys: str) -> str:
    nama = [tabel.kolom[tabel.indeks(k)].judul for k in keys]
    return ", ".join(nama[:-1]) + " dan " + nama[-1] if len(nama) > 1 else nama[0]


def _baris_ketikan(xb: XlwingsBook, tabel: Tabel, isian: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    """Rows the user typed and no action has recorded yet: some input filled, "Dicatat Oleh" empty."""
    hasil = []
    for i, b in enumerate(read_table_rows(xb, tabel)):
        d = dict(zip(tabel.keys, b, strict=True))
        if not _isi(d["dicatat_oleh"]) and any(_isi(d[k]) for k in isian):
            hasil.append((tabel.baris_data + i, d))
    return hasil


def _baris_kosong_pertama(xb: XlwingsBook, tabel: Tabel) -> int:
    return tabel.baris_data + len(read_table_rows(xb, tabel))


def _kosongkan(book: Book, tabel: Tabel, baris: list[int]) -> None:
    """Blank the typed rows inside the action's unit of work: the action appends after the table's last row, so
    its complete rows land where the user typed them (the adapter then writes only the final block)."""
    for r in baris:
        book.write(tabel.sheet, r, tabel.kolom_awal, [[None] * len(tabel.kolom)])


def _tanggal_sel(nilai: Any, tempat: str) -> date | None:
    """A typed date cell: Excel hands a date over as datetime; text as 2026-10-05, 05-10-2026 or 05/10/2026."""
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    teks = _isi(nilai)
    if not teks:
        return None
    if isinstance(nilai, str):
        for pola in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            with contextlib.suppress(ValueError):
                return datetime.strptime(teks, pola).date()
    raise PenggunaanSalah(f"{tempat}: '{teks}' bukan tanggal; tulis seperti 05-10-2026 (atau 2026-10-05).")


def _rencana_disposisi(xb: XlwingsBook, skema: Skema) -> Rencana:
    """Step 1 from the row the user typed into sheet Disposisi (the last one not recorded yet)."""
    from macros_py.aksi.pengumpulan import catat_disposisi

    tabel = skema.tabel("disposisi")
    ketikan = _baris_ketikan(xb, tabel, ("nomor", "tanggal", "dari", "isi"))
    if not ketikan:
        r = _baris_kosong_pertama(xb, tabel)
        raise PenggunaanSalah(
            f"Belum ada disposisi yang diketik. Di sheet {tabel.sheet}, baris kosong pertama (baris {r}), isi kolom "
            f"{_judul(tabel, 'nomor', 'tanggal', 'dari', 'isi')} (sel {_sel(tabel, 'nomor', r)}–"
            f"{_sel(tabel, 'isi', r)}); biarkan {_judul(tabel, 'dicatat_oleh', 'waktu')} kosong. Lalu kembali ke "
            f"sheet {skema.tabel('sop').sheet}, pilih baris langkah 1, dan tekan Run main lagi.")
    r, d = ketikan[-1]
    isi = _isi(d["isi"])
    if not isi:
        raise PenggunaanSalah(f"Sheet {tabel.sheet} baris {r}: kolom {_judul(tabel, 'isi')} (sel "
                              f"{_sel(tabel, 'isi', r)}) masih kosong. Tulis isi instruksi disposisi, lalu tekan "
                              "Run main lagi.")
    nomor, dari = _isi(d["nomor"]), _isi(d["dari"]) or None
    tanggal = _tanggal_sel(d["tanggal"], f"Sheet {tabel.sheet}, sel {_sel(tabel, 'tanggal', r)}")

    def fungsi(b: Book, k: Konteks) -> dict[str, Any]:
        _kosongkan(b, tabel, [r])
        return catat_disposisi(b, k, nomor, tanggal, dari, isi)

    return Rencana(f"Catat disposisi dari baris {r} sheet {tabel.sheet}, lalu selesaikan langkah 1?\n"
                   f"Nomor: {nomor or '-'}\nTanggal: {f'{tanggal:%d-%m-%Y}' if tanggal else 'hari ini'}\n"
                   f"Dari: {dari}\nIsi: {isi[:300]}", fungsi,
                   lambda h: f"Disposisi nomor {h['nomor'] or '-'} dari {h['dari']} dicatat di sheet {tabel.sheet} "
                             f"(baris {r}); langkah 1 selesai.")


def _rencana_rapat(xb: XlwingsBook, skema: Skema, konf: Konfigurasi) -> Rencana:
    """Step 4 from the rows the user typed into sheet Rapat: one per bidang present, one date, one conclusion."""
    from macros_py.aksi.pengumpulan import catat_rapat

    tabel = skema.tabel("rapat")
    ketikan = _baris_ketikan(xb, tabel, ("tanggal", "bidang", "peserta", "kesimpulan"))
    kode_bidang = ", ".join(b["kode"] for b in konf.bidang)
    if not ketikan:
        r = _baris_kosong_pertama(xb, tabel)
        raise PenggunaanSalah(
            f"Belum ada peserta rapat yang diketik. Di sheet {tabel.sheet}, mulai baris kosong pertama (baris {r}), "
            f"isi satu baris per bidang yang hadir: {_judul(tabel, 'tanggal', 'bidang', 'peserta', 'kesimpulan')} "
            f"(kolom {_kolom(tabel, 'tanggal')}–{_kolom(tabel, 'kesimpulan')}). "
            f"Bidang: nama atau kode ({kode_bidang}); Kesimpulan cukup ditulis di satu baris; biarkan "
            f"{_judul(tabel, 'dicatat_oleh')} kosong. Lalu kembali ke sheet {skema.tabel('sop').sheet}, pilih baris "
            "langkah 4, dan tekan Run main lagi.")
    kode_dari = {v.casefold(): b["kode"] for b in konf.bidang for v in (b["kode"], b["nama"], b["sheet"]) if v}
    masalah: list[str] = []
    peserta: dict[str, str] = {}
    asal: dict[str, int] = {}
    tanggal: dict[date, int] = {}
    kesimpulan: list[str] = []
    for r, d in ketikan:
        tempat = f"Sheet {tabel.sheet}, baris {r}"
        bidang, nama = _isi(d["bidang"]), _isi(d["peserta"])
        kode = kode_dari.get(bidang.casefold())
        if not bidang:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): Bidang kosong; tulis nama atau kode "
                           f"({kode_bidang}).")
        elif kode is None:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): bidang '{bidang}' tidak dikenal; tulis nama "
                           f"atau kode ({kode_bidang}).")
        elif kode in asal:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): bidang {kode} sudah ditulis di baris "
                           f"{asal[kode]}; satu baris per bidang.")
        if not nama:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'peserta', r)}): Peserta kosong; tulis nama peserta "
                           "(dipisah koma).")
        if kode and kode not in asal:
            asal[kode] = r
            peserta[kode] = nama
        try:
            t = _tanggal_sel(d["tanggal"], f"{tempat} (sel {_sel(tabel, 'tanggal', r)})")
        except PenggunaanSalah as e:
            masalah.append(e.pesan)
        else:
            if t is not None:
                tanggal.setdefault(t, r)
        k = _isi(d["kesimpulan"])
        if k and k not in kesimpulan:
            kesimpulan.append(k)
    if len(tanggal) > 1:
        masalah.append(f"Sheet {tabel.sheet}: Tanggal Rapat berbeda-beda ("
                       + ", ".join(f"{t:%d-%m-%Y} di baris {r}" for t, r in tanggal.items())
                       + "); satu rapat, satu tanggal.")
    if not kesimpulan:
        masalah.append(f"Sheet {tabel.sheet}: Kesimpulan belum ditulis (cukup di satu baris, kolom "
                       f"{_judul(tabel, 'kesimpulan')}).")
    elif len(kesimpulan) > 1:
        masalah.append(f"Sheet {tabel.sheet}: Kesimpulan berbeda di beberapa baris; tulis satu kesimpulan rapat "
                       "(cukup di satu baris).")
    if masalah:
        raise InputDitolak(f"Isian rapat di sheet {tabel.sheet} belum lengkap; rapat belum dicatat.", masalah)
    hari = next(iter(tanggal), None)
    baris = [r for r, _ in ketikan]
    tidak_hadir = [b["kode"] for b in konf.bidang if b["kode"] not in peserta]

    def fungsi(b: Book, k: Konteks) -> list[dict[str, Any]]:
        _kosongkan(b, tabel, baris)
        return catat_rapat(b, k, hari, peserta, kesimpulan[0])

    return Rencana(f"Catat rapat koordinasi {f'{hari:%d-%m-%Y}' if hari else 'hari ini'} dari baris "
                   f"{baris[0]}–{baris[-1]} sheet {tabel.sheet}, lalu selesaikan langkah 4?\n"
                   + "\n".join(f"{kode}: {nama}" for kode, nama in peserta.items())
                   + (f"\nTidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                   + f"\nKesimpulan: {kesimpulan[0][:300]}", fungsi,
                   lambda h: f"Rapat koordinasi dicatat di sheet {tabel.sheet} ({len(h)} bidang hadir"
                             + (f"; tidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                             + "); langkah 4 selesai.")


def _folder_workbook(xb: XlwingsBook, keperluan: str, perintah: str) -> Path:
    """The saved workbook's folder (files of an action go beside it, as with `evkin`); refused when unknown."""
    xb.round_trips += 1
    try:
        nama = str(xb.book.fullname or "")
    except Exception:
        nama = ""
    path = Path(nama)
    if "://" in nama or not path.is_absolute() or not path.parent.is_dir():
        raise PenggunaanSalah(
            f"{keperluan} membuat berkas di folder workbook, tetapi lokasi workbook ini tidak diketahui "
            f"({nama or 'belum disimpan'}; workbook baru yang belum disimpan, atau yang dibuka dari web/OneDrive, "
            "tidak memiliki folder di komputer ini). Simpan workbook ke folder di komputer ini (File > Simpan "
            f"Sebagai), lalu tekan Run main lagi; atau tutup workbook dan jalankan: evkin --workbook WORKBOOK "
            f"{perintah}")
    return path.parent


def _rencana_dokumen(xb: XlwingsBook, skema: Skema, s: StatusLangkah, baris: int) -> Rencana:
    """Step 7: the first version (konsep), or a correction (koreksi) with the Catatan typed in the step's row."""
    from macros_py.aksi.dokumen import FOLDER_DOKUMEN, konsep, koreksi
    from macros_py.aksi.sop import mulai_langkah

    riwayat = read_table(xb, skema.tabel("revisi"))
    sop = skema.tabel("sop")
    sel = _sel(sop, "catatan", baris)
    if riwayat and s.status == BELUM:  # reopened work: start the step, then a correction needs a catatan
        return Rencana(f"Mulai langkah {s.no}? Dokumen sudah memiliki versi {len(riwayat)}; sesudah itu tulis catatan "
                       f"koreksi di kolom Catatan (sel {sel}) dan tekan Run main lagi untuk versi berikutnya.",
                       lambda b, k: mulai_langkah(b, k, s.no), laporan.langkah_dimulai)
    folder = _folder_workbook(xb, f"Dokumen Evaluasi Kinerja (langkah {s.no})",
                              "konsep (atau: koreksi --catatan \"...\")") / FOLDER_DOKUMEN
    if not riwayat:
        return Rencana(f"Buat konsep Dokumen Evaluasi Kinerja versi 1 (langkah {s.no})? Berkas .xlsx dan PDF "
                       f"disimpan di {folder}.", lambda b, k: konsep(b, k, folder, info=k.info),
                       lambda v: f"Konsep dokumen versi {v['versi']}: {v['berkas']}\n" + _CATATAN_CETAK)
    catatan = s.catatan.strip()
    dipakai = next((r["versi"] for r in riwayat if _isi(r["catatan"]) == catatan), None)
    if not catatan or catatan.startswith(CATATAN_SISTEM) or dipakai is not None:
        sebab = (f"Catatan di sel {sel} sudah dipakai untuk versi {dipakai}. " if dipakai is not None and catatan
                 else f"Sel {sel} berisi catatan sistem, bukan catatan koreksi. " if catatan else "")
        raise PenggunaanSalah(
            f"Dokumen sudah memiliki versi {len(riwayat)}. {sebab}Untuk koreksi (versi berikutnya): tulis catatan "
            f"koreksi di kolom Catatan pada baris langkah {s.no} sheet {sop.sheet} (sel {sel}), lalu tekan Run main "
            f"lagi. Untuk mengajukan versi {len(riwayat)} ke Kepala: pilih baris langkah 8, lalu tekan Run main.")
    return Rencana(f"Buat koreksi dokumen versi {len(riwayat) + 1} (langkah {s.no}) dengan catatan:\n{catatan[:300]}\n"
                   f"Berkas .xlsx dan PDF disimpan di {folder}.",
                   lambda b, k: koreksi(b, k, folder, catatan, info=k.info),
                   lambda v: f"Koreksi dicatat; dokumen versi {v['versi']}: {v['berkas']}\n" + _CATATAN_CETAK)


_CATATAN_CETAK = ("Tampilan cetak ada di berkas itu; sheet Dokumen di workbook ini hanya ditata ulang bila aksi "
                  "dijalankan dengan evkin.")


def _rencana_surat(xb: XlwingsBook, konf: Konfigurasi) -> Rencana:
    from macros_py.aksi.dokumen import FOLDER_DOKUMEN
    from macros_py.aksi.penutupan import surat

    tujuan = _isi(konf.pengaturan.get("tujuan_surat"))
    if not tujuan:
        raise PenggunaanSalah("Tujuan surat pengantar belum diisi: tulis di sheet Konfigurasi, tabel Pengaturan, "
                              "baris tujuan_surat (dan alamat_tujuan), lalu tekan Run main lagi.")
    folder = _folder_workbook(xb, "Surat pengantar (langkah 10)", "surat") / FOLDER_DOKUMEN
    return Rencana(f"Ambil nomor surat berikutnya dan buat surat pengantar kepada {tujuan} (langkah 10)? Berkas "
                   f".xlsx, PDF dan .docx disimpan di {folder}.", lambda b, k: surat(b, k, folder, info=k.info),
                   lambda h: f"Surat pengantar nomor {h['nomor']}: {h['pdf'] or h['xlsx']} (Word: {h['docx']}); "
                             "langkah 10 selesai.\nTampilan cetak ada di berkas itu; sheet Surat Pengantar di "
                             "workbook ini hanya ditata ulang bila aksi dijalankan dengan evkin.")


def _pesan_arsip(xb: XlwingsBook, konf: Konfigurasi, pengguna: str) -> str:
    try:
        nama = str(xb.book.fullname or "")
    except Exception:
        nama = ""
    workbook = f'"{nama}"' if Path(nama).is_absolute() and "://" not in nama else "WORKBOOK"
    sebagai = f"--sebagai {pengguna} " if pengguna else ""
    return (f"Langkah {LANGKAH_ARSIP} (kirim dan arsip) tidak dijalankan dari Excel. Arsip berisi salinan beku "
            "workbook (nilai saja, semua sheet terkunci) dengan manifest SHA-256 dan hash Log terakhir; salinan itu "
            "dibuat dari berkas workbook yang tersimpan, sedangkan dari Excel berkas itu sedang terbuka dan "
            "perubahan yang belum disimpan tidak ikut.\n\n"
            f"Simpan (Ctrl+S). Tutup workbook, lalu jalankan: evkin {sebagai}--workbook {workbook} arsip --out "
            f"arsip/{konf.tahun}-{konf.periode}")


def _rencana_bidang(bidang: dict[str, Any]) -> Rencana:
    from macros_py.aksi.pengumpulan import himpun

    return Rencana(f"Kirim data {bidang['nama']} (sheet {bidang['sheet']}) ke Rekap (langkah 5)?",
                   lambda b, k: himpun(b, k, hanya_sheet=bidang["sheet"]), _lapor_himpun)


def _lapor_himpun(hasil: Any) -> str:
    baris = [f"Diterima: {k.sheet or k.berkas} — bidang {k.kode_bidang}, {k.jumlah_baris} baris."
             for k in hasil.diterima]
    baris += [f"  peringatan: {m}" for m in hasil.peringatan[:MAKS_MASALAH]]
    if len(hasil.peringatan) > MAKS_MASALAH:
        baris.append(f"  ... dan {len(hasil.peringatan) - MAKS_MASALAH} peringatan lain.")
    baris.append("Belum mengirim: " + ", ".join(hasil.belum_mengirim) if hasil.belum_mengirim
                 else "Semua bidang sudah mengirim.")
    return "\n".join(baris)


def _lapor_distribusi(catatan: list[dict[str, Any]]) -> str:
    baris = [f"{c['bidang']}: {c['berkas']}" for c in catatan]
    return "\n".join([*baris, "Format didistribusikan; langkah 3 selesai."])


def _lapor_analisa(ringkas: list[dict[str, Any]]) -> str:
    return "\n".join([laporan.ANALISA_SELESAI, *laporan.ringkasan_analisa(ringkas)])


# ---- `evkin excel-siapkan`: what can be automated of the Excel setup --------------------------------------

MODUL_RUN_MAIN = '''"""Run main (add-in xlwings) untuk {nama}: seluruh kerja ada di macros_py.excel."""

from macros_py.excel import main

__all__ = ["main"]
'''


@dataclass
class PersiapanExcel:
    """What `evkin excel-siapkan` did and what is left for the user."""

    pengaturan: dict[str, str]
    berkas_conf: Path | None
    modul: Path
    modul_dibuat: bool
    langkah_manual: list[str]


def _interpreter() -> str:
    """pythonw.exe on Windows (no console window flashing at every press), else this interpreter."""
    exe = Path(sys.executable)
    if os.name == "nt" and (exe.parent / "pythonw.exe").exists():
        return str(exe.parent / "pythonw.exe")
    return str(exe)


def pengaturan_xlwings() -> dict[str, str]:
    """INTERPRETER_WIN (or _MAC) = this Python; PYTHONPATH = this source folder when not in site-packages."""
    akar = Path(__file__).resolve().parent.parent
    kunci = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    return {kunci: _interpreter(), "PYTHONPATH": "" if akar.name == "site-packages" else str(akar)}


def _tulis_conf(path: Path, pengaturan: dict[str, str]) -> None:
    """Merge into an existing xlwings.conf ("KEY","VALUE" lines, read by the add-in's VBA in the ANSI code page)."""
    import csv
    import io

    kode = "mbcs" if os.name == "nt" else "utf-8"
    baris: list[list[str]] = []
    if path.exists():
        baris = [b for b in csv.reader(io.StringIO(path.read_text(encoding=kode, errors="replace"))) if b]
    sisa = [b for b in baris if b[0].strip().upper() not in pengaturan]
    keluar = io.StringIO()
    penulis = csv.writer(keluar, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    penulis.writerows([[k, v] for k, v in pengaturan.items()] + sisa)
    path.write_text(keluar.getvalue(), encoding=kode)


def siapkan_excel(workbook: Path, tulis: bool = True) -> PersiapanExcel:
    """Write xlwings.conf beside the workbook, put the Run main module beside it, list the manual steps."""
    import importlib.util

    from macros_py.domain.errors import PenggunaanSalah

    if not workbook.exists():
        raise PenggunaanSalah(f"Workbook {workbook} tidak ditemukan. Buat dulu dengan: evkin init --tahun 2026 "
                              "--periode TW3")
    if not workbook.stem.isidentifier():
        raise PenggunaanSalah(f"Nama workbook '{workbook.name}' tidak dapat dipakai tombol Run main (modul Python "
                              "bernama sama). Ganti nama berkas hanya dengan huruf, angka dan garis bawah, mis. "
                              "Evaluasi_Kinerja_TW3.xlsx, lalu ulangi.")
    pengaturan = pengaturan_xlwings()
    folder = workbook.resolve().parent
    conf = folder / "xlwings.conf"
    if tulis:
        _tulis_conf(conf, pengaturan)
    modul = folder / f"{workbook.stem}.py"
    dibuat = tulis and not modul.exists()
    if dibuat:
        modul.write_text(MODUL_RUN_MAIN.format(nama=workbook.name), encoding="utf-8")
    manual = []
    if importlib.util.find_spec("xlwings") is None:
        manual.append('Pasang xlwings: pip install "evaluasi-kinerja[excel]" (atau dari folder proyek: '
                      'pip install -e ".[excel]").')
    if os.name != "nt":
        manual.append("Perintah ini dijalankan bukan di Windows: jalankan lagi di komputer Windows yang memakai "
                      "Excel, agar INTERPRETER_WIN menunjuk Python di komputer itu.")
    if not tulis:
        manual.append(f"Tulis pengaturan di atas ke {conf} (format: \"KUNCI\",\"NILAI\" per baris), atau isi "
                      "Interpreter dan PYTHONPATH di tab xlwings pada Excel.")
        if not modul.exists():
            manual.append(f"Buat {modul} berisi: from macros_py.excel import main")
    manual += [
        "Tutup Excel, lalu pasang add-in sekali per komputer: xlwings addin install",
        f"Buka {workbook.name} di Excel. Tab xlwings muncul; pengaturan dari xlwings.conf di folder workbook "
        "lebih diutamakan daripada isian Interpreter/PYTHONPATH di tab itu.",
        "Di sheet Konfigurasi (tabel Pejabat dan Peran), kolom Pengguna: tulis nama pengguna Excel masing-masing "
        f"(File > Opsi > Umum > Nama pengguna) atau nama login Windows (di komputer ini: {pengguna_os()}).",
        "Sheet SOP: klik sel di baris langkah, lalu tab xlwings > Run main — aksi langkah itu dijalankan seperti "
        "evkin (langkah 1 dan 4: ketik dulu barisnya di sheet Disposisi/Rapat; koreksi langkah 7: tulis catatan di "
        "kolom Catatan). Langkah 11 (arsip) tetap dengan evkin sesudah workbook ditutup.",
        "Sheet bidang: isi data, lalu Run main untuk mengirimnya ke Rekap. Sheet Rekap/Analisis: Run main untuk "
        "menghitung ulang analisis.",
    ]
    return PersiapanExcel(pengaturan, conf if tulis else None, modul, dibuat, manual)
