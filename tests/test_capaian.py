"""Tests of macros_py.domain.capaian: properties of the capaian rules plus worked examples."""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from macros_py.domain import capaian as cp
from macros_py.domain.capaian import (
    TOTAL_UNIT,
    TRIWULAN_PERIODE,
    analisa_indikator,
    capaian_anggaran,
    capaian_kinerja,
    predikat,
    realisasi_renstra,
    realisasi_tahunan,
    ringkasan,
)

ANGKA = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
TARGET = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
CAPAIAN = st.floats(min_value=-50, max_value=500, allow_nan=False, allow_infinity=False)
TW = st.lists(st.one_of(st.none(), ANGKA), min_size=0, max_size=4)
POLARITAS = st.sampled_from(["Naik", "Turun"])
URUTAN_PREDIKAT = ["Sangat Rendah", "Rendah", "Sedang", "Tinggi", "Sangat Tinggi"]
KUNCI_HITUNG = ["sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah", "tanpa_nilai"]


def baris(**isi: Any) -> dict[str, Any]:
    """A Bidang row with a sane default indicator (Naik, Akumulasi, target 100, pagu 1000)."""
    row: dict[str, Any] = {
        "no": 1,
        "indikator": "Jumlah desa yang dibina",
        "satuan": "desa",
        "polaritas": "Naik",
        "cara_hitung": "Akumulasi",
        "target_renstra_k": None,
        "target_renstra_rp": None,
        "realisasi_renstra_lalu_k": None,
        "realisasi_renstra_lalu_rp": None,
        "target_k": 100,
        "pagu_rp": 1000,
    }
    for i in range(1, 5):
        row[f"tw{i}_k"] = None
        row[f"tw{i}_rp"] = None
    row.update(isi)
    return row


# --- TRIWULAN_PERIODE ---------------------------------------------------------------------------------


def test_triwulan_periode():
    assert TRIWULAN_PERIODE == {"TW1": 1, "TW2": 2, "TW3": 3, "TW4": 4, "S1": 2, "S2": 4, "TAHUNAN": 4}


def test_periode_tidak_dikenal():
    with pytest.raises(ValueError, match="Periode"):
        analisa_indikator(baris(), "TW5")


# --- realisasi_tahunan ----------------------------------------------------------------------------------


@given(TW)
def test_akumulasi_sama_dengan_jumlah(nilai):
    terisi = [v for v in nilai if v is not None]
    hasil = realisasi_tahunan("Akumulasi", nilai)
    if not terisi:
        assert hasil is None
    else:
        assert hasil is not None
        assert math.isclose(hasil, sum(terisi), rel_tol=1e-9, abs_tol=1e-9)


@given(TW)
def test_nilai_akhir_sama_dengan_terakhir_terisi(nilai):
    terisi = [v for v in nilai if v is not None]
    assert realisasi_tahunan("Nilai Akhir", nilai) == (terisi[-1] if terisi else None)


@given(TW)
def test_rata_rata_sama_dengan_mean(nilai):
    terisi = [v for v in nilai if v is not None]
    hasil = realisasi_tahunan("Rata-rata", nilai)
    if not terisi:
        assert hasil is None
    else:
        assert hasil is not None
        assert math.isclose(hasil, statistics.mean(terisi), rel_tol=1e-9, abs_tol=1e-9)


def test_realisasi_contoh():
    tw = [10, None, 30, None]
    assert realisasi_tahunan("Akumulasi", tw) == 40
    assert realisasi_tahunan("Nilai Akhir", tw) == 30
    assert realisasi_tahunan("Rata-rata", tw) == 20
    assert realisasi_tahunan("nilai  akhir", [1, 2]) == 2  # typed by hand
    assert realisasi_tahunan("Akumulasi", [float("nan"), 5]) == 5
    with pytest.raises(ValueError, match="Cara hitung"):
        realisasi_tahunan("Median", [1])


# --- capaian_kinerja --------------------------------------------------------------------------------------


@given(TARGET, POLARITAS)
def test_realisasi_sama_target_seratus(target, polaritas):
    assert capaian_kinerja(target, target, polaritas) == 100.0


