"""The copy of a rejected submission sent back to its bidang: every problem cell highlighted, its message in the
cell's comment. Written with openpyxl on a copy (the original file is never touched), atomically (a temporary
file beside it, then one rename: no half-written copy is ever seen), outside the master's unit of work (the
master is not changed when a submission is rejected, the copy is made all the same).

Problems are (sheet, cell, message) as the intake names them: a cell ("P9"), a range ("X9:Y10", highlighted
whole up to ``SEL_RANGE_MAKS`` cells, the comment on its first cell), "baris N" (column A of that row), or no
cell at all (the messages about the file as a whole, in a comment on A1 of the first sheet). Several messages
on one cell share its comment. Only files the submission reader accepted as a spreadsheet are opened here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from macros_py.io.files import save_atomic

WARNA_MASALAH = "FFC7CE"  # Excel's "Bad" cell style fill: light red
SEL_RANGE_MAKS = 2_000
PANJANG_KOMENTAR_MAKS = 30_000  # Excel holds at most 32,767 characters in a comment
PENULIS = "evkin"
_RE_SEL = re.compile(r"^([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?$")
_RE_BARIS = re.compile(r"^baris ([0-9]+)$")


def nama_perbaikan(asal: Path, dipakai: set[str]) -> str:
    """The copy's name: the original's (a macro file's copy is an .xlsx, macros are never kept), made unique
    among the names already used in this command ("... (2).xlsx")."""
    stem = asal.stem
    nama = f"{stem}.xlsx"
    i = 2
    while nama.casefold() in dipakai:
        nama = f"{stem} ({i}).xlsx"
        i += 1
    dipakai.add(nama.casefold())
    return nama


def _sel(teks: str) -> tuple[str, list[str]] | None:
    """(anchor cell, cells to highlight) of a problem's place, None when it names no cell."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    teks = teks.strip()
    baris = _RE_BARIS.match(teks)
    if baris:
        return f"A{baris.group(1)}", [f"A{baris.group(1)}"]
    cocok = _RE_SEL.match(teks)
    if cocok is None:
        return None
    h1, r1, h2, r2 = cocok.groups()
    if h2 is None:
        return teks, [teks]
    c1, c2 = sorted((column_index_from_string(h1), column_index_from_string(h2)))
    a, b = sorted((int(r1), int(r2)))
    sel = [f"{get_column_letter(c)}{r}" for r in range(a, b + 1) for c in range(c1, c2 + 1)][:SEL_RANGE_MAKS]
    return f"{get_column_letter(c1)}{a}", sel


def tulis_perbaikan(asal: Path, tujuan: Path, masalah: Sequence[tuple[str, str, str]]) -> None:
    """Write `tujuan`: `asal` with each (sheet, cell, message) problem highlighted and commented."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = load_workbook(asal, keep_vba=False, keep_links=False)
    isi = PatternFill("solid", fgColor=WARNA_MASALAH)
    komentar: dict[tuple[str, str], list[str]] = {}
    for sheet, tempat, pesan in masalah:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        letak = _sel(tempat)
        if letak is None:
            komentar.setdefault((ws.title, "A1"), []).append(pesan)
            continue
        anchor, sel = letak
        for ref in sel:
            ws[ref].fill = isi
        komentar.setdefault((ws.title, anchor), []).append(pesan)
    for (sheet, ref), daftar in komentar.items():
        cell = wb[sheet][ref]
        teks = "\n".join(f"- {p}" for p in daftar) if len(daftar) > 1 else daftar[0]
        lama = cell.comment.text + "\n" if cell.comment is not None else ""
        cell.comment = Comment((lama + teks)[:PANJANG_KOMENTAR_MAKS], PENULIS, width=420,
                               height=min(600, 80 + 40 * len(daftar)))
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    save_atomic(tujuan, wb.save, cadangan=False)
