"""Submissions arrive wrong, broken or hostile: every kind is built on the fly and must either read into plain
values or be refused with FileRejected, quickly, never with another exception."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import os
import re
import struct
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros_py.domain.validasi import huruf_kolom
from macros_py.io.kiriman import BATAS_BAKU, Batas, FileRejected, KirimanFile, read_kiriman, sheet_limits
from macros_py.io.kiriman import package as zip_package

MEMORI_MAKS = 96 * 1024 * 1024  # bytes a hostile file may make the reader hold at its peak before refusal
#: What a message must never show: a zip part or an XML file name.
PART_NAME = re.compile(r"xl/|_rels|\.xml\b|\.rels\b|content_types|sharedstrings|styles\.|worksheets", re.IGNORECASE)

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


# ------------------------------------------------------------------------------------------------ helpers


def sheet(body: bytes, head: bytes = b"") -> bytes:
    """A worksheet part: optional elements before sheetData, then the rows given."""
    return SHEET_HEAD + head + b"<sheetData>" + body + b"</sheetData></worksheet>"


def package(sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    parts.update(extra or {})
    return parts


def zip_bytes(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose in one test
        with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def openpyxl_xlsx(
    path: Path, rows: list[list[object]], hidden: tuple[int, ...] = (), **kwargs: object
) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Data"
    for row in rows:
        worksheet.append(row)
    for number in hidden:
        worksheet.row_dimensions[number].hidden = True
    for key, value in kwargs.items():
        setattr(workbook, key, value)
    workbook.save(path)
    return path


def _puncak(fungsi):  # type: ignore[no-untyped-def]
    """Peak bytes Python allocated while `fungsi` ran: a bound on the work a file can cause, whatever the machine."""
    import tracemalloc

    tracemalloc.start()
    try:
        fungsi()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused(path: Path, *fragments: str, batas: Batas = BATAS_BAKU) -> FileRejected:
    """Call the reader, require a refusal within MEMORI_MAKS bytes naming the file and the given words."""
    ditolak: list[FileRejected] = []

    def baca() -> None:
        with pytest.raises(FileRejected) as info:
            read_kiriman(path, batas)
        ditolak.append(info.value)

    puncak = _puncak(baca)
    assert puncak < MEMORI_MAKS, f"{path.name} held {puncak / 2**20:.0f} MiB before being refused"
    error = ditolak[0]
    assert error.berkas == path.name
    assert str(error) == f"{path.name}: {error.pesan}"
    for fragment in fragments:
        assert fragment.lower() in error.pesan.lower(), error.pesan
    assert PART_NAME.search(error.pesan) is None, error.pesan  # users know files, sheets and cells
    return error


def patch_entry(data: bytes, name: str, *, size: int | None = None, flags: int | None = None) -> bytes:
    """Lie in both the local and central headers of one entry (declared size, flag bits)."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, flags_at in ((b"PK\x01\x02", 24, 8), (b"PK\x03\x04", 22, 6)):
        name_at = 46 if signature == b"PK\x01\x02" else 30
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if out[start + name_at : start + name_at + len(encoded)] == encoded:
                if size is not None:
                    struct.pack_into("<I", out, start + size_at, size)
                if flags is not None:
                    struct.pack_into("<H", out, start + flags_at, flags)
            start += 4
    return bytes(out)


# -------------------------------------------------------------------------------------------- good files


def test_reads_values_hidden_rows_and_hash(tmp_path: Path) -> None:
    path = openpyxl_xlsx(
        tmp_path / "Kiriman Bidang A.xlsx",
        [
            ["Nama", "Jumlah", "Tanggal"],
            ["  Budi  ", 5, datetime(2026, 10, 1, 8, 30)],
            ["Ani", 2.5, date(2026, 10, 2)],
            [None, True, "=1+1"],
        ],
        hidden=(3,),
    )
    hasil = read_kiriman(path)
    assert isinstance(hasil, KirimanFile)
    assert hasil.berkas == "Kiriman Bidang A.xlsx"
    assert hasil.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert hasil.punya_makro is False
    [lembar] = hasil.lembar
    assert lembar.nama == "Data"
    assert lembar.baris_tersembunyi == {3}
    assert lembar.baris[0] == ["Nama", "Jumlah", "Tanggal"]
    assert lembar.baris[1][0] == "  Budi  "  # never stripped
    assert lembar.baris[1][1] == 5  # calamine gives 5.0; equal to 5 on purpose
    assert lembar.baris[1][2] == datetime(2026, 10, 1, 8, 30)
    assert lembar.baris[2][1] == 2.5
    assert lembar.baris[3][0] is None
    assert lembar.baris[3][1] is True
    assert lembar.baris[3][2] is None  # a formula saved by openpyxl has no cached value: never its text


