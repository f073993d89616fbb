"""One body of tests run over every book engine (as pandas' `engine_params`): what the actions rely on — reads
give back what was written, with the same value rules; unknown sheets are named; capabilities are declared — holds
for the fast engine, openpyxl, and the in-memory book. Rule tests then run on the in-memory book, with no file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros_py.aksi.langkah import baca_status, eksekusi, verifikasi_log
from macros_py.aksi.persiapan import catat_disposisi, catat_rapat
from macros_py.domain.errors import LangkahDitolak
from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.io.book import LAYOUT, read_table, write_table
from macros_py.io.engines import ENGINE_FAST, ENGINE_OPENPYXL, open_book
from macros_py.io.engines.memory_book import MemoryBook
from macros_py.io.unit_of_work import MemoryUnitOfWork
from macros_py.schema import muat_skema

ROOT = Path(__file__).resolve().parent.parent
KOSONG = ROOT / "workbook" / "Evaluasi_Kinerja.xlsx"


@pytest.fixture(scope="module")
def _buku_memori() -> MemoryBook:
    return MemoryBook.from_book(open_book(KOSONG, ENGINE_OPENPYXL))


@pytest.fixture(params=[ENGINE_FAST, ENGINE_OPENPYXL, "memori"])
def buku(request: pytest.FixtureRequest, tmp_path: Path, _buku_memori: MemoryBook) -> Callable[[], Any]:
    """A fresh book of the shipped master on each engine; calling it again gives the state after saving."""
    if request.param == "memori":
        book = _buku_memori.copy()
        return lambda simpan=False: book  # its state is what a saved file would read back
    path = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(KOSONG, path)
    state = {"book": open_book(path, request.param)}

    def ambil(simpan: bool = False) -> Any:
        if simpan:  # as a unit of work saves: beside the master, then in its place
            baru = path.with_name("baru.xlsx")
            state["book"].save_to(baru)
            baru.replace(path)
            state["book"] = open_book(path, request.param)
        return state["book"]

    return ambil


nilai_sel = st.one_of(st.none(), st.integers(-10**9, 10**9), st.floats(-1e9, 1e9, allow_nan=False),
                      st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                              max_size=20))


def _seperti_dibaca(v: Any) -> Any:
    """What every engine gives back for a written value once saved (openpyxl's reading rules)."""
    if isinstance(v, str):
        return tanpa_karakter_ilegal(v) or None
    if isinstance(v, float):  # a cell holds 16 significant digits
        v = float(f"{v:.16g}")
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    return v


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blok=st.lists(st.lists(nilai_sel, min_size=3, max_size=3), min_size=1, max_size=4))
def test_a_written_block_reads_back_the_same_on_every_engine(buku, blok) -> None:  # type: ignore[no-untyped-def]
    buku().write("Rekap", 5, 2, blok)
    book = buku(simpan=True)
    harap = [[_seperti_dibaca(v) for v in b] for b in blok]
    assert book.read("Rekap", 5, 2, 3, len(blok)) == harap


def test_reads_after_a_save_give_what_was_written(buku) -> None:  # type: ignore[no-untyped-def]
    book = buku()
    book.write("Log", 5, 1, [[1, "2026-10-05 08:00:00", "=> teks", None, "5", "aksi", "rincian"]])
    if not isinstance(book, MemoryBook):
        book = buku(simpan=True)
    assert book.read("Log", 5, 1, 7, 1) == [[1, "2026-10-05 08:00:00", "=> teks", None, "5", "aksi", "rincian"]]
    assert book.last_row("Log") >= 5


def test_an_unknown_sheet_is_named(buku) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError, match="Tidak Ada"):
        buku().read("Tidak Ada", 1, 1, 1, 1)


def test_capabilities_are_declared_not_probed(buku) -> None:  # type: ignore[no-untyped-def]
    book = buku()
    if LAYOUT in book.capabilities:
        assert book.worksheet("Dokumen").title == "Dokumen"
    else:
        with pytest.raises(NotImplementedError):
            book.worksheet("Dokumen")


def test_sheet_names_in_workbook_order(buku) -> None:  # type: ignore[no-untyped-def]
    nama = buku().sheet_names()
    assert nama[:3] == ["Panduan", "Konfigurasi", "SOP"] and "Log" in nama


# ---- rules on the in-memory book: no file, no LibreOffice, milliseconds each -------------------------------

WAKTU = datetime(2026, 10, 5, 8, 0)


def _jalankan(uow: MemoryUnitOfWork, fungsi: Callable[..., Any], sebagai: str = "kasubag",
              waktu: datetime = WAKTU) -> Any:
    hasil = eksekusi(uow, fungsi, sebagai=sebagai, waktu=waktu, info=lambda _: None)
    uow.commit()
    return hasil


def test_step_order_and_log_chain_on_the_memory_book(_buku_memori: MemoryBook) -> None:
    uow = MemoryUnitOfWork(_buku_memori.copy())
    skema = muat_skema()
    with pytest.raises(LangkahDitolak, match="evkin disposisi"):  # the next step is named with its command
        _jalankan(uow, lambda b, k: catat_rapat(b, k, None, {"PEM": "Andi"}, "Sepakat"))
    _jalankan(uow, lambda b, k: catat_disposisi(b, k, "005/1", None, None, "Susun evaluasi"))
    status = {s.no: s.status for s in baca_status(uow.book, skema)}
    assert status[1] == "Selesai" and status[2] == "Belum"
    assert verifikasi_log(uow.book, skema) == []
    # an edited Log row is found on the same book
    tabel = skema.tabel("log")
    baris = read_table(uow.book, tabel)
    baris[-1]["rincian"] = "diubah"
    write_table(uow.book, tabel, baris)
    assert verifikasi_log(uow.book, skema)


def test_a_role_that_is_not_the_steps_pelaksana_is_refused(_buku_memori: MemoryBook) -> None:
    uow = MemoryUnitOfWork(_buku_memori.copy())
    with pytest.raises(LangkahDitolak, match="tidak berwenang"):
        _jalankan(uow, lambda b, k: catat_disposisi(b, k, "1", None, None, "x"), sebagai="kasi_pem")
    assert uow.commits == 0 and uow.book.writes == 0  # refused before anything was written
