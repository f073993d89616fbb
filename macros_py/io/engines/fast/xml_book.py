"""Fast headless engine of the book protocol: values are read with python-calamine, and saving rewrites only
the XML parts of the sheets the action wrote into (`lembar_xml`), copying every other part of the zip byte
for byte (`zip_bagian`).

Why: openpyxl builds every cell of every sheet on load and serialises all of them again on save, which for a
kabupaten-sized master (tens of bidang sheets, a Rekap of 30,000 rows) costs tens of seconds per action.
This engine costs what the action touches. Values read back are those openpyxl would give (integral numbers
as int, dates as datetime, empty text as None), and anything this writer does not understand makes the save
fall back to openpyxl with the same writes (`to_openpyxl`), so correctness never depends on the shortcut.
A large sheet written by one command and read whole by the next (Rekap, from step 5 to step 6) is read from
`cache`, which holds exactly what parsing those bytes would give.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import itertools
import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from macros_py.domain.teks import ada_karakter_ilegal, tanpa_karakter_ilegal
from macros_py.io.book import T
from macros_py.io.cell_format import FORMAT_TANGGAL, FORMAT_WAKTU
from macros_py.io.engines.fast import cache
from macros_py.io.engines.fast.sheet_xml import Segmen, UnsupportedXml, XmlStyles, as_openpyxl_reads, write_sheet
from macros_py.io.engines.fast.zip_parts import ZipPart, compress, copy_replacing, join_parts, raw_data

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
SEL_PARALEL = 200_000  # written cells from which the sheet parts are rebuilt on all cores
# Relative costs that deal the save's work evenly over the cores (measured at kabupaten scale): each part or
# piece costs about as much as this many written cells besides its cells; keeping a sheet's values for
# `cache` costs 2/5 of writing them.
BIAYA_TUGAS = 3_000
_NOMOR_BARIS = re.compile(rb'<row\s[^>]*?\br="(\d+)"')
_BARIS_TANPA_NOMOR = re.compile(rb'<row(?:/?>|\s(?![^>]*\br="\d))')
_BLOK_BACA = 1 << 20
_EKOR_JENDELA = 4096  # bytes kept from one inflated block to the next: a row's start tag is far shorter


def _gaya(teks: str) -> XmlStyles:
    return XmlStyles(teks, FORMAT_TANGGAL, FORMAT_WAKTU)


Potongan = tuple[str, Mapping[int, Sequence[Segmen]], int | None, int | None, int]
"""A piece of work of a save: (part, its writes, first row, row after the last (None: to the end), cells)."""


@dataclass(frozen=True)
class _Ingat:
    """Work of a save besides the parts: the values of `sheet` written for `cache`, with the writer's note."""

    sheet: str
    catatan: str
    nilai: Sequence[Sequence[Any]]


def _tulis_potongan(t: Potongan, path: Path, teks_gaya: str, gaya: XmlStyles | None = None) -> tuple[ZipPart, bool]:
    """One piece of a part written and compressed; whether it added cell formats to (its copy of) the styles."""
    gaya = gaya or _gaya(teks_gaya)
    nama, ubah, dari, sampai, _ = t
    teks = write_sheet(_teks_bagian(path, nama), ubah, gaya, dari, sampai)
    return compress(teks, akhir=sampai is None), gaya.berubah


def _kerjakan(t: Potongan | _Ingat, path: Path, teks_gaya: str) -> tuple[ZipPart, bool] | Path | None:
    """A save's piece of work, in a worker when there is much to write (hence a module-level function)."""
    return cache.prepare(t.nilai, t.catatan) if isinstance(t, _Ingat) else _tulis_potongan(t, path, teks_gaya)


def _teks_bagian(path: Path, bagian: str) -> Iterator[str]:
    """A part of the file at `path` as UTF-8 text pieces of a few MB."""
    pengurai = codecs.getincrementaldecoder("utf-8")()
    with zipfile.ZipFile(path) as z, z.open(bagian) as f:
        try:
            for blok in iter(lambda: f.read(1 << 22), b""):
                yield pengurai.decode(blok)
            yield pengurai.decode(b"", final=True)
        except UnicodeDecodeError:
            raise UnsupportedXml(f"{bagian} bukan UTF-8") from None


