"""Step 5: himpun — every bidang's submission validated completely, then written, or nothing is.

A submission is read and validated (``himpun_baca``), compared with the bidang's rows of Daftar Indikator and
with its previous accepted submission (``himpun_periksa``), then written with its files (``himpun_simpan``).
Any rejection: exit 3, the master byte-identical, a marked copy of each rejected file in ``perbaikan/``. A
submission identical to the bidang's previous accepted one is reported and not written again; when every
submission is identical, nothing is saved at all (``HasilHimpun.tanpa_perubahan``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from macros_py.aksi.analisis import analisa_rekap, aturan_analisa, rekap_teranalisa, sidik_analisa
from macros_py.aksi.himpun_baca import Sumber, baca_master, baca_semua_berkas
from macros_py.aksi.himpun_periksa import (
    Pembanding,
    daftar_pembanding,
    kiriman_lalu,
    periksa_kiriman_lalu,
    periksa_referensi,
)
from macros_py.aksi.himpun_simpan import (
    FOLDER_BUKTI,
    FOLDER_KIRIMAN,
    FOLDER_PERBAIKAN,
    Simpanan,
    simpan_bukti,
    tulis_salinan_perbaikan,
)
from macros_py.aksi.langkah import Konteks, baca_konfigurasi, baca_status, langkah, periksa_boleh
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.sop import MesinSop, StatusLangkah
from macros_py.domain.validasi import Kiriman, Masalah
from macros_py.io.book import Book, append_rows, is_blank_row, read_table, read_table_rows, write_table
from macros_py.schema import Skema

__all__ = ["FOLDER_BUKTI", "FOLDER_KIRIMAN", "FOLDER_PERBAIKAN", "HasilHimpun", "KirimanMengosongkan", "himpun"]

STATUS_DITERIMA = "Diterima"
STATUS_CATATAN = "Diterima dengan catatan"  # accepted with warnings (listed in the Peringatan column)
TERLAMBAT = " (terlambat)"


class KirimanMengosongkan(InputDitolak):
    """Refused only because accepted values would be blanked: the Kasubag may overrule (--boleh-kosongkan; the
    Excel button asks)."""


@dataclass
class HasilHimpun:
    """What `himpun` did. `tidak_diproses`: files of a folder that are no evaluation format (no template
    identity, not named like a distributed format), each {"berkas": name, "alasan": why}; nothing was read
    from them. `identik`: submissions identical to their bidang's previous accepted one, with when that one
    was received (not written again). `perbaikan`: per rejected submission (by id), its marked copy.
    `tanpa_perubahan`: nothing to write (every submission identical): the master is not saved."""

    diterima: list[Kiriman] = field(default_factory=list)
    ditolak: list[Kiriman] = field(default_factory=list)
    peringatan: list[Masalah] = field(default_factory=list)
    belum_mengirim: list[str] = field(default_factory=list)
    tidak_diproses: list[dict[str, str]] = field(default_factory=list)
    identik: list[tuple[Kiriman, str]] = field(default_factory=list)
    perbaikan: dict[int, str] = field(default_factory=dict)
    tanpa_perubahan: bool = False

    def json(self) -> dict[str, Any]:
        def satu(k: Kiriman) -> dict[str, Any]:
            return {"berkas": k.berkas, "sheet": k.sheet, "bidang": k.kode_bidang, "baris": k.jumlah_baris,
                    "galat": [m.__dict__ for m in k.galat], "peringatan": [m.__dict__ for m in k.peringatan]}

        return {"status": "ditolak" if self.ditolak else "diterima", "diterima": [satu(k) for k in self.diterima],
                "ditolak": [dict(satu(k), perbaikan=self.perbaikan.get(id(k))) for k in self.ditolak],
                "identik": [{"berkas": k.berkas, "sheet": k.sheet, "bidang": k.kode_bidang, "sama_dengan": waktu}
                            for k, waktu in self.identik],
                "belum_mengirim": self.belum_mengirim, "tidak_diproses": self.tidak_diproses}


def batas_himpun(status: list[StatusLangkah], mesin: MesinSop, sekarang: datetime) -> datetime | None:
    """The bidang's deadline: the mutu baku of the himpun step from the end of the step it runs from (distribusi);
    None before that step finished."""
    no = next(lk.no for lk in mesin.langkah.values() if lk.aksi == "himpun")
    acuan = mesin.acuan_mulai(no)
    if acuan is None or {s.no: s for s in status}[acuan].selesai is None:
        return None
    return mesin.batas(no, mesin.waktu_mulai(status, no, sekarang))


def _periksa_sheet_sendiri(konteks: Konteks, hanya_sheet: str | None) -> None:
    """A Kepala Bidang pressing Kirim on another bidang's sheet is refused first, even on an empty sheet."""
    pelaku = konteks.pelaku
    if hanya_sheet is not None and pelaku.peran == "kepala_bidang":
        kode = next((b["kode"] for b in konteks.konfigurasi.bidang if b["sheet"] == hanya_sheet), None)
        if kode is not None and kode != pelaku.bidang:
            raise InputDitolak(f"{pelaku.label()} hanya boleh mengirim data bidangnya sendiri "
                               f"({pelaku.bidang or '-'}), bukan {kode}; workbook induk tidak diubah.")


