"""Writing cell values straight into a worksheet's XML part, keeping everything else of the part as it was.

Why: loading and saving a whole large master with openpyxl costs seconds per action; an action touches a few
sheets. Here only the `<row>`s that receive values are rebuilt; every other byte of the part (columns, views,
protection, validations, conditional formats, untouched rows) is copied unchanged. A rewritten cell keeps its
style (`s=`); a new cell takes its row's or column's style, as Excel does when someone types into an empty
cell. Text is written as an inline string (what openpyxl writes too), so it is never taken for a formula.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.sax.saxutils import escape, unescape

from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.domain.validasi import huruf_kolom, nomor_kolom

Segmen = tuple[int, Sequence[Any]]  # one write into a row: (first column, values)


class UnsupportedXml(Exception):
    """The part is not shaped the way this writer understands; the caller falls back to openpyxl."""


_AWAL_RUMUS = ("=", "+", "-", "@")
_PERLU_ESCAPE = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = datetime(1899, 12, 30)
_ANGKA_R = re.compile(r'\br="(\d+)"')
_SEL_ALAMAT = re.compile(r'<c r="([A-Z]{1,3})\d+"(?:[^>]*?\ss="(\d+)")?')
_NOMOR: dict[str, int] = {}
_GAYA = re.compile(r'\bs="(\d+)"')
_BARIS_BERATRIBUT = re.compile(r'<row (?!r="\d+">)')  # a row with more than its number, or empty
_SPANS = re.compile(r'\s*\bspans="[^"]*"')
_KOLOM = re.compile(r"<col\b([^>]*)/?>")
_ATRIBUT = re.compile(r'(\w+)="([^"]*)"')
_DIMENSI = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"\s*/>')

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


_SEPARUH_MIN = 20_000  # characters of rows (about 20 Rekap rows) below which rows are merged one by one


class _SelTertulis:
    """Cells' XML of the rows written with one block (one segment each), a window of rows at a time so a
    province-sized Rekap is never held whole as XML."""

    JENDELA = 2000

    def __init__(self, perubahan: Mapping[int, Sequence[Segmen]], urutan: Sequence[int],
                 gaya_kolom: Mapping[int, int], gaya: XmlStyles) -> None:
        self.perubahan, self.urutan, self.gaya_kolom, self.gaya = perubahan, urutan, gaya_kolom, gaya
        self._jendela: dict[int, str | None] = {}

    def untuk(self, i: int) -> str | None:
        """Cells of row `urutan[i]`, or None when the row takes the general path (several writes into it)."""
        r = self.urutan[i]
        if r not in self._jendela:
            self._isi(i)
        return self._jendela.get(r)

    def _isi(self, i: int) -> None:
        kelompok: dict[tuple[int, int], tuple[list[int], list[Sequence[Any]]]] = {}
        jendela = self.urutan[i : i + self.JENDELA]
        for r in jendela:
            segmen = self.perubahan[r]
            if len(segmen) == 1 and segmen[0][1]:
                kiri, nilai = segmen[0]
                nomor, isi = kelompok.setdefault((kiri, len(nilai)), ([], []))
                nomor.append(r)
                isi.append(nilai)
        self._jendela = dict.fromkeys(jendela)
        for (kiri, _), (nomor, isi) in kelompok.items():
            self._jendela.update(zip(nomor, _sel_blok(nomor, kiri, isi, self.gaya_kolom, self.gaya), strict=True))


def _baris_umum(r: int, segmen: Sequence[Segmen], gaya_kolom: Mapping[int, int], gaya: XmlStyles,
                sel_lama: Mapping[int, tuple[int, str]], gaya_baris: int | None) -> str:
    """A row's cells with the written cells merged into its existing ones (kept as they are): the general
    path, for rows written more than once or partly over existing cells."""
    sel = dict(sel_lama)
    for kiri, nilai in segmen:
        for k, v in enumerate(nilai, kiri):
            ref = f"{_huruf_kolom(k)}{r}"
            lama = sel.get(k)
            if lama:
                if "<f" in lama[1]:
                    # a formula cell overwritten would leave Excel's calculation chain pointing at a value:
                    # openpyxl (which rebuilds the chain) takes over
                    raise UnsupportedXml(f"rumus di {ref} ditimpa")
                s = lama[0]
            else:
                s = _gaya_sel_baru(gaya_kolom.get(k, 0) if gaya_baris is None else gaya_baris, v, gaya)
            if v is not None and v != "":
                s = gaya.untuk(s, v)  # the cell's format from now on, also for a later write into it
            ekor = ekor_sel(s, v, gaya)
            sel[k] = (s, f'<c r="{ref}"{ekor}' if ekor else "")
    return "".join(sel[k][1] for k in sorted(sel))


def _urai_baris(potongan: str) -> tuple[int, str, str]:
    """A piece after '<row ': (row number, start-tag attributes, inner XML)."""
    akhir = potongan.index(">")
    kepala = potongan[:akhir]
    m = _ANGKA_R.search(kepala)
    if m is None:
        raise UnsupportedXml("baris tanpa nomor (atribut r)")
    if kepala.endswith("/"):
        return int(m.group(1)), kepala[:-1].rstrip(), ""
    tutup = potongan.rindex("</row>")
    return int(m.group(1)), kepala, potongan[akhir + 1 : tutup]


def _semua_di_kanan(isi: str, kolom: int, beralamat: bool = False) -> bool:
    """Whether every cell of a row's inner XML lies left of `kolom` (cells are in column order).
    `beralamat`: every cell is already known to start with its address (checked once for many rows)."""
    if not isi:
        return True
    j = isi.rfind('<c r="')
    if j < 0 or (not beralamat and isi.count("<c ") != isi.count('<c r="')):
        return False
    m = _SEL_ALAMAT.match(isi, j)
    return m is not None and nomor_kolom(m.group(1)) < kolom


class _Sebaku:
    """Whether the existing cells of a row, or of many rows at once, are all among the columns now written
    and each has its column's style, the style the block gives a new cell (no date format, no formula):
    writing the block's cells in their place is then exactly the general path's merge, without taking the old
    cells apart. The usual case when submissions are collected again over a previous collection (every bidang
    sheet and Rekap row is written again).

    One search per (columns written) finds any cell that is not so; rows without one cost no Python per cell.
    """

    def __init__(self, gaya_kolom: Mapping[int, int], gaya: XmlStyles) -> None:
        self.gaya_kolom, self.gaya = gaya_kolom, gaya
        self._pola: dict[tuple[int, int], re.Pattern[str]] = {}

    def __call__(self, isi: str, kiri: int, lebar: int) -> bool:
        pola = self._pola.get((kiri, lebar)) or self._pola.setdefault((kiri, lebar), self._pola_lain(kiri, lebar))
        # the search first: where rows differ it stops at the first such cell
        return pola.search(isi) is None and "<f" not in isi and "<c>" not in isi \
            and isi.count("<c ") == isi.count('<c r="')  # an overwritten formula goes the general path

    def _pola_lain(self, kiri: int, lebar: int) -> re.Pattern[str]:
        """A cell outside the columns kiri..kiri+lebar-1, or with another style than its column's."""
        per_gaya: dict[int, list[str]] = {}
        for k in range(kiri, kiri + lebar):
            s = self.gaya_kolom.get(k, 0)
            if not (s and self.gaya.bertanggal(s)):
                per_gaya.setdefault(s, []).append(_huruf_kolom(k))
        baku = [f'(?:{_pola_huruf(huruf)})\\d+"' + ('(?![^>]*\\ss=")' if s == 0 else f'[^>]*?\\ss="{s}"')
                for s, huruf in per_gaya.items()]
        return re.compile(f'<c r="(?!{"|".join(baku)})' if baku else "<c ")


