"""`evkin status`: the SOP's steps, lateness against the mutu baku, and which bidang have (not) sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from macros_py.aksi.himpun import batas_himpun, status_bidang
from macros_py.aksi.langkah import _teks, baca_konfigurasi, baca_status
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.sop import BERJALAN, SELESAI, MesinSop, StatusLangkah
from macros_py.io.book import Book, read_table
from macros_py.schema import Skema


def ringkasan_status(book: Book, skema: Skema, waktu: datetime) -> dict[str, Any]:
    """Everything `status` shows, as plain data (also the --json output)."""
    konf = baca_konfigurasi(book, skema)
    mesin = MesinSop(list(skema.langkah), KalenderKerja(konf.libur_tambahan), skema.nama_peran)
    status = baca_status(book, skema)
    terlambat = dict(mesin.terlambat(status, waktu))
    langkah = []
    for s in status:
        lk = mesin.langkah[s.no]
        langkah.append({
            "no": s.no, "aksi": lk.aksi, "uraian": lk.uraian, "mutu_baku_waktu": lk.waktu.teks(), "status": s.status,
            "pelaksana": [skema.nama_peran.get(p, p) for p in lk.pelaksana],
            "mulai": s.mulai.isoformat(sep=" ") if s.mulai else None,
            "selesai": s.selesai.isoformat(sep=" ") if s.selesai else None,
            "durasi": s.durasi, "sesuai_mutu_baku": s.sesuai_mutu_baku, "oleh": s.oleh,
            "terlambat": terlambat.get(s.no), "catatan": s.catatan,
            "batas": _batas(mesin, status, s, waktu),
        })
    batas = batas_himpun(status, mesin, waktu)
    return {
        "bidang": status_bidang(book, skema, batas, waktu),
        "batas_himpun": batas.date().isoformat() if batas else None,
        "batas_himpun_waktu": batas.strftime("%d-%m-%Y %H:%M") if batas else None,
        "unit": konf.pengaturan.get("unit"), "tahun": konf.tahun, "periode": konf.periode,
        "waktu": waktu.isoformat(sep=" "), "langkah_aktif": mesin.langkah_aktif(status), "langkah": langkah,
        "terlambat": [{"no": no, "keterangan": k} for no, k in sorted(terlambat.items())],
        "beda_login": beda_login(book, skema),
    }


def _batas(mesin: MesinSop, status: list[StatusLangkah], s: StatusLangkah, waktu: datetime) -> str | None:
    """A step's deadline as a date and time: from its start when it runs, from the end of the step it follows when
    that one is finished; unknown before."""
    if s.status == SELESAI:
        return None
    mulai = s.mulai if s.status == BERJALAN and s.mulai else None
    acuan = mesin.acuan_mulai(s.no)
    if mulai is None and (acuan is None or {x.no: x for x in status}[acuan].selesai is None):
        return None
    return mesin.batas(s.no, mulai or mesin.waktu_mulai(status, s.no, waktu)).strftime("%d-%m-%Y %H:%M")


def beda_login(book: Book, skema: Skema) -> list[dict[str, Any]]:
    """Log rows where the person named (`--sebagai`, or the Excel user) is not the operating-system login that
    ran the command: identity on the command line is only claimed, the login is what the computer knew."""
    hasil = []
    for b in read_table(book, skema.tabel("log")):
        pengguna = _teks(b["pengguna"])
        diklaim = pengguna[pengguna.rfind("(") + 1 : -1] if pengguna.endswith(")") else pengguna
        login = _teks(b.get("perangkat")).partition("@")[0]
        if login and diklaim and login.casefold() != diklaim.casefold():
            hasil.append({"no": b["no"], "waktu": _teks(b["waktu"]), "pengguna": pengguna,
                          "perangkat": _teks(b["perangkat"]), "aksi": _teks(b["aksi"])})
    return hasil
