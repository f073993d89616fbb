"""The Excel button's plan for one press: the question to confirm, the registered action to run and its report
(`Rencana`), and the plans of the SOP steps whose action needs nothing typed into a sheet. Planners are named by the
registry's `excel` field; the rows users type (Disposisi, Rapat) are parsed in `isian`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros_py.aksi import laporan
from macros_py.aksi.langkah import Konfigurasi, Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.hari_kerja import KalenderKerja
from macros_py.domain.sop import BELUM, CATATAN_DIBUKA_ULANG, CATATAN_DIULANG, MesinSop, Pelaku, StatusLangkah
from macros_py.domain.teks import teks_sel
from macros_py.io.book import Book, read_table
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
_ajukan_tanpa_kunci = _sederhana(
    "ajukan", "Ajukan versi terakhir Dokumen Evaluasi Kinerja ke Kepala (langkah {no})? Langkah konsep ikut "
              "diselesaikan; data dibekukan sampai dokumen dikembalikan atau ditandatangani.")


def ajukan(papan: Papan) -> Rencana:
    """Submitting: with the Sekretaris' registered certificate the paraf is signed by `evkin` (the passphrase is
    never typed into the workbook); the button says how."""
    pelaku = papan.periksa_boleh()
    if pelaku.sertifikat:
        raise PenggunaanSalah(_perintah_kunci(papan, pelaku, "diparaf secara elektronik dengan kunci Sekretaris",
                                              "ajukan"))
    return _ajukan_tanpa_kunci(papan)


def _perintah_kunci(papan: Papan, pelaku: Pelaku, apa: str, perintah: str) -> str:
    return (f"Langkah {papan.no} {apa}, sehingga dijalankan dengan evkin, bukan dari Excel: kata sandi kunci diketik "
            "di Command Prompt, tidak pernah di workbook.\n\nSimpan (Ctrl+S) dan tutup workbook, lalu jalankan:\n"
            f"evkin --sebagai {pelaku.pengguna} --workbook \"{_nama_workbook(papan.xb)}\" {perintah} --kunci "
            "BERKAS_KUNCI.p12")
_tandatangani_tanpa_kunci = _sederhana(
    "tandatangani", "Tandatangani versi terakhir Dokumen Evaluasi Kinerja (langkah {no}, oleh Kepala)? Nama, NIP, "
                    "waktu dan SHA-256 versi itu dicatat di sheet Pengesahan.")


def tandatangani(papan: Papan) -> Rencana:
    """The signing step: with electronic signatures, the key and its passphrase are used by `evkin` at the
    Kepala's own PC (a passphrase is never typed into a workbook cell); the button says how."""
    pelaku = papan.periksa_boleh()
    if pelaku.sertifikat or _isi(papan.konf.pengaturan.get("tanda_tangan_elektronik")).casefold() != "tidak":
        raise PenggunaanSalah(_perintah_kunci(papan, pelaku, "ditandatangani secara elektronik dengan kunci Kepala",
                                              "tandatangani"))
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
