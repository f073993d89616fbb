"""Property tests for the comparisons an intake makes beyond the validator: a submission's reference cells
against Daftar Indikator (`domain.referensi`), and against the bidang's previous accepted submission
(`domain.kiriman_lalu`)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from macros_py.domain.cell_names import nama_sel
from macros_py.domain.kiriman_lalu import dikosongkan, identik
from macros_py.domain.referensi import bandingkan_daftar, sama, sama_semua, teks_nilai
from macros_py.schema import muat_skema

SKEMA = muat_skema()
KOLOM = SKEMA.tabel("bidang").kolom
KOLOM_EXCEL = {k.key: SKEMA.tabel("bidang").kolom_awal + i for i, k in enumerate(KOLOM)}
REFERENSI = [k for k in KOLOM if k.key in SKEMA.kolom_referensi]
ISIAN = [k for k in KOLOM if k.key not in SKEMA.kolom_referensi]
BARIS_DATA = 9
TEKS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12)
ANGKA = st.one_of(st.integers(0, 10**12), st.floats(0, 1e12, allow_nan=False, allow_infinity=False))


def _nilai(kolom: Any) -> st.SearchStrategy[Any]:
    if kolom.tipe in ("angka", "bulat"):
        return st.one_of(st.none(), ANGKA)
    return st.one_of(st.none(), TEKS)


@st.composite
def daftar_indikator(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A bidang's rows of Daftar Indikator: keys 1..n, distinct indicator names, any reference values."""
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(1, n + 1):
        d = {k.key: draw(_nilai(k)) for k in REFERENSI}
        d.update(no=i, indikator=f"Indikator {i} {draw(TEKS)}")
        rows.append(d)
    return rows


def _seperti_dikirim(nilai: Any) -> Any:
    """What a file re-saved by another program brings back: floats through a 15-digit text, text with extra
    spaces around and inside."""
    if isinstance(nilai, float):
        return float(f"{nilai:.15g}")
    if isinstance(nilai, str):
        return f"  {nilai.replace(' ', '  ')} "
    return nilai


