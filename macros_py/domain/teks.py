"""How a cell value reads as text, the same from openpyxl, calamine or Excel (which give 5.0 for 5)."""

from __future__ import annotations


def teks_sel(nilai: object) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, float) and nilai.is_integer():
        return str(int(nilai))
    return str(nilai)
