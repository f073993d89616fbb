"""Preserve or refuse: before a headless save replaces the master, compare the new file part by part with the
original, and refuse when something a person put in the workbook (shapes, images, macros, add-in code,
comments, links, pivots, anything unknown) would be lost — never drop it silently.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from pathlib import Path

# Parts a headless save may drop without losing anything a person made: Excel rebuilds them.
BOLEH_HILANG = (re.compile(r"^xl/calcChain\.xml$"), re.compile(r"^xl/printerSettings/"),
                re.compile(r"^docProps/thumbnail\."))
KATEGORI: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("makro VBA", re.compile(r"vbaProject\.bin$|^xl/macrosheets/", re.I)),
    ("kode add-in / xlwings Lite", re.compile(r"^xl/webextensions/|^customUI/|^xl/customUI", re.I)),
    ("gambar", re.compile(r"^xl/media/", re.I)),
    ("grafik", re.compile(r"^xl/charts/chart[^/]*\.xml$", re.I)),
    ("komentar", re.compile(r"^xl/comments[^/]*\.xml$|^xl/threadedComments/|^xl/persons/", re.I)),
    ("tautan eksternal", re.compile(r"^xl/externalLinks/externalLink[^/]*\.xml$", re.I)),
    ("pivot", re.compile(r"^xl/pivotCache/pivotCacheDefinition|^xl/pivotTables/pivotTable[^/]*\.xml$", re.I)),
    ("tabel", re.compile(r"^xl/tables/table[^/]*\.xml$", re.I)),
    ("kontrol formulir / ActiveX", re.compile(r"^xl/ctrlProps/|^xl/activeX/", re.I)),
)
DITANGANI = re.compile(
    r"^(\[Content_Types\]\.xml|_rels/|docProps/(app|core|custom)\.xml|xl/(workbook\.xml|_rels/|worksheets/|"
    r"styles\.xml|sharedStrings\.xml|theme/|drawings/|charts/|media/|comments|tables/|externalLinks/|"
    r"pivotCache/|pivotTables/))", re.I)
BENTUK = re.compile(rb"<(?:\w+:)?(sp|grpSp|cxnSp|graphicFrame|pic)[\s>]")


def inventory(path: Path) -> dict[str, list[str]]:
    """Category -> parts (or drawing objects) present in a workbook file."""
    isi: dict[str, list[str]] = defaultdict(list)
    with zipfile.ZipFile(path) as z:
        for nama in z.namelist():
            if nama.endswith("/") or any(p.search(nama) for p in BOLEH_HILANG):
                continue
            for kategori, pola in KATEGORI:
                if pola.search(nama):
                    isi[kategori].append(nama)
                    break
            else:
                if not DITANGANI.search(nama):
                    isi["bagian tidak dikenal"].append(nama)
            if nama.startswith("xl/drawings/drawing") and nama.endswith(".xml"):
                for m in BENTUK.finditer(z.read(nama)):
                    jenis = m.group(1).decode()
                    if jenis in ("sp", "grpSp", "cxnSp"):
                        isi["bentuk / kotak teks"].append(nama)
                    elif jenis == "pic":
                        isi["gambar di lembar"].append(nama)
    return isi


def what_would_be_lost(asli: Path, baru: Path) -> list[str]:
    """What `baru` would lose compared with `asli`, in Indonesian, one line per kind."""
    if not asli.exists():
        return []
    lama, kini = inventory(asli), inventory(baru)
    hilang = []
    for kategori, bagian in lama.items():
        if kategori == "bagian tidak dikenal":
            hilang_bagian = sorted(set(bagian) - set(kini.get(kategori, [])))
            if hilang_bagian:
                hilang.append(f"{kategori}: {', '.join(hilang_bagian[:5])}")
        elif len(kini.get(kategori, [])) < len(bagian):
            jumlah = len(bagian) - len(kini.get(kategori, []))
            hilang.append(f"{jumlah} {kategori} ({', '.join(sorted(set(bagian))[:3])})")
    return hilang
