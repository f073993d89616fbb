"""Issue 19, item 1: each Rekap row is written once, complete. `himpun` (step 5) writes a submitted row with its
analysis columns; `analisa` (step 6) computes nothing again for the Rekap `himpun` saved, and rewrites the
analysis columns only where the rules give other values now (bands changed, rows edited by hand). Real files and
the CLI as users run it; the rules' bookkeeping as a property on an in-memory book."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros_py.aksi import analisis
from macros_py.aksi.demo import data_contoh, isi_format
from macros_py.domain.capaian import analisa_indikator
from macros_py.domain.predikat import KRITERIA_BAKU, KriteriaPredikat
from macros_py.domain.referensi import sama
from macros_py.io.engines.fast import cache, xml_book
from macros_py.io.engines.fast.xml_book import _peta_sheet
from macros_py.io.engines.fast.zip_parts import raw_data
from macros_py.io.engines.memory_book import MemoryBook
from macros_py.io.unit_of_work import FileUnitOfWork
from macros_py.schema import muat_skema

SKEMA = muat_skema()
REKAP = SKEMA.tabel("rekap")
KOLOM = analisis.kolom_analisis(SKEMA)


def _cli(evkin, master: Path, waktu: str, *args: object) -> None:
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", waktu, *map(str, args))
    assert hasil.kode == 0, hasil.galat


def _kumpulkan(siap: dict[str, Path], master: Path, evkin) -> None:
    """Every bidang's sample data collected (step 5) and the step finished."""
    for kode, path in siap.items():
        isi_format(path, data_contoh()["isian"][kode], SKEMA)
    _cli(evkin, master, "2026-10-06T09:00", "himpun", next(iter(siap.values())).parent)
    _cli(evkin, master, "2026-10-06T10:00", "langkah", "selesai", "5")


def _rekap(master: Path) -> list[dict[str, Any]]:
    ws = load_workbook(master, read_only=True)["Rekap"]
    return [dict(zip(REKAP.keys, r, strict=False)) for r in ws.iter_rows(min_row=REKAP.baris_data, values_only=True)
            if r[0]]


def _segar(baris: dict[str, Any], kriteria: KriteriaPredikat = KRITERIA_BAKU) -> bool:
    """Whether a Rekap row's analysis columns are what the rules give for its values."""
    a = analisa_indikator(baris, "TW3", kriteria)
    return all(sama(baris[k], a[k]) for k in KOLOM)  # type: ignore[literal-required]


def _bagian_rekap(master: Path) -> tuple[str, bytes]:
    """Rekap's part and its bytes as stored in the zip (compressed)."""
    with zipfile.ZipFile(master) as z, master.open("rb") as f:
        bagian = _peta_sheet(z)[0]["Rekap"]
        return bagian, raw_data(f, z.getinfo(bagian))


