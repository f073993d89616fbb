"""`evkin` command line (also `python -m macros_py`), built from the action registry (`aksi/registry.py`).

Exit codes are the product's interface: 0 ok, 2 usage, 3 input rejected (also: verification failed), 4 step order
or role refused, 5 workbook busy/locked. Every message is Indonesian — argparse's own English is translated, and a
mistyped command gets a suggestion.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import io
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from macros_py.domain.errors import EvkinError, InputDitolak
from macros_py.io.files import ENV_WORKBOOK

WORKBOOK_BAKU = Path("workbook/Evaluasi_Kinerja.xlsx")

# argparse's messages (Python 3.11–3.13) in Indonesian; formats keep argparse's own placeholders.
TERJEMAHAN = {
    "usage: ": "cara pakai: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak dikenal (pilih: %(choices)s)",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "nilai %(value)r bukan %(type)s yang sah",
    "ambiguous option: %(option)s could match %(matches)s": "pilihan %(option)s ambigu: bisa %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "%(prog)s: error: %(message)s\n": "%(prog)s: GAGAL: %(message)s\n",
}


@contextlib.contextmanager
def _bahasa_indonesia() -> Iterator[None]:
    """argparse looks its messages up through its module-level `_` at the moment it needs them."""
    asli = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda teks: TERJEMAHAN.get(teks, teks)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = asli  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors end with a suggestion and the way to get help."""

    def error(self, message: str) -> NoReturn:
        saran = ""
        if "tidak dikenal (pilih:" in message:
            salah, *pilihan = re.findall(r"'([^']+)'", message)
            dekat = difflib.get_close_matches(salah, pilihan, n=1, cutoff=0.5)
            if dekat:
                saran = f"\nMaksud Anda: {dekat[0]}?"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: GAGAL: {message}{saran}\nBantuan: {self.prog} --help\n")


def _waktu(teks: str) -> datetime:
    try:
        return datetime.fromisoformat(teks)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{teks}' bukan waktu; contoh: 2026-10-05T08:00") from None


def _tunggu_baku() -> float:
    return float(os.environ.get("EVKIN_TUNGGU", "30"))


def workbook_baku() -> str:
    return os.environ.get(ENV_WORKBOOK) or str(WORKBOOK_BAKU)


def _opsi_umum(parser: argparse.ArgumentParser, baku: bool) -> None:
    def d(nilai: Any) -> Any:
        return nilai if baku else argparse.SUPPRESS

    parser.add_argument("--workbook", default=d(workbook_baku()),
                        help=f"workbook induk (baku: {ENV_WORKBOOK} bila diisi, atau {WORKBOOK_BAKU} dari folder "
                             "tempat perintah dijalankan)")
    parser.add_argument("--sebagai", default=d(None), help="pengguna yang bertindak (baku: nama login)")
    parser.add_argument("--waktu", type=_waktu, default=d(None),
                        help="waktu kejadian bila dicatat kemudian (ISO, mis. 2026-10-05T08:00)")
    parser.add_argument("--tunggu", type=float, default=d(_tunggu_baku()),
                        help="detik menunggu bila workbook dipakai proses lain (baku 30, atau EVKIN_TUNGGU)")


def _peran(entri: Any) -> str:
    if entri.peran or not entri.langkah:
        return str(entri.peran)
    from macros_py.schema import muat_skema

    skema = muat_skema()
    return ", ".join(skema.nama_peran.get(p, p) for p in skema.langkah_aksi(entri.langkah).pelaksana)


def _ringkas(entri: Any) -> str:
    if not entri.langkah:
        return str(entri.ringkas)
    from macros_py.schema import muat_skema

    return f"langkah {muat_skema().langkah_aksi(entri.langkah).no}: {entri.ringkas}"