def _pola_huruf(huruf: Sequence[str]) -> str:
    """Column letters as few character classes (A..Z, AA..AM: `[A...Z]|A[A...M]`): one test per cell."""
    per_awal: dict[str, list[str]] = {}
    for h in huruf:
        per_awal.setdefault(h[:-1], []).append(h[-1])
    return "|".join(f"{awal}[{''.join(akhir)}]" for awal, akhir in per_awal.items())


def _urai_sel(isi: str) -> dict[int, tuple[int, str]]:
    """Inner XML of a row -> column -> (style, the cell's XML as it was)."""
    potongan = isi.split("<c ")
    alamat = _SEL_ALAMAT.findall(isi)  # one C-level pass instead of two searches per cell
    if potongan[0].strip() or len(alamat) != len(potongan) - 1:
        raise UnsupportedXml("isi <row> tidak dikenal (sel tanpa alamat r di depan)")
    nomor = _NOMOR
    for huruf, _ in alamat:
        if huruf not in nomor:
            nomor[huruf] = nomor_kolom(huruf)
    return {nomor[h]: (int(g) if g else 0, "<c " + p) for (h, g), p in zip(alamat, potongan[1:], strict=True)}


def _nomor_baris_terakhir(isi: str) -> int | None:
    """Number of the last row that starts in `isi` (rows there are complete)."""
    j = isi.rfind("<row ")
    m = _ANGKA_R.search(isi, j, isi.find(">", j)) if j >= 0 else None
    return int(m.group(1)) if m else None


