"""PDF output through LibreOffice headless: the office prints what the workbook shows, without Excel.

Starting LibreOffice is most of a conversion's time, so a conversion goes to the resident converter
(`resident.py`: a LibreOffice kept running for some idle minutes) where one can be had, and otherwise starts
LibreOffice for itself (the one-shot way) with the program's own profile in the user's cache folder
(`folder_libreoffice`), made once and reused. That profile is held under a lock for one conversion: another evkin
run converting at the same moment waits PROFILE_WAIT seconds, then uses a throwaway profile, never failing because
the profile is busy; a LibreOffice the user has open uses the user's own profile and never meets ours. A
conversion that fails with the shared profile removes it and is tried once more with a throwaway profile. The
resident converter has a profile of its own, so the two never share one. The PDF is written into a temporary
folder first and moved into place only when it exists, so a failed run never leaves a half-written or stale PDF
behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.files import folder_tembolok, remove_tree, replace_file
from macros_py.io.output import resident

NAMA_PROGRAM = ("soffice", "libreoffice", "soffice.exe")
FOLDER_WINDOWS = Path("LibreOffice") / "program" / "soffice.exe"  # under each Program Files folder
LOKASI_UMUM = (
    Path(r"C:\Program Files") / FOLDER_WINDOWS,
    Path(r"C:\Program Files (x86)") / FOLDER_WINDOWS,
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
PROFILE_WAIT = 2.0  # s: a one-shot conversion takes ~1 s; past this a throwaway profile is sooner than waiting
APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe"
PESAN_TIDAK_ADA_WINDOWS = (
    "LibreOffice tidak ditemukan, jadi PDF tidak dapat dibuat. Pasang LibreOffice untuk Windows dari "
    "https://www.libreoffice.org/download/ (penginstal .msi, pilihan baku), lalu ulangi. Bila dipasang di folder "
    "lain, tambahkan folder yang berisi soffice.exe ke PATH."
)
PESAN_TIDAK_ADA_LINUX = (
    "LibreOffice tidak ditemukan; jalankan bash scripts/setup.sh (atau pasang paket libreoffice-calc, atau "
    "LibreOffice dari https://www.libreoffice.org/ lalu pastikan perintah soffice ada di PATH) agar PDF dapat dibuat."
)


def windows() -> bool:
    """Whether this is Windows (one place, so tests can take the Windows branches on Linux)."""
    return sys.platform == "win32"


def pesan_tidak_ada() -> str:
    """What to do when LibreOffice is missing, in this system's terms."""
    return PESAN_TIDAK_ADA_WINDOWS if windows() else PESAN_TIDAK_ADA_LINUX


def registered_soffice() -> list[Path]:
    """soffice.exe where the LibreOffice installer registers it: the App Paths key, for this user and for the
    machine, in the 64- and 32-bit registry views (Windows only; replaced in tests)."""
    if sys.platform != "win32":
        return []
    import winreg

    hasil: list[Path] = []
    for akar in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
        for tampilan in (winreg.KEY_WOW64_64KEY, winreg.KEY_WOW64_32KEY):
            try:
                with winreg.OpenKey(akar, APP_PATHS, 0, winreg.KEY_READ | tampilan) as kunci:
                    nilai, _ = winreg.QueryValueEx(kunci, "")
            except OSError:
                continue
            if isinstance(nilai, str) and nilai.strip():
                hasil.append(Path(os.path.expandvars(nilai.strip().strip('"'))))
    return hasil


