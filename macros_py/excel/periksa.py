"""`evkin excel-periksa`: everything the Run main button needs on this PC, as a checklist in Indonesian with the
fix for each failure (also printed at the end of `evkin excel-siapkan`).

What only Windows can answer (the add-in file, Excel's user name, the Defender rule, the registry) is asked
through `Probe`, so the checks themselves run on Linux with a fake probe in the tests.
"""

from __future__ import annotations

import argparse
import getpass
import json
import keyword
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

OK, GAGAL, INFO = "OK", "GAGAL", "INFO"
PYTHON_MINIMUM = (3, 11)
ASR_OFFICE_ANAK = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"  # "Block all Office applications from creating child
# processes": Run main starts Python from Excel, so the rule in block mode stops every press
ASR_KUNCI = (
    r"SOFTWARE\Policies\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules",  # group policy
    r"SOFTWARE\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules",  # Set-MpPreference
)
ASR_MDM = (r"SOFTWARE\Microsoft\PolicyManager\current\device\Defender", "AttackSurfaceReductionRules")  # Intune
ASR_MODE = {"1": "blokir", "2": "audit", "6": "peringatan"}
ONEDRIVE_ENV = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")
ONEDRIVE_CONF = ("ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_COMMERCIAL_WIN", "SHAREPOINT_WIN")
SKRIP_INTERPRETER = r"""
import json, sys
hasil = {"python": list(sys.version_info[:3]), "executable": sys.executable}
try:
    import macros_py, macros_py.excel
    hasil["macros_py"] = macros_py.__file__
    hasil["versi"] = macros_py.__version__
except Exception as e:
    hasil["galat_macros_py"] = f"{type(e).__name__}: {e}"
try:
    import xlwings
    hasil["xlwings"] = xlwings.__version__
except Exception as e:
    hasil["galat_xlwings"] = f"{type(e).__name__}: {e}"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(hasil, f)
"""


@dataclass(frozen=True)
class Butir:
    """One line of the checklist: what was checked, the outcome, and the fix when it failed."""

    judul: str
    status: str
    keterangan: str
    perbaikan: str = ""


class Probe(Protocol):
    """What the checks ask of the PC; the Windows answers are None elsewhere."""

    def windows(self) -> bool: ...

    def addin(self) -> Path | None:
        """The add-in file where Excel loads it at start (XLSTART), or None off Windows."""
        ...

    def excel_user(self) -> str | None: ...

    def login(self) -> str: ...

    def user_config(self) -> Path:
        """xlwings' per-user settings (written by the ribbon's Interpreter/PYTHONPATH boxes)."""
        ...

    def onedrive(self) -> list[Path]: ...

    def asr_office_child_processes(self) -> str | None:
        """The Defender rule's mode ("blokir", "audit", "peringatan"), or None when not set or not readable."""
        ...

    def which(self, nama: str) -> str | None: ...

    def run_python(self, interpreter: str, pythonpath: str, folder: Path) -> dict[str, Any] | str:
        """What `SKRIP_INTERPRETER` reports from that interpreter, or why it could not run."""
        ...

    def soffice(self) -> Path | None: ...


