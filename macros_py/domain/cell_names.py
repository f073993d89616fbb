"""Excel cell names: column letters <-> numbers, and (row, column) -> "P9". Re-exported by ``validasi``."""

from __future__ import annotations


def huruf_kolom(indeks: int) -> str:
    """1-based column number to Excel letters."""
    huruf = ""
    while indeks > 0:
        indeks, sisa = divmod(indeks - 1, 26)
        huruf = chr(65 + sisa) + huruf
    return huruf


def nomor_kolom(huruf: str) -> int:
    """Excel column letters (upper case) to the 1-based column number: the inverse of `huruf_kolom`."""
    indeks = 0
    for ch in huruf:
        indeks = indeks * 26 + ord(ch) - 64
    return indeks


def nama_sel(baris: int, kolom: int) -> str:
    """1-based (row, column) to an Excel cell name: (9, 16) -> "P9"."""
    return f"{huruf_kolom(kolom)}{baris}"
