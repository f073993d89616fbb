"""PDF output through LibreOffice headless: the office prints what the workbook shows, without Excel.

Each conversion runs with its own throwaway profile (``-env:UserInstallation``) so two runs, or a LibreOffice
the user has open, never clash over the shared profile lock. The PDF is written into a temporary folder first
and moved into place only when it exists, so a failed run never leaves a half-written or stale PDF behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.files import replace_file

NAMA_PROGRAM = ("soffice", "libreoffice", "soffice.exe")
FOLDER_WINDOWS = Path("LibreOffice") / "program" / "soffice.exe"  # under each Program Files folder
LOKASI_UMUM = (
    Path(r"C:\Program Files") / FOLDER_WINDOWS,
    Path(r"C:\Program Files (x86)") / FOLDER_WINDOWS,
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
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


def to_pdf(sumber: Path, folder_keluar: Path, timeout: float = 180, tujuan: Path | None = None) -> Path:
    """Convert an .xlsx (every sheet, as printed) or .docx to ``folder_keluar/<nama>.pdf`` (or to `tujuan`);
    return its path."""
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
        profil = Path(sementara) / "profil"
        keluar = Path(sementara) / "keluar"
        keluar.mkdir()
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

        pdf = keluar / f"{sumber.stem}.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            rincian = _ringkas(err) or _ringkas(out)
            saran = (
                " Untuk berkas Word (.docx) LibreOffice Writer harus terpasang (paket libreoffice-writer)."
                if sumber.suffix.lower() in {".docx", ".doc", ".odt"}
                else ""
            )
            raise PenggunaanSalah(
                f"LibreOffice tidak menghasilkan PDF dari {sumber.name} (kode keluar {proses.returncode})."
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
