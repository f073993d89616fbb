"""What the submission reader returns and refuses with: the result types, the limits and the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

MiB: Final = 1024 * 1024

PESAN_RUSAK: Final = (
    "berkas rusak atau tidak dapat dibaca; buka di Excel, simpan ulang sebagai .xlsx, lalu kirim ulang"
)


class FileRejected(Exception):
    """A submission refused with a reason the sender can act on (Indonesian, names the file)."""

    def __init__(self, berkas: str, pesan: str) -> None:
        super().__init__(berkas, pesan)
        self.berkas = berkas
        self.pesan = pesan

    def __str__(self) -> str:
        return f"{self.berkas}: {self.pesan}"


class Reject(Exception):
    """Internal refusal carrying the Indonesian reason; the entry point adds the file name."""

    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


@dataclass
class KirimanSheet:
    """One worksheet as plain values: ``baris[0]`` is row 1, ``baris[r][0]`` is column A.

    ``baris_tersembunyi`` holds the 1-based numbers of rows hidden in the sheet, so the caller can warn
    that a sender hid data instead of deleting it.

    Facts about cells that the values alone do not show, gathered while the sheet XML was checked. Cells
    are 1-based ``(row, column)`` tuples, ``(9, 16)`` being P9, so ``baris[row - 1][column - 1]`` is the
    value; only cells inside ``Batas`` are reported:

    - ``percent_cells``: cells whose number format shows percent (built-in ``0%``/``0.00%`` or a format
      code with ``%``): their value 0.97 was seen as "97%";
    - ``error_cells``: cells holding an error value, with its text (``{(9, 18): "#DIV/0!"}``); their value
      in ``baris`` is ``None``;
    - ``merged_ranges``: merged ranges as ``(first row, first column, last row, last column)``;
    - ``quote_prefix_cells``: cells whose style has a quote prefix (text typed after an apostrophe; the
      apostrophe is not part of the value).
    """

    nama: str
    baris: list[list[object]]
    baris_tersembunyi: set[int] = field(default_factory=set)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merged_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    quote_prefix_cells: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class KirimanFile:
    """A submission read safely. ``punya_makro`` is True when the package carried VBA or Excel 4 macro
    sheets: their data is read, the macros are never kept or run, and the caller warns the sender."""

    berkas: str
    sha256: str
    lembar: list[KirimanSheet]
    punya_makro: bool


@dataclass(frozen=True)
class Batas:
    """Hard limits that bound the time and memory spent on any one file, hostile or not."""

    ukuran_berkas: int = 50 * MiB
    ukuran_terurai: int = 200 * MiB
    rasio_kompresi: int = 200
    jumlah_entri_zip: int = 2000
    baris_per_lembar: int = 20_000
    kolom_per_lembar: int = 200


BATAS_BAKU: Final = Batas()


def human_size(size: int) -> str:
    """Human size with an Indonesian decimal comma."""
    if size >= MiB:
        return f"{size / MiB:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"
