"""Crash-safety harness: SIGKILL the CLI at random moments during init, himpun, analisa, nomor and arsip, then
check the master opens, its Log verifies, and it equals the state before or after the action — never a mix.

Run as a script for the long fuzz run (prints counts):  python -m tests.kill_harness --kills 40
The test suite runs a few kills per action (tests/test_keandalan.py).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

WAKTU = {"init": "2026-10-05T07:30", "nomor": "2026-10-05T10:00", "himpun": "2026-10-06T09:00",
         "analisa": "2026-10-07T08:00", "arsip": "2026-10-09T08:00"}
NAMA = "Evaluasi_Kinerja.xlsx"


def _demo(folder: Path, sampai: int) -> None:
    from macros_py.aksi.demo import jalankan_demo

    jalankan_demo(folder, info=lambda _: None, sampai=sampai)


KUNCI: dict[str, Path] = {}  # action -> the archiver's key of its template (beside the template folder)


def siapkan_templat(dasar: Path) -> dict[str, Path]:
    """One prepared folder per action, holding the master in the state just before it."""
    templat = {}
    for aksi, sampai in (("himpun", 4), ("analisa", 5), ("arsip", 10)):
        templat[aksi] = dasar / aksi
        _demo(templat[aksi], sampai)
        from macros_py.aksi.demo import folder_kunci

        KUNCI[aksi] = folder_kunci(templat[aksi]) / "kasubag.p12"
    templat["nomor"] = dasar / "nomor"
    templat["nomor"].mkdir()
    subprocess.run([sys.executable, "-m", "macros_py", "--workbook", str(templat["nomor"] / NAMA), "--sebagai",
                    "kasubag", "init", "--tahun", "2026", "--periode", "TW3"], check=True, capture_output=True)
    templat["init"] = dasar / "init"
    templat["init"].mkdir()
    return templat


def perintah(aksi: str, folder: Path) -> list[str]:
    umum = [sys.executable, "-m", "macros_py", "--workbook", str(folder / NAMA), "--sebagai", "kasubag",
            "--waktu", WAKTU[aksi], "--tunggu", "5"]
    return umum + {
        "init": ["init", "--tahun", "2026", "--periode", "TW3"],
        "nomor": ["nomor", "--perihal", "Uji", "--tujuan", "Bappelitbangda"],
        "himpun": ["himpun", str(folder / "kiriman")],
        "analisa": ["analisa"],
        "arsip": ["arsip", "--out", str(folder / "arsip_uji"), "--kunci", str(KUNCI.get("arsip", ""))],
    }[aksi]


def masukan() -> bytes:
    """What the user types when asked: the demo keys' passphrase (arsip signs the seal)."""
    from macros_py.aksi.demo import KATA_SANDI_DEMO

    return (KATA_SANDI_DEMO + "\n").encode()


def jejak(folder: Path, templat: Path) -> tuple[str, int] | None:
    """(digest of every sheet but the Log's moment-dependent parts, number of Log rows), None if no master."""
    path = folder / NAMA
    if not path.exists():
        return None
    wb = load_workbook(path)
    h = hashlib.sha256()
    log_baris = 0
    for ws in wb.worksheets:
        if ws.title == "Log":
            log_baris = sum(1 for r in ws.iter_rows(min_row=5, max_col=1, values_only=True) if r[0] is not None)
            continue
        for row in ws.iter_rows(values_only=True):
            if ws.title == "Konfigurasi" and row and str(row[0]).startswith("log_"):
                row = row[2:]
            h.update(repr(row).replace(str(folder), "<DIR>").replace(str(templat), "<DIR>").encode())
    return h.hexdigest(), log_baris


@dataclass
class Hasil:
    hitung: Counter = field(default_factory=Counter)
    gagal: list[str] = field(default_factory=list)


