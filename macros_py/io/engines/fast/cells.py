"""Cells as worksheet XML: values, their styles (`s=`) and dates, written the way Excel and openpyxl read them.

Why a module of its own: the row writer (`sheet_xml`) decides which rows to rebuild; this decides what one cell
or a block of cells of a column becomes — one `str.format` per row for blocks of plain values.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.sax.saxutils import escape, unescape

from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.domain.validasi import huruf_kolom


class UnsupportedXml(Exception):
    """The part is not shaped the way this writer understands; the caller falls back to openpyxl."""


_AWAL_RUMUS = ("=", "+", "-", "@")
_PERLU_ESCAPE = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = datetime(1899, 12, 30)
_ANGKA_R = re.compile(r'\br="(\d+)"')
_SEL_ALAMAT = re.compile(r'<c r="([A-Z]{1,3})\d+"(?:[^>]*?\ss="(\d+)")?')
_NOMOR: dict[str, int] = {}
_GAYA = re.compile(r'\bs="(\d+)"')
_KOLOM = re.compile(r"<col\b([^>]*)/?>")
_ATRIBUT = re.compile(r'(\w+)="([^"]*)"')

_HURUF: list[str] = []


def _huruf_kolom(n: int) -> str:
    """`huruf_kolom`, cached: it runs once per written cell."""
    while len(_HURUF) <= n:
        _HURUF.append(huruf_kolom(len(_HURUF)))
    return _HURUF[n]


def teks_xml(teks: str) -> str:
    """Element text, escaped; characters XML cannot hold are dropped, CR kept as a character reference."""
    return escape(tanpa_karakter_ilegal(teks), {"\r": "&#13;"})


def _pecahan_hari(t: time | datetime) -> float:
    return (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 10**6) / 86400


def serial_excel(nilai: date | datetime | time | timedelta) -> float:
    """Excel's 1900 date system, computed as openpyxl's to_excel does (so both engines store the same number)."""
    if isinstance(nilai, time):
        return _pecahan_hari(nilai)
    if isinstance(nilai, timedelta):
        return nilai.total_seconds() / 86400
    if not isinstance(nilai, datetime):
        nilai = datetime.combine(nilai, time())
    hari = (nilai.replace(tzinfo=None) - _EPOCH).days
    if 0 < hari <= 60:  # Excel's phantom 29 February 1900
        hari -= 1
    return hari + _pecahan_hari(nilai)


# ---- styles ----------------------------------------------------------------------------------------------

_ID_TANGGAL_BAWAAN = frozenset(range(14, 23)) | {45, 46, 47}


def format_tanggal(kode: str) -> bool:
    """Whether a number format shows a date or time (quoted text and [colour]/[$-locale] parts ignored)."""
    bersih = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", kode)
    return bool(re.search(r"[dmyhs]", bersih, re.I))


@dataclass
class XmlStyles:
    """The workbook's cell formats (styles.xml `cellXfs`), extended only when a value needs a format no
    existing cell has: a date in an unformatted cell, or formula-like text that must stay text in Excel."""

    xml: str
    format_tanggal_baku: str
    format_waktu_baku: str
    berubah: bool = False
    _xf: list[str] = field(default_factory=list)
    _numfmt: dict[int, str] = field(default_factory=dict)
    _turunan: dict[tuple[int, int | None, bool], int] = field(default_factory=dict)
    _tanggal: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", self.xml, re.S)
        if m is None:
            raise UnsupportedXml("styles.xml tanpa cellXfs")
        self._xf = re.findall(r"<xf\b[^>]*/>|<xf\b[^>]*>.*?</xf>", m.group(1), re.S)
        for a in re.findall(r"<numFmt\b([^>]*)/>", self.xml):
            atribut = dict(_ATRIBUT.findall(a))
            self._numfmt[int(atribut["numFmtId"])] = unescape(atribut.get("formatCode", ""), {"&quot;": '"'})

    def _id_format(self, s: int) -> int:
        m = re.search(r'\bnumFmtId="(\d+)"', self._xf[s]) if s < len(self._xf) else None
        return int(m.group(1)) if m else 0

    def bertanggal(self, s: int) -> bool:
        if s not in self._tanggal:
            i = self._id_format(s)
            self._tanggal[s] = i in _ID_TANGGAL_BAWAAN or (i in self._numfmt and format_tanggal(self._numfmt[i]))
        return self._tanggal[s]

    def berawalan_kutip(self, s: int) -> bool:
        return s < len(self._xf) and 'quotePrefix="1"' in self._xf[s]

    def untuk(self, s: int, nilai: Any) -> int:
        """The style id a value needs in a cell whose style is `s` (usually `s` itself)."""
        if isinstance(nilai, (date, time, timedelta)) and not self.bertanggal(s):
            kode = self.format_waktu_baku if isinstance(nilai, datetime) else self.format_tanggal_baku
            return self._turunkan(s, self._numfmt_untuk(kode), False)
        if isinstance(nilai, str) and nilai.startswith(_AWAL_RUMUS) and len(nilai) > 1 \
                and not self.berawalan_kutip(s):
            return self._turunkan(s, None, True)
        return s

    def _numfmt_untuk(self, kode: str) -> int:
        for i, k in self._numfmt.items():
            if k == kode:
                return i
        baru = max([163, *self._numfmt]) + 1
        self._numfmt[baru] = kode
        kode_xml = escape(kode, {'"': "&quot;"})
        elemen = f'<numFmt numFmtId="{baru}" formatCode="{kode_xml}"/>'
        if "<numFmts" in self.xml:
            self.xml = re.sub(r"</numFmts>", elemen + "</numFmts>", self.xml, count=1)
            self.xml = re.sub(r'(<numFmts\b[^>]*\bcount=")(\d+)"', lambda m: f'{m.group(1)}{int(m.group(2)) + 1}"',
                              self.xml, count=1)
        else:
            self.xml = re.sub(r"(<styleSheet\b[^>]*>)", lambda m: m.group(1) + f'<numFmts count="1">{elemen}</numFmts>',
                              self.xml, count=1)
        self.berubah = True
        return baru

    def _turunkan(self, s: int, numfmt: int | None, kutip: bool) -> int:
        kunci = (s, numfmt, kutip)
        if kunci not in self._turunan:
            xf = self._xf[s] if s < len(self._xf) else self._xf[0]
            if numfmt is not None:
                xf = _set_atribut(_set_atribut(xf, "numFmtId", str(numfmt)), "applyNumberFormat", "1")
            if kutip:
                xf = _set_atribut(xf, "quotePrefix", "1")
            self._xf.append(xf)
            self.xml = re.sub(r"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)",
                              lambda m: f'{_set_atribut(m.group(1), "count", str(len(self._xf)))}{m.group(2)}{xf}'
                                        f"{m.group(3)}", self.xml, count=1, flags=re.S)
            self._turunan[kunci] = len(self._xf) - 1
            self.berubah = True
        return self._turunan[kunci]


def _set_atribut(tag: str, nama: str, nilai: str) -> str:
    """Set an attribute on an element's start tag (`<xf .../>` or `<xf ...>...`)."""
    pola = re.compile(rf'\b{nama}="[^"]*"')
    akhir = tag.index(">")
    kepala = tag[:akhir]
    if pola.search(kepala):
        return pola.sub(f'{nama}="{nilai}"', kepala, count=1) + tag[akhir:]
    sisip = akhir - 1 if kepala.endswith("/") else akhir
    return f'{tag[:sisip]} {nama}="{nilai}"{tag[sisip:]}'