@given(TARGET, st.floats(min_value=0, max_value=1e5, allow_nan=False), st.integers(min_value=2, max_value=10))
def test_naik_linear_terhadap_realisasi(target, realisasi, k):
    satu = capaian_kinerja(target, realisasi, "Naik")
    banyak = capaian_kinerja(target, k * realisasi, "Naik")
    assert satu is not None and banyak is not None
    assert math.isclose(satu, round(realisasi / target * 100, 2), abs_tol=1e-6, rel_tol=1e-9)
    # Both are rounded to 2 decimals, so k*satu may differ from banyak by k*0.005 + 0.005.
    assert math.isclose(banyak, k * satu, abs_tol=(k + 1) * 0.005 + 1e-6, rel_tol=1e-9)


@given(TARGET, ANGKA)
def test_turun_rumus_dan_batas(target, realisasi):
    hasil = capaian_kinerja(target, realisasi, "Turun")
    harapan = min(200.0, max(0.0, (2 * target - realisasi) / target * 100))
    assert hasil is not None
    assert math.isclose(hasil, round(harapan, 2), abs_tol=1e-6)
    assert 0 <= hasil <= 200


@given(TARGET, ANGKA)
def test_naik_turun_cermin(target, realisasi):
    """Around 100, Turun mirrors Naik: naik(R) - 100 == 100 - turun(R) while turun is not clamped."""
    assume(realisasi <= 2 * target)
    naik = capaian_kinerja(target, realisasi, "Naik")
    turun = capaian_kinerja(target, realisasi, "Turun")
    assert naik is not None and turun is not None
    assert math.isclose(naik - 100, 100 - turun, abs_tol=0.011)


@given(TARGET, ANGKA, ANGKA, POLARITAS)
def test_capaian_monoton_menurut_polaritas(target, r1, r2, polaritas):
    kecil, besar = sorted((r1, r2))
    c_kecil = capaian_kinerja(target, kecil, polaritas)
    c_besar = capaian_kinerja(target, besar, polaritas)
    assert c_kecil is not None and c_besar is not None
    if polaritas == "Naik":
        assert c_kecil <= c_besar
    else:
        assert c_kecil >= c_besar


@given(st.floats(min_value=0.001, max_value=1e9, allow_nan=False))
def test_target_nol(realisasi):
    assert capaian_kinerja(0, realisasi, "Naik") == 100.0
    assert capaian_kinerja(0, realisasi, "Turun") == 0.0


def test_target_nol_realisasi_nol():
    assert capaian_kinerja(0, 0, "Naik") is None
    assert capaian_kinerja(0, 0, "Turun") == 100.0
    assert capaian_kinerja(0.0, 0.0, "turun") == 100.0


@given(st.one_of(st.none(), ANGKA), st.one_of(st.none(), ANGKA), POLARITAS)
def test_nilai_kosong_tidak_dinilai(target, realisasi, polaritas):
    assume(target is None or realisasi is None)
    assert capaian_kinerja(target, realisasi, polaritas) is None


def test_capaian_contoh():
    assert capaian_kinerja(80, 60, "Naik") == 75.0
    assert capaian_kinerja(3, 2, "Naik") == 66.67
    assert capaian_kinerja(10, 12, "Turun") == 80.0
    assert capaian_kinerja(10, 25, "Turun") == 0.0  # floored, not -50
    assert capaian_kinerja(10, -5, "Turun") == 200.0  # capped
    assert capaian_kinerja(10, -5, "Naik") == 0.0  # never negative
    assert capaian_kinerja(-5, 3, "Naik") is None  # negative target is not assessable
    assert capaian_kinerja(10, 30, "Naik") == 300.0  # no cap above 100
    with pytest.raises(ValueError, match="Polaritas"):
        capaian_kinerja(10, 5, "Tetap")


# --- capaian_anggaran -------------------------------------------------------------------------------------


def test_capaian_anggaran():
    assert capaian_anggaran(750_000, 1_000_000) == 75.0
    assert capaian_anggaran(1_200, 1_000) == 120.0
    assert capaian_anggaran(1, 3) == 33.33
    assert capaian_anggaran(100, 0) is None
    assert capaian_anggaran(100, None) is None
    assert capaian_anggaran(100, -5) is None
    assert capaian_anggaran(None, 100) is None


# --- predikat ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nilai", "harapan"),
    [
        (0, "Sangat Rendah"),
        (50.99, "Sangat Rendah"),
        (51, "Rendah"),
        (65.99, "Rendah"),
        (66, "Sedang"),
        (75.99, "Sedang"),
        (76, "Tinggi"),
        (90.99, "Tinggi"),
        (91, "Sangat Tinggi"),
        (100, "Sangat Tinggi"),
        (250, "Sangat Tinggi"),
        (None, None),
    ],
)
def test_predikat_batas(nilai, harapan):
    assert predikat(nilai) == harapan


