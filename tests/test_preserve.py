"""Preserve or refuse: a headless save never silently drops what a person added to the master in Excel."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image

from tests.conftest import sha256

SHAPE = (b'<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
         b'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3'
         b'</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="99" '
         b'name="Kotak Teks 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r>'
         b'<a:t>Catatan Camat</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>')


def _sisip(master: Path, bagian: dict[str, bytes], ubah=None) -> None:
    data = io.BytesIO(master.read_bytes())
    keluar = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(keluar, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            isi = zin.read(item.filename)
            if ubah:
                isi = ubah(item.filename, isi)
            zout.writestr(item, isi)
        for nama, isi in bagian.items():
            zout.writestr(nama, isi)
    master.write_bytes(keluar.getvalue())


def _tambah_shape(nama: str, isi: bytes) -> bytes:
    if nama.startswith("xl/drawings/drawing") and nama.endswith(".xml"):
        shape = SHAPE.replace(b"xdr:", b"").replace(b"<txBody>", b'<txBody xmlns:a="http://schemas.openxmlformats'
                                                                     b'.org/drawingml/2006/main">')
        return isi.replace(b"</wsDr>", shape + b"</wsDr>")
    return isi


ISI_ORANG = pytest.mark.parametrize(
    ("jenis", "bagian", "ubah"),
    [
        ("bentuk / kotak teks", {}, _tambah_shape),
        ("makro VBA", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}, None),
        ("kode add-in / xlwings Lite", {"xl/webextensions/webextension1.xml": b"<we:webextension/>"}, None),
        ("tautan eksternal", {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, None),
        ("pivot", {"xl/pivotCache/pivotCacheDefinition1.xml": b"<pivotCacheDefinition/>"}, None),
        ("bagian tidak dikenal", {"customXml/item1.xml": b"<data/>"}, None),
    ],
)


def _bagian(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@ISI_ORANG
def test_data_actions_keep_everything_byte_for_byte(master: Path, evkin, jenis, bagian, ubah) -> None:
    """The default engine rewrites only the sheets an action writes: what a person added cannot be lost."""
    _sisip(master, bagian, ubah)
    sebelum = _bagian(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 0, hasil.galat
    sesudah = _bagian(master)
    assert sesudah.keys() == sebelum.keys()
    berubah = {n for n in sebelum if sebelum[n] != sesudah[n]}
    assert berubah and all(n.startswith("xl/worksheets/sheet") for n in berubah), berubah
    assert load_workbook(master)["SOP"]["J5"].value == "Berjalan"


@ISI_ORANG
def test_openpyxl_save_refused_naming_what_would_be_lost(master: Path, evkin, jenis, bagian, ubah,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The openpyxl engine (document, letter and archive actions) refuses rather than drop it."""
    monkeypatch.setenv("EVKIN_MESIN", "openpyxl")
    _sisip(master, bagian, ubah)
    sebelum = sha256(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 3
    assert "akan hilang" in hasil.galat and jenis in hasil.galat, hasil.galat
    assert sha256(master) == sebelum


def test_comments_and_images_are_kept(master: Path, evkin, tmp_path: Path) -> None:
    from PIL import Image as PILImage

    png = tmp_path / "stempel.png"
    PILImage.new("RGB", (20, 20), "red").save(png)
    wb = load_workbook(master)
    wb["SOP"]["P5"].comment = Comment("Disposisi sudah diterima lisan", "Camat")
    wb["Panduan"].add_image(Image(str(png)), "C2")
    wb.save(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 0, hasil.galat
    wb = load_workbook(master)
    assert wb["SOP"]["P5"].comment.text == "Disposisi sudah diterima lisan"
    assert len(wb["Panduan"]._images) == 1
    assert wb["SOP"]["J5"].value == "Berjalan"
