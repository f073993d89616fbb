"""Errors users see, each with the CLI exit code the product promises (issue 2: 2 usage, 3 input rejected,
4 step order or role refused, 5 workbook busy/locked)."""

from __future__ import annotations


class EvkinError(Exception):
    """Base: an Indonesian message that says what and where; never a traceback for the user."""

    exit_code = 1

    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


class PenggunaanSalah(EvkinError):
    """Wrong command use or missing prerequisite the user must fix (exit 2)."""

    exit_code = 2


class InputDitolak(EvkinError):
    """Submitted data rejected; `masalah` lists every problem found (exit 3)."""

    exit_code = 3

    def __init__(self, pesan: str, masalah: list | None = None) -> None:
        super().__init__(pesan)
        self.masalah = masalah or []


class LangkahDitolak(EvkinError):
    """Step order, role or state refused (exit 4)."""

    exit_code = 4


class WorkbookSibuk(EvkinError):
    """Workbook open in Excel or locked by another process (exit 5)."""

    exit_code = 5
