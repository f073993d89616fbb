"""Where a visible signature box goes in the document PDF: in the signature block, between the signer's jabatan and
name, on the page that prints them — found by reading the PDF's text (pdfminer.six, pure Python, so it works on the
users' Windows PCs too), not assumed from the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros_py.domain.errors import InputDitolak

LEBAR_KOTAK = 170.0  # points (6 cm): room for name, NIP, jabatan and time in the box's small type
TINGGI_MIN = 40.0


@dataclass(frozen=True)
class Baris:
    teks: str
    x0: float
    y0: float
    x1: float
    y1: float


def _normal(teks: str) -> str:
    return " ".join(teks.split()).casefold()


def _baris_halaman(pdf: Path) -> list[tuple[int, tuple[float, float, float, float], list[Baris]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    halaman = []
    for no, page in enumerate(extract_pages(str(pdf))):
        baris = [Baris(line.get_text().strip(), line.x0, line.y0, line.x1, line.y1)
                 for el in page if isinstance(el, LTTextContainer) for line in el if isinstance(line, LTTextLine)]
        halaman.append((no, page.bbox, baris))
    return halaman


def kotak_paraf(pdf: Path) -> tuple[int, tuple[float, float, float, float]]:
    """The paraf's small box on the last page, bottom right above the page footer ("Halaman x dari y")."""
    halaman = _baris_halaman(pdf)
    no, (_x_kiri, y_bawah, x_kanan, _y_atas), _ = halaman[-1]
    return no, (x_kanan - 200, y_bawah + 32, x_kanan - 36, y_bawah + 72)


def kotak_tanda_tangan(pdf: Path, nama: str) -> tuple[int, tuple[float, float, float, float]]:
    """(page index, box as left, bottom, right, top in points) for the signature of the person named `nama`:
    above their printed name (the last place it appears), below the line above it (their jabatan)."""
    kunci = _normal(nama)
    for no, (x_kiri, _y_bawah, x_kanan, _y_atas), baris in reversed(_baris_halaman(pdf)):
        calon = [b for b in baris if kunci and kunci in _normal(b.teks)]
        if not calon:
            continue
        nama_b = min(calon, key=lambda b: b.y0)  # the signature block is below any other mention
        tengah = (nama_b.x0 + nama_b.x1) / 2
        di_atas = [b for b in baris if b.y0 > nama_b.y1 and b.x0 < nama_b.x1 and b.x1 > nama_b.x0]
        atas = min((b.y0 for b in di_atas), default=nama_b.y1 + TINGGI_MIN + 2) - 1
        bawah = nama_b.y1 + 1
        if atas - bawah < TINGGI_MIN:  # a block printed without room: the box overlaps the jabatan line
            atas = bawah + TINGGI_MIN
        kiri = max(x_kiri + 2, tengah - LEBAR_KOTAK / 2)
        kanan = min(x_kanan - 2, kiri + LEBAR_KOTAK)
        return no, (kiri, bawah, kanan, atas)
    raise InputDitolak(f"Nama penanda tangan '{nama}' tidak ditemukan di berkas {pdf.name}; blok tanda tangan tidak "
                       "dapat ditentukan. Periksa nama di Konfigurasi (tabel Pejabat dan Peran) dan terbitkan versi "
                       "dokumen yang baru.")
