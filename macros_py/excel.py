"""Excel entry point: the xlwings add-in's "Run main" imports `workbook/Evaluasi_Kinerja.py`, which calls `main()`.

One button, and what it does depends on where the user stands, so nobody has to learn commands:
- sheet SOP, a step's row selected: a step that has not started is started; a running step is finished
  (step 5: saying which bidang have not sent; step 6: by computing the analysis, which finishes it);
- a bidang sheet: that bidang's data are sent to Rekap (step 5, `himpun` of that sheet only);
- Rekap or Analisis: the analysis is computed again (step 6).
Every action goes through `eksekusi`, like the CLI, acting as the Excel user mapped through Konfigurasi. The
answer is an Excel alert in Indonesian, never a traceback; on any error nothing is written (the adapter writes
only after the action succeeded).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .aksi.konteks import Konfigurasi, Konteks, baca_konfigurasi, eksekusi, pengguna_os, sekarang
from .domain.errors import EvkinError, InputDitolak, LangkahDitolak
from .domain.sop import BELUM, BERJALAN, SELESAI
from .io.book import Book
from .io.xlwings_book import XlwingsBook
from .schema import Skema, muat_skema

JUDUL = "Evaluasi Kinerja"
LANGKAH_HIMPUN = 5
LANGKAH_ANALISA = 6
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
        xb.batalkan()
        pesan = _pesan_ditolak(e)
    except EvkinError as e:
        pesan = _pesan_gagal(xb, e.pesan)
    except Exception as e:  # never a traceback for the user
        pesan = _pesan_gagal(xb, f"Terjadi kesalahan tak terduga ({type(e).__name__}: {e}).")
    with contextlib.suppress(Exception):  # Excel could not show it: nothing more can be done from here
        xb.alert(pesan, JUDUL, mode="info" if berhasil else "critical")
    return HasilTombol(pesan, berhasil, xb.round_trips, ditulis)


def _pesan_gagal(xb: XlwingsBook, pesan: str) -> str:
    if xb.menulis:
        return (f"{pesan}\n\nPenulisan ke Excel terhenti di tengah; sebagian hasil mungkin sudah tertulis. "
                "Periksa sheet SOP dan Log, lalu jalankan: evkin verifikasi")
    xb.batalkan()
    return f"{pesan}\n\nWorkbook tidak diubah."


def _pesan_ditolak(e: InputDitolak) -> str:
    baris = [f"- {m}" for m in e.masalah[:MAKS_MASALAH]]
    if len(e.masalah) > MAKS_MASALAH:
        baris.append(f"... dan {len(e.masalah) - MAKS_MASALAH} masalah lain.")
    return "\n".join([f"DITOLAK: {e.pesan}", *baris, "", "Perbaiki sel yang disebut, lalu tekan Run main lagi."])


def _tekan(xb: XlwingsBook, konfirmasi: bool, waktu: datetime | None) -> tuple[str, bool, int]:
    skema = muat_skema()
    sheet = xb.sheet_aktif()
    konf = baca_konfigurasi(xb, skema)
    rencana = _rencana(xb, skema, konf, sheet)
    if isinstance(rencana, str):
        return rencana, True, 0
    sebagai = _pengguna(xb, konf)
    if konfirmasi and xb.interaktif():
        jawab = xb.alert(f"{rencana.tanya}\n\nPengguna: {konf.cari_pelaku(sebagai).label()}", JUDUL,
                         tombol="ok_cancel")
        if jawab not in (None, "ok"):
            return "Dibatalkan; workbook tidak diubah.", True, 0
    catatan: list[str] = []
    hasil = eksekusi(xb, rencana.fungsi, sebagai=sebagai, waktu=waktu, info=catatan.append, skema=skema)
    ditulis = xb.simpan()
    return "\n".join([rencana.lapor(hasil), *catatan]), True, ditulis


def _pengguna(xb: XlwingsBook, konf: Konfigurasi) -> str:
    """Excel's user name, else the login (EVKIN_PENGGUNA overrides both): the first one Konfigurasi knows."""
    calon = [n for n in (os.environ.get("EVKIN_PENGGUNA"), xb.pengguna_excel(), pengguna_os()) if n]
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
        return _rencana_sop(xb, skema, xb.baris_terpilih())
    bidang = {b["sheet"]: b for b in konf.bidang}
    if sheet in bidang:
        return _rencana_bidang(bidang[sheet])
    if sheet in (skema.sheet("rekap").nama, skema.sheet("analisis").nama):
        from .aksi.analisis import analisa

        return Rencana("Hitung ulang capaian dan predikat (langkah 6: analisa data)?", analisa, _lapor_analisa)
    return (f"Tombol Run main tidak berbuat apa-apa di sheet {sheet}.\n\n"
            f"- Sheet {skema.sheet('sop').nama}: pilih baris langkah, tekan Run main untuk memulai atau "
            "menyelesaikan langkah itu.\n"
            "- Sheet bidang (mis. " + ", ".join(list(bidang)[:2]) + "): tekan Run main untuk mengirim data "
            "bidang itu.\n"
            f"- Sheet {skema.sheet('rekap').nama} atau {skema.sheet('analisis').nama}: tekan Run main untuk "
            "menghitung ulang analisis.")


