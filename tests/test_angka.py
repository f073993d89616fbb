"""Tests for macros_py.domain.angka: reading numbers as Indonesians type them into Excel cells."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros_py.domain.angka import (
    MAX_TEXT_LENGTH,
    AngkaTidakValid,
    HasilAngka,
    format_angka_id,
    parse_angka,
)

# ---------------------------------------------------------------------------------------------------------
# Numbers and empty values
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85, 85.0), (85.5, 85.5), (-3, -3.0), (0, 0.0), (decimal.Decimal("12.5"), 12.5), (10**15, 1e15)],
)
def test_numbers_pass_through_without_warning(value: object, expected: float) -> None:
    result = parse_angka(value)
    assert result == HasilAngka(expected, None)
    assert type(result.nilai) is float


def test_negative_zero_becomes_zero() -> None:
    assert math.copysign(1.0, parse_angka(-0.0).nilai) == 1.0
    assert math.copysign(1.0, parse_angka("-0").nilai) == 1.0


@pytest.mark.parametrize("value", [True, False])
def test_bool_is_not_a_number(value: bool) -> None:
    with pytest.raises(AngkaTidakValid, match="logika"):
        parse_angka(value)


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, decimal.Decimal("NaN"), decimal.Decimal("sNaN"), 10**400]
)
def test_nan_inf_and_huge_numbers_are_rejected(value: object) -> None:
    with pytest.raises(AngkaTidakValid):
        parse_angka(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (datetime.date(2024, 1, 5), "tanggal"),
        (datetime.datetime(2024, 1, 5, 8, 0), "tanggal"),
        (datetime.time(8, 0), "tanggal"),
        (object(), "bertipe object"),
        ([1], "bertipe list"),
        (b"85", "bertipe bytes"),
    ],
)
def test_other_types_are_rejected_with_reason(value: object, fragment: str) -> None:
    with pytest.raises(AngkaTidakValid, match=fragment):
        parse_angka(value)


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0", "\t\n", "\u00a0 \u202f"])
def test_empty_values_give_none_without_warning(value: object) -> None:
    assert parse_angka(value) == HasilAngka(None, None)


@pytest.mark.parametrize("value", ["-", "—", "–", " - ", "'-", "\u2212", "--"])
def test_lone_dash_means_empty_with_warning(value: str) -> None:
    result = parse_angka(value)
    assert result.nilai is None
    assert result.peringatan is not None
    assert "kosong" in result.peringatan


def test_lone_excel_apostrophe_is_empty_with_warning() -> None:
    result = parse_angka("'")
    assert result.nilai is None
    assert result.peringatan is not None


# ---------------------------------------------------------------------------------------------------------
# Text as Indonesians type it
# ---------------------------------------------------------------------------------------------------------


def _as_displayed(text: str) -> str:
    """The cell text as messages quote it: odd spaces shown as plain spaces, invisible characters dropped."""
    for odd_space in "\u00a0\u202f":
        text = text.replace(odd_space, " ")
    return text.replace("\u200b", "").replace("\ufeff", "").strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85", 85.0),
        ("85,5", 85.5),
        ("1.250.000", 1250000.0),
        ("1.250.000,75", 1250000.75),
        ("Rp 1.250.000", 1250000.0),
        ("Rp1.250.000,-", 1250000.0),
        ("Rp. 1.250.000,00", 1250000.0),
        ("rp 1.250.000", 1250000.0),
        ("RP.1.250.000", 1250000.0),
        ("IDR 1.250.000", 1250000.0),
        ("1.250.000,-", 1250000.0),
        ("Rp 1.250.000.-", 1250000.0),
        ("85%", 85.0),
        ("85,5 %", 85.5),
        ("\u00a01.250.000\u00a0", 1250000.0),
        ("  85,5  ", 85.5),
        ("Rp\u00a01.250.000", 1250000.0),
        ("1 250 000", 1250000.0),
        ("1\u00a0250\u00a0000", 1250000.0),
        ("1\u202f250\u202f000,5", 1250000.5),
        ("1  250  000", 1250000.0),
        ("1 250 000,75", 1250000.75),
        ("1 250 000.75", 1250000.75),
        ("'85,5", 85.5),
        ("85,5'", 85.5),
        ("'1.250.000'", 1250000.0),
        ("\u22125", -5.0),
        ("\u22121.250,5", -1250.5),
        ("-1.250.000,75", -1250000.75),
        ("+85", 85.0),
        ("- 85", -85.0),
        ("-Rp 1.250.000", -1250000.0),
        ("Rp -1.250.000", -1250000.0),
        ("-85,5%", -85.5),
        ("1,250,000.50", 1250000.5),
        ("1,250,000", 1250000.0),
        ("1,250.5", 1250.5),
        ("1.250", 1250.0),
        ("1,5", 1.5),
        ("1,250", 1.25),
        ("12.5", 12.5),
        ("0.250", 0.25),
        ("1234.567", 1234.567),
        ("1.2345", 1.2345),
        (",5", 0.5),
        (".5", 0.5),
        ("007", 7.0),
        ("0,5", 0.5),
        ("\u200b85\ufeff", 85.0),
    ],
)
def test_text_is_read_with_warning(text: str, expected: float) -> None:
    result = parse_angka(text)
    assert result.nilai == expected
    assert result.peringatan is not None
    assert result.peringatan.startswith(f"teks '{_as_displayed(text)}' dibaca sebagai angka ")


def test_warning_shows_value_indonesian_style() -> None:
    assert parse_angka("85,5").peringatan == "teks '85,5' dibaca sebagai angka 85,5"
    assert parse_angka("1.250.000,75").peringatan == "teks '1.250.000,75' dibaca sebagai angka 1.250.000,75"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("1.250", "titik dibaca sebagai pemisah ribuan"),
        ("12.5", "titik dibaca sebagai pemisah desimal"),
        ("1,250", "koma dibaca sebagai pemisah desimal"),
        ("1,250,000", "format Inggris"),
        ("1,250,000.50", "format Inggris"),
        ("1 250", "spasi dibaca sebagai pemisah ribuan"),
        ("85%", "tanda % dibuang"),
    ],
)
def test_judgement_calls_are_explained(text: str, note: str) -> None:
    warning = parse_angka(text).peringatan
    assert warning is not None
    assert note in warning


@pytest.mark.parametrize("text", ["85,5", "1.250.000", "1.250.000,75", "Rp 1.250.000"])
def test_plain_indonesian_text_has_no_ambiguity_note(text: str) -> None:
    warning = parse_angka(text).peringatan
    assert warning is not None
    assert "(" not in warning


def test_small_and_precise_values_are_not_hidden_in_warning() -> None:
    assert parse_angka("0,0000001").peringatan == "teks '0,0000001' dibaca sebagai angka 0,0000001"
    assert parse_angka("1,2345").peringatan == "teks '1,2345' dibaca sebagai angka 1,2345"


# ---------------------------------------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("delapan puluh", "huruf"),
        ("n/a", "huruf"),
        ("abc", "huruf"),
        ("85 persen", "huruf"),
        ("nan", "huruf"),
        ("NaN", "huruf"),
        ("inf", "huruf"),
        ("-inf", "huruf"),
        ("Infinity", "huruf"),
        ("1e5", "huruf"),
        ("1,5E+3", "huruf"),
        ("#N/A", "galat Excel"),
        ("#DIV/0!", "galat Excel"),
        ("12,5,3", "bukan pemisah ribuan"),
        ("1.25.000", "bukan pemisah ribuan"),
        ("0.250.000", "bukan pemisah ribuan"),
        ("12 5", "lebih dari satu angka"),
        ("1 2 3", "bukan pemisah ribuan"),
        ("1,5 2,5", "campuran"),
        ("1.250 000", "campuran"),
        ("1.250,000,5", "campuran"),
        ("1,5.250", "3 digit"),
        ("80-90", "di tengah"),
        ("--5", "di tengah"),
        ("5+3", "di tengah"),
        ("1..5", "berurutan"),
        ("1. 250", "berurutan"),
        ("1 ,5", "berurutan"),
        ("1,", "diakhiri"),
        ("1.250.", "diakhiri"),
        (", 5", "berurutan"),
        ("Rp", "tidak ada angka"),
        ("%", "tidak ada angka"),
        ("Rp 50%", "sekaligus"),
        ("(1.250)", "karakter '('"),
        ("5²", "bukan angka biasa"),
        ("\u0663", "bukan angka biasa"),
        ("\uff18\uff15", "bukan angka biasa"),
        ("1/2", "karakter '/'"),
    ],
)
def test_garbage_is_rejected_with_reason(text: str, fragment: str) -> None:
    with pytest.raises(AngkaTidakValid) as info:
        parse_angka(text)
    message = str(info.value)
    assert fragment in message
    assert message.startswith(f"'{text.strip()}' bukan angka yang dikenali")


def test_rejection_message_names_the_value() -> None:
    with pytest.raises(AngkaTidakValid, match=r"^'12,5,3' bukan angka yang dikenali"):
        parse_angka("12,5,3")


def test_rejection_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="bukan angka"):
        parse_angka("delapan puluh")


def test_text_at_limit_is_accepted_and_longer_is_rejected() -> None:
    at_limit = "9" * MAX_TEXT_LENGTH
    assert parse_angka(at_limit).nilai == float(at_limit)
    too_long = "9" * (MAX_TEXT_LENGTH + 1)
    with pytest.raises(AngkaTidakValid, match="terlalu panjang"):
        parse_angka(too_long)


def test_long_text_message_is_short_and_printable() -> None:
    with pytest.raises(AngkaTidakValid) as info:
        parse_angka("1\n" * 10_000)
    message = str(info.value)
    assert len(message) < 200
    assert "\n" not in message


class _Diawasi(str):
    """A cell text that records every scan of it (translate, strip, lower, split, find, iteration)."""

    dipanggil: list[str]

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.dipanggil.append("iter")
        return super().__iter__()


for _nama in ("translate", "strip", "lower", "split", "find", "replace", "startswith", "endswith", "casefold"):
    def _catat(self, *args, _nama=_nama, **kwargs):  # type: ignore[no-untyped-def]
        self.dipanggil.append(_nama)
        return getattr(str, _nama)(self, *args, **kwargs)

    setattr(_Diawasi, _nama, _catat)


def _kerja(fungsi, *args) -> int:  # type: ignore[no-untyped-def]
    """Lines of the parser executed by one call: a bound on work that does not depend on the machine's speed."""
    import sys

    import macros_py.domain.angka as modul

    baris = 0

    def jejak(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal baris
        if frame.f_code.co_filename == modul.__file__:
            if event == "line":
                baris += 1
            return jejak
        return None

    sys.settrace(jejak)
    try:
        fungsi(*args)
    finally:
        sys.settrace(None)
    return baris


def test_huge_text_is_rejected_without_scanning_it() -> None:
    huge = _Diawasi("1\u00a0" * 5_000_000)
    huge.dipanggil = []
    with pytest.raises(AngkaTidakValid, match="terlalu panjang"):
        parse_angka(huge)
    assert huge.dipanggil == []  # refused by its length alone: no pass over 10 million characters


def test_adversarial_texts_at_the_limit_are_fast() -> None:
    half = MAX_TEXT_LENGTH // 2
    samples = [
        "1," * half,
        "1." * half,
        "1 " * half,
        "1" + ".000" * ((MAX_TEXT_LENGTH - 2) // 4) + "x",
        "Rp" + "-" * (MAX_TEXT_LENGTH - 2),
        " " * (MAX_TEXT_LENGTH - 1) + "a",
        "9" * MAX_TEXT_LENGTH,
    ]
    for sample in samples:
        # linear in the text: a few executed lines per character, however the separators are arranged
        assert _kerja(_coba, sample) <= 12 * len(sample) + 150, sample


# ---------------------------------------------------------------------------------------------------------
# format_angka_id
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "desimal", "expected"),
    [
        (1250000.75, 2, "1.250.000,75"),
        (0, 2, "0,00"),
        (0.0, 0, "0"),
        (-1250.5, 2, "-1.250,50"),
        (85.5, 1, "85,5"),
        (1250, 0, "1.250"),
        (1250, 2, "1.250,00"),
        (999, 0, "999"),
        (-0.001, 2, "0,00"),
        (-0.0, 2, "0,00"),
        (1.005, 0, "1"),
        (2**53 + 1, 0, "9.007.199.254.740.993"),
        (decimal.Decimal("12.5"), 1, "12,5"),
    ],
)
def test_format_angka_id(value: float, desimal: int, expected: str) -> None:
    assert format_angka_id(value, desimal) == expected


