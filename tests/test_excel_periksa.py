"""`evkin excel-periksa` (issue 18, item 15): the checklist for the Run main button, with a fake probe standing in
for what only Windows can answer; the interpreter named in xlwings.conf is really run where it can be."""

from __future__ import annotations

import shutil
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from macros_py.excel import periksa
from macros_py.excel.periksa import GAGAL, INFO, OK, Butir, WindowsProbe, cetak, periksa_excel
from macros_py.excel.persiapan import modul_run_main
from tests.conftest import Hasil

ROOT = Path(__file__).resolve().parent.parent
STUB = r"C:\Users\budi\AppData\Local\Microsoft\WindowsApps\python.exe"
MODUL_LAMA = '"""Run main."""\n\nfrom macros_py.excel import main\n\n__all__ = ["main"]\n'


@dataclass
class ProbeTiruan:
    """A Windows PC as the tests describe it; `python` None runs the real interpreter named in the settings."""

    folder: Path
    di_windows: bool = True
    addin_ada: bool = True
    pengguna_excel: str | None = "kasubag"
    nama_login: str = "budi"
    folder_onedrive: list[Path] = field(default_factory=list)
    asr: str | None = None
    python: dict[str, Any] | str | None = None
    libreoffice: bool = True
    dijalankan: list[str] = field(default_factory=list)

    def windows(self) -> bool:
        return self.di_windows

    def addin(self) -> Path | None:
        if not self.di_windows:
            return None
        path = self.folder / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.addin_ada:
            path.write_bytes(b"PK")
        else:
            path.unlink(missing_ok=True)
        return path

    def excel_user(self) -> str | None:
        return self.pengguna_excel

    def login(self) -> str:
        return self.nama_login

    def user_config(self) -> Path:
        return self.folder / ".xlwings" / "xlwings.conf"

    def onedrive(self) -> list[Path]:
        return self.folder_onedrive

    def asr_office_child_processes(self) -> str | None:
        return self.asr

    def which(self, nama: str) -> str | None:
        return None

    def run_python(self, interpreter: str, pythonpath: str, folder: Path) -> dict[str, Any] | str:
        self.dijalankan.append(interpreter)
        if self.python is None:
            return WindowsProbe().run_python(interpreter, pythonpath, folder)
        return self.python

    def soffice(self) -> Path | None:
        return self.folder / "soffice.exe" if self.libreoffice else None


