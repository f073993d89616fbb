"""Reading numbers the way Indonesian civil servants type them into Excel — pure Python, no Excel.

Why: cells in the templates often hold *text* instead of numbers ("85,5", "Rp 1.250.000,-", "1.250").
Excel on an Indonesian locale, an English locale and a phone app all disagree on separators, so the
importer must read such text deliberately, tell the user how it was read (``peringatan``), and refuse
anything it cannot read with certainty instead of guessing silently.

Rules for text (after trimming spaces, non-breaking spaces, the Excel text prefix ``'`` and turning the
unicode minus into ``-``):

- empty / whitespace only -> ``None`` without warning; a lone dash (``-``, ``–``, ``—``) -> ``None`` with a
  warning (users type a dash for "no value").
- optional sign, optional currency prefix ``Rp`` / ``Rp.`` / ``IDR`` (sign may stand before or after it),
  optional suffix ``,-`` (``Rp 1.250.000,-``), optional ``%`` suffix (dropped; the figure stays a percent
  figure, "85%" -> 85). ``Rp`` and ``%`` together are refused.
- separators: ``.`` ``,`` and a space. A *thousands* group is 1-3 digits (not starting with 0) followed by
  groups of exactly 3 digits.

  ==========================  =========================================  ==========================
  shape                       reading                                    example
  ==========================  =========================================  ==========================
  no separator                integer                                    ``1250`` -> 1250
  two kinds, last one once    last = decimal, others = thousands         ``1.250.000,75`` / ``1,250.5``
  one kind, several times     thousands (must group by 3)                ``1.250.000`` / ``1,250,000``
  single ``,``                decimal (Indonesian)                       ``1,5`` -> 1.5; ``1,250`` -> 1.25
  single ``.`` + 3 digits     thousands (Indonesian habit), warned       ``1.250`` -> 1250
  single ``.`` otherwise      decimal, warned                            ``12.5`` -> 12.5; ``0.250``
  single space + 3 digits     thousands                                  ``1 250`` -> 1250
  leading ``,``/``.``         decimal fraction                           ``,5`` -> 0.5
  ==========================  =========================================  ==========================

  Everything else (``12,5,3``, ``1.25.000``, ``12 5``, ``1,5 2,5``, letters, ``80-90``, scientific notation,
  NaN/inf, text longer than 64 characters) raises :class:`AngkaTidakValid`.

Every number read from text carries a warning such as ``teks '85,5' dibaca sebagai angka 85,5``, with a
note when the reading was a judgement call. Negative numbers are returned as negative: range checks
belong to the caller. The parser is a single linear scan with a length cap first — no regexes, so hostile
or huge cell contents cannot make it slow.
"""

from __future__ import annotations

import datetime
import decimal
import math
import numbers
from dataclasses import dataclass

MAX_TEXT_LENGTH = 64
"""Longest text accepted as a number; checked before any other work so huge cells cost nothing."""

_SNIPPET_LENGTH = 40

# Spaces Excel, Word and phones insert (NBSP, narrow NBSP, thin space, ...) all count as a plain space.
_SPACE_CHARS = "\t\n\r\v\f\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_MINUS_CHARS = "\u2212\u2012\ufe63\uff0d"
# For messages: what the user sees in the cell, minus invisible characters.
_DISPLAY_TRANSLATION = str.maketrans({**dict.fromkeys(_SPACE_CHARS, " "), **dict.fromkeys(_INVISIBLE_CHARS)})
# For parsing: additionally every minus look-alike becomes "-".
_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(_SPACE_CHARS, " "),
        **dict.fromkeys(_INVISIBLE_CHARS),
        **dict.fromkeys(_MINUS_CHARS, "-"),
    }
)
_APOSTROPHES = "'\u2018\u2019`"
_LONE_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
_CURRENCY_PREFIXES = ("idr", "rp")
_DIGITS = "0123456789"
_SEPARATORS = frozenset({".", ",", " "})
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


@dataclass(frozen=True)
class HasilAngka:
    """A parsed number plus how it was read, so the importer can show interpretations instead of hiding them.

    ``nilai`` is None for an empty cell; ``peringatan`` is set whenever text had to be interpreted.
    """

    nilai: float | None
    peringatan: str | None = None


class AngkaTidakValid(ValueError):
    """A value that cannot be read as a number; ``str(e)`` is an Indonesian message shown to users as is."""


def parse_angka(value: object) -> HasilAngka:
    """Read a cell value (number, text or empty) as a float, accepting the ways Indonesians type numbers.

    Raises AngkaTidakValid (and nothing else) for values that are not unambiguously one number.
    """
    if value is None:
        return HasilAngka(None, None)
    if isinstance(value, bool):
        raise AngkaTidakValid(f"nilai logika {str(value).upper()} bukan angka")
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, numbers.Real | decimal.Decimal):
        return HasilAngka(_finite_float(value), None)
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise AngkaTidakValid(
            f"sel berisi tanggal/waktu ({value}), bukan angka; periksa format sel (mungkin Excel mengubah "
            "angka menjadi tanggal)"
        )
    raise AngkaTidakValid(f"nilai bertipe {type(value).__name__} bukan angka")


