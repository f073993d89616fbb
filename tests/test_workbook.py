"""The master workbook: built from the schema, committed copy up to date, opens in a real spreadsheet app."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from macros_py.io.output.builder import nama_sheet_bidang
from macros_py.schema import muat_skema
from tests.conftest import sha256

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "workbook" / "Evaluasi_Kinerja.xlsx"


def _gambar(path: Path) -> dict[str, Any]:
    """Everything a user would see of a workbook, minus the moment and machine it was made on (Log time, hashes,
    login and computer)."""
    skema = muat_skema()
    log = skema.tabel("log")
    # the moment and the computer it was made on
    abaikan_log = {log.kolom_awal + log.indeks(k) for k in ("waktu", "hash_sebelumnya", "hash", "perangkat")}
    wb = load_workbook(path)
    hasil: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        sel = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if ws.title == "Log" and c.row >= log.baris_data and c.column in abaikan_log:
                    continue
                if ws.title == "Konfigurasi" and ws.cell(c.row, 1).value == "log_hash_terakhir" and c.column == 2:
                    continue
                sel[c.coordinate] = (c.value, c.number_format, c.protection.locked, c.fill.fgColor.rgb)
        hasil[ws.title] = {
            "sel": sel,
            "validasi": sorted((str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation),
            "proteksi": ws.protection.sheet,
            "lebar": {k: v.width for k, v in ws.column_dimensions.items()},
            "beku": ws.freeze_panes,
            "cf": sorted(str(r.sqref) for r in ws.conditional_formatting),
        }
    return hasil


def test_committed_workbook_equals_what_init_builds(tmp_path: Path, evkin) -> None:
    dibangun = tmp_path / "Evaluasi_Kinerja.xlsx"
    assert evkin("--workbook", dibangun, "--sebagai", "kasubag", "init", "--tahun", "2026",
                 "--periode", "TW3").kode == 0
    assert _gambar(dibangun) == _gambar(COMMITTED), (
        "workbook/Evaluasi_Kinerja.xlsx is stale; rebuild it with: "
        "evkin --sebagai kasubag init --tahun 2026 --periode TW3 --timpa"
    )


def test_master_has_every_sheet_of_the_schema(master: Path) -> None:
    wb = load_workbook(master)
    wajib = ["Panduan", "Konfigurasi", "SOP", *nama_sheet_bidang(muat_skema()), "Rekap", "Analisis",
             "Penomoran", "Log"]
    assert [s for s in wajib if s not in wb.sheetnames] == []
    sop = wb["SOP"]
    assert [sop.cell(5 + i, 1).value for i in range(11)] == list(range(1, 12))
    assert sop["B9"].value.startswith("Menghimpun Format data")
    assert sop["H9"].value == "2 hari" and sop["H5"].value == "5 menit"
    assert sop["J5"].value == "Belum"
    # the seed's pelaksana columns: step 9 is the Kepala's only
    assert [sop.cell(13, c).value for c in range(3, 7)] == [None, None, None, "●"]


def test_bidang_sheet_input_cells_unlocked_and_validated(master: Path) -> None:
    """Only the input columns are open; the reference columns (filled by `format` from Daftar Indikator) and the
    header block are locked."""
    from openpyxl.utils import get_column_letter

    from macros_py.schema import muat_skema

    skema = muat_skema()
    ws = load_workbook(master)["Seksi Pemerintahan"]
    assert ws.protection.sheet is True
    assert ws["C6"].value == "EVKIN-2026-TW3-PEM-v1"
    assert ws["F9"].protection.locked is True  # Indikator: the format's
    assert ws["P9"].protection.locked is False  # Realisasi TW I (K): the bidang's
    assert ws["C2"].protection.locked is True  # header block is locked
    tabel = skema.tabel("bidang")
    terbuka = {key for j, key in enumerate(tabel.keys)
               if not ws[f"{get_column_letter(tabel.kolom_awal + j)}9"].protection.locked}
    assert terbuka == set(skema.tabel("bidang").keys) - set(skema.kolom_referensi)
    assert "indikator" in skema.kolom_referensi and "target_k" in skema.kolom_referensi
    jenis = {dv.type for dv in ws.data_validations.dataValidation}
    assert "decimal" in jenis


def test_init_refuses_to_overwrite_unless_told(master: Path, evkin) -> None:
    sebelum = sha256(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode", "TW4")
    assert hasil.kode == 2 and "sudah ada" in hasil.galat
    assert sha256(master) == sebelum
    assert evkin("--workbook", master, "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode", "TW4",
                 "--timpa").kode == 0
    assert load_workbook(master)["Konfigurasi"]["B5"].value == "TW4"
    assert sha256(master.with_name(master.name + ".bak")) == sebelum


def test_init_rejects_unknown_period(tmp_path: Path, evkin) -> None:
    hasil = evkin("--workbook", tmp_path / "x.xlsx", "init", "--tahun", "2026", "--periode", "TW5")
    assert hasil.kode == 2 and "TW5" in hasil.galat
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.libreoffice
def test_master_opens_in_libreoffice(master: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (scripts/setup.sh installs it)")
        pytest.skip("LibreOffice not installed")
    keluar = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "csv",
         "--outdir", str(tmp_path / "out"), str(master)],
        capture_output=True, text=True, timeout=180,
    )
    assert keluar.returncode == 0, keluar.stderr
    csv = (tmp_path / "out" / "Evaluasi_Kinerja.csv").read_text(encoding="utf-8", errors="replace")
    assert "Panduan Workbook Evaluasi Kinerja" in csv