def _potongan(bagian: str, ubah: Mapping[int, Sequence[Segmen]], sel: int, ukuran: float) -> list[Potongan]:
    """A part's writes cut at row boundaries into pieces of about `ukuran` cells, so that one large sheet
    (Rekap) is written on every core, not on one while the others wait."""
    jumlah = max(1, math.ceil(sel / ukuran)) if ukuran > 0 else 1
    if jumlah == 1:
        return [(bagian, ubah, None, None, sel)]
    batas: list[int | None] = [None]
    hitung, per = 0, sel / jumlah
    for r in sorted(ubah):
        if hitung >= per * len(batas):
            batas.append(r)
        hitung += sum(len(nilai) for _, nilai in ubah[r])
    batas.append(None)
    # a piece carries only its rows' writes (a spawned worker is sent them); the first one carries all, from which
    # it widens the sheet's <dimension>
    return [(bagian, ubah if a is None else {r: ubah[r] for r in ubah if r >= a and (b is None or r < b)}, a, b,
             round(per)) for a, b in itertools.pairwise(batas)]


def _peta_sheet(z: zipfile.ZipFile) -> tuple[dict[str, str], str]:
    """Sheet name -> its part in the zip (workbook order), and the styles part."""
    buku = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}

    def bagian(t: str) -> str:
        return t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))

    peta = {s.get("name", ""): bagian(target[s.get(f"{{{_NS['r']}}}id")])
            for s in buku.findall("m:sheets/m:sheet", _NS)}
    gaya = next((bagian(t) for t in target.values() if t.endswith("styles.xml")), "xl/styles.xml")
    return peta, gaya


def _tempel(lembar: list[list[Any]], r: int, kiri: int, nilai: list[Any]) -> None:
    """One write into row r (1-based) of a sheet's values."""
    if len(lembar) < r:
        lembar.extend([] for _ in range(r - len(lembar)))
    isi = lembar[r - 1]
    if kiri == 1 and len(nilai) >= len(isi):
        # a write of the whole row (a new row, or a Rekap row collected again) is the row: they share one list
        # (a province Rekap is 200,000 of them). A later write into the row changes that list too, which leaves
        # the merged writes unchanged: the last write of each cell, that is the row as it now is, still wins.
        lembar[r - 1] = nilai
    else:
        kanan = kiri - 1 + len(nilai)
        if len(isi) < kanan:
            isi.extend([None] * (kanan - len(isi)))
        isi[kiri - 1 : kanan] = nilai


