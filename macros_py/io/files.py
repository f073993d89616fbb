"""Files beside the master, handled so the master is always the old good file or the new good file.

Open: refuse while Excel holds the file (owner file `~$name`), take an inter-process lock (waiting with a
message, giving up with exit 5), clean up temporary files a killed run left behind. Save: write a temporary
file beside the master, fsync, keep the previous version as `<name>.bak`, and rename over the master.

Windows refuses to replace or delete a file for a moment while another program holds it open (antivirus, the
search indexer, OneDrive, Explorer's preview pane, an Excel that opened it read-only): every replace or delete
of a file beside the master goes through `retry`, which tries again with a short backoff and then gives up with
exit 5 and a message that says who may hold the file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from macros_py.domain.errors import PenggunaanSalah, WorkbookSibuk

T = TypeVar("T")

TEMP_PREFIX = ".evkin-tmp-"
STAGING_PREFIX = ".evkin-staging-"  # files an action prepares beside the master, moved into place after the save
WAIT_DEFAULT = 30.0
ENV_WORKBOOK = "EVKIN_WORKBOOK"
ENV_TEMBOLOK = "EVKIN_TEMBOLOK"

RETRY_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)  # seconds between tries: ~3 s in all
WINERROR_BUSY = {5, 32, 33}  # access denied, sharing violation, lock violation: a handle open elsewhere
HOLDERS = ("Excel atau Word (juga yang membukanya hanya-baca), penampil PDF, antivirus, OneDrive atau aplikasi "
           "sinkronisasi lain, panel pratinjau Windows Explorer, atau pengindeks pencarian Windows")
_sleep = time.sleep  # replaced in tests, which count the waits instead of timing them


def lock_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def backup_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.bak")


# ---- retry while Windows refuses for a moment ------------------------------------------------------------


def _busy(e: OSError) -> bool:
    """Refused because someone holds the file (Windows maps WinError 5 and 32 to PermissionError)."""
    return isinstance(e, PermissionError) or getattr(e, "winerror", None) in WINERROR_BUSY


def retry(op: Callable[[], T], path: Path, action: str, akibat: str = "") -> T:
    """Run a file operation on `path`, trying again after a short pause while it is refused because another
    program holds the file; then give up with `WorkbookSibuk` (exit 5). `action` names what failed
    ("Mengganti", "Menghapus", ...); `akibat` says what that means for the user's data."""
    for i, jeda in enumerate((*RETRY_DELAYS, None), 1):
        try:
            return op()
        except OSError as e:
            if not _busy(e):
                raise
            if jeda is None:
                berkas = Path(e.filename) if e.filename and Path(e.filename) != path else None
                di_dalam = f" (berkas {berkas.absolute()} di dalamnya)" if berkas else ""
                raise WorkbookSibuk(
                    f"{action} {path.absolute()}{di_dalam} ditolak sistem setelah {i} kali mencoba: berkas sedang "
                    f"dipegang program lain — mis. {HOLDERS} — atau Anda tidak berhak mengubah folder itu. "
                    + (f"{akibat} " if akibat else "")
                    + "Tutup berkas itu di program lain (juga panel pratinjau Explorer), tunggu sinkronisasi "
                    "OneDrive selesai, lalu ulangi perintah.") from e
            _sleep(jeda)
    raise AssertionError("unreachable")


def replace_file(sumber: Path, tujuan: Path, akibat: str = "") -> None:
    """`os.replace` (a file or a folder), retried while Windows refuses for a moment."""
    tujuan = Path(tujuan)
    action = "Mengganti" if tujuan.exists() else "Menyimpan"
    retry(lambda: os.replace(sumber, tujuan), tujuan, action, akibat)


def _writable(path: str | Path) -> None:
    """Clear the read-only flag (Windows) / add the owner's write and search bits (POSIX)."""
    with contextlib.suppress(OSError):
        mode = os.stat(path, follow_symlinks=False).st_mode
        if not stat.S_ISLNK(mode):
            extra = stat.S_IWRITE | stat.S_IREAD | (stat.S_IEXEC if stat.S_ISDIR(mode) else 0)
            os.chmod(path, stat.S_IMODE(mode) | extra)


def _remove_once(path: Path) -> None:
    def lepas_baca_saja(fungsi: Callable[..., Any], nama: str, *_exc: object) -> None:
        _writable(os.path.dirname(nama))  # a read-only folder: its entries cannot be removed (POSIX, Windows)
        _writable(nama)  # a read-only file or folder: Windows refuses to delete it as it is
        fungsi(nama)

    if path.is_dir() and not path.is_symlink():
        for akar, folder, _ in os.walk(path):  # read-only folders first, or their content stays unreadable
            _writable(akar)
            for nama in folder:
                _writable(os.path.join(akar, nama))
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=lepas_baca_saja)
        else:
            shutil.rmtree(path, onerror=lepas_baca_saja)
    elif path.exists() or path.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            _writable(path)
            path.unlink()