class WindowsProbe:
    """The real PC. Works everywhere; the Windows-only answers are None off Windows."""

    def windows(self) -> bool:
        return sys.platform == "win32"

    def addin(self) -> Path | None:
        appdata = os.environ.get("APPDATA")
        if not self.windows() or not appdata:
            return None
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"

    def excel_user(self) -> str | None:
        nilai = _registry(r"SOFTWARE\Microsoft\Office\Common\UserInfo", "UserName", user=True)
        return nilai if isinstance(nilai, str) and nilai.strip() else None

    def login(self) -> str:
        return getpass.getuser()

    def user_config(self) -> Path:
        return Path.home() / ".xlwings" / "xlwings.conf"

    def onedrive(self) -> list[Path]:
        return [Path(os.environ[v]) for v in ONEDRIVE_ENV if os.environ.get(v)]

    def asr_office_child_processes(self) -> str | None:
        for kunci in ASR_KUNCI:
            nilai = _registry(kunci, ASR_OFFICE_ANAK)
            if nilai is not None:
                return ASR_MODE.get(str(nilai).strip())
        mdm = _registry(*ASR_MDM)
        for pasangan in str(mdm or "").split("|"):
            guid, _, mode = pasangan.partition("=")
            if guid.strip().lower() == ASR_OFFICE_ANAK:
                return ASR_MODE.get(mode.strip())
        return None

    def which(self, nama: str) -> str | None:
        return shutil.which(nama)

    def run_python(self, interpreter: str, pythonpath: str, folder: Path) -> dict[str, Any] | str:
        env = {**os.environ, "PYTHONPATH": pythonpath}
        env.pop("PYTHONHOME", None)
        with tempfile.TemporaryDirectory(prefix="evkin-periksa-") as sementara:
            keluar = Path(sementara) / "hasil.json"  # a file, not stdout: pythonw.exe may have no stdout
            try:
                proses = subprocess.run([interpreter, "-c", SKRIP_INTERPRETER, str(keluar)], cwd=folder, env=env,
                                        stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
            except (OSError, subprocess.SubprocessError) as e:
                return f"tidak dapat dijalankan ({e})"
            if not keluar.is_file():
                galat = proses.stderr.decode("utf-8", errors="replace").strip()[-300:]
                return f"berhenti dengan kode {proses.returncode}" + (f": {galat}" if galat else "")
            return dict(json.loads(keluar.read_text(encoding="utf-8")))

    def soffice(self) -> Path | None:
        from macros_py.io.output.pdf import find_soffice

        return find_soffice()


def _registry(kunci: str, nama: str, user: bool = False) -> object | None:
    """One registry value (HKCU or HKLM), None when absent, unreadable, or not on Windows."""
    if sys.platform != "win32":
        return None
    import winreg

    akar = winreg.HKEY_CURRENT_USER if user else winreg.HKEY_LOCAL_MACHINE
    try:
        with winreg.OpenKey(akar, kunci, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as k:
            nilai, _ = winreg.QueryValueEx(k, nama)
    except OSError:
        return None
    return nilai  # type: ignore[no-any-return]


# ---- the checks ------------------------------------------------------------------------------------------


def _versi(v: list[int] | tuple[int, ...]) -> str:
    return ".".join(str(x) for x in v)


def _interpreter(workbook: Path, probe: Probe) -> tuple[str, str, str]:
    """The Python the add-in will run, its PYTHONPATH, and where that was set (xlwings' own order: the
    workbook's folder, then the user's settings, then `pythonw` on PATH)."""
    from macros_py.excel.persiapan import baca_conf

    kunci = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    for conf in (workbook.parent / "xlwings.conf", probe.user_config()):
        nilai = {b[0].strip().upper(): (b[1] if len(b) > 1 else "").strip() for b in baca_conf(conf)}
        python = nilai.get(kunci) or nilai.get("INTERPRETER")
        if python:
            return python, nilai.get("PYTHONPATH", ""), str(conf)
    nama = "pythonw" if probe.windows() else "python3"
    return probe.which(nama) or nama, "", f"pengaturan baku add-in: {nama} di PATH"


def _cek_interpreter(workbook: Path, probe: Probe) -> list[Butir]:
    python, pythonpath, asal = _interpreter(workbook, probe)
    siapkan = f'evkin --workbook "{workbook}" excel-siapkan'
    judul = "Python tombol"
    if "\\windowsapps\\" in python.lower() or "/windowsapps/" in python.lower():
        return [Butir(judul, GAGAL, f"{python} (dari {asal}) adalah penghubung Microsoft Store, bukan Python.",
                      "Pasang Python dari https://www.python.org/downloads/windows/, matikan 'Alias eksekusi "
                      "aplikasi' untuk python.exe dan python3.exe (Pengaturan > Aplikasi > Pengaturan aplikasi "
                      f"lanjutan), lalu jalankan: {siapkan}")]
    hasil = probe.run_python(python, pythonpath, workbook.parent)
    if isinstance(hasil, str):
        return [Butir(judul, GAGAL, f"{python} (dari {asal}) {hasil}.",
                      f"Jalankan {siapkan} dengan Python tempat paket ini terpasang, agar xlwings.conf menunjuknya.")]
    butir = []
    versi = tuple(hasil.get("python", ()))
    if versi < PYTHON_MINIMUM:
        butir.append(Butir(judul, GAGAL, f"{python} adalah Python {_versi(versi)}; perlu "
                                         f"{_versi(PYTHON_MINIMUM)} atau lebih baru.",
                           f"Pasang Python yang lebih baru dari python.org, lalu jalankan: {siapkan}"))
    else:
        butir.append(Butir(judul, OK, f"Python {_versi(versi)}: {python} (dari {asal})"))
    konsol = python[: -len("pythonw.exe")] + "python.exe" if python.lower().endswith("pythonw.exe") else python
    if "macros_py" in hasil:
        butir.append(Butir("Paket evaluasi-kinerja", OK, f"versi {hasil.get('versi')} dimuat dari "
                                                          f"{Path(hasil['macros_py']).parent}"))
    else:
        butir.append(Butir("Paket evaluasi-kinerja", GAGAL, f"tidak dapat dimuat oleh {python} "
                                                            f"({hasil.get('galat_macros_py')}).",
                           f'Pasang untuk Python itu: "{konsol}" -m pip install "evaluasi_kinerja-...whl[excel]" '
                           f"(berkas wheel dari kantor), atau jalankan {siapkan} dengan Python tempat paket ini "
                           "terpasang."))
    if "xlwings" in hasil:
        butir.append(Butir("xlwings", OK, f"versi {hasil['xlwings']}"))
    else:
        butir.append(Butir("xlwings", GAGAL, f"tidak terpasang untuk {python} ({hasil.get('galat_xlwings')}).",
                           f'Jalankan: "{konsol}" -m pip install "xlwings>=0.33"'))
    return butir


def _cek_addin(probe: Probe) -> Butir:
    addin = probe.addin()
    if addin is None:
        return Butir("Add-in xlwings", INFO, "hanya diperiksa di Windows (Excel desktop).")
    if addin.is_file():
        return Butir("Add-in xlwings", OK, f"terpasang: {addin}")
    return Butir("Add-in xlwings", GAGAL, f"belum terpasang ({addin} tidak ada).",
                 "Tutup Excel, lalu jalankan: xlwings addin install")


def _cek_modul(workbook: Path) -> Butir:
    from macros_py.excel.persiapan import modul_ramah

    modul = workbook.with_suffix(".py")
    siapkan = f'evkin --workbook "{workbook}" excel-siapkan'
    if not modul.is_file():
        return Butir("Modul Run main", GAGAL, f"{modul.name} tidak ada di samping workbook.", f"Jalankan: {siapkan}")
    teks = modul.read_text(encoding="utf-8", errors="replace")
    if "macros_py.excel" not in teks:
        return Butir("Modul Run main", GAGAL, f"{modul} tidak memanggil macros_py.excel.",
                     f"Ganti nama atau hapus berkas itu, lalu jalankan: {siapkan}")
    if not modul_ramah(teks):
        return Butir("Modul Run main", GAGAL, f"{modul} tidak menjelaskan Python mana yang dijalankan bila paket "
                                             "tidak ditemukan.", f"Jalankan: {siapkan} (modul ditulis ulang)")
    return Butir("Modul Run main", OK, str(modul))


def _cek_nama(workbook: Path) -> Butir:
    nama = workbook.stem
    if not nama.isidentifier() or keyword.iskeyword(nama):
        alasan = "bukan nama modul Python (hanya huruf, angka dan garis bawah, tidak diawali angka)"
    elif nama in sys.stdlib_module_names or nama in ("xlwings", "macros_py"):
        alasan = "sama dengan nama modul Python lain, sehingga tombol memuat modul yang salah"
    else:
        return Butir("Nama workbook", OK, workbook.name)
    return Butir("Nama workbook", GAGAL, f"'{workbook.name}': {alasan}.",
                 "Ganti nama berkas, mis. Evaluasi_Kinerja_TW3.xlsx, lalu jalankan: evkin --workbook "
                 "BERKAS_BARU excel-siapkan")


def _cek_lokasi(workbook: Path, probe: Probe) -> Butir:
    from macros_py.excel.persiapan import baca_conf

    teks = str(workbook)
    if teks.lower().startswith(("http:", "https:")) or "sharepoint.com" in teks.lower():
        return Butir("Lokasi workbook", GAGAL, f"{teks} adalah alamat web (OneDrive/SharePoint), bukan folder.",
                     "Simpan workbook ke folder di komputer ini (mis. C:\\Data), lalu buka dari sana.")
    mutlak = workbook.resolve()
    for folder in probe.onedrive():
        if folder.resolve() in mutlak.parents:
            diatur = {b[0].strip().upper() for b in baca_conf(workbook.parent / "xlwings.conf")}
            if diatur & set(ONEDRIVE_CONF):
                return Butir("Lokasi workbook", OK, f"{mutlak} (folder OneDrive, dipetakan di xlwings.conf)")
            return Butir("Lokasi workbook", GAGAL, f"{mutlak} ada di folder OneDrive ({folder}): Excel melaporkan "
                                                   "alamatnya sebagai alamat web, sehingga tombol tidak menemukan "
                                                   "folder workbook.",
                         "Pindahkan workbook ke folder lokal di luar OneDrive (mis. C:\\Data), atau isi "
                         f"ONEDRIVE_CONSUMER_WIN / ONEDRIVE_COMMERCIAL_WIN = {folder} di xlwings.conf.")
    return Butir("Lokasi workbook", OK, str(mutlak))


def _cek_pengguna(workbook: Path, probe: Probe) -> Butir:
    from macros_py.aksi.langkah import baca_konfigurasi
    from macros_py.domain.errors import LangkahDitolak
    from macros_py.io.engines import open_book
    from macros_py.schema import muat_skema

    skema = muat_skema()
    try:
        konf = baca_konfigurasi(open_book(workbook), skema)
    except Exception as e:  # not a master this program can read: say so, the other checks still count
        return Butir("Pengguna di Konfigurasi", GAGAL, f"sheet Konfigurasi tidak dapat dibaca ({type(e).__name__}: "
                                                       f"{e}).", "Periksa workbook dengan: evkin periksa")
    calon = [n for n in (os.environ.get("EVKIN_PENGGUNA"), probe.excel_user(), probe.login()) if n]
    for nama in calon:
        try:
            p = konf.cari_pelaku(nama)
        except LangkahDitolak:
            continue
        peran = skema.nama_peran.get(p.peran, p.peran)
        return Butir("Pengguna di Konfigurasi", OK, f"{nama} terdaftar: {p.label()}, {peran}")
    daftar = ", ".join(p.pengguna for p in konf.pejabat)
    return Butir("Pengguna di Konfigurasi", GAGAL,
                 f"{' / '.join(dict.fromkeys(calon))} tidak terdaftar di tabel Pejabat dan Peran (terdaftar: "
                 f"{daftar}).", "Di sheet Konfigurasi, kolom Pengguna pada baris Anda: tulis nama pengguna Excel "
                                "(File > Opsi > Umum > Nama pengguna) atau nama login Windows, lalu simpan.")


def _cek_libreoffice(probe: Probe) -> Butir:
    from macros_py.io.output.pdf import pesan_tidak_ada

    program = probe.soffice()
    if program is not None:
        return Butir("LibreOffice (PDF)", OK, str(program))
    return Butir("LibreOffice (PDF)", INFO, "tidak ditemukan: tombol tetap bekerja, tetapi dokumen dan surat "
                                            "dibuat tanpa PDF.", pesan_tidak_ada())


def _cek_asr(probe: Probe) -> Butir:
    judul = "Windows Defender (ASR)"
    if not probe.windows():
        return Butir(judul, INFO, "hanya berlaku di Windows.")
    aturan = ("aturan 'Block all Office applications from creating child processes' (GUID "
              f"{ASR_OFFICE_ANAK.upper()})")
    mode = probe.asr_office_child_processes()
    if mode == "blokir":
        return Butir(judul, GAGAL, f"{aturan} aktif: Excel tidak boleh menjalankan Python, jadi Run main tidak "
                                   "berbuat apa-apa (Keamanan Windows menampilkan 'Tindakan diblokir').",
                     "Minta petugas TI menambahkan pengecualian untuk Python tombol (lihat baris 'Python tombol') "
                     "atau mengubah aturan itu ke mode Audit.")
    if mode is not None:
        return Butir(judul, INFO, f"{aturan} dalam mode {mode}: Run main tetap berjalan.")
    return Butir(judul, INFO, f"{aturan} tidak terbaca di komputer ini. Bila Run main tidak berbuat apa-apa dan "
                              "Keamanan Windows menampilkan 'Tindakan diblokir', aturan inilah penyebabnya: minta "
                              "petugas TI menambahkan pengecualian untuk Python tombol.")


def periksa_excel(workbook: Path, probe: Probe | None = None) -> list[Butir]:
    """Every check, in the order a user would fix them."""
    probe = probe or WindowsProbe()
    versi = sys.version_info[:3]
    butir = [Butir("Python evkin", OK if versi >= PYTHON_MINIMUM else GAGAL,
                   f"Python {_versi(versi)}: {sys.executable}",
                   "" if versi >= PYTHON_MINIMUM else "Pasang Python 3.11 atau lebih baru dari python.org.")]
    butir += _cek_interpreter(workbook, probe)
    butir += [_cek_addin(probe), _cek_modul(workbook), _cek_nama(workbook), _cek_lokasi(workbook, probe),
              _cek_pengguna(workbook, probe), _cek_libreoffice(probe), _cek_asr(probe)]
    return butir


def cetak(workbook: Path, butir: list[Butir], tulis: Callable[[str], None] = print) -> int:
    """Print the checklist; 0 when nothing failed, else 3."""
    tulis(f"Pemeriksaan tombol Run main untuk {workbook}:")
    for b in butir:
        tulis(f"[{b.status}]{' ' * (6 - len(b.status))}{b.judul}: {b.keterangan}")
        if b.perbaikan and b.status != OK:
            tulis(f"        Perbaikan: {b.perbaikan}")
    gagal = sum(b.status == GAGAL for b in butir)
    if gagal:
        tulis(f"{gagal} pemeriksaan GAGAL: perbaiki sesuai petunjuk di atas, lalu jalankan lagi: evkin --workbook "
              f'"{workbook}" excel-periksa')
        return 3
    tulis("Semua pemeriksaan lulus: tombol Run main siap dipakai.")
    return 0


def cmd_excel_periksa(args: argparse.Namespace) -> int:
    from macros_py.io.files import workbook_tidak_ada

    workbook = Path(args.workbook)
    if not workbook.exists():
        raise workbook_tidak_ada(workbook)
    return cetak(workbook.absolute(), periksa_excel(workbook.absolute()))
