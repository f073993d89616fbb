"""The layout keeps its promises (issue 14): no import cycle anywhere in the package (function-level imports
included), a pure domain, step numbers never written in code, modules of a readable size, one registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from macros_py.aksi.registry import DAFTAR
from macros_py.schema import muat_skema

PAKET = Path(__file__).resolve().parent.parent / "macros_py"
BATAS_BARIS = 420  # "~400 lines": a module over this says why in its docstring


def _modul(path: Path) -> str:
    bagian = list(path.relative_to(PAKET.parent).with_suffix("").parts)
    return ".".join(bagian[:-1] if bagian[-1] == "__init__" else bagian)


def _impor(path: Path) -> set[str]:
    """Every module of the package this file imports, at any depth (function-level imports count)."""
    hasil = set()
    for simpul in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(simpul, ast.ImportFrom) and simpul.module and simpul.module.startswith("macros_py"):
            hasil.add(simpul.module)
            hasil.update(f"{simpul.module}.{a.name}" for a in simpul.names)
        elif isinstance(simpul, ast.Import):
            hasil.update(a.name for a in simpul.names if a.name.startswith("macros_py"))
    return hasil


def _graf() -> dict[str, set[str]]:
    berkas = {_modul(p): p for p in PAKET.rglob("*.py")}
    return {m: {i for i in _impor(p) if i in berkas and i != m} for m, p in berkas.items()}


def _siklus(graf: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (as a path), or None."""
    warna: dict[str, int] = {}
    jejak: list[str] = []

    def kunjungi(m: str) -> list[str] | None:
        warna[m] = 1
        jejak.append(m)
        for n in sorted(graf[m]):
            if warna.get(n) == 1:
                return [*jejak[jejak.index(n):], n]
            if n not in warna and (hasil := kunjungi(n)):
                return hasil
        jejak.pop()
        warna[m] = 2
        return None

    for m in sorted(graf):
        if m not in warna and (hasil := kunjungi(m)):
            return hasil
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _siklus({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _siklus({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_package() -> None:
    """Package __init__ modules that only re-export are left out: importing `macros_py.io.kiriman` for one name
    is how its users import; a cycle through real modules is what this forbids."""
    graf = {m: {n for n in deps if not _hanya_ekspor(n)} for m, deps in _graf().items() if not _hanya_ekspor(m)}
    assert _siklus(graf) is None


def _hanya_ekspor(modul: str) -> bool:
    path = PAKET.parent / Path(*modul.split(".")) / "__init__.py"
    if not path.exists():
        return False
    pohon = ast.parse(path.read_text(encoding="utf-8"))
    return all(isinstance(s, ast.ImportFrom | ast.Import | ast.Expr | ast.Assign) for s in pohon.body)


def test_step_primitives_import_nothing_else_from_aksi() -> None:
    graf = _graf()
    assert {m for m in graf["macros_py.aksi.langkah"] if m.startswith("macros_py.aksi")} == set()


def test_domain_is_pure() -> None:
    """The domain imports no I/O library and nothing of the package outside the domain."""
    asing = re.compile(r"^\s*(?:import|from)\s+(openpyxl|xlwings|python_calamine|pandas|docx|docxtpl|pyhanko|"
                       r"macros_py\.(?:io|aksi|excel|cli))", re.M)
    kotor = [p.name for p in (PAKET / "domain").glob("*.py") if asing.search(p.read_text(encoding="utf-8"))]
    assert kotor == []


def test_modules_are_of_a_readable_size() -> None:
    besar = []
    for p in PAKET.rglob("*.py"):
        teks = p.read_text(encoding="utf-8")
        if teks.count("\n") > BATAS_BARIS and "Long because" not in teks.split('"""')[1]:
            besar.append(f"{p.relative_to(PAKET)}: {teks.count(chr(10))}")
    assert besar == []


def test_no_step_number_is_written_in_the_actions() -> None:
    """Steps are looked up by their sop.yaml `aksi` (Konteks.no, Skema.langkah_aksi), never written as numbers."""
    literal = re.compile(r"langkah\(book, konteks, \d|selesaikan_langkah\([^)]*, \d+\)|catat\(\d+,")
    kotor = [f"{p.name}:{i}" for p in (PAKET / "aksi").glob("*.py")
             for i, baris in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if literal.search(baris)]
    assert kotor == []


def test_every_sop_step_has_one_registered_action_and_the_excel_button_uses_it() -> None:
    skema = muat_skema()
    for lk in skema.langkah:
        entri = [a for a in DAFTAR if a.langkah == lk.aksi and a.excel]
        assert len(entri) == 1, lk.aksi
        assert entri[0].fungsi or lk.aksi == "himpun", lk.aksi


@pytest.mark.parametrize("entri", [a for a in DAFTAR if a.fungsi] + [c for a in DAFTAR for c in a.anak],
                         ids=lambda a: a.nama)
def test_every_registered_function_and_planner_exists(entri) -> None:  # type: ignore[no-untyped-def]
    from macros_py.aksi.registry import _muat

    if entri.fungsi:
        assert callable(entri.muat())
    if entri.perintah:
        assert callable(entri.muat_perintah())
    if entri.excel:
        assert callable(_muat(entri.excel))


# ---- lazy imports (issue 19, item 5): a quick command imports only what it uses -------------------------------

BERAT = frozenset({"openpyxl", "pyhanko", "pyhanko_certvalidator", "pdfminer", "cryptography", "asn1crypto", "pandas",
                   "numpy", "uno", "docx", "docxtpl", "jinja2", "PIL", "lxml", "xlwings", "rich"})


def _diimpor(master: Path, *perintah: str) -> set[str]:
    """Top-level packages a command imports, run as users run it (`python -X importtime -m macros_py ...`)."""
    import os
    import subprocess
    import sys

    hasil = subprocess.run([sys.executable, "-X", "importtime", "-m", "macros_py", "--workbook", str(master),
                            "--waktu", "2026-10-05T08:00", *perintah], capture_output=True, text=True,
                           cwd=PAKET.parent, env=dict(os.environ, PYTHONPATH=str(PAKET.parent)))
    assert hasil.returncode == 0, hasil.stderr[-2000:]
    return {baris.split("|")[-1].strip().split(".")[0] for baris in hasil.stderr.splitlines()
            if baris.startswith("import time:") and "|" in baris}


@pytest.mark.parametrize("perintah", [
    ("status", "--json"),
    ("status",),  # the table on a terminal is drawn by rich, and by nothing heavier
    ("--sebagai", "kasubag", "disposisi", "--nomor", "005/1", "--isi", "Susun evaluasi kinerja"),
    ("verifikasi",),
], ids=["status --json", "status", "disposisi", "verifikasi"])
def test_quick_commands_import_no_heavy_library(master: Path, perintah: tuple[str, ...]) -> None:
    boleh = {"rich"} if perintah == ("status",) else set()
    assert _diimpor(master, *perintah) & BERAT <= boleh