# ---- cells and rows --------------------------------------------------------------------------------------

def ekor_sel(s: int, nilai: Any, gaya: XmlStyles) -> str:
    """What follows `<c r="A1"` for `nilai` in a cell of style `s`; "" when no cell is written at all (no value,
    no style). Runs for every written cell, so plain text and numbers, by far the most common, come first."""
    t = type(nilai)
    if t is str:
        if not nilai:
            return f' s="{s}"/>' if s else ""
        if nilai[0] in _AWAL_RUMUS:
            s = gaya.untuk(s, nilai)
        ruang = ' xml:space="preserve"' if nilai[0].isspace() or nilai[-1].isspace() else ""
        teks = teks_xml(nilai) if _PERLU_ESCAPE.search(nilai) else nilai
        return f' s="{s}" t="inlineStr"><is><t{ruang}>{teks}</t></is></c>' if s else \
            f' t="inlineStr"><is><t{ruang}>{teks}</t></is></c>'
    if t is int or (t is float and nilai - nilai == 0):  # finite; 16 significant digits, as openpyxl writes
        return f' s="{s}"><v>{nilai:.16g}</v></c>' if s else f"><v>{nilai:.16g}</v></c>"
    if nilai is None:
        return f' s="{s}"/>' if s else ""
    if t is bool:
        return f' s="{s}" t="b"><v>{int(nilai)}</v></c>' if s else f' t="b"><v>{int(nilai)}</v></c>'
    if isinstance(nilai, (int, float)):  # subclasses (an IntEnum, numpy's float64)
        if not math.isfinite(nilai):
            raise ValueError(f"nilai {nilai} tidak dapat disimpan di Excel")
        return ekor_sel(s, float(nilai), gaya)
    if isinstance(nilai, (date, time, timedelta)):
        s = gaya.untuk(s, nilai)
        return f' s="{s}"><v>{serial_excel(nilai):.16g}</v></c>' if s else f"><v>{serial_excel(nilai):.16g}</v></c>"
    raise TypeError(f"jenis nilai {type(nilai).__name__} tidak dapat disimpan")


INT_LIMIT = 2**53  # beyond it a float no longer holds every integer: it is read back as a float


