"""The surat pengantar as an editable Word document, for offices that still retouch letters in Word.

The docxtpl template is generated here with python-docx instead of being a hand-made file in the tree: it
cannot drift from the code, nobody has to keep a binary .docx in version control, and building it is cheap
enough to do on every call. Values are rendered with autoescape, so whatever a user typed ("<w:t>",
"=cmd|' /C calc'!A0", "{{ x }}") lands in the letter as literal text.
"""

from __future__ import annotations

import contextlib
import numbers
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from macros_py.domain.angka import format_angka_id
from macros_py.domain.teks import tanpa_karakter_ilegal
from macros_py.io.files import replace_file
from macros_py.io.output.print_layout import DataSurat

HURUF = "Arial"
INDENT_KANAN = Cm(8.5)
"""Left indent of the right-hand blocks (date, addressee, signer) on an A4 page with 2.5 / 2 cm margins."""
TITIK = "." * 35


def _garis_bawah_ganda(paragraf: Paragraph) -> None:
    """The kop's double rule: a paragraph bottom border (python-docx has no API for it)."""
    ppr = paragraf._p.get_or_add_pPr()
    batas = OxmlElement("w:pBdr")
    bawah = OxmlElement("w:bottom")
    for kunci, nilai in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bawah.set(qn(kunci), nilai)
    batas.append(bawah)
    ppr.append(batas)


def _paragraf(doc: Any, teks: str = "", *, rata: int | None = None, tebal: bool = False, garis: bool = False,
              ukuran: float | None = None, indent: Any = None, spasi_setelah: float = 0) -> Paragraph:
    p = doc.add_paragraph()
    if teks:
        run = p.add_run(teks)  # one run per tag, so docxtpl sees every {{ }} whole
        run.bold = tebal
        run.underline = garis
        if ukuran:
            run.font.size = Pt(ukuran)
    if rata is not None:
        p.alignment = rata
    if indent is not None:
        p.paragraph_format.left_indent = indent
    p.paragraph_format.space_after = Pt(spasi_setelah)
    p.paragraph_format.space_before = Pt(0)
    return p


def _isi_sel(sel: Any, teks: str, *, tebal: bool = False, rata: int | None = None) -> None:
    p = sel.paragraphs[0]
    run = p.add_run(teks)
    run.bold = tebal
    if rata is not None:
        p.alignment = rata


