"""Where a cell is, and whether it lies inside ``Batas``: cell names, the searches that find references beyond
the limits without listing every cell, and the refusal that names the sheet and the cell.

The limits count cells that hold content. calamine allocates the dense rectangle spanned by the cells it
keeps, and (measured with python-calamine 0.9) it keeps every ``<c>`` element that has a child element (an
empty ``<v></v>`` with ``t="str"`` or ``t="d"``, or ``<v> </v>``, already counts), while an empty row
(``<row r="1048576"></row>``, which LibreOffice writes after "Delete rows"), an empty cell (``<c r="A1048576"
s="1"/>`` or ``<c ...></c>``) and ``<dimension ref="A1:AMJ1048576">`` never extend its range. So a cell beyond
the limits is refused only when its element is not empty, and the declared dimension is not read at all.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from macros_py.domain.cell_names import huruf_kolom, nomor_kolom
from macros_py.io.kiriman.model import Batas, Reject

_RE_CELL_NAME: Final = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_RE_ROW_NAME: Final = re.compile(r"([A-Za-z]{0,3})([0-9]{1,7})")
RE_CELL_NOT_CANONICAL: Final = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')
RE_ROW_NOT_CANONICAL: Final = re.compile(rb'<row r="(?![1-9][0-9]{0,6}")')


def cell_position(ref: str, where: str) -> tuple[int, int]:
    """0-based (row, column) of a cell name, as calamine computes it; refuses what would overflow."""
    match = _RE_CELL_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise Reject(f"{where}: alamat sel tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1, nomor_kolom(match.group(1).upper()) - 1


def row_position(ref: str, where: str) -> int:
    """0-based row of a ``<row r=...>`` (calamine tolerates letters before the number)."""
    match = _RE_ROW_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise Reject(f"{where}: nomor baris tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1


def outside(row: int, column: int, batas: Batas) -> bool:
    """True when a 0-based position lies beyond the limits."""
    return row >= batas.baris_per_lembar or column >= batas.kolom_per_lembar


def content_beyond(row: int, column: int, batas: Batas, where: str) -> Reject:
    """The refusal for a cell holding content beyond the limits (0-based position), naming sheet and cell."""
    cell = f"{huruf_kolom(column + 1)}{row + 1}"
    if row >= batas.baris_per_lembar:
        limit = f"{batas.baris_per_lembar} baris"
    else:
        limit = f"{batas.kolom_per_lembar} kolom (sampai kolom {huruf_kolom(batas.kolom_per_lembar)})"
    return Reject(f"{where}: sel {cell} berisi data di luar batas {limit}; hapus isi sel itu lalu kirim ulang")


def check_position(row: int, column: int, batas: Batas, where: str) -> None:
    if outside(row, column, batas):
        raise content_beyond(row, column, batas, where)


def greater_number(limit: int) -> bytes:
    """Regex for canonical decimal numbers (no leading zero) strictly greater than ``limit``."""
    text = str(limit)
    alternatives = [f"[1-9][0-9]{{{len(text)},}}"]
    for index, digit in enumerate(text):
        if digit != "9":
            rest = len(text) - index - 1
            alternatives.append(text[:index] + f"[{int(digit) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(alternatives) + ")").encode()


def greater_letters(count: int) -> bytes:
    """Regex for column letters (at most 3, as canonical refs have) naming a column beyond ``count``."""
    text = huruf_kolom(count)
    alternatives = [f"[A-Z]{{{len(text) + 1},3}}"] if len(text) < 3 else []
    for index, letter in enumerate(text):
        if letter != "Z":
            rest = len(text) - index - 1
            alternatives.append(
                text[:index] + f"[{chr(ord(letter) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else "")
            )
    return ("(?:" + "|".join(alternatives or ["(?!)"]) + ")").encode()


@functools.lru_cache(maxsize=8)
def limit_patterns(
    rows: int, columns: int
) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Searches that find any canonical cell/row reference beyond the limits without listing them all."""
    number = greater_number(rows)
    return (
        re.compile(rb'<c r="[A-Z]{1,3}' + number + rb'"'),
        re.compile(rb'<c r="' + greater_letters(columns) + rb"[1-9]"),
        re.compile(rb'<row r="' + number + rb'"'),
    )


@functools.lru_cache(maxsize=8)
def unusual_patterns(rows: int, columns: int) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """One search per kind for anything the separate checks act on: a row reference that is not canonical
    or beyond the limit, and a cell reference likewise. Files within the limits (nearly all) then cost two
    passes instead of five."""
    number = greater_number(rows)
    return (
        re.compile(rb'<row r="(?:(?![1-9][0-9]{0,6}")|' + number + rb'")'),
        re.compile(rb'<c r="(?:(?![A-Z]{1,3}[1-9][0-9]{0,6}")|[A-Z]{1,3}' + number + rb'"|'
                   + greater_letters(columns) + rb"[1-9])"),
    )


@functools.lru_cache(maxsize=16)
def content_beyond_pattern(rows: int, columns: int, *, streaming: bool = False) -> re.Pattern[bytes]:
    """A canonical cell beyond the limits whose element is not empty; group 1 is its name.

    The full-part search is conservative: anything but optional white space before ``</c>`` is content.
    While streaming, a match must see its first child element (``<v``, ``<is``, ``<f``...), so a chunk
    boundary right after the start tag never refuses an empty cell; the full search follows anyway.
    """
    name = rb'([A-Z]{1,3}' + greater_number(rows) + rb'|' + greater_letters(columns) + rb'[1-9][0-9]{0,6})'
    after = rb"(?=\s*<(?!/c>))" if streaming else rb"(?!\s*</c>)"
    return re.compile(rb'<c r="' + name + rb'"[^>]*(?<!/)>' + after)


def refuse_content_beyond(content: bytes, batas: Batas, where: str, *, streaming: bool = False) -> None:
    """Refuse a part (or a streamed chunk) holding a canonical cell with content beyond the limits."""
    match = content_beyond_pattern(batas.baris_per_lembar, batas.kolom_per_lembar, streaming=streaming).search(
        content
    )
    if match is not None:
        row, column = cell_position(match.group(1).decode("ascii"), where)
        raise content_beyond(row, column, batas, where)
