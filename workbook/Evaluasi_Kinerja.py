"""Beside Evaluasi_Kinerja.xlsx and named like it: the xlwings add-in's "Run main" imports this module and calls
`main()`. All the work is in `macros_py.excel`; this file only says so (and what to install when it is missing)."""

from __future__ import annotations


def main() -> None:
    try:
        from macros_py.excel import main as jalankan
    except ImportError as e:  # the package is not installed for the interpreter the add-in uses
        import xlwings as xw

        xw.Book.caller().app.alert(
            f"Paket evaluasi-kinerja tidak ditemukan oleh Python yang dipakai xlwings ({e}).\n\n"
            "Pasang dengan: pip install \"evaluasi-kinerja[excel]\", lalu jalankan: evkin excel-siapkan",
            title="Evaluasi Kinerja", mode="critical")
        return
    jalankan()


if __name__ == "__main__":  # debugging from a terminal, with the workbook open in Excel
    import xlwings as xw

    xw.Book("Evaluasi_Kinerja.xlsx").set_mock_caller()
    main()
