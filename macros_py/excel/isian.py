"""What the Excel button needs before an action runs: the rows users typed into sheets (Disposisi, Rapat, the
Catatan of a step) parsed into the action's arguments, and one plan per SOP step — the question to confirm, the
registered action to run, and the report. Planners are named by the registry's `excel` field.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from macros_py.aksi import laporan
from macros_py.aksi.langkah import Konfigurasi, Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.sop import BELUM, CATATAN_DIBUKA_ULANG, CATATAN_DIULANG, MesinSop, Pelaku, StatusLangkah
from macros_py.domain.teks import teks_sel
from macros_py.io.book import Book, read_table, read_table_rows
from macros_py.io.engines.xlwings_book import XlwingsBook
from macros_py.schema import Skema, Tabel

CATATAN_SISTEM = (CATATAN_DIBUKA_ULANG, CATATAN_DIULANG)  # what the SOP machine itself writes into Catatan
CATATAN_CETAK = ("Tampilan cetak ada di berkas itu; sheet {sheet} di workbook ini hanya ditata ulang bila aksi "
                 "dijalankan dengan evkin.")


@dataclass
class Rencana:
    """One button press, decided before anything runs: the question to confirm, the action, its report, and the
    workbook's folder when the action makes files beside it."""

    tanya: str
    fungsi: Callable[[Book, Konteks], Any]
    lapor: Callable[[Any], str]
    folder: Path | None = None
    ditolak: Callable[[InputDitolak], Rencana | None] | None = None
    """A refusal the user may overrule (a bidang sheet that would blank accepted values): the plan to confirm
    and run instead, or None to report the refusal."""


@dataclass
class Papan:
    """What a planner may look at: the workbook, the schema, Konfigurasi, the step and the selected row."""

    xb: XlwingsBook
    skema: Skema
    konf: Konfigurasi
    status: dict[int, StatusLangkah]
    no: int
    baris: int
    pelaku: Callable[[], Pelaku]

    def periksa_boleh(self) -> Pelaku:
        """The order and role checks the action itself makes, made before its input is read: the user hears "step
        2 is not finished" before "type the rows"."""
        pelaku = self.pelaku()
        mesin = MesinSop(list(self.skema.langkah), KalenderKerja(self.konf.libur_tambahan), self.skema.nama_peran)
        if self.status[self.no].status == BELUM:
            from macros_py.aksi.langkah import sekarang

            mesin.mulai(list(self.status.values()), self.no, pelaku, sekarang())  # pure: raises, writes nothing
        else:
            mesin.periksa_peran(self.no, pelaku)
        return pelaku

    def folder(self, keperluan: str, perintah: str) -> Path:
        return folder_workbook(self.xb, keperluan, perintah)


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


def disposisi(papan: Papan) -> Rencana:
    """Step 1 from the row the user typed into sheet Disposisi (the last one not recorded yet)."""
    from macros_py.aksi.persiapan import catat_disposisi

    xb, skema, no = papan.xb, papan.skema, papan.no
    papan.periksa_boleh()
    tabel = skema.tabel("disposisi")
    ketikan = _baris_ketikan(xb, tabel, ("nomor", "tanggal", "dari", "isi"))
    if not ketikan:
        r = _baris_kosong_pertama(xb, tabel)
        raise PenggunaanSalah(
            f"Belum ada disposisi yang diketik. Di sheet {tabel.sheet}, baris kosong pertama (baris {r}), isi kolom "
            f"{_judul(tabel, 'nomor', 'tanggal', 'dari', 'isi')} (sel {_sel(tabel, 'nomor', r)}–"
            f"{_sel(tabel, 'isi', r)}); biarkan {_judul(tabel, 'dicatat_oleh', 'waktu')} kosong. Lalu kembali ke "
            f"sheet {skema.tabel('sop').sheet}, pilih baris langkah {no}, dan tekan Run main lagi.")
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

    return Rencana(f"Catat disposisi dari baris {r} sheet {tabel.sheet}, lalu selesaikan langkah {no}?\n"
                   f"Nomor: {nomor or '-'}\nTanggal: {f'{tanggal:%d-%m-%Y}' if tanggal else 'hari ini'}\n"
                   f"Dari: {dari}\nIsi: {isi[:300]}", fungsi,
                   lambda h: f"Disposisi nomor {h['nomor'] or '-'} dari {h['dari']} dicatat di sheet {tabel.sheet} "
                             f"(baris {r}); langkah {no} selesai.")