def format_angka_id(x: float, desimal: int = 2) -> str:
    """Format Indonesian style ("1.250.000,75") so messages show numbers the way users write them.

    Rounds to ``desimal`` places; the result is read back by parse_angka to the same rounded value.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real | decimal.Decimal):
        raise TypeError(f"format_angka_id butuh angka, bukan {type(x).__name__}")
    if isinstance(desimal, bool) or not isinstance(desimal, int) or desimal < 0:
        raise ValueError(f"jumlah desimal harus bilangan bulat >= 0, bukan {desimal!r}")
    if isinstance(x, numbers.Integral):
        # Exact for big integers, which float formatting would round.
        text = f"{int(x):,}" + ("." + "0" * desimal if desimal else "")
    else:
        text = f"{_finite_float(x):,.{desimal}f}"
    text = text.translate(_SWAP_SEPARATORS)
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # -0,00 looks like an error to users
    return text


def _finite_float(value: numbers.Real | decimal.Decimal) -> float:
    """Convert a numeric value, refusing NaN/inf because they are never a real measurement."""
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError) as exc:
        raise AngkaTidakValid(f"angka {_snippet(str(value))} terlalu besar atau tidak sah") from exc
    if not math.isfinite(number):
        raise AngkaTidakValid(f"nilai {number} (NaN/tak hingga) bukan angka yang sah")
    return number + 0.0  # turns -0.0 into 0.0


def _snippet(text: str) -> str:
    """A short, printable piece of the user's text for messages (cells may be huge or hold line breaks)."""
    cut = text[: _SNIPPET_LENGTH + 1]
    cut = "".join(ch if ch.isprintable() else " " for ch in cut)
    if len(cut) > _SNIPPET_LENGTH:
        cut = cut[: _SNIPPET_LENGTH - 1] + "…"
    return cut


def _rejected(shown: str, reason: str) -> AngkaTidakValid:
    return AngkaTidakValid(f"'{_snippet(shown)}' bukan angka yang dikenali: {reason}")


def _display(x: float) -> str:
    """Indonesian display with as many decimals as the value needs, so a warning never hides digits."""
    text = repr(abs(x))
    mantissa, _, exponent = text.partition("e")
    fraction = mantissa.partition(".")[2]
    if exponent:  # 1e-07 -> 7 decimals, 1e+60 -> none
        decimals = max(0, len(fraction) - int(exponent))
    elif fraction == "0":
        decimals = 0
    else:
        decimals = len(fraction)
    return format_angka_id(x, min(decimals, 30))


def _parse_text(raw: str) -> HasilAngka:
    if len(raw) > MAX_TEXT_LENGTH:
        raise AngkaTidakValid(
            f"teks terlalu panjang untuk sebuah angka ({len(raw)} karakter, maksimal {MAX_TEXT_LENGTH}): "
            f"'{_snippet(raw)}'"
        )
    shown = raw.translate(_DISPLAY_TRANSLATION).strip()
    text = raw.translate(_TRANSLATION).strip()
    if not text:
        return HasilAngka(None, None)
    if text[0] in _APOSTROPHES:
        text = text[1:].lstrip()
    if text and text[-1] in _APOSTROPHES:
        text = text[:-1].rstrip()
    if not text:
        return HasilAngka(None, f"teks '{_snippet(shown)}' tidak berisi angka; dianggap kosong")
    if text in _LONE_DASHES:
        return HasilAngka(None, f"tanda '{_snippet(shown)}' dibaca sebagai kosong (tidak ada nilai)")
    if text.startswith("#"):
        raise _rejected(shown, "ini kode galat Excel; perbaiki rumus atau isi sel dengan angka")

    core, negative, percent = _strip_decorations(text, shown)
    integer_digits, fraction_digits, note = _read_digits(core, shown)
    number = float(f"{integer_digits or '0'}.{fraction_digits or '0'}")
    if negative:
        number = -number
    number += 0.0  # -0 -> 0

    notes = [note] if note else []
    if percent:
        notes.append("tanda % dibuang; nilai tetap dalam persen")
    message = f"teks '{_snippet(shown)}' dibaca sebagai angka {_display(number)}"
    if notes:
        message += f" ({'; '.join(notes)})"
    return HasilAngka(number, message)


