"""The commands of `evkin` that are not one registered action in a unit of work: read-only views (status,
verifikasi, periksa), housekeeping (init, demo, rollup, excel-siapkan) and the two with sub-choices (langkah,
nomor). Each takes the parsed arguments and returns the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from macros_py.domain.errors import InputDitolak, PenggunaanSalah


def info(pesan: str) -> None:
    print(pesan, file=sys.stderr, flush=True)


def workbook(args: argparse.Namespace) -> Path:
    return Path(args.workbook)


def baca_master(path: Path) -> Any:
    """Open the master for reading only (no lock: saves replace the file atomically). The fast engine reads
    just the sheets asked for, which keeps `status` quick on a large master and never imports openpyxl."""
    from macros_py.io.engines import open_book
    from macros_py.io.files import workbook_tidak_ada

    if not path.exists():
        raise workbook_tidak_ada(path)
    return open_book(path)


def jalankan_langsung(nama: str, args: argparse.Namespace, argumen: dict[str, Any]) -> Any:
    from macros_py.aksi.registry import AKSI, jalankan

    return jalankan(AKSI[nama], workbook(args), argumen, sebagai=args.sebagai, waktu=args.waktu,
                    tunggu=args.tunggu, info=info)


def cmd_init(args: argparse.Namespace) -> int:
    from macros_py.aksi.inisialisasi import buat_master

    path = buat_master(workbook(args), args.tahun, args.periode, sebagai=args.sebagai, timpa=args.timpa,
                       waktu=args.waktu, info=info, tunggu=args.tunggu,
                       lanjut=Path(args.lanjut) if args.lanjut else None)
    print(f"Workbook dibuat: {path.absolute()}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from macros_py.aksi.langkah import sekarang
    from macros_py.aksi.status import ringkasan_status
    from macros_py.schema import muat_skema

    data = ringkasan_status(baca_master(workbook(args)), muat_skema(), args.waktu or sekarang())
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    from rich.console import Console
    from rich.table import Table

    tabel = Table(title=f"SOP Pengumpulan Data Kinerja — {data['unit']} {data['periode']} {data['tahun']}")
    for judul in ("No", "Uraian", "Mutu baku", "Status", "Mulai", "Batas", "Selesai", "Durasi", "Sesuai", "Oleh"):
        tabel.add_column(judul)
    for lk in data["langkah"]:
        gaya = "red" if lk["terlambat"] else ("green" if lk["status"] == "Selesai" else None)
        tabel.add_row(str(lk["no"]), lk["uraian"][:48], lk["mutu_baku_waktu"], lk["status"], lk["mulai"] or "",
                      lk["batas"] or "", lk["selesai"] or "", lk["durasi"], lk["sesuai_mutu_baku"], lk["oleh"],
                      style=gaya)
    konsol = Console()
    konsol.print(tabel)
    for t in data["terlambat"]:
        konsol.print(f"[red]Terlambat[/red]: langkah {t['no']} {t['keterangan']}")
    for b in data.get("bidang", []):
        warna = "red" if "terlambat" in b["keadaan"] else ("yellow" if b["keadaan"] == "belum mengirim" else "green")
        batas = (f" (batas {data['batas_himpun_waktu']})" if "belum" in b["keadaan"] and data["batas_himpun_waktu"]
                 else "")
        konsol.print(f"[{warna}]{b['bidang']}[/{warna}]: {b['keadaan']}{batas}"
                     + (f" — {b['baris']} baris, terakhir {b['terakhir']}" if b["terakhir"] else ""))
    beda = data["beda_login"]
    if beda:
        konsol.print(f"[yellow]{len(beda)} baris Log dicatat atas nama pengguna yang berbeda dengan login "
                     "komputernya[/yellow] (nama diklaim dengan --sebagai; periksa bila tidak wajar):")
        for r in beda[-5:]:
            konsol.print(f"  Log {r['no']} {r['waktu']} {r['aksi']}: {r['pengguna']} — login {r['perangkat']}",
                         markup=False)
    aktif = data["langkah_aktif"]
    if aktif:
        lk = next(x for x in data["langkah"] if x["no"] == aktif)
        konsol.print(f"Langkah berikutnya: {aktif} ({lk['uraian']}) — oleh {', '.join(lk['pelaksana'])}; "
                     f"jalankan: evkin {lk['aksi']}", markup=False)
    else:
        konsol.print("Semua langkah SOP selesai.")
    return 0


def _langkah(args: argparse.Namespace, fungsi: Any) -> Any:
    from macros_py.aksi.langkah import eksekusi
    from macros_py.io.unit_of_work import FileUnitOfWork

    with FileUnitOfWork(workbook(args), tunggu=args.tunggu, info=info) as uow:
        s = eksekusi(uow, fungsi, args.sebagai, args.waktu, info)
        uow.commit()
    return s


def cmd_langkah_mulai(args: argparse.Namespace) -> int:
    from macros_py.aksi import laporan
    from macros_py.aksi.langkah import mulai_langkah

    print(laporan.langkah_dimulai(_langkah(args, lambda b, k: mulai_langkah(b, k, args.nomor))))
    return 0


def cmd_langkah_selesai(args: argparse.Namespace) -> int:
    """Finishing the himpun step while a bidang has not sent needs an explicit --ya (as the Excel button asks)."""
    from macros_py.aksi import laporan
    from macros_py.aksi.himpun import belum_mengirim
    from macros_py.aksi.langkah import selesaikan_langkah

    def selesai(b: Any, k: Any) -> Any:
        if args.nomor == k.no("himpun") and not args.ya:
            belum = belum_mengirim(b, k.skema)
            if belum:
                raise PenggunaanSalah(f"Bidang yang belum mengirim: {', '.join(belum)}. Sesudah langkah {args.nomor} "
                                      "selesai, data tidak dapat dikirim lagi. Bila memang diselesaikan sekarang, "
                                      f"ulangi dengan: evkin langkah selesai {args.nomor} --ya")
        return selesaikan_langkah(b, k, args.nomor, args.catatan or "")

    print(laporan.langkah_selesai(_langkah(args, selesai)))
    return 0


def cmd_nomor(args: argparse.Namespace) -> int:
    from macros_py.aksi.langkah import eksekusi
    from macros_py.aksi.penutupan import batal_nomor, nomor
    from macros_py.io.unit_of_work import FileUnitOfWork

    if args.batal and not args.alasan:
        raise PenggunaanSalah("Pembatalan nomor memerlukan --alasan, mis. evkin nomor --batal NOMOR --alasan \"...\"")
    if not args.batal and (not args.perihal or not args.tujuan):
        raise PenggunaanSalah("Gunakan: evkin nomor --perihal \"...\" --tujuan \"...\"")
    with FileUnitOfWork(workbook(args), tunggu=args.tunggu, info=info) as uow:
        if args.batal:
            baris = eksekusi(uow, lambda b, k: batal_nomor(b, k, args.batal, args.alasan), args.sebagai, args.waktu,
                             info)
        else:
            baris = eksekusi(uow, lambda b, k: nomor(b, k, args.perihal, args.tujuan, args.kode), args.sebagai,
                             args.waktu, info)
        uow.commit()
    print(f"Nomor {baris['nomor_surat']} dibatalkan (tetap tercatat, tidak dipakai ulang)." if args.batal
          else baris["nomor_surat"])
    return 0


def _percaya(args: argparse.Namespace) -> list[Any] | None:
    from macros_py.io.signing.keys import load_certificates

    return [c for p in args.percaya for c in load_certificates(Path(p))] or None


def cmd_verifikasi(args: argparse.Namespace) -> int:
    from macros_py.aksi.langkah import verifikasi_log
    from macros_py.schema import muat_skema

    path = Path(args.target) if args.target else workbook(args)
    if path.is_dir():
        from macros_py.aksi.arsip import verifikasi_rekaman

        hasil = verifikasi_rekaman(path, _percaya(args))
        for m in hasil.masalah:
            print(f"TIDAK UTUH: {m}")
        for m in hasil.belum_terbukti:
            print(f"BELUM TERBUKTI: {m}")
        for c in hasil.catatan:
            print(f"  - {c}")
        if not hasil.utuh:
            return InputDitolak.exit_code
        print(f"Arsip {path} utuh dan terverifikasi: setiap berkas cocok dengan manifest, segel dan dokumen "
              "ditandatangani kunci yang dijamin CA yang Anda percayai, dan rantai Log cocok.")
        return 0
    if not path.exists():
        raise PenggunaanSalah(f"{path} tidak ditemukan (tunjuk workbook induk atau folder arsip).")
    book = baca_master(path)
    if muat_skema().sheet("log").nama not in book.sheet_names():
        raise InputDitolak(f"{path.name} bukan workbook induk evaluasi kinerja (sheet Log tidak ada); tidak ada yang "
                           "dapat diverifikasi. Tunjuk workbook induk, atau folder arsip.")
    masalah_log = verifikasi_log(book, muat_skema())
    if masalah_log:
        for galat in masalah_log:
            print(f"TIDAK UTUH: {galat.pesan}")
        return InputDitolak.exit_code
    print(f"Log {path.name} utuh: rantai hash cocok dari baris pertama sampai terakhir.")
    return 0


def cmd_rollup(args: argparse.Namespace) -> int:
    from macros_py.aksi import laporan
    from macros_py.aksi.arsip import rollup

    hasil = rollup([Path(p) for p in args.rekaman], Path(args.out), _percaya(args))
    print(f"Rollup {len(hasil['unit'])} unit, {hasil['baris']} indikator: {args.out}")
    for r in hasil["ringkasan"]:
        print(f"  {r['bidang']}: rata-rata capaian {laporan.persen(r.get('rata_capaian_kinerja'))} "
              f"({r.get('predikat') or '-'})")
    return 0


def cmd_periksa(args: argparse.Namespace) -> int:
    from macros_py.aksi.periksa import periksa
    from macros_py.io.files import workbook_tidak_ada

    path = Path(args.target) if args.target else workbook(args)
    if not path.exists():
        raise workbook_tidak_ada(path)
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

    jalankan_demo(Path(args.folder), info=info)
    return 0


def cmd_excel_siapkan(args: argparse.Namespace) -> int:
    from macros_py.excel.periksa import cetak, periksa_excel
    from macros_py.excel.persiapan import siapkan_excel

    hasil = siapkan_excel(workbook(args), tulis=not args.cetak)
    print(f"Pengaturan xlwings{f' ditulis ke {hasil.berkas_conf}' if hasil.berkas_conf else ''}:")
    for kunci, nilai in hasil.pengaturan.items():
        print(f'  "{kunci}","{nilai}"')
    print(f"Modul tombol Run main: {hasil.modul}" + (" (ditulis)" if hasil.modul_dibuat else ""))
    print("Langkah yang masih dilakukan sendiri:")
    for i, langkah in enumerate(hasil.langkah_manual, 1):
        print(f"  {i}. {langkah}")
    print()
    path = workbook(args).absolute()
    return cetak(path, periksa_excel(path))  # what is still missing on this PC, with the fix for each
