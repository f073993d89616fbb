"""The measured paths that run inside one process; run by bench_himpun.py under /usr/bin/time -v.

    python bench/_jalur.py baca CARA --ulang N FILE...     CARA: calamine | fastexcel | proyek | proyek+validasi
                                                          (+ "@semua": on all cores, as evkin himpun reads)
    python bench/_jalur.py naif --master M --sheet Rekap --baris-data 5 FILE...

Prints one JSON object on stdout. `baca` imports first, does one untimed warm-up pass, then N timed passes
(so the times exclude interpreter start-up and imports). `naif` is one timed pass of the naive himpun:
pandas.read_excel(engine="openpyxl") per file, concat, openpyxl load of the master, rewrite Rekap, save.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _pembaca(cara: str) -> Callable[[Path], int]:
    """A function reading one file completely and returning its number of rows."""
    if cara == "calamine":
        import python_calamine

        def baca(p: Path) -> int:
            return len(python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python())

        return baca
    if cara == "fastexcel":
        import fastexcel

        try:
            import pyarrow  # noqa: F401

            ke_arrow = True
        except ImportError:  # fastexcel parses without pyarrow; only the Arrow hand-over needs it
            ke_arrow = False

        def baca_fx(p: Path) -> int:
            lembar = fastexcel.read_excel(str(p)).load_sheet(0, header_row=None)
            return lembar.to_arrow().num_rows if ke_arrow else lembar.height

        return baca_fx
    if cara == "proyek":
        from macros_py.io.kiriman.reader import read_kiriman

        def baca_proyek(p: Path) -> int:
            return sum(len(lembar.baris) for lembar in read_kiriman(p).lembar)

        return baca_proyek
    if cara == "proyek+validasi":
        from macros_py.domain.validasi import Harapan, baca_identitas, cari_identitas, validasi_lembar
        from macros_py.io.kiriman.reader import read_kiriman
        from macros_py.schema import muat_skema

        kolom = muat_skema().tabel("bidang").kolom

        def baca_validasi(p: Path) -> int:
            n = 0
            for lembar in read_kiriman(p).lembar:
                ketemu = cari_identitas(lembar.baris)
                assert ketemu is not None, p
                tahun, periode, kode, versi = baca_identitas(ketemu[0])  # type: ignore[misc]
                harapan = Harapan(tahun, periode, versi, {kode: kode})
                k = validasi_lembar(p.name, lembar.nama, lembar.baris, kolom, harapan, lembar.baris_tersembunyi,
                                    facts=lembar)
                assert not k.galat, k.galat[:3]
                n += len(k.baris)
            return n

        return baca_validasi
    raise SystemExit(f"cara baca tidak dikenal: {cara}")


def baca(cara: str, ulang: int, berkas: list[Path], pemanasan: bool = True) -> dict[str, object]:
    """`CARA@semua` spreads the files over all cores exactly as `evkin himpun` does (io/paralel.py)."""
    semua_core = cara.endswith("@semua")
    fungsi = _pembaca(cara.removesuffix("@semua"))

    def satu_putaran() -> int:
        if semua_core:
            from macros_py.io.parallel import parallel_map

            return sum(parallel_map(fungsi, berkas, bobot=[p.stat().st_size for p in berkas]))
        return sum(fungsi(p) for p in berkas)

    baris = satu_putaran() if pemanasan else None  # warm-up (lazy imports, page cache)
    kali = []
    for _ in range(ulang):
        t0 = time.perf_counter()
        satu_putaran()
        kali.append(time.perf_counter() - t0)
    return {"kali": kali, "baris": baris}


def naif(master: Path, sheet: str, baris_data: int, berkas: list[Path]) -> dict[str, object]:
    t0 = time.perf_counter()
    import pandas as pd
    from openpyxl import load_workbook

    t_impor = time.perf_counter()
    # header=7: the column titles are on row 8 of the template (rows 1-7 are the identity block).
    frames = []
    for p in berkas:
        df = pd.read_excel(p, engine="openpyxl", header=7)
        df.insert(0, "Bidang", p.stem.rsplit("_", 1)[-1])
        frames.append(df.dropna(subset=["Indikator Kinerja"]))
    semua = pd.concat(frames, ignore_index=True)
    t_baca = time.perf_counter()
    wb = load_workbook(master)
    t_muat = time.perf_counter()
    ws = wb[sheet]
    for i, row in enumerate(semua.itertuples(index=False), start=baris_data):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j).value = None if pd.isna(v) else v
    t_tulis = time.perf_counter()
    wb.save(master)
    t_simpan = time.perf_counter()
    return {"impor": t_impor - t0, "baca": t_baca - t_impor, "muat": t_muat - t_baca, "tulis": t_tulis - t_muat,
            "simpan": t_simpan - t_tulis, "baris": len(semua)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    q = sub.add_parser("baca")
    q.add_argument("cara")
    q.add_argument("--ulang", type=int, default=3)
    q.add_argument("--tanpa-pemanasan", action="store_true", help="no warm-up pass (for profiling)")
    q.add_argument("berkas", nargs="+", type=Path)
    q = sub.add_parser("naif")
    q.add_argument("--master", type=Path, required=True)
    q.add_argument("--sheet", default="Rekap")
    q.add_argument("--baris-data", type=int, default=5)
    q.add_argument("berkas", nargs="+", type=Path)
    a = p.parse_args(argv)
    if a.mode == "baca":
        hasil = baca(a.cara, a.ulang, a.berkas, not a.tanpa_pemanasan)
    else:
        hasil = naif(a.master, a.sheet, a.baris_data, a.berkas)
    json.dump(hasil, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