def buat_template(path: Path) -> Path:
    """Write the docxtpl template of the surat pengantar (jinja tags, a ``{%tr %}`` row loop) to ``path``."""
    doc = Document()
    gaya = doc.styles["Normal"]
    gaya.font.name = HURUF
    gaya.font.size = Pt(11)
    gaya.element.rPr.rFonts.set(qn("w:eastAsia"), HURUF)
    bagian = doc.sections[0]
    bagian.orientation = WD_ORIENT.PORTRAIT
    bagian.page_width, bagian.page_height = Cm(21), Cm(29.7)
    bagian.left_margin, bagian.right_margin = Cm(2.5), Cm(2)
    bagian.top_margin, bagian.bottom_margin = Cm(1.5), Cm(2)

    tengah = WD_ALIGN_PARAGRAPH.CENTER
    _paragraf(doc, "{{ pemerintah|upper }}", rata=tengah, tebal=True, ukuran=13)
    _paragraf(doc, "{{ unit|upper }}", rata=tengah, tebal=True, ukuran=15)
    alamat = _paragraf(doc, "{{ alamat }}", rata=tengah, ukuran=9, spasi_setelah=12)
    alamat.runs[0].italic = True
    _garis_bawah_ganda(alamat)

    for teks, setelah in (("{{ tempat_tanggal }}", 12), ("Kepada", 0), ("Yth. {{ tujuan }}", 0), ("di -", 0),
                          ("{{ alamat_tujuan }}", 18)):
        p = _paragraf(doc, teks, indent=INDENT_KANAN, spasi_setelah=setelah)
        if teks == "{{ alamat_tujuan }}":
            p.paragraph_format.first_line_indent = Cm(0.6)

    _paragraf(doc, "SURAT PENGANTAR", rata=tengah, tebal=True, garis=True, ukuran=13)
    _paragraf(doc, "Nomor: {{ nomor }}", rata=tengah, spasi_setelah=12)

    tabel = doc.add_table(rows=4, cols=4)
    tabel.style = "Table Grid"
    tabel.alignment = WD_TABLE_ALIGNMENT.CENTER
    for sel, judul in zip(tabel.rows[0].cells, ("No", "Jenis yang Dikirim", "Banyaknya", "Keterangan"), strict=True):
        _isi_sel(sel, judul, tebal=True, rata=tengah)
    _isi_sel(tabel.rows[1].cells[0], "{%tr for d in daftar %}")
    for sel, tag, rata in zip(
        tabel.rows[2].cells,
        ("{{ loop.index }}", "{{ d.jenis }}", "{{ d.banyaknya }}", "{{ d.keterangan }}"),
        (tengah, None, tengah, None),
        strict=True,
    ):
        _isi_sel(sel, tag, rata=rata)
    _isi_sel(tabel.rows[3].cells[0], "{%tr endfor %}")
    for baris in tabel.rows:
        for sel, lebar in zip(baris.cells, (Cm(1.2), Cm(6.8), Cm(3), Cm(5.5)), strict=True):
            sel.width = lebar

    _paragraf(doc, spasi_setelah=12)
    _paragraf(doc, "{{ jabatan }}", rata=tengah, indent=INDENT_KANAN)
    for _ in range(4):
        _paragraf(doc, indent=INDENT_KANAN)
    _paragraf(doc, "{{ nama }}", rata=tengah, indent=INDENT_KANAN, tebal=True, garis=True)
    _paragraf(doc, "NIP. {{ nip }}", rata=tengah, indent=INDENT_KANAN, spasi_setelah=18)

    terima = doc.add_table(rows=1, cols=1)
    terima.style = "Table Grid"
    sel = terima.rows[0].cells[0]
    sel.width = Cm(9)
    _isi_sel(sel, "TANDA TERIMA", tebal=True)
    for label in ("Diterima tanggal", "Nama", "Tanda tangan"):
        p = sel.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(3.5))
        p.paragraph_format.space_before = Pt(10)
        p.add_run(f"{label}\t: {TITIK}")

    path = Path(path)
    doc.save(str(path))
    return path


def _teks(nilai: object) -> str:
    """Plain text for the letter: integers the Indonesian way, characters XML cannot hold dropped."""
    if nilai is None:
        return ""
    if isinstance(nilai, numbers.Integral) and not isinstance(nilai, bool):
        teks = format_angka_id(int(nilai), 0)
    else:
        teks = str(nilai)
    return tanpa_karakter_ilegal(teks)


def konteks(data: DataSurat) -> dict[str, Any]:
    """The template's variables: every value a plain string."""
    return {
        "pemerintah": _teks(data.pemerintah),
        "unit": _teks(data.unit),
        "alamat": _teks(data.alamat),
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


def write_surat_docx(data: DataSurat, tujuan: Path) -> Path:
    """Render the surat pengantar to ``tujuan`` (.docx), replacing it atomically; return the path."""
    tujuan = Path(tujuan)
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evkin-docx-") as folder:
        tpl = DocxTemplate(str(buat_template(Path(folder) / "surat_pengantar.docx")))
        tpl.render(konteks(data), autoescape=True)
        sementara = tujuan.with_name(f".evkin-tmp-{tujuan.name}")
        try:
            tpl.save(str(sementara))
            replace_file(sementara, tujuan, "Surat tidak diperbarui.")
        finally:
            with contextlib.suppress(FileNotFoundError):
                sementara.unlink()
    return tujuan