@pytest.fixture
def siap(master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workbook prepared as `excel-siapkan` does on a PC where everything is in place."""
    monkeypatch.delenv("EVKIN_PENGGUNA", raising=False)
    workbook = tmp_path / "Data" / "Evaluasi_Kinerja.xlsx"
    workbook.parent.mkdir()
    shutil.copyfile(master, workbook)
    (workbook.parent / "xlwings.conf").write_text(f'"INTERPRETER_WIN","{sys.executable}"\r\n"PYTHONPATH","{ROOT}"\r\n')
    workbook.with_suffix(".py").write_text(modul_run_main(workbook), encoding="utf-8")
    return workbook


def _butir(hasil: list[Butir], judul: str) -> Butir:
    return next(b for b in hasil if b.judul == judul)


def test_everything_in_place_passes_with_exit_0(siap: Path, tmp_path: Path) -> None:
    probe = ProbeTiruan(tmp_path)
    hasil = periksa_excel(siap, probe)
    assert probe.dijalankan == [sys.executable]  # the interpreter from xlwings.conf beside the workbook, really run
    assert [b.judul for b in hasil if b.status == GAGAL] == []
    assert "0.1" in _butir(hasil, "Paket evaluasi-kinerja").keterangan
    assert "kasubag terdaftar" in _butir(hasil, "Pengguna di Konfigurasi").keterangan
    assert _butir(hasil, "Windows Defender (ASR)").status == INFO
    baris: list[str] = []
    assert cetak(siap, hasil, baris.append) == 0
    assert baris[-1] == "Semua pemeriksaan lulus: tombol Run main siap dipakai."


@pytest.mark.parametrize(("ubah", "judul", "kata_perbaikan"), [
    (lambda wb, p: (wb.parent / "xlwings.conf").write_text(f'"INTERPRETER_WIN","{STUB}"\r\n'), "Python tombol",
     "Alias eksekusi aplikasi"),
    (lambda wb, p: (wb.parent / "xlwings.conf").write_text('"INTERPRETER_WIN","/tidak/ada/pythonw.exe"\r\n'),
     "Python tombol", "excel-siapkan"),
    (lambda wb, p: setattr(p, "python", {"python": [3, 11, 9], "xlwings": "0.37.8",
                                         "galat_macros_py": "ModuleNotFoundError: No module named 'macros_py'"}),
     "Paket evaluasi-kinerja", f'"{sys.executable}" -m pip install'),
    (lambda wb, p: setattr(p, "python", {"python": [3, 9, 1], "macros_py": "x", "xlwings": "0.37.8"}),
     "Python tombol", "python.org"),
    (lambda wb, p: setattr(p, "python", {"python": [3, 12, 1], "macros_py": "x", "galat_xlwings": "ImportError"}),
     "xlwings", "pip install \"xlwings"),
    (lambda wb, p: setattr(p, "addin_ada", False), "Add-in xlwings", "xlwings addin install"),
    (lambda wb, p: wb.with_suffix(".py").write_text(MODUL_LAMA), "Modul Run main", "excel-siapkan"),
    (lambda wb, p: wb.with_suffix(".py").unlink(), "Modul Run main", "excel-siapkan"),
    (lambda wb, p: setattr(p, "folder_onedrive", [wb.parent.parent]), "Lokasi workbook", "ONEDRIVE_CONSUMER_WIN"),
    (lambda wb, p: (setattr(p, "pengguna_excel", "Budi S"), setattr(p, "nama_login", "budi.s")),
     "Pengguna di Konfigurasi", "kolom Pengguna"),
    (lambda wb, p: setattr(p, "asr", "blokir"), "Windows Defender (ASR)", "pengecualian"),
])
def test_each_failure_says_its_fix_and_exits_3(siap: Path, tmp_path: Path, ubah: Callable[[Path, Any], Any],
                                               judul: str, kata_perbaikan: str) -> None:
    probe = ProbeTiruan(tmp_path)
    ubah(siap, probe)
    hasil = periksa_excel(siap, probe)
    assert [b.judul for b in hasil if b.status == GAGAL] == [judul]
    assert kata_perbaikan in _butir(hasil, judul).perbaikan
    baris: list[str] = []
    assert cetak(siap, hasil, baris.append) == 3
    assert any(b.startswith(f"[GAGAL] {judul}: ") for b in baris)
    assert any(b.strip().startswith("Perbaikan: ") and kata_perbaikan in b for b in baris)


def test_store_stub_is_never_run(siap: Path, tmp_path: Path) -> None:
    (siap.parent / "xlwings.conf").write_text(f'"INTERPRETER_WIN","{STUB}"\r\n')
    probe = ProbeTiruan(tmp_path)
    assert "penghubung Microsoft Store" in _butir(periksa_excel(siap, probe), "Python tombol").keterangan
    assert probe.dijalankan == []


def test_interpreter_from_the_users_settings_when_the_folder_has_none(siap: Path, tmp_path: Path) -> None:
    (siap.parent / "xlwings.conf").unlink()
    probe = ProbeTiruan(tmp_path, python={"python": [3, 12, 0], "macros_py": "x", "xlwings": "0.37.8"})
    probe.user_config().parent.mkdir()
    probe.user_config().write_text('"INTERPRETER_WIN","C:\\Python312\\pythonw.exe"\r\n')
    butir = _butir(periksa_excel(siap, probe), "Python tombol")
    assert probe.dijalankan == ["C:\\Python312\\pythonw.exe"] and str(probe.user_config()) in butir.keterangan
    probe = ProbeTiruan(tmp_path, python={"python": [3, 12, 0], "galat_macros_py": "ModuleNotFoundError"})
    butir = _butir(periksa_excel(siap, probe), "Paket evaluasi-kinerja")
    assert '"C:\\Python312\\python.exe" -m pip install' in butir.perbaikan  # the console Python, not pythonw


@pytest.mark.parametrize("nama", ["Evaluasi Kinerja.xlsx", "2026_TW3.xlsx", "random.xlsx", "xlwings.xlsx"])
def test_workbook_name_must_be_a_module_name_of_its_own(siap: Path, tmp_path: Path, nama: str) -> None:
    lain = siap.with_name(nama)
    siap.rename(lain)
    butir = _butir(periksa_excel(lain, ProbeTiruan(tmp_path)), "Nama workbook")
    assert butir.status == GAGAL and "Ganti nama berkas" in butir.perbaikan


def test_onedrive_folder_mapped_in_xlwings_conf_passes_and_a_web_address_fails(siap: Path, tmp_path: Path) -> None:
    with (siap.parent / "xlwings.conf").open("a") as f:
        f.write(f'"ONEDRIVE_CONSUMER_WIN","{siap.parent.parent}"\r\n')
    probe = ProbeTiruan(tmp_path, folder_onedrive=[siap.parent.parent])
    assert _butir(periksa_excel(siap, probe), "Lokasi workbook").status == OK
    web = Path("https://kecamatan-my.sharepoint.com/personal/budi/Documents/Evaluasi_Kinerja.xlsx")
    assert periksa._cek_lokasi(web, probe).status == GAGAL


def test_user_from_environment_excel_or_login(siap: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = ProbeTiruan(tmp_path, pengguna_excel=None, nama_login="sekcam")
    assert "sekcam terdaftar" in _butir(periksa_excel(siap, probe), "Pengguna di Konfigurasi").keterangan
    monkeypatch.setenv("EVKIN_PENGGUNA", "camat")
    assert "camat terdaftar" in _butir(periksa_excel(siap, probe), "Pengguna di Konfigurasi").keterangan


def test_defender_rule_explained_in_every_state(siap: Path, tmp_path: Path) -> None:
    def asr(**kw: Any) -> Butir:
        return _butir(periksa_excel(siap, ProbeTiruan(tmp_path, **kw)), "Windows Defender (ASR)")

    assert asr(asr="audit").status == INFO and "mode audit" in asr(asr="audit").keterangan
    tidak_terbaca = asr(asr=None)
    assert tidak_terbaca.status == INFO and "Tindakan diblokir" in tidak_terbaca.keterangan
    assert "D4F940AB-401B-4EFC-AADC-AD5F3C50688A" in tidak_terbaca.keterangan
    assert asr(di_windows=False).status == INFO


def test_libreoffice_missing_is_a_note_not_a_failure(siap: Path, tmp_path: Path) -> None:
    hasil = periksa_excel(siap, ProbeTiruan(tmp_path, libreoffice=False))
    assert _butir(hasil, "LibreOffice (PDF)").status == INFO and not [b for b in hasil if b.status == GAGAL]


def test_cli_exit_codes_and_excel_siapkan_ends_with_the_checklist(
        siap: Path, tmp_path: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch) -> None:
    probe = ProbeTiruan(tmp_path)
    monkeypatch.setattr(periksa, "WindowsProbe", lambda: probe)
    hasil = evkin("--workbook", siap, "excel-periksa")
    assert hasil.kode == 0 and "siap dipakai" in hasil.keluar
    probe.addin_ada = False
    assert evkin("--workbook", siap, "excel-periksa").kode == 3

    siap.with_suffix(".py").write_text(MODUL_LAMA)  # an older module of this program: rewritten
    hasil = evkin("--workbook", siap, "excel-siapkan")
    assert hasil.kode == 3 and "(ditulis)" in hasil.keluar
    assert hasil.keluar.index("Langkah yang masih") < hasil.keluar.index("Pemeriksaan tombol Run main")
    assert "[GAGAL] Add-in xlwings" in hasil.keluar and "[OK]    Modul Run main" in hasil.keluar
    assert siap.with_suffix(".py").read_text(encoding="utf-8") == modul_run_main(siap)

    sendiri = '"""Modul kantor."""\n'
    siap.with_suffix(".py").write_text(sendiri)  # written by the office itself: left alone, and reported
    hasil = evkin("--workbook", siap, "excel-siapkan")
    assert siap.with_suffix(".py").read_text() == sendiri and "[GAGAL] Modul Run main" in hasil.keluar

    hasil = evkin("--workbook", tmp_path / "tidak-ada.xlsx", "excel-periksa")
    assert hasil.kode == 2 and "--workbook" in hasil.galat


def test_run_main_module_names_the_python_that_ran_when_the_package_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pesan: list[str] = []
    app = types.SimpleNamespace(alert=lambda teks, **_kw: pesan.append(teks))
    xlwings = types.ModuleType("xlwings")
    xlwings.Book = types.SimpleNamespace(caller=lambda: types.SimpleNamespace(app=app))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xlwings", xlwings)
    monkeypatch.setitem(sys.modules, "macros_py.excel", None)  # as if not installed for this Python
    modul = types.ModuleType("Evaluasi_Kinerja")
    exec(compile(modul_run_main(tmp_path / "Evaluasi_Kinerja.xlsx"), "Evaluasi_Kinerja.py", "exec"), modul.__dict__)
    modul.main()
    [teks] = pesan
    assert sys.executable in teks and "-m pip install" in teks and "evkin excel-periksa" in teks


def test_the_module_in_the_repository_is_the_one_excel_siapkan_writes() -> None:
    contoh = ROOT / "workbook" / "Evaluasi_Kinerja.py"
    assert contoh.read_text(encoding="utf-8") == modul_run_main(contoh.with_suffix(".xlsx"))
