"""Read one untrusted submission file (a bidang's filled template) into plain Python values.

Files arrive by e-mail or flashdisk and may be wrong, broken or hostile, so nothing here trusts the file
name, the zip headers or the XML: the type is detected from the content, the zip is inflated by us with
hard caps, every XML part is checked before python-calamine sees it, and calamine only ever reads a clean
copy of the package holding exactly the parts that were checked (no macros, no media, nothing else).

Why a pre-scan at all: calamine is fast and never runs macros, but it trusts the package. A 1 MB file can
make it allocate gigabytes (a cell at XFD1048576 makes its dense range huge), inflate a zip bomb, or read
parts we never looked at. The pre-scan bounds time and memory for every input; it uses only linear scans
(C-speed byte counts and anchored regular expressions without nested quantifiers, or expat).

Values are returned as python-calamine gives them, with two documented normalisations:
- an empty cell (and an empty string, which calamine does not distinguish from it) becomes ``None``;
- numbers are NOT normalised: calamine returns floats even for whole numbers (``5`` is read as ``5.0``);
  dates come back as ``datetime.datetime`` / ``datetime.date`` / ``datetime.time`` / ``datetime.timedelta``
  as calamine infers them from the number format; error cells (``#DIV/0!``) are read as ``None``.
Strings are never stripped: the caller validates them.

Limits besides ``Batas``: XML nesting depth (``KEDALAMAN_XML_MAKS``); structural parts (workbook.xml,
relationships, content types) at most 16 MiB, styles.xml 32 MiB; a worksheet or sharedStrings part may
hold at most 16 MiB plus 1 KiB per cell (padding with content calamine skips is refused); unusual XML
that needs the exact per-element walk gets a budget of 2 million elements per file; the compression
ratio is judged only for entries inflating beyond 1 MiB. A file within every limit (up to 200 MiB of
real cell data) can still take several seconds and a few hundred MB of memory: that is the envelope
the limits allow, not a hostile-file cost.

Not reported: rows hidden through ``<sheetFormatPr zeroHeight="1">`` (all rows hidden by default),
hidden columns, and sheet visibility (hidden sheets are returned like visible ones).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.parsers import expat

import python_calamine

from macros_py.domain.validasi import huruf_kolom, nomor_kolom

__all__ = [
    "BATAS_BAKU",
    "Batas",
    "FileRejected",
    "KirimanFile",
    "KirimanSheet",
    "read_kiriman",
]

MiB: Final = 1024 * 1024
#: Deepest element nesting accepted in any XML part. Excel's own parts stay under ~20 levels; anything
#: deeper is an attack on recursive parsers and is refused.
KEDALAMAN_XML_MAKS: Final = 100
#: Entries smaller than this are not judged by their compression ratio (tiny XML compresses very well).
_RATIO_GRACE: Final = 1 * MiB
_CHUNK: Final = 256 * 1024
#: Structural parts (workbook.xml, relationships, [Content_Types].xml) are small in real files and are
#: parsed with Python callbacks, so they are capped at this size. The same size is the slack allowed for
#: non-cell content in a worksheet or sharedStrings part, and the largest part calamine never reads that
#: is still parsed for well-formedness (larger unread parts are only streamed for DOCTYPE/ENTITY).
_PART_MAX: Final = 16 * MiB
_STYLES_MAX: Final = 32 * MiB
#: Average bytes allowed per cell in a worksheet or sharedStrings part beyond _PART_MAX: padding a sheet
#: with content calamine skips (a 1 MB file inflating to 180 MB of junk) is refused before parsing.
_BYTES_PER_CELL: Final = 1024
#: How much of a part's beginning is searched for <dimension> while it is still being inflated.
_DIMENSION_HEAD: Final = 64 * 1024
#: Elements the exact (per-element, Python callback) path may visit per file, ~1 s of work. Files from
#: Excel, LibreOffice or openpyxl take the byte-level fast path; only unusual XML comes here.
_SLOW_PATH_ELEMENTS: Final = 2_000_000
#: Slack for the streaming <row count (it also matches <rowBreaks>); the exact count follows later.
_ROW_SLACK: Final = 16

_ZIP_MAGIC: Final = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
_CFB_MAGIC: Final = bytes.fromhex("D0CF11E0A1B11AE1")
_CFB_ENCRYPTED: Final = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

_WORKBOOK: Final = "xl/workbook.xml"
_WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"
_CONTENT_TYPES: Final = "[content_types].xml"
_SHARED_STRINGS: Final = "xl/sharedstrings.xml"
_STYLES: Final = "xl/styles.xml"
_STRUCTURE_PARTS: Final = (_CONTENT_TYPES, "_rels/.rels", _WORKBOOK, _WORKBOOK_RELS)
#: Parts calamine reads besides the worksheets (all other parts are dropped from the copy it reads).
_CALAMINE_PARTS: Final = (*_STRUCTURE_PARTS, _SHARED_STRINGS, _STYLES)

# Patterns used on attacker-controlled bytes. Each is anchored on a literal, has no nested quantifier and
# at most one bounded lazy scan that cannot cross a '>', so matching stays linear in the input size.
_RE_DIMENSION: Final = re.compile(rb'<dimension\s+ref\s*=\s*["\']([^"\'<>]{0,64})["\']')
_RE_PREFIXED_CELL_OR_ROW: Final = re.compile(rb":(?:c|row)[\s/>]")
_RE_ODD_CELL_OR_ROW: Final = re.compile(rb"<(?:c|row)[\t\n\r/>]")
_RE_CELL_NOT_CANONICAL: Final = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')
_RE_ROW_NOT_CANONICAL: Final = re.compile(rb'<row r="(?![1-9][0-9]{0,6}")')
_RE_HIDDEN_ROW: Final = re.compile(rb'<row r="([1-9][0-9]{0,6})"[^<>]*?\shidden\s*=\s*["\'](?:1|true)["\']')
_RE_XML_ENCODING: Final = re.compile(rb'encoding\s*=\s*["\']([A-Za-z0-9._-]{1,40})["\']')
_RE_CELL_NAME: Final = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_RE_ROW_NAME: Final = re.compile(r"([A-Za-z]{0,3})([0-9]{1,7})")
_DEPTH_MARKS: Final = b"<\x02\x03"
_DEPTH_DROP: Final = bytes(b for b in range(256) if b not in _DEPTH_MARKS)


class FileRejected(Exception):
    """A submission refused with a reason the sender can act on (Indonesian, names the file)."""

    def __init__(self, berkas: str, pesan: str) -> None:
        super().__init__(berkas, pesan)
        self.berkas = berkas
        self.pesan = pesan

    def __str__(self) -> str:
        return f"{self.berkas}: {self.pesan}"


@dataclass
class KirimanSheet:
    """One worksheet as plain values: ``baris[0]`` is row 1, ``baris[r][0]`` is column A.

    ``baris_tersembunyi`` holds the 1-based numbers of rows hidden in the sheet, so the caller can warn
    that a sender hid data instead of deleting it.
    """

    nama: str
    baris: list[list[object]]
    baris_tersembunyi: set[int] = field(default_factory=set)


@dataclass
class KirimanFile:
    """A submission read safely. ``punya_makro`` is True when the package carried VBA or Excel 4 macro
    sheets: their data is read, the macros are never kept or run, and the caller warns the sender."""

    berkas: str
    sha256: str
    lembar: list[KirimanSheet]
    punya_makro: bool


@dataclass(frozen=True)
class Batas:
    """Hard limits that bound the time and memory spent on any one file, hostile or not."""

    ukuran_berkas: int = 50 * MiB
    ukuran_terurai: int = 200 * MiB
    rasio_kompresi: int = 200
    jumlah_entri_zip: int = 2000
    baris_per_lembar: int = 20_000
    kolom_per_lembar: int = 200


BATAS_BAKU: Final = Batas()


class _Reject(Exception):
    """Internal refusal carrying the Indonesian reason; the entry point adds the file name."""

    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


@dataclass
class _SheetRef:
    name: str
    key: str  # lower-cased part name, as calamine looks parts up case-insensitively
    kind: str  # "worksheets", "chartsheets", ...


@dataclass
class _Package:
    names: dict[str, str]  # lower-cased -> stored name
    parts: dict[str, bytes]  # lower-cased name -> inflated XML
    has_macros: bool
    sheets: list[_SheetRef] = field(default_factory=list)
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)
    slow_budget: list[int] = field(default_factory=lambda: [_SLOW_PATH_ELEMENTS])


# --------------------------------------------------------------------------------------------- entry point


def read_kiriman(path: Path, batas: Batas = BATAS_BAKU) -> KirimanFile:
    """Read a submitted .xlsx/.xlsm (or .xltx/.xltm) into plain values, or raise ``FileRejected``.

    Every failure, including ones no check foresaw, becomes ``FileRejected`` so one bad file can never
    stop the processing of the others.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        data = _read_bytes(path, batas)
        digest = hashlib.sha256(data).hexdigest()
        _refuse_non_zip(data)
        package = _open_package(data, batas)
        sheets = _read_values(package, batas)
    except _Reject as exc:
        raise FileRejected(name, exc.pesan) from exc.__cause__
    except MemoryError as exc:
        raise FileRejected(
            name, "berkas terlalu besar untuk dibaca; kurangi isinya lalu kirim ulang"
        ) from exc
    except Exception as exc:
        raise FileRejected(name, _PESAN_RUSAK) from exc
    except BaseException as exc:
        # A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise FileRejected(name, _PESAN_RUSAK) from exc
    return KirimanFile(berkas=name, sha256=digest, lembar=sheets, punya_makro=package.has_macros)


