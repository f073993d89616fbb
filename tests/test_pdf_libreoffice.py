"""PDF without waiting for LibreOffice to start (issue 19): the program's own LibreOffice profile, made once and
reused, never shared by two conversions at once, remade when broken.

LibreOffice's launches are counted by a `soffice` on PATH that writes its arguments to a log, then runs the real
one: the profile each launch used is its -env:UserInstallation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from macros_py.io.output import pdf
from tests.test_dokumen_pdf import _butuh_libreoffice, _simpan_surat, data_surat

pytestmark = [pytest.mark.libreoffice, pytest.mark.skipif(os.name != "posix", reason="a shell-script soffice")]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def peluncuran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log of LibreOffice's launches (one line of arguments each), through a soffice first on PATH."""
    _butuh_libreoffice()
    asli = Path(shutil.which("soffice") or "").resolve()
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "soffice.log"
    pembungkus = folder / "soffice"
    pembungkus.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{asli}" "$@"\n')
    pembungkus.chmod(0o755)
    log.touch()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def _profil(log: Path) -> list[str]:
    """The profile (UserInstallation URL) of each launch, in order."""
    return [next(a.split("=", 1)[1] for a in baris.split() if a.startswith("-env:UserInstallation="))
            for baris in log.read_text().splitlines()]


def _bersama() -> str:
    return (pdf.folder_libreoffice() / "profile").resolve().as_uri()


def _residen() -> Path:
    return pdf.folder_libreoffice() / "resident"


def _surat(folder: Path) -> Path:
    sumber = folder / "Surat_Pengantar.xlsx"
    _simpan_surat(data_surat(), sumber)
    return sumber


def _proses_dengan(teks: str) -> list[int]:
    """Live processes whose command line holds `teks` (a profile's path: the LibreOffice using it)."""
    hasil = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if teks.encode() in (d / "cmdline").read_bytes() and os.getpid() != int(d.name):
                    hasil.append(int(d.name))
            except OSError:
                continue
    return hasil


def _teks(pdf_: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf_), "-"], capture_output=True, check=True,
                          text=True).stdout


def _halaman(pdf_: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_)], capture_output=True, check=True, text=True).stdout
    return int(next(b.split()[1] for b in info.splitlines() if b.startswith("Pages:")))


# ---- the one-shot way: the program's own profile ---------------------------------------------------------------

def test_one_shot_conversions_share_the_programs_profile(peluncuran: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sumber = _surat(tmp_path)
    pertama = pdf.to_pdf(sumber, tmp_path / "a")
    kedua = pdf.to_pdf(sumber, tmp_path / "b")
    assert _profil(peluncuran) == [_bersama(), _bersama()]  # one LibreOffice per conversion, one profile
    assert (pdf.folder_libreoffice() / "profile" / "user" / "registrymodifications.xcu").is_file()
    assert _teks(pertama) == _teks(kedua)


def test_a_profile_held_by_another_run_gives_way_to_a_throwaway_one(peluncuran: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "PROFILE_WAIT", 0.2)
    sumber = _surat(tmp_path)
    pdf.folder_libreoffice().mkdir(parents=True)
    with FileLock(str(pdf.folder_libreoffice() / "profile.lock")):  # another evkin converting right now
        assert pdf.to_pdf(sumber, tmp_path / "a").stat().st_size > 1000
    assert pdf.to_pdf(sumber, tmp_path / "b").stat().st_size > 1000
    sibuk, bebas = _profil(peluncuran)
    assert sibuk != _bersama() and "evkin-lo-" in sibuk  # a throwaway profile, since removed
    assert not Path(sibuk.removeprefix("file://")).exists()
    assert bebas == _bersama()


def test_a_broken_profile_is_made_anew(peluncuran: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a run killed while LibreOffice made the profile can leave: LibreOffice refuses to start with it."""
    sumber = _surat(tmp_path)
    profil = pdf.folder_libreoffice() / "profile"
    profil.mkdir(parents=True)
    (profil / "user").write_text("bukan folder")
    assert pdf.to_pdf(sumber, tmp_path / "a").stat().st_size > 1000
    rusak, cadangan = _profil(peluncuran)
    assert rusak == _bersama() and cadangan != _bersama()  # refused, then a throwaway profile
    assert not (profil / "user").is_file()
    assert pdf.to_pdf(sumber, tmp_path / "b").stat().st_size > 1000
    assert _profil(peluncuran)[2] == _bersama() and (profil / "user").is_dir()
