"""Values of a large sheet the fast engine wrote, kept in the user's cache folder for the next command.

Why: step 6 reads the whole Rekap that step 5 wrote; at kabupaten scale parsing its 40 MB of XML again costs
more than everything else the analysis does. An entry is named by the SHA-256 of the sheet's compressed bytes
inside the master, so it can only ever stand for exactly those bytes: a sheet changed in Excel or saved by
another engine simply misses and is read from the file as always (a restored `.bak` holding the very same
bytes hits, rightly).
Entries hold what reading the saved sheet gives (numbers as stored, 16 significant digits, integral ones as
int; empty text as None); a sheet holding anything else (dates, text with Excel's `_xHHHH_` escapes) is not
kept. An entry also holds the writer's note about those values (``Book.keep_for_next``): Rekap's says with what
its analysis columns were computed, so step 6 need not compute them again for the very bytes step 5 saved.
Losing the folder loses nothing but time.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from macros_py.io.engines.fast.sheet_xml import INT_LIMIT, as_openpyxl_reads
from macros_py.io.files import folder_tembolok

VERSI = 3  # 3: the writer's note in the header
SEL_MIN = 50_000  # cells of a written sheet from which its values are kept
UKURAN_MIN = 256 << 10  # compressed bytes of a sheet part from which a read looks for kept values
ENTRI_MAKS = 6  # newest entries kept (a province-sized Rekap is ~60 MB; a validated Daftar Indikator is small)
_POTONGAN = 5_000  # rows per marshal piece: a large sheet is never serialised whole in memory
_SEMENTARA = ".tmp-"
_HASIL = "hasil"  # marks an entry of `keep_result` (not a sheet's values)


def folder() -> Path:
    """The sheet values' folder inside the program's cache folder."""
    return folder_tembolok() / "cache"


def key(data_terkompresi: bytes) -> str:
    return hashlib.sha256(data_terkompresi).hexdigest()


class _TidakDisimpan(Exception):
    pass


def _angka_tersimpan(v: float) -> int | float:
    """A number as it reads back from the cell XML (`lembar_xml` writes 16 significant digits)."""
    return as_openpyxl_reads(float(f"{v:.16g}"))


_JENIS = frozenset({str, int, float, bool, type(None)})


def seperti_dibaca(potongan: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows as a later read of the saved sheet returns them (short rows padded with None, as reads pad them);
    `_TidakDisimpan` for a value this cache does not reproduce exactly. Works column by column: a column of
    text or blanks (half of Rekap) is checked by loops in C, only number columns are converted value by value."""
    hasil = []
    for kolom in itertools.zip_longest(*potongan):
        jenis = set(map(type, kolom))
        if not jenis <= _JENIS:
            raise _TidakDisimpan
        if str in jenis:
            if "_x" in "\x00".join([v for v in kolom if type(v) is str]):
                raise _TidakDisimpan  # readers decode Excel's _x000D_ escapes
            if "" in kolom:
                kolom = tuple(None if v == "" else v for v in kolom)
        if float in jenis or int in jenis:
            # integral floats, by far the most common, are turned into int inline (exact below INT_LIMIT)
            kolom = tuple((int(v) if v.is_integer() and -INT_LIMIT < v < INT_LIMIT else _angka_tersimpan(v))
                          if type(v) is float else _angka_tersimpan(v)
                          if type(v) is int and not -INT_LIMIT < v < INT_LIMIT else v for v in kolom)
        hasil.append(kolom)
    return [list(b) for b in zip(*hasil, strict=True)]


def prepare(baris: Sequence[Sequence[Any]], catatan: str = "") -> Path | None:
    """Write an entry for these rows and the writer's note under a temporary name (in a worker, while the sheet
    part itself is being written); `name_entry` gives it its name once the part's bytes are known. None when
    the rows are not kept."""
    akhir = len(baris)
    while akhir and not any(v is not None for v in baris[akhir - 1]):
        akhir -= 1  # trailing blank rows are not kept (reads do not agree on them)
    baris = baris[:akhir]

    def tulis(f: BinaryIO) -> None:
        _tulis_potongan(f, (VERSI, len(baris), catatan))
        for i in range(0, len(baris), _POTONGAN):
            _tulis_potongan(f, seperti_dibaca(baris[i : i + _POTONGAN]))

    return _entri_sementara(tulis)


