"""`evkin excel-siapkan`: what can be automated of the Excel setup on a user's PC (xlwings.conf beside the
workbook, the Run main module), and the manual steps left."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from macros_py.aksi.langkah import pengguna_os

# ---- `evkin excel-siapkan`: what can be automated of the Excel setup --------------------------------------

MODUL_RUN_MAIN = '''"""Run main (add-in xlwings) untuk {nama}: seluruh kerja ada di macros_py.excel."""

from macros_py.excel import main

__all__ = ["main"]
'''


@dataclass
class PersiapanExcel:
    """What `evkin excel-siapkan` did and what is left for the user."""

    pengaturan: dict[str, str]
    berkas_conf: Path | None
    modul: Path
    modul_dibuat: bool
    langkah_manual: list[str]


def _interpreter() -> str:
    """pythonw.exe on Windows (no console window flashing at every press), else this interpreter."""
    exe = Path(sys.executable)
    if os.name == "nt" and (exe.parent / "pythonw.exe").exists():
        return str(exe.parent / "pythonw.exe")
    return str(exe)


def pengaturan_xlwings() -> dict[str, str]:
    """INTERPRETER_WIN (or _MAC) = this Python; PYTHONPATH = this source folder when not in site-packages."""
    akar = Path(__file__).resolve().parents[2]
    kunci = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    return {kunci: _interpreter(), "PYTHONPATH": "" if akar.name == "site-packages" else str(akar)}


def _tulis_conf(path: Path, pengaturan: dict[str, str]) -> None:
    """Merge into an existing xlwings.conf ("KEY","VALUE" lines, read by the add-in's VBA in the ANSI code page)."""
    import csv
    import io

    kode = "mbcs" if os.name == "nt" else "utf-8"
    baris: list[list[str]] = []
    if path.exists():
        baris = [b for b in csv.reader(io.StringIO(path.read_text(encoding=kode, errors="replace"))) if b]
    sisa = [b for b in baris if b[0].strip().upper() not in pengaturan]
    keluar = io.StringIO()
    penulis = csv.writer(keluar, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    penulis.writerows([[k, v] for k, v in pengaturan.items()] + sisa)
    path.write_text(keluar.getvalue(), encoding=kode)


def siapkan_excel(workbook: Path, tulis: bool = True) -> PersiapanExcel:
    """Write xlwings.conf beside the workbook, put the Run main module beside it, list the manual steps."""
    import importlib.util

    from macros_py.domain.errors import PenggunaanSalah
    from macros_py.io.files import workbook_tidak_ada

    if not workbook.exists():
        raise workbook_tidak_ada(workbook)
    if not workbook.stem.isidentifier():
        raise PenggunaanSalah(f"Nama workbook '{workbook.name}' tidak dapat dipakai tombol Run main (modul Python "
                              "bernama sama). Ganti nama berkas hanya dengan huruf, angka dan garis bawah, mis. "
                              "Evaluasi_Kinerja_TW3.xlsx, lalu ulangi.")
    pengaturan = pengaturan_xlwings()
    folder = workbook.resolve().parent
    conf = folder / "xlwings.conf"
    if tulis:
        _tulis_conf(conf, pengaturan)
    modul = folder / f"{workbook.stem}.py"
    dibuat = tulis and not modul.exists()
    if dibuat:
        modul.write_text(MODUL_RUN_MAIN.format(nama=workbook.name), encoding="utf-8")
    manual = []
    if importlib.util.find_spec("xlwings") is None:
        manual.append('Pasang xlwings: pip install "evaluasi-kinerja[excel]" (atau dari folder proyek: '
                      'pip install -e ".[excel]").')
    if os.name != "nt":
        manual.append("Perintah ini dijalankan bukan di Windows: jalankan lagi di komputer Windows yang memakai "
                      "Excel, agar INTERPRETER_WIN menunjuk Python di komputer itu.")
    if not tulis:
        manual.append(f"Tulis pengaturan di atas ke {conf} (format: \"KUNCI\",\"NILAI\" per baris), atau isi "
                      "Interpreter dan PYTHONPATH di tab xlwings pada Excel.")
        if not modul.exists():
            manual.append(f"Buat {modul} berisi: from macros_py.excel import main")
    manual += [
        "Tutup Excel, lalu pasang add-in sekali per komputer: xlwings addin install",
        f"Buka {workbook.name} di Excel. Tab xlwings muncul; pengaturan dari xlwings.conf di folder workbook "
        "lebih diutamakan daripada isian Interpreter/PYTHONPATH di tab itu.",
        "Di sheet Konfigurasi (tabel Pejabat dan Peran), kolom Pengguna: tulis nama pengguna Excel masing-masing "
        f"(File > Opsi > Umum > Nama pengguna) atau nama login Windows (di komputer ini: {pengguna_os()}).",
        "Sheet SOP: klik sel di baris langkah, lalu tab xlwings > Run main — aksi langkah itu dijalankan seperti "
        "evkin (langkah 1 dan 4: ketik dulu barisnya di sheet Disposisi/Rapat; koreksi langkah 7: tulis catatan di "
        "kolom Catatan). Langkah 11 (arsip) tetap dengan evkin sesudah workbook ditutup.",
        "Sheet bidang: isi data, lalu Run main untuk mengirimnya ke Rekap. Sheet Rekap/Analisis: Run main untuk "
        "menghitung ulang analisis.",
    ]
    return PersiapanExcel(pengaturan, conf if tulis else None, modul, dibuat, manual)