def test_rows_start_at_row_1_and_column_a(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["C3"] = "x"
    workbook.create_sheet("Kosong")
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    first, empty = read_kiriman(path).lembar
    assert first.baris == [[None] * 3, [None] * 3, [None, None, "x"]]
    assert empty.nama == "Kosong"
    assert empty.baris == []


def test_formula_gives_cached_value(tmp_path: Path) -> None:
    body = (
        b'<row r="1"><c r="A1"><f>SUM(1,2)</f><v>3</v></c>'
        b'<c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>'
    )
    path = write(tmp_path / "rumus.xlsx", zip_bytes(package(sheet(body))))
    assert read_kiriman(path).lembar[0].baris == [[3, "ab"]]


def test_xlsm_macros_flagged_data_still_read(tmp_path: Path) -> None:
    source = openpyxl_xlsx(tmp_path / "sumber.xlsx", [["Nilai", 7]])
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/vbaProject.bin"] = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512
    path = write(tmp_path / "kiriman.xlsm", zip_bytes(parts))
    hasil = read_kiriman(path)
    assert hasil.punya_makro is True
    assert hasil.lembar[0].baris == [["Nilai", 7]]


def test_template_xltx_accepted(tmp_path: Path) -> None:
    path = openpyxl_xlsx(tmp_path / "template.xltx", [["a", 1]], template=True)
    assert read_kiriman(path).lembar[0].baris == [["a", 1]]


def test_hidden_true_and_rows_without_numbers(tmp_path: Path) -> None:
    # No r= on rows or cells: calamine places them by order; this goes through the exact expat walk.
    body = (
        b"<row><c><v>1</v></c><c><v>2</v></c></row>"
        b'<row hidden="true"><c t="inlineStr"><is><t>b</t></is></c></row>'
        b'<row r="5" hidden="1"><c><v>5</v></c><c r="C5"><v>6</v></c><c><v>7</v></c></row>'
    )
    path = write(tmp_path / "tanpa_r.xlsx", zip_bytes(package(sheet(body))))
    lembar = read_kiriman(path).lembar[0]
    assert lembar.baris == [
        [1, 2, None, None],
        ["b", None, None, None],
        [None] * 4,
        [None] * 4,
        [5, None, 6, 7],
    ]
    assert lembar.baris_tersembunyi == {2, 5}


def test_fast_and_exact_paths_agree(tmp_path: Path) -> None:
    body = (
        b'<row r="1" spans="1:2"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>1</v></c></row>'
        b'<row r="3" hidden="1"><c r="B3"><v>2</v></c></row>'
        b'<row r="4" hidden="0"><c r="A4"><v>3</v></c></row>'
    )
    plain = write(tmp_path / "biasa.xlsx", zip_bytes(package(sheet(body))))
    # A comment is harmless but disables the byte-level fast path.
    commented = write(tmp_path / "komentar.xlsx", zip_bytes(package(sheet(body + b"<!-- catatan -->"))))
    a, b = read_kiriman(plain).lembar[0], read_kiriman(commented).lembar[0]
    assert a.baris == b.baris == [["x", 1], [None, None], [None, 2], [3, None]]
    assert a.baris_tersembunyi == b.baris_tersembunyi == {3}


# ------------------------------------------------------------------------------- missing, empty, wrong type


def test_missing_empty_folder_and_too_big(tmp_path: Path) -> None:
    refused(tmp_path / "tidak_ada.xlsx", "tidak ditemukan")
    refused(write(tmp_path / "kosong.xlsx", b""), "kosong")
    (tmp_path / "folder.xlsx").mkdir()
    refused(tmp_path / "folder.xlsx", "bukan berkas biasa")
    path = openpyxl_xlsx(tmp_path / "besar.xlsx", [["x"] * 10] * 10)
    refused(path, "terlalu besar", batas=Batas(ukuran_berkas=1000))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 1024, ".xls lama"),
        (
            bytes.fromhex("D0CF11E0A1B11AE1")
            + b"\x00" * 600
            + "EncryptionInfo".encode("utf-16-le")
            + b"\x00" * 64,
            "kata sandi",
        ),
        (
            bytes.fromhex("D0CF11E0A1B11AE1") + b"\x01" * 300 + "EncryptedPackage".encode("utf-16-le"),
            "kata sandi",
        ),
        (b"nama;jumlah\r\nBudi;5\r\nAni;7\r\n", "CSV"),
        ("nama\tjumlah\r\nBudi\t5\r\n".encode("utf-16"), "CSV"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        (
            b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "XML Spreadsheet 2003",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (bytes(range(256)) * 4, "tidak dikenali"),
        (b"PK\x05\x06" + b"\x00" * 18, "zip kosong"),
    ],
    ids=[
        "xls",
        "terenkripsi-info",
        "terenkripsi-paket",
        "csv",
        "csv-utf16",
        "html",
        "xml2003",
        "pdf",
        "biner",
        "zip-kosong",
    ],
)
def test_wrong_type_detected_by_content(tmp_path: Path, content: bytes, fragment: str) -> None:
    refused(write(tmp_path / "kiriman.xlsx", content), fragment)


