"""`evkin` command line (also `python -m macros_py`). Exit codes are the product's interface:
0 ok, 2 usage, 3 input rejected, 4 step order or role refused, 5 workbook busy/locked."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from macros_py.domain.errors import EvkinError, InputDitolak, PenggunaanSalah
from macros_py.io.unit_of_work import ENGINE_FAST, ENGINE_OPENPYXL

T = TypeVar("T")
WORKBOOK_BAKU = Path("workbook/Evaluasi_Kinerja.xlsx")


def _info(pesan: str) -> None:
    print(pesan, file=sys.stderr, flush=True)


def _waktu(teks: str) -> datetime:
    try:
        return datetime.fromisoformat(teks)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{teks}' bukan waktu; contoh: 2026-10-05T08:00") from None


def _tunggu_baku() -> float:
    return float(os.environ.get("EVKIN_TUNGGU", "30"))


def jalankan_aksi(args: argparse.Namespace, fungsi: Callable[..., T], mesin: str = ENGINE_FAST) -> T:
    """Run one write action on the master in a unit of work: everything or nothing is saved.

    ENGINE_OPENPYXL for the actions that lay out print sheets inside the master (document, letter, archive)."""
    from macros_py.aksi.konteks import eksekusi
    from macros_py.io.unit_of_work import FileUnitOfWork

    with FileUnitOfWork(Path(args.workbook), tunggu=args.tunggu, info=_info, mesin=mesin) as uow:
        hasil = eksekusi(uow.book, fungsi, sebagai=args.sebagai, waktu=args.waktu, info=_info)
        uow.simpan()
    return hasil


def baca_master(path: Path):  # type: ignore[no-untyped-def]
    """Open the master for reading only (no lock: saves replace the file atomically). The fast engine reads
    just the sheets asked for, which keeps `status` quick on a large master and never imports openpyxl."""
    from macros_py.io.unit_of_work import FileUnitOfWork, open_book

    if not path.exists():
        FileUnitOfWork(path).__enter__()  # raises the friendly "not found" message
    return open_book(path)


# ---- commands -------------------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from macros_py.aksi.inisialisasi import buat_master

    path = buat_master(Path(args.workbook), args.tahun, args.periode, sebagai=args.sebagai, timpa=args.timpa,
                       waktu=args.waktu, info=_info, tunggu=args.tunggu,
                       lanjut=Path(args.lanjut) if args.lanjut else None)
    print(f"Workbook dibuat: {path}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from macros_py.aksi.konteks import sekarang
    from macros_py.aksi.sop import ringkasan_status
    from macros_py.schema import muat_skema

    data = ringkasan_status(baca_master(Path(args.workbook)), muat_skema(), args.waktu or sekarang())
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    from rich.console import Console
    from rich.table import Table

    tabel = Table(title=f"SOP Pengumpulan Data Kinerja — {data['unit']} {data['periode']} {data['tahun']}")
    for judul in ("No", "Uraian", "Mutu baku", "Status", "Mulai", "Selesai", "Durasi", "Sesuai", "Oleh"):
        tabel.add_column(judul)
    for lk in data["langkah"]:
        gaya = "red" if lk["terlambat"] else ("green" if lk["status"] == "Selesai" else None)
        tabel.add_row(str(lk["no"]), lk["uraian"][:48], lk["mutu_baku_waktu"], lk["status"], lk["mulai"] or "",
                      lk["selesai"] or "", lk["durasi"], lk["sesuai_mutu_baku"], lk["oleh"], style=gaya)
    konsol = Console()
    konsol.print(tabel)
    for t in data["terlambat"]:
        konsol.print(f"[red]Terlambat[/red]: langkah {t['no']} {t['keterangan']}")
    for b in data.get("bidang", []):
        warna = "red" if "terlambat" in b["keadaan"] else ("yellow" if b["keadaan"] == "belum mengirim" else "green")
        konsol.print(f"[{warna}]{b['bidang']}[/{warna}]: {b['keadaan']}"
                     + (f" — {b['baris']} baris, terakhir {b['terakhir']}" if b["terakhir"] else ""))
    aktif = data["langkah_aktif"]
    konsol.print(f"Langkah berikutnya: {aktif}" if aktif else "Semua langkah SOP selesai.")
    return 0


def cmd_langkah(args: argparse.Namespace) -> int:
    from macros_py.aksi import laporan
    from macros_py.aksi.sop import mulai_langkah, selesaikan_langkah

    if args.perintah_langkah == "mulai":
        s = jalankan_aksi(args, lambda book, k: mulai_langkah(book, k, args.nomor))
        print(laporan.langkah_dimulai(s))
    else:
        s = jalankan_aksi(args, lambda book, k: selesaikan_langkah(book, k, args.nomor, args.catatan or ""))
        print(laporan.langkah_selesai(s))
    return 0


def cmd_buka_ulang(args: argparse.Namespace) -> int:
    from macros_py.aksi.sop import buka_ulang

    berubah = jalankan_aksi(args, lambda book, k: buka_ulang(book, k, args.nomor, args.alasan))
    ikut = ", ".join(str(s.no) for s in berubah[1:])
    print(f"Langkah {args.nomor} dibuka ulang." + (f" Langkah {ikut} ikut diulang." if ikut else ""))
    return 0


def cmd_verifikasi(args: argparse.Namespace) -> int:
    from macros_py.aksi.sop import verifikasi_log
    from macros_py.schema import muat_skema

    path = Path(args.target) if args.target else Path(args.workbook)
    if path.is_dir():
        from macros_py.aksi.penutupan import verifikasi_rekaman

        masalah_arsip = verifikasi_rekaman(path)
        for m in masalah_arsip:
            print(f"TIDAK UTUH: {m}")
        if masalah_arsip:
            return InputDitolak.exit_code
        print(f"Arsip {path} utuh: setiap berkas cocok dengan manifest dan rantai Log cocok.")
        return 0
    masalah = verifikasi_log(baca_master(path), muat_skema())
    if masalah:
        for m in masalah:
            print(f"TIDAK UTUH: {m.pesan}")
        return InputDitolak.exit_code
    print(f"Log {path.name} utuh: rantai hash cocok dari baris pertama sampai terakhir.")
    return 0


def cmd_disposisi(args: argparse.Namespace) -> int:
    from macros_py.aksi.pengumpulan import catat_disposisi

    jalankan_aksi(args, lambda b, k: catat_disposisi(b, k, args.nomor, args.tanggal, args.dari, args.isi))
    print("Disposisi dicatat; langkah 1 selesai.")
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    from macros_py.aksi.laporan import format_dibuat
    from macros_py.aksi.pengumpulan import buat_format

    jumlah = jalankan_aksi(args, lambda b, k: buat_format(b, k, Path(args.dari) if args.dari else None))
    print(format_dibuat(jumlah))
    return 0


def cmd_distribusi(args: argparse.Namespace) -> int:
    from macros_py.aksi.pengumpulan import distribusi

    catatan = jalankan_aksi(args, lambda b, k: distribusi(b, k, Path(args.out)))
    for c in catatan:
        print(f"{c['bidang']}: {c['berkas']} (sha256 {c['sha256'][:12]})")
    print("Format didistribusikan; langkah 3 selesai.")
    return 0


def _peserta(teks: list[str]) -> dict[str, str]:
    hasil: dict[str, str] = {}
    for t in teks:
        kode, pemisah, nama = t.partition("=")
        if not pemisah or not kode.strip() or not nama.strip():
            raise PenggunaanSalah(f"--peserta '{t}' harus berbentuk KODE=Nama1, Nama2 (mis. PEM=Andi, Sari).")
        hasil[kode.strip()] = nama.strip()
    return hasil


def cmd_rapat(args: argparse.Namespace) -> int:
    from macros_py.aksi.pengumpulan import catat_rapat

    peserta = _peserta(args.peserta)
    jalankan_aksi(args, lambda b, k: catat_rapat(b, k, args.tanggal, peserta, args.kesimpulan))
    print("Rapat koordinasi dicatat; langkah 4 selesai.")
    return 0


def cmd_himpun(args: argparse.Namespace) -> int:
    from macros_py.aksi.pengumpulan import FOLDER_BUKTI, himpun

    master = Path(args.workbook)

    def aksi(b, k):  # type: ignore[no-untyped-def]
        folder_bukti = master.parent / FOLDER_BUKTI / f"{k.konfigurasi.tahun}-{k.konfigurasi.periode}"
        return himpun(b, k, [Path(p) for p in args.berkas], folder_bukti, info=_info)

    try:
        hasil = jalankan_aksi(args, aksi)
    except InputDitolak as e:
        if args.json and hasattr(e, "hasil"):
            print(json.dumps(e.hasil.json(), ensure_ascii=False, indent=2))
        raise
    if args.json:
        print(json.dumps(hasil.json(), ensure_ascii=False, indent=2))
        return 0
    for k in hasil.diterima:
        print(f"Diterima: {k.berkas} — bidang {k.kode_bidang}, {k.jumlah_baris} baris.")
    for m in hasil.peringatan:
        print(f"  peringatan: {m}")
    if hasil.belum_mengirim:
        print("Belum mengirim: " + ", ".join(hasil.belum_mengirim))
    else:
        print("Semua bidang sudah mengirim. Selesaikan langkah 5 dengan: evkin langkah selesai 5")
    return 0


def cmd_analisa(args: argparse.Namespace) -> int:
    from macros_py.aksi.analisis import analisa
    from macros_py.aksi.laporan import ANALISA_SELESAI, ringkasan_analisa

    for baris in ringkasan_analisa(jalankan_aksi(args, analisa)):
        print(baris)
    print(ANALISA_SELESAI)
    return 0


def _folder_dokumen(args: argparse.Namespace) -> Path:
    from macros_py.aksi.dokumen import FOLDER_DOKUMEN

    return Path(args.workbook).parent / FOLDER_DOKUMEN


def cmd_konsep(args: argparse.Namespace) -> int:
    from macros_py.aksi.dokumen import konsep

    versi = jalankan_aksi(args, lambda b, k: konsep(b, k, _folder_dokumen(args), info=_info), ENGINE_OPENPYXL)
    print(f"Konsep dokumen versi {versi['versi']}: {versi['berkas']}")
    return 0


def cmd_koreksi(args: argparse.Namespace) -> int:
    from macros_py.aksi.dokumen import koreksi

    versi = jalankan_aksi(args, lambda b, k: koreksi(b, k, _folder_dokumen(args), args.catatan, info=_info),
                          ENGINE_OPENPYXL)
    print(f"Koreksi dicatat; dokumen versi {versi['versi']}: {versi['berkas']}")
    return 0


def cmd_ajukan(args: argparse.Namespace) -> int:
    from macros_py.aksi.dokumen import ajukan

    versi = jalankan_aksi(args, ajukan)
    print(f"Dokumen versi {versi['versi']} diajukan ke Kepala; data dibekukan sampai dikembalikan atau "
          "ditandatangani.")
    return 0


def cmd_kembalikan(args: argparse.Namespace) -> int:
    from macros_py.aksi.dokumen import kembalikan

    versi = jalankan_aksi(args, lambda b, k: kembalikan(b, k, args.catatan))
    print(f"Dokumen versi {versi['versi']} dikembalikan untuk dikoreksi (langkah 7 dibuka kembali).")
    return 0


def cmd_tandatangani(args: argparse.Namespace) -> int:
    from macros_py.aksi.dokumen import tandatangani

    versi = jalankan_aksi(args, tandatangani)
    print(f"Dokumen versi {versi['versi']} ditandatangani (sha256 {versi['sha256']}).")
    return 0


def cmd_nomor(args: argparse.Namespace) -> int:
    from macros_py.aksi.penutupan import batal_nomor, nomor

    if args.batal:
        if not args.alasan:
            raise PenggunaanSalah("Pembatalan nomor memerlukan --alasan.")
        baris = jalankan_aksi(args, lambda b, k: batal_nomor(b, k, args.batal, args.alasan))
        print(f"Nomor {baris['nomor_surat']} dibatalkan (tetap tercatat, tidak dipakai ulang).")
        return 0
    if not args.perihal or not args.tujuan:
        raise PenggunaanSalah("Gunakan: evkin nomor --perihal \"...\" --tujuan \"...\"")
    baris = jalankan_aksi(args, lambda b, k: nomor(b, k, args.perihal, args.tujuan, args.kode))
    print(baris["nomor_surat"])
    return 0


def cmd_surat(args: argparse.Namespace) -> int:
    from macros_py.aksi.penutupan import surat

    hasil = jalankan_aksi(args, lambda b, k: surat(b, k, _folder_dokumen(args), args.tujuan, args.alamat_tujuan,
                                                     info=_info), ENGINE_OPENPYXL)
    print(f"Surat pengantar nomor {hasil['nomor']}: {hasil['pdf'] or hasil['xlsx']} (Word: {hasil['docx']})")
    return 0


def cmd_arsip(args: argparse.Namespace) -> int:
    from macros_py.aksi.penutupan import arsip

    master = Path(args.workbook)
    folder = jalankan_aksi(args, lambda b, k: arsip(b, k, Path(args.out), master.parent, args.tujuan), ENGINE_OPENPYXL)
    print(f"Arsip tersegel di {folder}. Periksa kapan saja dengan: evkin verifikasi {folder}")
    return 0


def cmd_rollup(args: argparse.Namespace) -> int:
    from macros_py.aksi.penutupan import rollup

    hasil = rollup([Path(p) for p in args.rekaman], Path(args.out))
    print(f"Rollup {len(hasil['unit'])} unit, {hasil['baris']} indikator: {args.out}")
    for r in hasil["ringkasan"]:
        print(f"  {r['bidang']}: rata-rata capaian {r.get('rata_capaian_kinerja')}% ({r.get('predikat') or '-'})")
    return 0


def cmd_periksa(args: argparse.Namespace) -> int:
    from macros_py.aksi.periksa import periksa

    path = Path(args.target) if args.target else Path(args.workbook)
    if not path.exists():
        raise PenggunaanSalah(f"Workbook {path} tidak ditemukan.")
    masalah = periksa(path)
    for m in masalah:
        print(f"MASALAH: {m}")
    if masalah:
        print(f"{len(masalah)} masalah ditemukan di {path.name}.")
        return InputDitolak.exit_code
    print(f"Workbook {path.name} sehat: skema, sheet, urutan SOP, Log, register nomor, Konfigurasi (tanpa nilai "
          "contoh) dan area data baik.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from macros_py.aksi.demo import jalankan_demo

    jalankan_demo(Path(args.folder), info=_info)
    return 0


def cmd_excel_siapkan(args: argparse.Namespace) -> int:
    from macros_py.excel import siapkan_excel

    hasil = siapkan_excel(Path(args.workbook), tulis=not args.cetak)
    print(f"Pengaturan xlwings{f' ditulis ke {hasil.berkas_conf}' if hasil.berkas_conf else ''}:")
    for kunci, nilai in hasil.pengaturan.items():
        print(f'  "{kunci}","{nilai}"')
    print(f"Modul tombol Run main: {hasil.modul}" + (" (dibuat)" if hasil.modul_dibuat else ""))
    print("Langkah yang masih dilakukan sendiri:")
    for i, langkah in enumerate(hasil.langkah_manual, 1):
        print(f"  {i}. {langkah}")
    return 0


# ---- parser ---------------------------------------------------------------------------------------------

def _opsi_umum(parser: argparse.ArgumentParser, baku: bool) -> None:
    def d(nilai: Any) -> Any:
        return nilai if baku else argparse.SUPPRESS

    parser.add_argument("--workbook", default=d(str(WORKBOOK_BAKU)),
                        help=f"workbook induk (baku: {WORKBOOK_BAKU})")
    parser.add_argument("--sebagai", default=d(None), help="pengguna yang bertindak (baku: nama login)")
    parser.add_argument("--waktu", type=_waktu, default=d(None),
                        help="waktu kejadian bila dicatat kemudian (ISO, mis. 2026-10-05T08:00)")
    parser.add_argument("--tunggu", type=float, default=d(_tunggu_baku()),
                        help="detik menunggu bila workbook dipakai proses lain (baku 30, atau EVKIN_TUNGGU)")


def buat_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evkin", description="Evaluasi Kinerja — SOP Pengumpulan Data Kinerja")
    _opsi_umum(parser, baku=True)
    umum = argparse.ArgumentParser(add_help=False)
    _opsi_umum(umum, baku=False)
    sub = parser.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")

    p = sub.add_parser("init", parents=[umum], help="buat workbook induk untuk satu periode")
    p.add_argument("--tahun", type=int, required=True)
    p.add_argument("--periode", required=True, help="TW1..TW4, S1, S2, TAHUNAN")
    p.add_argument("--timpa", action="store_true", help="timpa workbook yang sudah ada")
    p.add_argument("--lanjut", metavar="WORKBOOK_LALU",
                   help="bawa Daftar Indikator dan nomor surat tahun yang sama dari workbook periode lalu")
    p.set_defaults(fungsi=cmd_init)

    p = sub.add_parser("status", parents=[umum], help="status langkah SOP dan keterlambatan")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fungsi=cmd_status)

    p = sub.add_parser("langkah", help="mulai atau selesaikan langkah SOP")
    sub2 = p.add_subparsers(dest="perintah_langkah", required=True, metavar="mulai|selesai")
    for nama in ("mulai", "selesai"):
        q = sub2.add_parser(nama, parents=[umum])
        q.add_argument("nomor", type=int)
        if nama == "selesai":
            q.add_argument("--catatan")
        q.set_defaults(fungsi=cmd_langkah)

    p = sub.add_parser("buka-ulang", parents=[umum], help="buka kembali langkah yang sudah selesai")
    p.add_argument("nomor", type=int)
    p.add_argument("--alasan", required=True)
    p.set_defaults(fungsi=cmd_buka_ulang)

    p = sub.add_parser("verifikasi", parents=[umum], help="periksa keutuhan Log workbook")
    p.add_argument("target", nargs="?", help="workbook atau folder arsip (baku: --workbook)")
    p.set_defaults(fungsi=cmd_verifikasi)

    p = sub.add_parser("disposisi", parents=[umum], help="langkah 1: catat disposisi Pengguna Anggaran")
    p.add_argument("--nomor", default="")
    p.add_argument("--tanggal", help="tanggal disposisi (baku: hari ini), mis. 2026-10-05")
    p.add_argument("--dari", help="pemberi disposisi (baku: pemberi_disposisi di sheets_schema/organisasi.yaml)")
    p.add_argument("--isi", required=True, help="isi instruksi")
    p.set_defaults(fungsi=cmd_disposisi)

    p = sub.add_parser("format", parents=[umum], help="langkah 2: buat format pengumpulan data per bidang")
    p.add_argument("--dari", help="bawa Daftar Indikator dari workbook periode lalu")
    p.set_defaults(fungsi=cmd_format)

    p = sub.add_parser("distribusi", parents=[umum], help="langkah 3: berkas format per bidang ke folder")
    p.add_argument("--out", required=True, help="folder tujuan berkas format")
    p.set_defaults(fungsi=cmd_distribusi)

    p = sub.add_parser("rapat", parents=[umum], help="langkah 4: catat rapat koordinasi")
    p.add_argument("--tanggal")
    p.add_argument("--peserta", action="append", default=[], metavar="KODE=Nama1, Nama2",
                   help="peserta per bidang (boleh diulang)")
    p.add_argument("--kesimpulan", required=True)
    p.set_defaults(fungsi=cmd_rapat)

    p = sub.add_parser("himpun", parents=[umum], help="langkah 5: validasi dan himpun data bidang")
    p.add_argument("berkas", nargs="*", help="berkas/folder kiriman; tanpa berkas: sheet bidang di workbook induk")
    p.add_argument("--json", action="store_true", help="hasil sebagai JSON")
    p.set_defaults(fungsi=cmd_himpun)

    p = sub.add_parser("analisa", parents=[umum], help="langkah 6: hitung capaian dan predikat")
    p.set_defaults(fungsi=cmd_analisa)
    p = sub.add_parser("konsep", parents=[umum], help="langkah 7: konsep Dokumen Evaluasi Kinerja (dan PDF)")
    p.set_defaults(fungsi=cmd_konsep)
    p = sub.add_parser("koreksi", parents=[umum], help="langkah 7: koreksi Sekretaris menjadi versi berikutnya")
    p.add_argument("--catatan", required=True)
    p.set_defaults(fungsi=cmd_koreksi)
    p = sub.add_parser("ajukan", parents=[umum], help="langkah 8: ajukan dokumen ke Kepala")
    p.set_defaults(fungsi=cmd_ajukan)
    p = sub.add_parser("kembalikan", parents=[umum], help="Kepala mengembalikan dokumen untuk dikoreksi")
    p.add_argument("--catatan", required=True)
    p.set_defaults(fungsi=cmd_kembalikan)
    p = sub.add_parser("tandatangani", parents=[umum], help="langkah 9: tanda tangan Kepala")
    p.set_defaults(fungsi=cmd_tandatangani)

    p = sub.add_parser("nomor", parents=[umum], help="ambil nomor surat berikutnya (atau --batal NOMOR)")
    p.add_argument("--perihal")
    p.add_argument("--tujuan")
    p.add_argument("--kode", help="kode klasifikasi surat ini (baku: kode_klasifikasi di Konfigurasi)")
    p.add_argument("--batal", metavar="NOMOR", help="batalkan nomor (tetap tercatat sebagai batal)")
    p.add_argument("--alasan")
    p.set_defaults(fungsi=cmd_nomor)
    p = sub.add_parser("surat", parents=[umum], help="langkah 10: surat pengantar bernomor (xlsx, PDF, docx)")
    p.add_argument("--tujuan", help="baku: tujuan_surat di Konfigurasi")
    p.add_argument("--alamat-tujuan", dest="alamat_tujuan")
    p.set_defaults(fungsi=cmd_surat)
    p = sub.add_parser("arsip", parents=[umum], help="langkah 11: kirim, tutup periode, segel arsip")
    p.add_argument("--out", required=True, help="folder arsip (baru/kosong)")
    p.add_argument("--tujuan")
    p.set_defaults(fungsi=cmd_arsip)
    p = sub.add_parser("rollup", parents=[umum], help="gabungkan beberapa arsip unit menjadi satu ringkasan")
    p.add_argument("rekaman", nargs="+", help="folder arsip")
    p.add_argument("--out", required=True, help="workbook ringkasan")
    p.set_defaults(fungsi=cmd_rollup)

    p = sub.add_parser("periksa", parents=[umum], help="periksa kesehatan workbook induk")
    p.add_argument("target", nargs="?", help="workbook (baku: --workbook)")
    p.set_defaults(fungsi=cmd_periksa)

    p = sub.add_parser("demo", parents=[umum], help="jalankan SOP lengkap dengan data contoh")
    p.add_argument("folder", nargs="?", default="demo-output")
    p.set_defaults(fungsi=cmd_demo)

    p = sub.add_parser("excel-siapkan", parents=[umum], help="siapkan tombol Run main (xlwings) untuk workbook")
    p.add_argument("--cetak", action="store_true", help="hanya tampilkan pengaturan, jangan tulis berkas")
    p.set_defaults(fungsi=cmd_excel_siapkan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = buat_parser()
    args = parser.parse_args(argv)
    gc_aktif = gc.isenabled()
    # A command is a short batch that builds hundreds of thousands of acyclic lists at kabupaten scale: the
    # cyclic collector would rescan them again and again (a third of himpun's time) and free nothing.
    gc.disable()
    try:
        return args.fungsi(args)
    except InputDitolak as e:
        print(f"DITOLAK: {e.pesan}", file=sys.stderr)
        for m in e.masalah:
            print(f"  - {m}", file=sys.stderr)
        return e.exit_code
    except EvkinError as e:
        print(f"GAGAL: {e.pesan}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Dibatalkan; workbook tidak berubah.", file=sys.stderr)
        return 130
    except Exception as e:  # never a traceback for the user; EVKIN_DEBUG=1 shows it
        if os.environ.get("EVKIN_DEBUG"):
            raise
        print(f"GAGAL: kesalahan tak terduga ({type(e).__name__}: {e}). Workbook tidak berubah. "
              "Jalankan dengan EVKIN_DEBUG=1 untuk rincian.", file=sys.stderr)
        return 1
    finally:
        if gc_aktif:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