def _entri_sementara(tulis: Callable[[BinaryIO], object]) -> Path | None:
    """An entry written by `tulis` under a temporary name in the folder; None (and nothing left behind) when it
    cannot be written or `tulis` finds the values cannot be kept."""
    tmp = None
    try:
        tujuan = folder()
        tujuan.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=tujuan, prefix=_SEMENTARA)
        with os.fdopen(fd, "wb") as f:
            tulis(f)
    except (OSError, _TidakDisimpan, ValueError):
        discard(Path(tmp) if tmp else None)
        return None
    return Path(tmp)


def name_entry(sementara: Path, nama: str) -> None:
    """The entry written by `prepare` becomes the one for the sheet part whose compressed bytes hash to `nama` (and
    `keep_result`'s the one named `nama`)."""
    try:
        os.replace(sementara, sementara.parent / nama)
        _pangkas(sementara.parent)
    except OSError:
        discard(sementara)


def discard(sementara: Path | None) -> None:
    if sementara is not None:
        with contextlib.suppress(OSError):
            sementara.unlink()


def _pangkas(tujuan: Path) -> None:
    """Only the newest entries stay (an entry read is new again: Daftar Indikator kept at `format` stays while
    each intake adds a Rekap); temporary files of a killed run go after an hour."""
    entri = []
    for p in tujuan.iterdir():
        with contextlib.suppress(OSError):
            if len(p.name) == 64:
                entri.append((p.stat().st_mtime, p))
            elif p.name.startswith(_SEMENTARA) and p.stat().st_mtime < time.time() - 3600:
                p.unlink()
    for _, lama in sorted(entri, reverse=True)[ENTRI_MAKS:]:
        with contextlib.suppress(OSError):
            lama.unlink()


def keep_result(nama: str, isi: Any) -> None:
    """Keep `isi`, what a command computed from a sheet's stored bytes (`nama` names those bytes and how it was
    computed: ``XmlBook.memo``), for the next command; nothing when it cannot be kept (a value marshal cannot
    write, such as a date; a folder that cannot be written)."""
    tmp = _entri_sementara(lambda f: f.write(marshal.dumps((VERSI, _HASIL, isi))))
    if tmp is not None:
        name_entry(tmp, nama)


def load_result(nama: str) -> Any | None:
    """What `keep_result` kept under `nama`, or None (none, another version, a damaged file)."""
    try:
        versi, jenis, isi = marshal.loads((folder() / nama).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if versi != VERSI or jenis != _HASIL:
        return None
    _dipakai(nama)
    return isi


def _dipakai(nama: str) -> None:
    """An entry just read is among the newest again (`_pangkas`)."""
    with contextlib.suppress(OSError):
        os.utime(folder() / nama)


def _tulis_potongan(f: BinaryIO, isi: Any) -> None:
    data = marshal.dumps(isi)
    f.write(len(data).to_bytes(8, "little") + data)


def load(nama: str) -> tuple[list[list[Any]], str] | None:
    """The kept values for `nama` and the writer's note, or None (no entry, another version, a damaged file)."""
    try:
        data = memoryview((folder() / nama).read_bytes())
    except OSError:
        return None
    potongan = []
    i = 0
    try:
        while i < len(data):
            n = int.from_bytes(data[i : i + 8], "little")
            potongan.append(marshal.loads(data[i + 8 : i + 8 + n]))
            i += 8 + n
        versi, jumlah, catatan = potongan[0]
        baris = [b for p in potongan[1:] for b in p]
    except (EOFError, ValueError, TypeError, IndexError):
        return None
    if versi != VERSI or len(baris) != jumlah or type(catatan) is not str or not all(type(b) is list for b in baris):
        return None
    _dipakai(nama)
    return baris, catatan
