"""Spreading independent work over the machine's cores, only where it pays.

Reading and validating 60 submissions, or writing the XML of 60 sheets, are independent pieces of work; on
a 2-core office PC doing them in two processes halves the wait. On Linux workers are forked: they start in
milliseconds and inherit the data, so nothing large is pickled on the way in. Windows can only *spawn* them (a
new interpreter that imports the work's module): that costs ~0.1 s on Linux and more on Windows, plus pickling
what goes in and out, so one pool is started per command, on first use, and kept for its later parallel stages
(the `cukup` thresholds of the callers are far above that cost). Small jobs simply run in this process. Workers
only compute and return values: they never touch the master.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_TUGAS: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
_POOL: dict[int, Executor] = {}  # spawned pools of this process, by size, kept until it exits

MAX_WORKERS = 8
START_METHODS = ("fork", "spawn")


def start_method() -> str:
    """How workers start: EVKIN_START_METHOD if it names one this platform has (`spawn` on Linux measures what
    Windows does), else fork on Linux and spawn elsewhere."""
    diminta = os.environ.get("EVKIN_START_METHOD", "")
    if diminta in START_METHODS and diminta in multiprocessing.get_all_start_methods():
        return diminta
    return "fork" if sys.platform.startswith("linux") else "spawn"


def worker_count() -> int:
    """How many processes to use: EVKIN_PROSES if set (1 turns this off), else the cores this process may run
    on (its CPU affinity where the platform tells it, not every core of the host), at most MAX_WORKERS."""
    try:
        diminta = os.environ.get("EVKIN_PROSES")
        if diminta:
            return max(1, int(diminta))
    except ValueError:
        return 1
    inti = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(inti, MAX_WORKERS))


def _kerjakan(indeks: list[int]) -> list[Any]:
    """The items at `indeks` of the work at hand: a forked worker's share (it inherited it), or this process's."""
    assert _TUGAS is not None
    fungsi, daftar = _TUGAS
    return [fungsi(daftar[i]) for i in indeks]


def _kerjakan_kiriman(fungsi: Callable[[Any], Any], daftar: Sequence[Any]) -> list[Any]:
    """A spawned worker's share: the function and its items came pickled."""
    return [fungsi(x) for x in daftar]


def _pool_spawn(ukuran: int) -> Executor:
    """The spawned pool of this process with `ukuran` workers, started on first use."""
    if ukuran not in _POOL:
        _POOL[ukuran] = ProcessPoolExecutor(ukuran, mp_context=multiprocessing.get_context("spawn"))
        if len(_POOL) == 1:
            atexit.register(tutup_pool)
    return _POOL[ukuran]


def tutup_pool() -> None:
    """Stop the spawned workers (at exit; also where a command wants them gone before it ends)."""
    while _POOL:
        _POOL.popitem()[1].shutdown(wait=True, cancel_futures=True)


def parallel_map(fungsi: Callable[[T], R], daftar: Sequence[T], bobot: Sequence[float] | None = None,
                 cukup: float = 0) -> list[R]:
    """`[fungsi(x) for x in daftar]`, in parallel when the total `bobot` (default: 1 per item) reaches `cukup`.

    Items are dealt into one bin per worker by weight (largest first); this process works on the first bin
    while the others run in workers, so the results come back in order and no core sits idle. With spawned
    workers `fungsi` and the items must pickle (a module-level function or a `functools.partial` of one).
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
        if start_method() == "spawn":
            pool = _pool_spawn(pekerja - 1)
            return _bagi(keranjang, lambda k: pool.submit(_kerjakan_kiriman, fungsi, [daftar[i] for i in k]))
        with ProcessPoolExecutor(pekerja - 1, mp_context=multiprocessing.get_context("fork")) as forked:
            return _bagi(keranjang, lambda k: forked.submit(_kerjakan, k))
    finally:
        _TUGAS = None


def _bagi(keranjang: list[list[int]], kirim: Callable[[list[int]], Future[list[Any]]]) -> list[Any]:
    """Every bin but the first sent to a worker (`kirim`), the first worked on here meanwhile (`_TUGAS`); the
    results in the items' order."""
    lain = [kirim(k) for k in keranjang[1:]]
    hasil = dict(zip(keranjang[0], _kerjakan(keranjang[0]), strict=True))
    for k, f in zip(keranjang[1:], lain, strict=True):
        hasil.update(zip(k, f.result(), strict=True))
    return [hasil[i] for i in range(len(hasil))]
