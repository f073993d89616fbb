"""Benchmark of the submission reader and validator on one large submission, read many times.

    python bench/bench_kiriman.py [--baris 500] [--ulang 60] [--putaran 5]

Builds the distributed template of one bidang (`build_format_bidang`) filled with `--baris` rows as the himpun
benchmark fills them, plus the same file as LibreOffice saves it after "Delete rows" (a dimension to row
1048576 and an empty last row) and one with a few percent-formatted cells, an error cell and a merged range
outside the table. Prints, per file, the best of `--putaran` rounds of `--ulang` reads (`read_kiriman`) and
validations (`validasi_lembar` with the reader's facts). Times only: the figures go into the README or a note.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _siapkan import nilai_baris

from macros_py.domain.validasi import Harapan, validasi_lembar
from macros_py.io.kiriman import read_kiriman
from macros_py.io.output.builder import build_format_bidang
from macros_py.schema import muat_skema

BIDANG = {"kode": "PEM", "nama": "Seksi Pemerintahan", "sheet": "Seksi Pemerintahan"}


def _tulis(folder: Path, n: int) -> dict[str, Path]:
    skema = muat_skema()
    kolom = skema.tabel("bidang").kolom
    baris = [[nilai_baris("PEM", i).get(k.key) for k in kolom] for i in range(1, n + 1)]
    biasa = folder / "Format_EvKin_2026_TW3_PEM.xlsx"
    wb = build_format_bidang(skema, 2026, "TW3", 1, BIDANG, baris)
    wb.save(biasa)
    ws = wb.active
    for ref in ("P9", "R9", "T9"):
        ws[ref].number_format = "0.0%"
        ws[ref].value = 0.25
    wb.save(folder / "fakta.xlsx")
    with zipfile.ZipFile(folder / "fakta.xlsx") as z:
        isi = {nama: z.read(nama) for nama in z.namelist()}
    xml = isi["xl/worksheets/sheet1.xml"]  # an error cell and a merge in the header block: still accepted
    xml = re.sub(rb'(<row r="2".*?)</row>', rb'\1<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>', xml, count=1)
    isi["xl/worksheets/sheet1.xml"] = xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="E1:F1"/></mergeCells>')
    _zip(folder / "fakta.xlsx", isi)
    with zipfile.ZipFile(biasa) as z:
        isi = {nama: z.read(nama) for nama in z.namelist()}
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:AMJ1048576"/>', isi["xl/worksheets/sheet1.xml"])
    isi["xl/worksheets/sheet1.xml"] = xml.replace(
        b"</sheetData>", b'<row r="1048576" customFormat="false" ht="12.8" hidden="false"></row></sheetData>')
    _zip(folder / "libreoffice.xlsx", isi)
    return {"template terisi": biasa, "seperti LibreOffice": folder / "libreoffice.xlsx",
            "dengan fakta sel": folder / "fakta.xlsx"}


def _zip(path: Path, isi: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for nama, data in isi.items():
            z.writestr(nama, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baris", type=int, default=500)
    parser.add_argument("--ulang", type=int, default=60)
    parser.add_argument("--putaran", type=int, default=5)
    args = parser.parse_args()
    kolom = muat_skema().tabel("bidang").kolom
    harapan = Harapan(2026, "TW3", 1, {"PEM": BIDANG["nama"]})
    with tempfile.TemporaryDirectory() as tmp:
        for nama, path in _tulis(Path(tmp), args.baris).items():
            baca, validasi = [], []
            for _ in range(args.putaran):
                mulai = time.perf_counter()
                hasil = [read_kiriman(path) for _ in range(args.ulang)]
                tengah = time.perf_counter()
                for berkas in hasil:
                    lembar = berkas.lembar[0]
                    validasi_lembar(berkas.berkas, lembar.nama, lembar.baris, kolom, harapan,
                                    lembar.baris_tersembunyi, facts=lembar)
                baca.append(tengah - mulai)
                validasi.append(time.perf_counter() - tengah)
            print(f"{nama:18s} {args.baris} baris x {args.ulang}: read_kiriman {min(baca):.3f} s, "
                  f"validasi_lembar {min(validasi):.3f} s ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