@given(CAPAIAN)
def test_predikat_sesuai_pita(nilai):
    if nilai >= 91:
        harapan = "Sangat Tinggi"
    elif nilai >= 76:
        harapan = "Tinggi"
    elif nilai >= 66:
        harapan = "Sedang"
    elif nilai >= 51:
        harapan = "Rendah"
    else:
        harapan = "Sangat Rendah"
    assert predikat(nilai) == harapan


@given(CAPAIAN, CAPAIAN)
def test_predikat_monoton(a, b):
    kecil, besar = sorted((a, b))
    assert URUTAN_PREDIKAT.index(predikat(kecil)) <= URUTAN_PREDIKAT.index(predikat(besar))


# --- realisasi_renstra ------------------------------------------------------------------------------------


def test_realisasi_renstra():
    assert realisasi_renstra(40, 25) == 65
    assert realisasi_renstra(None, 25) == 25
    assert realisasi_renstra(40, None) == 40
    assert realisasi_renstra(None, None) is None
    assert realisasi_renstra(80, 85, "Nilai Akhir") == 85  # a percentage is not summed over years
    assert realisasi_renstra(80, None, "Rata-rata") == 80


# --- analisa_indikator ------------------------------------------------------------------------------------


def test_analisa_hanya_triwulan_dalam_periode():
    row = baris(tw1_k=10, tw2_k=20, tw3_k=30, tw4_k=40, tw1_rp=100, tw2_rp=100, tw3_rp=100, tw4_rp=100)
    tw2 = analisa_indikator(row, "TW2")
    assert tw2["realisasi_k"] == 30
    assert tw2["realisasi_rp"] == 200
    assert tw2["capaian_kinerja"] == 30.0
    assert tw2["capaian_anggaran"] == 20.0
    assert tw2["predikat"] == "Sangat Rendah"
    assert tw2["anomali"] == ""
    assert analisa_indikator(row, "S1")["realisasi_k"] == 30
    assert analisa_indikator(row, "TW3")["realisasi_k"] == 60
    tahunan = analisa_indikator(row, "Tahunan")
    assert tahunan["realisasi_k"] == 100
    assert tahunan["capaian_kinerja"] == 100.0
    assert tahunan["predikat"] == "Sangat Tinggi"


def test_analisa_renstra():
    row = baris(
        tw1_k=10, tw2_k=10, tw1_rp=300, tw2_rp=200,
        target_renstra_k=200, realisasi_renstra_lalu_k=80,
        target_renstra_rp=5000, realisasi_renstra_lalu_rp=2000,
    )  # fmt: skip
    hasil = analisa_indikator(row, "S1")
    assert hasil["realisasi_renstra_k"] == 100
    assert hasil["realisasi_renstra_rp"] == 2500
    assert hasil["capaian_renstra_k"] == 50.0
    assert hasil["capaian_renstra_rp"] == 50.0
    tanpa_target = analisa_indikator(baris(tw1_k=5, realisasi_renstra_lalu_k=3, target_renstra_k=0), "TW1")
    assert tanpa_target["realisasi_renstra_k"] == 8
    assert tanpa_target["capaian_renstra_k"] is None
    assert tanpa_target["capaian_renstra_rp"] is None


def test_analisa_renstra_turun_pakai_polaritas():
    row = baris(polaritas="Turun", tw1_k=2, target_k=5, target_renstra_k=10, realisasi_renstra_lalu_k=3)
    hasil = analisa_indikator(row, "TW1")
    assert hasil["capaian_kinerja"] == 160.0
    assert hasil["realisasi_renstra_k"] == 5
    assert hasil["capaian_renstra_k"] == 150.0


def test_analisa_nilai_akhir_dan_rata_rata():
    row = baris(cara_hitung="Nilai Akhir", target_k=80, tw1_k=70, tw3_k=84, tw1_rp=1, tw2_rp=1, tw3_rp=1)
    hasil = analisa_indikator(row, "TW3")
    assert hasil["realisasi_k"] == 84
    assert hasil["capaian_kinerja"] == 105.0
    assert hasil["anomali"] == "Realisasi TW II belum diisi"
    rata = analisa_indikator(baris(cara_hitung="Rata-rata", target_k=4, tw1_k=3, tw2_k=5), "TW2")
    assert rata["realisasi_k"] == 4
    assert rata["capaian_kinerja"] == 100.0


