"""The primitives every action stands on: who acts and when (`Konteks`), the Log, and the SOP step an action runs
in (`langkah`). This module imports nothing else from `aksi/`: the use cases sit above it.

`eksekusi` is the single place where an action runs in a unit of work — the CLI, the Excel button and the demo
all go through it, so role checks, step order and logging are the same on every route.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from macros_py.domain.errors import InputDitolak, LangkahDitolak, PenggunaanSalah
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.log import BarisLog, MasalahLog, sambung, verifikasi_rantai
from macros_py.domain.predikat import KriteriaPredikat, baca_kriteria
from macros_py.domain.sop import BELUM, BERJALAN, TIDAK, MesinSop, Pelaku, StatusLangkah
from macros_py.domain.teks import teks_sel
from macros_py.io.book import Book, read_table, read_table_rows
from macros_py.io.unit_of_work import UnitOfWork
from macros_py.schema import Skema, muat_skema

SEBELUM_SOP = 0  # the Log's step of work before step 1 (a new master, carrying over the previous period)
ZONA_WAKTU = ZoneInfo("Asia/Makassar")  # WITA: Luwu Timur, Sulawesi Selatan
T = TypeVar("T")


def sekarang() -> datetime:
    """Local office time (WITA) without tzinfo, as Excel stores it."""
    return datetime.now(ZONA_WAKTU).replace(tzinfo=None, microsecond=0)


def pengguna_os() -> str:
    return os.environ.get("EVKIN_PENGGUNA") or getpass.getuser()


def perangkat() -> str:
    """The operating-system login and computer name (recorded beside the person acting, who is only claimed)."""
    import platform

    try:
        login = getpass.getuser()
    except Exception:  # no login name in this environment
        login = "?"
    return f"{login}@{platform.node() or '?'}"


@dataclass
class Konfigurasi:
    pengaturan: dict[str, Any]
    pejabat: list[Pelaku]
    bidang: list[dict[str, Any]]
    libur_tambahan: list[date]
    kriteria_baca: KriteriaPredikat | None = None
    kriteria_masalah: list[str] = field(default_factory=list)

    @property
    def kriteria(self) -> KriteriaPredikat:
        """The predikat bands of this workbook (table Kriteria Predikat); refused, naming cells, when broken."""
        if self.kriteria_masalah or self.kriteria_baca is None:
            raise InputDitolak("Tabel Kriteria Predikat di sheet Konfigurasi tidak dapat dipakai.",
                               self.kriteria_masalah)
        return self.kriteria_baca

    def cari_pelaku(self, nama: str, wajib_terdaftar: bool = True) -> Pelaku:
        kunci = nama.strip().casefold()
        for p in self.pejabat:
            if kunci in (p.pengguna.casefold(), p.nama.casefold()):
                return p
        if not wajib_terdaftar:
            return Pelaku(pengguna=nama.strip(), nama="", peran="")
        daftar = ", ".join(p.pengguna for p in self.pejabat)
        raise LangkahDitolak(
            f"Pengguna '{nama}' tidak terdaftar di sheet Konfigurasi (tabel Pejabat dan Peran). "
            f"Gunakan --sebagai dengan salah satu dari: {daftar}; atau tambahkan pengguna itu di Konfigurasi."
        )

    @property
    def tahun(self) -> int:
        return int(self.pengaturan["tahun"])

    @property
    def periode(self) -> str:
        return str(self.pengaturan["periode"])


def _teks(v: Any) -> str:
    return teks_sel(v).strip()


def baca_konfigurasi(book: Book, skema: Skema) -> Konfigurasi:
    spec = skema.sheet("konfigurasi")
    pengaturan = {_teks(b["kunci"]): b["nilai"] for b in read_table(book, spec.tabel_("pengaturan"))}
    pejabat = [
        Pelaku(pengguna=_teks(b["pengguna"]), nama=_teks(b["nama"]), peran=_teks(b["peran"]),
               jabatan=_teks(b["jabatan"]), nip=_teks(b["nip"]), bidang=_teks(b["bidang"]),
               sertifikat=_teks(b["sertifikat"]).upper())
        for b in read_table(book, spec.tabel_("pejabat"))
        if _teks(b["pengguna"]) or _teks(b["nama"])
    ]
    bidang = [{k: _teks(v) for k, v in b.items()} for b in read_table(book, spec.tabel_("bidang"))]
    kriteria, masalah = _baca_kriteria(book, skema)
    libur: list[date] = []
    for b in read_table(book, spec.tabel_("hari_libur")):
        t = b["tanggal"]
        if isinstance(t, datetime):
            libur.append(t.date())
        elif isinstance(t, date):
            libur.append(t)
        elif t not in (None, ""):
            try:
                libur.append(date.fromisoformat(_teks(t)))
            except ValueError:
                raise PenggunaanSalah(
                    f"Konfigurasi, tabel Hari Libur Tambahan: '{t}' bukan tanggal (contoh: 2026-08-18)."
                ) from None
    return Konfigurasi(pengaturan, pejabat, bidang, libur, kriteria, masalah)


def _baca_kriteria(book: Book, skema: Skema) -> tuple[KriteriaPredikat | None, list[str]]:
    """The Kriteria Predikat table; a workbook made before it existed (no such table) keeps the default bands."""
    tabel = skema.sheet("konfigurasi").tabel_("kriteria")
    judul = book.read(tabel.sheet, tabel.header_row, tabel.kolom_awal, len(tabel.kolom), 1)
    if not judul or _teks(judul[0][0]) != tabel.kolom[0].judul:
        return skema.kriteria_baku, []
    baris = [(b[0], b[1]) for b in read_table_rows(book, tabel)]
    kriteria, masalah = baca_kriteria(baris)
    if kriteria is None and not masalah:
        masalah = [(0, "tabel kosong; isi paling sedikit dua baris (predikat tertinggi sampai terendah)")]
    from macros_py.domain.konfigurasi import huruf

    return kriteria, [f"{tabel.sheet}!{huruf(tabel.kolom_awal)}{tabel.baris_data + i} (Kriteria Predikat): {pesan}"
                      for i, pesan in masalah]


@dataclass
class Konteks:
    skema: Skema
    konfigurasi: Konfigurasi
    pelaku: Pelaku
    waktu: datetime
    info: Callable[[str], None] = print
    log: list[tuple[str, str, str]] = field(default_factory=list)
    waktu_dicatat: datetime | None = None
    uow: UnitOfWork | None = None
    izinkan_contoh: bool = False
    """True only in `evkin demo` (aksi/demo.py): official outputs may carry the "(contoh)" names of the shipped
    Konfigurasi. Set by code, never by the user's environment; every other route refuses them."""

    @property
    def mesin(self) -> MesinSop:
        return MesinSop(list(self.skema.langkah), KalenderKerja(self.konfigurasi.libur_tambahan),
                        self.skema.nama_peran)

    def no(self, aksi: str) -> int:
        """The step number of an `aksi` named in sop.yaml."""
        return self.skema.langkah_aksi(aksi).no

    @property
    def folder(self) -> Path:
        """The workbook's folder: files an action makes go beside the workbook, whatever the current folder."""
        if self.uow is None or self.uow.folder is None:
            raise PenggunaanSalah("Lokasi folder workbook tidak diketahui; simpan workbook ke folder di komputer ini, "
                                  "lalu ulangi.")
        return self.uow.folder

    def relatif(self, path: Path) -> str:
        """How a file beside the workbook is recorded in it: relative to the workbook's folder, with '/'."""
        try:
            return path.resolve().relative_to(self.folder).as_posix()
        except ValueError:
            return str(path.resolve())

    def lokasi(self, tercatat: object) -> Path:
        """The file a recorded path names, resolved against the workbook's folder (never the current folder)."""
        path = Path(_teks(tercatat).replace("\\", "/"))
        return path if path.is_absolute() else self.folder / path

    def catat(self, langkah: int | str, aksi: str, rincian: str) -> None:
        """Queue a log row; it is chained and written when the action succeeds."""
        self.log.append((str(langkah), aksi, rincian))


