"""Writing cell values straight into a worksheet's XML part, keeping everything else of the part as it was.

Why: loading and saving a whole large master with openpyxl costs seconds per action; an action touches a few
sheets. Here only the `<row>`s that receive values are rebuilt; every other byte of the part (columns, views,
protection, validations, conditional formats, untouched rows) is copied unchanged. A rewritten cell keeps its
style (`s=`); a new cell takes its row's or column's style, as Excel does when someone types into an empty
cell. Text is written as an inline string (what openpyxl writes too), so it is never taken for a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from macros_py.domain.validasi import huruf_kolom, nomor_kolom
from macros_py.io.engines.fast.cells import (
    _ANGKA_R,
    _GAYA,
    _NOMOR,
    _SEL_ALAMAT,
    INT_LIMIT,
    UnsupportedXml,
    XmlStyles,
    _gaya_kolom,
    _gaya_sel_baru,
    _huruf_kolom,
    _sel_blok,
    as_openpyxl_reads,
    ekor_sel,
    format_tanggal,
    serial_excel,
    teks_xml,
)

__all__ = ["INT_LIMIT", "Segmen", "UnsupportedXml", "XmlStyles", "as_openpyxl_reads", "ekor_sel", "format_tanggal",
           "serial_excel", "teks_xml", "write_sheet"]

Segmen = tuple[int, Sequence[Any]]  # one write into a row: (first column, values)
_BARIS_BERATRIBUT = re.compile(r'<row (?!r="\d+">)')  # a row with more than its number, or empty
_SPANS = re.compile(r'\s*\bspans="[^"]*"')
_DIMENSI = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"\s*/>')


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


class _Penggabung:
    """Merges the writes into the part's rows, a chunk of complete rows at a time, in row order: written rows are
    rebuilt (or taken whole where they repeat a block written before), rows written for the first time are
    inserted where they belong, every other row is copied as it was."""

    def __init__(self, perubahan: Mapping[int, Sequence[Segmen]], gaya: XmlStyles, gaya_kolom: Mapping[int, int],
                 dari: int | None, sampai: int | None) -> None:
        self.perubahan, self.gaya, self.gaya_kolom = perubahan, gaya, gaya_kolom
        self.dari, self.sampai = dari, sampai
        self.urutan = sorted(r for r in perubahan if (dari is None or r >= dari) and (sampai is None or r < sampai))
        self.tertulis = _SelTertulis(perubahan, self.urutan, gaya_kolom, gaya)
        self.sebaku = _Sebaku(gaya_kolom, gaya)
        self.i = 0  # the next written row (index into `urutan`)

    def _milik_lain(self, r: int) -> bool:
        return (self.dari is not None and r < self.dari) or (self.sampai is not None and r >= self.sampai)

    def baris_sampai(self, r: int | None) -> list[str]:
        """New rows before row r (all remaining when None)."""
        keluar = []
        while self.i < len(self.urutan) and (r is None or self.urutan[self.i] < r):
            nomor = self.urutan[self.i]
            sel = self.tertulis.untuk(self.i)
            if sel is None:
                sel = _baris_umum(nomor, self.perubahan[nomor], self.gaya_kolom, self.gaya, {}, None)
            if sel:
                keluar.append(f'<row r="{nomor}">{sel}</row>')
            self.i += 1
        return keluar

    def sisa(self) -> Iterator[str]:
        """Rows after the part's last row, 2000 at a time."""
        while self.i < len(self.urutan):
            berikut = self.i + 2000
            yield "".join(self.baris_sampai(self.urutan[berikut] if berikut < len(self.urutan) else None))

    def _semua_ditulis_ulang(self, isi: str) -> str | None:
        """The complete rows in `isi` when each is written again with a block over cells `sebaku` (the rows
        checked together, none taken apart); None otherwise, "" when a row takes the general path anyway (then
        checking halves of `isi` again would only repeat the work)."""
        n, i = isi.count("<row "), self.i
        if n == 0 or i + n > len(self.urutan) or self.urutan[i + n - 1] - self.urutan[i] != n - 1:
            return None
        nomor = self.urutan[i : i + n]
        if self._milik_lain(nomor[0]) or self._milik_lain(nomor[-1]):
            return None
        # rows are in ascending order: n plain rows from the first to the last number are exactly these
        if not isi.lstrip().startswith(f'<row r="{nomor[0]}">') or _BARIS_BERATRIBUT.search(isi) \
                or isi.rfind("<row ") != isi.rfind(f'<row r="{nomor[-1]}">'):
            return None
        kiri, lebar = self.perubahan[nomor[0]][0][0], len(self.perubahan[nomor[0]][0][1])
        if not self.sebaku(isi, kiri, lebar):
            return None
        sel = [self.tertulis.untuk(j) for j in range(i, i + n)]  # None: a row written more than once, or a date
        if None in sel:
            return ""
        if any(self.perubahan[r][0][0] != kiri or len(self.perubahan[r][0][1]) != lebar for r in nomor):
            return None
        self.i += n
        return "".join([f'<row r="{r}">{s}</row>' for r, s in zip(nomor, sel, strict=True)])

    def proses(self, isi: str) -> str:
        """Complete rows of the old part, with the written rows merged in and new rows inserted."""
        ulang = self._semua_ditulis_ulang(isi)
        if ulang:
            return ulang
        tengah = isi.find("<row ", len(isi) // 2) if ulang is None and len(isi) > _SEPARUH_MIN else -1
        if tengah > 0:  # the rows that cannot be checked together (a bidang sheet's styled input rows) are few
            return self.proses(isi[:tengah]) + self.proses(isi[tengah:])
        bagian = isi.split("<row ")
        if bagian[0].strip():
            raise UnsupportedXml("isi <sheetData> tidak dikenal")
        beralamat = isi.count("<c ") == isi.count('<c r="')  # every cell of these rows starts with r=
        keluar: list[str] = []
        for p in bagian[1:]:
            r, atribut, dalam = _urai_baris(p)
            keluar += self.baris_sampai(r)
            if self._milik_lain(r):
                continue  # another piece's row
            if self.i < len(self.urutan) and self.urutan[self.i] == r:
                keluar.append(self._baris_ditulis(r, atribut, dalam, beralamat))
                self.i += 1
            else:
                keluar.append("<row " + p)
        return "".join(keluar)

    def _baris_ditulis(self, r: int, atribut: str, dalam: str, beralamat: bool) -> str:
        """One existing row that receives writes."""
        if "spans=" in atribut:
            atribut = _SPANS.sub("", atribut)
        gaya_baris = None
        if 'customFormat="1"' in atribut and (g := _GAYA.search(atribut)):
            gaya_baris = int(g.group(1))
        segmen = self.perubahan[r]
        sel = self.tertulis.untuk(self.i) if gaya_baris is None else None
        if sel is not None and _semua_di_kanan(dalam, segmen[0][0], beralamat):
            # new cells right of every existing cell (analysis columns added to Rekap rows): the existing cells are
            # kept as one piece, unparsed
            return f"<row {atribut}>{dalam}{sel}</row>"
        if sel is not None and self.sebaku(dalam, segmen[0][0], len(segmen[0][1])):
            return f"<row {atribut}>{sel}</row>"  # a row written again, as it was written before
        sel = _baris_umum(r, segmen, self.gaya_kolom, self.gaya, _urai_sel(dalam), gaya_baris)
        return f"<row {atribut}>{sel}</row>"


def _kepala(potongan: Iterator[str]) -> tuple[str, str]:
    """(the part's head before <sheetData, the text from <sheetData on), read just far enough."""
    buf = ""
    for teks in potongan:
        buf += teks
        awal = buf.find("<sheetData")
        if awal >= 0 and buf.find(">", awal) >= 0:
            return buf[:awal], buf[awal:]
    raise UnsupportedXml("bagian sheet tanpa <sheetData>")


def _potongan_baris(buf: str, potongan: Iterator[str], dari: int | None, sampai: int | None
                    ) -> Iterator[tuple[str, str | None]]:
    """Chunks of complete rows of <sheetData> (a row is never cut), then (\"\", the tail from </sheetData>). A
    chunk only of rows before `dari` is skipped; reading stops once a chunk reaches `sampai`."""
    buka = buf.index(">")
    if buf[buka - 1] == "/":  # <sheetData/>: no rows yet
        yield "", "</sheetData>" + buf[buka + 1 :]
        return
    buf = buf[buka + 1 :]
    while True:
        akhir = buf.find("</sheetData>")
        if akhir >= 0:
            yield buf[:akhir], buf[akhir:]
            return
        k = buf.rfind("<row ")  # rows before the last start are complete
        if k > 0:
            terakhir = _nomor_baris_terakhir(buf[:k]) if dari is not None or sampai is not None else None
            if dari is None or terakhir is None or terakhir >= dari:  # else: only an earlier piece's rows
                yield buf[:k], None
            buf = buf[k:]
            if sampai is not None and terakhir is not None and terakhir >= sampai:
                yield "", None  # every later row belongs to the next pieces
                return
        teks = next(potongan, None)
        if teks is None:
            raise UnsupportedXml("</sheetData> tidak ditemukan")
        buf += teks


def write_sheet(sumber: Iterable[str], perubahan: Mapping[int, Sequence[Segmen]], gaya: XmlStyles,
                dari: int | None = None, sampai: int | None = None) -> Iterator[str]:
    """The part (read as text pieces from `sumber`) with `perubahan` written in, as text pieces; all else
    unchanged. Streams: a sheet of hundreds of thousands of rows is never held whole.

    A pipeline: the head (column styles, dimension) -> chunks of complete rows -> each chunk merged with the
    writes -> rows after the last -> the tail. `perubahan`: row -> the writes into that row, in order, each
    (first column, values) (1-based). `dari`/`sampai`: only rows [dari, sampai) are produced, with the part's
    head when `dari` is None and its tail when `sampai` is None — how one large part is written in pieces on
    several cores (the pieces in order make the whole part).
    """
    potongan = iter(sumber)
    kepala, buf = _kepala(potongan)
    penggabung = _Penggabung(perubahan, gaya, _gaya_kolom(kepala), dari, sampai)
    if dari is None:
        yield _dimensi_baru(kepala, perubahan) + "<sheetData>"
    ekor = None
    for baris, akhir in _potongan_baris(buf, potongan, dari, sampai):
        if baris:
            yield penggabung.proses(baris)
        ekor = akhir if akhir is not None else ekor
    yield from penggabung.sisa()
    if sampai is None:
        yield ekor or ""
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
