"""Predikat bands as data, and the K and Rp grading of the Analisis summary, against a reference computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macros_py.domain.capaian import TOTAL_UNIT, analisa_indikator, ringkasan
from macros_py.domain.predikat import (
    KRITERIA_BAKU,
    KriteriaPredikat,
    baca_kriteria,
    kunci_predikat,
    predikat,
    rata_rata,
)

LKJIP = KriteriaPredikat(((90.0, "Sangat Baik"), (75.0, "Baik"), (65.0, "Cukup"), (50.0, "Kurang")), "Sangat Kurang")
CAPAIAN = st.floats(min_value=0, max_value=300, allow_nan=False, allow_infinity=False)
NILAI = st.one_of(st.none(), CAPAIAN, st.integers(min_value=0, max_value=250))


@st.composite
def kriteria(draw: st.DrawFn) -> KriteriaPredikat:
    """Any office's table: 1 to 6 strictly decreasing bounds (x.5 edges included) and distinct names."""
    batas = draw(st.lists(st.integers(min_value=1, max_value=2000), min_size=1, max_size=6, unique=True))
    nama = draw(st.lists(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4), min_size=len(batas) + 1,
                         max_size=len(batas) + 1, unique_by=str.casefold))
    return KriteriaPredikat(tuple((b / 10, n) for b, n in zip(sorted(batas, reverse=True), nama, strict=False)),
                            nama[-1])


