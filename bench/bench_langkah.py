"""Per-step latency of a full kecamatan SOP run: every command a separate process, as users run them.

    python bench/bench_langkah.py [--ulang N] [--folder DIR] [--simpan]

The sample data of `evkin demo` (six bidang, the shipped indicator list) goes through all eleven steps, each command
run as `python -m macros_py ...` from this checkout, its wall-clock time measured from process start to exit. What a
person does in Excel between commands (typing the indicator list and the officials' real names into the master,
filling the distributed templates) is done in this process and not measured. PDF steps (konsep, koreksi, surat)
run LibreOffice when it is installed.

The first repetition starts from an empty cache folder (EVKIN_TEMBOLOK inside --folder): the LibreOffice profiles
are made there on first use. The resident converter, where it can run, is stopped after each repetition (as its
idle minutes would stop it overnight), so in every repetition the first PDF step (konsep) starts it and the later
ones find it running. EVKIN_LO_RESIDEN=0 measures the one-shot way alone.
The package is byte-compiled first, as scripts/setup.sh does on a user's machine. Prints the machine (cores, load
average: other work on the machine slows every figure) and a table of step -> seconds, one column per repetition,
and the median.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros_py.aksi.demo import KATA_SANDI_DEMO, data_contoh, isi_format  # noqa: E402
from tests.conftest import tanpa_contoh  # noqa: E402


def info(pesan: str) -> None:
    print(pesan, file=sys.stderr, flush=True)


class Jalan:
    """One SOP run in its own folder; `evkin` runs a command and records its time."""

    def __init__(self, folder: Path, cache: Path) -> None:
        self.folder = folder
        self.master = folder / "Evaluasi_Kinerja.xlsx"
        self.kunci = folder.parent / f"{folder.name}-kunci"
        self.env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                        EVKIN_TEMBOLOK=str(cache))
        self.waktu: dict[str, float] = {}

    def evkin(self, label: str, sebagai: str, waktu: str, *args: object, masukan: str = "") -> str:
        cmd = [sys.executable, "-m", "macros_py", "--workbook", str(self.master), "--sebagai", sebagai,
               "--waktu", waktu, *map(str, args)]
        t0 = time.perf_counter()
        hasil = subprocess.run(cmd, input=masukan, env=self.env, capture_output=True, text=True)
        detik = time.perf_counter() - t0
        if hasil.returncode != 0:
            raise SystemExit(f"{label}: {' '.join(cmd)} -> {hasil.returncode}\n{hasil.stdout[-2000:]}\n"
                             f"{hasil.stderr[-2000:]}")
        self.waktu[label] = detik
        info(f"  {label:<22} {detik:6.2f} s")
        return hasil.stdout


def daftar_indikator(master: Path, indikator: list[dict[str, object]]) -> None:
    """The Kasubag types the indicator list into the Daftar Indikator sheet (in Excel: no command, no log)."""
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork
    from macros_py.schema import muat_skema

    with FileUnitOfWork(master, info=lambda _: None) as uow:
        write_table(uow.book, muat_skema().tabel("indikator"), indikator)
        uow.commit()


def satu_putaran(folder: Path, cache: Path) -> dict[str, float]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    j = Jalan(folder, cache)
    shutil.rmtree(j.kunci, ignore_errors=True)
    j.kunci.mkdir(parents=True)
    contoh = data_contoh()
    sandi = KATA_SANDI_DEMO + "\n"
    j.evkin("init", "kasubag", "2026-10-05T07:30", "init", "--tahun", "2026", "--periode", "TW3")
    j.evkin("kunci buat-ca", "kasubag", "2026-10-05T07:40", "kunci", "buat-ca", "--p12", j.kunci / "ca.p12",
            "--pem", folder / "CA.pem", masukan=sandi * 2)
    for pengguna in ("camat", "sekcam", "kasubag"):
        j.evkin(f"kunci terbitkan {pengguna}", "kasubag", "2026-10-05T07:45", "kunci", "terbitkan", "--ca",
                j.kunci / "ca.p12", "--pengguna", pengguna, "--p12", j.kunci / f"{pengguna}.p12", masukan=sandi * 3)
    daftar_indikator(j.master, contoh["indikator"])
    tanpa_contoh(j.master)
    j.evkin("disposisi", "kasubag", "2026-10-05T08:00", "disposisi", "--nomor", "005/112/Kec-Mkt/X/2026",
            "--isi", "Susun evaluasi kinerja Triwulan III Tahun 2026")
    j.evkin("format", "kasubag", "2026-10-05T08:55", "format")
    j.evkin("distribusi", "kasubag", "2026-10-05T09:08", "distribusi")
    j.evkin("rapat", "kasubag", "2026-10-05T11:00", "rapat", "--peserta", "PEM=Kasi Pemerintahan",
            "--kesimpulan", "Format disepakati")
    kiriman = folder / "kiriman"
    kiriman.mkdir()
    from macros_py.schema import muat_skema

    skema = muat_skema()
    for asal in sorted((folder / "format_bidang").glob("*.xlsx")):
        tujuan = kiriman / asal.name
        shutil.copyfile(asal, tujuan)
        isi_format(tujuan, contoh["isian"][asal.stem.rsplit("_", 1)[-1]], skema)
    j.evkin("himpun", "kasubag", "2026-10-06T09:00", "himpun", kiriman)
    j.evkin("langkah selesai 5", "kasubag", "2026-10-06T10:00", "langkah", "selesai", "5")
    j.evkin("analisa", "kasubag", "2026-10-06T15:00", "analisa")
    j.evkin("konsep", "kasubag", "2026-10-07T08:00", "konsep")
    j.evkin("koreksi", "sekcam", "2026-10-07T09:00", "koreksi", "--catatan", "Perbaiki uraian faktor penghambat")
    j.evkin("ajukan", "sekcam", "2026-10-07T10:00", "ajukan", "--kunci", j.kunci / "sekcam.p12", masukan=sandi)
    j.evkin("tandatangani", "camat", "2026-10-07T11:00", "tandatangani", "--kunci", j.kunci / "camat.p12",
            masukan=sandi)
    j.evkin("surat", "kasubag", "2026-10-07T11:30", "surat")
    j.evkin("arsip", "kasubag", "2026-10-07T13:00", "arsip", "--out", folder / "arsip" / "TW3", "--kunci",
            j.kunci / "kasubag.p12", masukan=sandi)
    j.evkin("status", "kasubag", "2026-10-07T14:00", "status")
    j.evkin("status --json", "kasubag", "2026-10-07T14:00", "status", "--json")
    j.evkin("verifikasi arsip", "kasubag", "2026-10-07T14:00", "verifikasi", folder / "arsip" / "TW3",
            "--percaya", folder / "CA.pem")
    shutil.rmtree(j.kunci, ignore_errors=True)
    return j.waktu


def berhenti(cache: Path) -> None:
    """Stop the resident converter (as its idle minutes would): the next repetition's first PDF step starts it."""
    env = dict(os.environ, EVKIN_TEMBOLOK=str(cache), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", "from macros_py.io.output.pdf import stop_resident; stop_resident()"],
                   env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ulang", type=int, default=2, help="repetitions (the first one starts with an empty cache)")
    p.add_argument("--folder", type=Path, help="working folder (default: a temporary folder)")
    p.add_argument("--simpan", action="store_true", help="keep the working folder")
    a = p.parse_args(argv)
    compileall.compile_dir(str(ROOT / "macros_py"), quiet=1)
    from macros_py.io.output.pdf import find_soffice

    print(f"{platform.platform()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; LibreOffice: "
          f"{find_soffice() or 'none'}; EVKIN_LO_RESIDEN={os.environ.get('EVKIN_LO_RESIDEN', '(default)')}")
    dasar = a.folder or Path(tempfile.mkdtemp(prefix="evkin-bench-langkah-"))
    cache = dasar / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    hasil: list[dict[str, float]] = []
    try:
        for i in range(a.ulang):
            info(f"repetition {i + 1}/{a.ulang}")
            hasil.append(satu_putaran(dasar / "kantor", cache))
            berhenti(cache)
    finally:
        berhenti(cache)
        if not a.simpan and a.folder is None:
            shutil.rmtree(dasar, ignore_errors=True)
    lebar = max(len(k) for k in hasil[0])
    print(f"{'step':<{lebar}} " + " ".join(f"{f'run {i + 1}':>7}" for i in range(len(hasil))) + "  median")
    for label in hasil[0]:
        xs = [h[label] for h in hasil]
        print(f"{label:<{lebar}} " + " ".join(f"{x:7.2f}" for x in xs) + f" {statistics.median(xs):7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