_PESAN_RUSAK: Final = (
    "berkas rusak atau tidak dapat dibaca; buka di Excel, simpan ulang sebagai .xlsx, lalu kirim ulang"
)


def _mb(size: int) -> str:
    """Human size with an Indonesian decimal comma."""
    if size >= MiB:
        return f"{size / MiB:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


# ------------------------------------------------------------------------------------- file and file type


def _read_bytes(path: Path, batas: Batas) -> bytes:
    """Read at most the size limit (+1 byte, so a file growing after stat() is still caught)."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise _Reject("berkas tidak ditemukan") from exc
    except OSError as exc:
        raise _Reject("berkas tidak dapat dibuka") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _Reject("bukan berkas biasa (mungkin folder); kirim berkas .xlsx")
    if info.st_size > batas.ukuran_berkas:
        raise _Reject(f"berkas terlalu besar ({_mb(info.st_size)}; batas {_mb(batas.ukuran_berkas)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(batas.ukuran_berkas + 1)
    except OSError as exc:
        raise _Reject("berkas tidak dapat dibaca") from exc
    if not data:
        raise _Reject("berkas kosong (0 byte); kirim ulang berkas yang benar")
    if len(data) > batas.ukuran_berkas:
        raise _Reject(f"berkas terlalu besar (lebih dari {_mb(batas.ukuran_berkas)})")
    return data


def _refuse_non_zip(data: bytes) -> None:
    """Name the actual format of anything that is not an OOXML zip, judged by content, not extension."""
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_CFB_MAGIC):
        if any(marker in data for marker in _CFB_ENCRYPTED):
            raise _Reject("dilindungi kata sandi; buka dan simpan tanpa kata sandi, lalu kirim ulang")
        raise _Reject(
            "format .xls lama; simpan ulang sebagai .xlsx (Excel: Simpan Sebagai > Buku Kerja Excel)"
        )
    if data.startswith(_EMPTY_ZIP_MAGIC):
        raise _Reject("arsip zip kosong, bukan buku kerja Excel")
    if data.startswith(b"%PDF"):
        raise _Reject("berkas PDF, bukan buku kerja Excel; kirim berkas .xlsx hasil isian template")
    text = _as_text(data[:8192])
    if text is None:
        raise _Reject("jenis berkas tidak dikenali; yang diterima hanya buku kerja Excel .xlsx/.xlsm")
    lower = text.lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lower or 'progid="excel.sheet"' in lower:
        raise _Reject("format XML Spreadsheet 2003; simpan ulang sebagai .xlsx")
    if "<html" in lower or "<table" in lower or "<!doctype html" in lower:
        raise _Reject(
            "berkas HTML (halaman web), bukan buku kerja Excel; buka di Excel lalu simpan sebagai .xlsx"
        )
    if lower.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        raise _Reject("berkas XML biasa, bukan buku kerja Excel; kirim berkas .xlsx")
    raise _Reject("berkas teks/CSV, bukan buku kerja Excel; buka di Excel lalu simpan sebagai .xlsx")


def _as_text(head: bytes) -> str | None:
    """Decode the start of a file if it looks like text (CSV, HTML, XML), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head:
        return None
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 26))
    if controls * 20 > len(head):
        return None
    return head.decode("utf-8", errors="replace")


