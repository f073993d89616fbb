"""The zip package: checked as a whole, inflated by us in chunks under hard caps, every XML part checked, and
each sheet's part found the way calamine finds it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Final

from macros_py.io.kiriman.model import Batas, MiB, Reject, human_size
from macros_py.io.kiriman.sheet_limits import refuse_content_beyond
from macros_py.io.kiriman.sheet_scan import SheetScan, scan_sheet
from macros_py.io.kiriman.styles import read_cell_styles
from macros_py.io.kiriman.xml_checks import (
    check_encoding,
    check_xml,
    collect_elements,
    doctype_message,
)

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
#: Elements the exact (per-element, Python callback) path may visit per file, ~1 s of work. Files from
#: Excel, LibreOffice or openpyxl take the byte-level fast path; only unusual XML comes here.
_SLOW_PATH_ELEMENTS: Final = 2_000_000
#: Bytes kept from the previous chunk while streaming a worksheet, so a cell start tag cut by a chunk
#: boundary is still seen whole (longer tags are left to the full scan).
_TAIL: Final = 512
#: A worksheet is searched for cells with content beyond the limits while streaming only past this size
#: (a million-row sheet is refused after its first megabytes; ordinary sheets pay nothing for it).
_STREAM_CHECK_AFTER: Final = 4 * MiB

WORKBOOK: Final = "xl/workbook.xml"
WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"
_CONTENT_TYPES: Final = "[content_types].xml"
SHARED_STRINGS: Final = "xl/sharedstrings.xml"
STYLES: Final = "xl/styles.xml"
_STRUCTURE_PARTS: Final = (_CONTENT_TYPES, "_rels/.rels", WORKBOOK, WORKBOOK_RELS)
#: Parts calamine reads besides the worksheets (all other parts are dropped from the copy it reads).
CALAMINE_PARTS: Final = (*_STRUCTURE_PARTS, SHARED_STRINGS, STYLES)


ODS = ("format OpenDocument (.ods); simpan ulang sebagai .xlsx (LibreOffice Calc: File > Simpan Sebagai, jenis "
       "\"Excel 2007-365 (.xlsx)\", lalu \"Gunakan Format Excel 2007-365!\")")  # Calc's own format: what to do


@dataclass
class SheetRef:
    name: str
    key: str  # lower-cased part name, as calamine looks parts up case-insensitively
    kind: str  # "worksheets", "chartsheets", ...


@dataclass
class Package:
    names: dict[str, str]  # lower-cased -> stored name
    parts: dict[str, bytes]  # lower-cased name -> inflated XML
    has_macros: bool
    sheets: list[SheetRef] = field(default_factory=list)
    scans: dict[str, SheetScan] = field(default_factory=dict)  # part key -> what the sheet scan learned
    slow_budget: list[int] = field(default_factory=lambda: [_SLOW_PATH_ELEMENTS])


def open_package(data: bytes, batas: Batas) -> Package:
    """Check the zip as a whole, then inflate and check every XML part under the caps."""
    # Count central-directory records before zipfile parses them all (a small file can hold many).
    if data.count(b"PK\x01\x02") > batas.jumlah_entri_zip:
        raise Reject(f"isi arsip terlalu banyak entri (batas {batas.jumlah_entri_zip}); kemungkinan bom zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:
        raise Reject("berkas zip rusak atau terpotong; kirim ulang berkas aslinya") from exc
    if len(infos) > batas.jumlah_entri_zip:
        raise Reject(f"isi arsip terlalu banyak entri ({len(infos)}; batas {batas.jumlah_entri_zip})")

    names: dict[str, str] = {}
    declared = 0
    for info in infos:
        key = info.filename.lower()
        if key in names:
            raise Reject("isi arsip memuat nama ganda (beda huruf besar/kecil saja); berkas tidak sah")
        names[key] = info.filename
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise Reject("isi arsip terenkripsi; simpan ulang tanpa kata sandi")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Reject("metode kompresi zip tidak didukung; simpan ulang dari Excel sebagai .xlsx")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise Reject("berkas zip rusak (ukuran isi tidak cocok); kirim ulang berkas aslinya")
        declared += info.file_size
        ratio_limit = batas.rasio_kompresi * max(info.compress_size, 1)
        if info.file_size > _RATIO_GRACE and info.file_size > ratio_limit:
            raise Reject("rasio kompresi tidak wajar di dalam berkas; kemungkinan bom zip")
    if declared > batas.ukuran_terurai:
        sizes = f"{human_size(declared)}; batas {human_size(batas.ukuran_terurai)}"
        raise Reject(f"isi terurai terlalu besar ({sizes}); kemungkinan bom zip")

    _refuse_other_zip_formats(archive, names)

    has_macros = any(key.endswith("vbaproject.bin") or key.startswith("xl/macrosheets/") for key in names)
    package = Package(names=names, parts={}, has_macros=has_macros)
    xml_infos = {
        info.filename.lower(): info
        for info in infos
        if not info.is_dir() and info.filename.lower().endswith((".xml", ".rels"))
    }
    inflated = [0]
    for key in _STRUCTURE_PARTS:
        if key in xml_infos:
            if xml_infos[key].file_size > _PART_MAX:
                raise Reject(f"{part_label(key, {})} terlalu besar untuk buku kerja yang wajar")
            package.parts[key] = _inflate(archive, xml_infos[key], batas, inflated, part_label(key, {}))
    _resolve_sheets(package)

    sheet_names = {ref.key: ref.name for ref in package.sheets}
    needed = {*CALAMINE_PARTS, *sheet_names}
    if STYLES in xml_infos and xml_infos[STYLES].file_size > _STYLES_MAX:
        raise Reject(f"{part_label(STYLES, sheet_names)} terlalu besar untuk buku kerja yang wajar")
    for key, info in xml_infos.items():
        if key not in package.parts:
            # Parts nobody reads are streamed for DOCTYPE/ENTITY and caps; small ones are also parsed.
            store = key in needed or info.file_size <= _PART_MAX
            content = _inflate(archive, info, batas, inflated, part_label(key, sheet_names), store=store,
                               sheet=key in sheet_names)
            if store:
                package.parts[key] = content

    if STYLES in package.parts:  # checked first: the sheet scan needs the styles, read with searches
        check_xml(package.parts[STYLES], part_label(STYLES, sheet_names), package.slow_budget)
    styles = read_cell_styles(package.parts.get(STYLES))
    cells = 0
    for key, name in sheet_names.items():
        if key in package.parts:
            content, where = package.parts[key], f"lembar {name!r}"
            check_encoding(content, where)
            if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                raise Reject(doctype_message(where))
            count = content.count(b"<c ") + content.count(b":c ")
            if len(content) > _PART_MAX + _BYTES_PER_CELL * count:
                raise Reject(f"{where} berisi jauh lebih banyak data selain sel daripada wajarnya; berkas ditolak")
            package.scans[key] = scan_sheet(content, batas, where, package.slow_budget, count, styles)
            cells += count
    for key, content in package.parts.items():
        label = part_label(key, sheet_names)
        if key == SHARED_STRINGS and len(content) > _PART_MAX + _BYTES_PER_CELL * cells:
            raise Reject(f"{label} jauh lebih besar daripada isi lembarnya; berkas tidak wajar")
        if key not in sheet_names and key not in (WORKBOOK, WORKBOOK_RELS, STYLES):  # those: already checked
            check_xml(content, label, package.slow_budget)
    return package


def part_label(key: str, sheet_names: dict[str, str]) -> str:
    """How messages name a part: users know files, sheets and cells, never zip parts or XML file names."""
    if key in sheet_names:
        return f"lembar {sheet_names[key]!r}"
    if key == STYLES:
        return "format sel (gaya) buku kerja"
    if key == SHARED_STRINGS:
        return "daftar teks buku kerja"
    if key == WORKBOOK:
        return "daftar lembar buku kerja"
    if key in _STRUCTURE_PARTS:
        return "struktur buku kerja"
    if key.startswith("xl/worksheets/"):
        return "lembar yang tidak terdaftar di buku kerja"
    return "isi tambahan di dalam berkas (bukan lembar)"


def _refuse_other_zip_formats(archive: zipfile.ZipFile, names: dict[str, str]) -> None:
    """A zip that is not a workbook (ODS, DOCX, XLSB, any archive renamed to .xlsx)."""
    if "mimetype" in names:
        try:
            with archive.open(names["mimetype"]) as handle:
                mimetype = handle.read(200)
        except Exception as exc:
            raise Reject("berkas zip rusak atau terpotong; kirim ulang berkas aslinya") from exc
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise Reject(ODS)
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise Reject("dokumen OpenDocument, bukan buku kerja Excel; kirim berkas .xlsx")
    if "content.xml" in names and "meta-inf/manifest.xml" in names:
        raise Reject(ODS)
    if WORKBOOK in names:
        return
    if "xl/workbook.bin" in names:
        raise Reject("format .xlsb (biner) tidak didukung; simpan ulang sebagai .xlsx")
    if "word/document.xml" in names:
        raise Reject("dokumen Word (.docx) yang diberi nama seperti Excel; kirim berkas .xlsx")
    if "ppt/presentation.xml" in names:
        raise Reject("presentasi PowerPoint, bukan buku kerja Excel; kirim berkas .xlsx")
    raise Reject("arsip zip yang bukan buku kerja Excel (tidak ada daftar lembar); kirim berkas .xlsx")


def _inflate(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    batas: Batas,
    budget: list[int],
    label: str,
    *,
    store: bool = True,
    sheet: bool = False,
) -> bytes:
    """Inflate one part in chunks, stopping as soon as a cap is crossed; never trust the header alone.

    Also refuses DOCTYPE/ENTITY while streaming, and in a worksheet (``sheet``) a cell holding content
    beyond the limits, so an entity bomb or a million-row sheet is refused after its first chunks, not
    after full inflation. ``label`` names the part in messages (see ``part_label``). With
    ``store=False`` the bytes are checked and dropped (b"" is returned).
    """
    chunks: list[bytes] = []
    produced = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                produced += len(chunk)
                budget[0] += len(chunk)
                if produced > info.file_size:
                    raise Reject(f"ukuran terurai {label} melebihi keterangan zip; kemungkinan bom zip")
                if budget[0] > batas.ukuran_terurai:
                    raise Reject(
                        f"isi terurai melebihi batas {human_size(batas.ukuran_terurai)}; kemungkinan bom zip"
                    )
                if produced > _RATIO_GRACE and produced > batas.rasio_kompresi * max(info.compress_size, 1):
                    raise Reject(f"rasio kompresi tidak wajar di {label}; kemungkinan bom zip")
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise Reject(doctype_message(label))
                if sheet and produced > _STREAM_CHECK_AFTER:
                    refuse_content_beyond(window, batas, label, streaming=True)
                if store:
                    chunks.append(chunk)
                tail = window[-_TAIL:]
    except Reject:
        raise
    except Exception as exc:
        raise Reject(f"berkas zip rusak atau terpotong ({label}); kirim ulang berkas aslinya") from exc
    if produced != info.file_size:
        raise Reject(f"berkas zip rusak (ukuran {label} tidak cocok); kirim ulang berkas aslinya")
    return b"".join(chunks) if store else b""


def _resolve_sheets(package: Package) -> None:
    """Find each sheet's part the way calamine does, so hidden rows and limits apply to what it reads."""
    for key in (WORKBOOK, WORKBOOK_RELS):
        if key not in package.parts:
            raise Reject(f"{part_label(key, {})} tidak ada; berkas bukan buku kerja Excel yang utuh")
    budget = package.slow_budget
    sheet_elements = collect_elements(package.parts[WORKBOOK], "sheet", part_label(WORKBOOK, {}), budget)
    rel_elements = collect_elements(
        package.parts[WORKBOOK_RELS], "Relationship", part_label(WORKBOOK_RELS, {}), budget
    )
    targets = {attrs.get("Id", ""): attrs.get("Target", "") for attrs in rel_elements}
    seen: set[str] = set()
    for attrs in sheet_elements:
        name = attrs.get("name", "")
        if name.casefold() in seen:
            raise Reject(f"nama lembar ganda ({name!r}); berkas tidak sah")
        seen.add(name.casefold())
        rel_id = None
        for key, value in attrs.items():
            if key in ("r:id", "relationships:id"):
                rel_id = value
        if rel_id is None or rel_id not in targets:
            raise Reject(f"lembar {name!r} tidak punya isi yang sah di dalam berkas; simpan ulang dari Excel")
        target = targets[rel_id]
        if target.startswith("/xl/"):
            target = target[1:]
        elif not target.startswith("xl/"):
            target = "xl/" + target
        segments = target.split("/")
        kind = segments[1] if len(segments) > 1 else ""
        key = target.lower()
        if kind == "worksheets" and key not in package.names:
            raise Reject(f"isi lembar {name!r} tidak ditemukan di dalam berkas; simpan ulang dari Excel")
        package.sheets.append(SheetRef(name=name, key=key, kind=kind))
