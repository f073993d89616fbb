"""Cell styles that change what a cell means: percent number formats and the quote prefix.

A cell's ``s`` attribute is an index into ``<cellXfs>`` in styles.xml; each ``<xf>`` names a number format by
``numFmtId`` (built-in ids 9 ``0%`` and 10 ``0.00%`` are percent; ids from 164 on are defined by ``<numFmt
formatCode=...>``) and may carry ``quotePrefix="1"`` (the text was typed with a leading apostrophe to keep it
text). Only the indices of such styles are returned; the sheet scan then finds the few cells that use them
with one search.

Read with searches over the bytes (styles.xml has already passed the XML checks). Limitations, in the safe
direction (a percent cell not recognised is judged as an unformatted number by the validator): style 0 (cells
without ``s``) is never reported, and only the first ``_XF_MAX`` cell styles are read (Excel allows ~64,000).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final

#: Built-in number formats that are percent formats (ECMA-376 Part 1, 18.8.30).
_BUILTIN_PERCENT: Final = frozenset({9, 10})
_XF_MAX: Final = 65_536

_RE_NUM_FMT: Final = re.compile(rb"<(?:[\w.-]{1,40}:)?numFmt\s([^>]*)>")
_RE_CELL_XFS: Final = re.compile(
    rb"<(?:[\w.-]{1,40}:)?cellXfs(?:\s[^>]*)?>(.*?)</(?:[\w.-]{1,40}:)?cellXfs\s*>", re.DOTALL
)
_RE_XF: Final = re.compile(rb"<(?:[\w.-]{1,40}:)?xf(?=[\s/>])([^>]*)>")
_RE_ATTRIBUTE: Final = re.compile(rb"""([\w:.-]{1,40})\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Parts of a format code that are shown literally or configure it: "text", \x, [Red], _x (space), *x (fill).
_RE_FORMAT_LITERAL: Final = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


@dataclass(frozen=True)
class CellStyles:
    """Indices (the cell's ``s``) of the cell styles with a percent number format / with a quote prefix."""

    percent: frozenset[int] = frozenset()
    quote_prefix: frozenset[int] = frozenset()

    @property
    def any(self) -> frozenset[int]:
        return self.percent | self.quote_prefix


NO_STYLES: Final = CellStyles()


def is_percent_format(code: str) -> bool:
    """True when a number format code shows numbers as percent (a ``%`` outside quotes, escapes, brackets)."""
    return "%" in _RE_FORMAT_LITERAL.sub("", code)


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1).split(b":")[-1]: m.group(2) if m.group(2) is not None else m.group(3)
            for m in _RE_ATTRIBUTE.finditer(raw)}


def _number(raw: bytes | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def read_cell_styles(content: bytes | None) -> CellStyles:
    """The percent and quote-prefix cell styles of a styles.xml part (``None``: no styles part)."""
    if not content:
        return NO_STYLES
    custom: dict[int, bool] = {}
    for match in _RE_NUM_FMT.finditer(content):
        attributes = _attributes(match.group(1))
        number = _number(attributes.get(b"numFmtId"))
        if number is not None:
            code = html.unescape(attributes.get(b"formatCode", b"").decode("utf-8", errors="replace"))
            custom[number] = is_percent_format(code)
    block = _RE_CELL_XFS.search(content)
    if block is None:
        return NO_STYLES
    percent: set[int] = set()
    quote_prefix: set[int] = set()
    for index, match in enumerate(_RE_XF.finditer(block.group(1))):
        if index >= _XF_MAX:
            break
        raw = match.group(1)
        if b"numFmtId" not in raw and b"quotePrefix" not in raw:
            continue
        attributes = _attributes(raw)
        number = _number(attributes.get(b"numFmtId"))
        if number is not None and custom.get(number, number in _BUILTIN_PERCENT):
            percent.add(index)
        if attributes.get(b"quotePrefix") in (b"1", b"true"):
            quote_prefix.add(index)
    percent.discard(0)
    quote_prefix.discard(0)
    return CellStyles(frozenset(percent), frozenset(quote_prefix))
