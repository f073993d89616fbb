"""SOP step actions: start, finish, reopen, status, and running a step's own work inside its start/finish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from macros_py.aksi.konteks import Konteks, _teks, baca_konfigurasi
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.log import MasalahLog, verifikasi_rantai
from macros_py.domain.sop import BELUM, BERJALAN, SELESAI, MesinSop, StatusLangkah
from macros_py.io.book import Book, read_table, read_table_rows
from macros_py.schema import Skema

T = TypeVar("T")
LANGKAH_TANDA_TANGAN = 9
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


def tulis_status(book: Book, skema: Skema, berubah: list[StatusLangkah]) -> None:
    """Write the tracking columns of all steps in one block (changed rows replaced)."""
    tabel = skema.tabel("sop")
    semua = {s.no: s for s in baca_status(book, skema)}
    semua.update({s.no: s for s in berubah})
    kiri = tabel.indeks("status")
    blok = [[getattr(semua[no], k) for k in KOLOM_STATUS] for no in sorted(semua)]
    book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal + kiri, blok)


def mulai_langkah(book: Book, konteks: Konteks, no: int) -> StatusLangkah:
    s = konteks.mesin.mulai(baca_status(book, konteks.skema), no, konteks.pelaku, konteks.waktu)
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
    if s.sesuai_mutu_baku == "Tidak":
        konteks.info(f"Perhatian: langkah {no} melebihi mutu baku waktu ({s.durasi}).")
    return s


def buka_ulang(book: Book, konteks: Konteks, no: int, alasan: str) -> list[StatusLangkah]:
    """Reopen a finished step; reopening signed work (step 9 or before) voids the signature visibly."""
    sebelum = baca_status(book, konteks.skema)
    berubah = konteks.mesin.buka_ulang(sebelum, no, konteks.pelaku, konteks.waktu, alasan)
    tulis_status(book, konteks.skema, berubah)
    if no <= LANGKAH_TANDA_TANGAN and {s.no: s for s in sebelum}[LANGKAH_TANDA_TANGAN].status == SELESAI:
        from macros_py.aksi.dokumen import batalkan_tanda_tangan

        batalkan_tanda_tangan(book, konteks, f"langkah {no} dibuka ulang: {alasan.strip()}")
    ikut = [str(s.no) for s in berubah[1:]]
    rincian = f"alasan: {alasan.strip()}" + (f"; langkah diulang: {', '.join(ikut)}" if ikut else "")
    konteks.catat(no, "buka-ulang", rincian)
    return berubah


def jalankan_langkah(book: Book, konteks: Konteks, no: int, kerja: Callable[[], T], selesai: bool = True) -> T:
    """A step's own action: start the step if needed, do the work, finish it (all in one unit of work)."""
    kini = {s.no: s for s in baca_status(book, konteks.skema)}[no]
    if kini.status == BELUM:
        mulai_langkah(book, konteks, no)
    elif kini.status != BERJALAN:
        konteks.mesin.mulai(baca_status(book, konteks.skema), no, konteks.pelaku, konteks.waktu)  # raises
    else:
        konteks.mesin.periksa_peran(no, konteks.pelaku)
    hasil = kerja()
    if selesai:
        selesaikan_langkah(book, konteks, no)
    return hasil


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
            "no": s.no, "uraian": lk.uraian, "mutu_baku_waktu": lk.waktu.teks(), "status": s.status,
            "mulai": s.mulai.isoformat(sep=" ") if s.mulai else None,
            "selesai": s.selesai.isoformat(sep=" ") if s.selesai else None,
            "durasi": s.durasi, "sesuai_mutu_baku": s.sesuai_mutu_baku, "oleh": s.oleh,
            "terlambat": terlambat.get(s.no), "catatan": s.catatan,
        })
    from macros_py.aksi.pengumpulan import status_bidang

    mulai5 = {x.no: x for x in status}[5].mulai
    batas = mesin.kalender.batas_waktu(mulai5.date(), mesin.langkah[5].waktu.nilai) if mulai5 else None
    return {
        "bidang": status_bidang(book, skema, batas, waktu),
        "batas_himpun": batas.isoformat() if batas else None,
        "unit": konf.pengaturan.get("unit"), "tahun": konf.tahun, "periode": konf.periode,
        "waktu": waktu.isoformat(sep=" "), "langkah_aktif": mesin.langkah_aktif(status), "langkah": langkah,
        "terlambat": [{"no": no, "keterangan": k} for no, k in sorted(terlambat.items())],
    }


def verifikasi_log(book: Book, skema: Skema) -> list[MasalahLog]:
    tabel = skema.tabel("log")
    konf = baca_konfigurasi(book, skema)
    try:
        jangkar = (int(float(konf.pengaturan.get("log_jumlah") or 0)), _teks(konf.pengaturan.get("log_hash_terakhir")))
    except ValueError:
        jangkar = (-1, "")
    return verifikasi_rantai(read_table_rows(book, tabel), tabel.baris_data, jangkar)
