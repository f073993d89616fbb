"""The SOP state machine: step order, who may act, and timing against the mutu baku.

Pure: it works on `StatusLangkah` records that an adapter read from the SOP sheet, and returns what changed;
the action layer writes them back and logs them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from macros_py.domain.errors import LangkahDitolak
from macros_py.domain.hari_kerja import KalenderKerja

BELUM = "Belum"
BERJALAN = "Berjalan"
SELESAI = "Selesai"
YA = "Ya"
TIDAK = "Tidak"
# Roles allowed to reopen any step besides the step's own pelaksana: they supervise the whole SOP.
PERAN_PENGAWAS = ("sekretaris", "kepala")
# What the machine itself writes into a step's Catatan (anything else there was typed by a person).
CATATAN_DIBUKA_ULANG = "Dibuka ulang "
CATATAN_DIULANG = "Diulang karena langkah "


@dataclass(frozen=True)
class MutuBakuWaktu:
    nilai: int
    satuan: str  # "menit" or "hari" (hari kerja)

    def teks(self) -> str:
        return f"{self.nilai} {self.satuan}"


@dataclass(frozen=True)
class Langkah:
    """One step of the SOP as the seed defines it."""

    no: int
    aksi: str
    uraian: str
    pelaksana: tuple[str, ...]
    kelengkapan: str
    waktu: MutuBakuWaktu
    output: str
    mulai_dari: str = ""  # the `aksi` of the step whose end starts this one's time (default: the step before it)


@dataclass(frozen=True)
class Pelaku:
    """The person acting, as found in Konfigurasi."""

    pengguna: str
    nama: str
    peran: str
    jabatan: str = ""
    nip: str = ""
    bidang: str = ""
    sertifikat: str = ""  # SHA-256 fingerprint of the pejabat's signing certificate, registered in Konfigurasi

    def label(self) -> str:
        return f"{self.nama} ({self.pengguna})" if self.nama else self.pengguna


@dataclass(frozen=True)
class StatusLangkah:
    """One row of the SOP sheet's tracking columns."""

    no: int
    status: str = BELUM
    mulai: datetime | None = None
    selesai: datetime | None = None
    durasi: str = ""
    sesuai_mutu_baku: str = ""
    oleh: str = ""
    catatan: str = ""


def _fmt(waktu: datetime) -> str:
    return waktu.strftime("%d-%m-%Y %H:%M")


