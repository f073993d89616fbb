"""xlwings engine of the book protocol: the route inside Excel (the add-in's "Run main" button).

Reads: the first touch of a sheet reads its whole used range in one call; every later read of that sheet is served
from that copy, with this action's own writes laid over it. Writes are buffered and reach Excel only in `flush()`,
after the action succeeded, one range call per block. So an action costs a number of Excel round trips that
depends on the sheets it touches, never on the rows, and an error before `flush()` leaves the workbook as it was.
(xlwings' remote engine works the same way by nature: writes are queued actions and reads never see them.)

xlwings is never imported here: the adapter only calls methods of the book object it is given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.book import T, lay_block

TANDA_TEKS = "'"  # Excel's text marker: a leading apostrophe is not part of the value
_KATA_LOGIKA = {"TRUE", "FALSE", "BENAR", "SALAH"}
_IZIN_PROTEKSI = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
                  "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
                  "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")


def teks_excel(nilai: str) -> str:
    """A string as it must be handed to Excel to stay exactly this text.

    Excel parses a value written through its object model like typed input: "=1+1" becomes a formula, "007" a
    number, "2026-10-05 08:00" a date, "TRUE" a boolean. A leading apostrophe keeps it text and is not part of the
    value read back. Strings that start with a letter and hold no digit cannot be parsed and are left alone.
    """
    if not nilai:
        return nilai
    aman = nilai[0].isalpha() and not any(c.isdigit() for c in nilai) and nilai.strip().upper() not in _KATA_LOGIKA
    return nilai if aman else TANDA_TEKS + nilai


def ke_excel(nilai: Any) -> Any:
    return teks_excel(nilai) if isinstance(nilai, str) else nilai


def dari_excel(nilai: Any) -> Any:
    """Excel stores every number and time as a double: whole numbers come back as int (as openpyxl reads them),
    times to the second (the product records seconds; a double may come back as 07:59:59.999999)."""
    if isinstance(nilai, float) and nilai.is_integer():
        return int(nilai)
    if isinstance(nilai, datetime) and nilai.microsecond:
        return (nilai + timedelta(microseconds=500_000)).replace(microsecond=0)
    return nilai


def _menutup(luar: tuple[int, int, list[list[Any]]], dalam: tuple[int, int, list[list[Any]]]) -> bool:
    """Does block `luar` cover every cell of block `dalam` (both rectangular)?"""
    (t1, l1, b1), (t2, l2, b2) = luar, dalam
    lebar1, lebar2 = len(b1[0]), len(b2[0])
    return t1 <= t2 and l1 <= l2 and t2 + len(b2) <= t1 + len(b1) and l2 + lebar2 <= l1 + lebar1


class XlwingsBook:
    """The book protocol over an xlwings `Book` (desktop Excel, or the remote engine in tests). No print layout:
    the Dokumen and Surat Pengantar sheets are laid out only by the headless engine."""

    capabilities: frozenset[str] = frozenset()

    def __init__(self, book: Any) -> None:
        self.book = book
        self.round_trips = 0
        self._nama: list[str] | None = None
        self._isi: dict[str, list[list[Any]]] = {}
        self._tertunda: list[tuple[str, int, int, list[list[Any]]]] = []
        self.writing = False  # set while `flush()` writes: an error then may have changed part of the workbook

    def _trip(self, n: int = 1) -> None:
        self.round_trips += n

    # ---- the book protocol -------------------------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        if self._nama is None:
            self._trip()
            self._nama = [s.name for s in self.book.sheets]
        return list(self._nama)

    def _periksa(self, sheet: str) -> None:
        if sheet not in self.sheet_names():
            raise PenggunaanSalah(f"Sheet '{sheet}' tidak ada di workbook ini (diganti nama atau dihapus?). "
                                  "Kembalikan nama sheet itu, lalu ulangi.")

    def _muat(self, sheet: str) -> list[list[Any]]:
        """The sheet's used range from A1, read once (two calls), with this action's writes laid over it."""
        if sheet in self._isi:
            return self._isi[sheet]
        self._periksa(sheet)
        lembar = self.book.sheets[sheet]
        self._trip()
        akhir = lembar.used_range.last_cell
        bawah, kanan = akhir.row, akhir.column
        self._trip()
        nilai = lembar.range((1, 1), (bawah, kanan)).options(ndim=2).value
        isi = [[dari_excel(v) for v in baris] for baris in nilai]
        for nama, top, left, blok in self._tertunda:
            if nama == sheet:
                lay_block(isi, top, left, blok)
        self._isi[sheet] = isi
        return isi

    def read(self, sheet: str, top: int, left: int, n_cols: int, n_rows: int | None = None) -> list[list[Any]]:
        isi = self._muat(sheet)
        bawah = len(isi) if n_rows is None else top + n_rows - 1
        hasil = []
        for r in range(top - 1, bawah):
            sel = isi[r] if r < len(isi) else []
            potong = sel[left - 1 : left - 1 + n_cols]
            hasil.append(potong + [None] * (n_cols - len(potong)))
        return hasil

    def write(self, sheet: str, top: int, left: int, values: Sequence[Sequence[Any]]) -> None:
        self._periksa(sheet)
        blok = [list(b) for b in values]
        if not blok or not any(blok):
            return
        lebar = max(len(b) for b in blok)
        if any(len(b) != lebar for b in blok):  # ragged: one rectangular block per row
            for i, b in enumerate(blok):
                self.write(sheet, top + i, left, [b])
            return
        self._tertunda.append((sheet, top, left, blok))
        if sheet in self._isi:
            lay_block(self._isi[sheet], top, left, blok)

    def read_values(self, sheet: str) -> list[list[Any]]:
        """Excel hands over values (formula results), so this is the whole used range, rectangular."""
        isi = self._muat(sheet)
        lebar = max((len(b) for b in isi), default=0)
        return [b + [None] * (lebar - len(b)) for b in isi]

    def last_row(self, sheet: str) -> int:
        """The used range read once anyway (two calls) gives it."""
        return len(self._muat(sheet))

    def keep_for_next(self, sheet: str, note: str = "") -> None:
        """Nothing to keep: Excel holds the workbook open (and anyone may type into it meanwhile)."""

    def kept_note(self, sheet: str) -> str:
        return ""

    def memo(self, sheet: str, context: str, compute: Callable[[], T]) -> T:
        """Computed: the workbook open in Excel may differ from any file."""
        return compute()

    def worksheet(self, sheet: str) -> Any:
        raise NotImplementedError("the xlwings engine does not lay out sheets (no LAYOUT capability)")

    # ---- the unit of work ---------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Blocks that `flush()` will write."""
        return len(self._blok_efektif())

    def _blok_efektif(self) -> list[tuple[str, int, int, list[list[Any]]]]:
        """Pending blocks minus those a later block on the same sheet overwrites completely."""
        hasil = []
        for i, (nama, top, left, blok) in enumerate(self._tertunda):
            if not any(n == nama and _menutup((t, lf, b), (top, left, blok))
                       for n, t, lf, b in self._tertunda[i + 1 :]):
                hasil.append((nama, top, left, blok))
        return hasil

    def discard(self) -> None:
        """Forget buffered writes: nothing reaches Excel."""
        self._tertunda.clear()
        self._isi.clear()

    def flush(self) -> int:
        """Write the buffered blocks to Excel (one range call each, in the order written); returns the count."""
        blok = self._blok_efektif()
        if not blok:
            return 0
        lembar = {nama: self.book.sheets[nama] for nama in dict.fromkeys(b[0] for b in blok)}
        self._izinkan_tulis(lembar)  # before the first write: a refusal here changes nothing
        self.writing = True
        for nama, top, left, nilai in blok:
            self._trip()
            rng = lembar[nama].range((top, left), (top + len(nilai) - 1, left + len(nilai[0]) - 1))
            rng.value = [[ke_excel(v) for v in baris] for baris in nilai]
        self.writing = False
        self._tertunda.clear()
        return len(blok)

    def _desktop_windows(self) -> bool:
        try:
            return sys.platform == "win32" and self.book.app.engine.type == "desktop"
        except Exception:
            return False

    def _izinkan_tulis(self, lembar: dict[str, Any]) -> None:
        """Protected sheets (Log, bidang sheets) stay protected for users and open to this code (Windows Excel).

        Re-protecting with UserInterfaceOnly keeps the sheet's own allowances; a sheet protected with a password
        cannot be re-protected without it, and the user is told so before anything is written.
        """
        if not self._desktop_windows():
            return
        for nama, sh in lembar.items():
            self._trip()
            api = sh.api
            if not api.ProtectContents:
                continue
            izin = {k: getattr(api.Protection, k) for k in _IZIN_PROTEKSI}
            try:
                api.Protect(DrawingObjects=api.ProtectDrawingObjects, Contents=True,
                            Scenarios=api.ProtectScenarios, UserInterfaceOnly=True, **izin)
            except Exception:
                raise PenggunaanSalah(f"Sheet {nama} dilindungi dengan kata sandi, sehingga hasil aksi tidak dapat "
                                      "ditulis. Buka proteksinya (Tinjau > Buka Proteksi Lembar), lalu ulangi. "
                                      "Workbook tidak diubah.") from None

    # ---- what the button needs from Excel besides cells ----------------------------------------------------

    def active_sheet(self) -> str:
        self._trip()
        return str(self.book.sheets.active.name)

    def selected_row(self) -> int | None:
        """Row of the first selected cell (None when, say, a shape is selected)."""
        self._trip()
        try:
            pilihan = self.book.selection
        except Exception:
            return None
        return int(pilihan.row) if pilihan is not None and pilihan.row else None

    def excel_user(self) -> str | None:
        """Excel's user name (File > Options > General), where the engine exposes it (Windows)."""
        try:
            self._trip()
            nama = self.book.app.api.UserName
        except Exception:
            return None
        return str(nama).strip() or None

    def interactive(self) -> bool:
        """Can an alert return the button pressed? Not on the remote engine (its alerts are queued)."""
        try:
            return self.book.app.engine.type != "remote"
        except Exception:
            return False

    def alert(self, pesan: str, judul: str, mode: str = "info", tombol: str = "ok") -> str | None:
        self._trip()
        return self.book.app.alert(pesan, title=judul, buttons=tombol, mode=mode)