# ----------------------------------------------------------------------------------------------- the zip


def _open_package(data: bytes, batas: Batas) -> _Package:
    """Check the zip as a whole, then inflate and check every XML part under the caps."""
    # Count central-directory records before zipfile parses them all (a small file can hold many).
    if data.count(b"PK\x01\x02") > batas.jumlah_entri_zip:
        raise _Reject(f"isi arsip terlalu banyak entri (batas {batas.jumlah_entri_zip}); kemungkinan bom zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:
        raise _Reject("berkas zip rusak atau terpotong; kirim ulang berkas aslinya") from exc
    if len(infos) > batas.jumlah_entri_zip:
        raise _Reject(f"isi arsip terlalu banyak entri ({len(infos)}; batas {batas.jumlah_entri_zip})")

    names: dict[str, str] = {}
    declared = 0
    for info in infos:
        key = info.filename.lower()
        if key in names:
            raise _Reject(f"nama bagian ganda di dalam arsip ({info.filename}); berkas tidak sah")
        names[key] = info.filename
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise _Reject("bagian arsip terenkripsi; simpan ulang tanpa kata sandi")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Reject("metode kompresi zip tidak didukung; simpan ulang dari Excel sebagai .xlsx")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _Reject("berkas zip rusak (ukuran bagian tidak cocok)")
        declared += info.file_size
        ratio_limit = batas.rasio_kompresi * max(info.compress_size, 1)
        if info.file_size > _RATIO_GRACE and info.file_size > ratio_limit:
            raise _Reject(f"rasio kompresi tidak wajar di bagian {info.filename}; kemungkinan bom zip")
    if declared > batas.ukuran_terurai:
        sizes = f"{_mb(declared)}; batas {_mb(batas.ukuran_terurai)}"
        raise _Reject(f"isi terurai terlalu besar ({sizes}); kemungkinan bom zip")

    _refuse_other_zip_formats(archive, names)

    has_macros = any(key.endswith("vbaproject.bin") or key.startswith("xl/macrosheets/") for key in names)
    package = _Package(names=names, parts={}, has_macros=has_macros)
    xml_infos = {
        info.filename.lower(): info
        for info in infos
        if not info.is_dir() and info.filename.lower().endswith((".xml", ".rels"))
    }
    inflated = [0]
    for key in _STRUCTURE_PARTS:
        if key in xml_infos:
            if xml_infos[key].file_size > _PART_MAX:
                raise _Reject(f"bagian {names[key]} terlalu besar untuk buku kerja yang wajar")
            package.parts[key] = _inflate(archive, xml_infos[key], batas, inflated)
    _resolve_sheets(package)

    sheet_names = {ref.key: ref.name for ref in package.sheets}
    needed = {*_CALAMINE_PARTS, *sheet_names}
    if _STYLES in xml_infos and xml_infos[_STYLES].file_size > _STYLES_MAX:
        raise _Reject(f"bagian {names[_STYLES]} terlalu besar untuk buku kerja yang wajar")
    for key, info in xml_infos.items():
        if key not in package.parts:
            # Parts nobody reads are streamed for DOCTYPE/ENTITY and caps; small ones are also parsed.
            store = key in needed or info.file_size <= _PART_MAX
            content = _inflate(archive, info, batas, inflated, store=store)
            if store:
                package.parts[key] = content

    cells = 0
    for key, name in sheet_names.items():
        if key in package.parts:
            hidden, count = _scan_sheet(package.parts[key], batas, f"lembar {name!r}", package.slow_budget)
            package.hidden_rows[key] = hidden
            cells += count
    for key, content in package.parts.items():
        if key == _SHARED_STRINGS and len(content) > _PART_MAX + _BYTES_PER_CELL * cells:
            raise _Reject(f"bagian {names[key]} jauh lebih besar daripada isi lembarnya; berkas tidak wajar")
        if key not in sheet_names and key not in (_WORKBOOK, _WORKBOOK_RELS):  # those two: already parsed
            _check_xml(content, f"bagian {names[key]}", package.slow_budget)
    return package


def _refuse_other_zip_formats(archive: zipfile.ZipFile, names: dict[str, str]) -> None:
    """A zip that is not a workbook (ODS, DOCX, XLSB, any archive renamed to .xlsx)."""
    if "mimetype" in names:
        try:
            with archive.open(names["mimetype"]) as handle:
                mimetype = handle.read(200)
        except Exception as exc:
            raise _Reject("berkas zip rusak atau terpotong; kirim ulang berkas aslinya") from exc
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise _Reject("format OpenDocument (.ods); simpan ulang sebagai .xlsx")
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise _Reject("dokumen OpenDocument, bukan buku kerja Excel; kirim berkas .xlsx")
    if "content.xml" in names and "meta-inf/manifest.xml" in names:
        raise _Reject("format OpenDocument (.ods); simpan ulang sebagai .xlsx")
    if _WORKBOOK in names:
        return
    if "xl/workbook.bin" in names:
        raise _Reject("format .xlsb (biner) tidak didukung; simpan ulang sebagai .xlsx")
    if "word/document.xml" in names:
        raise _Reject("dokumen Word (.docx) yang diberi nama seperti Excel; kirim berkas .xlsx")
    if "ppt/presentation.xml" in names:
        raise _Reject("presentasi PowerPoint, bukan buku kerja Excel; kirim berkas .xlsx")
    raise _Reject("arsip zip yang bukan buku kerja Excel (xl/workbook.xml tidak ada); kirim berkas .xlsx")


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, batas: Batas, budget: list[int], *, store: bool = True
) -> bytes:
    """Inflate one part in chunks, stopping as soon as a cap is crossed; never trust the header alone.

    Also refuses DOCTYPE/ENTITY, too many rows and an oversized <dimension> while streaming, so a
    million-row sheet or an entity bomb is refused after its first chunks, not after full inflation.
    With ``store=False`` the bytes are checked and dropped (b"" is returned).
    """
    label = info.filename
    chunks: list[bytes] = []
    produced = 0
    rows = 0
    tail = b""
    head_checked = False
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                produced += len(chunk)
                budget[0] += len(chunk)
                if produced > info.file_size:
                    raise _Reject(
                        f"ukuran terurai bagian {label} melebihi keterangan zip; kemungkinan bom zip"
                    )
                if budget[0] > batas.ukuran_terurai:
                    raise _Reject(
                        f"isi terurai melebihi batas {_mb(batas.ukuran_terurai)}; kemungkinan bom zip"
                    )
                if produced > _RATIO_GRACE and produced > batas.rasio_kompresi * max(info.compress_size, 1):
                    raise _Reject(f"rasio kompresi tidak wajar di bagian {label}; kemungkinan bom zip")
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise _Reject(_doctype_message(f"bagian {label}"))
                rows += window.count(b"<row", max(0, len(tail) - 3))
                if rows > batas.baris_per_lembar + _ROW_SLACK:
                    raise _too_many_rows(batas, f"bagian {label}")
                if store or not head_checked:
                    chunks.append(chunk)
                tail = window[-8:]
                if not head_checked and produced >= _DIMENSION_HEAD:
                    head_checked = True
                    _check_dimension_head(b"".join(chunks)[:_DIMENSION_HEAD], batas, label)
    except _Reject:
        raise
    except Exception as exc:
        raise _Reject(
            f"berkas zip rusak atau terpotong (bagian {label}); kirim ulang berkas aslinya"
        ) from exc
    if produced != info.file_size:
        raise _Reject(f"berkas zip rusak (ukuran bagian {label} tidak cocok)")
    content = b"".join(chunks)
    if not head_checked:
        _check_dimension_head(content, batas, label)
    return content if store else b""


