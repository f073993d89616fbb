"""`io.cache`: the values of a large sheet the fast engine wrote, read back by the next command without
parsing the sheet — on real files, against what parsing the saved sheet gives."""

from __future__ import annotations

import marshal
import shutil
import string
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros_py.io.engines.fast import cache
from macros_py.io.engines.fast.xml_book import XmlBook
from tests.conftest import tanpa_ekor_kosong

KOSONG = Path(__file__).resolve().parent.parent / "workbook" / "Evaluasi_Kinerja.xlsx"


def _dibaca(path: Path, sheet: str, monkeypatch: pytest.MonkeyPatch, dengan_cache: bool) -> list[list[Any]]:
    monkeypatch.setattr(cache, "load", _MUAT if dengan_cache else lambda nama: None)
    return tanpa_ekor_kosong(XmlBook(path).read_values(sheet))


_MUAT = cache.load

teks = st.text(alphabet=st.sampled_from(list(string.ascii_letters + "  _x0D=+-&<>\t\r\n\x01é😀")), max_size=10)
nilai = st.one_of(st.none(), teks, st.booleans(), st.integers(-(10**17), 10**17),
                  st.floats(allow_nan=False, allow_infinity=False, min_value=-1e17, max_value=1e17))
baris = st.lists(st.lists(nilai, min_size=3, max_size=3), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isi=baris, mulai=st.integers(5, 40))
@example(isi=[[0.30000000000000004, 2**60, "_x0041_"]], mulai=5)  # 17 digits, beyond 2**53, Excel's escape
@example(isi=[[1.5, 2.0, ""], [None, None, None]], mulai=5)
def test_values_kept_equal_what_parsing_the_saved_sheet_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               isi: list[list[Any]], mulai: int) -> None:
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    monkeypatch.setattr(cache, "SEL_MIN", 0)
    monkeypatch.setenv("EVKIN_TEMBOLOK", tempfile.mkdtemp(dir=tmp_path))  # one folder per example
    sumber, hasil = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copyfile(KOSONG, sumber)
    book = XmlBook(sumber)
    book.write("Rekap", mulai, 2, isi)
    book.keep_for_next("Rekap")
    book.save_to(hasil)
    dari_file = _dibaca(hasil, "Rekap", monkeypatch, dengan_cache=False)
    assert _dibaca(hasil, "Rekap", monkeypatch, dengan_cache=True) == dari_file
    # kept unless a value cannot be reproduced exactly (Excel's _xHHHH_ escapes, which readers decode)
    ada_escape = any(isinstance(v, str) and "_x" in v for b in isi for v in b)
    assert (len(list(cache.folder().iterdir())) == 1) != ada_escape


def _rekap_diingat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    monkeypatch.setattr(cache, "SEL_MIN", 0)
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    book.write("Rekap", 5, 1, [["Sekretariat", i, f"Sasaran {i}", 2.5 * i] for i in range(1, 200)])
    book.keep_for_next("Rekap")
    book.save_to(tmp_path / "baru.xlsx")
    shutil.move(tmp_path / "baru.xlsx", path)
    return path


def test_a_sheet_changed_by_another_program_is_read_from_the_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = _rekap_diingat(tmp_path, monkeypatch)
    assert XmlBook(path).read("Rekap", 6, 4, 1)[0] == [5]
    wb = load_workbook(path)
    wb["Rekap"]["D6"] = 99  # what a person does in Excel
    wb.save(path)
    assert XmlBook(path).read("Rekap", 6, 4, 1)[0] == [99]


def test_a_damaged_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _rekap_diingat(tmp_path, monkeypatch)
    (entri,) = cache.folder().iterdir()
    entri.write_bytes(entri.read_bytes()[: entri.stat().st_size // 2])
    assert cache.load(entri.name) is None
    assert XmlBook(path).read("Rekap", 6, 3, 2)[0] == ["Sasaran 2", 5]
    salah_bentuk = b"".join(len(d).to_bytes(8, "little") + d
                            for d in (marshal.dumps((cache.VERSI, 2)), marshal.dumps([[1], 2])))
    entri.write_bytes(salah_bentuk)  # the right count, but not rows
    assert cache.load(entri.name) is None


def test_only_sheets_named_by_the_action_are_kept_and_dates_never(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    monkeypatch.setattr(cache, "SEL_MIN", 0)
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    book.write("Rekap", 5, 1, [["Sekretariat", 1]])
    book.write("Log", 5, 1, [[1, datetime(2026, 10, 6, 9, 0)]])
    book.keep_for_next("Log")
    book.save_to(tmp_path / "baru.xlsx")
    assert list(cache.folder().iterdir()) == []


def test_only_the_newest_entries_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(cache.ENTRI_MAKS + 3):
        sementara = cache.prepare([[i]])
        assert sementara is not None
        cache.name_entry(sementara, f"{i:064x}")
    assert len(list(cache.folder().iterdir())) == cache.ENTRI_MAKS
    assert cache.load(f"{cache.ENTRI_MAKS + 2:064x}") == ([[cache.ENTRI_MAKS + 2]], "")


def test_an_entry_read_again_outlives_newer_ones(tmp_path: Path) -> None:
    """Daftar Indikator, kept once at `format`, is read by every intake while each intake keeps a new Rekap."""
    import os

    for i in range(cache.ENTRI_MAKS):
        sementara = cache.prepare([[i]])
        assert sementara is not None
        cache.name_entry(sementara, f"{i:064x}")
        os.utime(cache.folder() / f"{i:064x}", (1_000_000 + i, 1_000_000 + i))  # oldest first
    assert cache.load(f"{0:064x}") is not None  # the oldest, read
    sementara = cache.prepare([[99]])
    assert sementara is not None
    cache.name_entry(sementara, f"{99:064x}")
    assert cache.load(f"{0:064x}") is not None and cache.load(f"{1:064x}") is None


def test_a_result_of_an_unchanged_sheet_is_kept_with_its_context(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`Book.memo`: computed once for the same stored bytes and context; computed again for another context,
    a sheet this command wrote, a sheet edited in Excel, and after a computation that raised."""
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    dihitung: list[str] = []

    def hitung(tanda: str) -> Any:
        return lambda: dihitung.append(tanda) or [{"no": 1, "nilai": 2.5, "teks": tanda}]

    assert XmlBook(path).memo("Daftar Indikator", "a", hitung("1")) == [{"no": 1, "nilai": 2.5, "teks": "1"}]
    assert XmlBook(path).memo("Daftar Indikator", "a", hitung("2")) == [{"no": 1, "nilai": 2.5, "teks": "1"}]
    XmlBook(path).memo("Daftar Indikator", "b", hitung("3"))
    book = XmlBook(path)
    book.write("Daftar Indikator", 5, 1, [["PEM"]])
    book.memo("Daftar Indikator", "a", hitung("4"))
    assert dihitung == ["1", "3", "4"]

    def gagal() -> Any:
        raise ValueError("Daftar Indikator berisi kesalahan")

    with pytest.raises(ValueError):
        XmlBook(path).memo("Daftar Indikator", "c", gagal)
    XmlBook(path).memo("Daftar Indikator", "c", hitung("5"))
    wb = load_workbook(path)
    wb["Daftar Indikator"]["A5"] = "PEM"  # the Kasubag edits the list in Excel
    wb.save(path)
    XmlBook(path).memo("Daftar Indikator", "a", hitung("6"))
    assert dihitung == ["1", "3", "4", "5", "6"]