@st.composite
def kiriman(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """(Daftar Indikator rows, the same rows as a file brings them back in any order, their sheet rows)."""
    daftar = draw(daftar_indikator())
    urutan = draw(st.permutations(range(len(daftar))))
    baris = [{k: _seperti_dikirim(v) for k, v in daftar[i].items()} for i in urutan]
    excel = sorted(draw(st.lists(st.integers(BARIS_DATA, BARIS_DATA + 200), min_size=len(baris),
                                 max_size=len(baris), unique=True)))
    return daftar, baris, excel


@settings(max_examples=200, deadline=None)
@given(kiriman())
def test_a_file_with_the_lists_values_in_any_order_has_no_findings(data: Any) -> None:
    daftar, baris, excel = data
    assert bandingkan_daftar(baris, excel, KOLOM_EXCEL, daftar, REFERENSI) == []


@settings(max_examples=200, deadline=None)
@given(kiriman(), st.data())
def test_one_changed_reference_cell_is_named_with_both_values(data: Any, pilih: st.DataObject) -> None:
    daftar, baris, excel = data
    i = pilih.draw(st.integers(0, len(baris) - 1))
    kolom = pilih.draw(st.sampled_from([k for k in REFERENSI if k.key != "no"]))
    lama = next(d for d in daftar if d["no"] == baris[i]["no"])[kolom.key]
    baru = pilih.draw(_nilai(kolom).filter(lambda v: not sama(v, lama)))
    baris[i] = dict(baris[i], **{kolom.key: baru})
    temuan = bandingkan_daftar(baris, excel, KOLOM_EXCEL, daftar, REFERENSI)
    assert len(temuan) == 1
    assert temuan[0].sel == nama_sel(excel[i], KOLOM_EXCEL[kolom.key])
    assert temuan[0].pesan.startswith(f"{kolom.judul} di Daftar Indikator {teks_nilai(lama)}, di berkas "
                                      f"{teks_nilai(baru)}")
    assert teks_nilai(lama) != teks_nilai(baru)  # the message always shows two different values


@settings(max_examples=150, deadline=None)
@given(kiriman(), st.data())
def test_a_missing_and_an_added_indicator_are_named(data: Any, pilih: st.DataObject) -> None:
    daftar, baris, excel = data
    i = pilih.draw(st.integers(0, len(baris) - 1))
    hilang = baris.pop(i)
    excel.pop(i)
    temuan = bandingkan_daftar(baris, excel, KOLOM_EXCEL, daftar, REFERENSI)
    assert [t.sel for t in temuan] == [""]
    assert " ".join(hilang["indikator"].split()) in temuan[0].pesan and "tidak ada di berkas" in temuan[0].pesan
    tambahan = dict(hilang, no=pilih.draw(st.one_of(st.none(), st.integers(len(daftar) + 1, 10**6))),
                    indikator="Indikator tambahan bidang")
    temuan = bandingkan_daftar([*baris, tambahan], [*excel, 500], KOLOM_EXCEL, daftar, REFERENSI)
    assert len(temuan) == 2
    assert temuan[0].sel == nama_sel(500, KOLOM_EXCEL["no"])
    assert "Indikator tambahan bidang" in temuan[0].pesan and "tidak ada di Daftar Indikator" in temuan[0].pesan


@settings(max_examples=100, deadline=None)
@given(kiriman())
def test_a_copied_row_is_refused_once(data: Any) -> None:
    daftar, baris, excel = data
    temuan = bandingkan_daftar([*baris, dict(baris[0])], [*excel, 999], KOLOM_EXCEL, daftar, REFERENSI)
    assert [t.sel for t in temuan] == [nama_sel(999, KOLOM_EXCEL["no"])]
    assert "sudah dipakai baris" in temuan[0].pesan


def test_cells_already_refused_are_not_reported_twice() -> None:
    daftar = [{"no": 1, "indikator": "A", "satuan": "Desa", "target_k": 95}]
    baris = [{"no": 1, "indikator": "A", "satuan": None, "target_k": 60}]
    sel_satuan = nama_sel(9, KOLOM_EXCEL["satuan"])
    temuan = bandingkan_daftar(baris, [9], KOLOM_EXCEL, daftar, REFERENSI, sudah={sel_satuan})
    assert [t.sel for t in temuan] == [nama_sel(9, KOLOM_EXCEL["target_k"])]
    assert temuan[0].pesan.startswith("Target Tahun Ini (K) di Daftar Indikator 95, di berkas 60 (indikator 'A'); "
                                      "perubahan Target Tahun Ini (K) dilakukan Kasubag di Daftar Indikator")


# ---- the previous accepted submission ---------------------------------------------------------------------

@st.composite
def dua_kiriman(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """(previous accepted rows, the rows sent now, their sheet rows): the same indicators, any input values."""
    daftar = draw(daftar_indikator())
    lama = [dict(d, **{k.key: draw(_nilai(k)) for k in ISIAN}) for d in daftar]
    baru = [dict(d, **{k.key: draw(_nilai(k)) for k in ISIAN}) for d in daftar]
    urutan = draw(st.permutations(range(len(baru))))
    return lama, [baru[i] for i in urutan], [BARIS_DATA + i for i in range(len(baru))]


@settings(max_examples=200, deadline=None)
@given(dua_kiriman())
def test_blanked_cells_are_exactly_the_input_cells_emptied(data: Any) -> None:
    lama, baru, excel = data
    sebelum = {(d["no"], d["indikator"]): d for d in lama}
    harapan = {nama_sel(r, KOLOM_EXCEL[k.key]) for d, r in zip(baru, excel, strict=True) for k in ISIAN
               if sebelum[(d["no"], d["indikator"])][k.key] is not None and d[k.key] is None}
    temuan = dikosongkan(baru, excel, KOLOM_EXCEL, lama, ISIAN, "06-10-2026 09:00")
    assert {t.sel for t in temuan} == harapan and len(temuan) == len(harapan)
    assert all("kiriman yang diterima 06-10-2026 09:00" in t.pesan for t in temuan)


@settings(max_examples=150, deadline=None)
@given(dua_kiriman())
def test_identical_means_same_indicators_and_values_in_any_order(data: Any) -> None:
    lama, baru, _ = data
    keys = [k.key for k in KOLOM]
    sama_isi = identik(baru, lama, keys)
    per = {(d["no"], d["indikator"]): d for d in lama}
    assert sama_isi == all(sama(per[(d["no"], d["indikator"])].get(k), d.get(k)) for d in baru for k in keys)
    assert identik([{k: _seperti_dikirim(v) for k, v in d.items()} for d in lama], lama, keys)
    assert not identik(lama[1:], lama, keys)


def test_rows_of_another_indicator_under_the_same_key_are_not_compared() -> None:
    lama = [{"no": 1, "indikator": "Jumlah desa", "tw1_k": 3}]
    baru = [{"no": 1, "indikator": "Jumlah dokumen", "tw1_k": None}]
    assert dikosongkan(baru, [9], KOLOM_EXCEL, lama, ISIAN, "kemarin") == []


NILAI_SEL = st.one_of(st.none(), st.booleans(), ANGKA, TEKS,
                      st.sampled_from([0, 1, 1.0, 0.0, float("nan"), "", " ", "1", "a b", "a  b"]))


@given(st.lists(st.tuples(NILAI_SEL, NILAI_SEL), max_size=8))
def test_whole_rows_compare_as_their_cells_do(pasangan: list[tuple[Any, Any]]) -> None:
    """The fast whole-row comparison (issue 19: the intake checks ride on values already read) says what the
    cell-by-cell rule says: TRUE is not 1, NaN is NaN, runs of white space are one space."""
    a, b = [x for x, _ in pasangan], [y for _, y in pasangan]
    assert sama_semua(a, b) == all(map(sama, a, b))
    assert sama_semua(a, a) and sama_semua(b, b)
    assert not sama_semua(a, [*a, None])