def _check_dimension_head(head: bytes, batas: Batas, label: str) -> None:
    match = _RE_DIMENSION.search(head)
    if match is not None:
        _check_dimension(match.group(1).decode("ascii", errors="replace"), batas, f"bagian {label}")


def _doctype_message(where: str) -> str:
    return f"{where} berisi deklarasi DOCTYPE/ENTITY (berpotensi berbahaya); berkas ditolak"


# ------------------------------------------------------------------------------------ workbook structure


def _resolve_sheets(package: _Package) -> None:
    """Find each sheet's part the way calamine does, so hidden rows and limits apply to what it reads."""
    for key in (_WORKBOOK, _WORKBOOK_RELS):
        if key not in package.parts:
            raise _Reject(f"bagian {key} tidak ada; berkas bukan buku kerja Excel yang utuh")
    budget = package.slow_budget
    sheet_elements = _collect_elements(
        package.parts[_WORKBOOK], "sheet", f"bagian {package.names[_WORKBOOK]}", budget
    )
    rel_elements = _collect_elements(
        package.parts[_WORKBOOK_RELS], "Relationship", f"bagian {package.names[_WORKBOOK_RELS]}", budget
    )
    targets = {attrs.get("Id", ""): attrs.get("Target", "") for attrs in rel_elements}
    seen: set[str] = set()
    for attrs in sheet_elements:
        name = attrs.get("name", "")
        if name.casefold() in seen:
            raise _Reject(f"nama lembar ganda ({name!r}); berkas tidak sah")
        seen.add(name.casefold())
        rel_id = None
        for key, value in attrs.items():
            if key in ("r:id", "relationships:id"):
                rel_id = value
        if rel_id is None or rel_id not in targets:
            raise _Reject(f"lembar {name!r} tidak punya bagian yang sah di dalam berkas")
        target = targets[rel_id]
        if target.startswith("/xl/"):
            target = target[1:]
        elif not target.startswith("xl/"):
            target = "xl/" + target
        segments = target.split("/")
        kind = segments[1] if len(segments) > 1 else ""
        key = target.lower()
        if kind == "worksheets" and key not in package.names:
            raise _Reject(f"lembar {name!r} tidak ditemukan di dalam berkas (bagian {target})")
        package.sheets.append(_SheetRef(name=name, key=key, kind=kind))


