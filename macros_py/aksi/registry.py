"""The action registry: one entry per command, keyed by the `aksi` names of sheets_schema/sop.yaml (as pip's
`commands_dict`). An entry says which function runs (imported lazily, so `evkin status` stays quick), the SOP step
it belongs to (looked up in sop.yaml, never a literal), the engine capability it needs, its command-line options,
who runs it, an example, and its success message. The CLI and the Excel button are built from this table:
adding an action is one entry.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from macros_py.aksi import laporan
from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.book import LAYOUT

T = TypeVar("T")


@dataclass(frozen=True)
class Opsi:
    """One command-line argument (argparse's add_argument arguments, with an Indonesian help text)."""

    nama: tuple[str, ...]
    bantuan: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Aksi:
    nama: str
    ringkas: str
    peran: str  # who runs it; "" for a step's action: the step's pelaksana in sop.yaml
    contoh: str
    fungsi: str = ""  # "module:function" running in a unit of work: (book, konteks, **argumen)
    langkah: str | None = None  # the sop.yaml `aksi` of the step it belongs to
    kemampuan: str | None = None  # engine capability needed (LAYOUT: openpyxl)
    opsi: tuple[Opsi, ...] = ()
    argumen: Callable[[argparse.Namespace], dict[str, Any]] = lambda _args: {}
    lapor: Callable[[Any, int | None, argparse.Namespace], list[str]] = lambda _h, _no, _args: []
    perintah: str = ""  # "module:function" for a command that is not one unit of work: (args) -> exit code
    excel: str = ""  # "module:function" that plans the Excel button for this step (see macros_py/excel)
    anak: tuple[Aksi, ...] = ()  # sub-commands (`evkin langkah mulai`, `evkin kunci buat-ca`)
    pdf: bool = False  # makes a PDF: LibreOffice starts in the background as the command begins

    def muat(self) -> Callable[..., Any]:
        return _muat(self.fungsi)

    def muat_perintah(self) -> Callable[[argparse.Namespace], int]:
        return _muat(self.perintah)


def _muat(nama: str) -> Any:
    modul, _, fungsi = nama.partition(":")
    return getattr(importlib.import_module(modul), fungsi)


def _peserta(teks: list[str]) -> dict[str, str]:
    hasil: dict[str, str] = {}
    for t in teks:
        kode, pemisah, nama = t.partition("=")
        if not pemisah or not kode.strip() or not nama.strip():
            raise PenggunaanSalah(f"--peserta '{t}' harus berbentuk KODE=Nama1, Nama2 (mis. PEM=Andi, Sari).")
        hasil[kode.strip()] = nama.strip()
    return hasil


def _path(teks: str | None) -> Path | None:
    return Path(teks) if teks else None


def _penanda(path: str | None, untuk: str) -> Any:
    """The signer of an action: the PKCS#12 given with --kunci, opened with a passphrase asked interactively
    (never an argument, never logged); None without --kunci (the action says whether one is required)."""
    if not path:
        return None
    from macros_py.io.console import minta_kata_sandi
    from macros_py.io.signing.keys import load_pkcs12

    return load_pkcs12(Path(path), minta_kata_sandi(f"Kata sandi kunci {untuk} ({Path(path).name}): "))


def _sandi(pesan: str, baru: bool = False) -> str:
    from macros_py.io.console import minta_kata_sandi

    return minta_kata_sandi(pesan, ulang=baru)


KASUBAG = "Kasubag Perencanaan"
SEMUA = "siapa saja"
PENGELOLA = "Kasubag Perencanaan, Sekretaris atau Kepala"
_CATATAN = Opsi(("--catatan",), "catatan koreksi/pengembalian", {"required": True})
_KUNCI = Opsi(("--kunci",), "berkas kunci tanda tangan elektronik Anda (.p12); kata sandinya ditanyakan",
              {"metavar": "BERKAS.p12"})
_PENGGUNA = Opsi(("--pengguna",), "pengguna pejabat di Konfigurasi (mis. camat)", {"required": True})

DAFTAR: tuple[Aksi, ...] = (
    Aksi("init", "buat workbook induk untuk satu periode", KASUBAG,
         "evkin init --tahun 2026 --periode TW3",
         opsi=(Opsi(("--tahun",), "tahun anggaran, mis. 2026", {"type": int, "required": True}),
               Opsi(("--periode",), "TW1..TW4, S1, S2 atau TAHUNAN", {"required": True}),
               Opsi(("--timpa",), "buat ulang workbook yang sudah ada (bukan yang sudah diarsipkan)",
                    {"action": "store_true"}),
               Opsi(("--lanjut",), "bawa Daftar Indikator dan nomor surat tahun yang sama dari workbook periode "
                                   "lalu", {"metavar": "WORKBOOK_LALU"})),
         perintah="macros_py.cli_perintah:cmd_init"),
    Aksi("status", "tampilkan langkah SOP, batas waktu, keterlambatan dan bidang yang belum mengirim", SEMUA,
         "evkin status", opsi=(Opsi(("--json",), "hasil sebagai JSON", {"action": "store_true"}),),
         perintah="macros_py.cli_perintah:cmd_status"),
    Aksi("disposisi", "catat disposisi Pengguna Anggaran", "",
         'evkin --sebagai kasubag disposisi --nomor "005/112" --isi "Susun evaluasi kinerja TW III"',
         fungsi="macros_py.aksi.persiapan:catat_disposisi", langkah="disposisi",
         opsi=(Opsi(("--nomor",), "nomor disposisi", {"default": ""}),
               Opsi(("--tanggal",), "tanggal disposisi (baku: hari ini), mis. 2026-10-05"),
               Opsi(("--dari",), "pemberi disposisi (baku: pemberi_disposisi di sheets_schema/organisasi.yaml)"),
               Opsi(("--isi",), "isi instruksi", {"required": True})),
         argumen=lambda a: {"nomor": a.nomor, "tanggal": a.tanggal, "dari": a.dari, "isi": a.isi},
         lapor=lambda h, no, a: [f"Disposisi dicatat; langkah {no} selesai."], excel="macros_py.excel.isian:disposisi"),
    Aksi("format", "buat format pengumpulan data per bidang dari sheet Daftar Indikator", "",
         "evkin --sebagai kasubag format", fungsi="macros_py.aksi.persiapan:buat_format", langkah="format",
         opsi=(Opsi(("--dari",), "bawa Daftar Indikator dari workbook periode lalu", {"metavar": "WORKBOOK_LALU"}),),
         argumen=lambda a: {"dari_workbook": _path(a.dari)},
         lapor=lambda h, no, a: [laporan.format_dibuat(h, no)], excel="macros_py.excel.rencana:format_"),
    Aksi("distribusi", "satu berkas format per bidang (baku: folder format_bidang di samping workbook)", "",
         "evkin --sebagai kasubag distribusi", fungsi="macros_py.aksi.persiapan:distribusi",
         langkah="distribusi", opsi=(Opsi(("--out",), "folder tujuan berkas format"),),
         argumen=lambda a: {"folder": _path(a.out)}, lapor=lambda h, no, a: laporan.distribusi(h, no),
         excel="macros_py.excel.rencana:distribusi"),
    Aksi("rapat", "catat rapat koordinasi (tanggal, peserta per bidang, kesimpulan)", "",
         'evkin --sebagai kasubag rapat --peserta "PEM=Andi, Sari" --kesimpulan "Format disepakati"',
         fungsi="macros_py.aksi.persiapan:catat_rapat", langkah="rapat",
         opsi=(Opsi(("--tanggal",), "tanggal rapat (baku: hari ini)"),
               Opsi(("--peserta",), "peserta per bidang (boleh diulang)",
                    {"action": "append", "default": [], "metavar": "KODE=Nama1, Nama2"}),
               Opsi(("--kesimpulan",), "kesimpulan rapat", {"required": True})),
         argumen=lambda a: {"tanggal": a.tanggal, "peserta": _peserta(a.peserta), "kesimpulan": a.kesimpulan},
         lapor=lambda h, no, a: [f"Rapat koordinasi dicatat; langkah {no} selesai."],
         excel="macros_py.excel.isian:rapat"),
    Aksi("himpun", "validasi lalu himpun data bidang (berkas kiriman atau sheet bidang)",
         "Kasubag Perencanaan; Kepala Bidang untuk bidangnya sendiri", "evkin --sebagai kasubag himpun kiriman/",
         fungsi="macros_py.aksi.himpun:himpun", langkah="himpun",
         opsi=(Opsi(("berkas",), "berkas/folder kiriman; tanpa berkas: sheet bidang di workbook induk",
                    {"nargs": "*"}),
               Opsi(("--sheet",), "hanya sheet bidang ini di workbook induk (Kepala Bidang mengirim sheetnya)"),
               Opsi(("--boleh-kosongkan",), "terima kiriman yang mengosongkan nilai yang sudah diterima dari bidang "
                                            "itu (tanpa ini: ditolak)", {"action": "store_true",
                                                                          "dest": "boleh_kosongkan"}),
               Opsi(("--json",), "hasil sebagai JSON", {"action": "store_true"})),
         argumen=lambda a: {"berkas": [Path(p) for p in a.berkas], "hanya_sheet": a.sheet,
                            "boleh_kosongkan": a.boleh_kosongkan},
         lapor=lambda h, no, a: laporan.himpun(h, no, a.json), excel="macros_py.excel.rencana:himpun"),
    Aksi("koreksi-realisasi", "catat koreksi realisasi yang sudah disahkan (triwulan lalu atau Renstra s.d. "
                              "tahun lalu, dari rekaman tersegel)",
         KASUBAG, 'evkin --sebagai kasubag koreksi-realisasi --bidang PEM --no 1 --kolom tw2_k --nilai 5 '
                  '--alasan "Salah ketik pada laporan TW II"',
         fungsi="macros_py.aksi.koreksi_realisasi:koreksi_realisasi",
         opsi=(Opsi(("--bidang",), "kode bidang, mis. PEM", {"required": True}),
               Opsi(("--no",), "No indikator di format bidang itu", {"type": int, "required": True}),
               Opsi(("--kolom",), "kolom realisasi tersegel, mis. tw2_k, tw2_rp atau realisasi_renstra_lalu_k",
                    {"required": True}),
               Opsi(("--nilai",), "nilai yang benar, mis. 5 atau 1.250.000", {"required": True}),
               Opsi(("--alasan",), "alasan koreksi (dicatat)", {"required": True})),
         argumen=lambda a: {"bidang": a.bidang, "no": a.no, "kolom": a.kolom, "nilai": a.nilai, "alasan": a.alasan},
         lapor=lambda h, no, a: laporan.koreksi_realisasi(h)),
    Aksi("analisa", "hitung capaian dan predikat (Rekap, Analisis, grafik)", "",
         "evkin --sebagai kasubag analisa", fungsi="macros_py.aksi.analisis:analisa", langkah="analisa",
         lapor=lambda h, no, a: laporan.analisa(h, no), excel="macros_py.excel.rencana:analisa"),
    Aksi("konsep", "konsep Dokumen Evaluasi Kinerja versi 1 (sheet, .xlsx dan PDF)", "",
         "evkin --sebagai kasubag konsep", fungsi="macros_py.aksi.dokumen:konsep", langkah="konsep",
         kemampuan=LAYOUT, pdf=True, lapor=lambda h, no, a: [f"Konsep dokumen versi {h['versi']}: {h['berkas']}"],
         excel="macros_py.excel.rencana:konsep"),
    Aksi("koreksi", "koreksi Sekretaris menjadi versi dokumen berikutnya", "",
         'evkin --sebagai sekcam koreksi --catatan "Perbaiki faktor penghambat"',
         fungsi="macros_py.aksi.dokumen:koreksi", langkah="konsep", kemampuan=LAYOUT, pdf=True, opsi=(_CATATAN,),
         argumen=lambda a: {"catatan": a.catatan},
         lapor=lambda h, no, a: [f"Koreksi dicatat; dokumen versi {h['versi']}: {h['berkas']}"]),
    Aksi("ajukan", "ajukan versi terakhir dokumen ke Kepala (data dibekukan)", "",
         "evkin --sebagai sekcam ajukan [--kunci D:\\kunci\\sekcam.p12]", fungsi="macros_py.aksi.dokumen:ajukan",
         langkah="ajukan", opsi=(Opsi(("--kunci",), "berkas kunci Sekretaris (.p12) untuk paraf elektronik (wajib bila "
                                                   "sertifikatnya terdaftar); kata sandinya ditanyakan",
                                      {"metavar": "BERKAS.p12"}),),
         argumen=lambda a: {"penanda": _penanda(a.kunci, "paraf")},
         lapor=lambda h, no, a: [f"Dokumen versi {h['versi']} diajukan ke Kepala; langkah {no} selesai. Data "
                                 "dibekukan sampai dikembalikan atau ditandatangani."]
         + ([f"PDF berparaf elektronik: {h['berkas']}"] if h.get("sertifikat") else []),
         excel="macros_py.excel.rencana:ajukan"),
    Aksi("kembalikan", "Kepala mengembalikan dokumen yang diajukan untuk dikoreksi", "Kepala (Camat)",
         'evkin --sebagai camat kembalikan --catatan "Lengkapi faktor pendorong"',
         fungsi="macros_py.aksi.dokumen:kembalikan", langkah="ajukan", opsi=(_CATATAN,),
         argumen=lambda a: {"catatan": a.catatan},
         lapor=lambda h, no, a: [f"Dokumen versi {h['versi']} dikembalikan untuk dikoreksi (langkah konsep "
                                 "dibuka kembali)."]),
    Aksi("tandatangani", "tanda tangan Kepala atas versi yang diajukan", "",
         "evkin --sebagai camat tandatangani --kunci D:\\kunci\\camat.p12",
         fungsi="macros_py.aksi.dokumen:tandatangani", langkah="tandatangani", opsi=(_KUNCI,),
         argumen=lambda a: {"penanda": _penanda(a.kunci, "tanda tangan")},
         lapor=lambda h, no, a: [f"Dokumen versi {h['versi']} ditandatangani (sha256 {h['sha256']}); langkah {no} "
                                 "selesai."] + ([f"PDF bertanda tangan elektronik: {h['berkas']} (sertifikat "
                                                 f"{h['sertifikat']})"] if h.get("sertifikat") else []),
         excel="macros_py.excel.rencana:tandatangani"),
    Aksi("surat", "surat pengantar bernomor (.xlsx, PDF, .docx)", "",
         "evkin --sebagai kasubag surat", fungsi="macros_py.aksi.penutupan:surat", langkah="surat",
         kemampuan=LAYOUT, pdf=True,
         opsi=(Opsi(("--tujuan",), "tujuan surat (baku: tujuan_surat di Konfigurasi)"),
               Opsi(("--alamat-tujuan",), "alamat tujuan (baku: alamat_tujuan di Konfigurasi)",
                    {"dest": "alamat_tujuan"})),
         argumen=lambda a: {"tujuan": a.tujuan, "alamat_tujuan": a.alamat_tujuan},
         lapor=lambda h, no, a: [f"Surat pengantar nomor {h['nomor']}: {h['pdf'] or h['xlsx']} (Word: {h['docx']}); "
                                 f"langkah {no} selesai."],
         excel="macros_py.excel.rencana:surat"),
    Aksi("arsip", "kirim, tutup periode, segel arsip (rekaman resmi)", "",
         "evkin --sebagai kasubag arsip --out arsip/2026-TW3", fungsi="macros_py.aksi.arsip:arsip", langkah="arsip",
         kemampuan=LAYOUT,
         opsi=(Opsi(("--out",), "folder arsip (baru/kosong)", {"required": True}),
               Opsi(("--tujuan",), "tujuan pengiriman (baku: tujuan_surat di Konfigurasi)"), _KUNCI),
         argumen=lambda a: {"folder": Path(a.out), "tujuan": a.tujuan, "penanda": _penanda(a.kunci, "segel arsip")},
         lapor=lambda h, no, a: laporan.arsip(h),
         excel="macros_py.excel.rencana:arsip"),
    Aksi("langkah", "mulai atau selesaikan langkah SOP secara manual", "pelaksana langkah itu",
         "evkin --sebagai kasubag langkah selesai 5",
         anak=(Aksi("mulai", "mulai langkah N", "pelaksana langkah itu", "evkin --sebagai kasubag langkah mulai 5",
                    opsi=(Opsi(("nomor",), "nomor langkah SOP", {"type": int}),),
                    perintah="macros_py.cli_perintah:cmd_langkah_mulai"),
               Aksi("selesai", "selesaikan langkah N", "pelaksana langkah itu",
                    "evkin --sebagai kasubag langkah selesai 5 --ya",
                    opsi=(Opsi(("nomor",), "nomor langkah SOP", {"type": int}),
                          Opsi(("--catatan",), "catatan pada baris langkah"),
                          Opsi(("--ya",), "selesaikan walau ada bidang yang belum mengirim (langkah himpun)",
                               {"action": "store_true"})),
                    perintah="macros_py.cli_perintah:cmd_langkah_selesai"))),
    Aksi("kunci", "kelola sertifikat tanda tangan elektronik pejabat (CA kecamatan, terbitkan, daftarkan)",
         PENGELOLA,
         "evkin --sebagai kasubag kunci terbitkan --ca D:\\kunci\\ca.p12 --pengguna camat --p12 D:\\kunci\\camat.p12",
         anak=(Aksi("buat-ca", "buat CA kecamatan: kunci CA (.p12) dan sertifikat publiknya (.pem)", PENGELOLA,
                    "evkin --sebagai kasubag kunci buat-ca --p12 D:\\kunci\\ca.p12 --pem sertifikat\\CA.pem",
                    fungsi="macros_py.aksi.kunci:buat_ca",
                    opsi=(Opsi(("--p12",), "berkas kunci CA baru (di luar folder workbook)", {"required": True}),
                          Opsi(("--pem",), "berkas sertifikat CA baru (publik)", {"required": True})),
                    argumen=lambda a: {"p12": Path(a.p12), "pem": Path(a.pem),
                                       "kata_sandi": _sandi("Kata sandi baru untuk kunci CA: ", baru=True)},
                    lapor=lambda h, no, a: [f"CA kecamatan dibuat. Sertifikat (publik): {h['pem']}; sidik SHA-256: "
                                            f"{h['sidik']}. Simpan {h['p12']} dan kata sandinya di tempat aman."]),
               Aksi("terbitkan", "terbitkan sertifikat seorang pejabat dari CA kecamatan dan daftarkan", PENGELOLA,
                    "evkin --sebagai kasubag kunci terbitkan --ca D:\\kunci\\ca.p12 --pengguna camat "
                    "--p12 D:\\kunci\\camat.p12",
                    fungsi="macros_py.aksi.kunci:terbitkan",
                    opsi=(Opsi(("--ca",), "berkas kunci CA (.p12)", {"required": True}), _PENGGUNA,
                          Opsi(("--p12",), "berkas kunci baru pejabat (di luar folder workbook)", {"required": True})),
                    argumen=lambda a: {"ca_p12": Path(a.ca), "ca_sandi": _sandi("Kata sandi kunci CA: "),
                                       "pengguna": a.pengguna, "p12": Path(a.p12),
                                       "kata_sandi": _sandi(f"Kata sandi baru untuk kunci {a.pengguna}: ", baru=True)},
                    lapor=lambda h, no, a: [f"Sertifikat {h['pengguna']} diterbitkan dan didaftarkan (sidik "
                                            f"{h['sidik']}); kunci: {h['p12']}."]),
               Aksi("daftarkan", "daftarkan sertifikat yang sudah ada (.p12, mis. dari BSrE) untuk seorang pejabat",
                    PENGELOLA, "evkin --sebagai kasubag kunci daftarkan --pengguna camat --p12 D:\\kunci\\bsre.p12",
                    fungsi="macros_py.aksi.kunci:daftarkan",
                    opsi=(_PENGGUNA, Opsi(("--p12",), "berkas kunci pejabat (.p12)", {"required": True})),
                    argumen=lambda a: {"pengguna": a.pengguna, "p12": Path(a.p12),
                                       "kata_sandi": _sandi(f"Kata sandi kunci {Path(a.p12).name}: ")},
                    lapor=lambda h, no, a: [f"Sertifikat {h['pengguna']} didaftarkan (sidik {h['sidik']})."]))),
    Aksi("buka-ulang", "buka kembali langkah yang sudah selesai (langkah sesudahnya diulang)",
         "pelaksana langkah itu, Sekretaris atau Kepala",
         'evkin --sebagai kasubag buka-ulang 5 --alasan "Data PMD diperbaiki"',
         fungsi="macros_py.aksi.buka_ulang:buka_ulang",
         opsi=(Opsi(("nomor",), "nomor langkah", {"type": int}),
               Opsi(("--alasan",), "alasan membuka ulang", {"required": True})),
         argumen=lambda a: {"no": a.nomor, "alasan": a.alasan}, lapor=lambda h, no, a: laporan.buka_ulang(h)),
    Aksi("nomor", "ambil nomor surat berikutnya (tanpa celah, tak ganda), atau batalkan nomor",
         "Kasubag, Sekretaris atau Kepala", 'evkin --sebagai kasubag nomor --perihal "Undangan" --tujuan "Kepala Desa"',
         opsi=(Opsi(("--perihal",), "perihal surat"), Opsi(("--tujuan",), "tujuan surat"),
               Opsi(("--kode",), "kode klasifikasi surat ini (baku: kode_klasifikasi di Konfigurasi)"),
               Opsi(("--batal",), "batalkan nomor ini (tetap tercatat sebagai batal)", {"metavar": "NOMOR"}),
               Opsi(("--alasan",), "alasan pembatalan")),
         perintah="macros_py.cli_perintah:cmd_nomor"),
    Aksi("verifikasi", "periksa keutuhan Log workbook, atau setiap berkas dan tanda tangan folder arsip", SEMUA,
         "evkin verifikasi arsip/2026-TW3 --percaya CA.pem",
         opsi=(Opsi(("target",), "workbook atau folder arsip (baku: --workbook)", {"nargs": "?"}),
               Opsi(("--percaya",), "sertifikat CA yang Anda percayai (diterima dari kecamatan, bukan dari arsip)",
                    {"action": "append", "default": [], "metavar": "CA.pem"})),
         perintah="macros_py.cli_perintah:cmd_verifikasi"),
    Aksi("periksa", "periksa kesehatan workbook induk (skema, urutan SOP, Log, register nomor)", SEMUA,
         "evkin periksa", opsi=(Opsi(("target",), "workbook (baku: --workbook)", {"nargs": "?"}),),
         perintah="macros_py.cli_perintah:cmd_periksa"),
    Aksi("rollup", "gabungkan beberapa arsip unit menjadi satu ringkasan", "Bappelitbangda / kabupaten",
         "evkin rollup arsip/kec-a arsip/kec-b --out Rekap_Kabupaten.xlsx",
         opsi=(Opsi(("rekaman",), "folder arsip", {"nargs": "+"}),
               Opsi(("--out",), "workbook ringkasan", {"required": True}),
               Opsi(("--percaya",), "sertifikat CA yang dipercayai (boleh diulang, satu per kecamatan)",
                    {"action": "append", "default": [], "metavar": "CA.pem"})),
         perintah="macros_py.cli_perintah:cmd_rollup"),
    Aksi("demo", "jalankan SOP lengkap (11 langkah) dengan data contoh", SEMUA, "evkin demo demo-output",
         opsi=(Opsi(("folder",), "folder hasil demo", {"nargs": "?", "default": "demo-output"}),),
         perintah="macros_py.cli_perintah:cmd_demo"),
    Aksi("excel-siapkan", "siapkan tombol Run main (xlwings) untuk workbook ini", "petugas TI / Kasubag",
         "evkin --workbook C:\\Data\\Evaluasi_Kinerja.xlsx excel-siapkan",
         opsi=(Opsi(("--cetak",), "hanya tampilkan pengaturan, jangan tulis berkas", {"action": "store_true"}),),
         perintah="macros_py.cli_perintah:cmd_excel_siapkan"),
    Aksi("excel-periksa", "periksa semua yang dibutuhkan tombol Run main di komputer ini, dengan perbaikannya",
         "petugas TI / pemakai tombol", "evkin --workbook C:\\Data\\Evaluasi_Kinerja.xlsx excel-periksa",
         perintah="macros_py.excel.periksa:cmd_excel_periksa"),
)

AKSI: dict[str, Aksi] = {a.nama: a for a in DAFTAR}


def untuk_langkah(aksi_sop: str) -> Aksi:
    """The entry that runs the step whose sop.yaml `aksi` this is (the Excel button's step rows)."""
    return next(a for a in DAFTAR if a.langkah == aksi_sop and a.excel)


def jalankan(entri: Aksi, workbook: Path, argumen: dict[str, Any], sebagai: str | None = None,
             waktu: datetime | None = None, tunggu: float | None = None,
             info: Callable[[str], None] = print, izinkan_contoh: bool = False) -> Any:
    """Run one registered action on the master file in a unit of work: everything or nothing is saved."""
    from macros_py.aksi.langkah import eksekusi
    from macros_py.io.console import Kemajuan
    from macros_py.io.engines import engine_for
    from macros_py.io.files import WAIT_DEFAULT
    from macros_py.io.unit_of_work import FileUnitOfWork

    if entri.pdf:  # started before the master is read, so it is ready when the PDF is (~1 s either way)
        from macros_py.io.output.pdf import warm_up

        warm_up()
    fungsi = entri.muat()
    with Kemajuan(f"evkin {entri.nama}", 3) as kemajuan, \
            FileUnitOfWork(workbook, tunggu=WAIT_DEFAULT if tunggu is None else tunggu, info=info,
                           engine=engine_for(entri.kemampuan)) as uow:
        kemajuan.maju("mengerjakan")
        hasil = eksekusi(uow, lambda b, k: fungsi(b, k, **argumen), sebagai=sebagai, waktu=waktu, info=info,
                         izinkan_contoh=izinkan_contoh)
        if getattr(hasil, "tanpa_perubahan", False):
            return hasil  # nothing to write (an identical re-send): the master keeps its bytes, no .bak
        kemajuan.maju("menyimpan workbook")
        uow.commit()
        kemajuan.maju("selesai")
    return hasil
