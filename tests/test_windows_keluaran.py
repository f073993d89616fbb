"""Output on Windows, simulated on Linux (issue 18, items 3 and 5): a console in cp1252/cp437 never crashes, a
failure after the save never says "tidak berubah" (also from the Excel button), and LibreOffice is found where
Windows puts it and ended with its whole process tree on a timeout."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Hasil, sha256
from tests.test_windows_berkas import ROOT, jeda, replace_yang_menolak

__all__ = ["jeda"]  # a fixture shared with test_windows_berkas


# ---- 3. the console ---------------------------------------------------------------------------------------

TEKS_PENGGUNA = "Ṣiti ≥ 90 — Ñ"  # outside cp1252 (Ṣ, ≥) and cp437 (Ṣ, —)


@pytest.mark.parametrize("kode_halaman", ["cp1252", "cp437"])
def test_output_never_crashes_on_the_console_code_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       kode_halaman: str) -> None:
    from macros_py.cli import main

    keluar = io.TextIOWrapper(io.BytesIO(), encoding=kode_halaman)  # errors="strict", as Python sets it up
    galat = io.TextIOWrapper(io.BytesIO(), encoding=kode_halaman)
    monkeypatch.setattr(sys, "stdout", keluar)
    monkeypatch.setattr(sys, "stderr", galat)
    master = tmp_path / TEKS_PENGGUNA / "Evaluasi_Kinerja.xlsx"
    assert main(["--workbook", str(master), "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode",
                 "TW3"]) == 0
    assert main(["--workbook", str(master), "--sebagai", TEKS_PENGGUNA, "langkah", "mulai", "1"]) == 4
    assert main(["--workbook", str(master), "status"]) == 0
    keluar.flush()
    galat.flush()
    teks_keluar = keluar.buffer.getvalue().decode(kode_halaman)  # type: ignore[attr-defined]
    teks_galat = galat.buffer.getvalue().decode(kode_halaman)  # type: ignore[attr-defined]
    assert "Workbook dibuat:" in teks_keluar and "Evaluasi_Kinerja.xlsx" in teks_keluar and "?" in teks_keluar
    assert "tidak terdaftar" in teks_galat and "?iti" in teks_galat
    assert "Langkah berikutnya" in teks_keluar


def test_redirected_output_in_an_oem_code_page_does_not_crash(tmp_path: Path) -> None:
    master = tmp_path / TEKS_PENGGUNA / "Evaluasi_Kinerja.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "cp437"}
    proses = subprocess.run([sys.executable, "-m", "macros_py", "--workbook", str(master), "--sebagai", "kasubag",
                             "init", "--tahun", "2026", "--periode", "TW3"], cwd=tmp_path, env=env,
                            capture_output=True, timeout=120)
    assert proses.returncode == 0, proses.stderr.decode("cp437")
    assert "Workbook dibuat:" in proses.stdout.decode("cp437")


class _KonsolRusak(io.TextIOBase):
    """A console that fails on every write (closed window, broken pipe)."""

    def write(self, _teks: str) -> int:
        raise OSError(22, "Invalid argument")


def test_failure_after_the_save_never_says_unchanged(master: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.cli import main

    galat = io.StringIO()
    monkeypatch.setattr(sys, "stdout", _KonsolRusak())
    monkeypatch.setattr(sys, "stderr", galat)
    sebelum = sha256(master)
    kode = main(["--workbook", str(master), "--sebagai", "kasubag", "langkah", "mulai", "1"])
    assert sha256(master) != sebelum
    assert kode != 0
    assert "sudah disimpan" in galat.getvalue() and "tidak berubah" not in galat.getvalue().lower()


def test_excel_button_after_writing_never_says_unchanged(master: Path, evkin: Callable[..., Hasil], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, jeda: list[float]) -> None:
    """The Run main route: the cells are in Excel when a format file cannot be put in place."""
    from macros_py.aksi.demo import data_contoh
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork
    from macros_py.schema import muat_skema
    from tests.test_excel_xlwings import payload, sel_ditulis

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    from xlwings.pro import _xlremote

    from macros_py.excel import jalankan

    if "remote" not in [e.name for e in xw.engines]:
        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    with FileUnitOfWork(master) as uow:  # the Kasubag types the indicator list, then steps 1 and 2
        write_table(uow.book, muat_skema().tabel("indikator"), data_contoh()["indikator"])
        uow.commit()
    assert evkin("--workbook", master, "--sebagai", "kasubag", "disposisi", "--isi", "Susun evaluasi").kode == 0
    assert evkin("--workbook", master, "--sebagai", "kasubag", "format").kode == 0
    monkeypatch.setattr(xw.Book, "fullname", property(lambda self: str(master)))
    replace_yang_menolak(monkeypatch, 10**6, lambda p: p.parent.name == "format_bidang")
    book = xw.Book(json=payload(master, "SOP", "B7"))  # row 7 = step 3, distribusi
    hasil = jalankan(book)
    assert not hasil.berhasil and sel_ditulis(book)[("SOP", "J7")] == "Selesai"
    assert "Perubahan sudah ditulis ke workbook di Excel" in hasil.pesan and "format_bidang" in hasil.pesan
    assert "tidak diubah" not in hasil.pesan and "tidak berubah" not in hasil.pesan


# ---- 5. LibreOffice on Windows ----------------------------------------------------------------------------


@pytest.fixture
def tanpa_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No soffice on PATH, no registry entry, Program Files folders of our own."""
    from macros_py.io.output import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda _nama: None)
    monkeypatch.setattr(pdf, "registered_soffice", lambda: [])
    monkeypatch.setattr(pdf, "LOKASI_UMUM", ())
    for nama in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        monkeypatch.setenv(nama, str(tmp_path / nama))
    return tmp_path


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"MZ")
    return path