def test_anomali_realisasi_jauh_di_atas_target():
    hasil = analisa_indikator(baris(tw1_k=180, tw1_rp=1), "TW1")
    assert hasil["capaian_kinerja"] == 180.0
    assert hasil["predikat"] == "Sangat Tinggi"
    assert hasil["anomali"] == "Realisasi jauh di atas target (capaian 180%) — periksa target/realisasi"
    pas = analisa_indikator(baris(tw1_k=150), "TW1")
    assert "jauh di atas" not in pas["anomali"]
    turun = analisa_indikator(baris(polaritas="Turun", tw1_k=0), "TW1")
    assert turun["capaian_kinerja"] == 200.0
    assert "jauh di atas" not in turun["anomali"]


def test_anomali_anggaran_melebihi_pagu():
    hasil = analisa_indikator(baris(tw1_k=10, tw1_rp=1500), "TW1")
    assert hasil["capaian_anggaran"] == 150.0
    assert hasil["anomali"] == "Realisasi anggaran melebihi pagu"
    tanpa_pagu = analisa_indikator(baris(tw1_k=10, tw1_rp=1500, pagu_rp=None), "TW1")
    assert tanpa_pagu["capaian_anggaran"] is None
    assert tanpa_pagu["anomali"] == "Ada realisasi anggaran tetapi pagu kosong/0"


def test_anomali_triwulan_kosong():
    celah = analisa_indikator(baris(tw1_k=5, tw3_k=5, tw1_rp=1, tw2_rp=1, tw3_rp=1), "TW3")
    assert celah["anomali"] == "Realisasi TW II belum diisi"
    kosong = analisa_indikator(baris(), "TW2")
    assert kosong["realisasi_k"] is None
    assert kosong["capaian_kinerja"] is None
    assert kosong["predikat"] is None
    assert kosong["anomali"] == (
        "Realisasi TW I, TW II belum diisi; Realisasi anggaran TW I, TW II belum diisi"
    )
    # TW IV lies outside TW3, so its absence is not a problem.
    lengkap = analisa_indikator(baris(tw1_k=1, tw2_k=1, tw3_k=1, tw1_rp=1, tw2_rp=1, tw3_rp=1), "TW3")
    assert lengkap["anomali"] == ""


def test_anomali_target():
    kosong = analisa_indikator(baris(target_k=None, tw1_k=5, tw1_rp=1), "TW1")
    assert kosong["capaian_kinerja"] is None
    assert "Target kinerja kosong" in kosong["anomali"]
    nol = analisa_indikator(baris(target_k=0, tw1_k=5, tw1_rp=1), "TW1")
    assert nol["capaian_kinerja"] == 100.0
    assert "Target kinerja 0" in nol["anomali"]


def test_analisa_nilai_tidak_sah_tidak_menghentikan_rekap():
    hasil = analisa_indikator(baris(tw1_k="lima", tw1_rp=1), "TW1")
    assert hasil["realisasi_k"] is None
    assert "bukan angka" in hasil["anomali"]
    salah = analisa_indikator(baris(polaritas="Tetap", tw1_k=5, tw1_rp=1), "TW1")
    assert salah["capaian_kinerja"] is None
    assert "tidak dikenal" in salah["anomali"]
    kosong = analisa_indikator(baris(polaritas=None, cara_hitung="", tw1_k=5, tw1_rp=1), "TW1")
    assert kosong["capaian_kinerja"] == 5.0
    assert "Polaritas kosong — dianggap Naik" in kosong["anomali"]
    assert "Cara hitung kosong — dianggap Akumulasi" in kosong["anomali"]


@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=0, max_value=1e4, allow_nan=False)), min_size=4, max_size=4
    ),
    st.one_of(st.none(), st.floats(min_value=0, max_value=1e4, allow_nan=False)),
    POLARITAS,
    st.sampled_from(["Akumulasi", "Nilai Akhir", "Rata-rata"]),
    st.sampled_from(sorted(TRIWULAN_PERIODE)),
)
def test_analisa_konsisten_dengan_fungsi_dasar(tw, target, polaritas, cara, periode):
    row = baris(
        polaritas=polaritas,
        cara_hitung=cara,
        target_k=target,
        **{f"tw{i + 1}_k": v for i, v in enumerate(tw)},
    )
    hasil = analisa_indikator(row, periode)
    n = TRIWULAN_PERIODE[periode]
    assert hasil["realisasi_k"] == realisasi_tahunan(cara, tw[:n])
    assert hasil["capaian_kinerja"] == capaian_kinerja(target, hasil["realisasi_k"], polaritas)
    assert hasil["predikat"] == predikat(hasil["capaian_kinerja"])
    assert isinstance(hasil["anomali"], str)


