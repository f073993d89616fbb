"""Shared fixtures: real master workbooks on disk, and the CLI run as users run it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from macros_py.cli import main

WAKTU_INIT = datetime(2026, 10, 5, 7, 30)


@dataclass
class Hasil:
    kode: int
    keluar: str
    galat: str


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps sheet values (`io.cache`) in its own folder, never in the user's cache."""
    monkeypatch.setenv("EVKIN_TEMBOLOK", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def evkin(capsys: pytest.CaptureFixture[str]) -> Callable[..., Hasil]:
    """Run `evkin ARGS...` in-process and capture what the user would see."""

    def jalankan(*args: str) -> Hasil:
        kode = main([str(a) for a in args])
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