def tulis_log(book: Book, konteks: Konteks) -> None:
    """Append the action's log rows to the Log sheet and move the anchor kept in Konfigurasi."""
    if not konteks.log:
        return
    skema = konteks.skema
    tabel = skema.tabel("log")
    ada = read_table_rows(book, tabel)
    terakhir = BarisLog(int(float(ada[-1][0])), *(_teks(v) for v in ada[-1][1:10])) if ada else None
    waktu = konteks.waktu.isoformat(sep=" ")
    baru: list[BarisLog] = []
    for langkah, aksi, rincian in konteks.log:  # at least one row: `terakhir` is set below
        if konteks.waktu_dicatat and abs((konteks.waktu_dicatat - konteks.waktu).total_seconds()) > 60:
            rincian = f"{rincian} (dicatat pada {konteks.waktu_dicatat.isoformat(sep=' ')})"
        baris = sambung(terakhir, BarisLog(0, waktu, konteks.pelaku.label(),
                                           skema.nama_peran.get(konteks.pelaku.peran, konteks.pelaku.peran),
                                           langkah, aksi, rincian, perangkat=perangkat()))
        baru.append(baris)
        terakhir = baris
    book.write(tabel.sheet, tabel.baris_data + len(ada), tabel.kolom_awal,
               [[b.no, b.waktu, b.pengguna, b.peran, b.langkah, b.aksi, b.rincian, b.hash_sebelumnya, b.hash,
                 b.perangkat] for b in baru])
    tulis_pengaturan(book, skema, {"log_jumlah": baru[-1].no, "log_hash_terakhir": baru[-1].hash})
    konteks.log.clear()