class MesinSop:
    """Enforces the SOP: a step starts only after its predecessor is finished, by one of its pelaksana."""

    def __init__(self, langkah: list[Langkah], kalender: KalenderKerja, nama_peran: dict[str, str]) -> None:
        self.langkah = {lk.no: lk for lk in langkah}
        self.kalender = kalender
        self.nama_peran = nama_peran

    def _langkah(self, no: int) -> Langkah:
        if no not in self.langkah:
            raise LangkahDitolak(f"Langkah {no} tidak ada; SOP ini memiliki langkah 1–{len(self.langkah)}.")
        return self.langkah[no]

    def judul(self, no: int) -> str:
        return f"Langkah {no} ({self._langkah(no).uraian})"

    def periksa_peran(self, no: int, pelaku: Pelaku, tambahan: tuple[str, ...] = ()) -> None:
        langkah = self._langkah(no)
        boleh = langkah.pelaksana + tambahan
        if pelaku.peran not in boleh:
            nama = ", ".join(self.nama_peran.get(p, p) for p in boleh)
            peran = self.nama_peran.get(pelaku.peran, pelaku.peran or "tanpa peran")
            raise LangkahDitolak(
                f"{self.judul(no)} dilaksanakan oleh {nama}; {pelaku.label()} berperan {peran} "
                f"sehingga tidak berwenang. Minta {nama} menjalankannya: evkin {langkah.aksi}"
            )

    def petunjuk(self, no: int) -> str:
        """How to go on with step `no`: who does it and which command."""
        lk = self._langkah(no)
        siapa = ", ".join(self.nama_peran.get(p, p) for p in lk.pelaksana)
        return f"Langkah berikutnya: {no} ({lk.uraian}), oleh {siapa}: evkin {lk.aksi}"

    def _periksa_pendahulu(self, semua: dict[int, StatusLangkah], no: int, kata: str) -> None:
        if no > 1 and semua[no - 1].status != SELESAI:
            berikut = self.langkah_aktif(list(semua.values())) or no - 1
            raise LangkahDitolak(
                f"{self.judul(no)} belum dapat {kata}: langkah {no - 1} "
                f"({self.langkah[no - 1].uraian}) belum selesai (status: {semua[no - 1].status}). "
                f"{self.petunjuk(berikut)}."
            )

    def _cara_mengulang(self, no: int, pelaku: Pelaku) -> str:
        """Who may reopen a finished step: its lead pelaksana and the supervisors run buka-ulang; others ask them."""
        lk = self._langkah(no)
        if pelaku.peran in (lk.pelaksana[0], *PERAN_PENGAWAS):
            return f"Untuk mengulang, gunakan: evkin buka-ulang {no} --alasan \"...\""
        return (f"Bila perlu diulang, hubungi {self.nama_peran.get(lk.pelaksana[0], lk.pelaksana[0])} agar langkah "
                "itu dibuka ulang.")

    def mulai(self, status: list[StatusLangkah], no: int, pelaku: Pelaku, waktu: datetime) -> StatusLangkah:
        semua = {s.no: s for s in status}
        self.periksa_peran(no, pelaku)
        kini = semua[no]
        if kini.status == BERJALAN:
            raise LangkahDitolak(
                f"{self.judul(no)} sudah dimulai pada {_fmt(kini.mulai) if kini.mulai else '-'} oleh {kini.oleh}."
            )
        if kini.status == SELESAI:
            raise LangkahDitolak(f"{self.judul(no)} sudah selesai. {self._cara_mengulang(no, pelaku)}")
        self._periksa_pendahulu(semua, no, "dimulai")
        return replace(kini, status=BERJALAN, mulai=waktu, selesai=None, durasi="", sesuai_mutu_baku="",
                       oleh=pelaku.label())

    def selesai(self, status: list[StatusLangkah], no: int, pelaku: Pelaku, waktu: datetime) -> StatusLangkah:
        semua = {s.no: s for s in status}
        self.periksa_peran(no, pelaku)
        kini = semua[no]
        if kini.status == SELESAI:
            raise LangkahDitolak(
                f"{self.judul(no)} sudah selesai pada {_fmt(kini.selesai) if kini.selesai else '-'}. "
                f"{self._cara_mengulang(no, pelaku)}"
            )
        self._periksa_pendahulu(semua, no, "diselesaikan")
        if kini.status != BERJALAN or kini.mulai is None:
            raise LangkahDitolak(f"{self.judul(no)} belum dimulai; mulai dulu: evkin langkah mulai {no} (atau "
                                 f"jalankan aksinya: evkin {self._langkah(no).aksi}).")
        if waktu < kini.mulai:
            raise LangkahDitolak(
                f"{self.judul(no)}: waktu selesai {_fmt(waktu)} lebih awal dari waktu mulai {_fmt(kini.mulai)}."
            )
        durasi, sesuai = self.ukur(no, kini.mulai, waktu)
        return replace(kini, status=SELESAI, selesai=waktu, durasi=durasi,
                       sesuai_mutu_baku=YA if sesuai else TIDAK, oleh=pelaku.label())

    def ukur(self, no: int, mulai: datetime, selesai: datetime) -> tuple[str, bool]:
        """Duration text and whether it meets the mutu baku (minutes by the clock, days as hari kerja)."""
        baku = self._langkah(no).waktu
        if baku.satuan == "hari":
            hari = self.kalender.jumlah_hari_kerja(mulai.date(), selesai.date())
            teks = f"{hari} hari kerja" if hari else "0 hari kerja (selesai di hari yang sama)"
            return teks, hari <= baku.nilai
        menit = int((selesai - mulai).total_seconds() // 60)
        return f"{menit} menit", menit <= baku.nilai

    def buka_ulang(
        self, status: list[StatusLangkah], no: int, pelaku: Pelaku, waktu: datetime, alasan: str
    ) -> list[StatusLangkah]:
        """Reopen a finished step (and reset every step after it); a reason is mandatory."""
        alasan = alasan.strip()
        if not alasan:
            raise LangkahDitolak(f"Buka ulang {self.judul(no)} memerlukan alasan (--alasan).")
        self.periksa_peran(no, pelaku, PERAN_PENGAWAS)
        semua = {s.no: s for s in status}
        if semua[no].status != SELESAI:
            raise LangkahDitolak(
                f"{self.judul(no)} belum selesai (status: {semua[no].status}); tidak perlu dibuka ulang."
            )
        berubah = [
            replace(semua[no], status=BERJALAN, mulai=waktu, selesai=None, durasi="", sesuai_mutu_baku="",
                    oleh=pelaku.label(), catatan=f"{CATATAN_DIBUKA_ULANG}{_fmt(waktu)}: {alasan}")
        ]
        for s in status:
            if s.no > no and s.status != BELUM:
                berubah.append(StatusLangkah(no=s.no, catatan=f"{CATATAN_DIULANG}{no} dibuka ulang"))
        return berubah

    def acuan_mulai(self, no: int) -> int | None:
        """The step whose end starts step `no`'s time against the mutu baku (None for the first step)."""
        dari = self._langkah(no).mulai_dari
        if dari:
            return next(lk.no for lk in self.langkah.values() if lk.aksi == dari)
        return no - 1 if no > 1 else None

    def waktu_mulai(self, status: list[StatusLangkah], no: int, sekarang: datetime) -> datetime:
        """When step `no` started for the SOP: when the step it follows finished, since the office was working on it
        from then (its action runs later, at one command) — never later than now."""
        acuan = self.acuan_mulai(no)
        selesai = {s.no: s for s in status}[acuan].selesai if acuan is not None else None
        return min(selesai, sekarang) if selesai is not None else sekarang

    def batas(self, no: int, mulai: datetime) -> datetime:
        """The deadline of a step started at `mulai`: N minutes later, or the end of the N-th working day after."""
        baku = self._langkah(no).waktu
        if baku.satuan == "hari":
            hari = self.kalender.batas_waktu(mulai.date(), baku.nilai)
            return datetime.combine(hari, datetime.max.time()).replace(microsecond=0)
        return mulai + timedelta(minutes=baku.nilai)

    def terlambat(self, status: list[StatusLangkah], sekarang: datetime) -> list[tuple[int, str]]:
        """Steps over their mutu baku: finished late, or still running past the limit."""
        hasil: list[tuple[int, str]] = []
        for s in status:
            baku = self._langkah(s.no).waktu
            if s.status == SELESAI and s.sesuai_mutu_baku == TIDAK:
                hasil.append((s.no, f"selesai {s.durasi}, melebihi mutu baku {baku.teks()}"))
            elif s.status == BERJALAN and s.mulai is not None:
                durasi, sesuai = self.ukur(s.no, s.mulai, sekarang)
                if not sesuai:
                    hasil.append((s.no, f"masih berjalan {durasi}, melebihi mutu baku {baku.teks()}"))
        return hasil

    def langkah_aktif(self, status: list[StatusLangkah]) -> int | None:
        """The step to work on next: the first one not finished."""
        for s in sorted(status, key=lambda s: s.no):
            if s.status != SELESAI:
                return s.no
        return None