def _tambah(sub: Any, entri: Any, umum: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """One command's parser from its registry entry: description, who runs it, an example, its options."""
    ringkas = _ringkas(entri)
    p = sub.add_parser(entri.nama, parents=[umum], help=ringkas,
                       description=f"{ringkas[0].upper()}{ringkas[1:]}.\nDijalankan oleh: {_peran(entri)}.",
                       epilog=f"Contoh: {entri.contoh}", formatter_class=argparse.RawDescriptionHelpFormatter)
    for o in entri.opsi:
        p.add_argument(*o.nama, help=o.bantuan, **o.kwargs)
    p.set_defaults(entri=entri)
    return p


def buat_parser() -> argparse.ArgumentParser:
    from macros_py.aksi.registry import DAFTAR

    with _bahasa_indonesia():
        parser = Parser(prog="evkin", description="Evaluasi Kinerja — SOP Pengumpulan Data Kinerja. Setiap perintah "
                        "menjalankan satu aksi; urutan langkah dan peran pelaksana diperiksa.",
                        epilog="Kode keluar: 0 berhasil, 2 cara pakai salah, 3 data/berkas ditolak, 4 urutan "
                               "langkah atau peran ditolak, 5 workbook sedang dipakai.")
        _opsi_umum(parser, baku=True)
        umum = Parser(add_help=False)
        _opsi_umum(umum, baku=False)
        sub = parser.add_subparsers(dest="perintah", required=True, metavar="PERINTAH", title="perintah",
                                    parser_class=Parser)
        for entri in DAFTAR:
            p = _tambah(sub, entri, umum)
            if entri.anak:
                sub2 = p.add_subparsers(dest=f"sub_{entri.nama}", required=True, title="perintah",
                                        metavar="|".join(a.nama for a in entri.anak), parser_class=Parser)
                for anak in entri.anak:
                    _tambah(sub2, anak, umum)
    return parser


def _jalankan(args: argparse.Namespace) -> int:
    from macros_py.cli_perintah import info
    from macros_py.schema import muat_skema

    entri = args.entri
    if entri.perintah:
        return int(entri.muat_perintah()(args))
    from macros_py.aksi.registry import jalankan

    hasil = jalankan(entri, Path(args.workbook), entri.argumen(args), sebagai=args.sebagai, waktu=args.waktu,
                     tunggu=args.tunggu, info=info)
    no = muat_skema().langkah_aksi(entri.langkah).no if entri.langkah else None
    for baris in entri.lapor(hasil, no, args):
        print(baris)
    return 0


def konsol_aman() -> None:
    """Output never crashes on a character the console's code page lacks (cp1252/cp437 on Windows, or output
    redirected to a file): it is replaced, and the action that already saved is not reported as failed."""
    for aliran in (sys.stdout, sys.stderr):
        if isinstance(aliran, io.TextIOWrapper):
            with contextlib.suppress(Exception):
                aliran.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    konsol_aman()
    parser = buat_parser()
    with _bahasa_indonesia():
        args = parser.parse_args(argv)
    from macros_py.io import console

    # progress only for someone watching a terminal; never in --json output, a pipe, a file or a test
    console.KEMAJUAN_AKTIF = sys.stderr.isatty() and not getattr(args, "json", False)
    gc_aktif = gc.isenabled()
    # A command is a short batch that builds hundreds of thousands of acyclic lists at kabupaten scale: the
    # cyclic collector would rescan them again and again (a third of himpun's time) and free nothing.
    gc.disable()
    from macros_py.io import unit_of_work

    tersimpan = len(unit_of_work.TERSIMPAN)
    try:
        return _jalankan(args)
    except InputDitolak as e:
        if getattr(args, "json", False) and hasattr(e, "hasil"):
            import json

            print(json.dumps(e.hasil.json(), ensure_ascii=False, indent=2))
        print(f"DITOLAK: {e.pesan}", file=sys.stderr)
        for m in e.masalah:
            print(f"  - {m}", file=sys.stderr)
        return e.exit_code
    except EvkinError as e:
        tersimpan_dulu = len(unit_of_work.TERSIMPAN) > tersimpan and not isinstance(e, unit_of_work.SesudahSimpanGagal)
        print(f"GAGAL: {e.pesan}" + (" (Perubahan sebelumnya dalam perintah ini sudah disimpan; periksa dengan: evkin "
                                     "status.)" if tersimpan_dulu else ""), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        keadaan = ("workbook sudah disimpan sebelum dibatalkan" if len(unit_of_work.TERSIMPAN) > tersimpan
                   else "workbook tidak berubah")
        print(f"Dibatalkan; {keadaan}.", file=sys.stderr)
        return 130
    except Exception as e:  # never a traceback for the user; EVKIN_DEBUG=1 shows it
        if os.environ.get("EVKIN_DEBUG"):
            raise
        keadaan = ("Workbook sudah disimpan; periksa hasilnya dengan: evkin status"
                   if len(unit_of_work.TERSIMPAN) > tersimpan else "Workbook tidak berubah")
        print(f"GAGAL: kesalahan tak terduga ({type(e).__name__}: {e}). {keadaan}. "
              "Jalankan dengan EVKIN_DEBUG=1 untuk rincian.", file=sys.stderr)
        return 1
    finally:
        if gc_aktif:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
