"""Rules on what a bidang typed into the evaluation table that its values alone do not settle (pure).

Used by ``validasi.validasi_lembar``. Rules 1a, 1b, 2, 3 and 6 need the facts the submission reader gathered
about the cells (``SheetFacts``, satisfied by ``io.kiriman.KirimanSheet``) and run only for a submitted file;
the master's own sheets, read without facts, are validated as before. Rules 4, 5 and the 10x-target warning
need only the values and run everywhere. Cells are 1-based (row, column) tuples; messages name Excel cells.

1. Percent typed as percent. Typing ``97%`` stores the number 0.97, in Excel, LibreOffice and WPS.

   a. In a number column, a number in a cell whose number format shows percent is read as the percent points
      the user saw: 0.97 -> 97, by shifting its decimal representation (no binary rounding: 0.97 gives
      exactly 97.0), with a warning naming the cell.
   b. A realisasi K value (``tw1_k``..``tw4_k``) without a percent format, with 0 < v <= 1, is REJECTED when
      - the indicator is a percent indicator (``satuan_persen``: its Satuan holds "%" or begins with persen,
        persentase, prosentase or percent) and its target_k is not a number in [0, 1] (a target of at most 1
        means small percentages are expected: 0.5 is then 0.5 %); or
      - the Satuan is anything else, v < 1 (1 is an ordinary count), target_k > 1, and the value read as
        percent points lies within 10x of the target (target/10 <= 100 v <= 10 target): an index with target
        82 and realisasi 0.83 is refused, a ratio with target 2 and realisasi 0.8 is not.
      The message names the cell and says what to type ("ketik 97, tanpa tanda %"). No value changes meaning
      silently: it is kept, converted with a warning (1a), or the file is refused (1b).
2. Error values. A cell of the table (below the header row, in a column of the schema) holding an error value
   (``#DIV/0!``, ``#VALUE!``: calamine reads it as empty) is rejected, naming the cell and the error.
3. Merged cells. A merged range reaching a row below the header and a column of the schema hides values
   (Excel empties the hidden cells): rejected, naming the range.
4. A leading apostrophe kept in text (LibreOffice keeps ``'`` typed into a Text-formatted cell) is removed when
   the text after it begins with = + - or @; the text stays text (every writer stores it as text).
5. Dates in number cells. A realisasi K value that is a whole number between 36526 and 73415 (the serial
   numbers of 1 January 2000 and 31 December 2100) in a count-type indicator (cara hitung Akumulasi, Satuan
   not a percent and not a rasio, indeks, nilai, skor or poin) above its target_k (or without one) gets a
   warning naming the cell and the date it stands for; it replaces the 10x-target warning for that cell.
6. A submitted file with no realisasi at all for the period, i.e. every ``twN_k`` and ``twN_rp`` for N = 1 to the
   number of triwulan of ``Harapan.periode`` (``capaian.TRIWULAN_PERIODE``: TW3 -> TW I..III, S1 -> I..II,
   S2 and TAHUNAN -> I..IV) empty in every row, is rejected. The triwulan carried from the previous period's
   sealed record (``Harapan.tersegel``) do not count: they were not typed by the bidang.

``quote_prefix_cells`` is gathered but no rule uses it: Excel and LibreOffice keep the apostrophe of a quote
prefix out of the value, so the text needs no repair (rule 4 covers the apostrophe that stays in the value).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final, Protocol

from macros_py.domain.angka import format_angka_id
from macros_py.domain.capaian import CARA_AKUMULASI, jumlah_triwulan
from macros_py.domain.cell_names import nama_sel

KUNCI_REALISASI_K: Final = ("tw1_k", "tw2_k", "tw3_k", "tw4_k")
KELIPATAN_TARGET_MENCURIGAKAN: Final = 10
SERIAL_TANGGAL_MIN: Final = 36526  # 2000-01-01
SERIAL_TANGGAL_MAX: Final = 73415  # 2100-12-31
_AWAL_SERIAL: Final = date(1899, 12, 30)  # Excel's (1900 system) day 0 as the serial numbers count it
_AWALAN_RUMUS: Final = ("=", "+", "-", "@")
_KATA_PERSEN: Final = ("persen", "persentase", "prosentase", "percent", "percentage")
_KATA_BUKAN_JUMLAH: Final = ("rasio", "ratio", "indeks", "index", "nilai", "skor", "poin")
_ROMAWI: Final = ("I", "II", "III", "IV")


class SheetFacts(Protocol):
    """What the submission reader saw about the cells (``io.kiriman.KirimanSheet`` has these fields)."""

    @property
    def percent_cells(self) -> Collection[tuple[int, int]]: ...

    @property
    def error_cells(self) -> Mapping[tuple[int, int], str]: ...

    @property
    def merged_ranges(self) -> Sequence[tuple[int, int, int, int]]: ...

    @property
    def quote_prefix_cells(self) -> Collection[tuple[int, int]]: ...


def teks_angka(x: float) -> str:
    """A number as users write it, without trailing zeros: 97 -> "97", 0.818 -> "0,818"."""
    return format_angka_id(x, 6).rstrip("0").rstrip(",")


def _kata_pertama(satuan: object) -> str:
    teks = str(satuan or "").strip().casefold()
    return teks.split()[0].strip(".,:;()") if teks.split() else ""


def satuan_persen(satuan: object) -> bool:
    """True for a percent indicator: its Satuan holds "%" or begins with persen/persentase/prosentase/percent."""
    return "%" in str(satuan or "") or _kata_pertama(satuan) in _KATA_PERSEN


def indikator_jumlah(satuan: object, cara_hitung: object) -> bool:
    """True for a count-type indicator: Akumulasi, and a Satuan that is not a percent, ratio, index or score."""
    return cara_hitung == CARA_AKUMULASI and not satuan_persen(satuan) and _kata_pertama(satuan) not in (
        _KATA_BUKAN_JUMLAH)


def titik_persen(nilai: float) -> float:
    """The percent points a percent-formatted number shows: its decimal representation shifted two places."""
    return float(Decimal(repr(float(nilai))).scaleb(2))


def pecahan_persen(satuan: object, target: object, nilai: float) -> bool:
    """Rule 1b: True when a realisasi K value typed without a percent format reads as a percent typed with
    its sign (stored as a fraction), so the file must be refused."""
    if not 0 < nilai <= 1:
        return False
    t = float(target) if isinstance(target, int | float) and math.isfinite(target) else None
    if satuan_persen(satuan):
        return t is None or not 0 <= t <= 1
    return nilai < 1 and t is not None and t > 1 and t / 10 <= nilai * 100 <= t * 10


def serial_tanggal(nilai: float) -> date | None:
    """The date a number stands for when it looks like a date serial of the years 2000-2100, else None."""
    if SERIAL_TANGGAL_MIN <= nilai <= SERIAL_TANGGAL_MAX and float(nilai).is_integer():
        return _AWAL_SERIAL + timedelta(days=int(nilai))
    return None


def tanpa_apostrof(teks: str) -> str:
    """Rule 4: "'=> Pemadanan" -> "=> Pemadanan"; any other text unchanged."""
    return teks[1:] if teks[:1] == "'" and teks[1:2] in _AWALAN_RUMUS else teks


def kunci_realisasi_periode(periode: str, tanpa: Collection[int] = ()) -> tuple[str, ...]:
    """Rule 6: the realisasi columns of the triwulan the period covers ("TW3" -> tw1_k, tw1_rp ... tw3_rp),
    leaving out the triwulan in `tanpa` (carried from the previous period's sealed record)."""
    return tuple(f"tw{i}_{jenis}" for i in range(1, jumlah_triwulan(periode) + 1) if i not in tanpa
                 for jenis in ("k", "rp"))


def nama_triwulan(periode: str, tanpa: Collection[int] = ()) -> str:
    """ "TW I–TW III" for the triwulan a period covers (leaving out those in `tanpa`: "TW III")."""
    n = [i for i in range(1, jumlah_triwulan(periode) + 1) if i not in tanpa] or [jumlah_triwulan(periode)]
    return f"TW {_ROMAWI[n[0] - 1]}" if len(n) == 1 else f"TW {_ROMAWI[n[0] - 1]}–TW {_ROMAWI[n[-1] - 1]}"


def galat_sel_dan_gabungan(
    facts: SheetFacts, r_header: int, kolom_tabel: Mapping[int, str]
) -> list[tuple[str, str]]:
    """Rules 2 and 3: (cell or range, message) for each error cell and merged range in the table area.

    ``kolom_tabel`` maps each schema column's 1-based position to its title."""
    hasil = []
    for (r, c), galat in sorted(facts.error_cells.items()):
        if r > r_header and c in kolom_tabel:
            hasil.append((nama_sel(r, c), f"{kolom_tabel[c]}: sel berisi nilai galat {galat} (rumus yang gagal "
                                          "dihitung atau teks yang diawali =); ganti dengan angka atau teks."))
    for r1, c1, r2, c2 in sorted(facts.merged_ranges):
        if r2 > r_header and any(c1 <= c <= c2 for c in kolom_tabel):
            rentang = nama_sel(r1, c1) if (r1, c1) == (r2, c2) else f"{nama_sel(r1, c1)}:{nama_sel(r2, c2)}"
            hasil.append((rentang, f"sel {rentang} digabung (merge) di tabel data; isi sel yang tertutup gabungan "
                                   "hilang. Pisahkan gabungan sel itu (unmerge) lalu isi setiap sel."))
    return hasil


def periksa_realisasi_k(
    data: Mapping[str, Any],
    r: int,
    kolom_k: Sequence[tuple[str, int, str]],
    format_diketahui: bool,
    persen: Collection[int] = (),
) -> list[tuple[bool, str, str]]:
    """Rules 1b and 5 and the 10x-target warning for one row: (is_error, cell, message) for each finding.

    ``kolom_k`` lists the K realisasi columns present: (key, 1-based column, title). Rule 1b runs only when
    ``format_diketahui`` (the facts are known); ``persen`` holds the 1-based columns of this row with a
    percent format (their values were converted by rule 1a)."""
    target = data.get("target_k")
    t = float(target) if isinstance(target, int | float) else None
    atas = min(KELIPATAN_TARGET_MENCURIGAKAN * t if t is not None and t > 0 else math.inf, SERIAL_TANGGAL_MIN)
    hasil: list[tuple[bool, str, str]] = []
    for key, kolom, judul in kolom_k:
        nilai = data.get(key)
        if nilai is None or 1 < nilai < atas or nilai <= 0 or type(nilai) not in (int, float):
            continue  # the common case: nothing to report for this cell
        satuan = data.get("satuan")
        if format_diketahui and nilai <= 1 and kolom not in persen and pecahan_persen(satuan, target, nilai):
            hasil.append((True, nama_sel(r, kolom), _pesan_pecahan(judul, satuan, target, nilai)))
            continue
        tanggal = serial_tanggal(nilai) if indikator_jumlah(satuan, data.get("cara_hitung")) else None
        if tanggal is not None and (t is None or nilai > t):
            hasil.append((False, nama_sel(r, kolom), f"{judul}: nilai {teks_angka(nilai)} sama dengan nomor seri "
                                                     f"tanggal {tanggal:%d-%m-%Y}; mungkin tanggal yang diketik di "
                                                     "sel angka. Periksa kembali."))
        elif t is not None and t > 0 and nilai > KELIPATAN_TARGET_MENCURIGAKAN * t:
            hasil.append((False, nama_sel(r, kolom), f"realisasi {format_angka_id(nilai)} lebih dari "
                                                     f"{KELIPATAN_TARGET_MENCURIGAKAN}x target "
                                                     f"{format_angka_id(t)}; periksa kembali."))
    return hasil


def _pesan_pecahan(judul: str, satuan: object, target: object, nilai: float) -> str:
    persen = teks_angka(titik_persen(nilai))
    if satuan_persen(satuan):
        sebab = f"pada indikator bersatuan '{str(satuan).strip()}'"
    else:
        sebab = f"jauh di bawah target {teks_angka(float(target))}"  # type: ignore[arg-type]
    return (f"{judul}: nilai {teks_angka(nilai)} {sebab} tampak seperti persen yang diketik dengan tanda % "
            f"(tersimpan sebagai pecahan). Bila yang dimaksud {persen}%, ketik {persen}, tanpa tanda %.")