def test_format_angka_id_default_is_two_decimals() -> None:
    assert format_angka_id(85.5) == "85,50"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_format_angka_id_refuses_nan_inf(value: float) -> None:
    with pytest.raises(AngkaTidakValid):
        format_angka_id(value)


def test_format_angka_id_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="desimal"):
        format_angka_id(1.0, -1)
    with pytest.raises(TypeError):
        format_angka_id(True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_angka_id("85")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------

SANE_FLOATS = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)
DECORATIONS = ["{}", "Rp {}", "Rp{}", "Rp. {}", "Rp {},-", "{}%", "{} %", "'{}", " {} ", "\u00a0{}\u00a0"]


@given(SANE_FLOATS, st.integers(min_value=0, max_value=6), st.sampled_from(DECORATIONS), st.booleans())
def test_indonesian_format_round_trips(x: float, desimal: int, decoration: str, unicode_minus: bool) -> None:
    formatted = format_angka_id(x, desimal)
    if unicode_minus:
        formatted = formatted.replace("-", "\u2212")
    result = parse_angka(decoration.format(formatted))
    assert result.nilai == float(f"{x:.{desimal}f}")
    assert result.peringatan is not None


@given(SANE_FLOATS, st.integers(min_value=0, max_value=6))
def test_space_grouped_format_round_trips(x: float, desimal: int) -> None:
    text = format_angka_id(x, desimal).replace(".", "\u00a0")
    assert parse_angka(text).nilai == float(f"{x:.{desimal}f}")


