"""`evkin excel-siapkan`: what can be automated of the Excel setup on a user's PC (xlwings.conf beside the
workbook, the Run main module), and the manual steps left."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

from macros_py.aksi.langkah import pengguna_os

# ---- `evkin excel-siapkan`: what can be automated of the Excel setup --------------------------------------

MODUL_RUN_MAIN = Template('''"""Run main (add-in xlwings) untuk $nama.

Modul bernama sama dengan workbook, di sampingnya. Seluruh kerja ada di macros_py.excel; modul ini hanya
memanggilnya, atau menjelaskan apa yang harus dipasang bila paket itu tidak ada untuk Python yang dijalankan
tombol. Dibuat oleh: evkin excel-siapkan.
"""

from __future__ import annotations


def main() -> None:
    try:
        from macros_py.excel import main as jalankan
    except ImportError as e:  # the package is not installed for the Python the add-in runs
        _paket_tidak_ada(e)
        return
    jalankan()


def _paket_tidak_ada(e: ImportError) -> None:
    import sys
    from pathlib import Path

    import xlwings as xw

    python = Path(sys.executable)
    konsol = python.with_name("python.exe") if python.name.lower() == "pythonw.exe" else python
    xw.Book.caller().app.alert(
        f"Tombol Run main menjalankan Python ini:\\n{python}\\ntetapi paket evaluasi-kinerja tidak dapat dimuat "
        f"olehnya ({e}).\\n\\nPerbaikan, dari Command Prompt:\\n"
        f'- pasang paket untuk Python itu: "{konsol}" -m pip install "BERKAS.whl[excel]" (berkas wheel '
        "evaluasi_kinerja dari kantor), atau\\n"
        "- bila paket sudah terpasang di Python lain: jalankan evkin excel-siapkan dengan Python itu, agar "
        "xlwings.conf di folder workbook menunjuknya.\\n\\nLalu periksa dengan: evkin excel-periksa",
        title="Evaluasi Kinerja", mode="critical")


if __name__ == "__main__":  # debugging from a terminal, with the workbook open in Excel
    import xlwings as xw

    xw.Book("$nama").set_mock_caller()
    main()
''')
"""The module beside the workbook (a `string.Template`: `$nama` is the workbook's file name)."""


def modul_run_main(workbook: Path) -> str:
    return MODUL_RUN_MAIN.substitute(nama=workbook.name)


def modul_ramah(teks: str) -> bool:
    """Whether a Run main module explains a missing package (which Python ran, and how to fix it)."""
    return "except ImportError" in teks and "sys.executable" in teks


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


def _kode_conf() -> str:
    return "mbcs" if os.name == "nt" else "utf-8"  # the add-in's VBA reads it in the ANSI code page


def baca_conf(path: Path) -> list[list[str]]:
    """The rows of an xlwings.conf ("KEY","VALUE" lines); none when it is missing."""
    import csv
    import io

    if not path.is_file():
        return []
    teks = path.read_text(encoding=_kode_conf(), errors="replace")
    return [b for b in csv.reader(io.StringIO(teks)) if b]


def _tulis_conf(path: Path, pengaturan: dict[str, str]) -> None:
    """Merge into an existing xlwings.conf, keeping the keys this program does not set."""
    import csv
    import io

    sisa = [b for b in baca_conf(path) if b[0].strip().upper() not in pengaturan]
    keluar = io.StringIO()
    penulis = csv.writer(keluar, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    penulis.writerows([[k, v] for k, v in pengaturan.items()] + sisa)
    path.write_text(keluar.getvalue(), encoding=_kode_conf())


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
    # Written when missing, or when it is an older module of this program without the friendly alert; a module
    # the office wrote itself is left alone (`evkin excel-periksa` says what it lacks).
    lama = modul.read_text(encoding="utf-8", errors="replace") if modul.exists() else None
    dibuat = tulis and (lama is None or ("macros_py.excel" in lama and not modul_ramah(lama)))
    if dibuat:
        modul.write_text(modul_run_main(workbook), encoding="utf-8")
    manual = []
    if importlib.util.find_spec("xlwings") is None:
        manual.append('Pasang xlwings: pip install "xlwings>=0.33" (atau pasang ulang berkas wheel paket ini dengan '
                      '[excel]: pip install "evaluasi_kinerja-...-py3-none-any.whl[excel]").')
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
