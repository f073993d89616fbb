"""Print-ready sheets: the Dokumen Evaluasi Kinerja (Formulir E.81) and the surat pengantar.

The layouts live in print_dokumen.py and print_surat.py, their shared pieces (paper, text measure, kop,
signatures) in print_common.py; this module names the public API in one place.
"""

from __future__ import annotations

from macros_py.io.output.print_common import KERTAS, Halaman, Kertas, Penanda, kosongkan, teks_nilai
from macros_py.io.output.print_dokumen import (
    KELOMPOK,
    SUBTOTAL,
    BarisTabel,
    DataDokumen,
    HasilTataLetak,
    KolomE81,
    nomor_kolom,
    write_dokumen_sheet,
)
from macros_py.io.output.print_surat import DataSurat, write_surat_sheet

__all__ = ["KELOMPOK", "KERTAS", "SUBTOTAL", "BarisTabel", "DataDokumen", "DataSurat", "Halaman", "HasilTataLetak",
           "Kertas", "KolomE81", "Penanda", "kosongkan", "nomor_kolom", "teks_nilai", "write_dokumen_sheet",
           "write_surat_sheet"]
