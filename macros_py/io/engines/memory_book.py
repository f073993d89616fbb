"""An in-memory book: the book protocol over plain lists, for rule tests that need no file.

Like the fast engine, a read gives what was written, with the same value rules openpyxl applies on read
(integral numbers as int, empty text as None); it declares no capability, so an action that lays out print
sheets refuses it as it refuses the fast engine.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.io.book import T, lay_block


def _as_read(v: Any) -> Any:
    if isinstance(v, str):
        return tanpa_karakter_ilegal(v) or None
    if isinstance(v, float):  # a cell holds 16 significant digits (what the file engines write)
        v = float(f"{v:.16g}")
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    return v


class MemoryBook:
    capabilities: frozenset[str] = frozenset()

    def __init__(self, sheets: dict[str, list[list[Any]]]) -> None:
        self.sheets = sheets
        self.writes = 0  # blocks written: tests bound the work an action does

    @classmethod
    def from_book(cls, book: Any) -> MemoryBook:
        """A copy of every sheet's values of another book (e.g. a master built in memory by openpyxl)."""
        return cls({nama: [[_as_read(v) for v in b] for b in book.read_values(nama)] for nama in book.sheet_names()})

    def copy(self) -> MemoryBook:
        return MemoryBook(copy.deepcopy(self.sheets))

    def _sheet(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.sheets:
            raise KeyError(f"Worksheet {sheet} does not exist.")
        return self.sheets[sheet]

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def read(self, sheet: str, top: int, left: int, n_cols: int, n_rows: int | None = None) -> list[list[Any]]:
        isi = self._sheet(sheet)
        bawah = len(isi) if n_rows is None else top + n_rows - 1
        hasil = []
        for r in range(top - 1, bawah):
            potong = list(isi[r][left - 1 : left - 1 + n_cols]) if r < len(isi) else []
            hasil.append(potong + [None] * (n_cols - len(potong)))
        return hasil

    def write(self, sheet: str, top: int, left: int, values: Sequence[Sequence[Any]]) -> None:
        self.writes += 1
        lay_block(self._sheet(sheet), top, left, [[_as_read(v) for v in baris] for baris in values])

    def read_values(self, sheet: str) -> list[list[Any]]:
        isi = self._sheet(sheet)
        lebar = max((len(b) for b in isi), default=0)
        return [list(b) + [None] * (lebar - len(b)) for b in isi]

    def last_row(self, sheet: str) -> int:
        return len(self._sheet(sheet))

    def keep_for_next(self, sheet: str, note: str = "") -> None:
        """Nothing to keep: there is no next command."""

    def kept_note(self, sheet: str) -> str:
        return ""

    def memo(self, sheet: str, context: str, compute: Callable[[], T]) -> T:
        """Nothing to keep: there is no next command."""
        return compute()

    def worksheet(self, sheet: str) -> Any:
        raise NotImplementedError("the in-memory book does not lay out sheets (no LAYOUT capability)")
