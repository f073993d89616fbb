"""The worksheet scan: every cell holding content lies inside ``Batas`` (see ``sheet_limits``), and the facts
the validator needs are gathered on the way, without a second parse.

Facts (positions are 1-based (row, column) tuples, ``(9, 16)`` is P9):

- hidden rows (``<row hidden="1">``);
- cells whose style has a percent number format, and cells whose style has a quote prefix (see ``styles``);
  only cells inside the limits are reported;
- error cells (``t="e"``) with their error text (``#DIV/0!``), which calamine reads as empty;
- merged ranges (``<mergeCell ref="X10:Y10">``) as (first row, first column, last row, last column).

The fast path covers what Excel, LibreOffice and openpyxl write (every ``<c>`` and ``<row>`` starts with a
canonical ``r="..."``) with searches at C speed: a file without such styles, error cells or merges pays three
literal searches for the facts. It finds `` s="N"`` and `` t="e"`` quoted with ``"`` as every writer quotes
them (a cell quoting ``r`` with ``"`` but ``s`` with ``'`` is not reported there). Anything else goes through
an exact expat replay of calamine's reader, which gathers the same facts from the element events.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Final

from macros_py.domain.cell_names import nomor_kolom
from macros_py.io.kiriman.model import Batas, Reject
from macros_py.io.kiriman.sheet_limits import (
    RE_CELL_NOT_CANONICAL,
    RE_ROW_NOT_CANONICAL,
    cell_position,
    content_beyond,
    outside,
    refuse_content_beyond,
    row_position,
    unusual_patterns,
)
from macros_py.io.kiriman.styles import CellStyles
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
_RE_PREFIXED_CELL_OR_ROW: Final = re.compile(rb":(?:c|row)[\s/>]")
_RE_ODD_CELL_OR_ROW: Final = re.compile(rb"<(?:c|row)[\t\n\r/>]")
_RE_HIDDEN_ROW: Final = re.compile(rb'<row r="([1-9][0-9]{0,6})"[^<>]*?\shidden\s*=\s*["\'](?:1|true)["\']')
_RE_ERROR_TYPE: Final = re.compile(rb' t="e"')
#: Anchored right after an error cell's start tag: an optional formula, then the cached error text.
_RE_ERROR_VALUE: Final = re.compile(
    rb"\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?\s*<v(?:\s[^>]*)?>([^<]{1,64})</v>"
)
_RE_CELL_START: Final = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_RE_MERGE_CELL: Final = re.compile(rb'<(?:[\w.-]{1,40}:)?mergeCell\s[^>]*?\bref\s*=\s*["\']([^"\'<>]{1,40})["\']')
_RE_MERGE_REF: Final = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?")


@dataclass
class SheetScan:
    """What the scan learned about one worksheet (see the module docstring for the positions)."""

    hidden_rows: set[int] = field(default_factory=set)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merged_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    quote_prefix_cells: set[tuple[int, int]] = field(default_factory=set)

    def add_style(self, styles: CellStyles, style: int, row: int, column: int) -> None:
        """Record a cell (1-based) whose style is one of the styles of interest."""
        if style in styles.percent:
            self.percent_cells.add((row, column))
        if style in styles.quote_prefix:
            self.quote_prefix_cells.add((row, column))

    def add_merge(self, ref: str) -> None:
        match = _RE_MERGE_REF.fullmatch(ref.strip())
        if match is None or int(match.group(2)) == 0 or (match.group(4) is not None and int(match.group(4)) == 0):
            return  # calamine ignores merges; a broken one hides nothing it reads
        first = (int(match.group(2)), nomor_kolom(match.group(1).upper()))
        last = (int(match.group(4)), nomor_kolom(match.group(3).upper())) if match.group(3) else first
        self.merged_ranges.append((min(first[0], last[0]), min(first[1], last[1]),
                                   max(first[0], last[0]), max(first[1], last[1])))


def scan_sheet(
    content: bytes, batas: Batas, where: str, budget: list[int], cells: int, styles: CellStyles
) -> SheetScan:
    """Check a worksheet part whose encoding, DOCTYPE and size were checked, and gather its facts.

    ``cells`` is the count of ``<c `` and ``:c `` in the part; ``where`` names the sheet in messages.
    """
    if plain_markup(content) and _RE_PREFIXED_CELL_OR_ROW.search(content) is None:
        validate(content, where)
        scan = _fast_sheet_scan(content, batas, where, cells, styles)  # no ":c " here: cells counts "<c "
        if scan is not None:
            return scan
    return _exact_sheet_scan(content, batas, where, budget, styles)


def _fast_sheet_scan(
    content: bytes, batas: Batas, where: str, cell_count: int, styles: CellStyles
) -> SheetScan | None:
    """Byte-level checks for well-formed, plain-markup sheets; None means "use the exact walk".

    Applies when every <c> and <row> starts with a canonical r="..." (what Excel, LibreOffice and
    openpyxl write): then calamine takes every position from r, and the limits reduce to searches.
    A row's own number does not matter then (an empty row 1048576 is fine).
    """
    if _RE_ODD_CELL_OR_ROW.search(content) is not None:
        return None  # <c>, <row/>, a tab after the name...: positions may depend on order
    unusual_row, unusual_cell = unusual_patterns(batas.baris_per_lembar, batas.kolom_per_lembar)
    if content.count(b'<row r="') != content.count(b"<row ") or (
            unusual_row.search(content) is not None and RE_ROW_NOT_CANONICAL.search(content) is not None):
        return None
    cells_usual = unusual_cell.search(content) is None
    if content.count(b'<c r="') != cell_count or (
            not cells_usual and RE_CELL_NOT_CANONICAL.search(content) is not None):
        return None
    if not cells_usual:
        refuse_content_beyond(content, batas, where)
    depth = fast_depth(content)
    if depth is None:
        return None
    if depth > KEDALAMAN_XML_MAKS:
        raise Reject(depth_message(where))
    scan = SheetScan(hidden_rows={int(number) for number in _RE_HIDDEN_ROW.findall(content)})
    _fast_facts(content, batas, styles, scan)
    return scan


def _styled_cells(content: bytes, styles: frozenset[int]) -> list[tuple[int, int, int]]:
    """(row, column, style) of the cells whose ``s="N"`` is one of ``styles``: one literal search per style
    (a few hundred microseconds per megabyte), then each hit is checked to sit in a ``<c r="...">`` tag."""
    found = []
    for style in styles:
        for hit in _style_pattern(style).finditer(content):
            start = content.rfind(b"<", 0, hit.start())
            cell = _RE_CELL_START.match(content, start)
            if cell is not None and content.find(b">", start, hit.start()) < 0:
                found.append((int(cell.group(2)), nomor_kolom(cell.group(1).decode("ascii")), style))
    return found


@functools.lru_cache(maxsize=64)
def _style_pattern(style: int) -> re.Pattern[bytes]:
    return re.compile(b' s="%d"' % style)


def _fast_facts(content: bytes, batas: Batas, styles: CellStyles, scan: SheetScan) -> None:
    """Percent, quote-prefix and error cells and merged ranges of a fast-path sheet: one search each, run
    only when a substring test shows there can be something to find."""
    if styles.any:
        for row, column, style in _styled_cells(content, styles.any):
            if row <= batas.baris_per_lembar and column <= batas.kolom_per_lembar:
                scan.add_style(styles, style, row, column)
    for hit in _RE_ERROR_TYPE.finditer(content):
        start = content.rfind(b"<", 0, hit.start())
        cell = _RE_CELL_START.match(content, start)
        end = content.find(b">", hit.end())
        if cell is None or content.find(b">", start, hit.start()) >= 0 or content[end - 1 : end] == b"/":
            continue  # not a cell's attribute, or an empty error cell (it holds no value)
        value = _RE_ERROR_VALUE.match(content, end + 1)
        if value is not None:
            key = (int(cell.group(2)), nomor_kolom(cell.group(1).decode("ascii")))
            scan.error_cells[key] = value.group(1).decode("utf-8", errors="replace").strip()
    after_data = max(content.rfind(b"</sheetData>"), 0)  # merges follow the cells in a valid sheet
    if content.find(b"mergeCell", after_data) >= 0:
        for ref in _RE_MERGE_CELL.findall(content, after_data):
            scan.add_merge(ref.decode("ascii", errors="replace"))


class _SheetWalker:
    """Exact replay of calamine's worksheet reader over expat events (the slow, general path).

    calamine takes a cell's position from its r attribute, or else from counters: the last row r (or
    the count of closed rows) and the cell after the previous one. With rows and cells nested the
    standard way (row in sheetData, c in row) this replay is exact. If the nesting is unusual *and* a
    cell relies on the counters, the position cannot be predicted and the sheet is refused. A cell
    beyond the limits is refused when a child element opens inside it (it holds content).
    """

    def __init__(self, batas: Batas, where: str, budget: list[int], styles: CellStyles) -> None:
        self.batas = batas
        self.where = where
        self.budget = budget
        self.styles = styles
        self.stack: list[str] = []
        self.phase = 0  # 0 before the first sheetData, 1 inside it, 2 after it (calamine stops there)
        self.data_depth = 0
        self.cell_depth = 0  # depth of the open <c>, 0 when none
        self.row_index = 0
        self.col_index = 0
        self.irregular = False
        self.counted_cell = False
        self.beyond: tuple[int, int] | None = None  # the open cell's position when beyond the limits
        self.error_at: tuple[int, int] | None = None  # the open cell's position (1-based) when t="e"
        self.text: list[str] | None = None  # the error text being read
        self.scan = SheetScan()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        spend(self.budget)
        local = local_name(name)
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        depth = len(self.stack)
        if depth > KEDALAMAN_XML_MAKS:
            raise Reject(depth_message(self.where))
        if local == "mergeCell" and "ref" in attrs:
            self.scan.add_merge(attrs["ref"])
        if self.phase != 1:
            if local == "sheetData":
                if self.phase == 0:
                    self.phase, self.data_depth = 1, depth
                else:
                    self.irregular = True
            return
        if self.cell_depth:
            if self.beyond is not None:
                raise content_beyond(*self.beyond, self.batas, self.where)
            if local in ("c", "row", "sheetData"):
                self.irregular = True
                if local == "c" and "r" in attrs:
                    row, column = cell_position(attrs["r"], self.where)
                    if outside(row, column, self.batas):
                        raise content_beyond(row, column, self.batas, self.where)
            elif local == "v" and self.error_at is not None and depth == self.cell_depth + 1:
                self.text = []
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
        if "r" in attrs:
            self.row_index = row_position(attrs["r"], self.where)
        if attrs.get("hidden") in ("1", "true"):
            self.scan.hidden_rows.add(self.row_index + 1)

    def _cell(self, attrs: dict[str, str], depth: int, parent: str) -> None:
        if parent != "row" or depth != self.data_depth + 2:
            self.irregular = True
        if "r" in attrs:
            row, column = cell_position(attrs["r"], self.where)
            self.col_index = column
        else:
            self.counted_cell = True
            row, column = self.row_index, self.col_index
        self.cell_depth = depth
        self.beyond = (row, column) if outside(row, column, self.batas) else None
        self.error_at = (row + 1, column + 1) if attrs.get("t") == "e" and self.beyond is None else None
        style = attrs.get("s")
        if style is not None and self.beyond is None and style.isdigit() and int(style) in self.styles.any:
            self.scan.add_style(self.styles, int(style), row + 1, column + 1)

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, _name: str) -> None:
        depth = len(self.stack)
        local = self.stack.pop()
        if self.phase != 1:
            return
        if self.cell_depth:
            if self.text is not None and local == "v" and depth == self.cell_depth + 1:
                error = "".join(self.text).strip()
                if error and self.error_at is not None:
                    self.scan.error_cells[self.error_at] = error[:64]
                self.text = None
            if depth == self.cell_depth:
                self.cell_depth = 0
                self.col_index += 1
                self.beyond = self.error_at = None
            return
        if local == "row":
            self.row_index += 1
            self.col_index = 0
        elif depth == self.data_depth:
            self.phase = 2


def _exact_sheet_scan(
    content: bytes, batas: Batas, where: str, budget: list[int], styles: CellStyles
) -> SheetScan:
    walker = _SheetWalker(batas, where, budget, styles)
    parser = new_parser()
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.characters
    parse(parser, content, where)
    if walker.irregular and walker.counted_cell:
        raise Reject(f"struktur {where} tidak lazim (sel tanpa alamat di luar baris); simpan ulang dari Excel")
    return walker.scan
