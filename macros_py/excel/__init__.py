"""The Excel route: the xlwings add-in's "Run main" button (`dispatch`), the rows users type into sheets
(`isian`), and the one-time setup of a PC (`persiapan`, `evkin excel-siapkan`)."""

from macros_py.excel.dispatch import HasilTombol, jalankan, main

__all__ = ["HasilTombol", "jalankan", "main"]
