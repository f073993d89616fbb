"""Shared fixtures: real master workbooks on disk, and the CLI run as users run it."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from macros_py.cli import main
from macros_py.io.files import ENV_TEMBOLOK
from macros_py.io.output.pdf import stop_resident
from tests.libreoffice_calc import Calc, start_calc, unavailable

WAKTU_INIT = datetime(2026, 10, 5, 7, 30)


@dataclass
class Hasil:
    kode: int
    keluar: str
    galat: str


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fixtures wider than one test keep the program's cache (sheet values, LibreOffice profiles, the resident
    converter) in the session's folder, never in the user's; the converter they started is stopped at the end."""
    lama = os.environ.get(ENV_TEMBOLOK)
    os.environ[ENV_TEMBOLOK] = str(tmp_path_factory.mktemp("cache-session"))
    yield
    stop_resident()
    if lama is None:
        del os.environ[ENV_TEMBOLOK]
    else:
        os.environ[ENV_TEMBOLOK] = lama


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test keeps the program's cache (`io.cache`, LibreOffice) in its own folder; the resident converter it
    started, if any, is stopped when it ends."""
    monkeypatch.setenv(ENV_TEMBOLOK, str(tmp_path_factory.mktemp("cache")))
    yield
    stop_resident()


@pytest.fixture(scope="session")
def calc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Calc]:
    """One LibreOffice Calc for the whole session, to fill files as bidang staff do (tests/libreoffice_calc.py)."""
    reason = unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must have it (bash scripts/setup.sh)")
        pytest.skip(reason)
    with start_calc(tmp_path_factory.mktemp("libreoffice")) as office:
        yield office


@pytest.fixture
def evkin(capsys: pytest.CaptureFixture[str]) -> Callable[..., Hasil]:
    """Run `evkin ARGS...` in-process and capture what the user would see."""

    def jalankan(*args: str, masukan: str = "") -> Hasil:
        """`masukan`: what the user types when asked (e.g. a key's passphrase), one answer per line."""
        lama = sys.stdin
        sys.stdin = io.StringIO(masukan)
        try:
            kode = main([str(a) for a in args])
        finally:
            sys.stdin = lama
        out = capsys.readouterr()
        return Hasil(kode, out.out, out.err)

    return jalankan


@pytest.fixture
def master(tmp_path: Path, evkin: Callable[..., Hasil]) -> Path:
    path = tmp_path / "Evaluasi_Kinerja.xlsx"
    hasil = evkin("--workbook", path, "--sebagai", "kasubag", "--waktu", WAKTU_INIT.isoformat(),
                  "init", "--tahun", "2026", "--periode", "TW3")
    assert hasil.kode == 0, hasil.galat
    return path


@pytest.fixture(scope="module")
def _templat_siap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per module: a master through steps 1–4 with the sample indicator list, and the distributed
    files."""
    from openpyxl import load_workbook

    from macros_py.aksi.demo import data_contoh
    from macros_py.schema import muat_skema

    folder = tmp_path_factory.mktemp("siap")
    master = folder / "Evaluasi_Kinerja.xlsx"

    def cli(waktu: str, *args: object) -> None:
        assert main(["--workbook", str(master), "--sebagai", "kasubag", "--waktu", waktu, *map(str, args)]) == 0

    cli("2026-10-05T07:30", "init", "--tahun", "2026", "--periode", "TW3")
    wb = load_workbook(master)
    ws = wb["Daftar Indikator"]
    tabel = muat_skema().tabel("indikator")
    for i, baris in enumerate(data_contoh()["indikator"]):
        for j, key in enumerate(tabel.keys):
            ws.cell(tabel.baris_data + i, tabel.kolom_awal + j).value = baris.get(key)
    wb.save(master)
    cli("2026-10-05T08:00", "disposisi", "--nomor", "005/1", "--isi", "Susun evaluasi kinerja TW III")
    cli("2026-10-05T08:50", "format")
    cli("2026-10-05T09:00", "distribusi", "--out", folder / "format")
    cli("2026-10-05T12:00", "rapat", "--peserta", "PEM=Andi, Sari", "--kesimpulan", "Format disepakati")
    return folder


@pytest.fixture
def siap(_templat_siap: Path, master: Path, tmp_path: Path) -> dict[str, Path]:
    """A copy of the prepared master (at `master`) and fresh copies of the distributed files to fill."""
    shutil.copyfile(_templat_siap / "Evaluasi_Kinerja.xlsx", master)
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    files = {}
    for f in (_templat_siap / "format").glob("*.xlsx"):
        kode = f.stem.rsplit("_", 1)[-1]
        files[kode] = kiriman / f.name
        shutil.copyfile(f, files[kode])
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tanpa_ekor_kosong(baris: list[list[Any]]) -> list[list[Any]]:
    """Rows with trailing empty cells and trailing empty rows dropped: engines differ only in how far they pad."""
    baris = [list(r[: max((i + 1 for i, v in enumerate(r) if v is not None), default=0)]) for r in baris]
    while baris and not baris[-1]:
        baris.pop()
    return baris


def tanpa_contoh(master: Path) -> list[str]:
    """What the office does before its first real document: every Konfigurasi value marked "(contoh)" replaced by
    a real one (here: the same text without the marker). Returns the cells changed."""
    from openpyxl import load_workbook

    wb = load_workbook(master)
    ws = wb["Konfigurasi"]
    diganti = []
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and "(contoh)" in c.value:
                c.value = c.value.replace("(contoh)", "").strip()
                diganti.append(c.coordinate)
    wb.save(master)
    return diganti


def kata_pdf(path: Path) -> list[tuple[int, str, float, float, float, float]]:
    """Every word of a PDF: (page, text, xMin, yMin, xMax, yMax) from poppler's `pdftotext -bbox`."""
    import re
    import subprocess

    keluar = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout
    hasil = []
    for nomor, halaman in enumerate(keluar.split("<page ")[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             halaman):
            hasil.append((nomor, m.group(5), *map(float, m.group(1, 2, 3, 4))))
    return hasil


def teks_terpotong(path: Path) -> list[tuple[int, int, str]]:
    """Words of the evaluation table cut by the bottom of their row: a line that straddles the top of the next
    row (found by the row numbers in the No column). (page, row number, word) for each."""
    kata = kata_pdf(path)
    kiri = min(x0 for _, t, x0, *_ in kata if t == "No")
    hasil = []
    for p in sorted({k[0] for k in kata}):
        nomor = sorted((y0, int(t)) for q, t, x0, y0, _, _ in kata
                       if q == p and t.isdigit() and x0 < kiri + 12 and int(t) < 10_000)
        for (y_a, a), (y_b, b) in itertools.pairwise(nomor):
            if b != a + 1:
                continue
            batas = y_b - 1.5  # the border above the next row's number
            hasil += [(p, a, t) for q, t, _, y0, _, y1 in kata if q == p and y_a < y0 < batas < y1 - 1.0]
    return hasil
