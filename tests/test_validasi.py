"""Property tests for the submission validator: any cell values end in accepted rows or named problems."""

from __future__ import annotations

import math
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from macros_py.domain.validasi import Harapan, baca_identitas, huruf_kolom, nomor_kolom, validasi_lembar
from macros_py.schema import muat_skema

KOLOM = muat_skema().tabel("bidang").kolom
HARAPAN = Harapan(2026, "TW3", 1, {"PEM": "Seksi Pemerintahan"})
NILAI = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.datetimes(min_value=datetime(1900, 1, 1)), st.sampled_from(["Naik", "turun", "Rata rata",
                                                                                   "85,5", "Rp 1.250.000", "=1+1"]),
)


def _lembar(baris_data: list[list[object]]) -> list[list[object]]:
    kepala = [[None] * 3 for _ in range(7)]
    kepala[5][2] = "EVKIN-2026-TW3-PEM-v1"
    return [*kepala, [k.judul for k in KOLOM], *baris_data]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(NILAI, min_size=len(KOLOM), max_size=len(KOLOM)), min_size=0, max_size=8))
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


@given(st.integers(1, 16384))
def test_column_letters_round_trip(n: int) -> None:
    assert nomor_kolom(huruf_kolom(n)) == n
    assert [huruf_kolom(k) for k in (1, 26, 27, 702, 703, 16384)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]


@given(st.text(max_size=60))
def test_identity_parser_never_raises(teks: str) -> None:
    hasil = baca_identitas(teks)
    assert hasil is None or (isinstance(hasil[0], int) and isinstance(hasil[3], int))