# --- ringkasan --------------------------------------------------------------------------------------------

REKAP = st.lists(
    st.fixed_dictionaries(
        {
            "bidang": st.sampled_from(["Pemerintahan", "Trantibum", "PMD", "Kesos"]),
            "capaian_kinerja": st.one_of(st.none(), st.floats(min_value=0, max_value=300, allow_nan=False)),
            "capaian_anggaran": st.one_of(st.none(), st.floats(min_value=0, max_value=150, allow_nan=False)),
        }
    ),
    max_size=30,
)


@given(REKAP)
def test_ringkasan_hitungan_sama_dengan_jumlah_indikator(rows):
    hasil = ringkasan(rows)
    for baris_ringkasan in hasil:
        assert sum(baris_ringkasan[k] for k in KUNCI_HITUNG) == baris_ringkasan["jumlah_indikator"]


@given(REKAP)
def test_ringkasan_total_sama_dengan_jumlah_bidang(rows):
    hasil = ringkasan(rows)
    *bidang, total = hasil
    assert total["bidang"] == TOTAL_UNIT
    assert [b["bidang"] for b in bidang] == list(dict.fromkeys(r["bidang"] for r in rows))
    for k in [*KUNCI_HITUNG, "jumlah_indikator"]:
        assert total[k] == sum(b[k] for b in bidang)
    assert total["jumlah_indikator"] == len(rows)


@given(REKAP)
def test_ringkasan_rata_rata(rows):
    total = ringkasan(rows)[-1]
    nilai = [r["capaian_kinerja"] for r in rows if r["capaian_kinerja"] is not None]
    if nilai:
        assert math.isclose(total["rata_capaian_kinerja"], round(statistics.mean(nilai), 2), abs_tol=0.0101)
        assert total["predikat"] == predikat(total["rata_capaian_kinerja"])
    else:
        assert total["rata_capaian_kinerja"] is None
        assert total["predikat"] is None


def test_ringkasan_contoh():
    rows = [
        {"bidang": "Pemerintahan", "capaian_kinerja": 100.0, "capaian_anggaran": 90.0},
        {"bidang": "Trantibum", "capaian_kinerja": 60.0, "capaian_anggaran": None},
        {"bidang": "Pemerintahan", "capaian_kinerja": 70.0, "capaian_anggaran": 80.0},
        {"bidang": "Pemerintahan", "capaian_kinerja": None, "capaian_anggaran": None},
        {"bidang": None, "capaian_kinerja": 40.0, "capaian_anggaran": None},
    ]
    pem, tran, tanpa, total = ringkasan(rows)
    assert pem == {
        "bidang": "Pemerintahan",
        "jumlah_indikator": 3,
        "rata_capaian_kinerja": 85.0,
        "rata_capaian_anggaran": 85.0,
        "predikat": "Tinggi",
        "predikat_anggaran": "Tinggi",
        "sangat_tinggi": 1,
        "tinggi": 0,
        "sedang": 1,
        "rendah": 0,
        "sangat_rendah": 0,
        "tanpa_nilai": 1,
    }
    assert tran["rata_capaian_anggaran"] is None
    assert tran["rendah"] == 1
    assert tanpa["bidang"] == cp.TANPA_BIDANG
    assert total["bidang"] == TOTAL_UNIT
    assert total["jumlah_indikator"] == 5
    assert total["rata_capaian_kinerja"] == 67.5
    assert total["predikat"] == "Sedang"


def test_ringkasan_kosong():
    assert ringkasan([]) == [
        {
            "bidang": TOTAL_UNIT,
            "jumlah_indikator": 0,
            "rata_capaian_kinerja": None,
            "rata_capaian_anggaran": None,
            "predikat": None,
            "predikat_anggaran": None,
            "sangat_tinggi": 0,
            "tinggi": 0,
            "sedang": 0,
            "rendah": 0,
            "sangat_rendah": 0,
            "tanpa_nilai": 0,
        }
    ]
