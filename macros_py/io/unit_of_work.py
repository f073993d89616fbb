"""The unit of work every action runs in (after Cosmic Python's `service_layer/unit_of_work.py`).

One protocol, four implementations used the same way by every entry point:

    with FileUnitOfWork(path) as uow:          # or ExcelUnitOfWork, NewFileUnitOfWork, MemoryUnitOfWork
        result = action(uow.book, ...)
        uow.commit()                           # save; then the after-save steps

Leaving the block without `commit()` abandons everything: the master keeps its old bytes, and files the action
prepared beside it (`stage()`: documents, formats, the sealed archive folder) are removed. Files outside the
master are moved into place only after the master was saved, so a refused save leaves nothing behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from macros_py.domain.errors import EvkinError, InputDitolak, PenggunaanSalah
from macros_py.io.book import Book, FileBook
from macros_py.io.engines import ENGINE_FAST, open_book
from macros_py.io.files import (
    STAGING_PREFIX,
    WAIT_DEFAULT,
    lock_master,
    refuse_if_open_in_excel,
    remove_leftovers,
    remove_tree,
    replace_file,
    save_atomic,
    workbook_tidak_ada,
)

TERSIMPAN: list[Path] = []
"""Masters saved by this process: after a failure, the CLI tells whether the workbook changed."""


class SesudahSimpanGagal(EvkinError):
    """The master was saved, but a file beside it could not be put in place: say so, never "tidak berubah".
    The exit code is the cause's (5 when another program holds the file)."""

    def __init__(self, pesan: str, exit_code: int = EvkinError.exit_code) -> None:
        super().__init__(pesan)
        self.exit_code = exit_code


class UnitOfWork(Protocol):
    @property
    def book(self) -> Book: ...

    @property
    def folder(self) -> Path | None:
        """The workbook's folder: referenced files are resolved against it (None: not known)."""
        ...

    @property
    def committed(self) -> bool: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None:
        """Save the book, then run the after-save steps."""
        ...

    def abandon(self) -> None:
        """Forget the book's changes and remove every staged file."""
        ...

    def after_save(self, step: Callable[[], None]) -> None:
        """Run `step` once the book is saved (never when it is not)."""
        ...

    def stage(self, target: Path) -> Path:
        """A temporary path beside `target` to write into; moved onto `target` after the save."""
        ...