def remove_tree(path: Path, ulang: bool = True) -> None:
    """Remove a file or folder, read-only files and folders included (Windows refuses to delete those as they
    are); retried while another program holds a file inside (`ulang=False`: one try, for best-effort cleanup)."""
    if ulang:
        retry(lambda: _remove_once(path), path, "Menghapus")
    else:
        _remove_once(path)


def remove_leftovers(path: Path, info: Callable[[str], None]) -> None:
    """Remove temporary files a killed run left beside the master (the master itself is always whole), and files
    it had staged in the workbook's folder or the folders right under it (documents, formats, evidence)."""
    sisa = list(path.parent.glob(f"{TEMP_PREFIX}{path.name}*"))
    for folder in (path.parent, *(p for p in path.parent.iterdir() if p.is_dir() and not p.name.startswith("."))):
        sisa += folder.glob(f"{STAGING_PREFIX}*")
    for berkas in sisa:
        with contextlib.suppress(OSError):  # held by another program: tried again by the next command
            remove_tree(berkas, ulang=False)
            info(f"Berkas sementara sisa proses yang terhenti dihapus: {berkas.name} (workbook utama utuh).")


# ---- permissions and the atomic save ---------------------------------------------------------------------


def _fsync_folder(folder: Path) -> None:
    if os.name != "nt":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def mode_normal() -> int:
    """The mode a plain new file gets in this process (0666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def izin_normal(tmp: Path, path: Path) -> None:
    """A temporary file (mkstemp: mode 0600) gets the permissions colleagues expect: the replaced file's, or the
    folder's usual ones (umask), so a master or document on a shared folder stays readable by the office."""
    if path.exists():
        shutil.copymode(path, tmp)
    else:
        os.chmod(tmp, mode_normal())


def save_atomic(path: Path, tulis: Callable[[Path], None], cadangan: bool = True,
                periksa: Callable[[Path], None] | None = None) -> None:
    """Write through `tulis(tmp)` then atomically replace `path`; the old version is kept as `.bak`.

    `periksa(tmp)` may refuse (raise) after writing and before anything is replaced.
    """
    fd, nama = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}", dir=path.parent)
    os.close(fd)
    tmp = Path(nama)
    bak_tmp = tmp.with_suffix(".bak-tmp")
    tidak_berubah = f"Workbook {path.name} tidak berubah."
    try:
        tulis(tmp)
        if periksa is not None:
            periksa(tmp)
        izin_normal(tmp, path)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        if cadangan and path.exists():
            retry(lambda: shutil.copyfile(path, bak_tmp), path, "Membaca", tidak_berubah)
            izin_normal(bak_tmp, path)  # the backup is as readable as the master
            replace_file(bak_tmp, backup_file(path), tidak_berubah)
        replace_file(tmp, path, tidak_berubah)
        _fsync_folder(path.parent)
    finally:
        for p in (tmp, bak_tmp):
            with contextlib.suppress(OSError):
                p.unlink()


@contextlib.contextmanager
def lock_master(path: Path, tunggu: float, info: Callable[[str], None]) -> Iterator[None]:
    """Serialize writers of one master across processes; say so when waiting, give up after `tunggu` s."""
    from filelock import FileLock, Timeout

    kunci = FileLock(str(lock_file(path)), mode=mode_normal())  # colleagues on a shared folder lock it too
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


def workbook_tidak_ada(path: Path) -> PenggunaanSalah:
    """The error for a master that is not there: which path was tried (absolute, and why that one), and both
    ways on — point at the existing workbook, or create a new one — since this program cannot know which."""
    mutlak = path.absolute()
    if os.environ.get(ENV_WORKBOOK) == str(path):
        asal = f" (dari variabel lingkungan {ENV_WORKBOOK})"
    elif not path.is_absolute():
        asal = f" (relatif terhadap folder tempat perintah dijalankan, {Path.cwd()})"
    else:
        asal = ""
    if os.name == "nt":
        contoh = r"D:\Data\Evaluasi_Kinerja.xlsx"
        tetap = f'setx {ENV_WORKBOOK} "{contoh}" (berlaku di jendela Command Prompt yang dibuka sesudahnya)'
    else:
        contoh = "/data/Evaluasi_Kinerja.xlsx"
        tetap = f'export {ENV_WORKBOOK}="{contoh}"'
    return PenggunaanSalah(
        f"Workbook induk tidak ditemukan: {mutlak}{asal}. Bila workbook sudah ada di folder lain, tunjuk dengan "
        f'--workbook, mis. evkin --workbook "{contoh}" status, atau atur sekali untuk seterusnya: {tetap}. Bila '
        f'belum ada, buat yang baru di folder yang dipilih: evkin --workbook "{contoh}" init --tahun 2026 --periode '
        "TW3.")