def test_soffice_found_where_windows_registers_it(tanpa_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io.output import pdf

    assert pdf.find_soffice() is None
    terdaftar = _program(tanpa_path / "D" / "Aplikasi" / "LibreOffice" / "program" / "soffice.exe")
    monkeypatch.setattr(pdf, "registered_soffice", lambda: [tanpa_path / "hilang.exe", terdaftar])
    assert pdf.find_soffice() == terdaftar


@pytest.mark.parametrize("folder", ["ProgramFiles", "ProgramFiles(x86)"])
def test_soffice_found_in_both_program_files_folders(tanpa_path: Path, folder: str) -> None:
    from macros_py.io.output import pdf

    program = _program(tanpa_path / folder / "LibreOffice" / "program" / "soffice.exe")
    assert pdf.find_soffice() == program


def test_not_found_message_speaks_to_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io.output import pdf

    monkeypatch.setattr(pdf, "windows", lambda: True)
    pesan = pdf.pesan_tidak_ada()
    assert "libreoffice.org" in pesan and "Windows" in pesan and "bash" not in pesan and "setup.sh" not in pesan
    monkeypatch.setattr(pdf, "windows", lambda: False)
    assert "bash scripts/setup.sh" in pdf.pesan_tidak_ada()


def test_timeout_on_windows_ends_the_whole_process_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io.output import pdf

    perintah: list[list[str]] = []
    monkeypatch.setattr(pdf, "windows", lambda: True)
    monkeypatch.setattr(pdf.subprocess, "run", lambda args, **_kw: perintah.append(list(args)))
    monkeypatch.setattr(pdf.os, "killpg", lambda *_a: pytest.fail("POSIX process group on Windows"))
    proses = type("Proses", (), {"pid": 4242, "kill": lambda self: None,
                                 "communicate": lambda self, timeout: (b"", b"")})()
    pdf._hentikan(proses)  # type: ignore[arg-type]
    assert perintah == [["taskkill", "/T", "/F", "/PID", "4242"]]


def test_timeout_on_posix_ends_the_child_soffice_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    from macros_py.domain.errors import PenggunaanSalah
    from macros_py.io.output import pdf

    if os.name != "posix":
        pytest.skip("a fake soffice written as a #! script")
    catatan = tmp_path / "anak.pid"
    palsu = tmp_path / "soffice"
    palsu.write_text(f"#!{sys.executable}\nimport subprocess, sys, time\n"
                     f"anak = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
                     f"open({str(catatan)!r}, 'w').write(str(anak.pid))\ntime.sleep(60)\n")
    palsu.chmod(0o755)
    sumber = tmp_path / "a.xlsx"
    Workbook().save(sumber)
    monkeypatch.setattr(pdf, "find_soffice", lambda: palsu)
    with pytest.raises(PenggunaanSalah, match="dihentikan"):
        pdf.to_pdf(sumber, tmp_path / "keluar", timeout=5)
    status = Path(f"/proc/{int(catatan.read_text())}/stat")

    def hidup() -> bool:
        try:
            return status.read_text().split()[2] != "Z"
        except OSError:
            return False

    for _ in range(200):  # SIGKILL is delivered asynchronously: look a bounded number of times
        if not hidup():
            break
        time.sleep(0.05)
    assert not hidup(), "the child soffice started still runs"
