"""Read one untrusted submission file (a bidang's filled template) into plain Python values.

Files arrive by e-mail or flashdisk and may be wrong, broken or hostile, so nothing here trusts the file
name, the zip headers or the XML: the type is detected from the content, the zip is inflated by us with
hard caps, every XML part is checked before python-calamine sees it, and calamine only ever reads a clean
copy of the package holding exactly the parts that were checked (no macros, no media, nothing else).

Why a pre-scan at all: calamine is fast and never runs macros, but it trusts the package. A 1 MB file can
make it allocate gigabytes (a cell at XFD1048576 makes its dense range huge), inflate a zip bomb, or read
parts we never looked at. The pre-scan bounds time and memory for every input; it uses only linear scans
(C-speed byte counts and anchored regular expressions without nested quantifiers, or expat).

The row and column limits of ``Batas`` count cells that hold content: empty rows and cells anywhere (as
LibreOffice writes after "Delete rows": ``<row r="1048576">`` and a dimension up to row 1048576) and the
declared ``<dimension>`` are accepted, because calamine's range never grows for them (``sheet_limits``).

Values are returned as python-calamine gives them, with two documented normalisations:
- an empty cell (and an empty string, which calamine does not distinguish from it) becomes ``None``;
- numbers are NOT normalised: calamine returns floats even for whole numbers (``5`` is read as ``5.0``);
  dates come back as ``datetime.datetime`` / ``datetime.date`` / ``datetime.time`` / ``datetime.timedelta``
  as calamine infers them from the number format; error cells (``#DIV/0!``) are read as ``None``, and
  reported with their text in ``KirimanSheet.error_cells`` (with percent formats, merged ranges and
  quote prefixes: the facts the values do not show, see ``KirimanSheet``).
Strings are never stripped: the caller validates them.

Limits besides ``Batas``: XML nesting depth (``KEDALAMAN_XML_MAKS``); structural parts (workbook.xml,
relationships, content types) at most 16 MiB, styles.xml 32 MiB; a worksheet or sharedStrings part may
hold at most 16 MiB plus 1 KiB per cell (padding with content calamine skips is refused); unusual XML
that needs the exact per-element walk gets a budget of 2 million elements per file; the compression
ratio is judged only for entries inflating beyond 1 MiB. A file within every limit (up to 200 MiB of
real cell data) can still take several seconds and a few hundred MB of memory: that is the envelope
the limits allow, not a hostile-file cost.

Messages name the file (``FileRejected.berkas``) and, for anything inside a sheet, the sheet by its name
and the cell; never a zip part or an XML file name (``package.part_label``).

Not reported: rows hidden through ``<sheetFormatPr zeroHeight="1">`` (all rows hidden by default),
hidden columns, and sheet visibility (hidden sheets are returned like visible ones).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from macros_py.io.kiriman.file_type import read_bytes, refuse_non_zip
from macros_py.io.kiriman.model import (
    BATAS_BAKU,
    PESAN_RUSAK,
    Batas,
    FileRejected,
    KirimanFile,
    KirimanSheet,
    Reject,
)
from macros_py.io.kiriman.package import open_package
from macros_py.io.kiriman.values import read_values

__all__ = [
    "BATAS_BAKU",
    "Batas",
    "FileRejected",
    "KirimanFile",
    "KirimanSheet",
    "read_kiriman",
]


def read_kiriman(path: Path, batas: Batas = BATAS_BAKU) -> KirimanFile:
    """Read a submitted .xlsx/.xlsm (or .xltx/.xltm) into plain values, or raise ``FileRejected``.

    Every failure, including ones no check foresaw, becomes ``FileRejected`` so one bad file can never
    stop the processing of the others.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        data = read_bytes(path, batas)
        digest = hashlib.sha256(data).hexdigest()
        refuse_non_zip(data)
        package = open_package(data, batas)
        sheets = read_values(package, batas)
    except Reject as exc:
        raise FileRejected(name, exc.pesan) from exc.__cause__
    except MemoryError as exc:
        raise FileRejected(
            name, "berkas terlalu besar untuk dibaca; kurangi isinya lalu kirim ulang"
        ) from exc
    except Exception as exc:
        raise FileRejected(name, PESAN_RUSAK) from exc
    except BaseException as exc:
        # A Rust panic inside calamine arrives as pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise FileRejected(name, PESAN_RUSAK) from exc
    return KirimanFile(berkas=name, sha256=digest, lembar=sheets, punya_makro=package.has_macros)