def write_sheet(sumber: Iterable[str], perubahan: Mapping[int, Sequence[Segmen]], gaya: XmlStyles,
                    dari: int | None = None, sampai: int | None = None) -> Iterator[str]:
    """The part (read as text pieces from `sumber`) with `perubahan` written in, as text pieces; all else
    unchanged. Streams: a sheet of hundreds of thousands of rows is never held whole.

    `perubahan`: row -> the writes into that row, in order, each (first column, values) (1-based).
    `dari`/`sampai`: only this range of rows [dari, sampai) is produced, with the part's head when `dari` is
    None and its tail when `sampai` is None — how one large part is written in pieces on several cores (the
    pieces in order make the whole part).
    """
    potongan = iter(sumber)
    buf = ""
    awal = -1
    for teks in potongan:
        buf += teks
        awal = buf.find("<sheetData")
        if awal >= 0 and buf.find(">", awal) >= 0:
            break
    else:
        raise UnsupportedXml("bagian sheet tanpa <sheetData>")
    buka = buf.index(">", awal)
    kepala = buf[:awal]
    gaya_kolom = _gaya_kolom(kepala)
    urutan = sorted(r for r in perubahan if (dari is None or r >= dari) and (sampai is None or r < sampai))
    tertulis = _SelTertulis(perubahan, urutan, gaya_kolom, gaya)
    sebaku = _Sebaku(gaya_kolom, gaya)
    i = 0

    def baris_sampai(r: int | None) -> list[str]:
        """New rows before row r (all remaining when None)."""
        nonlocal i
        keluar = []
        while i < len(urutan) and (r is None or urutan[i] < r):
            nomor = urutan[i]
            sel = tertulis.untuk(i)
            if sel is None:
                sel = _baris_umum(nomor, perubahan[nomor], gaya_kolom, gaya, {}, None)
            if sel:
                keluar.append(f'<row r="{nomor}">{sel}</row>')
            i += 1
        return keluar

    def semua_ditulis_ulang(isi: str) -> str | None:
        """The complete rows in `isi` when each is written again with a block over cells `sebaku` (the rows
        checked together, none taken apart); None otherwise, "" when a row takes the general path anyway (then
        checking halves of `isi` again would only repeat the work)."""
        nonlocal i
        n = isi.count("<row ")
        if n == 0 or i + n > len(urutan) or urutan[i + n - 1] - urutan[i] != n - 1:
            return None
        nomor = urutan[i : i + n]
        if (dari is not None and nomor[0] < dari) or (sampai is not None and nomor[-1] >= sampai):
            return None
        # rows are in ascending order: n plain rows from the first to the last number are exactly these
        if not isi.lstrip().startswith(f'<row r="{nomor[0]}">') or _BARIS_BERATRIBUT.search(isi) \
                or isi.rfind("<row ") != isi.rfind(f'<row r="{nomor[-1]}">'):
            return None
        kiri, lebar = perubahan[nomor[0]][0][0], len(perubahan[nomor[0]][0][1])
        if not sebaku(isi, kiri, lebar):
            return None
        sel = [tertulis.untuk(j) for j in range(i, i + n)]  # None: a row written more than once, or a date
        if None in sel:
            return ""
        if any(perubahan[r][0][0] != kiri or len(perubahan[r][0][1]) != lebar for r in nomor):
            return None
        i += n
        return "".join([f'<row r="{r}">{s}</row>' for r, s in zip(nomor, sel, strict=True)])

    def proses(isi: str) -> str:
        """Complete rows of the old part, with the written rows merged in and new rows inserted."""
        nonlocal i
        ulang = semua_ditulis_ulang(isi)
        if ulang:
            return ulang
        tengah = isi.find("<row ", len(isi) // 2) if ulang is None and len(isi) > _SEPARUH_MIN else -1
        if tengah > 0:  # the rows that cannot be checked together (a bidang sheet's styled input rows) are few
            return proses(isi[:tengah]) + proses(isi[tengah:])
        bagian = isi.split("<row ")
        if bagian[0].strip():
            raise UnsupportedXml("isi <sheetData> tidak dikenal")
        beralamat = isi.count("<c ") == isi.count('<c r="')  # every cell of these rows starts with r=
        keluar: list[str] = []
        for p in bagian[1:]:
            r, atribut, dalam = _urai_baris(p)
            keluar += baris_sampai(r)
            if (dari is not None and r < dari) or (sampai is not None and r >= sampai):
                continue  # another piece's row
            if i < len(urutan) and urutan[i] == r:
                if "spans=" in atribut:
                    atribut = _SPANS.sub("", atribut)
                gaya_baris = None
                if 'customFormat="1"' in atribut and (g := _GAYA.search(atribut)):
                    gaya_baris = int(g.group(1))
                segmen = perubahan[r]
                sel = tertulis.untuk(i) if gaya_baris is None else None
                if sel is not None and _semua_di_kanan(dalam, segmen[0][0], beralamat):
                    # new cells right of every existing cell (analysis columns added to Rekap rows): the existing
                    # cells are kept as one piece, unparsed
                    keluar.append(f"<row {atribut}>{dalam}{sel}</row>")
                elif sel is not None and sebaku(dalam, segmen[0][0], len(segmen[0][1])):
                    keluar.append(f"<row {atribut}>{sel}</row>")  # a row written again, as it was written before
                else:
                    sel = _baris_umum(r, segmen, gaya_kolom, gaya, _urai_sel(dalam), gaya_baris)
                    keluar.append(f"<row {atribut}>{sel}</row>")
                i += 1
            else:
                keluar.append("<row " + p)
        return "".join(keluar)

    if dari is None:
        yield _dimensi_baru(kepala, perubahan) + "<sheetData>"
    if buf[buka - 1] == "/":  # <sheetData/>: no rows yet
        ekor = "</sheetData>" + buf[buka + 1 :]
    else:
        buf = buf[buka + 1 :]
        while True:
            akhir = buf.find("</sheetData>")
            if akhir >= 0:
                yield proses(buf[:akhir])
                ekor = buf[akhir:]
                break
            k = buf.rfind("<row ")  # rows before the last start are complete
            if k > 0:
                terakhir = _nomor_baris_terakhir(buf[:k]) if dari is not None or sampai is not None else None
                if dari is None or terakhir is None or terakhir >= dari:  # else: only an earlier piece's rows
                    yield proses(buf[:k])
                buf = buf[k:]
                if sampai is not None and terakhir is not None and terakhir >= sampai:
                    break  # every later row belongs to the next pieces
            teks = next(potongan, None)  # type: ignore[assignment]  # None: the part ended
            if teks is None:
                raise UnsupportedXml("</sheetData> tidak ditemukan")
            buf += teks
    while i < len(urutan):  # rows after the last existing one, 2000 at a time
        yield "".join(baris_sampai(urutan[i + 2000] if i + 2000 < len(urutan) else None))
    if sampai is None:
        yield ekor
        yield from potongan


def _dimensi_baru(kepala: str, perubahan: Mapping[int, Sequence[Segmen]]) -> str:
    """`<dimension>` widened to cover the written cells (readers use it to size the sheet)."""
    m = _DIMENSI.search(kepala)
    if m is None or not perubahan:
        return kepala
    kiri, atas = m.group(1), int(m.group(2))
    kanan, bawah = (m.group(3), int(m.group(4))) if m.group(3) else (kiri, atas)
    bawah = max(bawah, max(perubahan))
    kolom = max(nomor_kolom(kanan), max(kiri + len(nilai) - 1 for segmen in perubahan.values()
                                        for kiri, nilai in segmen))
    ref = f"{kiri}{atas}:{huruf_kolom(kolom)}{bawah}"
    return kepala[: m.start()] + f'<dimension ref="{ref}"/>' + kepala[m.end() :]
