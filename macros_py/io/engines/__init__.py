"""The book engines, named in one table (as pandas' `ExcelFile._engines`): adding an engine touches nothing else.

- "xml": the fast engine (`fast/`): calamine reads, a save rebuilds only the written sheets' parts. Data actions.
- "openpyxl": the general engine; the only one that lays out print sheets (capability LAYOUT).
- xlwings (inside Excel) and the in-memory book are not opened from a path: their units of work hand them out.

`EVKIN_MESIN=openpyxl` forces the general engine everywhere (a switch for support and for tests).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from macros_py.io.book import LAYOUT, FileBook

ENGINE_FAST = "xml"
ENGINE_OPENPYXL = "openpyxl"


def _open_fast(path: Path) -> FileBook:
    from macros_py.io.engines.fast.xml_book import XmlBook

    return XmlBook(path)


def _open_openpyxl(path: Path) -> FileBook:
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    return OpenpyxlBook(load_workbook(path), path)


@dataclass(frozen=True)
class Engine:
    open: Callable[[Path], FileBook]
    capabilities: frozenset[str]


ENGINES: dict[str, Engine] = {
    ENGINE_FAST: Engine(_open_fast, frozenset()),
    ENGINE_OPENPYXL: Engine(_open_openpyxl, frozenset({LAYOUT})),
}


def engine_for(capability: str | None) -> str:
    """The first engine (fastest first) that has `capability`; EVKIN_MESIN=openpyxl overrides."""
    if os.environ.get("EVKIN_MESIN") == ENGINE_OPENPYXL:
        return ENGINE_OPENPYXL
    return next(nama for nama, e in ENGINES.items() if capability is None or capability in e.capabilities)


def open_book(path: Path, engine: str = ENGINE_FAST) -> FileBook:
    """The book for one action; a file the fast reader cannot read is opened by the general engine."""
    if os.environ.get("EVKIN_MESIN") == ENGINE_OPENPYXL:
        engine = ENGINE_OPENPYXL
    if engine != ENGINE_OPENPYXL:
        try:
            return ENGINES[engine].open(path)
        except Exception:  # any file the fast reader rejects is still opened by openpyxl
            pass
    return ENGINES[ENGINE_OPENPYXL].open(path)


__all__ = ["ENGINES", "ENGINE_FAST", "ENGINE_OPENPYXL", "LAYOUT", "Engine", "engine_for", "open_book"]