def _program_files() -> list[Path]:
    """soffice.exe under both Program Files folders as this PC names them, then the usual places."""
    folder = [os.environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
    return [Path(f) / FOLDER_WINDOWS for f in folder if f] + list(LOKASI_UMUM)


def find_soffice() -> Path | None:
    """The LibreOffice program to run, or None: PATH first, then where Windows registers it, then the usual
    install folders."""
    for nama in NAMA_PROGRAM:
        ketemu = shutil.which(nama)
        if ketemu:
            return Path(ketemu)
    for lokasi in (*registered_soffice(), *_program_files()):
        if lokasi.is_file():
            return lokasi
    return None


def available() -> bool:
    """True when a PDF can be made here, so callers can offer or skip the PDF step."""
    return find_soffice() is not None


def _hentikan(proses: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and every process it started (soffice starts soffice.bin), so no orphan keeps running and
    holding the files: the process group on POSIX, the process tree (taskkill /T) on Windows."""
    if windows():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proses.pid)], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        with contextlib.suppress(OSError):
            proses.kill()
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proses.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proses.communicate(timeout=10)


def _ringkas(keluaran: bytes) -> str:
    teks = keluaran.decode("utf-8", errors="replace").strip()
    return teks[-400:] if teks else ""


def folder_libreoffice() -> Path:
    """LibreOffice's folder in the program's cache: the one-shot profile and the resident converter's state."""
    return folder_tembolok() / "libreoffice"


@contextlib.contextmanager
def _profil_bersama() -> Iterator[Path | None]:
    """The program's own LibreOffice profile, held under its lock for one conversion; None when another run holds
    it longer than PROFILE_WAIT or the cache folder cannot be written (the caller then uses a throwaway one)."""
    from filelock import FileLock, Timeout

    folder = folder_libreoffice()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        kunci = FileLock(str(folder / "profile.lock"), timeout=PROFILE_WAIT)
        kunci.acquire()
    except (OSError, Timeout):
        yield None
        return
    try:
        yield folder / "profile"
    finally:
        kunci.release()


def _soffice(program: Path, profil: Path, sumber: Path, keluar: Path, timeout: float) -> tuple[int, bytes, bytes]:
    """One LibreOffice run converting `sumber` into folder `keluar` with profile `profil`: exit code and output."""
    perintah = [
        str(program),
        f"-env:UserInstallation={profil.resolve().as_uri()}",
        "--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
        "--convert-to", "pdf", "--outdir", str(keluar), str(sumber.resolve()),
    ]
    opsi: dict[str, Any] = {}
    if os.name == "posix":
        opsi["start_new_session"] = True  # own process group, so a timeout can kill soffice.bin too
    elif sys.platform == "win32":
        opsi["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
    try:
        proses = subprocess.Popen(
            perintah, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **opsi
        )
    except OSError as e:
        raise PenggunaanSalah(f"LibreOffice ({program}) tidak dapat dijalankan: {e}. {pesan_tidak_ada()}") from e
    try:
        out, err = proses.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _hentikan(proses)
        raise PenggunaanSalah(
            f"LibreOffice tidak selesai membuat PDF dari {sumber.name} dalam {timeout:g} detik dan dihentikan. "
            "Tutup jendela LibreOffice yang mungkin menunggu, lalu ulangi."
        ) from None
    return proses.returncode, out, err


def _sekali(program: Path, sumber: Path, keluar: Path, timeout: float) -> tuple[int, bytes, bytes]:
    """The one-shot way: LibreOffice started for this conversion alone, with the shared profile when it can be had.
    A conversion that fails with the shared profile (one a killed run left half-written, say) removes it, so the
    next run makes it anew, and is tried once more with a throwaway profile."""
    with _profil_bersama() as profil:
        if profil is not None:
            try:
                hasil = _soffice(program, profil, sumber, keluar, timeout)
            except PenggunaanSalah:
                remove_tree(profil, ulang=False)
                raise
            if _ada(keluar / f"{sumber.stem}.pdf"):
                return hasil
            remove_tree(profil, ulang=False)
    with tempfile.TemporaryDirectory(prefix="evkin-lo-", ignore_cleanup_errors=True) as sementara:
        return _soffice(program, Path(sementara) / "profil", sumber, keluar, timeout)


def _ada(pdf: Path) -> bool:
    return pdf.is_file() and pdf.stat().st_size > 0


def warm_up() -> None:
    """Start the resident converter in the background, for a conversion the caller is about to ask for."""
    program = find_soffice()
    if program is not None:
        resident.warm_up(program, folder_libreoffice() / "resident")


def stop_resident() -> None:
    """Stop the resident converter of this cache folder, if one runs (tests, benchmarks)."""
    resident.stop(folder_libreoffice() / "resident")


def to_pdf(sumber: Path, folder_keluar: Path, timeout: float = 180, tujuan: Path | None = None) -> Path:
    """Convert an .xlsx (every sheet, as printed) or .docx to ``folder_keluar/<nama>.pdf`` (or to `tujuan`);
    return its path. The resident converter first, where it can be had; else the one-shot way."""
    sumber = Path(sumber)
    folder_keluar = Path(folder_keluar if tujuan is None else tujuan.parent)
    if not sumber.is_file():
        raise PenggunaanSalah(f"Berkas yang akan dijadikan PDF tidak ditemukan: {sumber}")
    program = find_soffice()
    if program is None:
        raise PenggunaanSalah(pesan_tidak_ada())
    folder_keluar.mkdir(parents=True, exist_ok=True)
    hasil = tujuan if tujuan is not None else folder_keluar / f"{sumber.stem}.pdf"

    with tempfile.TemporaryDirectory(prefix="evkin-lo-", ignore_cleanup_errors=True) as sementara:
        keluar = Path(sementara)
        pdf = keluar / f"{sumber.stem}.pdf"
        kode, out, err = 0, b"", b""
        if not resident.convert(program, folder_libreoffice() / "resident", sumber, pdf, timeout):
            with contextlib.suppress(FileNotFoundError):
                pdf.unlink()  # half written by a converter that failed
            kode, out, err = _sekali(program, sumber, keluar, timeout)
        if not _ada(pdf):
            rincian = _ringkas(err) or _ringkas(out)
            saran = (
                " Untuk berkas Word (.docx) LibreOffice Writer harus terpasang (paket libreoffice-writer)."
                if sumber.suffix.lower() in {".docx", ".doc", ".odt"}
                else ""
            )
            raise PenggunaanSalah(
                f"LibreOffice tidak menghasilkan PDF dari {sumber.name} (kode keluar {kode})."
                + (f" Pesan LibreOffice: {rincian}." if rincian else "")
                + saran
            )
        sementara_hasil = folder_keluar / f".evkin-tmp-{hasil.name}"
        try:
            shutil.copyfile(pdf, sementara_hasil)
            replace_file(sementara_hasil, hasil, "PDF tidak diperbarui.")
        finally:
            with contextlib.suppress(OSError):
                sementara_hasil.unlink()
    return hasil