def folder_tembolok() -> Path:
    """The program's per-user cache folder: EVKIN_TEMBOLOK, else %LOCALAPPDATA%\\evkin on Windows and
    $XDG_CACHE_HOME/evkin (~/.cache/evkin) elsewhere. What is kept there may go at any time, costing only time."""
    if os.environ.get(ENV_TEMBOLOK):
        return Path(os.environ[ENV_TEMBOLOK])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "evkin"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evkin"


@functools.cache
def source_digest(*modules: str) -> str:
    """SHA-256 of these modules' source (names as imported): a result kept for the next command by a program
    with other rules is never taken for this one's. "" when a source cannot be read (then nothing is trusted)."""
    import importlib

    try:
        return hashlib.sha256(b"".join(Path(importlib.import_module(m).__file__ or "").read_bytes()
                                       for m in modules)).hexdigest()
    except OSError:
        return ""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks (records and submissions can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


# ---- Excel's owner file ----------------------------------------------------------------------------------


def excel_owner_file(path: Path) -> Path | None:
    """Excel's owner file beside the workbook (`~$name`; Excel drops the first two characters of longer names):
    there while Excel has the workbook open — or left behind when Excel crashed."""
    calon = [path.with_name("~$" + path.name)]
    if len(path.stem) > 6:
        calon.append(path.with_name("~$" + path.name[2:]))
    return next((owner for owner in calon if owner.exists()), None)


def excel_owner(path: Path) -> str | None:
    """The user name in Excel's owner file when the workbook is open in Excel, else None."""
    owner = excel_owner_file(path)
    if owner is None:
        return None
    try:
        data = owner.read_bytes()[:165]
    except OSError:
        return "(tidak diketahui)"
    panjang = data[0] if data else 0
    nama = data[1 : 1 + panjang].decode("cp1252", errors="replace").strip() if panjang else ""
    return nama or "(tidak diketahui)"


def owner_file_held(owner: Path) -> bool | None:
    """Whether a program holds the owner file open (True), nobody does (False: left by a crash), or unknown
    (None: not Windows). Excel keeps it open without delete sharing, so asking for delete access — without
    deleting anything — fails with a sharing violation exactly while an Excel, here or over the network, has it."""
    if sys.platform != "win32":
        return None
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    delete, share_all, open_existing = 0x00010000, 0x7, 3
    handle = kernel32.CreateFileW(str(owner), delete, share_all, None, open_existing, 0, None)
    if handle in (None, wintypes.HANDLE(-1).value):  # a sharing violation means held; anything else: unknown
        return True if ctypes.get_last_error() in (32, 33) else None  # type: ignore[attr-defined]
    kernel32.CloseHandle(handle)
    return False


def refuse_if_open_in_excel(path: Path) -> None:
    """Refuse to write while Excel has the workbook open; when the owner file is a crash's leftover, say how to
    recover (it is never deleted here: only the user can know that no Excel has the workbook open)."""
    owner = excel_owner_file(path)
    if owner is None:
        return
    pemilik = excel_owner(path)
    hapus = (f"hapus berkas tersembunyi {owner.absolute()} (di Explorer: Tampilan > Tampilkan > Item "
             "tersembunyi), lalu ulangi")
    dipegang = owner_file_held(owner)
    if dipegang is False:
        raise WorkbookSibuk(
            f"Workbook {path.name} tertandai sedang dibuka di Excel oleh {pemilik}, tetapi tidak ada Excel yang "
            f"membukanya: berkas pemilik {owner.name} tertinggal (biasanya sesudah Excel macet atau komputer mati "
            f"mendadak). Bila {pemilik} memang tidak sedang membuka workbook ini, {hapus}. Berkas itu tidak dihapus "
            "otomatis.")
    pesan = (f"Workbook {path.name} sedang dibuka di Excel oleh {pemilik}. Tutup workbook di Excel (atau jalankan "
             "aksi lewat tombol di Excel), lalu ulangi.")
    if dipegang is None:
        with contextlib.suppress(OSError):
            if owner.stat().st_mtime < path.stat().st_mtime:
                pesan += (f" Berkas pemilik {owner.name} lebih lama daripada simpanan terakhir workbook: mungkin "
                          "tertinggal dari Excel yang macet.")
        pesan += (f" Bila Excel tidak sedang membuka workbook ini di komputer mana pun, berkas pemilik itu "
                  f"tertinggal: {hapus}.")
    raise WorkbookSibuk(pesan)