def _collect_elements(content: bytes, local_name: str, where: str, budget: list[int]) -> list[dict[str, str]]:
    """Attributes (raw qualified names, as calamine matches them) of every element with this local name."""
    found: list[dict[str, str]] = []
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        _spend(budget)
        depth[0] += 1
        if depth[0] > KEDALAMAN_XML_MAKS:
            raise _Reject(_depth_message(where))
        if _local(name) == local_name:
            found.append(attrs)

    def end(_name: str) -> None:
        depth[0] -= 1

    _check_encoding(content, where)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _Reject(_doctype_message(where))
    parser = _new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _parse(parser, content, where)
    return found


# -------------------------------------------------------------------------------------------- XML checks


def _local(name: str) -> str:
    """quick-xml's local name: everything after the first colon."""
    return name.split(":", 1)[1] if ":" in name else name


def _depth_message(where: str) -> str:
    return f"XML {where} bersarang terlalu dalam (lebih dari {KEDALAMAN_XML_MAKS} tingkat); berkas ditolak"


def _refuse_doctype(*_args: object) -> None:
    raise _Reject("berisi deklarasi DOCTYPE/ENTITY (berpotensi berbahaya); berkas ditolak")


def _new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _parse(parser: expat.XMLParserType, content: bytes, where: str) -> None:
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise _Reject(f"XML {where} rusak (baris {exc.lineno}); simpan ulang dari Excel") from exc


