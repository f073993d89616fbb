"""The "(contoh)" guard as a pure function over Konfigurasi values: every marked cell named, nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from macros_py.domain.konfigurasi import TabelKonfigurasi, huruf, sel_contoh

PENGATURAN = TabelKonfigurasi("Pengaturan", 4, 1, ("Kunci", "Nilai", "Keterangan"),
                              (("unit", "Kecamatan Mangkutana", "Nama unit"),
                               ("alamat", "(Contoh) Jl. Poros", "Alamat (contoh) kantor"),
                               ("tempat", None, "")), 0, (1,))
PEJABAT = TabelKonfigurasi("Pejabat dan Peran", 4, 5, ("Pengguna", "Nama", "NIP"),
                           (("camat", "ZULKIFLI ADI SAPUTRA, ST", "19840710 201001 1 026"),
                            ("sekcam", "(contoh) Nama Sekretaris", "(contoh) 1980")), 0, (0, 1, 2))


def test_every_marked_value_is_named_by_its_cell() -> None:
    temuan = sel_contoh([PENGATURAN, PEJABAT])
    assert [(s.sel, s.label, s.kolom) for s in temuan] == [("B5", "alamat", "Nilai"), ("F5", "sekcam", "Nama"),
                                                          ("G5", "sekcam", "NIP")]
    assert temuan[0].pesan("Konfigurasi") == ("Konfigurasi!B5 (Pengaturan, Nilai 'alamat'): masih contoh — "
                                              "'(Contoh) Jl. Poros'; ganti dengan nilai sebenarnya.")
    assert sel_contoh([]) == []  # the program's own text (Keterangan) is not checked: only the values users fill


def test_huruf() -> None:
    assert [huruf(k) for k in (1, 2, 26, 27, 52, 53, 702, 703)] == ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=12),
                                   st.sampled_from(["(contoh) x", "x (CONTOH)", "contoh"])),
                         min_size=3, max_size=3), max_size=8))
def test_found_exactly_the_marked_cells(baris: list[list[object]]) -> None:
    tabel = TabelKonfigurasi("T", 10, 3, ("A", "B", "C"), tuple(map(tuple, baris)), 0, (0, 1, 2))
    harapan = {f"{'CDE'[j]}{10 + i}" for i, b in enumerate(baris) for j, v in enumerate(b)
               if isinstance(v, str) and "(contoh)" in v.lower()}
    assert {s.sel for s in sel_contoh([tabel])} == harapan
