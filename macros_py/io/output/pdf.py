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

NAMA_PROGRAM = ("soffice", "libreoffice", "soffice.exe")
LOKASI_UMUM = (
    Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
    Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
PESAN_TIDAK_ADA = (
    "LibreOffice tidak ditemukan; jalankan bash scripts/setup.sh (atau pasang LibreOffice dari "
    "https://www.libreoffice.org/ lalu pastikan perintah soffice ada di PATH) agar PDF dapat dibuat."
)


def find_soffice() -> Path | None:
    """The LibreOffice program to run, or None: PATH first, then the usual install folders."""
    for nama in NAMA_PROGRAM:
        ketemu = shutil.which(nama)
        if ketemu:
            return Path(ketemu)
    for lokasi in LOKASI_UMUM:
        if lokasi.is_file():
            return lokasi
    return None


def available() -> bool:
    """True when a PDF can be made here, so callers can offer or skip the PDF step."""
    return find_soffice() is not None


def _hentikan(proses: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and its children (the soffice script starts soffice.bin) so no orphan keeps running."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proses.pid, signal.SIGKILL)
    else:
        with contextlib.suppress(OSError):
            proses.kill()
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
        raise PenggunaanSalah(PESAN_TIDAK_ADA)
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
            raise PenggunaanSalah(f"LibreOffice ({program}) tidak dapat dijalankan: {e}. {PESAN_TIDAK_ADA}") from e
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
            os.replace(sementara_hasil, hasil)
        except PermissionError as e:
            with contextlib.suppress(OSError):
                sementara_hasil.unlink()
            raise PenggunaanSalah(
                f"PDF tidak dapat disimpan ke {hasil}: berkas mungkin sedang dibuka di aplikasi lain. "
                "Tutup berkas itu lalu ulangi."
            ) from e
    return hasil
