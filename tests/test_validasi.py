"""Property tests for the submission validator: any cell values end in accepted rows or named problems, and
the rules on what a bidang typed (percent, error values, merged cells, apostrophes, dates, empty files)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros_py.domain.validasi import Harapan, Kiriman, baca_identitas, huruf_kolom, nomor_kolom, validasi_lembar
from macros_py.domain.validasi_isian import (
    pecahan_persen,
    satuan_persen,
    serial_tanggal,
    tanpa_apostrof,
    titik_persen,
)
from macros_py.io.kiriman import KirimanSheet
from macros_py.schema import muat_skema

KOLOM = muat_skema().tabel("bidang").kolom
KUNCI = [k.key for k in KOLOM]
HARAPAN = Harapan(2026, "TW3", 1, {"PEM": "Seksi Pemerintahan"})
BARIS_DATA = 9  # the header is row 8 (seven rows of header block above it)
NILAI = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.datetimes(min_value=datetime(1900, 1, 1)), st.sampled_from(["Naik", "turun", "Rata rata",
                                                                                   "85,5", "Rp 1.250.000", "=1+1"]),
)
ANGKA = st.one_of(st.none(), st.integers(0, 10**9), st.floats(0, 1e9, allow_nan=False, allow_infinity=False))
TEKS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def _lembar(baris_data: list[list[object]]) -> list[list[object]]:
    kepala = [[None] * 3 for _ in range(7)]
    kepala[5][2] = "EVKIN-2026-TW3-PEM-v1"
    return [*kepala, [k.judul for k in KOLOM], *baris_data]


def _sel(key: str, r: int) -> str:
    return f"{huruf_kolom(KUNCI.index(key) + 1)}{r}"


def _kolom(key: str) -> int:
    return KUNCI.index(key) + 1


@st.composite
def baris_sah(draw: st.DrawFn, nomor: int) -> list[object]:
    """A row a careful bidang types: every required cell valid, numbers within the limits, free text."""
    nilai: dict[str, object] = {key: draw(ANGKA) for key in KUNCI if KOLOM[KUNCI.index(key)].tipe == "angka"}
    nilai.update({key: draw(TEKS) for key in KUNCI if KOLOM[KUNCI.index(key)].tipe == "teks"})
    nilai.update(no=nomor, indikator=f"Indikator {nomor} {draw(TEKS)}", satuan=draw(st.sampled_from(
        ["%", "desa", "dokumen", "indeks"])), polaritas=draw(st.sampled_from(["Naik", "Turun", " naik "])),
        cara_hitung=draw(st.sampled_from(["Akumulasi", "Nilai Akhir", "rata-rata"])),
        target_k=draw(st.floats(0, 1e6, allow_nan=False)))
    return [nilai[key] for key in KUNCI]


@st.composite
def baris_campur(draw: st.DrawFn) -> list[list[object]]:
    rows = []
    for i in range(draw(st.integers(0, 6))):
        rows.append(draw(baris_sah(i + 1)) if draw(st.booleans()) else
                    draw(st.lists(NILAI, min_size=len(KOLOM), max_size=len(KOLOM))))
    return rows


@settings(max_examples=150, deadline=None)
@given(baris_campur())
def test_any_cell_values_end_in_rows_or_named_problems(baris: list[list[object]]) -> None:
    k = validasi_lembar("kiriman.xlsx", "Seksi Pemerintahan", _lembar(baris), KOLOM, HARAPAN)
    assert k.diterima == (not k.galat)
    for m in k.galat:
        assert m.berkas == "kiriman.xlsx" and m.pesan
    if k.diterima:
        for d in k.baris:
            for kolom in KOLOM:
                v = d[kolom.key]
                if kolom.tipe in ("angka", "bulat") and v is not None:
                    assert isinstance(v, int | float) and math.isfinite(v) and v >= 0
            assert d["indikator"] and d["polaritas"] in ("Naik", "Turun")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(*(baris_sah(i + 1) for i in range(n)))))
def test_valid_rows_are_accepted_with_the_values_typed(baris: tuple[list[object], ...]) -> None:
    """The accepted branch of the property above, always taken: every value arrives as typed."""
    k = validasi_lembar("kiriman.xlsx", "Seksi Pemerintahan", _lembar(list(baris)), KOLOM, HARAPAN)
    assert k.diterima, k.galat
    assert len(k.baris) == len(baris) and k.baris_excel == list(range(BARIS_DATA, BARIS_DATA + len(baris)))
    for d, b in zip(k.baris, baris, strict=True):
        for kolom, v in zip(KOLOM, b, strict=True):
            if kolom.tipe == "angka":
                assert d[kolom.key] == v
        assert d["polaritas"] == str(b[KUNCI.index("polaritas")]).strip().capitalize()


@given(st.integers(1, 16384))
def test_column_letters_round_trip(n: int) -> None:
    assert nomor_kolom(huruf_kolom(n)) == n
    assert [huruf_kolom(k) for k in (1, 26, 27, 702, 703, 16384)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]


@given(st.text(max_size=60))
def test_identity_parser_never_raises(teks: str) -> None:
    hasil = baca_identitas(teks)
    assert hasil is None or (isinstance(hasil[0], int) and isinstance(hasil[3], int))


# ---- rules that need the reader's facts about the cells ------------------------------------------------


def _baris(**nilai: Any) -> list[object]:
    dasar: dict[str, Any] = {"no": 1, "indikator": "Persentase desa tertib administrasi", "satuan": "%",
                             "polaritas": "Naik", "cara_hitung": "Nilai Akhir", "target_k": 100, "tw3_k": 90}
    dasar.update(nilai)
    return [dasar.get(key) for key in KUNCI]


def _kiriman(baris: list[list[object]], harapan: Harapan = HARAPAN, **facts: Any) -> Kiriman:
    lembar = KirimanSheet("Seksi Pemerintahan", _lembar(baris), **facts)
    return validasi_lembar("kiriman.xlsx", lembar.nama, lembar.baris, KOLOM, harapan, facts=lembar)


def _pesan(masalah: list[Any], sel: str) -> str:
    return " | ".join(m.pesan for m in masalah if m.sel == sel)


def test_percent_formatted_cells_read_as_the_percent_points_seen() -> None:
    k = _kiriman([_baris(tw1_k=0.97, tw2_k=0.818, tw3_k=1.0, target_k=1)],
                 percent_cells={(9, _kolom("tw1_k")), (9, _kolom("tw2_k")), (9, _kolom("tw3_k")),
                                (9, _kolom("target_k")), (3, 3)})
    assert k.diterima, k.galat
    assert (k.baris[0]["tw1_k"], k.baris[0]["tw2_k"], k.baris[0]["tw3_k"], k.baris[0]["target_k"]) == (
        97.0, 81.8, 100.0, 100.0)
    assert "dibaca sebagai 97 (yang tampil: 97%)" in _pesan(k.peringatan, "P9")
    assert "0,818 dibaca sebagai 81,8" in _pesan(k.peringatan, "R9")


@pytest.mark.parametrize(
    ("satuan", "target", "nilai", "ditolak"),
    [
        ("%", 100, 0.97, True), ("persen", 95, 1, True), ("Persentase (%)", 100, 0.5, True),
        ("%", 0.5, 0.3, False),  # small percentages expected: 0,3 is 0,3 %
        ("%", 100, 0, False), ("%", 100, 1.5, False), ("%", 100, 97, False),
        ("indeks", 82, 0.83, True),  # an index typed as 83%
        ("rasio", 2, 0.8, False),  # a ratio below 1 is a ratio
        ("desa", 11, 1, False),  # one desa is a count
        ("desa", 11, 0.5, True), ("dokumen", 1200, 0.5, False),
    ],
)
def test_a_percent_typed_with_its_sign_is_refused_naming_the_cell(satuan: str, target: float, nilai: float,
                                                                  ditolak: bool) -> None:
    k = _kiriman([_baris(satuan=satuan, target_k=target, tw3_k=nilai)])
    pesan = _pesan(k.galat, "T9")
    assert bool(pesan) == ditolak, k.galat
    if ditolak:
        persen = f"{nilai * 100:g}".replace(".", ",")
        assert f"ketik {persen}, tanpa tanda %" in pesan and "Realisasi TW III (K)" in pesan


def test_without_facts_the_master_s_sheets_validate_as_before() -> None:
    baris = _lembar([_baris(tw3_k=0.97, faktor_pendorong="'=> tetap teks")])
    k = validasi_lembar("workbook induk", "Seksi Pemerintahan", baris, KOLOM, HARAPAN)
    assert k.diterima and k.baris[0]["tw3_k"] == 0.97
    kosong = validasi_lembar("workbook induk", "Seksi Pemerintahan", _lembar([_baris(tw3_k=None)]), KOLOM, HARAPAN)
    assert kosong.diterima  # no realisasi: only a submitted file is refused for it


SATUAN = st.sampled_from(["%", "persen", "Persentase (%)", "desa", "indeks", "rasio", "dokumen"])
TARGET = st.one_of(st.sampled_from([0, 0.5, 1, 2, 11, 82, 95, 100, 1200]), st.floats(0, 2000))
REALISASI = st.one_of(st.none(), st.sampled_from([0, 0.005, 0.5, 0.97, 1, 1.0, 2, 97]), st.floats(0, 1.0),
                      st.floats(0, 300))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SATUAN, TARGET, st.lists(st.tuples(REALISASI, st.booleans()), min_size=4, max_size=4)),
                min_size=1, max_size=4))
def test_no_value_silently_changes_meaning(rows: list[tuple[str, float, list[tuple[float | None, bool]]]]) -> None:
    """Each realisasi K value is kept as typed, or read as the percent points its percent format showed with
    a warning naming the cell, or the file is refused naming the cell; a percent indicator's fraction in
    (0, 1] without a percent format is always refused (the case of the issue)."""
    keys = ["tw1_k", "tw2_k", "tw3_k", "tw4_k"]
    baris = [_baris(**{"no": i + 1, "indikator": f"Indikator {i}", "satuan": s, "target_k": t,
                       **{key: v for key, (v, _) in zip(keys, tw, strict=True)}})
             for i, (s, t, tw) in enumerate(rows)]
    persen = {(BARIS_DATA + i, _kolom(key)) for i, (_, _, tw) in enumerate(rows)
              for key, (_, f) in zip(keys, tw, strict=True) if f}
    k = _kiriman(baris, percent_cells=persen)
    for i, (satuan, target, tw) in enumerate(rows):
        for key, (v, berformat) in zip(keys, tw, strict=True):
            r, sel = BARIS_DATA + i, _sel(key, BARIS_DATA + i)
            if v is None:
                continue
            ditolak = "tanpa tanda %" in _pesan(k.galat, sel)
            if berformat:
                assert "berformat persen" in _pesan(k.peringatan, sel) and not ditolak
                if k.diterima:
                    assert k.baris[i][key] == titik_persen(v)
                continue
            if satuan_persen(satuan) and target > 1 and 0 < v <= 1:
                assert ditolak
            if v == 0 or v > 1:
                assert not ditolak
            assert ditolak == pecahan_persen(satuan, target, v)
            if k.diterima:
                assert k.baris[i][key] == v and "berformat persen" not in _pesan(k.peringatan, sel)
                assert k.baris_excel[i] == r


@given(st.decimals(0, 10**6, places=6, allow_nan=False))
def test_percent_points_are_the_decimal_shift_of_what_was_typed(d: Decimal) -> None:
    assert titik_persen(float(d)) == float(d.scaleb(2))


def test_error_values_in_the_table_are_refused_naming_cell_and_error() -> None:
    k = _kiriman([_baris(), _baris(no=2, indikator="Lain")],
                 error_cells={(9, _kolom("tw2_k")): "#DIV/0!", (10, _kolom("faktor_pendorong")): "#VALUE!",
                              (10, 40): "#N/A", (6, 3): "#REF!"})  # beyond the schema / in the header block
    assert [(m.sel, m.pesan.split(":")[0]) for m in k.galat] == [("R9", "Realisasi TW II (K)"),
                                                                  ("X10", "Faktor Pendorong")]
    assert "#DIV/0!" in k.galat[0].pesan and "#VALUE!" in k.galat[1].pesan


def test_a_row_holding_only_error_values_is_still_refused() -> None:
    k = _kiriman([_baris(), [None] * len(KOLOM)], error_cells={(10, _kolom("tw3_k")): "#N/A"})
    assert [m.sel for m in k.galat] == ["T10"]


def test_merged_cells_in_the_table_are_refused_naming_the_range() -> None:
    k = _kiriman([_baris(), _baris(no=2, indikator="Lain")],
                 merged_ranges=[(1, 1, 1, 6), (9, 24, 10, 25), (12, 1, 12, 1), (9, 40, 12, 41)])
    assert [m.sel for m in k.galat] == ["X9:Y10", "A12"]
    assert "unmerge" in k.galat[0].pesan


@pytest.mark.parametrize(
    ("ketik", "dibaca"),
    [("'=> Pemadanan data", "=> Pemadanan data"), ("'+62 812", "+62 812"), ("'-tidak ada-", "-tidak ada-"),
     ("'@SUM(A1)", "@SUM(A1)"), ("'biasa", "'biasa"), ("'", "'"), ("''=x", "''=x"), ("=> tanpa", "=> tanpa")],
)
def test_a_leading_apostrophe_before_a_formula_sign_is_removed(ketik: str, dibaca: str) -> None:
    k = _kiriman([_baris(tindak_lanjut=ketik)])
    assert k.diterima and k.baris[0]["tindak_lanjut"] == dibaca


@given(st.text(max_size=20))
def test_apostrophe_rule_property(teks: str) -> None:
    hasil = tanpa_apostrof(teks)
    if teks[:1] == "'" and teks[1:2] in ("=", "+", "-", "@"):
        assert hasil == teks[1:]
    else:
        assert hasil == teks


@pytest.mark.parametrize(
    ("satuan", "cara", "target", "nilai", "tanggal"),
    [
        ("desa", "Akumulasi", 11, 46307, "12-10-2026"),
        ("desa", "Akumulasi", 11, 36526, "01-01-2000"),
        ("desa", "Akumulasi", 11, 36525, None),  # 31-12-1999: outside the range
        ("desa", "Akumulasi", 11, 46307.5, None),
        ("desa", "Nilai Akhir", 11, 46307, None),
        ("%", "Akumulasi", 100, 46307, None),
        ("indeks", "Akumulasi", 80, 46307, None),
        ("jiwa", "Akumulasi", 50000, 46307, None),  # below its target: a real count
    ],
)
def test_a_date_serial_in_a_count_gets_a_warning(satuan: str, cara: str, target: float, nilai: float,
                                                 tanggal: str | None) -> None:
    k = _kiriman([_baris(satuan=satuan, cara_hitung=cara, target_k=target, tw3_k=nilai)])
    assert k.diterima, k.galat
    pesan = _pesan(k.peringatan, "T9")
    assert ("tanggal" in pesan) == (tanggal is not None), pesan
    if tanggal:
        assert tanggal in pesan and "lebih dari 10x target" not in pesan


@given(st.integers(30000, 80000))
def test_date_serial_range_property(n: int) -> None:
    d = serial_tanggal(n)
    assert (d is not None) == (date(2000, 1, 1) <= date(1899, 12, 30) + timedelta(days=n) <= date(2100, 12, 31))
    assert d is None or d == date(1899, 12, 30) + timedelta(days=n)


@pytest.mark.parametrize(
    ("periode", "diisi", "ditolak"),
    [("TW3", {}, True), ("TW3", {"tw2_rp": 0}, False), ("TW3", {"tw4_k": 5}, True), ("TW1", {"tw2_k": 5}, True),
     ("TW1", {"tw1_k": 0}, False), ("S2", {"tw4_rp": 100}, False), ("TAHUNAN", {"tw4_k": 5}, False)],
)
def test_a_file_without_realisasi_for_the_period_is_refused(periode: str, diisi: dict[str, float],
                                                            ditolak: bool) -> None:
    harapan = Harapan(2026, periode, 1, {"PEM": "x"})
    lembar = _lembar([_baris(tw3_k=None, **diisi), _baris(no=2, indikator="Lain", tw3_k=None)])
    lembar[5][2] = f"EVKIN-2026-{periode}-PEM-v1"
    k = validasi_lembar("kiriman.xlsx", "Seksi Pemerintahan", lembar, KOLOM, harapan, facts=KirimanSheet("x", []))
    assert bool(k.galat) == ditolak, k.galat
    if ditolak:
        assert k.galat[0].sel == "P9:W10" if periode in ("S2", "TAHUNAN") else k.galat[0].sel.startswith("P9:")
        assert "belum ada realisasi" in k.galat[0].pesan and "TW I" in k.galat[0].pesan