def _rata_acuan(nilai: list[Any]) -> float | None:
    """Reference: each figure as written in decimal, decimal arithmetic at 80 digits, ROUND(...; 2) half up."""
    terisi = [Decimal(str(x)) for x in nilai if x is not None]
    if not terisi:
        return None
    with localcontext() as ctx:
        ctx.prec = 80
        rata = sum(terisi) / len(terisi)
        return float(rata.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _predikat_acuan(c: float | None, k: KriteriaPredikat) -> str | None:
    """Reference: walk the bands from the top, written out independently of the implementation."""
    if c is None:
        return None
    nama = k.terendah
    for bawah, n in reversed(k.batas):  # from the lowest band up: the last band reached wins
        if Decimal(str(c)) >= Decimal(str(bawah)):
            nama = n
    return nama


def test_kriteria_baku_is_permendagri_86() -> None:
    assert KRITERIA_BAKU.label == ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
    assert KRITERIA_BAKU.kunci == ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")
    assert KRITERIA_BAKU.teks() == (">= 91 Sangat Tinggi; 76 s.d. < 91 Tinggi; 66 s.d. < 76 Sedang; "
                                    "51 s.d. < 66 Rendah; < 51 Sangat Rendah")


@pytest.mark.parametrize(("nilai", "harapan"), [
    (90.0, "Sangat Baik"), (89.99, "Baik"), (75, "Baik"), (74.99, "Cukup"), (65, "Cukup"), (50, "Kurang"),
    (49.99, "Sangat Kurang"), (0, "Sangat Kurang"), (180, "Sangat Baik"), (None, None), (float("nan"), None),
])
def test_other_office_words_and_edges(nilai: float | None, harapan: str | None) -> None:
    assert predikat(nilai, LKJIP) == harapan


def test_analysis_uses_the_office_kriteria() -> None:
    row = {"bidang": "PEM", "polaritas": "Naik", "cara_hitung": "Akumulasi", "target_k": 100, "tw1_k": 80,
           "pagu_rp": 1000, "tw1_rp": 950}
    assert analisa_indikator(row, "TW1")["predikat"] == "Tinggi"
    assert analisa_indikator(row, "TW1", LKJIP)["predikat"] == "Baik"
    _, total = ringkasan([dict(row, capaian_kinerja=80.0, capaian_anggaran=95.0)], LKJIP)
    assert total["bidang"] == TOTAL_UNIT
    assert (total["predikat"], total["predikat_anggaran"]) == ("Baik", "Sangat Baik")
    assert {k: total[k] for k in LKJIP.kunci} == {"sangat_baik": 0, "baik": 1, "cukup": 0, "kurang": 0,
                                                   "sangat_kurang": 0}


@given(kriteria(), st.lists(st.fixed_dictionaries({"bidang": st.sampled_from(["A", "B", "C"]),
                                                   "capaian_kinerja": NILAI, "capaian_anggaran": NILAI}),
                            max_size=40))
def test_k_and_rp_rata_rata_and_predikat_exact(k: KriteriaPredikat, rows: list[dict[str, Any]]) -> None:
    hasil = ringkasan(rows, k)
    kelompok = {b: [r for r in rows if r["bidang"] == b] for b in dict.fromkeys(r["bidang"] for r in rows)}
    kelompok[TOTAL_UNIT] = rows
    assert [h["bidang"] for h in hasil] == list(kelompok)
    for h in hasil:
        isi = kelompok[h["bidang"]]
        rata_k = _rata_acuan([r["capaian_kinerja"] for r in isi])
        rata_rp = _rata_acuan([r["capaian_anggaran"] for r in isi])
        assert h["rata_capaian_kinerja"] == rata_k
        assert h["rata_capaian_anggaran"] == rata_rp
        assert h["predikat"] == _predikat_acuan(rata_k, k)
        assert h["predikat_anggaran"] == _predikat_acuan(rata_rp, k)
        for nama, kunci in zip(k.label, k.kunci, strict=True):
            assert h[kunci] == sum(_predikat_acuan(r["capaian_kinerja"], k) == nama for r in isi)
        assert h["tanpa_nilai"] == sum(r["capaian_kinerja"] is None for r in isi)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_rata_rata_rounds_half_away_from_zero(sen: list[int]) -> None:
    """Ties at x.xx5 occur for exact inputs: cents and half cents of a percent."""
    nilai = [x / 200 for x in sen]  # x.xx5 ties are frequent
    assert rata_rata(nilai) == _rata_acuan(nilai)
    assert rata_rata([0.125, 0.125]) == 0.13 and rata_rata([90.995]) == _rata_acuan([90.995])


def test_edge_of_a_band_is_decided_on_the_exact_mean() -> None:
    """(90.99 + 91.0) / 2 = 90.995 -> 91.00 shown, so Sangat Tinggi; float arithmetic gives 90.99 (Tinggi)."""
    assert rata_rata([90.99, 91.0]) == 91.0
    total = ringkasan([{"bidang": "A", "capaian_kinerja": 90.99, "capaian_anggaran": 90.99},
                       {"bidang": "A", "capaian_kinerja": 91.0, "capaian_anggaran": 90.99}])[-1]
    assert (total["predikat"], total["predikat_anggaran"]) == ("Sangat Tinggi", "Tinggi")


@given(kriteria(), CAPAIAN, CAPAIAN)
def test_predikat_monotone_for_any_kriteria(k: KriteriaPredikat, a: float, b: float) -> None:
    kecil, besar = sorted((a, b))
    assert k.label.index(k.predikat(kecil)) >= k.label.index(k.predikat(besar))


# --- the Konfigurasi table ----------------------------------------------------------------------------------


def test_read_the_konfigurasi_table() -> None:
    hasil, masalah = baca_kriteria([(91, "Sangat Tinggi"), ("76", "Tinggi"), ("65,5", "Sedang"), ("≥ 51", "Rendah"),
                                    (None, "Sangat Rendah"), (None, None)])
    assert masalah == []
    assert hasil == KriteriaPredikat(((91, "Sangat Tinggi"), (76, "Tinggi"), (65.5, "Sedang"), (51, "Rendah")),
                                     "Sangat Rendah")
    assert baca_kriteria([]) == (None, [])


@pytest.mark.parametrize(("baris", "ke", "kata"), [
    ([(91, "A"), (95, "B"), (None, "C")], 0, "menurun"),
    ([(91, "A"), (None, "B"), (None, "C")], 1, "hanya baris terakhir"),
    ([(91, "A"), (51, "B")], 1, "predikat terendah"),
    ([(91, "A"), ("sembilan", "B"), (None, "C")], 1, "bukan angka"),
    ([(91, "A"), (76, ""), (None, "C")], 1, "nama predikat kosong"),
    ([(91, "Baik"), (76, "baik"), (None, "C")], 0, "berbeda"),
    ([(91, "Predikat"), (None, "C")], 0, "tidak boleh"),
    ([(None, "A")], 0, "dua baris"),
])
def test_a_broken_table_names_the_row(baris: list[tuple[object, object]], ke: int, kata: str) -> None:
    hasil, masalah = baca_kriteria(baris)
    assert hasil is None
    assert any(i == ke and kata in pesan for i, pesan in masalah), masalah


def test_kunci() -> None:
    assert kunci_predikat("Sangat Baik") == "sangat_baik"
    assert kunci_predikat(" A / B ") == "a_b"
    with pytest.raises(ValueError, match="menurun"):
        KriteriaPredikat(((50.0, "A"), (60.0, "B")), "C")
