"""Files beside the master, handled so the master is always the old good file or the new good file.

Open: refuse while Excel holds the file (owner file `~$name`), take an inter-process lock (waiting with a
message, giving up with exit 5), clean up temporary files a killed run left behind. Save: write a temporary
file beside the master, fsync, keep the previous version as `<name>.bak`, and rename over the master.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from macros_py.domain.errors import WorkbookSibuk

TEMP_PREFIX = ".evkin-tmp-"
STAGING_PREFIX = ".evkin-staging-"  # files an action prepares beside the master, moved into place after the save
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


def remove_tree(path: Path) -> None:
    """Remove a file or folder, read-only files included (Windows refuses to delete those as they are)."""
    def lepas_baca_saja(fungsi: Callable[..., Any], nama: str, *_exc: object) -> None:
        os.chmod(nama, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
        fungsi(nama)

    if path.is_dir() and not path.is_symlink():
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=lepas_baca_saja)
        else:
            shutil.rmtree(path, onerror=lepas_baca_saja)
    elif path.exists() or path.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
            path.unlink()


def remove_leftovers(path: Path, info: Callable[[str], None]) -> None:
    """Remove temporary files a killed run left beside the master (the master itself is always whole), and files
    it had staged in the workbook's folder or the folders right under it (documents, formats, evidence)."""
    sisa = list(path.parent.glob(f"{TEMP_PREFIX}{path.name}*"))
    for folder in (path.parent, *(p for p in path.parent.iterdir() if p.is_dir() and not p.name.startswith("."))):
        sisa += folder.glob(f"{STAGING_PREFIX}*")
    for berkas in sisa:
        with contextlib.suppress(OSError):
            remove_tree(berkas)
            info(f"Berkas sementara sisa proses yang terhenti dihapus: {berkas.name} (workbook utama utuh).")


def _fsync_folder(folder: Path) -> None:
    if os.name != "nt":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def izin_normal(tmp: Path, path: Path) -> None:
    """A temporary file (mkstemp: mode 0600) gets the permissions colleagues expect: the replaced file's, or the
    folder's usual ones (umask), so a master on a shared folder stays readable by the office."""
    if path.exists():
        shutil.copymode(path, tmp)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)


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
        izin_normal(tmp, path)
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


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks (records and submissions can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()
