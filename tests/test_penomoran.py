"""Letter register: one gapless counter per year, cancelled numbers kept and never reissued."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.penomoran import (
    FORMAT_BAKU,
    LINGKUP_TAHUN,
    LINGKUP_TAHUN_KODE,
    ROMAWI_BULAN,
    alokasi,
    baca_lingkup,
    batalkan,
    format_nomor,
    kode_baris,
    nomor_berikutnya,
    periksa_register,
)

KODE, UNIT = "000.7.5", "Kec-Mkt"
TAHUN = (2025, 2026, 2027)


def _alokasi(register: list[dict], tanggal: datetime, pola: str = FORMAT_BAKU) -> dict:
    baris = alokasi(register, tanggal, "Laporan kinerja", "Bupati Luwu Timur", "kasubag", pola, KODE, UNIT)
    register.append(baris)
    return baris


def _register(jumlah_per_tahun: dict[int, int]) -> list[dict]:
    register: list[dict] = []
    for tahun, jumlah in jumlah_per_tahun.items():
        for i in range(jumlah):
            _alokasi(register, datetime(tahun, 1, 2, 8) + timedelta(days=i))
    return register


# --- format ---------------------------------------------------------------------------------------------------


def test_format_baku_example() -> None:
    assert format_nomor(FORMAT_BAKU, "000.7.5", 12, "Kec-Mkt", 2026) == "000.7.5/012/Kec-Mkt/2026"
    assert format_nomor(FORMAT_BAKU, "050", 1234, "Kec-Mkt", 2026) == "050/1234/Kec-Mkt/2026"


@pytest.mark.parametrize(
    ("pola", "hasil"),
    [
        ("{urut}/{kode}/{unit}/{tahun}", "7/000.7.5/Kec-Mkt/2026"),
        ("{kode}/{urut:04d}-{unit}/{tahun}", "000.7.5/0007-Kec-Mkt/2026"),
        ("{kode}/{urut:03d}/{unit}/{{{tahun}}}", "000.7.5/007/Kec-Mkt/{2026}"),
        ("{kode}/{urut}/{tahun}", "000.7.5/7/2026"),
    ],
)
def test_format_other_office_patterns(pola: str, hasil: str) -> None:
    assert format_nomor(pola, KODE, 7, UNIT, 2026) == hasil


@pytest.mark.parametrize(
    ("pola", "kata"),
    [
        ("{kode}/{nomor}/{unit}/{tahun}", "'nomor'"),
        ("{kode}/{urut:03d}/{unit}/{tahun", "kurung kurawal"),
        ("{kode}/{urut}/{unit}}/{tahun}", "kurung kurawal"),
        ("{}/{urut}/{tahun}", "tidak dikenal"),
        ("{0}/{urut}/{tahun}", "'0'"),
        ("{kode.upper}/{urut}/{tahun}", "'kode.upper'"),
        ("{kode}/{unit}/{tahun}", "{urut}"),
        ("{kode}/{urut}/{unit}", "{tahun}"),
        ("{kode!r}/{urut}/{tahun}", "konversi"),
        ("{kode}/{urut:{tahun}}/{tahun}", "bersarang"),
        ("{kode:d}/{urut}/{tahun}", "format bidang"),
        ("", "kosong"),
    ],
)
def test_format_bad_pattern_is_named(pola: str, kata: str) -> None:
    with pytest.raises(PenggunaanSalah) as e:
        format_nomor(pola, KODE, 1, UNIT, 2026)
    assert kata in e.value.pesan


@pytest.mark.parametrize(("urut", "tahun"), [(0, 2026), (-1, 2026), (True, 2026), (1.0, 2026), (1, 26)])
def test_format_rejects_bad_urut_or_year(urut: object, tahun: int) -> None:
    with pytest.raises(PenggunaanSalah):
        format_nomor(FORMAT_BAKU, KODE, urut, UNIT, tahun)  # type: ignore[arg-type]


# --- allocation -----------------------------------------------------------------------------------------------


def test_counter_restarts_each_year_and_row_shape() -> None:
    register = _register({2025: 3})
    baris = _alokasi(register, datetime(2026, 1, 5, 9))
    assert baris == {
        "no_urut": 1,
        "tanggal": datetime(2026, 1, 5, 9),
        "nomor_surat": "000.7.5/001/Kec-Mkt/2026",
        "perihal": "Laporan kinerja",
        "tujuan": "Bupati Luwu Timur",
        "pembuat": "kasubag",
        "status": "aktif",
        "keterangan": "",
        "kode_klasifikasi": KODE,
    }
    assert nomor_berikutnya(register, 2025) == 4
    assert nomor_berikutnya(register, 2026) == 2
    assert nomor_berikutnya(register, 2024) == 1


def test_cancelled_last_number_is_not_reused() -> None:
    register = _register({2026: 3})
    register[2] = batalkan(register, "000.7.5/003/Kec-Mkt/2026", "salah tujuan")
    assert _alokasi(register, datetime(2026, 2, 1))["no_urut"] == 4


def test_excel_float_urut_and_date_cells_are_understood() -> None:
    register = _register({2026: 2})
    register[0] = {**register[0], "no_urut": 1.0, "tanggal": date(2026, 1, 2)}
    assert nomor_berikutnya(register, 2026) == 3
    assert periksa_register(register) == []


def test_alokasi_lists_every_missing_field() -> None:
    with pytest.raises(InputDitolak) as e:
        alokasi([], datetime(2026, 1, 1), " ", "", None, FORMAT_BAKU, "", UNIT)  # type: ignore[arg-type]
    assert len(e.value.masalah) == 4
    assert any("Perihal" in m for m in e.value.masalah)
    assert any("Kode klasifikasi" in m for m in e.value.masalah)


def test_backdated_letter_is_refused() -> None:
    register = _register({2026: 1})
    _alokasi(register, datetime(2026, 3, 1))
    with pytest.raises(InputDitolak, match="lebih awal"):
        _alokasi(register, datetime(2026, 2, 28, 23))
    assert _alokasi(register, datetime(2026, 3, 1, 7))["no_urut"] == 3  # same day, earlier hour: fine


def test_bad_pattern_refused_before_issuing() -> None:
    with pytest.raises(PenggunaanSalah):
        _alokasi([], datetime(2026, 1, 1), pola="{kode}/{unit}/{tahun}")


# --- cancellation ---------------------------------------------------------------------------------------------


def test_batalkan_marks_row_keeps_input_and_records_reason() -> None:
    register = _register({2026: 2})
    asli = dict(register[1])
    baris = batalkan(register, "000.7.5/002/Kec-Mkt/2026", "surat tidak jadi dikirim")
    assert register[1] == asli
    assert baris["status"] == "batal"
    assert "surat tidak jadi dikirim" in baris["keterangan"]
    assert {k: v for k, v in baris.items() if k not in ("status", "keterangan")} == {
        k: v for k, v in asli.items() if k not in ("status", "keterangan")
    }


def test_batalkan_by_urut_needs_year_when_ambiguous() -> None:
    register = _register({2025: 2, 2026: 2})
    with pytest.raises(PenggunaanSalah, match="lebih dari satu"):
        batalkan(register, 2, "salah ketik")
    assert batalkan(register, 2, "salah ketik", tahun=2026)["nomor_surat"] == "000.7.5/002/Kec-Mkt/2026"
    assert batalkan(register, "1", "salah ketik", tahun=2025)["nomor_surat"] == "000.7.5/001/Kec-Mkt/2025"


def test_batalkan_errors() -> None:
    register = _register({2026: 2})
    with pytest.raises(InputDitolak, match="Tidak ada"):
        batalkan(register, "000.7.5/009/Kec-Mkt/2026", "x")
    with pytest.raises(InputDitolak, match="Tidak ada"):
        batalkan(register, 3, "x")
    with pytest.raises(InputDitolak, match="Alasan"):
        batalkan(register, 1, "  ")
    register[0] = batalkan(register, 1, "dobel")
    with pytest.raises(InputDitolak, match="sudah dibatalkan"):
        batalkan(register, "000.7.5/001/Kec-Mkt/2026", "lagi")


# --- property: any history keeps every year gapless -------------------------------------------------------------

_langkah = st.one_of(
    st.tuples(st.just("alokasi"), st.sampled_from(TAHUN), st.integers(0, 364)),
    st.tuples(st.just("batal"), st.integers(0, 10_000), st.booleans()),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_langkah, max_size=60), st.sampled_from([FORMAT_BAKU, "{urut}/{kode}/{unit}/{tahun}"]))
def test_any_history_is_gapless_and_never_reuses(langkah: list[tuple], pola: str) -> None:
    register: list[dict] = []
    pernah: set[tuple[int, int]] = set()
    dibatalkan: set[str] = set()
    for aksi, a, b in langkah:
        if aksi == "alokasi":
            tanggal = datetime(a, 1, 1, 8) + timedelta(days=b)
            terakhir = max((r["tanggal"].date() for r in register if r["tanggal"].year == a), default=None)
            if terakhir is not None and tanggal.date() < terakhir:
                with pytest.raises(InputDitolak):
                    _alokasi(register, tanggal, pola)
                continue
            baris = _alokasi(register, tanggal, pola)
            kunci = (tanggal.year, baris["no_urut"])
            assert kunci not in pernah, "nomor dipakai ulang"
            pernah.add(kunci)
        elif register:
            i = a % len(register)
            sasaran = register[i]
            kunci_batal = sasaran["nomor_surat"] if b else sasaran["no_urut"]
            tahun = None if b else sasaran["tanggal"].year
            if sasaran["status"] == "batal":
                with pytest.raises(InputDitolak):
                    batalkan(register, kunci_batal, "uji", tahun=tahun)
                continue
            register[i] = batalkan(register, kunci_batal, "uji", tahun=tahun)
            dibatalkan.add(sasaran["nomor_surat"])

    for tahun in TAHUN:
        urut = [r["no_urut"] for r in register if r["tanggal"].year == tahun]
        assert urut == list(range(1, len(urut) + 1))
        assert nomor_berikutnya(register, tahun) == len(urut) + 1
    nomor = [r["nomor_surat"] for r in register]
    assert len(set(nomor)) == len(nomor)
    assert {r["nomor_surat"] for r in register if r["status"] == "batal"} == dibatalkan
    assert periksa_register(register, pola) == []


# --- register check --------------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(TAHUN), st.integers(3, 12), min_size=1), st.data())
def test_periksa_finds_injected_gap(jumlah: dict[int, int], data: st.DataObject) -> None:
    register = _register(jumlah)
    assert periksa_register(register) == []
    tahun = data.draw(st.sampled_from(sorted(jumlah)))
    hilang = data.draw(st.integers(1, jumlah[tahun] - 1))  # not the last: that leaves no visible gap
    register = [r for r in register if not (r["tanggal"].year == tahun and r["no_urut"] == hilang)]
    masalah = periksa_register(register)
    assert masalah == [f"Tahun {tahun}: no urut {hilang} tidak ada di register (nomor terlewat)."]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(TAHUN), st.integers(2, 12), min_size=1), st.data())
def test_periksa_finds_injected_duplicate(jumlah: dict[int, int], data: st.DataObject) -> None:
    register = _register(jumlah)
    i = data.draw(st.integers(0, len(register) - 1))
    asal = register[i]
    register.insert(i + 1, dict(asal))
    tahun, urut, nomor = asal["tanggal"].year, asal["no_urut"], asal["nomor_surat"]
    masalah = periksa_register(register)
    assert f"Nomor surat {nomor} tercatat 2 kali (entri ke-{i + 1}, ke-{i + 2})." in masalah
    assert f"Tahun {tahun}: no urut {urut} dipakai 2 kali (entri ke-{i + 1}, ke-{i + 2})." in masalah
    assert any("tidak lebih besar" in m for m in masalah)
    assert not any("terlewat" in m for m in masalah)


def test_periksa_gap_ranges_and_mismatched_nomor() -> None:
    register = _register({2026: 8})
    register = [r for r in register if r["no_urut"] not in (2, 3, 4, 6)]
    register[-1] = {**register[-1], "nomor_surat": "000.7.5/009/Kec-Mkt/2026"}  # urut 8 written as 009
    masalah = periksa_register(register)
    assert "Tahun 2026: no urut 2–4, 6 tidak ada di register (nomor terlewat)." in masalah
    assert any("memuat urut 9, tidak sama dengan no urut 8" in m for m in masalah)


def test_periksa_wrong_year_unreadable_pattern_and_bad_cells() -> None:
    register = _register({2026: 3})
    register[0] = {**register[0], "nomor_surat": "000.7.5/001/Kec-Mkt/2025"}
    register[1] = {**register[1], "nomor_surat": "surat dua"}
    register.append({"no_urut": None, "tanggal": "kemarin", "nomor_surat": "", "status": "hilang"})
    masalah = periksa_register(register)
    assert any("entri ke-1" in m.lower() and "tahun 2025" in m for m in masalah)
    assert any("Entri ke-2" in m and "tidak sesuai pola" in m for m in masalah)
    assert sum("Entri ke-4" in m for m in masalah) == 4


def test_periksa_non_increasing_and_backdated() -> None:
    register = _register({2026: 4})
    register[1], register[2] = register[2], register[1]
    assert any("entri ke-3 (no urut 2) tidak lebih besar" in m for m in periksa_register(register))
    register = _register({2026: 3})
    register[2] = {**register[2], "tanggal": datetime(2026, 1, 1)}
    assert any("lebih awal" in m for m in periksa_register(register))


def test_periksa_accepts_other_pattern() -> None:
    pola = "{urut}/{kode}/{unit}/{tahun}"
    register: list[dict] = []
    for i in range(3):
        _alokasi(register, datetime(2026, 1, 2 + i), pola)
    assert periksa_register(register, pola) == []
    assert periksa_register(register) != []


# --- month in Roman numerals, kode klasifikasi and the counter's scope ------------------------------------------

POLA_BULAN = "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}"
KODE_LAIN = "100.1.5"


def test_month_placeholders() -> None:
    assert format_nomor(POLA_BULAN, KODE, 12, UNIT, 2026, 10) == "000.7.5/012/Kec-Mkt/X/2026"
    assert format_nomor("{kode}/{urut}/{unit}/{bulan:02d}/{tahun}", KODE, 3, UNIT, 2026, 4) == (
        "000.7.5/3/Kec-Mkt/04/2026")
    assert ROMAWI_BULAN[8] == "IX" and len(ROMAWI_BULAN) == 12
    with pytest.raises(PenggunaanSalah, match="Bulan"):
        format_nomor(POLA_BULAN, KODE, 1, UNIT, 2026, 13)
    baris = alokasi([], datetime(2026, 10, 8, 9), "p", "t", "kasubag", POLA_BULAN, KODE, UNIT)
    assert baris["nomor_surat"] == "000.7.5/001/Kec-Mkt/X/2026"


@pytest.mark.parametrize(("teks", "lingkup"), [
    (None, LINGKUP_TAHUN), ("", LINGKUP_TAHUN), ("tahun", LINGKUP_TAHUN), ("Per Tahun", LINGKUP_TAHUN),
    ("tahun_kode", LINGKUP_TAHUN_KODE), ("per tahun dan kode klasifikasi", LINGKUP_TAHUN_KODE),
])
def test_baca_lingkup(teks: object, lingkup: str) -> None:
    assert baca_lingkup(teks) == lingkup


def test_baca_lingkup_unknown() -> None:
    with pytest.raises(PenggunaanSalah, match="tahun_kode"):
        baca_lingkup("bulanan")


def test_scope_per_kode_needs_kode_in_the_pattern() -> None:
    with pytest.raises(PenggunaanSalah, match=r"\{kode\}"):
        alokasi([], datetime(2026, 1, 2), "p", "t", "k", "{urut}/{unit}/{tahun}", KODE, UNIT, LINGKUP_TAHUN_KODE)


def _alokasi_kode(register: list[dict], tanggal: datetime, kode: str, lingkup: str, pola: str = POLA_BULAN) -> dict:
    baris = alokasi(register, tanggal, "Laporan", "Bupati", "kasubag", pola, kode, UNIT, lingkup)
    register.append(baris)
    return baris


def test_counter_per_year_and_kode() -> None:
    register: list[dict] = []
    a = [_alokasi_kode(register, datetime(2026, 3, i + 1), KODE, LINGKUP_TAHUN_KODE) for i in range(3)]
    b = [_alokasi_kode(register, datetime(2026, 2, i + 1), KODE_LAIN, LINGKUP_TAHUN_KODE) for i in range(2)]
    assert [r["no_urut"] for r in a] == [1, 2, 3] and [r["no_urut"] for r in b] == [1, 2]
    assert b[1]["nomor_surat"] == "100.1.5/002/Kec-Mkt/II/2026"  # dated before kode A's letters: its own counter
    assert nomor_berikutnya(register, 2026, KODE, POLA_BULAN) == 4
    assert nomor_berikutnya(register, 2026, KODE_LAIN, POLA_BULAN) == 3
    assert periksa_register(register, POLA_BULAN, LINGKUP_TAHUN_KODE) == []
    tanpa = [r for r in register if r is not a[1]]
    assert periksa_register(tanpa, POLA_BULAN, LINGKUP_TAHUN_KODE) == [
        "Tahun 2026 kode 000.7.5: no urut 2 tidak ada di register (nomor terlewat)."]
    # the same register read as one yearly counter is broken: urut 1 and 2 twice
    assert any("dipakai 2 kali" in m for m in periksa_register(register, POLA_BULAN, LINGKUP_TAHUN))
    # per year, one counter: kode B continues kode A's numbers
    tahunan: list[dict] = []
    _alokasi_kode(tahunan, datetime(2026, 3, 1), KODE, LINGKUP_TAHUN)
    assert _alokasi_kode(tahunan, datetime(2026, 3, 2), KODE_LAIN, LINGKUP_TAHUN)["no_urut"] == 2


def test_kode_of_rows_written_before_the_column_existed() -> None:
    lama = {"no_urut": 1, "tanggal": datetime(2026, 1, 2), "nomor_surat": "100.1.5/001/Kec-Mkt/I/2026",
            "status": "aktif"}
    assert kode_baris(lama, POLA_BULAN) == KODE_LAIN
    assert kode_baris(lama, "{urut}/{tahun}") == ""
    register = [lama]
    assert _alokasi_kode(register, datetime(2026, 1, 3), KODE_LAIN, LINGKUP_TAHUN_KODE)["no_urut"] == 2
    assert _alokasi_kode(register, datetime(2026, 1, 3), KODE, LINGKUP_TAHUN_KODE)["no_urut"] == 1


def test_periksa_month_and_kode_written_in_the_number() -> None:
    register: list[dict] = []
    _alokasi_kode(register, datetime(2026, 10, 1), KODE, LINGKUP_TAHUN_KODE)
    _alokasi_kode(register, datetime(2026, 10, 2), KODE, LINGKUP_TAHUN_KODE)
    register[0] = {**register[0], "nomor_surat": "000.7.5/001/Kec-Mkt/IX/2026"}
    register[1] = {**register[1], "kode_klasifikasi": KODE_LAIN}
    masalah = periksa_register(register, POLA_BULAN, LINGKUP_TAHUN_KODE)
    assert "Entri ke-1: nomor surat 000.7.5/001/Kec-Mkt/IX/2026 memuat bulan IX, tidak sama dengan bulan tanggal " \
           "surat (X)." in masalah
    assert any("Entri ke-2" in m and "kode klasifikasi 100.1.5" in m for m in masalah)


_langkah_kode = st.one_of(
    st.tuples(st.just("alokasi"), st.sampled_from(TAHUN), st.integers(0, 364), st.sampled_from([KODE, KODE_LAIN])),
    st.tuples(st.just("batal"), st.integers(0, 10_000), st.booleans(), st.just("")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_langkah_kode, max_size=50), st.sampled_from([LINGKUP_TAHUN, LINGKUP_TAHUN_KODE]),
       st.sampled_from([POLA_BULAN, "{urut}/{kode}/{bulan:02d}/{tahun}", FORMAT_BAKU]))
def test_any_history_is_gapless_per_counter(langkah: list[tuple], lingkup: str, pola: str) -> None:
    """Whatever the scope, every counter is 1..n, numbers are unique, and periksa_register agrees."""
    register: list[dict] = []

    def counter(r: dict) -> tuple:
        return (r["tanggal"].year, r["kode_klasifikasi"] if lingkup == LINGKUP_TAHUN_KODE else "")

    for aksi, a, b, kode in langkah:
        if aksi == "alokasi":
            tanggal = datetime(a, 1, 1, 8) + timedelta(days=b)
            sama = [r["tanggal"].date() for r in register if counter(r) == counter({"tanggal": tanggal,
                                                                                   "kode_klasifikasi": kode})]
            if sama and tanggal.date() < max(sama):
                with pytest.raises(InputDitolak):
                    _alokasi_kode(register, tanggal, kode, lingkup, pola)
                continue
            _alokasi_kode(register, tanggal, kode, lingkup, pola)
        elif register and register[a % len(register)]["status"] != "batal":
            i = a % len(register)
            register[i] = batalkan(register, register[i]["nomor_surat"], "uji")
    for kunci in {counter(r) for r in register}:
        urut = [r["no_urut"] for r in register if counter(r) == kunci]
        assert urut == list(range(1, len(urut) + 1))
    nomor = [r["nomor_surat"] for r in register]
    assert len(set(nomor)) == len(nomor)
    assert periksa_register(register, pola, lingkup) == []