@given(SANE_FLOATS, st.integers(min_value=1, max_value=2))
def test_english_format_with_one_or_two_decimals_round_trips(x: float, desimal: int) -> None:
    text = f"{x:,.{desimal}f}"
    assert parse_angka(text).nilai == float(f"{x:.{desimal}f}")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_round_trip_exactly(n: int) -> None:
    assert parse_angka(format_angka_id(n, 0)).nilai == n
    assert parse_angka(str(n)).nilai == n
    assert parse_angka(n).nilai == n


@given(SANE_FLOATS)
def test_numbers_pass_through_unchanged(x: float) -> None:
    assert parse_angka(x) == HasilAngka(x + 0.0, None)


def _coba(text: str) -> None:
    with contextlib.suppress(AngkaTidakValid):
        parse_angka(text)


def _check_total(text: str) -> None:
    assert _kerja(_coba, text) <= 12 * min(len(text), MAX_TEXT_LENGTH + 1) + 150  # linear work, capped length
    try:
        result = parse_angka(text)
    except AngkaTidakValid as exc:
        assert str(exc)
    else:
        if result.nilai is None:
            # Silently empty only when the cell shows nothing readable (spaces, zero-width characters).
            assert result.peringatan is not None or not any(ch.isalnum() for ch in text)
        else:
            assert math.isfinite(result.nilai)
            assert result.peringatan is not None


@settings(max_examples=500)
@given(st.text())
def test_arbitrary_text_only_raises_angka_tidak_valid(text: str) -> None:
    _check_total(text)


@settings(max_examples=1000)
@given(st.text(alphabet="0123456789.,-+ %'Rrp\u00a0\u2212\u2014", max_size=MAX_TEXT_LENGTH + 8))
def test_number_like_text_only_raises_angka_tidak_valid(text: str) -> None:
    _check_total(text)