def rapat(papan: Papan) -> Rencana:
    """Step 4 from the rows the user typed into sheet Rapat: one per bidang present, one date, one conclusion."""
    from macros_py.aksi.persiapan import catat_rapat

    xb, skema, konf, no = papan.xb, papan.skema, papan.konf, papan.no
    papan.periksa_boleh()
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
            f"langkah {no}, dan tekan Run main lagi.")
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
                   f"{baris[0]}–{baris[-1]} sheet {tabel.sheet}, lalu selesaikan langkah {no}?\n"
                   + "\n".join(f"{kode}: {nama}" for kode, nama in peserta.items())
                   + (f"\nTidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                   + f"\nKesimpulan: {kesimpulan[0][:300]}", fungsi,
                   lambda h: f"Rapat koordinasi dicatat di sheet {tabel.sheet} ({len(h)} bidang hadir"
                             + (f"; tidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                             + f"); langkah {no} selesai.")


def folder_workbook(xb: XlwingsBook, keperluan: str, perintah: str) -> Path:
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


def _sederhana(nama: str, tanya: str) -> Callable[[Papan], Rencana]:
    """A step whose action needs nothing typed: confirm, run the registered action, report as `evkin` does."""
    def rencana(papan: Papan) -> Rencana:
        from macros_py.aksi.registry import AKSI

        entri = AKSI[nama]
        fungsi = entri.muat()
        return Rencana(tanya.format(no=papan.no), fungsi,
                       lambda h: "\n".join(entri.lapor(h, papan.no, _TANPA_OPSI)))
    return rencana


class _TanpaOpsi:
    json = False


_TANPA_OPSI: Any = _TanpaOpsi()
format_ = _sederhana("format", "Buat format pengumpulan data per bidang dari sheet Daftar Indikator, lalu selesaikan "
                               "langkah {no}?")
analisa = _sederhana("analisa", "Hitung capaian dan predikat, lalu selesaikan langkah {no}?")
ajukan = _sederhana("ajukan", "Ajukan versi terakhir Dokumen Evaluasi Kinerja ke Kepala (langkah {no})? "
                              "Langkah konsep ikut diselesaikan; data dibekukan sampai dokumen dikembalikan atau "
                              "ditandatangani.")
_tandatangani_tanpa_kunci = _sederhana(
    "tandatangani", "Tandatangani versi terakhir Dokumen Evaluasi Kinerja (langkah {no}, oleh Kepala)? Nama, NIP, "
                    "waktu dan SHA-256 versi itu dicatat di sheet Pengesahan.")


def tandatangani(papan: Papan) -> Rencana:
    """The signing step: with electronic signatures, the key and its passphrase are used by `evkin` at the
    Kepala's own PC (a passphrase is never typed into a workbook cell); the button says how."""
    pelaku = papan.periksa_boleh()
    if pelaku.sertifikat or _isi(papan.konf.pengaturan.get("tanda_tangan_elektronik")).casefold() != "tidak":
        raise PenggunaanSalah(
            f"Langkah {papan.no} ditandatangani secara elektronik dengan kunci Kepala, sehingga dijalankan dengan "
            "evkin, bukan dari Excel: kata sandi kunci diketik di Command Prompt, tidak pernah di workbook.\n\n"
            "Simpan (Ctrl+S) dan tutup workbook, lalu jalankan:\n"
            f"evkin --sebagai {pelaku.pengguna} --workbook \"{_nama_workbook(papan.xb)}\" tandatangani --kunci "
            "BERKAS_KUNCI.p12")
    return _tandatangani_tanpa_kunci(papan)


def _nama_workbook(xb: XlwingsBook) -> str:
    try:
        return str(xb.book.fullname or "WORKBOOK")
    except Exception:
        return "WORKBOOK"


def distribusi(papan: Papan) -> Rencana:
    from macros_py.aksi.persiapan import FOLDER_FORMAT, distribusi

    papan.periksa_boleh()
    folder = papan.folder(f"Distribusi format (langkah {papan.no})", "distribusi")
    return Rencana(f"Buat satu berkas format per bidang di folder {folder / FOLDER_FORMAT}, lalu selesaikan langkah "
                   f"{papan.no}?", distribusi,
                   lambda h: "\n".join(laporan.distribusi(h, papan.no)), folder)


def himpun(papan: Papan) -> Rencana | None:
    """The himpun step's row: data arrive per bidang (Run main on its sheet, or evkin himpun with files), so the
    row starts the step, or finishes it saying which bidang have not sent."""
    from macros_py.aksi.himpun import status_bidang
    from macros_py.aksi.langkah import sekarang, selesaikan_langkah

    if papan.status[papan.no].status == BELUM:
        return None
    judul = papan.skema.langkah_aksi("himpun").uraian
    belum = [b["bidang"] for b in status_bidang(papan.xb, papan.skema, None, sekarang())
             if not b["keadaan"].startswith("Diterima")]
    sisa = "Belum mengirim: " + ", ".join(belum) + "." if belum else "Semua bidang sudah mengirim."
    no = papan.no
    return Rencana(f"Selesaikan langkah {no}?\n{judul}\n\n{sisa}\nData bidang dikirim dengan Run main di sheet "
                   f"bidang masing-masing; sesudah langkah {no} selesai, data tidak dapat dikirim atau diubah lagi.",
                   lambda b, k: selesaikan_langkah(b, k, no), lambda h: laporan.langkah_selesai(h) + "\n" + sisa)


def konsep(papan: Papan) -> Rencana:
    """The konsep step: the first version, or a correction (koreksi) with the Catatan typed in the step's row."""
    from macros_py.aksi.dokumen import FOLDER_DOKUMEN, konsep, koreksi
    from macros_py.aksi.langkah import mulai_langkah

    papan.periksa_boleh()
    xb, skema, s, no = papan.xb, papan.skema, papan.status[papan.no], papan.no
    riwayat = read_table(xb, skema.tabel("revisi"))
    sop = skema.tabel("sop")
    sel = _sel(sop, "catatan", papan.baris)
    cetak = CATATAN_CETAK.format(sheet=skema.sheet("dokumen").nama)
    if riwayat and s.status == BELUM:  # reopened work: start the step, then a correction needs a catatan
        return Rencana(f"Mulai langkah {no}? Dokumen sudah memiliki versi {len(riwayat)}; sesudah itu tulis catatan "
                       f"koreksi di kolom Catatan (sel {sel}) dan tekan Run main lagi untuk versi berikutnya.",
                       lambda b, k: mulai_langkah(b, k, no), laporan.langkah_dimulai)
    folder = papan.folder(f"Dokumen Evaluasi Kinerja (langkah {no})", "konsep (atau: koreksi --catatan \"...\")")
    if not riwayat:
        return Rencana(f"Buat konsep Dokumen Evaluasi Kinerja versi 1 (langkah {no})? Berkas .xlsx dan PDF "
                       f"disimpan di {folder / FOLDER_DOKUMEN}.", konsep,
                       lambda v: f"Konsep dokumen versi {v['versi']}: {v['berkas']}\n" + cetak, folder)
    catatan = s.catatan.strip()
    dipakai = next((r["versi"] for r in riwayat if _isi(r["catatan"]) == catatan), None)
    if not catatan or catatan.startswith(CATATAN_SISTEM) or dipakai is not None:
        sebab = (f"Catatan di sel {sel} sudah dipakai untuk versi {dipakai}. " if dipakai is not None and catatan
                 else f"Sel {sel} berisi catatan sistem, bukan catatan koreksi. " if catatan else "")
        raise PenggunaanSalah(
            f"Dokumen sudah memiliki versi {len(riwayat)}. {sebab}Untuk koreksi (versi berikutnya): tulis catatan "
            f"koreksi di kolom Catatan pada baris langkah {no} sheet {sop.sheet} (sel {sel}), lalu tekan Run main "
            f"lagi. Untuk mengajukan versi {len(riwayat)} ke Kepala: pilih baris langkah "
            f"{skema.langkah_aksi('ajukan').no}, lalu tekan Run main.")
    return Rencana(f"Buat koreksi dokumen versi {len(riwayat) + 1} (langkah {no}) dengan catatan:\n{catatan[:300]}\n"
                   f"Berkas .xlsx dan PDF disimpan di {folder / FOLDER_DOKUMEN}.",
                   lambda b, k: koreksi(b, k, catatan),
                   lambda v: f"Koreksi dicatat; dokumen versi {v['versi']}: {v['berkas']}\n" + cetak, folder)


def surat(papan: Papan) -> Rencana:
    from macros_py.aksi.dokumen import FOLDER_DOKUMEN
    from macros_py.aksi.penutupan import surat

    papan.periksa_boleh()
    tujuan = _isi(papan.konf.pengaturan.get("tujuan_surat"))
    if not tujuan:
        raise PenggunaanSalah("Tujuan surat pengantar belum diisi: tulis di sheet Konfigurasi, tabel Pengaturan, "
                              "baris tujuan_surat (dan alamat_tujuan), lalu tekan Run main lagi.")
    no = papan.no
    folder = papan.folder(f"Surat pengantar (langkah {no})", "surat")
    cetak = CATATAN_CETAK.format(sheet=papan.skema.sheet("surat").nama)
    return Rencana(f"Ambil nomor surat berikutnya dan buat surat pengantar kepada {tujuan} (langkah {no})? Berkas "
                   f".xlsx, PDF dan .docx disimpan di {folder / FOLDER_DOKUMEN}.", surat,
                   lambda h: f"Surat pengantar nomor {h['nomor']}: {h['pdf'] or h['xlsx']} (Word: {h['docx']}); "
                             f"langkah {no} selesai.\n" + cetak, folder)


def arsip(papan: Papan) -> Rencana:
    """The record is made from the saved file, by `evkin` while the workbook is closed: the button says how."""
    pelaku = papan.periksa_boleh()
    xb, konf = papan.xb, papan.konf
    try:
        nama = str(xb.book.fullname or "")
    except Exception:
        nama = ""
    workbook = f'"{nama}"' if Path(nama).is_absolute() and "://" not in nama else "WORKBOOK"
    sebagai = f"--sebagai {pelaku.pengguna} " if pelaku.pengguna else ""
    raise PenggunaanSalah(
        f"Langkah {papan.no} (kirim dan arsip) tidak dijalankan dari Excel. Arsip berisi salinan beku "
        "workbook (nilai saja, semua sheet terkunci) dengan manifest SHA-256 dan hash Log terakhir; salinan itu "
        "dibuat dari berkas workbook yang tersimpan, sedangkan dari Excel berkas itu sedang terbuka dan "
        "perubahan yang belum disimpan tidak ikut.\n\n"
        f"Simpan (Ctrl+S). Tutup workbook, lalu jalankan: evkin {sebagai}--workbook {workbook} arsip --out "
        f"arsip/{konf.tahun}-{konf.periode}")