def _baca(book: Book, konteks: Konteks, berkas: Sequence[Path], hanya_sheet: str | None,
          hasil: HasilHimpun) -> list[Sumber]:
    """The submissions of the command, read and validated; a usage error when there is none."""
    if berkas:
        sumber, hasil.tidak_diproses = baca_semua_berkas(berkas, konteks, konteks.info)
    else:
        sumber = baca_master(book, konteks, hanya_sheet)
    if hanya_sheet is not None and not berkas and not sumber:
        raise PenggunaanSalah(f"Sheet {hanya_sheet} belum berisi data indikator; isi dulu, lalu kirim lagi.")
    if berkas and not sumber and hasil.tidak_diproses:
        galat = InputDitolak("Tidak ada kiriman yang dapat diproses: tidak satu pun berkas adalah format evaluasi "
                             "kinerja; workbook induk tidak diubah.",
                             [f"{x['berkas']}: tidak diproses, {x['alasan']}" for x in hasil.tidak_diproses])
        galat.hasil = hasil  # type: ignore[attr-defined]
        raise galat
    if berkas and not sumber:
        raise PenggunaanSalah("Tidak ada berkas kiriman (.xlsx/.xlsm) di " + ", ".join(map(str, berkas)) + ".")
    if not sumber:
        raise PenggunaanSalah("Belum ada sheet bidang yang diisi di workbook induk, dan tidak ada berkas yang "
                              "diberikan. Contoh: evkin himpun kiriman/")
    return sumber


def _periksa_pengirim(konteks: Konteks, sumber: Sequence[Sumber]) -> None:
    """A Kepala Bidang sends only his own bidang's data; one submission per bidang per command."""
    pelaku = konteks.pelaku
    dilihat: dict[str, str] = {}
    for s in sumber:
        k = s.kiriman
        if not k.kode_bidang:
            continue
        if pelaku.peran == "kepala_bidang" and k.kode_bidang != pelaku.bidang:
            k.galat.append(Masalah(k.berkas, k.sheet, "", f"{pelaku.label()} hanya boleh mengirim data bidangnya "
                                                          f"sendiri ({pelaku.bidang or '-'}), bukan {k.kode_bidang}."))
        if k.kode_bidang in dilihat:
            k.galat.append(Masalah(k.berkas, k.sheet, "", f"bidang {k.kode_bidang} dikirim dua kali dalam satu "
                                                          f"perintah (juga di {dilihat[k.kode_bidang]})."))
        dilihat.setdefault(k.kode_bidang, k.berkas)


def _tolak(konteks: Konteks, sumber: Sequence[Sumber], hasil: HasilHimpun, pembanding: Pembanding) -> None:
    """Every rejected submission reported, its file copied with the problems marked; exit 3."""
    ditolak = [s for s in sumber if not s.kiriman.diterima]
    hasil.ditolak = [s.kiriman for s in ditolak]
    hasil.diterima = [s.kiriman for s in sumber if s.kiriman.diterima]
    jalur, catatan = tulis_salinan_perbaikan(konteks, ditolak)
    hasil.perbaikan = {id(s.kiriman): p for s in ditolak if (p := jalur.get(id(s))) is not None}
    masalah = [str(m) for k in hasil.ditolak for m in k.galat] + catatan
    lain = f" {len(hasil.diterima)} kiriman lain valid tetapi tidak disimpan." if hasil.diterima else ""
    pesan = f"{len(ditolak)} kiriman ditolak; workbook induk tidak diubah.{lain}"
    hanya_kosong = all(id(s) in pembanding.hanya_mengosongkan for s in ditolak)
    if pembanding.mengosongkan:
        pesan += (" Kiriman yang mengosongkan nilai yang sudah diterima ditolak; bila nilai itu memang harus "
                  "dikosongkan, Kasubag menjalankan himpun lagi dengan --boleh-kosongkan.")
    galat = (KirimanMengosongkan if hanya_kosong else InputDitolak)(pesan, masalah)
    galat.hasil = hasil  # type: ignore[attr-defined]
    raise galat


