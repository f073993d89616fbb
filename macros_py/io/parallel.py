"""Spreading independent work over the machine's cores, only where it pays.

Reading and validating 60 submissions, or writing the XML of 60 sheets, are independent pieces of work; on
a 2-core office PC doing them in two processes halves the wait. Workers are forked (Linux): they start in
milliseconds and inherit the data, so nothing large is pickled on the way in. Elsewhere (Windows starts
processes by re-importing everything, which costs more than it saves) and for small jobs, the work simply
runs in this process. Workers only compute and return values: they never touch the master.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_TUGAS: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


MAX_WORKERS = 8


def worker_count() -> int:
    """How many processes to use: EVKIN_PROSES if set (1 turns this off), else the cores this process may run
    on (its CPU affinity, not every core of the host), at most MAX_WORKERS."""
    if not sys.platform.startswith("linux"):
        return 1
    try:
        diminta = os.environ.get("EVKIN_PROSES")
        return max(1, int(diminta) if diminta else min(len(os.sched_getaffinity(0)), MAX_WORKERS))
    except ValueError:
        return 1


def _kerjakan(indeks: list[int]) -> list[Any]:
    assert _TUGAS is not None
    fungsi, daftar = _TUGAS
    return [fungsi(daftar[i]) for i in indeks]


def parallel_map(fungsi: Callable[[T], R], daftar: Sequence[T], bobot: Sequence[float] | None = None,
         cukup: float = 0) -> list[R]:
    """`[fungsi(x) for x in daftar]`, in parallel when the total `bobot` (default: 1 per item) reaches `cukup`.

    Items are dealt into one bin per worker by weight (largest first); this process works on the first bin
    while the others are forked, so the results come back in order and no core sits idle.
    """
    global _TUGAS
    bobot = list(bobot) if bobot is not None else [1.0] * len(daftar)
    pekerja = min(worker_count(), len(daftar))
    if pekerja < 2 or sum(bobot) < cukup:
        return [fungsi(x) for x in daftar]
    keranjang: list[list[int]] = [[] for _ in range(pekerja)]
    beban = [0.0] * pekerja
    for i in sorted(range(len(daftar)), key=lambda i: -bobot[i]):
        j = beban.index(min(beban))
        keranjang[j].append(i)
        beban[j] += bobot[i]
    _TUGAS = (fungsi, daftar)
    try:
        with ProcessPoolExecutor(pekerja - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            lain = [pool.submit(_kerjakan, k) for k in keranjang[1:]]
            hasil: dict[int, Any] = dict(zip(keranjang[0], _kerjakan(keranjang[0]), strict=True))
            for k, f in zip(keranjang[1:], lain, strict=True):
                hasil.update(zip(k, f.result(), strict=True))
    finally:
        _TUGAS = None
    return [hasil[i] for i in range(len(daftar))]