class XmlBook:
    """Values through calamine; a save rebuilds only the written sheets' parts. No print layout."""

    capabilities: frozenset[str] = frozenset()

    def __init__(self, path: Path) -> None:
        import python_calamine

        self.path = path
        with zipfile.ZipFile(path) as z:
            self._bagian, self._bagian_gaya = _peta_sheet(z)
            self._info = {i.filename: i for i in z.infolist()}
        self._calamine: Any = python_calamine.CalamineWorkbook.from_path(str(path))
        self._nilai: dict[str, list[list[Any]]] = {}
        self.perubahan: dict[str, dict[int, list[Segmen]]] = {}
        self._diingat: dict[str, str] = {}  # sheet -> note, kept for the next command (`cache`)
        self._catatan: dict[str, str] = {}  # sheet -> the note kept with the values read from `cache`
        self._kunci: dict[str, str] = {}  # sheet -> `cache` key of its part as stored (`_kunci_bagian`)

    def sheet_names(self) -> list[str]:
        return list(self._bagian)

    def _lembar(self, sheet: str) -> list[list[Any]]:
        """The sheet's values as this action left them: read at the first need, with the writes made before
        laid over them."""
        if sheet not in self._nilai:
            self._periksa(sheet)
            lembar = self._baca(sheet)
            for r, segmen in self.perubahan.get(sheet, {}).items():
                for kiri, nilai in segmen:
                    _tempel(lembar, r, kiri, nilai)  # type: ignore[arg-type]  # writes keep lists
            self._nilai[sheet] = lembar
        return self._nilai[sheet]

    def _baca(self, sheet: str) -> list[list[Any]]:
        """A sheet's values from the file (or from `cache`)."""
        kunci = self._kunci_bagian(sheet)
        dari_cache = cache.load(kunci) if kunci else None
        if dari_cache is not None:
            baris, self._catatan[sheet] = dari_cache
            return baris
        if self._calamine is None:  # closed by a save: opened again for a later read
            import python_calamine

            self._calamine = python_calamine.CalamineWorkbook.from_path(str(self.path))
        try:
            baris = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as e:  # calamine panics (a Rust panic) on e.g. a date beyond year 9999
            if type(e).__name__ != "PanicException":
                raise
            return self._baca_openpyxl(sheet)
        # text, the most common value, is checked inline; everything else goes through the function
        return [[v if type(v) is str and v else as_openpyxl_reads(v) for v in b] for b in baris]

    def last_row(self, sheet: str) -> int:
        """The last row of the sheet's part or written since, found by inflating the part, not parsing it; from
        the values when they are read already (they hold the writes) or the part's rows carry no numbers."""
        self._periksa(sheet)
        if sheet not in self._nilai and (terakhir := self._baris_terakhir_berkas(sheet)) is not None:
            return max(terakhir, max(self.perubahan.get(sheet, {}), default=0))
        return len(self._lembar(sheet))

    def _baris_terakhir_berkas(self, sheet: str) -> int | None:
        """Number of the part's last row tag (0 for none); None when a row has no number (placed by order)."""
        terakhir, sisa = 0, b""
        with zipfile.ZipFile(self.path) as z, z.open(self._bagian[sheet]) as f:
            for blok in iter(lambda: f.read(_BLOK_BACA), b""):
                jendela = sisa + blok
                if _BARIS_TANPA_NOMOR.search(jendela, 0, jendela.rfind(b">") + 1):  # whole tags only
                    return None
                # rows are in order: the window's last row tag (not <rowBreaks>, nor one cut at the window's end,
                # which is whole in the next window: it starts with this one's last bytes)
                j = jendela.rfind(b"<row")
                while j >= 0 and (m := _NOMOR_BARIS.match(jendela, j)) is None:
                    j = jendela.rfind(b"<row", 0, j)
                if j >= 0 and m is not None:
                    terakhir = max(terakhir, int(m.group(1)))
                sisa = jendela[-_EKOR_JENDELA:]
        return terakhir

    def _periksa(self, sheet: str) -> None:
        if sheet not in self._bagian:
            raise KeyError(f"Worksheet {sheet} does not exist.")

    def _kunci_bagian(self, sheet: str) -> str:
        """The `cache` key of the sheet's part as stored in the file; "" for a part too small to look for."""
        if sheet not in self._kunci:
            info = self._info.get(self._bagian[sheet])
            if info is None or info.compress_size < cache.UKURAN_MIN:
                self._kunci[sheet] = ""
            else:
                with self.path.open("rb") as f:
                    self._kunci[sheet] = cache.key(raw_data(f, info))
        return self._kunci[sheet]

    def _baca_openpyxl(self, sheet: str) -> list[list[Any]]:
        from openpyxl import load_workbook

        wb = load_workbook(self.path, read_only=True, data_only=True)
        try:
            return [[None if v == "" else v for v in b] for b in wb[sheet].iter_rows(values_only=True)]
        finally:
            wb.close()

    def read(self, sheet: str, top: int, left: int, n_cols: int, n_rows: int | None = None) -> list[list[Any]]:
        lembar = self._lembar(sheet)
        bawah = len(lembar) if n_rows is None else top + n_rows - 1
        hasil = []
        for r in range(top - 1, bawah):
            potong = lembar[r][left - 1 : left - 1 + n_cols] if r < len(lembar) else []
            hasil.append(potong + [None] * (n_cols - len(potong)) if len(potong) < n_cols else potong)
        return hasil

    def write(self, sheet: str, top: int, left: int, values: Sequence[Sequence[Any]]) -> None:
        """Recorded for the save, and laid over the sheet's values if they were read (else when they are)."""
        self._periksa(sheet)
        lembar = self._nilai.get(sheet)
        ubah = self.perubahan.setdefault(sheet, {})
        # characters XML cannot hold are looked for in the block's text at once (they are rare)
        ilegal = ada_karakter_ilegal("\n".join([v for b in values for v in b if type(v) is str]))
        for r, baris in enumerate(values, start=top):
            baris = [tanpa_karakter_ilegal(v) if type(v) is str else v for v in baris] if ilegal else list(baris)
            if lembar is not None:
                _tempel(lembar, r, left, baris)
            ubah.setdefault(r, []).append((left, baris))

    def worksheet(self, sheet: str) -> Any:
        raise NotImplementedError("the fast engine does not lay out sheets (no LAYOUT capability)")

    def keep_for_next(self, sheet: str, note: str = "") -> None:
        """After the save, the sheet's values and `note` go to `cache`, keyed by the bytes saved."""
        self._diingat[sheet] = note

    def memo(self, sheet: str, context: str, compute: Callable[[], T]) -> T:
        """Kept in `cache` under the sheet part's stored bytes and `context`, for a large sheet this book has not
        written (a small one is quick to compute again)."""
        self._periksa(sheet)
        kunci = "" if self.perubahan.get(sheet) else self._kunci_bagian(sheet)
        if not kunci:
            return compute()
        nama = hashlib.sha256(f"{kunci}\0{context}".encode()).hexdigest()
        hasil = cache.load_result(nama)
        if hasil is None:
            dibaca = sheet in self._nilai
            hasil = compute()
            if not dibaca:
                self._nilai.pop(sheet, None)  # read for this result only: a province's list is 300 MB of values
            cache.keep_result(nama, hasil)
        return hasil  # type: ignore[no-any-return]

    def kept_note(self, sheet: str) -> str:
        """The note found in `cache` with the sheet's values (read now if they were not yet)."""
        self._lembar(sheet)
        return self._catatan.get(sheet, "")

    def read_values(self, sheet: str) -> list[list[Any]]:
        lembar = self._lembar(sheet)
        lebar = max(map(len, lembar), default=0)
        return [b + [None] * (lebar - len(b)) for b in lembar]

    def save_to(self, tujuan: Path) -> None:
        """Write the master with this book's changes to `tujuan` (a temporary file beside it).

        Each written sheet's part is streamed from the old file through the writer into a compressor, in
        parallel when there is much to write.
        """
        from macros_py.io.parallel import parallel_map, start_method, worker_count

        if self._calamine is not None:  # no handle may stay open on the master when it is replaced (Windows)
            getattr(self._calamine, "close", lambda: None)()  # close() exists from python-calamine 0.3
            self._calamine = None
        with zipfile.ZipFile(self.path) as z:
            teks_gaya = z.read(self._bagian_gaya).decode("utf-8")
        bagian = [(self._bagian[sheet], ubah) for sheet, ubah in self.perubahan.items() if ubah]
        sel = [sum(len(nilai) for segmen in ubah.values() for _, nilai in segmen) for _, ubah in bagian]
        potong = worker_count() if sum(sel) >= SEL_PARALEL else 1
        tugas = [t for (nama, ubah), n in zip(bagian, sel, strict=True)
                 for t in _potongan(nama, ubah, n, sum(sel) / potong)]

        # the values of a large sheet the action named (`keep_for_next`) are written for `cache` on a core meanwhile
        ukuran = {sheet: sum(map(len, self._lembar(sheet))) for sheet in self._diingat if sheet in self.perubahan}
        diingat = [_Ingat(sheet, self._diingat[sheet], self._nilai[sheet]) for sheet, n in ukuran.items()
                   if n >= cache.SEL_MIN]
        # (a spawned worker would have to be sent those values, which costs what keeping them costs: then they are
        # kept here, after the parts)
        di_sini = start_method() == "spawn"
        kerja: list[Potongan | _Ingat] = [*tugas, *([] if di_sini else diingat)]
        bobot = [t[4] + BIAYA_TUGAS for t in tugas] + [ukuran[t.sheet] * 2 // 5 for t in diingat if not di_sini]
        kerjakan = functools.partial(_kerjakan, path=self.path, teks_gaya=teks_gaya)
        hasil = parallel_map(kerjakan, kerja, bobot=bobot, cukup=SEL_PARALEL)
        hasil += [kerjakan(t) for t in diingat] if di_sini else []
        ditulis: list[tuple[ZipPart, bool]] = hasil[: len(tugas)]  # type: ignore[assignment]
        sementara: dict[str, Path | None] = {t.sheet: h for t, h in zip(diingat, hasil[len(tugas) :], strict=True)  # type: ignore[misc]
                                             }
        try:
            ganti, bersama = {}, _gaya(teks_gaya)
            for nama, ubah in bagian:
                milik = [h for t, h in zip(tugas, ditulis, strict=True) if t[0] == nama]
                if any(berubah for _, berubah in milik):
                    # a part that added cell formats did so on its own copy of the style table: it is rebuilt
                    # against the one shared table (parts that added none refer only to formats that existed)
                    ganti[nama] = _tulis_potongan((nama, ubah, None, None, 0), self.path, teks_gaya, bersama)[0]
                else:
                    ganti[nama] = join_parts([isi for isi, _ in milik])
            if bersama.berubah:
                ganti[self._bagian_gaya] = compress([bersama.xml])
            copy_replacing(self.path, tujuan, ganti)
            for sheet, tmp in sementara.items():
                if tmp is not None:
                    cache.name_entry(tmp, cache.key(ganti[self._bagian[sheet]].data))
                    sementara[sheet] = None
        finally:
            for tmp in sementara.values():
                cache.discard(tmp)  # a failed save leaves no entry behind

    def to_openpyxl(self):
        """The same changes applied to the master loaded with openpyxl: the fallback for unusual files."""
        from openpyxl import load_workbook

        from macros_py.io.engines.openpyxl_book import OpenpyxlBook

        book = OpenpyxlBook(load_workbook(self.path), self.path)
        for sheet, ubah in self.perubahan.items():
            for r, segmen in ubah.items():
                for kiri, nilai in segmen:
                    book.write(sheet, r, kiri, [nilai])
        return book