def _strip_decorations(text: str, shown: str) -> tuple[str, bool, bool]:
    """Remove sign, currency and percent decorations; returns (digits-and-separators, negative, percent)."""
    negative = False
    has_sign = False
    if text[0] in "+-":
        negative, has_sign = text[0] == "-", True
        text = text[1:].lstrip()
    currency = False
    lowered = text.lower()
    for prefix in _CURRENCY_PREFIXES:
        if lowered.startswith(prefix):
            currency = True
            text = text[len(prefix) :]
            if text.startswith("."):
                text = text[1:]
            text = text.lstrip()
            break
    if currency and not has_sign and text and text[0] in "+-":
        negative = text[0] == "-"
        text = text[1:].lstrip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    if text.endswith((",-", ".-")):  # "Rp 1.250.000,-": no cents
        text = text[:-2].rstrip()
    if currency and percent:
        raise _rejected(shown, "tidak bisa sekaligus rupiah (Rp) dan persen (%)")
    if not text:
        raise _rejected(shown, "tidak ada angka di dalamnya")
    return text, negative, percent


def _bad_character(ch: str, shown: str) -> AngkaTidakValid:
    if ch.isalpha():
        return _rejected(shown, "berisi huruf; tulis dengan angka saja, misalnya 85,5")
    if ch in "+-":
        return _rejected(shown, f"ada tanda '{ch}' di tengah; isi satu angka saja, bukan rentang atau rumus")
    if ch.isdigit() or ch.isnumeric():
        return _rejected(shown, f"karakter '{ch}' bukan angka biasa 0-9")
    return _rejected(shown, f"berisi karakter '{ch}' yang tidak dikenali")


def _read_digits(core: str, shown: str) -> tuple[str, str, str | None]:
    """Split digits and separators and decide which separator is decimal; see the module table."""
    groups: list[str] = []
    separators: list[str] = []
    run_start = -1
    for index, ch in enumerate(core):
        if ch in _DIGITS:
            if run_start < 0:
                run_start = index
            continue
        if ch not in _SEPARATORS:
            raise _bad_character(ch, shown)
        if run_start >= 0:
            groups.append(core[run_start:index])
            run_start = -1
        elif ch == " " and separators and separators[-1] == " ":
            continue  # several spaces count as one
        elif not groups and not separators:
            groups.append("")  # leading separator: ",5"
        else:
            raise _rejected(shown, "dua tanda pemisah berurutan (atau spasi di samping titik/koma)")
        separators.append(ch)
    if run_start >= 0:
        groups.append(core[run_start:])
    if len(groups) != len(separators) + 1:
        raise _rejected(shown, "diakhiri tanda pemisah tanpa angka sesudahnya")

    if not separators:
        return groups[0], "", None
    if groups[0] == "":
        if len(separators) == 1 and separators[0] != " ":
            return "0", groups[1], f"'{separators[0]}' di depan dibaca sebagai pemisah desimal"
        raise _rejected(shown, "diawali tanda pemisah")

    kinds = set(separators)
    if len(kinds) == 1:
        return _one_kind(groups, separators[0], shown)
    decimal_separator = separators[-1]
    thousands = separators[:-1]
    if len(kinds) > 2 or decimal_separator == " " or decimal_separator in thousands:
        raise _rejected(shown, "campuran tanda titik, koma dan spasi yang tidak jelas")
    if not _is_grouped(groups[:-1]):
        raise _rejected(shown, "pemisah ribuan harus diikuti tepat 3 digit")
    integer_digits = "".join(groups[:-1])
    note = None
    if thousands[0] == ",":
        note = "format Inggris: koma pemisah ribuan, titik pemisah desimal"
    elif decimal_separator == ".":
        note = "titik dibaca sebagai pemisah desimal"
    return integer_digits, groups[-1], note


def _one_kind(groups: list[str], separator: str, shown: str) -> tuple[str, str, str | None]:
    grouped = _is_grouped(groups)
    if len(groups) > 2:
        if not grouped:
            reason = f"tanda '{separator}' berulang tetapi bukan pemisah ribuan (tepat 3 digit)"
            raise _rejected(shown, reason)
        note = "koma dibaca sebagai pemisah ribuan (format Inggris)" if separator == "," else None
        return "".join(groups), "", note
    if separator == " ":
        if not grouped:
            raise _rejected(shown, "tampaknya berisi lebih dari satu angka")
        return "".join(groups), "", "spasi dibaca sebagai pemisah ribuan"
    if separator == ",":
        note = "koma dibaca sebagai pemisah desimal, bukan ribuan" if grouped else None
        return groups[0], groups[1], note
    if grouped:
        return "".join(groups), "", "titik dibaca sebagai pemisah ribuan, bukan desimal"
    return groups[0], groups[1], "titik dibaca sebagai pemisah desimal"


def _is_grouped(groups: list[str]) -> bool:
    """True for thousands grouping: 1-3 leading digits (no leading zero), then groups of exactly 3."""
    first = groups[0]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(group) == 3 for group in groups[1:])