def _rencana_sop(xb: XlwingsBook, skema: Skema, baris: int | None) -> Rencana | str:
    from .aksi.sop import baca_status, mulai_langkah, selesaikan_langkah

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
    if s.status == BELUM:
        return Rencana(f"Mulai langkah {no}?\n{judul}", lambda b, k: mulai_langkah(b, k, no), _lapor_mulai)
    if s.status != BERJALAN:
        return f"Status langkah {no} di sheet {tabel.sheet} tidak dikenal: '{s.status}'."
    if no == LANGKAH_ANALISA:
        from .aksi.analisis import analisa

        return Rencana(f"Hitung capaian dan predikat, lalu selesaikan langkah {no}?\n{judul}", analisa,
                       _lapor_analisa)
    if no == LANGKAH_HIMPUN:
        # Data arrive per bidang (Run main on its sheet, or evkin himpun with files). Collecting every bidang
        # sheet here would count sheets that only hold the format's prefilled indicators as sent; so this
        # finishes the step and says who has not sent.
        from .aksi.pengumpulan import status_bidang

        belum = [b["bidang"] for b in status_bidang(xb, skema, None, sekarang())
                 if not b["keadaan"].startswith("Diterima")]
        sisa = "Belum mengirim: " + ", ".join(belum) + "." if belum else "Semua bidang sudah mengirim."
        return Rencana(f"Selesaikan langkah {no}?\n{judul}\n\n{sisa}\nData bidang dikirim dengan Run main di sheet "
                       "bidang masing-masing; sesudah langkah 5 selesai, data tidak dapat dikirim atau diubah lagi.",
                       lambda b, k: selesaikan_langkah(b, k, no), lambda h: _lapor_selesai(h) + "\n" + sisa)
    return Rencana(f"Selesaikan langkah {no}?\n{judul}", lambda b, k: selesaikan_langkah(b, k, no), _lapor_selesai)


def _rencana_bidang(bidang: dict[str, Any]) -> Rencana:
    from .aksi.pengumpulan import himpun

    return Rencana(f"Kirim data {bidang['nama']} (sheet {bidang['sheet']}) ke Rekap (langkah 5)?",
                   lambda b, k: himpun(b, k, hanya_sheet=bidang["sheet"]), _lapor_himpun)


def _lapor_mulai(s: Any) -> str:
    return f"Langkah {s.no} dimulai pada {s.mulai:%d-%m-%Y %H:%M} oleh {s.oleh}."


def _lapor_selesai(s: Any) -> str:
    return (f"Langkah {s.no} selesai pada {s.selesai:%d-%m-%Y %H:%M}; durasi {s.durasi}; "
            f"sesuai mutu baku: {s.sesuai_mutu_baku}.")


def _lapor_himpun(hasil: Any) -> str:
    baris = [f"Diterima: {k.sheet or k.berkas} — bidang {k.kode_bidang}, {len(k.baris)} baris." for k in hasil.diterima]
    baris += [f"  peringatan: {m}" for m in hasil.peringatan[:MAKS_MASALAH]]
    if len(hasil.peringatan) > MAKS_MASALAH:
        baris.append(f"  ... dan {len(hasil.peringatan) - MAKS_MASALAH} peringatan lain.")
    baris.append("Belum mengirim: " + ", ".join(hasil.belum_mengirim) if hasil.belum_mengirim
                 else "Semua bidang sudah mengirim.")
    return "\n".join(baris)


def _lapor_analisa(ringkas: list[dict[str, Any]]) -> str:
    baris = [f"{r['bidang']}: {r['jumlah_indikator']} indikator, rata-rata capaian kinerja "
             f"{r.get('rata_capaian_kinerja')}% ({r.get('predikat') or '-'})" for r in ringkas]
    return "\n".join(["Analisis selesai; langkah 6 selesai.", *baris])


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

    from .domain.errors import PenggunaanSalah

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
        "Sheet SOP: klik sel di baris langkah, lalu tab xlwings > Run main — langkah Belum dimulai, langkah "
        "Berjalan diselesaikan (langkah 6: dengan menghitung analisa).",
        "Sheet bidang: isi data, lalu Run main untuk mengirimnya ke Rekap. Sheet Rekap/Analisis: Run main untuk "
        "menghitung ulang analisis.",
    ]
    return PersiapanExcel(pengaturan, conf if tulis else None, modul, dibuat, manual)
