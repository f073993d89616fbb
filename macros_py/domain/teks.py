"""How a cell value reads as text, the same from openpyxl, calamine or Excel (which give 5.0 for 5)."""

from __future__ import annotations

import re

# Control characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped wherever text is stored.
_KARAKTER_ILEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ada_karakter_ilegal = _KARAKTER_ILEGAL.search


def tanpa_karakter_ilegal(teks: str) -> str:
    """Characters XML cannot hold are dropped; everything else is kept exactly as given."""
    return _KARAKTER_ILEGAL.sub("", teks) if _KARAKTER_ILEGAL.search(teks) else teks


def teks_sel(nilai: object) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, float) and nilai.is_integer():
        return str(int(nilai))
    return str(nilai)