def tulis_pengaturan(book: Book, skema: Skema, nilai: dict[str, Any]) -> None:
    """Update values of the Pengaturan table (one block write)."""
    tabel = skema.sheet("konfigurasi").tabel_("pengaturan")
    baris = read_table_rows(book, tabel)
    kolom = [[b[1]] for b in baris]
    for i, b in enumerate(baris):
        if _teks(b[0]) in nilai:
            kolom[i] = [nilai[_teks(b[0])]]
    book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal + tabel.indeks("nilai"), kolom)


def periksa_periode_terbuka(pengaturan: dict[str, Any]) -> None:
    """After archiving, the period is closed: every further write action is refused."""
    ditutup = _teks(pengaturan.get("periode_ditutup"))
    if ditutup:
        raise LangkahDitolak(f"Periode ini sudah ditutup dan diarsipkan pada {ditutup}; workbook tidak dapat diubah. "
                             "Mulai periode baru dengan: evkin init --lanjut WORKBOOK_INI ...")


def eksekusi(
    uow: UnitOfWork,
    fungsi: Callable[[Book, Konteks], T],
    sebagai: str | None = None,
    waktu: datetime | None = None,
    info: Callable[[str], None] = print,
    skema: Skema | None = None,
    wajib_terdaftar: bool = True,
    izinkan_contoh: bool = False,
) -> T:
    """Run one action in a unit of work: resolve who acts, run it, then append its log rows (the caller commits).

    ``izinkan_contoh``: only the demo passes True (see Konteks.izinkan_contoh)."""
    book = uow.book
    skema = skema or muat_skema()
    konfigurasi = baca_konfigurasi(book, skema)
    periksa_periode_terbuka(konfigurasi.pengaturan)
    pelaku = konfigurasi.cari_pelaku(sebagai or pengguna_os(), wajib_terdaftar)
    kini = sekarang()
    konteks = Konteks(skema, konfigurasi, pelaku, waktu or kini, info, waktu_dicatat=kini, uow=uow,
                      izinkan_contoh=izinkan_contoh)
    hasil = fungsi(book, konteks)
    tulis_log(book, konteks)
    return hasil


# ---- the SOP step an action runs in ----------------------------------------------------------------------

KOLOM_STATUS = ("status", "mulai", "selesai", "durasi", "sesuai_mutu_baku", "oleh", "catatan")


def _waktu(v: Any) -> datetime | None:
    if isinstance(v, datetime):
        return v
    if isinstance(v, str) and v.strip():
        return datetime.fromisoformat(v.strip())
    return None


