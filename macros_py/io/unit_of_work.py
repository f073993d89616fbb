"""Opening and saving the master workbook safely: the unit of work every action runs in.

Open: refuse while Excel holds the file (owner file `~$name`), take an inter-process lock (waiting with a
message, giving up with exit 5), clean up temporary files a killed run left behind. Save: write a temporary
file beside the master, fsync, keep the previous version as `<name>.bak`, and rename over the master — so the
master is always either the old good file or the new good file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from macros_py.domain.errors import InputDitolak, PenggunaanSalah, WorkbookSibuk

TEMP_PREFIX = ".evkin-tmp-"
WAIT_DEFAULT = 30.0


def lock_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def backup_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.bak")


def excel_owner(path: Path) -> str | None:
    """The user name in Excel's owner file when the workbook is open in Excel, else None."""
    calon = [path.with_name("~$" + path.name)]
    if len(path.stem) > 6:  # Excel replaces the first two characters of longer names
        calon.append(path.with_name("~$" + path.name[2:]))
    for owner in calon:
        if owner.exists():
            try:
                data = owner.read_bytes()[:165]
            except OSError:
                return "(tidak diketahui)"
            panjang = data[0] if data else 0
            nama = data[1 : 1 + panjang].decode("cp1252", errors="replace").strip() if panjang else ""
            return nama or "(tidak diketahui)"
    return None


def remove_leftovers(path: Path, info: Callable[[str], None]) -> None:
    """Remove temporary files a killed run left beside the master; the master itself is always whole."""
    for sisa in path.parent.glob(f"{TEMP_PREFIX}{path.name}*"):
        with contextlib.suppress(OSError):
            sisa.unlink()
            info(f"Berkas sementara sisa proses yang terhenti dihapus: {sisa.name} (workbook utama utuh).")


def _fsync_folder(folder: Path) -> None:
    if os.name != "nt":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_atomic(path: Path, tulis: Callable[[Path], None], cadangan: bool = True,
                  periksa: Callable[[Path], None] | None = None) -> None:
    """Write through `tulis(tmp)` then atomically replace `path`; the old version is kept as `.bak`.

    `periksa(tmp)` may refuse (raise) after writing and before anything is replaced.
    """
    fd, nama = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}", dir=path.parent)
    os.close(fd)
    tmp = Path(nama)
    try:
        tulis(tmp)
        if periksa is not None:
            periksa(tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        if cadangan and path.exists():
            bak = backup_file(path)
            shutil.copyfile(path, tmp.with_suffix(".bak-tmp"))
            os.replace(tmp.with_suffix(".bak-tmp"), bak)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        for p in (tmp, tmp.with_suffix(".bak-tmp")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


@contextlib.contextmanager
def lock_master(path: Path, tunggu: float, info: Callable[[str], None]) -> Iterator[None]:
    """Serialize writers of one master across processes; say so when waiting, give up after `tunggu` s."""
    from filelock import FileLock, Timeout

    kunci = FileLock(str(lock_file(path)))
    try:
        kunci.acquire(timeout=0)
    except Timeout:
        info(f"Menunggu: workbook {path.name} sedang dipakai proses lain (paling lama {tunggu:g} detik)...")
        try:
            kunci.acquire(timeout=tunggu)
        except Timeout:
            raise WorkbookSibuk(
                f"Workbook {path} masih dipakai proses lain setelah menunggu {tunggu:g} detik. Coba lagi nanti."
            ) from None
    try:
        yield
    finally:
        kunci.release()


def refuse_if_open_in_excel(path: Path) -> None:
    pemilik = excel_owner(path)
    if pemilik is not None:
        raise WorkbookSibuk(
            f"Workbook {path.name} sedang dibuka di Excel oleh {pemilik}. Tutup workbook di Excel "
            "(atau jalankan aksi lewat tombol di Excel), lalu ulangi."
        )


ENGINE_FAST = "xml"
ENGINE_OPENPYXL = "openpyxl"


def chosen_engine(mesin: str) -> str:
    """EVKIN_MESIN=openpyxl forces the slow, general engine everywhere (a switch for support and for tests)."""
    return ENGINE_OPENPYXL if os.environ.get("EVKIN_MESIN") == ENGINE_OPENPYXL else mesin


def open_book(path: Path, mesin: str = ENGINE_FAST):  # type: ignore[no-untyped-def]
    """The book for one action: the XML engine (fast), or openpyxl when asked for or when the file is one the
    XML engine cannot read."""
    if chosen_engine(mesin) == ENGINE_FAST:
        from macros_py.io.engines.fast.xml_book import XmlBook

        try:
            return XmlBook(path)
        except Exception:  # any file the fast reader rejects is still opened by openpyxl
            pass
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    return OpenpyxlBook(load_workbook(path), path)


class FileUnitOfWork:
    """One action on the master: lock, load, hand out a book, save atomically only on `simpan()`.

    `mesin`: "xml" (default; reads with calamine, rewrites only the sheets written) or "openpyxl" (actions
    that lay out sheets with openpyxl styles: the document, the letter, the archive).
    """

    def __init__(self, path: Path, tunggu: float = WAIT_DEFAULT, info: Callable[[str], None] = print,
                 mesin: str = ENGINE_FAST) -> None:
        self.path = path
        self.tunggu = tunggu
        self.info = info
        self.mesin = mesin
        self._kunci: contextlib.ExitStack | None = None
        self.book = None

    def __enter__(self) -> FileUnitOfWork:
        if not self.path.exists():
            raise PenggunaanSalah(
                f"Workbook {self.path} tidak ditemukan. Buat dulu dengan: evkin init --tahun 2026 --periode TW3"
            )
        refuse_if_open_in_excel(self.path)
        stack = contextlib.ExitStack()
        stack.enter_context(lock_master(self.path, self.tunggu, self.info))
        self._kunci = stack
        try:
            remove_leftovers(self.path, self.info)
            self.book = open_book(self.path, self.mesin)
        except BaseException:
            stack.close()
            raise
        return self

    def simpan(self) -> None:
        from macros_py.io.engines.fast.sheet_xml import UnsupportedXml

        refuse_if_open_in_excel(self.path)
        assert self.book is not None
        try:
            save_atomic(self.path, self.book.save_to, periksa=self._tolak_bila_ada_yang_hilang)
        except UnsupportedXml:
            self.book = self.book.to_openpyxl()
            save_atomic(self.path, self.book.save_to, periksa=self._tolak_bila_ada_yang_hilang)

    def _tolak_bila_ada_yang_hilang(self, baru: Path) -> None:
        from macros_py.io.preserve import what_would_be_lost

        hilang = what_would_be_lost(self.path, baru)
        if hilang:
            raise InputDitolak(
                f"Simpan dibatalkan: workbook {self.path.name} berisi hal yang akan hilang bila disimpan tanpa "
                "Excel. Workbook tidak diubah. Hapus atau pindahkan isi itu, atau jalankan aksi ini dari tombol "
                "di Excel.", hilang)

    def __exit__(self, *exc: object) -> None:
        if self._kunci is not None:
            self._kunci.close()
