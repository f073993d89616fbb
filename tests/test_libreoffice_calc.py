"""What LibreOffice Calc really writes when bidang staff type into a template and save it.

Each test fills a file with LibreOffice itself (tests/libreoffice_calc.py) and opens the saved file the way the
intake does (python-calamine for values, the sheet XML or openpyxl for formats). Every fact listed in the
harness's docstring is asserted here, so a LibreOffice that behaves otherwise fails the test.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from macros_py.schema import Tabel
from tests.libreoffice_calc import Calc, Filled

pytestmark = pytest.mark.libreoffice

SHEET = "Data"
NUMBER_FORMAT = "#,##0.##"  # the number format of the template's number columns

#: Typed in id-ID into the facts template: column B is pre-formatted like the template, column C is not.
TYPED_ID = {
    "B2": "97%", "C2": "97%",
    "B3": "1.250",
    "B4": "5/10/2026", "C4": "5/10/2026",
    "C5": "Rp 1.250.000",
    "C6": "'=> Pemadanan",
    "C7": "=> Pemadanan",
    "B8": "=1/0",
}


def _template(path: Path, rows: int = 10) -> Path:
    """A sheet like a distributed format: labels in A, number column B formatted #,##0.##, column C plain."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for r in range(1, rows + 1):
        ws.cell(r, 1, f"baris {r}")
        ws.cell(r, 2).number_format = NUMBER_FORMAT
    wb.save(path)
    return path


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _cell_xml(xml: str, ref: str) -> str:
    found = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml)
    assert found, f"no cell {ref} in the sheet XML"
    return found.group(0)