def baca_status(book: Book, skema: Skema) -> list[StatusLangkah]:
    return [
        StatusLangkah(no=int(float(b["no"])), status=_teks(b["status"]) or BELUM, mulai=_waktu(b["mulai"]),
                      selesai=_waktu(b["selesai"]), durasi=_teks(b["durasi"]),
                      sesuai_mutu_baku=_teks(b["sesuai_mutu_baku"]), oleh=_teks(b["oleh"]),
                      catatan=_teks(b["catatan"]))
        for b in read_table(book, skema.tabel("sop"))
    ]


def status_langkah(book: Book, skema: Skema, no: int) -> StatusLangkah:
    return {s.no: s for s in baca_status(book, skema)}[no]


def tulis_status(book: Book, skema: Skema, berubah: list[StatusLangkah]) -> None:
    """Write the tracking columns of all steps in one block (changed rows replaced)."""
    tabel = skema.tabel("sop")
    semua = {s.no: s for s in baca_status(book, skema)}
    semua.update({s.no: s for s in berubah})
    kiri = tabel.indeks("status")
    blok = [[getattr(semua[no], k) for k in KOLOM_STATUS] for no in sorted(semua)]
    book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal + kiri, blok)


def mulai_langkah(book: Book, konteks: Konteks, no: int, waktu: datetime | None = None) -> StatusLangkah:
    s = konteks.mesin.mulai(baca_status(book, konteks.skema), no, konteks.pelaku, waktu or konteks.waktu)
    tulis_status(book, konteks.skema, [s])
    konteks.catat(no, "mulai", f"{konteks.mesin.judul(no)} dimulai")
    return s


def selesaikan_langkah(book: Book, konteks: Konteks, no: int, catatan: str = "") -> StatusLangkah:
    s = konteks.mesin.selesai(baca_status(book, konteks.skema), no, konteks.pelaku, konteks.waktu)
    if catatan:
        s = StatusLangkah(**{**s.__dict__, "catatan": catatan})
    tulis_status(book, konteks.skema, [s])
    rincian = f"{konteks.mesin.judul(no)} selesai; durasi {s.durasi}; sesuai mutu baku: {s.sesuai_mutu_baku}"
    konteks.catat(no, "selesai", rincian + (f"; {catatan}" if catatan else ""))
    if s.sesuai_mutu_baku == TIDAK:
        konteks.info(f"Perhatian: langkah {no} melebihi mutu baku waktu ({s.durasi}).")
    return s


def periksa_boleh(book: Book, konteks: Konteks, no: int) -> StatusLangkah:
    """The order and role checks of step `no` for the acting person, without writing anything."""
    kini = status_langkah(book, konteks.skema, no)
    if kini.status == BERJALAN:
        konteks.mesin.periksa_peran(no, konteks.pelaku)
    else:  # pure: raises when the order or the role forbid starting it, or when it is finished already
        konteks.mesin.mulai(baca_status(book, konteks.skema), no, konteks.pelaku, konteks.waktu)
    return kini


@contextmanager
def langkah(book: Book, konteks: Konteks, aksi: str, selesai: bool = True) -> Iterator[int]:
    """The SOP step of `aksi`, around the action's own work: started if needed (order and role checked first),
    finished after the work when `selesai` — all inside the action's unit of work. Yields the step number."""
    no = konteks.no(aksi)
    if periksa_boleh(book, konteks, no).status == BELUM:  # it started when the step it follows finished
        mulai_langkah(book, konteks, no, konteks.mesin.waktu_mulai(baca_status(book, konteks.skema), no,
                                                                     konteks.waktu))
    yield no
    if selesai:
        selesaikan_langkah(book, konteks, no)


def verifikasi_log(book: Book, skema: Skema) -> list[MasalahLog]:
    tabel = skema.tabel("log")
    konf = baca_konfigurasi(book, skema)
    try:
        jangkar = (int(float(konf.pengaturan.get("log_jumlah") or 0)), _teks(konf.pengaturan.get("log_hash_terakhir")))
    except ValueError:
        jangkar = (-1, "")
    return verifikasi_rantai(read_table_rows(book, tabel), tabel.baris_data, jangkar)
