"""`io.parallel` with spawned workers, the only start method Windows has (issue 19, item 2), tested on Linux
where `spawn` behaves as on Windows: a fresh interpreter that imports the work's module and receives the work
pickled. Every parallel stage of a collection is run that way on a real master and must write what forked
workers and one process write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from macros_py.aksi import analisis, himpun_baca
from macros_py.aksi.demo import data_contoh, isi_format
from macros_py.io import parallel
from macros_py.io.engines.fast import xml_book
from macros_py.schema import muat_skema


def _pid(_: object) -> int:
    return os.getpid()


@pytest.fixture
def _pool_ditutup() -> Iterator[None]:
    yield
    parallel.tutup_pool()


def test_spawned_workers_run_in_other_processes_and_the_pool_is_reused(monkeypatch: pytest.MonkeyPatch,
                                                                       _pool_ditutup: None) -> None:
    monkeypatch.setenv("EVKIN_START_METHOD", "spawn")
    monkeypatch.setenv("EVKIN_PROSES", "2")
    pertama = parallel.parallel_map(_pid, range(4))
    kedua = parallel.parallel_map(_pid, range(4))
    assert os.getpid() in pertama and len(set(pertama)) == 2
    assert set(pertama) == set(kedua)  # one pool per command, started once


def test_the_start_method_follows_the_platform_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVKIN_START_METHOD", raising=False)
    assert parallel.start_method() == "fork"  # these tests run on Linux
    monkeypatch.setattr(parallel.sys, "platform", "win32")
    assert parallel.start_method() == "spawn"
    monkeypatch.setenv("EVKIN_START_METHOD", "forkserver")  # not one we use: the platform's
    assert parallel.start_method() == "spawn"


def test_cores_are_counted_where_the_platform_has_no_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVKIN_PROSES", raising=False)
    monkeypatch.delattr(parallel.os, "sched_getaffinity")  # as on Windows
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.worker_count() == 2
    monkeypatch.setenv("EVKIN_PROSES", "1")
    assert parallel.worker_count() == 1


def _nilai(master: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values."""
    wb = load_workbook(master, read_only=True)
    return {ws.title: [r for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.parametrize("cara", ["spawn", "fork"])
def test_a_collection_on_spawned_workers_writes_what_one_process_writes(
        siap: dict[str, Path], master: Path, tmp_path: Path, evkin, monkeypatch: pytest.MonkeyPatch, cara: str,
        _pool_ditutup: None) -> None:
    """Reading the submissions, analysing Rekap and writing the sheet parts all go to a worker (thresholds
    at zero), so every function and value handed over must pickle; the master written is the same."""
    from macros_py.aksi import langkah

    monkeypatch.setattr(langkah, "sekarang", lambda: datetime(2026, 10, 6, 9, 0))  # the Log's clock: both runs alike
    skema = muat_skema()
    for kode, path in siap.items():
        isi_format(path, data_contoh()["isian"][kode], skema)
    satu = tmp_path / "satu.xlsx"
    satu.write_bytes(master.read_bytes())
    args = ("--sebagai", "kasubag", "--waktu", "2026-10-06T09:00", "himpun", next(iter(siap.values())).parent)
    monkeypatch.setenv("EVKIN_PROSES", "1")
    assert evkin("--workbook", satu, *args).kode == 0
    monkeypatch.setenv("EVKIN_PROSES", "2")
    monkeypatch.setenv("EVKIN_START_METHOD", cara)
    for modul, nama in ((himpun_baca, "BERKAS_PARALEL"), (analisis, "BARIS_PARALEL"), (xml_book, "SEL_PARALEL")):
        monkeypatch.setattr(modul, nama, 0)
    dipakai: list[int] = []
    asli = parallel.parallel_map
    monkeypatch.setattr(parallel, "parallel_map", lambda f, d, *a, **k: dipakai.append(len(d)) or asli(f, d, *a, **k))
    hasil = evkin("--workbook", master, *args)
    assert hasil.kode == 0, hasil.galat
    assert sum(n >= 2 for n in dipakai) == 3  # reading, analysis and the save each had work to share
    assert _nilai(master) == _nilai(satu)
