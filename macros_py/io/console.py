"""What the program asks of the person at the keyboard: a passphrase, never echoed and never an argument."""

from __future__ import annotations

import sys
from typing import Any

from macros_py.domain.errors import PenggunaanSalah


def minta_kata_sandi(pesan: str, ulang: bool = False) -> str:
    """A passphrase asked interactively (getpass: not echoed, never an argument, never logged); read from standard
    input when it is not a terminal (scripts, tests). `ulang`: a new passphrase is typed twice."""
    import getpass

    def baca(teks: str) -> str:
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(teks)
        print(teks, file=sys.stderr, end="", flush=True)
        return sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""

    sandi = baca(pesan)
    if ulang and baca("Ulangi kata sandi: ") != sandi:
        raise PenggunaanSalah("Kedua kata sandi tidak sama; ulangi perintahnya.")
    return sandi


# Progress on long work, shown only where someone watches a terminal (the CLI switches it on; --json, a pipe, a file
# and the Excel button never see it) and only once the work has taken about a second.
KEMAJUAN_AKTIF = False
_SETELAH = 1.0


class Kemajuan:
    """Phases of one long command (reading, working, saving...) as a transient progress bar on standard error,
    appearing after about a second (a timer), so quick commands print nothing extra."""

    def __init__(self, judul: str, jumlah: int) -> None:
        import threading

        self.judul, self.jumlah, self.selesai, self.teks = judul, max(1, jumlah), 0, ""
        self._bar: Any = None
        self._tugas: Any = None
        self._kunci = threading.Lock()
        self._timer = threading.Timer(_SETELAH, self._tampilkan) if KEMAJUAN_AKTIF else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def _tampilkan(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._kunci:
            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                 console=Console(file=sys.stderr), transient=True)
            self._bar.start()
            self._tugas = self._bar.add_task(self._deskripsi(), total=self.jumlah, completed=self.selesai)

    def _deskripsi(self) -> str:
        return f"{self.judul}: {self.teks}" if self.teks else self.judul

    def maju(self, teks: str = "", langkah: int = 1) -> None:
        with self._kunci:
            self.selesai += langkah
            self.teks = teks or self.teks
            if self._bar is not None:
                self._bar.update(self._tugas, completed=self.selesai, description=self._deskripsi())

    def __enter__(self) -> Kemajuan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tutup()

    def tutup(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._kunci:
            if self._bar is not None:
                self._bar.stop()
                self._bar = None