def _check_encoding(content: bytes, where: str) -> None:
    """Only UTF-8 XML is accepted: the byte-level scans below rely on an ASCII-compatible encoding."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4]:
        raise _Reject(f"pengodean XML {where} tidak didukung (harus UTF-8)")
    head = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    if head.startswith(b"<?xml"):
        end = head.find(b"?>", 0, 512)
        if end < 0:
            raise _Reject(f"XML {where} rusak (deklarasi XML tidak lengkap)")
        match = _RE_XML_ENCODING.search(head, 0, end)
        if match is not None and match.group(1).lower() not in (b"utf-8", b"utf8"):
            raise _Reject(f"pengodean XML {where} tidak didukung (harus UTF-8)")


def _plain_markup(content: bytes) -> bool:
    """True when every '<' opens a tag or PI and every '>' closes one (no comments, CDATA, or raw '>' in
    text or attribute values). For well-formed XML this makes byte counting an exact tag count."""
    return b"<!" not in content and content.count(b"<") == content.count(b">")


def _validate(content: bytes, where: str) -> None:
    """Well-formedness at C speed (no element callbacks): duplicate attributes, bad nesting, raw '<'."""
    _parse(_new_parser(), content, where)


def _fast_depth(content: bytes) -> int | None:
    """Nesting depth of well-formed, plain-markup XML using byte replaces only (no Python per element).

    Tags become one byte each: '<' opens, 0x02 closes ('</'), 0x03 closes an empty element ('/>').
    Empty elements are dropped first; then each pass removes the innermost level. Returns an upper
    bound (+1 for empty leaves), or None if the structure does not reduce (caller falls back to expat).
    """
    marks = content.replace(b"<?", b"").replace(b"</", b"\x02").replace(b"/>", b"\x03")
    marks = marks.translate(None, _DEPTH_DROP).replace(b"<\x03", b"")
    depth = 0
    while marks:
        depth += 1
        if depth > KEDALAMAN_XML_MAKS:
            return depth
        reduced = marks.replace(b"<\x02", b"")
        if len(reduced) == len(marks):
            return None
        marks = reduced
    return depth + 1


def _spend(budget: list[int]) -> None:
    """One element visited by a Python callback; refuse once the per-file budget is used up."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Reject(
            "struktur XML tidak lazim dan terlalu besar untuk diperiksa; "
            "buka di Excel lalu simpan ulang sebagai .xlsx"
        )


def _exact_depth(content: bytes, where: str, budget: list[int]) -> None:
    depth = [0]

    def start(_name: str, _attrs: object) -> None:
        _spend(budget)
        depth[0] += 1
        if depth[0] > KEDALAMAN_XML_MAKS:
            raise _Reject(_depth_message(where))

    def end(_name: str) -> None:
        depth[0] -= 1

    parser = _new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _parse(parser, content, where)


def _check_xml(content: bytes, where: str, budget: list[int]) -> None:
    """Any XML part: UTF-8, no DOCTYPE/ENTITY, well-formed, not nested deeper than the limit."""
    _check_encoding(content, where)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _Reject(_doctype_message(where))
    if _plain_markup(content):
        _validate(content, where)
        depth = _fast_depth(content)
        if depth is not None:
            if depth > KEDALAMAN_XML_MAKS:
                raise _Reject(_depth_message(where))
            return
    _exact_depth(content, where, budget)


# ------------------------------------------------------------------------------------------ sheet checks