def as_openpyxl_reads(v: Any) -> Any:
    """A value as read from a cell (by calamine) turned into what openpyxl reads from the same cell: integral
    numbers as int, dates as datetime, empty text as None."""
    t = type(v)
    if t is str:
        return v or None
    if t is float:
        return int(v) if v.is_integer() and -INT_LIMIT < v < INT_LIMIT else v
    if t is date:
        return datetime(v.year, v.month, v.day)
    return v


def _gaya_kolom(kepala: str) -> dict[int, int]:
    """Column -> style from `<cols>` (what Excel gives a new cell typed into a formatted column)."""
    hasil: dict[int, int] = {}
    for atribut in _KOLOM.findall(kepala):
        a = dict(_ATRIBUT.findall(atribut))
        if "style" in a:
            for k in range(int(a["min"]), min(int(a["max"]), 16384) + 1):
                hasil[k] = int(a["style"])
    return hasil


def _gaya_sel_baru(s: int, nilai: Any, gaya: XmlStyles) -> int:
    """A plain number typed into a new cell of a date-formatted column stays a number (as openpyxl writes it)."""
    t = type(nilai)
    return 0 if (t is float or t is int) and s and gaya.bertanggal(s) else s


def _ekor_kolom(s: int, nilai: Iterable[Any], gaya: XmlStyles) -> list[str | None]:
    """`ekor_sel` for the new cells of one column: the same text repeats down a column ('Naik', 'Dokumen', the
    bidang name), so each distinct text is formatted once.

    None for a value that needs a cell format of its own (a date, formula-like text): such rows take the
    general path, so a format is only added to the workbook for a cell that is actually written with it.
    """
    nilai = list(nilai)
    jenis = set(map(type, nilai))
    teks: dict[str | None, str | None] = {None: f' s="{s}"/>' if s else ""}

    def ekor_teks(v: str) -> str | None:
        e = teks.get(v, "")
        if e == "":
            e = teks[v] = None if v.startswith(_AWAL_RUMUS) else ekor_sel(s, v, gaya)
        return e

    # whole columns of one kind, the usual case, are done by loops that run in C
    if jenis <= _TEKS_ATAU_KOSONG:
        for v in set(nilai) - {None}:
            ekor_teks(v)
        return list(map(teks.__getitem__, nilai))
    if jenis <= _ANGKA_ATAU_KOSONG:
        # a number typed into a date-formatted column stays a number (`_gaya_sel_baru`)
        pola = ("><v>" if s == 0 or gaya.bertanggal(s) else f' s="{s}"><v>') + "%.16g</v></c>"
        with contextlib.suppress(OverflowError):
            hasil = [teks[None] if v is None else pola % v for v in nilai]
            if "n" not in "".join(hasil):  # type: ignore[arg-type]  # no nan or inf among them (refused by ekor_sel below)
                return hasil
    return [ekor_teks(v) if type(v) is str else teks[None] if v is None
            else None if isinstance(v, (date, time, timedelta)) else ekor_sel(_gaya_sel_baru(s, v, gaya), v, gaya)
            for v in nilai]


_TEKS_ATAU_KOSONG = frozenset({str, type(None)})
_ANGKA_ATAU_KOSONG = frozenset({int, float, type(None)})


def _sel_blok(nomor: Sequence[int], kiri: int, nilai: Sequence[Sequence[Any]], gaya_kolom: Mapping[int, int],
              gaya: XmlStyles) -> list[str | None]:
    """The cells' XML of rows written with the same columns, computed column by column (None: the row takes
    the general path).

    Why: this is where a kabupaten-sized save spends its time (a million cells). Each row is then one
    `str.format` of a template that holds the cell addresses, chosen by which cells the row has.
    """
    lebar = len(nilai[0])
    huruf = [_huruf_kolom(k) for k in range(kiri, kiri + lebar)]
    kolom = [_ekor_kolom(gaya_kolom.get(kiri + j, 0), [b[j] for b in nilai], gaya) for j in range(lebar)]
    pola: dict[tuple[bool, ...], str] = {}

    def templat(ada: tuple[bool, ...]) -> str:
        if ada not in pola:
            pola[ada] = "".join(f'<c r="{h}{{0}}"{{{j + 1}}}' for j, h in enumerate(huruf) if ada[j])
        return pola[ada]

    ada_sel = tuple(map(any, kolom))  # a column blank ("") in every row holds no cell
    if not any(None in k or (ada and "" in k) for k, ada in zip(kolom, ada_sel, strict=True)):
        semua = templat(ada_sel)  # every row has the same cells: one template for all
        return [semua.format(r, *ekor) for r, ekor in zip(nomor, zip(*kolom, strict=True), strict=True)]
    return [None if None in ekor else templat(tuple(map(bool, ekor))).format(r, *ekor)
            for r, ekor in zip(nomor, zip(*kolom, strict=True), strict=True)]