class _Steps:
    """Bookkeeping shared by every unit of work: after-save steps, staged files, and leaving without a commit
    (abandon, then release the master's lock where one was taken)."""

    folder: Path | None = None
    _lock: contextlib.ExitStack | None = None

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.committed:
                self.abandon()
        finally:
            if self._lock is not None:
                self._lock.close()
    sudah = "Workbook sudah disimpan"  # what a failure after the save tells the user (never "tidak berubah")

    def __init__(self) -> None:
        self._after: list[Callable[[], None]] = []
        self._staged: list[Path] = []
        self.committed = False

    def after_save(self, step: Callable[[], None]) -> None:
        self._after.append(step)

    def stage(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{STAGING_PREFIX}{target.name}")
        remove_tree(tmp)  # a killed run's leftover never blocks the next try
        self._staged.append(tmp)

        def pindah() -> None:
            if target.is_dir() and not any(target.iterdir()):
                remove_tree(target)
            elif target.exists() and tmp.is_dir():
                raise PenggunaanSalah(f"Folder {target} sudah ada; tidak ditimpa.")
            replace_file(tmp, target)
            self._staged.remove(tmp)

        self.after_save(pindah)
        return tmp

    def _run_after_save(self) -> None:
        self.committed = True
        try:
            for step in self._after:
                step()
        except EvkinError as e:
            raise SesudahSimpanGagal(f"{self.sudah}, tetapi langkah sesudahnya gagal: {e.pesan}", e.exit_code) from e
        except OSError as e:
            raise SesudahSimpanGagal(
                f"{self.sudah}, tetapi berkas pendampingnya tidak dapat dipindahkan ({e}). Tutup "
                "berkas/folder yang sedang dibuka di aplikasi lain, lalu jalankan perintah itu lagi.") from e
        finally:
            self._after.clear()
            self._remove_staged()

    def abandon(self) -> None:
        self._after.clear()
        self._remove_staged()

    def _remove_staged(self) -> None:
        """Best effort, never hiding the error being reported: a file still held is removed by the next command
        (`remove_leftovers`)."""
        for tmp in self._staged:
            with contextlib.suppress(OSError, EvkinError):
                remove_tree(tmp)
        self._staged.clear()


class FileUnitOfWork(_Steps):
    """One action on the master file: lock, load, hand out a book, save atomically only on `commit()`.

    `engine`: "xml" (default; reads with calamine, rewrites only the sheets written) or "openpyxl" (actions
    that lay out sheets with openpyxl styles: the document, the letter, the archive).
    """

    def __init__(self, path: Path, tunggu: float = WAIT_DEFAULT, info: Callable[[str], None] = print,
                 engine: str = ENGINE_FAST) -> None:
        super().__init__()
        self.path = path
        self.folder = path.resolve().parent
        self.tunggu = tunggu
        self.info = info
        self.engine = engine
        self._lock = None
        self.book: FileBook = None  # type: ignore[assignment]  # set on entry

    def __enter__(self) -> FileUnitOfWork:
        if not self.path.exists():
            raise workbook_tidak_ada(self.path)
        refuse_if_open_in_excel(self.path)
        stack = contextlib.ExitStack()
        stack.enter_context(lock_master(self.path, self.tunggu, self.info))
        self._lock = stack
        try:
            remove_leftovers(self.path, self.info)
            self.book = open_book(self.path, self.engine)
        except BaseException:
            stack.close()
            raise
        return self

    def commit(self) -> None:
        from macros_py.io.engines.fast.sheet_xml import UnsupportedXml

        refuse_if_open_in_excel(self.path)
        try:
            save_atomic(self.path, self.book.save_to, periksa=self._refuse_losses)
        except UnsupportedXml:
            self.book = self.book.to_openpyxl()  # type: ignore[attr-defined]
            save_atomic(self.path, self.book.save_to, periksa=self._refuse_losses)
        TERSIMPAN.append(self.path)
        self._run_after_save()

    def _refuse_losses(self, baru: Path) -> None:
        from macros_py.io.preserve import what_would_be_lost

        hilang = what_would_be_lost(self.path, baru)
        if hilang:
            raise InputDitolak(
                f"Simpan dibatalkan: workbook {self.path.name} berisi hal yang akan hilang bila disimpan tanpa "
                "Excel. Workbook tidak diubah. Hapus atau pindahkan isi itu, atau jalankan aksi ini dari tombol "
                "di Excel.", hilang)


class NewFileUnitOfWork(_Steps):
    """A master built in memory (`evkin init`): saved under the lock, the previous file (if any) kept as .bak."""

    def __init__(self, path: Path, book: FileBook, tunggu: float = WAIT_DEFAULT,
                 info: Callable[[str], None] = print) -> None:
        super().__init__()
        self.path = path
        self.folder = path.resolve().parent
        self.book = book
        self.tunggu = tunggu
        self.info = info
        self._lock = None

    def __enter__(self) -> NewFileUnitOfWork:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stack = contextlib.ExitStack()
        stack.enter_context(lock_master(self.path, self.tunggu, self.info))
        self._lock = stack
        return self

    def commit(self) -> None:
        save_atomic(self.path, self.book.save_to)
        TERSIMPAN.append(self.path)
        self._run_after_save()


class MemoryUnitOfWork(_Steps):
    """The in-memory book for rule tests: commit keeps the changes (the book is the state)."""

    def __init__(self, book: Book, folder: Path | None = None) -> None:
        super().__init__()
        self.book = book
        self.folder = folder
        self.commits = 0


    def commit(self) -> None:
        self.commits += 1
        self._run_after_save()


class ExcelUnitOfWork(_Steps):
    """The live workbook in Excel (the Run main button): writes are buffered by the xlwings book and reach Excel
    only on `commit()`; the user saves the workbook with Ctrl+S afterwards. `folder` is the saved workbook's folder,
    where the action's files go (None when the action makes none)."""

    sudah = "Perubahan sudah ditulis ke workbook di Excel (simpan dengan Ctrl+S)"

    def __init__(self, book: Any, folder: Path | None = None) -> None:
        super().__init__()
        self.book = book
        self.folder = folder
        self.ditulis = 0


    def commit(self) -> None:
        self.ditulis = self.book.flush()
        self._run_after_save()

    def abandon(self) -> None:
        self.book.discard()
        super().abandon()
