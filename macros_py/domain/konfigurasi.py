"""Placeholders left in the Konfigurasi sheet: values still marked "(contoh)" must never reach an official output.

The shipped organisation (sheets_schema/organisasi.yaml) marks sample names, NIP and the address with "(contoh)".
This pure function finds every such cell so `evkin periksa` can list them and the actions that issue official
outputs (konsep, koreksi, surat, tandatangani) can refuse, naming each cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PENANDA_CONTOH = "(contoh)"


@dataclass(frozen=True)
class TabelKonfigurasi:
    """One table of the Konfigurasi sheet as read: where its data starts and its rows of values.

    ``kolom_label``: index (in the row) of the column that names a row (kunci, pengguna), used in messages;
    ``kolom_diperiksa``: indices of the columns users fill (the others are the program's own text).
    """

    judul: str
    baris_data: int
    kolom_awal: int
    judul_kolom: tuple[str, ...]
    baris: tuple[tuple[object, ...], ...]
    kolom_label: int
    kolom_diperiksa: tuple[int, ...]


@dataclass(frozen=True)
class SelContoh:
    sel: str
    tabel: str
    kolom: str
    label: str
    nilai: str

    def pesan(self, sheet: str) -> str:
        return (f"{sheet}!{self.sel} ({self.tabel}, {self.kolom} '{self.label}'): masih contoh — {self.nilai!r}; "
                f"ganti dengan nilai sebenarnya.")


def huruf(kolom: int) -> str:
    """Column letters of a 1-based column number (1 -> A, 28 -> AB)."""
    teks = ""
    while kolom:
        kolom, sisa = divmod(kolom - 1, 26)
        teks = chr(65 + sisa) + teks
    return teks


def sel_contoh(tabel: Sequence[TabelKonfigurasi]) -> list[SelContoh]:
    """Every filled cell of the given tables whose text still carries the "(contoh)" marker, in sheet order."""
    hasil: list[SelContoh] = []
    for t in tabel:
        for i, baris in enumerate(t.baris):
            label = str(baris[t.kolom_label] or "").strip() if t.kolom_label < len(baris) else ""
            for j in t.kolom_diperiksa:
                nilai = baris[j] if j < len(baris) else None
                if isinstance(nilai, str) and PENANDA_CONTOH in nilai.casefold():
                    hasil.append(SelContoh(f"{huruf(t.kolom_awal + j)}{t.baris_data + i}", t.judul,
                                           t.judul_kolom[j], label or f"baris {t.baris_data + i}", nilai.strip()))
    return hasil