def himpun(book: Book, konteks: Konteks, berkas: Sequence[Path] = (), hanya_sheet: str | None = None,
           boleh_kosongkan: bool = False) -> HasilHimpun:
    """Step 5: validate every submission completely; write all of them, or nothing (exit 3) if any fails.

    With no files, the bidang sheets filled inside the master are collected (only `hanya_sheet` if given).
    Accepted files and their bukti dukung are kept beside the workbook (the record archives them) once the
    master is saved. `boleh_kosongkan`: the Kasubag accepts that a submission blanks values the bidang's
    previous accepted submission had (each blanked cell is then a warning).
    """
    skema = konteks.skema
    hasil = HasilHimpun()
    _periksa_sheet_sendiri(konteks, hanya_sheet)
    daftar = daftar_pembanding(book, konteks)
    sumber = _baca(book, konteks, berkas, hanya_sheet, hasil)
    _periksa_pengirim(konteks, sumber)
    periksa_referensi(konteks, sumber, daftar)
    del daftar  # compared: a province's list is 300 MB, let it go before the rows are written
    rekap = read_table_rows(book, skema.tabel("rekap"))
    pembanding = periksa_kiriman_lalu(konteks, sumber, kiriman_lalu(book, skema, rekap), boleh_kosongkan)
    if any(not s.kiriman.diterima for s in sumber):
        _tolak(konteks, sumber, hasil, pembanding)
    hasil.identik = [(s.kiriman, waktu) for s, waktu in pembanding.identik]
    sama = {id(s) for s, _ in pembanding.identik}
    baru = [s for s in sumber if id(s) not in sama]
    if not baru:
        periksa_boleh(book, konteks, konteks.no("himpun"))  # the order and role checks still answer first
        hasil.tanpa_perubahan = True
        hasil.belum_mengirim = belum_mengirim(book, skema)
        return hasil
    _tulis(book, konteks, baru, rekap, hasil)
    return hasil


def _tulis(book: Book, konteks: Konteks, sumber: Sequence[Sumber], rekap: list[list[Any]],
           hasil: HasilHimpun) -> None:
    """The accepted submissions written: bidang sheets, Rekap, Penerimaan, Bukti Dukung, kept files, Log."""
    skema = konteks.skema
    nama_bidang = {b["kode"]: b["nama"] for b in konteks.konfigurasi.bidang}
    hasil.diterima = [s.kiriman for s in sumber]
    with langkah(book, konteks, "himpun", selesai=False) as no:
        batas = batas_himpun(baca_status(book, konteks.skema), konteks.mesin, konteks.waktu)
        terlambat = batas is not None and konteks.waktu > batas
        penerimaan, bukti_baru = [], []
        rekap_baru: dict[str, list[dict[str, Any]]] = {}
        bidang = {x["kode"]: x for x in konteks.konfigurasi.bidang}
        simpanan = Simpanan(konteks)
        for s in sumber:
            k = s.kiriman
            b = bidang[k.kode_bidang]
            if s.path is not None:  # a file: its rows become the bidang sheet's rows in the master
                tabel = skema.tabel_bidang(b["sheet"])
                # the old rows are blanked without being read (a kabupaten's sheets hold 30,000 of them)
                lama = book.last_row(tabel.sheet) - tabel.baris_data + 1
                write_table(book, tabel, k.baris, hapus_sisa=max(0, lama - len(k.baris)))
            rekap_baru[b["nama"]] = k.baris
            bukti = simpan_bukti(k, s.path.parent if s.path else None, simpanan, b)
            bukti_baru.append((b["nama"], bukti))
            k.peringatan += [Masalah(k.berkas, k.sheet, "", f"bukti dukung '{x['nama']}' tidak ditemukan di folder "
                                                            "kiriman.") for x in bukti if x["status"] == "tidak ada"]
            tercatat = (simpanan.simpan(s.path, b["kode"], FOLDER_KIRIMAN, s.sha256) if s.path
                        else f"sheet {k.sheet}")
            status = (STATUS_CATATAN if k.peringatan else STATUS_DITERIMA) + (TERLAMBAT if terlambat else "")
            penerimaan.append({
                "waktu": konteks.waktu, "bidang": b["nama"], "berkas": tercatat, "sha256": s.sha256,
                "baris": len(k.baris), "status": status,
                "peringatan": "; ".join(f"{m.sel}: {m.pesan}" if m.sel else m.pesan for m in k.peringatan)[:2000],
                "oleh": konteks.pelaku.label(),
            })
            konteks.catat(no, "himpun", f"{b['nama']}: {len(k.baris)} baris dari {k.berkas if s.path else tercatat} "
                                        f"(sha256 {s.sha256[:12]}), {len(k.peringatan)} peringatan"
                                        + (", terlambat" if terlambat else ""))
            hasil.peringatan += k.peringatan
        _ganti_rekap(book, konteks, rekap, rekap_baru, list(nama_bidang.values()))
        for s in sumber:
            s.kiriman.lepas_baris()  # written: the result reports their number, until the master is saved
        append_rows(book, skema.tabel("penerimaan"), penerimaan)
        _ganti_bukti(book, skema, bukti_baru)
        if terlambat:
            baku = konteks.mesin.langkah[no].waktu.teks()
            konteks.info(f"Perhatian: kiriman diterima setelah batas {batas:%d-%m-%Y %H:%M} ({baku} langkah {no}).")
        hasil.belum_mengirim = belum_mengirim(book, skema)