def _cell_position(ref: str) -> tuple[int, int]:
    """0-based (row, column) of a cell name, as calamine computes it; refuses what would overflow."""
    match = _RE_CELL_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise _Reject(f"alamat sel tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1, nomor_kolom(match.group(1).upper()) - 1


def _row_position(ref: str) -> int:
    match = _RE_ROW_NAME.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise _Reject(f"nomor baris tidak sah ({ref[:20]!r}); berkas tidak sah")
    return int(match.group(2)) - 1


def _too_many_rows(batas: Batas, where: str) -> _Reject:
    return _Reject(f"{where} melebihi batas {batas.baris_per_lembar} baris")


def _too_many_columns(batas: Batas, where: str) -> _Reject:
    last = huruf_kolom(batas.kolom_per_lembar)
    return _Reject(f"{where} melebihi batas {batas.kolom_per_lembar} kolom (sampai kolom {last})")


def _check_position(row: int, column: int, batas: Batas, where: str) -> None:
    if row >= batas.baris_per_lembar:
        raise _too_many_rows(batas, where)
    if column >= batas.kolom_per_lembar:
        raise _too_many_columns(batas, where)


def _check_dimension(ref: str, batas: Batas, where: str) -> None:
    """<dimension ref="A1:XFD1048576"> announces the used range: refuse before reading any cell."""
    corners = ref.split(":")
    if not 1 <= len(corners) <= 2:
        raise _Reject(f"rentang lembar (dimension) tidak sah di {where}")
    for corner in corners:
        row, column = _cell_position(corner)
        _check_position(row, column, batas, where)


def _scan_sheet(content: bytes, batas: Batas, where: str, budget: list[int]) -> tuple[set[int], int]:
    """Check a worksheet part; return its hidden rows (1-based) and its (approximate) number of cells.

    Every cell position calamine will use must lie inside the limits, because calamine allocates the
    dense rectangle spanned by its cells. The fast path covers what Excel, LibreOffice and openpyxl
    write (every <c> starts with r="A1"); anything else goes through an exact expat walk.
    """
    _check_encoding(content, where)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _Reject(_doctype_message(where))
    cells = content.count(b"<c ") + content.count(b":c ")
    if len(content) > _PART_MAX + _BYTES_PER_CELL * cells:
        raise _Reject(f"{where} berisi jauh lebih banyak data selain sel daripada wajarnya; berkas ditolak")
    if _plain_markup(content) and _RE_PREFIXED_CELL_OR_ROW.search(content) is None:
        _validate(content, where)
        hidden = _fast_sheet_scan(content, batas, where, cells)  # no ":c " here: cells counts "<c "
        if hidden is not None:
            return hidden, cells
    return _exact_sheet_scan(content, batas, where, budget), cells


def _greater_number(limit: int) -> bytes:
    """Regex for canonical decimal numbers (no leading zero) strictly greater than ``limit``."""
    text = str(limit)
    alternatives = [f"[1-9][0-9]{{{len(text)},}}"]
    for index, digit in enumerate(text):
        if digit != "9":
            rest = len(text) - index - 1
            alternatives.append(text[:index] + f"[{int(digit) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(alternatives) + ")").encode()


def _greater_letters(count: int) -> bytes:
    """Regex for column letters (at most 3, as canonical refs have) naming a column beyond ``count``."""
    text = huruf_kolom(count)
    alternatives = [f"[A-Z]{{{len(text) + 1},3}}"] if len(text) < 3 else []
    for index, letter in enumerate(text):
        if letter != "Z":
            rest = len(text) - index - 1
            alternatives.append(
                text[:index] + f"[{chr(ord(letter) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else "")
            )
    return ("(?:" + "|".join(alternatives or ["(?!)"]) + ")").encode()


@functools.lru_cache(maxsize=8)
def _limit_patterns(
    rows: int, columns: int
) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Searches that find any canonical cell/row reference beyond the limits without listing them all."""
    number = _greater_number(rows)
    return (
        re.compile(rb'<c r="[A-Z]{1,3}' + number + rb'"'),
        re.compile(rb'<c r="' + _greater_letters(columns) + rb"[1-9]"),
        re.compile(rb'<row r="' + number + rb'"'),
    )


@functools.lru_cache(maxsize=8)
def _unusual_patterns(rows: int, columns: int) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """One search per kind for anything the separate checks act on: a row reference that is not canonical
    or beyond the limit, and a cell reference likewise. Files within the limits (nearly all) then cost two
    passes instead of five."""
    number = _greater_number(rows)
    return (
        re.compile(rb'<row r="(?:(?![1-9][0-9]{0,6}")|' + number + rb'")'),
        re.compile(rb'<c r="(?:(?![A-Z]{1,3}[1-9][0-9]{0,6}")|[A-Z]{1,3}' + number + rb'"|'
                   + _greater_letters(columns) + rb"[1-9])"),
    )


def _fast_sheet_scan(content: bytes, batas: Batas, where: str, cell_count: int) -> set[int] | None:
    """Byte-level checks for well-formed, plain-markup sheets; None means "use the exact walk".

    Applies when every <c> and <row> starts with a canonical r="..." (what Excel, LibreOffice and
    openpyxl write): then calamine takes every position from r, and the limits reduce to searches.
    """
    if _RE_ODD_CELL_OR_ROW.search(content) is not None:
        return None  # <c>, <row/>, a tab after the name...: positions may depend on order
    row_count = content.count(b"<row ")
    if row_count > batas.baris_per_lembar:
        raise _too_many_rows(batas, where)
    unusual_row, unusual_cell = _unusual_patterns(batas.baris_per_lembar, batas.kolom_per_lembar)
    rows_usual = unusual_row.search(content) is None
    if content.count(b'<row r="') != row_count or (
            not rows_usual and _RE_ROW_NOT_CANONICAL.search(content) is not None):
        return None
    if cell_count > batas.baris_per_lembar * batas.kolom_per_lembar:
        raise _too_many_rows(batas, where)
    cells_usual = unusual_cell.search(content) is None
    if content.count(b'<c r="') != cell_count or (
            not cells_usual and _RE_CELL_NOT_CANONICAL.search(content) is not None):
        return None
    if not (rows_usual and cells_usual):
        cell_row_beyond, cell_column_beyond, row_beyond = _limit_patterns(
            batas.baris_per_lembar, batas.kolom_per_lembar
        )
        if row_beyond.search(content) is not None or cell_row_beyond.search(content) is not None:
            raise _too_many_rows(batas, where)
        if cell_column_beyond.search(content) is not None:
            raise _too_many_columns(batas, where)
    for match in _RE_DIMENSION.finditer(content):
        _check_dimension(match.group(1).decode("ascii", errors="replace"), batas, where)
    depth = _fast_depth(content)
    if depth is None:
        return None
    if depth > KEDALAMAN_XML_MAKS:
        raise _Reject(_depth_message(where))
    return {int(number) for number in _RE_HIDDEN_ROW.findall(content)}


class _SheetWalker:
    """Exact replay of calamine's worksheet reader over expat events (the slow, general path).

    calamine takes a cell's position from its r attribute, or else from counters: the last row r (or
    the count of closed rows) and the cell after the previous one. With rows and cells nested the
    standard way (row in sheetData, c in row) this replay is exact. If the nesting is unusual *and* a
    cell relies on the counters, the position cannot be predicted and the sheet is refused.
    """

    def __init__(self, batas: Batas, where: str, budget: list[int]) -> None:
        self.batas = batas
        self.where = where
        self.budget = budget
        self.max_cells = batas.baris_per_lembar * batas.kolom_per_lembar
        self.stack: list[str] = []
        self.phase = 0  # 0 before the first sheetData, 1 inside it, 2 after it (calamine stops there)
        self.data_depth = 0
        self.cell_depth = 0  # depth of the open <c>, 0 when none
        self.row_index = 0
        self.col_index = 0
        self.row_count = 0
        self.cell_count = 0
        self.irregular = False
        self.counted_cell = False
        self.hidden: set[int] = set()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        _spend(self.budget)
        local = _local(name)
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        depth = len(self.stack)
        if depth > KEDALAMAN_XML_MAKS:
            raise _Reject(_depth_message(self.where))
        if local == "dimension" and "ref" in attrs:
            _check_dimension(attrs["ref"], self.batas, self.where)
        if self.phase != 1:
            if local == "sheetData":
                if self.phase == 0:
                    self.phase, self.data_depth = 1, depth
                else:
                    self.irregular = True
            return
        if self.cell_depth:
            if local in ("c", "row", "sheetData"):
                self.irregular = True
                if local == "c" and "r" in attrs:
                    row, column = _cell_position(attrs["r"])
                    _check_position(row, column, self.batas, self.where)
            return
        if local == "row":
            self._row(attrs, depth)
        elif local == "c":
            self._cell(attrs, depth, parent)
        elif local == "sheetData":
            self.irregular = True

    def _row(self, attrs: dict[str, str], depth: int) -> None:
        if depth != self.data_depth + 1:
            self.irregular = True
        self.row_count += 1
        if self.row_count > self.batas.baris_per_lembar:
            raise _too_many_rows(self.batas, self.where)
        if "r" in attrs:
            self.row_index = _row_position(attrs["r"])
            if self.row_index >= self.batas.baris_per_lembar:
                raise _too_many_rows(self.batas, self.where)
        if attrs.get("hidden") in ("1", "true"):
            self.hidden.add(self.row_index + 1)

    def _cell(self, attrs: dict[str, str], depth: int, parent: str) -> None:
        if parent != "row" or depth != self.data_depth + 2:
            self.irregular = True
        self.cell_count += 1
        if self.cell_count > self.max_cells:
            raise _too_many_rows(self.batas, self.where)
        if "r" in attrs:
            row, column = _cell_position(attrs["r"])
            self.col_index = column
        else:
            self.counted_cell = True
            row, column = self.row_index, self.col_index
        _check_position(row, column, self.batas, self.where)
        self.cell_depth = depth

    def end(self, _name: str) -> None:
        depth = len(self.stack)
        local = self.stack.pop()
        if self.phase != 1:
            return
        if self.cell_depth:
            if depth == self.cell_depth:
                self.cell_depth = 0
                self.col_index += 1
            return
        if local == "row":
            self.row_index += 1
            self.col_index = 0
        elif depth == self.data_depth:
            self.phase = 2


def _exact_sheet_scan(content: bytes, batas: Batas, where: str, budget: list[int]) -> set[int]:
    walker = _SheetWalker(batas, where, budget)
    parser = _new_parser()
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    _parse(parser, content, where)
    if walker.irregular and walker.counted_cell:
        raise _Reject(f"struktur XML {where} tidak lazim (sel tanpa alamat di luar baris); berkas ditolak")
    return walker.hidden


# ------------------------------------------------------------------------------------------------ values


def _clean_copy(package: _Package) -> bytes:
    """A stored (uncompressed) zip of only the checked parts calamine needs: no macros, media or extras."""
    keep = [key for key in _CALAMINE_PARTS if key in package.parts]
    keep += [ref.key for ref in package.sheets if ref.key in package.parts and ref.key not in keep]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as copy:
        for key in keep:
            copy.writestr(package.names[key], package.parts[key])
    package.parts.clear()  # up to 200 MiB; calamine gets its own copy next
    return buffer.getvalue()


def _read_values(package: _Package, batas: Batas) -> list[KirimanSheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(_clean_copy(package)))
        metadata = workbook.sheets_metadata
    except Exception as exc:
        raise _Reject(_PESAN_RUSAK) from exc
    if [item.name for item in metadata] != [ref.name for ref in package.sheets]:
        raise _Reject("daftar lembar di dalam berkas tidak konsisten; simpan ulang dari Excel")
    sheets: list[KirimanSheet] = []
    for index, (item, ref) in enumerate(zip(metadata, package.sheets, strict=True)):
        if item.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cell data
        try:
            sheet = workbook.get_sheet_by_index(index)
            end = sheet.end
            if end is not None:
                # Defence in depth: the pre-scan already bounded every position.
                _check_position(end[0], end[1], batas, f"lembar {ref.name!r}")
            raw = sheet.to_python(skip_empty_area=False)
        except _Reject:
            raise
        except Exception as exc:
            raise _Reject(f"lembar {ref.name!r} tidak dapat dibaca; buka di Excel lalu simpan ulang") from exc
        # Only rows holding an empty cell ("") need rebuilding; `in` runs in C.
        rows: list[list[object]] = [
            [None if v == "" else v for v in row] if "" in row else row for row in raw
        ]
        sheets.append(
            KirimanSheet(
                nama=ref.name, baris=rows, baris_tersembunyi=package.hidden_rows.get(ref.key, set())
            )
        )
    return sheets