def _values(path: Path) -> dict[str, Any]:
    """Every non-empty cell as python-calamine reads it (what the intake reads), by address."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET)
    r0, c0 = sheet.start or (0, 0)
    out: dict[str, Any] = {}
    for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
        for c, v in enumerate(row):
            if v != "":
                out[f"{chr(ord('A') + c0 + c)}{r0 + r + 1}"] = v
    return out


@pytest.fixture(scope="module")
def typed_id(calc: Calc, tmp_path_factory: pytest.TempPathFactory) -> Filled:
    """The facts template after TYPED_ID was typed into it in id-ID and saved as .xlsx."""
    folder = tmp_path_factory.mktemp("typed_id")
    return calc.fill(_template(folder / "template.xlsx"), folder / "filled.xlsx",
                     typed=[(SHEET, cell, text) for cell, text in TYPED_ID.items()], locale="id-ID")


def test_percent_into_a_preformatted_cell_is_a_fraction_with_the_template_format(typed_id: Filled) -> None:
    assert _values(typed_id.path)["B2"] == 0.97
    assert load_workbook(typed_id.path)[SHEET]["B2"].number_format == NUMBER_FORMAT  # no percent format at all
    assert typed_id.shown(SHEET, "B2") == "0,97"  # and that is what the person saw


def test_percent_into_a_plain_cell_is_a_fraction_with_a_percent_format(typed_id: Filled) -> None:
    assert _values(typed_id.path)["C2"] == 0.97
    assert load_workbook(typed_id.path)[SHEET]["C2"].number_format == "0.00%"
    assert typed_id.shown(SHEET, "C2") == "97,00%"


def test_date_into_a_number_cell_is_a_serial_number_in_the_number_format(typed_id: Filled) -> None:
    values = _values(typed_id.path)
    assert values["B4"] == 46300  # 5 October 2026: id-ID reads day/month/year
    assert load_workbook(typed_id.path)[SHEET]["B4"].number_format == NUMBER_FORMAT
    assert typed_id.shown(SHEET, "B4") == "46.300"
    # In a plain cell it becomes a date (calamine then returns a date, not a number).
    assert load_workbook(typed_id.path)[SHEET]["C4"].number_format == "dd/mm/yy"
    assert str(values["C4"]) == "2026-10-05"


def test_rupiah_typed_with_its_symbol_is_a_number_with_a_currency_format(typed_id: Filled) -> None:
    assert _values(typed_id.path)["C5"] == 1250000
    assert "Rp" in load_workbook(typed_id.path)[SHEET]["C5"].number_format


def test_leading_apostrophe_stays_in_the_saved_text_without_quote_prefix(typed_id: Filled) -> None:
    assert _values(typed_id.path)["C6"] == "'=> Pemadanan"
    cell = load_workbook(typed_id.path)[SHEET]["C6"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("'=> Pemadanan", "s", False)
    assert 't="s"' in _cell_xml(_sheet_xml(typed_id.path), "C6")
    assert typed_id.shown(SHEET, "C6") == "'=> Pemadanan"  # the apostrophe is on screen too


def test_text_starting_with_equals_becomes_a_formula_with_an_error(typed_id: Filled) -> None:
    xml = _cell_xml(_sheet_xml(typed_id.path), "C7")
    assert 't="e"' in xml
    assert "<v>#VALUE!</v>" in xml
    assert typed_id.shown(SHEET, "C7") == "Err:510"  # what the person saw; Excel would show #VALUE!
    assert "C7" not in _values(typed_id.path)  # python-calamine reads an error cell as empty


def test_division_by_zero_is_saved_as_an_error_cell(typed_id: Filled) -> None:
    xml = _cell_xml(_sheet_xml(typed_id.path), "B8")
    assert 't="e"' in xml
    assert re.search(r"<f[^>]*>1/0</f><v>#DIV/0!</v>", xml)
    assert load_workbook(typed_id.path, data_only=True)[SHEET]["B8"].value == "#DIV/0!"
    assert "B8" not in _values(typed_id.path)  # python-calamine reads an error cell as empty


def test_keys_and_enter_string_give_the_same_cells(calc: Calc, typed_id: Filled, tmp_path: Path) -> None:
    """`.uno:EnterString` is the same input parser as key strokes + Return: same cells, same saved sheet data."""
    entered = calc.fill(_template(tmp_path / "template.xlsx"), tmp_path / "entered.xlsx",
                        typed=[(SHEET, cell, text) for cell, text in TYPED_ID.items()], locale="id-ID",
                        typing="enter")
    assert entered.cells == typed_id.cells

    def sheet_data(path: Path) -> str:
        return re.search(r"<sheetData>.*</sheetData>", _sheet_xml(path), re.S).group(0)  # type: ignore[union-attr]

    assert sheet_data(entered.path) == sheet_data(typed_id.path)


@pytest.mark.parametrize("typing", ["keys", "enter"])
def test_key_strokes_complete_and_correct_text_as_the_ui_does(calc: Calc, tmp_path: Path, typing: str) -> None:
    """Key strokes get AutoInput (completion from the column) and AutoCorrect; `.uno:EnterString` gets neither."""
    template = _template(tmp_path / "template.xlsx")
    wb = load_workbook(template)
    wb[SHEET]["C1"] = "Pemadanan data"
    wb.save(template)
    filled = calc.fill(template, tmp_path / "filled.xlsx", typing=typing,  # type: ignore[arg-type]
                       typed=[(SHEET, "C2", "Pem"), (SHEET, "C3", "a -- b"), (SHEET, "A3", "")])
    values = _values(filled.path)
    if typing == "keys":
        assert (values["C2"], values["C3"]) == ("Pemadanan data", "A – b")
    else:
        assert (values["C2"], values["C3"]) == ("Pem", "a -- b")
    assert "A3" not in values  # an empty entry clears the cell (the Delete key)
    assert [c.shown for c in filled.cells] == [values["C2"], values["C3"], ""]


def test_deleted_rows_leave_empty_rows_up_to_the_last_row_of_the_sheet(calc: Calc, tmp_path: Path) -> None:
    filled = calc.fill(_template(tmp_path / "template.xlsx", rows=20), tmp_path / "deleted.xlsx",
                       delete_rows=[(SHEET, 5, 7)])
    xml = _sheet_xml(filled.path)
    assert re.search(r'<dimension ref="([^"]+)"', xml).group(1) == "A1:B1048576"  # type: ignore[union-attr]
    rows = re.findall(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', xml)
    assert [int(r) for r, _ in rows] == [*range(1, 18), 1048574, 1048575, 1048576]  # one per deleted row
    assert all(content == "" for r, content in rows if int(r) > 17)
    values = _values(filled.path)
    assert (values["A4"], values["A5"], values["A17"]) == ("baris 4", "baris 8", "baris 20")
    assert "A18" not in values
    sheet = CalamineWorkbook.from_path(str(filled.path)).get_sheet_by_name(SHEET)
    assert sheet.height == 17  # calamine does not pad to row 1048576


def test_merge_keeps_hidden_contents_and_hidden_row_is_marked(calc: Calc, tmp_path: Path) -> None:
    filled = calc.fill(_template(tmp_path / "template.xlsx"), tmp_path / "merged.xlsx",
                       typed=[(SHEET, "B2", "5"), (SHEET, "B3", "7")], merge=[(SHEET, "A2:B3")],
                       hide_rows=[(SHEET, 4)])
    xml = _sheet_xml(filled.path)
    assert re.findall(r"<mergeCell [^>]*>", xml) == ['<mergeCell ref="A2:B3"/>']
    assert 'hidden="true"' in re.search(r'<row r="4"[^>]*>', xml).group(0)  # type: ignore[union-attr]
    values = _values(filled.path)
    assert (values["A2"], values["B2"], values["A3"], values["B3"]) == ("baris 2", 5, "baris 3", 7)
    sheet = CalamineWorkbook.from_path(str(filled.path)).get_sheet_by_name(SHEET)
    assert sheet.merged_cell_ranges == [((1, 0), (2, 1))]


def test_a_file_resaved_through_ods_keeps_values_and_formats(calc: Calc, typed_id: Filled, tmp_path: Path) -> None:
    ods = calc.convert(typed_id.path, tmp_path / "filled.ods")
    with zipfile.ZipFile(ods) as z:
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    again = calc.convert(ods, tmp_path / "again.xlsx")
    assert _values(again) == _values(typed_id.path)
    before, after = load_workbook(typed_id.path)[SHEET], load_workbook(again)[SHEET]
    for ref in ("B2", "C2", "B4", "C4"):
        assert after[ref].number_format == before[ref].number_format, ref
    for ref in ("C7", "B8"):
        assert 't="e"' in _cell_xml(_sheet_xml(again), ref)


@dataclass(frozen=True)
class Distributed:
    """A format written by `distribusi` for a bidang with two indicators or more."""

    path: Path
    sheet: str
    tabel: Tabel
    rows: list[int]  # the rows of its indicators

    def address(self, row: int, key: str) -> str:
        return f"{get_column_letter(self.tabel.kolom_awal + self.tabel.indeks(key))}{row}"


@pytest.fixture(scope="module")
def distributed(tmp_path_factory: pytest.TempPathFactory) -> Distributed:
    from macros_py.aksi.demo import jalankan_demo
    from macros_py.schema import muat_skema

    folder = tmp_path_factory.mktemp("demo")
    jalankan_demo(folder, info=lambda _: None, sampai=4)
    skema = muat_skema()
    for path in sorted((folder / "format_bidang").glob("*.xlsx")):
        ws = load_workbook(path).worksheets[0]
        tabel = skema.tabel_bidang(ws.title)
        column = tabel.kolom_awal + tabel.indeks("indikator")
        rows = [r for r in range(tabel.baris_data, ws.max_row + 1) if ws.cell(r, column).value]
        if len(rows) >= 2:
            return Distributed(path, ws.title, tabel, rows)
    raise AssertionError("the demo distributes no format with two indicators")


def test_distributed_format_filled_in_calc(calc: Calc, distributed: Distributed, tmp_path: Path) -> None:
    """A real template from `distribusi`: realisasi typed in id-ID land as numbers; locked cells refuse typing."""
    ws = load_workbook(distributed.path)[distributed.sheet]
    assert ws.protection.sheet  # the template is protected: only input cells are open
    first, second = distributed.rows[:2]
    typed = {distributed.address(first, "tw3_k"): ("12", 12),
             distributed.address(first, "tw3_rp"): ("1.250.000", 1250000),
             distributed.address(second, "tw3_k"): ("85,5", 85.5),
             distributed.address(second, "tw3_rp"): ("Rp 2.500.000", 2500000)}
    identity = next(c for row in ws.iter_rows(max_row=distributed.tabel.header_row) for c in row
                    if isinstance(c.value, str) and c.value.startswith("EVKIN-"))
    assert identity.protection.locked
    filled = calc.fill(distributed.path, tmp_path / distributed.path.name,
                       typed=[(ws.title, a, text) for a, (text, _) in typed.items()]
                       + [(ws.title, identity.coordinate, "EVKIN-LAIN")])

    grid = CalamineWorkbook.from_path(str(filled.path)).get_sheet_by_name(ws.title).to_python(skip_empty_area=False)

    def value(ref: str) -> Any:
        cell = ws[ref]
        return grid[cell.row - 1][cell.column - 1]

    assert {a: value(a) for a in typed} == {a: number for a, (_, number) in typed.items()}
    assert value(identity.coordinate) == identity.value  # Calc refused to type into the locked cell
    assert filled.shown(ws.title, identity.coordinate) == identity.value
    saved = load_workbook(filled.path)[ws.title]
    assert saved.protection.sheet
    assert {saved[a].number_format for a in typed} == {NUMBER_FORMAT}


def test_distributed_format_rows_are_deleted_only_once_unprotected(
        calc: Calc, distributed: Distributed, tmp_path: Path) -> None:
    """The protected format refuses Delete Rows; with the protection switched off, the usual empty rows appear."""
    first = distributed.rows[0]
    with pytest.raises(RuntimeError, match="refused"):
        calc.fill(distributed.path, tmp_path / "refused.xlsx", delete_rows=[(distributed.sheet, first, first)])
    filled = calc.fill(distributed.path, tmp_path / "deleted.xlsx", unprotect=[distributed.sheet],
                       delete_rows=[(distributed.sheet, first, first)])
    xml = _sheet_xml(filled.path)
    assert "<sheetProtection" not in xml
    assert re.search(r'<dimension ref="A1:[A-Z]+1048576"', xml)
    assert re.search(r'<row r="1048576"[^>]*?(?:/>|></row>)', xml)
    indicator = distributed.address(first, "indikator")
    before = load_workbook(distributed.path)[distributed.sheet]
    after = load_workbook(filled.path)[distributed.sheet]
    assert after[indicator].value == before[distributed.address(first + 1, "indikator")].value  # moved up
    assert after[indicator].value != before[indicator].value


#: (typed, id-ID, en-US) into a #,##0.## cell: what python-calamine reads from the saved file.
NUMBERS = [
    ("1.250", 1250, 1.25),
    ("85,5", 85.5, "85,5"),
    ("1,250", 1.25, 1250),
    ("85.5", "85.5", 85.5),
    ("1.250.000", 1250000, "1.250.000"),
    ("97%", 0.97, 0.97),
    ("5/10/2026", 46300, 46152),  # id-ID day/month/year, en-US month/day/year
]


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])  # last in the module: en-US restarts LibreOffice once
def test_numbers_are_read_in_the_locale(calc: Calc, tmp_path: Path, locale: str) -> None:
    expected = {f"B{i}": (n_id if locale == "id-ID" else n_us) for i, (_, n_id, n_us) in enumerate(NUMBERS, 2)}
    filled = calc.fill(_template(tmp_path / "template.xlsx"), tmp_path / f"{locale}.xlsx",
                       typed=[(SHEET, f"B{i}", text) for i, (text, _, _) in enumerate(NUMBERS, 2)], locale=locale)
    values = _values(filled.path)
    assert {ref: values.get(ref) for ref in expected} == expected
    saved = load_workbook(filled.path)[SHEET]
    assert {saved[ref].number_format for ref, v in expected.items() if not isinstance(v, str)} == {NUMBER_FORMAT}


def _group(pgid: int) -> set[int]:
    """Live processes (not zombies) of a process group, from /proc."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, pgrp, ...
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.add(int(entry.name))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_close_stops_libreoffice_and_its_children(calc: Calc, tmp_path: Path) -> None:
    calc.convert(_template(tmp_path / "template.xlsx"), tmp_path / "copy.ods")  # LibreOffice is running now
    pid = calc.pid
    assert pid is not None
    assert len(_group(pid)) >= 2  # the soffice launcher and its soffice.bin
    calc.close()
    assert calc.pid is None
    assert _group(pid) == set()
