"""The book protocol: the few operations every action needs, implemented once per engine (`engines/`: the fast
XML engine and openpyxl for files, xlwings inside Excel, an in-memory book for rule tests) — in the spirit of
pandas' `io/excel` readers. What an engine can do beyond reading and writing values is declared in
`capabilities`, never probed.

Everything moves whole blocks of cells: one call per block, never one per cell, so that a live Excel costs a
number of round trips that depends on the sheets touched, not on the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from macros_py.schema import Tabel

T = TypeVar("T")
LAYOUT = "layout"
"""Capability: the engine lays out print sheets with openpyxl styles (`worksheet()`)."""


class Book(Protocol):
    capabilities: frozenset[str]

    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order."""
        ...

    def read(self, sheet: str, top: int, left: int, n_cols: int, n_rows: int | None = None) -> list[list[Any]]:
        """A block of values (1-based top/left). `n_rows=None` reads down to the sheet's last used row."""
        ...

    def write(self, sheet: str, top: int, left: int, values: Sequence[Sequence[Any]]) -> None:
        """Write a block of values. Text is always stored as text, never as a formula."""
        ...

    def read_values(self, sheet: str) -> list[list[Any]]:
        """A whole sheet as displayed: formula cells give their result, never their formula text."""
        ...

    def last_row(self, sheet: str) -> int:
        """A row number no value of the sheet lies below (the last row holding anything, a value or only a
        format): how far a table's old rows may reach, known without reading every value where possible."""
        ...

    def keep_for_next(self, sheet: str, note: str = "") -> None:
        """A hint: the next command reads this (large) sheet whole; an engine that can keep its values for it
        does so, with `note` (what the writer tells that reader about these values). Others ignore it."""
        ...

    def kept_note(self, sheet: str) -> str:
        """The note kept with the sheet's values (`keep_for_next`) by the command that saved these very bytes
        (it speaks of them as saved, before this command's writes); "" when there is none (the sheet was saved
        by another program, nothing was kept, or the engine keeps nothing)."""
        ...

    def memo(self, sheet: str, context: str, compute: Callable[[], T]) -> T:
        """`compute()`, a result that depends only on the sheet as stored in the file and on `context` (what
        else it depends on: configuration, schema, code). An engine that knows the stored bytes keeps it for the
        next command with the same bytes and context (Daftar Indikator, validated by every intake, changes
        rarely); others compute it. A `compute` that raises keeps nothing."""
        ...

    def worksheet(self, sheet: str) -> Any:
        """The openpyxl worksheet to lay out; only engines that declare LAYOUT."""
        ...


class FileBook(Book, Protocol):
    """A book read from and saved to a workbook file (the fast XML engine, openpyxl)."""

    def save_to(self, target: Path) -> None:
        """Write the workbook with this book's changes to `target` (a temporary file beside the master)."""
        ...


def is_blank_row(baris: Sequence[Any]) -> bool:
    """No value in the row (blank text counts as none)."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in baris)


def read_table_rows(book: Book, tabel: Tabel) -> list[list[Any]]:
    """Data rows of a table as lists, trailing empty rows dropped."""
    baris = book.read(tabel.sheet, tabel.baris_data, tabel.kolom_awal, len(tabel.kolom))
    while baris and is_blank_row(baris[-1]):
        baris.pop()
    n = len(tabel.kolom)
    return [b if len(b) == n and type(b) is list else list(b) + [None] * (n - len(b)) for b in baris]


def read_table(book: Book, tabel: Tabel) -> list[dict[str, Any]]:
    """Data rows of a table as dicts keyed by the schema's column keys (blank rows inside are skipped)."""
    keys = tabel.keys
    return [dict(zip(keys, b, strict=True)) for b in read_table_rows(book, tabel) if not is_blank_row(b)]


def write_table(book: Book, tabel: Tabel, baris: Sequence[dict[str, Any]], mulai: int = 0, hapus_sisa: int = 0) -> None:
    """Write rows (dicts) starting at data row index `mulai`; blank `hapus_sisa` rows after them."""
    nilai = [list(map(b.get, tabel.keys)) for b in baris]
    nilai += [[None] * len(tabel.keys) for _ in range(hapus_sisa)]
    if nilai:
        book.write(tabel.sheet, tabel.baris_data + mulai, tabel.kolom_awal, nilai)


def append_rows(book: Book, tabel: Tabel, baris: Sequence[dict[str, Any]]) -> None:
    """Rows (dicts) written after the table's last row."""
    write_table(book, tabel, baris, mulai=len(read_table_rows(book, tabel)))


def lay_block(isi: list[list[Any]], top: int, left: int, blok: Sequence[Sequence[Any]]) -> None:
    """Lay a written block over a sheet's values (1-based top/left), growing them as needed."""
    for i, baris in enumerate(blok):
        r = top - 1 + i
        while len(isi) <= r:
            isi.append([])
        sel = isi[r]
        if len(sel) < left - 1 + len(baris):
            sel.extend([None] * (left - 1 + len(baris) - len(sel)))
        sel[left - 1 : left - 1 + len(baris)] = list(baris)
