"""Values: python-calamine reads a clean copy holding exactly the checked parts it needs, and the rows come
back as plain Python values (an empty cell, and an empty string, become ``None``)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import python_calamine

from macros_py.io.kiriman.model import PESAN_RUSAK, Batas, KirimanSheet, Reject
from macros_py.io.kiriman.package import CALAMINE_PARTS, Package
from macros_py.io.kiriman.sheet_limits import check_position
from macros_py.io.kiriman.sheet_scan import SheetScan


def _clean_copy(package: Package) -> bytes:
    """A stored (uncompressed) zip of only the checked parts calamine needs: no macros, media or extras."""
    keep: list[str] = [key for key in CALAMINE_PARTS if key in package.parts]
    keep += [ref.key for ref in package.sheets if ref.key in package.parts and ref.key not in keep]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as copy:
        for key in keep:
            copy.writestr(package.names[key], package.parts[key])
    package.parts.clear()  # up to 200 MiB; calamine gets its own copy next
    return buffer.getvalue()


def read_values(package: Package, batas: Batas) -> list[KirimanSheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(_clean_copy(package)))
        metadata = workbook.sheets_metadata
    except Exception as exc:
        raise Reject(PESAN_RUSAK) from exc
    if [item.name for item in metadata] != [ref.name for ref in package.sheets]:
        raise Reject("daftar lembar di dalam berkas tidak konsisten; simpan ulang dari Excel")
    sheets: list[KirimanSheet] = []
    for index, (item, ref) in enumerate(zip(metadata, package.sheets, strict=True)):
        if item.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cell data
        try:
            sheet = workbook.get_sheet_by_index(index)
            end = sheet.end
            if end is not None:
                # Defence in depth: the pre-scan already bounded every position.
                check_position(end[0], end[1], batas, f"lembar {ref.name!r}")
            raw = sheet.to_python(skip_empty_area=False)
        except Reject:
            raise
        except Exception as exc:
            raise Reject(f"lembar {ref.name!r} tidak dapat dibaca; buka di Excel lalu simpan ulang") from exc
        # Only rows holding an empty cell ("") need rebuilding; `in` runs in C.
        rows: list[list[Any]] = [
            [None if v == "" else v for v in row] if "" in row else row for row in raw
        ]
        scan = package.scans.get(ref.key) or SheetScan()
        sheets.append(
            KirimanSheet(
                nama=ref.name,
                baris=rows,
                baris_tersembunyi=scan.hidden_rows,
                percent_cells=scan.percent_cells,
                error_cells=scan.error_cells,
                merged_ranges=scan.merged_ranges,
                quote_prefix_cells=scan.quote_prefix_cells,
            )
        )
    return sheets
