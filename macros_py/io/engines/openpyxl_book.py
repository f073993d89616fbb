"""openpyxl engine of the book protocol: the headless path (tests, Linux, the Kasubag's command line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.io.book import LAYOUT, T


def nilai_aman(nilai: Any) -> Any:
    """Characters XML cannot hold are dropped; everything else is kept exactly as given."""
    if isinstance(nilai, str):
        return tanpa_karakter_ilegal(nilai)
    return nilai


class OpenpyxlBook:
    """The general engine: every cell of every sheet in memory, print layout with openpyxl styles."""

    capabilities = frozenset({LAYOUT})

    def __init__(self, wb: Workbook, path: Path | None = None) -> None:
        self.wb = wb
        self.path = path
        self._nilai: Workbook | None = None

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read(self, sheet: str, top: int, left: int, n_cols: int, n_rows: int | None = None) -> list[list[Any]]:
        ws = self.wb[sheet]
        bawah = ws.max_row if n_rows is None else top + n_rows - 1
        if bawah is not None and bawah < top:
            return []
        # bawah None: a read-only sheet whose file states no dimension; iter_rows then reads to its end.
        return [list(r) for r in ws.iter_rows(min_row=top, max_row=bawah, min_col=left,
                                                max_col=left + n_cols - 1, values_only=True)]

    def write(self, sheet: str, top: int, left: int, values: Sequence[Sequence[Any]]) -> None:
        ws = self.wb[sheet]
        for i, baris in enumerate(values):
            for j, nilai in enumerate(baris):
                cell = ws.cell(row=top + i, column=left + j)
                cell.value = nilai_aman(nilai)
                if isinstance(nilai, str) and cell.data_type == "f":
                    # Text that looks like a formula (=, +, -, @) stays text: stored as a string, as Excel
                    # does for a cell typed with a leading apostrophe.
                    cell.data_type = "s"
                    cell.quotePrefix = True

    def last_row(self, sheet: str) -> int:
        return self.wb[sheet].max_row

    def keep_for_next(self, sheet: str, note: str = "") -> None:
        """Nothing to keep: this engine reads whole workbooks anyway."""

    def kept_note(self, sheet: str) -> str:
        return ""

    def memo(self, sheet: str, context: str, compute: Callable[[], T]) -> T:
        """Computed: this engine does not look at the stored bytes."""
        return compute()

    def save_to(self, tujuan: Path) -> None:
        self.wb.save(tujuan)

    def worksheet(self, sheet: str) -> Any:
        return self.wb[sheet]

    def read_values(self, sheet: str) -> list[list[Any]]:
        # openpyxl keeps formulas or their cached results, not both: results come from a second, read-only
        # load of the file on disk (the same bytes this unit of work loaded, under its lock).
        if self.path is None:
            return [list(r) for r in self.wb[sheet].iter_rows(values_only=True)]
        if self._nilai is None:
            from openpyxl import load_workbook

            self._nilai = load_workbook(self.path, data_only=True, read_only=True)
        return [list(r) for r in self._nilai[sheet].iter_rows(values_only=True)]
