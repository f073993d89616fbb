"""Evaluasi Kinerja: the SOP "Pengumpulan Data Kinerja" automated around one Excel master workbook.

Kept import-light on purpose: every button press starts a Python process, so heavy libraries (pandas,
openpyxl, rich) are imported only by the commands that need them.
"""

__version__ = "0.1.0"
