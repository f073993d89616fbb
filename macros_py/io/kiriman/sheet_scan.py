"""The worksheet scan: every cell position calamine will use lies inside ``Batas``, and the hidden rows.

calamine allocates the dense rectangle spanned by a sheet's cells, so a single cell at XFD1048576 would cost
gigabytes: every position is bounded before calamine sees the sheet. The fast path covers what Excel,
LibreOffice and openpyxl write (every ``<c>`` and ``<row>`` starts with a canonical ``r="..."``) with anchored
searches at C speed; anything else goes through an exact expat replay of calamine's reader.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from macros_py.domain.validasi import huruf_kolom, nomor_kolom
from macros_py.io.kiriman.model import Batas, Reject
from macros_py.io.kiriman.xml_checks import (
    KEDALAMAN_XML_MAKS,
    depth_message,
    fast_depth,
    local_name,
    new_parser,
    parse,
    plain_markup,
    spend,
    validate,
)

# Patterns used on attacker-controlled bytes. Each is anchored on a literal, has no nested quantifier and
# at most one bounded lazy scan that cannot cross a '>', so matching stays linear in the input size.
RE_DIMENSION: Final = re.compile(rb'<dimension\s+ref\s*=\s*["\']([^"\'<>]{0,64})["\']')
_RE_PREFIXED_CELL_OR_ROW: Final = re.compile(rb":(?:c|row)[\s/>]")
_RE_ODD_CELL_OR_ROW: Final = re.compile(rb"<(?:c|row)[\t\n\r/>]")
RE_CELL_NOT_CANONICAL: Final = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')
RE_ROW_NOT_CANONICAL: Final = re.compile(rb'<row r="(?![1-9][0-9]{0,6}")')
_RE_HIDDEN_ROW: Final = re.compile(rb'<row r="([1-9][0-9]{0,6})"[^<>]*?\shidden\s*=\s*["\'](?:1|true)["\']')
_RE_CELL_NAME: Final = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_RE_ROW_NAME: Final = re.compile(r"([A-Za-z]{0,3})([0-9]{1,7})")


def cell_position(ref: str) -> tuple[int, int]:
    """0-based (row, column) of a cell name, as calamine computes it; refuses what would overflow."""
    match = _RE_CELL_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise Reject(f"alamat sel tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1, nomor_kolom(match.group(1).upper()) - 1


def _row_position(ref: str) -> int:
    match = _RE_ROW_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise Reject(f"nomor baris tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1


def too_many_rows(batas: Batas, where: str) -> Reject:
    return Reject(f"{where} melebihi batas {batas.baris_per_lembar} baris")


def _too_many_columns(batas: Batas, where: str) -> Reject:
    last = huruf_kolom(batas.kolom_per_lembar)
    return Reject(f"{where} melebihi batas {batas.kolom_per_lembar} kolom (sampai kolom {last})")


def check_position(row: int, column: int, batas: Batas, where: str) -> None:
    if row >= batas.baris_per_lembar:
        raise too_many_rows(batas, where)
    if column >= batas.kolom_per_lembar:
        raise _too_many_columns(batas, where)


def check_dimension(ref: str, batas: Batas, where: str) -> None:
    """<dimension ref="A1:XFD1048576"> announces the used range: refuse before reading any cell."""
    corners = ref.split(":")
    if not 1 <= len(corners) <= 2:
        raise Reject(f"rentang lembar (dimension) tidak sah di {where}")
    for corner in corners:
        row, column = cell_position(corner)
        check_position(row, column, batas, where)


def scan_sheet(content: bytes, batas: Batas, where: str, budget: list[int], cells: int) -> set[int]:
    """Check a worksheet part whose encoding, DOCTYPE and size were checked; return its hidden rows (1-based).

    ``cells`` is the count of ``<c `` and ``:c `` in the part. Every cell position calamine will use must
    lie inside the limits, because calamine allocates the dense rectangle spanned by its cells.
    """
    if plain_markup(content) and _RE_PREFIXED_CELL_OR_ROW.search(content) is None:
        validate(content, where)
        hidden = _fast_sheet_scan(content, batas, where, cells)  # no ":c " here: cells counts "<c "
        if hidden is not None:
            return hidden
    return _exact_sheet_scan(content, batas, where, budget)


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


def _fast_sheet_scan(content: bytes, batas: Batas, where: str, cell_count: int) -> set[int] | None:
    """Byte-level checks for well-formed, plain-markup sheets; None means "use the exact walk".

    Applies when every <c> and <row> starts with a canonical r="..." (what Excel, LibreOffice and
    openpyxl write): then calamine takes every position from r, and the limits reduce to searches.
    """
    if _RE_ODD_CELL_OR_ROW.search(content) is not None:
        return None  # <c>, <row/>, a tab after the name...: positions may depend on order
    row_count = content.count(b"<row ")
    if row_count > batas.baris_per_lembar:
        raise too_many_rows(batas, where)
    unusual_row, unusual_cell = unusual_patterns(batas.baris_per_lembar, batas.kolom_per_lembar)
    rows_usual = unusual_row.search(content) is None
    if content.count(b'<row r="') != row_count or (
            not rows_usual and RE_ROW_NOT_CANONICAL.search(content) is not None):
        return None
    if cell_count > batas.baris_per_lembar * batas.kolom_per_lembar:
        raise too_many_rows(batas, where)
    cells_usual = unusual_cell.search(content) is None
    if content.count(b'<c r="') != cell_count or (
            not cells_usual and RE_CELL_NOT_CANONICAL.search(content) is not None):
        return None
    if not (rows_usual and cells_usual):
        cell_row_beyond, cell_column_beyond, row_beyond = limit_patterns(
            batas.baris_per_lembar, batas.kolom_per_lembar
        )
        if row_beyond.search(content) is not None or cell_row_beyond.search(content) is not None:
            raise too_many_rows(batas, where)
        if cell_column_beyond.search(content) is not None:
            raise _too_many_columns(batas, where)
    for match in RE_DIMENSION.finditer(content):
        check_dimension(match.group(1).decode("ascii", errors="replace"), batas, where)
    depth = fast_depth(content)
    if depth is None:
        return None
    if depth > KEDALAMAN_XML_MAKS:
        raise Reject(depth_message(where))
    return {int(number) for number in _RE_HIDDEN_ROW.findall(content)}


class _SheetWalker:
    """Exact replay of calamine's worksheet reader over expat events (the slow, general path).

    calamine takes a cell's position from its r attribute, or else from counters: the last row r (or
    the count of closed rows) and the cell after the previous one. With rows and cells nested the
    standard way (row in sheetData, c in row) this replay is exact. If the nesting is unusual *and* a
    cell relies on the counters, the position cannot be predicted and the sheet is refused.
    """

    def __init__(self, batas: Batas, where: str, budget: list[int]) -> None:
        self.batas = batas
        self.where = where
        self.budget = budget
        self.max_cells = batas.baris_per_lembar * batas.kolom_per_lembar
        self.stack: list[str] = []
        self.phase = 0  # 0 before the first sheetData, 1 inside it, 2 after it (calamine stops there)
        self.data_depth = 0
        self.cell_depth = 0  # depth of the open <c>, 0 when none
        self.row_index = 0
        self.col_index = 0
        self.row_count = 0
        self.cell_count = 0
        self.irregular = False
        self.counted_cell = False
        self.hidden: set[int] = set()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        spend(self.budget)
        local = local_name(name)
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        depth = len(self.stack)
        if depth > KEDALAMAN_XML_MAKS:
            raise Reject(depth_message(self.where))
        if local == "dimension" and "ref" in attrs:
            check_dimension(attrs["ref"], self.batas, self.where)
        if self.phase != 1:
            if local == "sheetData":
                if self.phase == 0:
                    self.phase, self.data_depth = 1, depth
                else:
                    self.irregular = True
            return
        if self.cell_depth:
            if local in ("c", "row", "sheetData"):
                self.irregular = True
                if local == "c" and "r" in attrs:
                    row, column = cell_position(attrs["r"])
                    check_position(row, column, self.batas, self.where)
            return
        if local == "row":
            self._row(attrs, depth)
        elif local == "c":
            self._cell(attrs, depth, parent)
        elif local == "sheetData":
            self.irregular = True

    def _row(self, attrs: dict[str, str], depth: int) -> None:
        if depth != self.data_depth + 1:
            self.irregular = True
        self.row_count += 1
        if self.row_count > self.batas.baris_per_lembar:
            raise too_many_rows(self.batas, self.where)
        if "r" in attrs:
            self.row_index = _row_position(attrs["r"])
            if self.row_index >= self.batas.baris_per_lembar:
                raise too_many_rows(self.batas, self.where)
        if attrs.get("hidden") in ("1", "true"):
            self.hidden.add(self.row_index + 1)

    def _cell(self, attrs: dict[str, str], depth: int, parent: str) -> None:
        if parent != "row" or depth != self.data_depth + 2:
            self.irregular = True
        self.cell_count += 1
        if self.cell_count > self.max_cells:
            raise too_many_rows(self.batas, self.where)
        if "r" in attrs:
            row, column = cell_position(attrs["r"])
            self.col_index = column
        else:
            self.counted_cell = True
            row, column = self.row_index, self.col_index
        check_position(row, column, self.batas, self.where)
        self.cell_depth = depth

    def end(self, _name: str) -> None:
        depth = len(self.stack)
        local = self.stack.pop()
        if self.phase != 1:
            return
        if self.cell_depth:
            if depth == self.cell_depth:
                self.cell_depth = 0
                self.col_index += 1
            return
        if local == "row":
            self.row_index += 1
            self.col_index = 0
        elif depth == self.data_depth:
            self.phase = 2


def _exact_sheet_scan(content: bytes, batas: Batas, where: str, budget: list[int]) -> set[int]:
    walker = _SheetWalker(batas, where, budget)
    parser = new_parser()
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parse(parser, content, where)
    if walker.irregular and walker.counted_cell:
        raise Reject(f"struktur XML {where} tidak lazim (sel tanpa alamat di luar baris); berkas ditolak")
    return walker.hidden
