"""Run main (add-in xlwings) untuk Evaluasi_Kinerja.xlsx.

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
        f"Tombol Run main menjalankan Python ini:\n{python}\ntetapi paket evaluasi-kinerja tidak dapat dimuat "
        f"olehnya ({e}).\n\nPerbaikan, dari Command Prompt:\n"
        f'- pasang paket untuk Python itu: "{konsol}" -m pip install "BERKAS.whl[excel]" (berkas wheel '
        "evaluasi_kinerja dari kantor), atau\n"
        "- bila paket sudah terpasang di Python lain: jalankan evkin excel-siapkan dengan Python itu, agar "
        "xlwings.conf di folder workbook menunjuknya.\n\nLalu periksa dengan: evkin excel-periksa",
        title="Evaluasi Kinerja", mode="critical")


if __name__ == "__main__":  # debugging from a terminal, with the workbook open in Excel
    import xlwings as xw

    xw.Book("Evaluasi_Kinerja.xlsx").set_mock_caller()
    main()
