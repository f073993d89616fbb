"""PDF without waiting for LibreOffice to start (issue 19): the program's own LibreOffice profile, made once and
reused, never shared by two conversions at once, remade when broken; the resident converter, found again by later
conversions and later processes, giving what the one-shot way gives, and leaving no LibreOffice behind.

LibreOffice's launches are counted by a `soffice` on PATH that writes its arguments to a log, then runs the real
one: the profile each launch used is its -env:UserInstallation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from macros_py.io.output import pdf, resident
from tests.test_dokumen_pdf import _butuh_libreoffice, _simpan_dokumen, _simpan_surat, data_dokumen, data_surat

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def peluncuran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log of LibreOffice's launches (one line of arguments each), through a soffice first on PATH."""
    if os.name != "posix":
        pytest.skip("the soffice that counts launches is a shell script")
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

@pytest.mark.libreoffice
def test_one_shot_conversions_share_the_programs_profile(peluncuran: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(resident.ENV_MENIT, "0")
    sumber = _surat(tmp_path)
    pertama = pdf.to_pdf(sumber, tmp_path / "a")
    kedua = pdf.to_pdf(sumber, tmp_path / "b")
    assert _profil(peluncuran) == [_bersama(), _bersama()]  # one LibreOffice per conversion, one profile
    assert (pdf.folder_libreoffice() / "profile" / "user" / "registrymodifications.xcu").is_file()
    assert _teks(pertama) == _teks(kedua)


@pytest.mark.libreoffice
def test_a_profile_held_by_another_run_gives_way_to_a_throwaway_one(peluncuran: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(resident.ENV_MENIT, "0")
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


@pytest.mark.libreoffice
def test_a_broken_profile_is_made_anew(peluncuran: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a run killed while LibreOffice made the profile can leave: LibreOffice refuses to start with it."""
    monkeypatch.setenv(resident.ENV_MENIT, "0")
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


# ---- the resident converter -----------------------------------------------------------------------------------

@pytest.mark.libreoffice
@pytest.mark.slow
def test_resident_converter_gives_what_the_one_shot_way_gives(peluncuran: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dokumen = tmp_path / "Dokumen.xlsx"
    pendorong = [f"Seksi {i}: pendampingan rutin oleh kecamatan berjalan sesuai jadwal bulanan" for i in range(30)]
    _simpan_dokumen(data_dokumen(18, faktor_pendorong=pendorong), dokumen)
    sumber = [dokumen, _surat(tmp_path)]
    residen = [pdf.to_pdf(s, tmp_path / "residen") for s in sumber]
    assert json.loads((_residen() / "server.json").read_text())["port"]
    assert len(peluncuran.read_text().splitlines()) == 1  # the converter's LibreOffice, for both
    monkeypatch.setenv(resident.ENV_MENIT, "0")
    sekali = [pdf.to_pdf(s, tmp_path / "sekali") for s in sumber]
    assert len(peluncuran.read_text().splitlines()) == 3
    for a, b in zip(residen, sekali, strict=True):
        assert _halaman(a) == _halaman(b)
        assert _teks(a) == _teks(b)
    assert _halaman(residen[0]) > 1


@pytest.mark.libreoffice
@pytest.mark.slow
def test_resident_converter_serves_later_processes_then_stops_when_idle(peluncuran: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(resident.ENV_MENIT, str(4 / 60))  # stops after 4 s without a conversion
    sumber = _surat(tmp_path)
    pdf.to_pdf(sumber, tmp_path / "a")
    state = json.loads((_residen() / "server.json").read_text())
    kode = "import sys; from pathlib import Path; from macros_py.io.output.pdf import to_pdf; " \
           "to_pdf(Path(sys.argv[1]), Path(sys.argv[2]))"
    for keluar in ("b", "c"):  # later commands: other processes
        subprocess.run([sys.executable, "-c", kode, str(sumber), str(tmp_path / keluar)], check=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert (tmp_path / "c" / "Surat_Pengantar.pdf").stat().st_size > 1000
    assert len(peluncuran.read_text().splitlines()) == 1  # LibreOffice started once for three processes
    assert json.loads((_residen() / "server.json").read_text())["token"] == state["token"]
    profil = str((_residen() / "profile").resolve())
    assert _proses_dengan(profil)
    for _ in range(600):  # idle: it ends by itself (waited for by its effect, at most a minute)
        if not (_residen() / "server.json").exists() and not _proses_dengan(profil):
            break
        time.sleep(0.1)
    assert not (_residen() / "server.json").exists()
    assert _proses_dengan(profil) == []


@pytest.mark.libreoffice
@pytest.mark.slow
def test_stopping_the_resident_converter_leaves_no_libreoffice(peluncuran: Path, tmp_path: Path) -> None:
    pdf.to_pdf(_surat(tmp_path), tmp_path / "a")
    profil = str((_residen() / "profile").resolve())
    assert len(_proses_dengan(profil)) >= 2  # the converter's LibreOffice (soffice, soffice.bin)
    pdf.stop_resident()
    assert _proses_dengan(profil) == []
    assert not (_residen() / "server.json").exists()


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_killed_converter_is_replaced_and_its_libreoffice_reused(peluncuran: Path, tmp_path: Path) -> None:
    """Killed alone (its LibreOffice lives on, holding the profile): the next conversion's converter takes that
    LibreOffice over rather than starting a second one on the same profile, and ends it when stopped."""
    sumber = _surat(tmp_path)
    pdf.to_pdf(sumber, tmp_path / "a")
    os.kill(json.loads((_residen() / "server.json").read_text())["pid"], 9)
    assert pdf.to_pdf(sumber, tmp_path / "b").stat().st_size > 1000
    assert len(peluncuran.read_text().splitlines()) == 1
    pdf.stop_resident()
    assert _proses_dengan(str((_residen() / "profile").resolve())) == []


@pytest.mark.libreoffice
def test_a_broken_converter_profile_is_made_anew(peluncuran: Path, tmp_path: Path) -> None:
    """The converter's own profile, broken: this conversion goes the one-shot way, the next one has a converter."""
    sumber = _surat(tmp_path)
    profil = _residen() / "profile"
    profil.mkdir(parents=True)
    (profil / "user").write_text("bukan folder")
    assert pdf.to_pdf(sumber, tmp_path / "a").stat().st_size > 1000
    assert not (profil / "user").is_file()
    assert pdf.to_pdf(sumber, tmp_path / "b").stat().st_size > 1000
    residen = profil.resolve().as_uri()
    assert _profil(peluncuran) == [residen, _bersama(), residen]
    assert json.loads((_residen() / "server.json").read_text())["port"]


@pytest.mark.libreoffice
def test_without_uno_the_one_shot_way_converts(peluncuran: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python that cannot import uno (no python3-uno; the user's Python on Windows): the converter cannot
    start, and each conversion starts LibreOffice as before."""
    tanpa_uno = tmp_path / "python"
    tanpa_uno.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')  # isolated: no python3-uno
    tanpa_uno.chmod(0o755)
    monkeypatch.setenv(resident.ENV_PYTHON, str(tanpa_uno))
    assert pdf.to_pdf(_surat(tmp_path), tmp_path / "a").stat().st_size > 1000
    assert _profil(peluncuran) == [_bersama()]
    assert "uno" in (_residen() / "server.log").read_text()


# ---- the converter script, run by LibreOffice's own Python ------------------------------------------------------

def test_uno_python_is_libreoffices_own_beside_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: pyuno lives in LibreOffice's program folder, with its python.exe; never the user's Python."""
    monkeypatch.delenv(resident.ENV_PYTHON, raising=False)
    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    for nama in ("soffice.exe", "python.exe"):
        (program / nama).write_bytes(b"")
    assert resident.uno_python(program / "soffice.exe") == program / "python.exe"


def test_the_converter_script_needs_only_python_3_8_and_uno() -> None:
    """LibreOffice 7.x bundles Python 3.8 and nothing but the standard library and uno."""
    import ast

    pohon = ast.parse(resident.SERVER.read_text(encoding="utf-8"), feature_version=(3, 8))
    modul = {a.name.split(".")[0] for n in ast.walk(pohon) if isinstance(n, ast.Import) for a in n.names}
    modul |= {n.module.split(".")[0] for n in ast.walk(pohon) if isinstance(n, ast.ImportFrom) and n.module}
    assert modul - set(sys.stdlib_module_names) == {"uno", "com"}