@pytest.fixture
def _cache_kecil(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample master's Rekap is small: keep its values as a kabupaten's are kept."""
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    monkeypatch.setattr(cache, "SEL_MIN", 0)


def test_himpun_writes_each_rekap_row_with_its_analysis(siap, master: Path, evkin) -> None:
    _kumpulkan(siap, master, evkin)
    rekap = _rekap(master)
    assert len(rekap) == 12 and all(map(_segar, rekap))
    assert sum(r["capaian_kinerja"] is not None for r in rekap) >= 10  # the Kasubag sees capaian at step 5


def test_analisa_after_himpun_computes_nothing_and_copies_rekap(siap, master: Path, evkin, _cache_kecil,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _kumpulkan(siap, master, evkin)
    bagian, sebelum = _bagian_rekap(master)
    dihitung: list[object] = []
    monkeypatch.setattr(analisis, "analisa_indikator", lambda *a: dihitung.append(a) or analisa_indikator(*a))
    ditulis: list[str] = []
    teks_bagian = xml_book._teks_bagian  # a part is read as text only to be written again
    monkeypatch.setattr(xml_book, "_teks_bagian", lambda path, nama: ditulis.append(nama) or teks_bagian(path, nama))
    _cli(evkin, master, "2026-10-06T11:00", "analisa")
    with zipfile.ZipFile(master) as z:
        assert _peta_sheet(z)[0]["Analisis"] in ditulis  # the summary was written ...
    assert dihitung == [] and bagian not in ditulis and _bagian_rekap(master)[1] == sebelum  # ... Rekap was not
    analisis_ws = load_workbook(master, read_only=True)["Analisis"]
    total = [r for r in analisis_ws.iter_rows(min_row=5, values_only=True) if r[0] == "Total Unit"]
    assert total and total[0][1] == 12


def test_analisa_writes_the_analysis_again_when_the_bands_changed_after_himpun(
        siap, master: Path, evkin, _cache_kecil) -> None:
    _kumpulkan(siap, master, evkin)
    sebelum = _bagian_rekap(master)
    with FileUnitOfWork(master) as uow:  # the fast engine: only Konfigurasi changes, Rekap's bytes stay
        uow.book.write("Konfigurasi", 4, 19, [[99, "Istimewa"], [50, "Cukup"], [None, "Kurang"], [None, None],
                                              [None, None]])
        uow.commit()
    assert _bagian_rekap(master) == sebelum
    _cli(evkin, master, "2026-10-06T11:00", "analisa")
    kriteria = KriteriaPredikat(((99.0, "Istimewa"), (50.0, "Cukup")), "Kurang")
    rekap = _rekap(master)
    assert all(_segar(r, kriteria) for r in rekap)
    assert {r["predikat"] for r in rekap} <= {"Istimewa", "Cukup", "Kurang", None}
    log = [r[6] for r in load_workbook(master, read_only=True)["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert any("kolom analisis Rekap diperbarui di 12 baris" in str(x) for x in log)


def test_a_rekap_row_edited_by_hand_is_analysed_again_and_only_it_is_written(siap, master: Path, evkin,
                                                                           _cache_kecil) -> None:
    _kumpulkan(siap, master, evkin)
    wb = load_workbook(master)
    ws = wb["Rekap"]
    kolom_tw3 = REKAP.kolom_awal + REKAP.indeks("tw3_k")
    ws.cell(REKAP.baris_data + 3, kolom_tw3).value = 970  # what a person types in Excel
    wb.save(master)
    _cli(evkin, master, "2026-10-06T11:00", "analisa")
    rekap = _rekap(master)
    assert all(map(_segar, rekap))
    assert "Realisasi jauh di atas target" in rekap[3]["anomali"]
    log = [r[6] for r in load_workbook(master, read_only=True)["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert any("kolom analisis Rekap diperbarui di 1 baris" in str(x) for x in log)


def test_himpun_with_an_unusable_kriteria_table_collects_and_leaves_the_analysis_to_step_6(
        siap, master: Path, evkin) -> None:
    wb = load_workbook(master)
    wb["Konfigurasi"]["S5"] = 95  # bands must fall from the top
    wb.save(master)
    _kumpulkan(siap, master, evkin)
    rekap = _rekap(master)
    assert len(rekap) == 12 and all(r[k] is None for r in rekap for k in KOLOM)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", "2026-10-06T11:00", "analisa")
    assert hasil.kode == 3 and "Kriteria Predikat" in hasil.galat


# ---- the bookkeeping of `analisa`, on any rows ---------------------------------------------------------------

angka = st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False))
baris_rekap = st.fixed_dictionaries({
    "bidang": st.sampled_from(["Seksi Pemerintahan", "Sekretariat"]), "polaritas": st.sampled_from(["Naik", "Turun"]),
    "cara_hitung": st.sampled_from(["Akumulasi", "Nilai Akhir", "Rata-rata"]), "target_k": angka, "pagu_rp": angka,
    "tw1_k": angka, "tw2_k": angka, "tw3_k": angka, "tw1_rp": angka, "tw3_rp": angka, "indikator": st.just("I")})


@settings(max_examples=60, deadline=None)
@given(rekap=st.lists(baris_rekap, min_size=1, max_size=12), basi=st.sets(st.integers(0, 11)))
def test_only_rows_whose_analysis_is_stale_are_written_in_one_block(rekap: list[dict[str, Any]],
                                                                      basi: set[int]) -> None:
    baris = [[r.get(k) for k in REKAP.keys] for r in rekap]
    analisis.analisa_rekap(SKEMA, baris, ("TW3", KRITERIA_BAKU))
    awal = REKAP.indeks(KOLOM[0])
    basi = {i for i in basi if i < len(baris)}
    for i in basi:  # a stale analysis: computed before the row was edited
        baris[i][REKAP.indeks("tw3_k")] = (baris[i][REKAP.indeks("tw3_k")] or 0) + 7
    book = MemoryBook({REKAP.sheet: [[None]] * (REKAP.baris_data - 1) + [list(b) for b in baris]})
    dibaca = [b[: len(REKAP.keys)] for b in book.read(REKAP.sheet, REKAP.baris_data, 1, len(REKAP.keys))]
    n = analisis._perbarui_rekap(book, SKEMA, dibaca, "TW3", KRITERIA_BAKU)
    berubah = {i for i in range(len(baris)) if not all(map(sama, dibaca[i][awal:], baris[i][awal:]))}
    assert n == len(berubah) and berubah <= basi
    assert book.writes == (1 if berubah else 0)
    hasil = book.read(REKAP.sheet, REKAP.baris_data, 1, len(REKAP.keys), len(baris))
    assert all(_segar(dict(zip(REKAP.keys, b, strict=True))) for b in hasil)


def test_a_note_is_trusted_only_for_the_same_period_bands_and_rules() -> None:
    sidik = analisis.sidik_analisa(SKEMA, "TW3", KRITERIA_BAKU)
    assert sidik and sidik == analisis.sidik_analisa(SKEMA, "TW3", KRITERIA_BAKU)
    lain = KriteriaPredikat(((90.0, "Sangat Tinggi"), *KRITERIA_BAKU.batas[1:]), KRITERIA_BAKU.terendah)
    assert len({sidik, analisis.sidik_analisa(SKEMA, "TW2", KRITERIA_BAKU),
                analisis.sidik_analisa(SKEMA, "TW3", lain)}) == 3


def test_collecting_again_takes_the_validated_indicator_list_kept_by_the_first_collection(
        siap, master: Path, evkin, _cache_kecil, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19, item 4: the intake's comparison with Daftar Indikator does not validate the unchanged list
    again (the first intake kept it); a list edited since is validated again, and its mistakes refused."""
    from macros_py.aksi import daftar_indikator

    divalidasi: list[str] = []
    asli = daftar_indikator.validasi_lembar
    monkeypatch.setattr(daftar_indikator, "validasi_lembar", lambda *a, **k: divalidasi.append(a[1]) or asli(*a, **k))
    for kode, path in siap.items():
        isi_format(path, data_contoh()["isian"][kode], SKEMA)
    _cli(evkin, master, "2026-10-06T09:00", "himpun", next(iter(siap.values())).parent)
    _cli(evkin, master, "2026-10-06T10:30", "himpun", next(iter(siap.values())).parent)
    assert divalidasi == ["Daftar Indikator"]
    wb = load_workbook(master)
    tabel = SKEMA.tabel("indikator")
    wb["Daftar Indikator"].cell(tabel.baris_data, tabel.kolom_awal + tabel.indeks("polaritas")).value = "Miring"
    wb.save(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", "2026-10-06T10:40", "himpun",
                  next(iter(siap.values())).parent)
    assert divalidasi == ["Daftar Indikator"] * 2
    assert hasil.kode == 3 and "Daftar Indikator berisi kesalahan" in hasil.galat + hasil.keluar
