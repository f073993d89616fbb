"""The surat pengantar as an editable Word document, rendered from a Word template with docxtpl.

The template is a .docx an office can open and change in Word: the package ships one
(macros_py/templates/surat_pengantar.docx), and an office may name its own in Konfigurasi (template_surat).
Placeholders (Jinja, as docxtpl reads them; keep each one in a single run, i.e. type it in one go):

    {{ pemerintah }}  {{ unit }}  {{ alamat }}     kop (``|upper`` for capitals), from Konfigurasi
    {{ logo }}                                     the logo_kop image (2.2 cm high), or nothing
    {{ tempat_tanggal }}                           e.g. "Mangkutana, 12 Oktober 2026"
    {{ tujuan }}  {{ alamat_tujuan }}              addressee ("Tempat" when no address)
    {{ nomor }}                                    the letter's number from the Buku Agenda
    {%tr for d in daftar %} ... {%tr endfor %}     one table row per item sent, with {{ loop.index }},
                                                   {{ d.jenis }}, {{ d.banyaknya }}, {{ d.keterangan }}
    {{ jabatan }}  {{ nama }}  {{ nip }}           the signer

Values are rendered with autoescape, so whatever a user typed ("<w:t>", "=cmd|' /C calc'!A0", "{{ x }}") lands in
the letter as literal text. The shipped template is set to the Konfigurasi paper (ukuran_kertas); an office's
own template keeps its own page setup.
"""

from __future__ import annotations

import contextlib
import numbers
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from macros_py.domain.angka import format_angka_id
from macros_py.domain.errors import InputDitolak
from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.io.files import replace_file
from macros_py.io.output.print_common import KERTAS
from macros_py.io.output.print_surat import DataSurat

TEMPLATE_BAWAAN = Path(__file__).resolve().parent.parent.parent / "templates" / "surat_pengantar.docx"
TITIK = "." * 35
PLACEHOLDER = ("pemerintah", "unit", "alamat", "logo", "tempat_tanggal", "tujuan", "alamat_tujuan", "nomor",
               "daftar", "jabatan", "nama", "nip")


def _teks(nilai: object) -> str:
    """Plain text for the letter: integers the Indonesian way, characters XML cannot hold dropped."""
    if nilai is None:
        return ""
    if isinstance(nilai, numbers.Integral) and not isinstance(nilai, bool):
        teks = format_angka_id(int(nilai), 0)
    else:
        teks = str(nilai)
    return tanpa_karakter_ilegal(teks)


def konteks(data: DataSurat, tpl: DocxTemplate | None = None) -> dict[str, Any]:
    """The template's variables: every value a plain string (the logo an image when there is one)."""
    logo: Any = ""
    if tpl is not None and data.logo is not None:
        logo = InlineImage(tpl, str(data.logo), height=Mm(22))
    return {
        "pemerintah": _teks(data.pemerintah),
        "unit": _teks(data.unit),
        "alamat": _teks(data.alamat),
        "logo": logo,
        "tempat_tanggal": _teks(data.tempat_tanggal),
        "tujuan": _teks(data.tujuan),
        "alamat_tujuan": _teks(data.alamat_tujuan).strip() or "Tempat",
        "nomor": _teks(data.nomor),
        "daftar": [
            {"jenis": _teks(jenis), "banyaknya": _teks(banyaknya), "keterangan": _teks(keterangan)}
            for jenis, banyaknya, keterangan in (data.daftar or [("-", "-", "-")])
        ],
        "jabatan": _teks(data.jabatan),
        "nama": _teks(data.nama) or f"({TITIK})",
        "nip": _teks(data.nip) or TITIK,
    }


def write_surat_docx(data: DataSurat, tujuan: Path, template: Path | None = None) -> Path:
    """Render the surat pengantar to ``tujuan`` (.docx) from ``template`` (default: the shipped one), replacing
    the file atomically; return the path."""
    tujuan = Path(tujuan)
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    sumber = Path(template) if template is not None else TEMPLATE_BAWAAN
    try:
        tpl = DocxTemplate(str(sumber))
        tpl.render(konteks(data, tpl), autoescape=True)
    except Exception as e:  # a broken template: a user's file, so say which and why
        if template is None:
            raise
        raise InputDitolak(f"Template surat {sumber} tidak dapat dipakai ({type(e).__name__}: {e}). Perbaiki "
                           "template di Word (isian lihat Panduan) atau kosongkan template_surat di Konfigurasi."
                           ) from None
    if template is None:
        kertas = KERTAS[data.kertas]
        for bagian in tpl.docx.sections:
            bagian.page_width, bagian.page_height = Mm(kertas.lebar_mm), Mm(kertas.tinggi_mm)
    sementara = tujuan.with_name(f".evkin-tmp-{tujuan.name}")
    try:
        tpl.save(str(sementara))
        replace_file(sementara, tujuan, "Surat tidak diperbarui.")
    finally:
        with contextlib.suppress(FileNotFoundError):
            sementara.unlink()
    return tujuan