def durasi(aksi: str, templat: Path, kerja: Path) -> tuple[float, tuple[str, int] | None]:
    """Run the action uninterrupted once: its duration and the 'after' state."""
    folder = kerja / f"{aksi}-acuan"
    shutil.copytree(templat, folder, symlinks=True)
    mulai = time.monotonic()
    subprocess.run(perintah(aksi, folder), check=True, capture_output=True, input=masukan())
    return time.monotonic() - mulai, jejak(folder, templat)


def bunuh(aksi: str, templat: Path, kerja: Path, n: int, acak: random.Random, hasil: Hasil) -> None:
    lama, sesudah = durasi(aksi, templat, kerja)
    sebelum = jejak(templat, templat)
    for i in range(n):
        folder = kerja / f"{aksi}-{i}"
        shutil.copytree(templat, folder, symlinks=True)
        proses = subprocess.Popen(perintah(aksi, folder), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        with contextlib.suppress(BrokenPipeError):
            assert proses.stdin is not None
            proses.stdin.write(masukan())
            proses.stdin.close()
        time.sleep(acak.uniform(0.05, lama * 0.98))
        if proses.poll() is None:
            os.kill(proses.pid, signal.SIGKILL)
            hasil.hitung["dibunuh"] += 1
        else:
            hasil.hitung["selesai sebelum dibunuh"] += 1
        proses.wait()
        try:
            keadaan = jejak(folder, templat)
        except Exception as e:  # a master that does not open is exactly what must never happen
            hasil.gagal.append(f"{aksi} #{i}: workbook tidak dapat dibuka ({e})")
            continue
        if keadaan == sebelum:
            hasil.hitung[f"{aksi}: sebelum"] += 1
        elif keadaan == sesudah:
            hasil.hitung[f"{aksi}: sesudah"] += 1
        else:
            hasil.gagal.append(f"{aksi} #{i}: keadaan campuran")
            continue
        if keadaan is not None:
            cek = subprocess.run([sys.executable, "-m", "macros_py", "--workbook", str(folder / NAMA), "verifikasi"],
                                 capture_output=True, text=True)
            if cek.returncode != 0:
                hasil.gagal.append(f"{aksi} #{i}: verifikasi gagal: {cek.stdout.strip()}")
        sisa = list(folder.glob(".evkin-tmp-*"))
        if sisa and keadaan is not None:
            hasil.hitung["berkas sementara tersisa"] += 1
            ulang = subprocess.run(perintah("nomor", folder), capture_output=True, text=True)
            if "Berkas sementara sisa proses" in ulang.stderr and not list(folder.glob(".evkin-tmp-*")):
                hasil.hitung["dipulihkan otomatis"] += 1
            elif "sudah ditutup" not in ulang.stderr:
                hasil.gagal.append(f"{aksi} #{i}: sisa berkas sementara tidak dipulihkan: {ulang.stderr.strip()}")
        shutil.rmtree(folder, ignore_errors=True)


def jalankan(per_aksi: int, benih: int = 7) -> Hasil:
    acak = random.Random(benih)
    hasil = Hasil()
    with tempfile.TemporaryDirectory() as tmp:
        dasar = Path(tmp)
        templat = siapkan_templat(dasar / "templat")
        kerja = dasar / "kerja"
        kerja.mkdir()
        for aksi in ("init", "nomor", "himpun", "analisa", "arsip"):
            bunuh(aksi, templat[aksi], kerja, per_aksi, acak, hasil)
    return hasil


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=40, help="kills per action (5 actions)")
    args = parser.parse_args()
    mulai = time.monotonic()
    hasil = jalankan(args.kills)
    print(f"Kill harness: {5 * args.kills} percobaan dalam {time.monotonic() - mulai:.0f} s")
    for k, v in sorted(hasil.hitung.items()):
        print(f"  {k:32} {v}")
    print(f"  {'gagal':32} {len(hasil.gagal)}")
    for g in hasil.gagal:
        print(f"    - {g}")
    return 1 if hasil.gagal else 0


if __name__ == "__main__":
    sys.exit(main())