def test_ods_docx_xlsb_and_plain_zip_renamed(tmp_path: Path) -> None:
    ods = {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
    refused(write(tmp_path / "a.xlsx", zip_bytes(ods, zipfile.ZIP_STORED)), ".ods")
    docx = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}
    refused(write(tmp_path / "b.xlsx", zip_bytes(docx)), "Word")
    xlsb = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.bin": b"\x83\x01\x00"}
    refused(write(tmp_path / "c.xlsx", zip_bytes(xlsb)), ".xlsb")
    refused(write(tmp_path / "d.xlsx", zip_bytes({"laporan.txt": b"halo"})), "bukan buku kerja")


def test_truncated_and_corrupt_zip(tmp_path: Path) -> None:
    good = openpyxl_xlsx(tmp_path / "utuh.xlsx", [["a", 1]] * 50).read_bytes()
    refused(write(tmp_path / "setengah.xlsx", good[: len(good) // 2]), "rusak")
    refused(write(tmp_path / "ekor.xlsx", good[:-30]), "rusak")
    refused(write(tmp_path / "awal.xlsx", good[:200]), "rusak")
    middle = len(good) // 3
    flipped = good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :]
    refused(write(tmp_path / "bit.xlsx", flipped), "")


# --------------------------------------------------------------------------------------------- zip bombs


def test_zip_bomb_declared_size_refused_quickly(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in package(b"").items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, content)
        block = b" " * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            for _ in range(210):
                stream.write(block)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    refused(write(tmp_path / "bom.xlsx", data), "bom zip")


def test_zip_bomb_ratio_refused(tmp_path: Path) -> None:
    body = sheet(b"", head=b" " * (5 * 1024 * 1024))
    refused(write(tmp_path / "rasio.xlsx", zip_bytes(package(body))), "rasio kompresi")


def test_zip_bomb_lying_header_never_trusted(tmp_path: Path) -> None:
    big = sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', head=b" " * (900 * 1024))
    data = zip_bytes(package(big))
    # Declared smaller than real: inflation stops at the declared size and the CRC fails.
    refused(write(tmp_path / "kecil.xlsx", patch_entry(data, "xl/worksheets/sheet1.xml", size=1000)), "rusak")
    # Declared huge: refused from the header before inflating anything.
    huge = patch_entry(data, "xl/worksheets/sheet1.xml", size=300 * 1024 * 1024)
    refused(write(tmp_path / "besar.xlsx", huge), "bom zip")
    # Within a smaller total budget, the actual inflated bytes are counted as they stream.
    refused(write(tmp_path / "anggaran.xlsx", data), "bom zip", batas=Batas(ukuran_terurai=512 * 1024))


def test_too_many_entries(tmp_path: Path) -> None:
    parts = package(sheet(b""))
    parts.update({f"xl/media/gambar{i}.png": b"" for i in range(2001)})
    refused(write(tmp_path / "entri.xlsx", zip_bytes(parts, zipfile.ZIP_STORED)), "entri")


def test_encrypted_entry_unsupported_method_duplicate_names(tmp_path: Path) -> None:
    data = zip_bytes(package(sheet(b"")))
    refused(write(tmp_path / "enkripsi.xlsx", patch_entry(data, "xl/workbook.xml", flags=1)), "terenkripsi")
    refused(
        write(tmp_path / "bzip2.xlsx", zip_bytes(package(sheet(b"")), zipfile.ZIP_BZIP2)), "metode kompresi"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in [*package(sheet(b"")).items(), ("XL/Workbook.xml", WORKBOOK)]:
            archive.writestr(name, content)
    refused(write(tmp_path / "ganda.xlsx", buffer.getvalue()), "ganda")


# ---------------------------------------------------------------------------------------------- hostile XML


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "docProps/core.xml"]
)
def test_billion_laughs_refused(tmp_path: Path, part: str) -> None:
    parts = package(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'))
    parts[part] = BILLION_LAUGHS + b"<sst>&lol9;</sst>"
    refused(write(tmp_path / "tawa.xlsx", zip_bytes(parts)), "DOCTYPE")


def test_external_entity_refused(tmp_path: Path) -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    parts = package(xxe + sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>')[38:])
    refused(write(tmp_path / "xxe.xlsx", zip_bytes(parts)), "DOCTYPE")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/theme/theme1.xml"])
def test_deep_nesting_refused(tmp_path: Path, part: str) -> None:
    deep = b"<a>" * 50_000 + b"</a>" * 50_000
    parts = package(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'))
    if part == "xl/worksheets/sheet1.xml":
        parts[part] = SHEET_HEAD + b"<sheetData/><extLst>" + deep + b"</extLst></worksheet>"
    else:
        parts[part] = b'<?xml version="1.0"?><root>' + deep + b"</root>"
    refused(write(tmp_path / "dalam.xlsx", zip_bytes(parts)), "bersarang")


def test_deep_nesting_with_comment_uses_exact_walk(tmp_path: Path) -> None:
    deep = b"<a>" * 200 + b"<!-- x -->" + b"</a>" * 200
    parts = package(SHEET_HEAD + b"<sheetData/><extLst>" + deep + b"</extLst></worksheet>")
    refused(write(tmp_path / "dalam2.xlsx", zip_bytes(parts)), "bersarang")


def test_utf16_xml_and_malformed_xml_refused(tmp_path: Path) -> None:
    text = sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>').decode().replace("UTF-8", "UTF-16")
    parts = package(text.encode("utf-16"))
    refused(write(tmp_path / "utf16.xlsx", zip_bytes(parts)), "UTF-8")
    parts = package(sheet(b'<row r="1"><c r="A1"><v>1</v></row>'))
    refused(write(tmp_path / "rusak.xlsx", zip_bytes(parts)), "rusak")
    parts = package(sheet(b'<row r="1"><c r="A1" r="B1"><v>1</v></c></row>'))
    refused(write(tmp_path / "atribut.xlsx", zip_bytes(parts)), "rusak")


def padded_sheet(padding: int, comment: bytes = b"") -> bytes:
    """One real cell, then `padding` bytes of shallow junk calamine would skip, compressing only ~100x
    (random base64 keeps the ratio under the 200 limit, like a crafted file would)."""
    noise = base64.b64encode(os.urandom(max(padding // 150, 16)))
    junk = b"<x/>" * ((padding - len(noise)) // 4)
    return SHEET_HEAD + (
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><extLst>'
        + comment
        + b'<y z="'
        + noise
        + b'"/>'
        + junk
        + b"</extLst></worksheet>"
    )


def test_padded_sheet_refused_quickly(tmp_path: Path) -> None:
    data = zip_bytes(package(padded_sheet(40 * 1024 * 1024)))
    assert len(data) < 1024 * 1024
    refused(write(tmp_path / "bantalan.xlsx", data), "selain sel")


def test_padded_shared_strings_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_package, "_PART_MAX", 64 * 1024)
    strings = b"<sst>" + b"<si><t>teks panjang</t></si>" * 20_000 + b"</sst>"
    parts = package(
        sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), {"xl/sharedStrings.xml": strings}
    )
    refused(write(tmp_path / "string.xlsx", zip_bytes(parts)), "daftar teks")


def test_large_unread_part_only_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_package, "_PART_MAX", 1024)
    body = sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>')
    deep = b'<?xml version="1.0"?>' + b"<a>" * 2000 + b"</a>" * 2000  # never parsed by anyone: tolerated
    path = write(tmp_path / "besar.xlsx", zip_bytes(package(body, {"docProps/custom.xml": deep})))
    assert read_kiriman(path).lembar[0].baris == [[1]]
    laughs = BILLION_LAUGHS + b"<a>" + b" " * 4096 + b"&lol9;</a>"  # DOCTYPE is refused everywhere
    path = write(tmp_path / "tawa.xlsx", zip_bytes(package(body, {"docProps/custom.xml": laughs})))
    refused(path, "DOCTYPE")


def test_exact_path_has_an_element_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_package, "_SLOW_PATH_ELEMENTS", 1000)
    body = sheet(b"<!-- tanpa jalur cepat -->" + b'<row r="1"><c r="A1"><v>1</v></c></row>' * 600)
    refused(write(tmp_path / "anggaran.xlsx", zip_bytes(package(body))), "terlalu besar untuk diperiksa")


# -------------------------------------------------------------------------------------------- sheet limits


def million_rows(dimension: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in package(b"").items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(SHEET_HEAD + dimension + b"<sheetData>")
            for start in range(1, 1_000_001, 50_000):
                stream.write(
                    "".join(
                        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, start + 50_000)
                    ).encode()
                )
            stream.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "dimension", [b"", b'<dimension ref="A1:A1000000"/>'], ids=["streaming", "dimension"]
)
def test_million_rows_refused_quickly(tmp_path: Path, dimension: bytes) -> None:
    data = million_rows(dimension)
    assert len(data) < 8 * 1024 * 1024  # small compressed, ~40 MB inflated
    refused(write(tmp_path / "sejuta.xlsx", data), "20000 baris")


@pytest.mark.parametrize(
    ("body", "head", "fragment"),
    [
        (b'<row r="1"><c r="GS1"><v>1</v></c></row>', b"", "200 kolom"),
        (b'<row r="1"><c r="XFD1048576"><v>1</v></c></row>', b"", "baris"),
        (b'<row r="1"><c r="A1"><v>1</v></c><c r="A1048576"><v>1</v></c></row>', b"", "baris"),
        (b'<row r="20001"><c r="A20001"><v>1</v></c></row>', b"", "baris"),
        (b"<row>" + b"<c><v>1</v></c>" * 201 + b"</row>", b"", "kolom"),
        (b'<row r="1"><c r="a1048576"><v>1</v></c></row>', b"", "baris"),
        (b'<row r="1"><c r="AAAAA1"><v>1</v></c></row>', b"", "tidak sah"),
        (b'<row r="1"><x:c xmlns:x="urn:x" r="GS1"><v>1</v></x:c></row>', b"", "kolom"),
    ],
    ids=[
        "kolom",
        "sel-jauh",
        "sel-baris-beda",
        "baris",
        "tanpa-r",
        "huruf-kecil",
        "alamat-rusak",
        "awalan",
    ],
)
def test_sheet_limits(tmp_path: Path, body: bytes, head: bytes, fragment: str) -> None:
    refused(write(tmp_path / "batas.xlsx", zip_bytes(package(sheet(body, head)))), fragment)


def test_limits_are_configurable(tmp_path: Path) -> None:
    path = openpyxl_xlsx(tmp_path / "kecil.xlsx", [[1, 2, 3]] * 5)
    refused(path, "4 baris", batas=Batas(baris_per_lembar=4))
    refused(path, "2 kolom", batas=Batas(kolom_per_lembar=2))
    assert len(read_kiriman(path, Batas(baris_per_lembar=5, kolom_per_lembar=3)).lembar[0].baris) == 5


@given(
    limit=st.integers(min_value=1, max_value=2_000_000), value=st.integers(min_value=1, max_value=9_999_999)
)
@settings(max_examples=150, database=None, deadline=None)
def test_greater_number_pattern(limit: int, value: int) -> None:
    pattern = re.compile(sheet_limits.greater_number(limit))
    assert (pattern.fullmatch(str(value).encode()) is not None) == (value > limit)


@given(count=st.integers(min_value=1, max_value=18_278), column=st.integers(min_value=0, max_value=18_277))
@settings(max_examples=150, database=None, deadline=None)
def test_greater_letters_pattern(count: int, column: int) -> None:
    pattern = re.compile(sheet_limits.greater_letters(count))
    assert (pattern.fullmatch(huruf_kolom(column + 1).encode()) is not None) == (column + 1 > count)


referensi = st.one_of(
    st.builds(lambda c, r: f"{huruf_kolom(c)}{r}", st.integers(1, 400), st.integers(1, 40_000)),
    st.text(alphabet="AZaz019 -$\"", max_size=9),  # not canonical
)


@given(
    baris=st.lists(st.one_of(st.integers(1, 40_000).map(str), st.text(alphabet="019a -", max_size=8)), max_size=4),
    sel=st.lists(referensi, max_size=6),
    batas=st.tuples(st.integers(1, 30_000), st.integers(1, 300)),
)
@settings(max_examples=300, database=None, deadline=None)
def test_one_search_finds_what_the_separate_checks_find(baris: list[str], sel: list[str],
                                                        batas: tuple[int, int]) -> None:
    """The fast path's two combined searches find something exactly when one of the five checks they stand
    for (canonical row, canonical cell, row limit for rows and cells, column limit) would."""
    isi = "".join(f'<row r="{r}">' for r in baris) + "".join(f'<c r="{c}"/>' for c in sel)
    isi = isi.encode()
    unusual_row, unusual_cell = sheet_limits.unusual_patterns(*batas)
    cell_row, cell_column, row = sheet_limits.limit_patterns(*batas)
    assert (unusual_row.search(isi) is not None) == (
        sheet_limits.RE_ROW_NOT_CANONICAL.search(isi) is not None or row.search(isi) is not None)
    assert (unusual_cell.search(isi) is not None) == any(
        p.search(isi) is not None for p in (sheet_limits.RE_CELL_NOT_CANONICAL, cell_row, cell_column))


# ------------------------------------------------------------------------- files saved by other programs

#: The attributes LibreOffice Calc 7.4 writes on every <row> (seen in a file it saved after "Delete rows").
LO_ROW = b'customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"'
#: A harmless comment disables the byte-level fast path: the exact expat walk must then agree with it.
PATHS = pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])


def edit_sheet(path: Path, edit, exact: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """Rewrite the first worksheet part of a file in place (optionally forcing the exact walk)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = edit(parts["xl/worksheets/sheet1.xml"])
    parts["xl/worksheets/sheet1.xml"] = xml.replace(b"</worksheet>", b"<!-- x --></worksheet>") if exact else xml
    return write(path, zip_bytes(parts))


def lo_deleted_rows(xml: bytes, extra: bytes = b"") -> bytes:
    """What LibreOffice writes after "Delete rows": a dimension to row 1048576 and an empty last row."""
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:AMJ1048576"/>', xml)
    return xml.replace(b"</sheetData>", extra + b'<row r="1048576" ' + LO_ROW + b"></row></sheetData>")


@PATHS
@pytest.mark.parametrize(
    "extra",
    [
        b"",
        b'<row r="30000" ' + LO_ROW + b'><c r="A30000" s="1"/><c r="AMJ30000" s="1"/></row>',
        b'<row r="40000"><c r="XFD40000" s="1"></c><c r="A40000" s="1">\n  </c></row>',
        b'<row r="50000" hidden="true"/>',
    ],
    ids=["baris-kosong", "sel-kosong-bergaya", "sel-kosong-berpasangan", "baris-tersembunyi"],
)
def test_empty_rows_and_cells_beyond_the_limits_are_read(tmp_path: Path, exact: bool, extra: bytes) -> None:
    rows = [["Nama", "Jumlah"], ["Budi", 5], ["Ani", 2.5]]
    path = openpyxl_xlsx(tmp_path / "dihapus.xlsx", rows)
    edit_sheet(path, lambda xml: lo_deleted_rows(xml, extra), exact)
    lembar = read_kiriman(path, Batas(baris_per_lembar=20, kolom_per_lembar=5)).lembar[0]
    assert lembar.baris == rows
    assert lembar.baris_tersembunyi == ({50000} if b'hidden="true"' in extra else set())


@PATHS
@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="{ref}" t="n"><v>1</v></c>',
        b'<c r="{ref}" t="str"><v></v></c>',  # an empty string: calamine keeps it
        b'<c r="{ref}"><v> </v></c>',
        b'<c r="{ref}" t="inlineStr"><is><t></t></is></c>',
        b'<c r="{ref}" t="inlineStr"><is/></c>',
        b'<c r="{ref}" t="d"><v></v></c>',  # calamine would try to allocate 512 GiB for this one
        b'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        b'<c r="{ref}" s="1">teks<v>1</v></c>',
    ],
    ids=["angka", "teks-kosong", "spasi", "inline-kosong", "inline-tanpa-t", "tanggal-kosong", "galat", "campur"],
)
@pytest.mark.parametrize(("ref", "limit"), [(b"A1048576", "20000 baris"), (b"AMJ2", "200 kolom")],
                         ids=["baris", "kolom"])
def test_a_cell_with_content_beyond_the_limits_is_refused_naming_sheet_and_cell(
    tmp_path: Path, exact: bool, cell: bytes, ref: bytes, limit: str
) -> None:
    path = openpyxl_xlsx(tmp_path / "jauh.xlsx", [["Nama", "Jumlah"], ["Budi", 5]])
    row = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    far = b'<row r="' + row + b'">' + cell.replace(b"{ref}", ref) + b"</row>"
    if row == b"2":
        edit_sheet(path, lambda xml: xml.replace(b"</row></sheetData>", cell.replace(b"{ref}", ref)
                                                 + b"</row></sheetData>"), exact)
    else:
        edit_sheet(path, lambda xml: lo_deleted_rows(xml).replace(b'<row r="1048576" ' + LO_ROW + b"></row>", far),
                   exact)
    error = refused(path, "lembar 'Data'", f"sel {ref.decode()}", f"batas {limit}")
    assert "xl/" not in str(error)


@given(
    cells=st.lists(
        st.tuples(st.integers(1, 8), st.integers(1, 5),
                  st.sampled_from(["kosong", "pasangan", "angka", "teks-kosong", "spasi", "inline", "galat"])),
        max_size=12,
    ),
    far_row=st.booleans(),
    exact=st.booleans(),
)
@settings(max_examples=120, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_limits_count_only_cells_with_content(
    tmp_path: Path, cells: list[tuple[int, int, str]], far_row: bool, exact: bool
) -> None:
    """With limits of 5 rows x 3 columns, any mix of empty and filled cells anywhere: refused exactly when a
    filled cell lies beyond; when read, calamine's rows stay inside the limits and error cells are reported."""
    shapes = {
        "kosong": '<c r="{}" s="1"/>', "pasangan": '<c r="{}" s="1"></c>', "angka": '<c r="{}"><v>7</v></c>',
        "teks-kosong": '<c r="{}" t="str"><v></v></c>', "spasi": '<c r="{}"><v> </v></c>',
        "inline": '<c r="{}" t="inlineStr"><is><t>a</t></is></c>', "galat": '<c r="{}" t="e"><v>#N/A</v></c>',
    }
    last: dict[tuple[int, int], str] = {}
    for row, column, kind in cells:
        last[(row, column)] = kind
    body = "".join(
        f'<row r="{row}">' + "".join(shapes[last[(r, c)]].format(f"{huruf_kolom(c)}{r}")
                                     for r, c in sorted(last) if r == row) + "</row>"
        for row in sorted({r for r, _ in last})
    ) + ('<row r="1048576"></row>' if far_row else "")
    xml = sheet(body.encode())
    if exact:
        xml = xml.replace(b"</worksheet>", b"<!-- x --></worksheet>")
    path = write(tmp_path / "acak.xlsx", zip_bytes(package(xml)))
    batas = Batas(baris_per_lembar=5, kolom_per_lembar=3)
    beyond = [(r, c) for (r, c), kind in last.items() if kind not in ("kosong", "pasangan") and (r > 5 or c > 3)]
    if beyond:
        with pytest.raises(FileRejected) as info:
            read_kiriman(path, batas)
        assert "lembar 'Data'" in info.value.pesan and "batas" in info.value.pesan
        return
    lembar = read_kiriman(path, batas).lembar[0]
    assert len(lembar.baris) <= 5 and all(len(row) <= 3 for row in lembar.baris)
    assert lembar.error_cells == {position: "#N/A" for position, kind in last.items() if kind == "galat"}
    assert all(lembar.baris[r - 1][c - 1] is None for r, c in lembar.error_cells)


def test_no_refusal_when_a_chunk_ends_right_after_an_empty_cell_beyond_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are inflated in chunks and checked while streaming: an empty cell beyond the limits whose start
    tag ends a chunk (its "</c>" comes in the next one) is never taken for a cell with content."""
    start_tag = b'<c r="A1048576" s="1">'
    xml = sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">' + start_tag + b"</c></row>")
    monkeypatch.setattr(zip_package, "_CHUNK", xml.index(start_tag) + len(start_tag))
    monkeypatch.setattr(zip_package, "_STREAM_CHECK_AFTER", 0)
    assert read_kiriman(write(tmp_path / "potongan.xlsx", zip_bytes(package(xml)))).lembar[0].baris == [[1]]


# -------------------------------------------------------------------------- facts the values do not show


@PATHS
def test_percent_and_quote_prefix_cells_from_styles(tmp_path: Path, exact: bool) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Data"
    formats = {"B1": "0%", "C1": "0.00%", "D1": "0.0%", "E1": '0.0"%"', "F1": "0\\%", "G1": "#,##0.##",
               "H1": "[Red]0%;[Blue]-0%", "I1": "General"}
    for ref, code in formats.items():
        worksheet[ref] = 0.97
        worksheet[ref].number_format = code
    worksheet["J1"].number_format = "0%"  # styled but empty: still a percent cell
    worksheet["A2"] = "=> Pemadanan"
    worksheet["A2"].data_type = "s"
    worksheet["A2"].quotePrefix = True
    worksheet["B2"] = "teks biasa"
    path = tmp_path / "gaya.xlsx"
    workbook.save(path)
    if exact:
        edit_sheet(path, lambda xml: xml, exact=True)
    lembar = read_kiriman(path).lembar[0]
    assert lembar.percent_cells == {(1, 2), (1, 3), (1, 4), (1, 8), (1, 10)}  # B C D H J
    assert lembar.quote_prefix_cells == {(2, 1)}
    assert lembar.baris[0][1] == 0.97 and lembar.baris[1][0] == "=> Pemadanan"


def test_percent_style_as_libreoffice_writes_it(tmp_path: Path) -> None:
    """LibreOffice 7.4 writes percent as a custom format (numFmtId 166+) with single attributes per line."""
    styles = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<numFmts count="3"><numFmt numFmtId="164" formatCode="General"/>'
        b'<numFmt numFmtId="165" formatCode="#,##0.##"/><numFmt numFmtId="166" formatCode="0%"/></numFmts>'
        b'<cellStyleXfs count="1"><xf numFmtId="9" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        b'<cellXfs count="3"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        b'<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="true">'
        b'<protection locked="false" hidden="false"/></xf>'
        b'<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'
    )
    body = (b'<row r="9" ' + LO_ROW + b'><c r="P9" s="1" t="n"><v>0.97</v></c><c r="Q9" s="2" t="n">'
            b'<v>0.818</v></c><c r="R9" s="2"/></row>')
    path = write(tmp_path / "lo_persen.xlsx", zip_bytes(package(sheet(body), {"xl/styles.xml": styles})))
    lembar = read_kiriman(path).lembar[0]
    assert lembar.percent_cells == {(9, 17), (9, 18)}  # Q9 (value) and R9 (empty); P9's #,##0.## is not
    assert lembar.baris[8][15:17] == [0.97, 0.818]


@PATHS
def test_error_cells_are_reported_with_their_text(tmp_path: Path, exact: bool) -> None:
    body = (
        b'<row r="1"><c r="A1" t="n"><v>1</v></c>'
        b'<c r="B1" s="0" t="e"><f aca="false">1/0</f><v>#DIV/0!</v></c>'  # LibreOffice
        b'<c r="C1" t="e"><v>#N/A</v></c>'  # Excel, no formula kept
        b'<c r="D1" t="e"><f t="shared" ref="D1:D2" si="0"/><v>#VALUE!</v></c>'
        b'<c r="E1" s="0" t="e"><f aca="false">&quot;a&quot;+1</f><v>#VALUE!</v></c>'
        b'<c r="F1" t="e"/></row>'  # an empty error cell holds nothing
        b'<row r="2"><c r="D2" t="e"><f t="shared" si="0"/><v>#REF!</v></c></row>'
    )
    xml = sheet(body)
    if exact:
        xml = xml.replace(b"</worksheet>", b"<!-- x --></worksheet>")
    lembar = read_kiriman(write(tmp_path / "galat.xlsx", zip_bytes(package(xml)))).lembar[0]
    assert lembar.error_cells == {(1, 2): "#DIV/0!", (1, 3): "#N/A", (1, 4): "#VALUE!", (1, 5): "#VALUE!",
                                  (2, 4): "#REF!"}
    assert lembar.baris[0][:5] == [1, None, None, None, None]  # calamine reads errors as empty


@PATHS
def test_merged_ranges(tmp_path: Path, exact: bool) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Data"
    worksheet["A1"] = "judul"
    worksheet.merge_cells("A1:C1")
    worksheet["X10"] = "isi"
    worksheet.merge_cells("X10:Y11")
    path = tmp_path / "gabung.xlsx"
    workbook.save(path)
    # LibreOffice's shape, a reversed range and a one-cell merge
    edit_sheet(path, lambda xml: xml.replace(b"</mergeCells>", b'<mergeCell ref="E5:D4"/><mergeCell ref="B2"/>'
                                             b"</mergeCells>"), exact)
    lembar = read_kiriman(path).lembar[0]
    assert sorted(lembar.merged_ranges) == [(1, 1, 1, 3), (2, 2, 2, 2), (4, 4, 5, 5), (10, 24, 11, 25)]


def test_sheets_without_special_cells_have_no_facts(tmp_path: Path) -> None:
    lembar = read_kiriman(openpyxl_xlsx(tmp_path / "biasa.xlsx", [["a", 1], ["b", 2]])).lembar[0]
    assert (lembar.percent_cells, lembar.error_cells, lembar.merged_ranges, lembar.quote_prefix_cells) == (
        set(), {}, [], set())


@given(code=st.text(alphabet='0#,.%"\\[]_*;RedBlu ', max_size=12))
@settings(max_examples=300, database=None, deadline=None)
def test_percent_format_code_property(code: str) -> None:
    """A format code is a percent format exactly when a % remains outside quoted text, escapes, brackets,
    spacing (_x) and fill (*x) characters: a literal "%" never scales a number."""
    from macros_py.io.kiriman.styles import is_percent_format

    rest, index, quoted = [], 0, False
    while index < len(code):
        ch = code[index]
        if quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = code.find('"', index + 1) >= 0
            if not quoted:
                rest.append(ch)
        elif ch in "\\_*" and index + 1 < len(code):
            index += 1
        elif ch == "[" and "]" in code[index:]:
            index = code.index("]", index)
        else:
            rest.append(ch)
        index += 1
    assert is_percent_format(code) == ("%" in rest)



# ---------------------------------------------------------------------------------------------- the API


def test_api_shapes() -> None:
    error = FileRejected("a.xlsx", "berkas kosong")
    assert (error.berkas, error.pesan, str(error)) == ("a.xlsx", "berkas kosong", "a.xlsx: berkas kosong")
    batas = Batas()
    assert (batas.ukuran_berkas, batas.ukuran_terurai) == (50 * 1024 * 1024, 200 * 1024 * 1024)
    assert (batas.rasio_kompresi, batas.jumlah_entri_zip, batas.baris_per_lembar, batas.kolom_per_lembar) == (
        200,
        2000,
        20_000,
        200,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        batas.ukuran_berkas = 1  # type: ignore[misc]


# ------------------------------------------------------------------------------------------------- fuzzing


def small_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(["Nama", "Jumlah"])
    worksheet.append(["Budi", 5])
    worksheet.append(["Ani", 2.5])
    worksheet.row_dimensions[2].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SMALL = small_xlsx()
with zipfile.ZipFile(io.BytesIO(SMALL)) as _archive:
    SMALL_PARTS = {name: _archive.read(name) for name in _archive.namelist()}
FUZZ = settings(
    max_examples=150,
    deadline=2000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
operation = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("cut"), st.integers(min_value=0), st.just(0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    st.tuples(st.just("delete"), st.integers(min_value=0), st.integers(min_value=1, max_value=64)),
)


def mutate(data: bytes, operations: list[tuple[str, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, position, value in operations:
        at = position % (len(out) + 1)
        if kind == "flip" and at < len(out):
            out[at] ^= value
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = bytes([value]) * (1 + value % 7)
        elif kind == "delete":
            del out[at : at + value]
    return bytes(out)


def read_or_refuse(directory: Path, data: bytes) -> None:
    path = directory / "fuzz.xlsx"
    path.write_bytes(data)
    try:
        hasil = read_kiriman(path)
    except FileRejected as error:
        assert error.berkas == "fuzz.xlsx" and error.pesan
    else:
        assert isinstance(hasil, KirimanFile)
        for lembar in hasil.lembar:
            assert all(isinstance(row, list) for row in lembar.baris)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_fuzz_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    read_or_refuse(tmp_path_factory.mktemp("acak"), data)


@FUZZ
@given(operations=st.lists(operation, min_size=1, max_size=6))
def test_fuzz_mutated_xlsx(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int, int]]
) -> None:
    read_or_refuse(tmp_path_factory.mktemp("mutasi"), mutate(SMALL, operations))


@FUZZ
@given(part=st.sampled_from(sorted(SMALL_PARTS)), operations=st.lists(operation, min_size=1, max_size=6))
def test_fuzz_mutated_parts_in_valid_zip(
    tmp_path_factory: pytest.TempPathFactory, part: str, operations: list[tuple[str, int, int]]
) -> None:
    parts = dict(SMALL_PARTS)
    parts[part] = mutate(parts[part], operations)
    read_or_refuse(tmp_path_factory.mktemp("bagian"), zip_bytes(parts))


def test_fuzz_base_file_is_valid(tmp_path: Path) -> None:
    read_or_refuse(tmp_path, SMALL)
    lembar = read_kiriman(write(tmp_path / "dasar.xlsx", SMALL)).lembar[0]
    assert lembar.baris_tersembunyi == {2}
    assert lembar.baris[1] == ["Budi", 5]
