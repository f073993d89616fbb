"""What the program asks of the person at the keyboard: a passphrase, never echoed and never an argument."""

from __future__ import annotations

import sys

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