def _ganti_rekap(book: Book, konteks: Konteks, mentah: list[list[Any]],
                 baru_per_bidang: dict[str, list[dict[str, Any]]], urutan_bidang: list[str]) -> None:
    """Each submitting bidang's rows replace its previous rows in Rekap (no duplicates), in bidang order, each
    with its analysis columns (step 6 then finds them computed, see `analisis`).

    One read and one write of Rekap for the whole command, however many files: it grows with the rows. Rows
    are built as lists straight from the submissions (no copy of every row as a dict: 200,000 rows at
    province scale). The rows kept are analysed again only when Rekap is not what himpun saved with today's
    period and bands; with a Kriteria Predikat table that cannot be used, the new rows' analysis is left to
    step 6 (which names the problem).
    """
    skema = konteks.skema
    tabel = skema.tabel("rekap")
    i_bidang, i_no = tabel.indeks("bidang"), tabel.indeks("no")
    baru = [b for b in mentah if not is_blank_row(b) and b[i_bidang] not in baru_per_bidang]
    aturan = aturan_analisa(konteks)
    sidik = sidik_analisa(skema, *aturan) if aturan is not None else ""
    if aturan is not None and not rekap_teranalisa(book, skema, sidik):
        analisa_rekap(skema, baru, aturan)
    dikirim = []
    for nama, baris in baru_per_bidang.items():
        for r in baris:
            b = list(map(r.get, tabel.keys))
            b[i_bidang] = nama
            dikirim.append(b)
    if aturan is not None:
        analisa_rekap(skema, dikirim, aturan)
    baru += dikirim
    posisi = {n: i for i, n in enumerate(urutan_bidang)}
    baru.sort(key=lambda b: (posisi.get(b[i_bidang], len(posisi)), b[i_no] or 0))
    kosong = [[None] * len(tabel.keys) for _ in range(max(0, len(mentah) - len(baru)))]
    if baru or kosong:
        book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal, baru + kosong)
    book.keep_for_next(tabel.sheet, sidik)  # the analysis (step 6) reads the whole Rekap next


def _ganti_bukti(book: Book, skema: Skema, bukti_baru: list[tuple[str, list[dict[str, Any]]]]) -> None:
    tabel = skema.tabel("bukti")
    lama = read_table(book, tabel)
    diganti = {nama for nama, _ in bukti_baru}
    baru = [r for r in lama if r["bidang"] not in diganti] + [dict(x, bidang=nama) for nama, xs in bukti_baru
                                                              for x in xs]
    write_table(book, tabel, baru, hapus_sisa=max(0, len(lama) - len(baru)))


def status_bidang(book: Book, skema: Skema, batas: datetime | None, sekarang: datetime) -> list[dict[str, Any]]:
    """Per bidang: last accepted submission, rows, and whether it is missing or late against step 5."""

    terakhir: dict[str, dict[str, Any]] = {b["bidang"]: b for b in read_table(book, skema.tabel("penerimaan"))}
    hasil = []
    for b in baca_konfigurasi(book, skema).bidang:
        r = terakhir.get(b["nama"])
        if r is None:
            keadaan = "terlambat, belum mengirim" if batas and sekarang > batas else "belum mengirim"
        else:
            keadaan = str(r["status"])
        hasil.append({"bidang": b["nama"], "kode": b["kode"], "keadaan": keadaan,
                      "terakhir": r["waktu"].isoformat(sep=" ") if r and isinstance(r["waktu"], datetime) else None,
                      "baris": r["baris"] if r else 0})
    return hasil


def belum_mengirim(book: Book, skema: Skema) -> list[str]:
    """The bidang with no accepted submission yet."""
    return [b["bidang"] for b in status_bidang(book, skema, None, datetime.now()) if b["keadaan"] == "belum mengirim"]
