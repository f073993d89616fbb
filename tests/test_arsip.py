"""Sealed record folder: the frozen workbook holds values only, and every change to the folder is named."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.arsip.seal import freeze_workbook, verify_seal, write_manifest

BERKAS = ("Evaluasi_Kinerja_beku.xlsx", "laporan.pdf", "bukti/foto_kegiatan.jpg", "bukti/2026/daftar_hadir.pdf")
INFO = {
    "unit": "Kecamatan Mangkutana",
    "periode": "2026-TW3",
    "log_hash_terakhir": "ab" * 32,
    "dibuat_oleh": "kasubag",
    "waktu": datetime(2026, 10, 5, 9, 30),
}


def _isi_cache(path: Path, sel: str, nilai: str) -> None:
    """Give one openpyxl-written formula a cached value, as Excel would after calculating."""
    sementara = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(sementara, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                teks = data.decode("utf-8")
                awal = teks.index(f'<c r="{sel}"')
                akhir = teks.index("</c>", awal)
                potongan = teks[awal:akhir].replace("<v></v>", f"<v>{nilai}</v>").replace("<v />", f"<v>{nilai}</v>")
                assert f"<v>{nilai}</v>" in potongan
                data = (teks[:awal] + potongan + teks[akhir:]).encode("utf-8")
            zout.writestr(item, data)
    os.replace(sementara, path)


@pytest.fixture
def sumber(tmp_path: Path) -> Path:
    path = tmp_path / "Evaluasi_Kinerja.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian"
    ws["A1"] = 5
    ws["B1"] = "=A1*2"  # cached value patched in below
    ws["C1"] = "=A1+1"  # never calculated: no cached value
    ws["D1"] = "teks biasa"
    ws.protection.sheet = True
    ws.protection.password = "rahasia"
    lain = wb.create_sheet("Rekap")
    lain["A1"] = "=Capaian!A1"
    lain["A2"] = 3.5
    grafik = BarChart()
    grafik.add_data(Reference(ws, min_col=1, min_row=1, max_row=1))
    wb.create_chartsheet("Grafik").add_chart(grafik)
    wb.save(path)
    _isi_cache(path, "B1", "10")
    return path


@pytest.fixture
def arsip(tmp_path: Path, sumber: Path) -> Path:
    folder = tmp_path / "arsip_2026_TW3"
    (folder / "bukti" / "2026").mkdir(parents=True)
    freeze_workbook(sumber, folder / BERKAS[0])
    (folder / "laporan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    (folder / "bukti" / "foto_kegiatan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) + b"\xff\xd9")
    (folder / "bukti" / "2026" / "daftar_hadir.pdf").write_bytes(b"%PDF-1.7\nDaftar hadir rapat evaluasi\n%%EOF\n")
    write_manifest(folder, INFO)
    return folder


# --- frozen workbook --------------------------------------------------------------------------------------------


def test_frozen_copy_keeps_values_drops_formulas(arsip: Path) -> None:
    beku = arsip / BERKAS[0]
    wb = load_workbook(beku)
    assert [c.value for c in wb["Capaian"][1]] == [5, 10, None, "teks biasa"]
    assert wb["Rekap"]["A1"].value is None
    assert wb["Rekap"]["A2"].value == 3.5
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_frozen_copy_protected_and_read_only(arsip: Path) -> None:
    beku = arsip / BERKAS[0]
    wb = load_workbook(beku)
    assert [ws.title for ws in wb.worksheets] == ["Capaian", "Rekap"]
    for ws in wb.worksheets:
        assert ws.protection.sheet is True
        assert not ws.protection.password  # the source's password is not carried over
    assert wb.chartsheets[0].sheetProtection.content is True
    assert wb.security is not None and wb.security.lockStructure is True
    assert stat.S_IMODE(beku.stat().st_mode) == 0o444
    assert not [p.name for p in arsip.iterdir() if p.name.startswith(".beku-")]


def test_frozen_copy_refuses_overwrite_and_macro_name(tmp_path: Path, sumber: Path) -> None:
    tujuan = tmp_path / "beku.xlsx"
    freeze_workbook(sumber, tujuan)
    with pytest.raises(PenggunaanSalah, match="sudah ada"):
        freeze_workbook(sumber, tujuan)
    with pytest.raises(PenggunaanSalah, match=r"berakhiran \.xlsx"):
        freeze_workbook(sumber, tmp_path / "beku.xlsm")
    with pytest.raises(PenggunaanSalah, match="tidak ditemukan"):
        freeze_workbook(tmp_path / "tidak_ada.xlsx", tmp_path / "lain.xlsx")


def test_freezing_the_book_in_memory_leaves_it_as_it_was(tmp_path: Path, sumber: Path) -> None:
    """Step 11 freezes the master it holds in memory, then saves the master from the same book: formulas and
    protection stay the master's; the copy takes the values Excel cached in the file."""
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    book = OpenpyxlBook(load_workbook(sumber), sumber)
    sebelum = (repr(book.wb.security), repr(book.wb.chartsheets[0].sheetProtection))
    freeze_workbook(book, tmp_path / "beku.xlsx")
    assert [c.value for c in book.wb["Capaian"][1]] == [5, "=A1*2", "=A1+1", "teks biasa"]
    assert book.wb["Capaian"].protection.password and not book.wb["Rekap"].protection.sheet
    assert (repr(book.wb.security), repr(book.wb.chartsheets[0].sheetProtection)) == sebelum
    assert not book.wb.security.lockStructure
    beku = load_workbook(tmp_path / "beku.xlsx")
    assert [c.value for c in beku["Capaian"][1]] == [5, 10, None, "teks biasa"]
    assert all(ws.protection.sheet for ws in beku.worksheets) and beku.security.lockStructure


# --- manifest ---------------------------------------------------------------------------------------------------


def test_manifest_lists_every_file_sorted_with_info(arsip: Path) -> None:
    data = (arsip / "MANIFEST.json").read_bytes()
    isi = json.loads(data)
    assert [b["path"] for b in isi["berkas"]] == sorted(BERKAS)
    for b in isi["berkas"]:
        isi_berkas = (arsip / b["path"]).read_bytes()
        assert b["ukuran"] == len(isi_berkas)
        assert b["sha256"] == hashlib.sha256(isi_berkas).hexdigest()
    assert isi["info"] == {**INFO, "waktu": "2026-10-05T09:30:00"}
    assert (arsip / "MANIFEST.sha256").read_text() == f"{hashlib.sha256(data).hexdigest()}  MANIFEST.json\n"


def test_intact_archive_verifies(arsip: Path) -> None:
    assert verify_seal(arsip) == []


def test_reseal_refused_unless_asked(arsip: Path) -> None:
    with pytest.raises(PenggunaanSalah, match="sudah disegel"):
        write_manifest(arsip, INFO)
    (arsip / "tambahan.txt").write_text("catatan")
    write_manifest(arsip, INFO, timpa=True)
    assert verify_seal(arsip) == []


def test_unserialisable_info_and_symlink_refused(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "x.txt").write_text("x")
    with pytest.raises(PenggunaanSalah, match="Keterangan manifest"):
        write_manifest(folder, {"objek": object()})
    (folder / "tautan").symlink_to(folder / "x.txt")
    with pytest.raises(PenggunaanSalah, match="tautan simbolik"):
        write_manifest(folder, INFO)


# --- tampering --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relatif", BERKAS)
def test_one_flipped_byte_names_exactly_that_file(arsip: Path, relatif: str) -> None:
    path = arsip / relatif
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    masalah = verify_seal(arsip)
    assert len(masalah) == 1
    assert masalah[0] == f"Berkas berubah: {relatif} (sha256 tidak cocok dengan manifest)."
    assert not [lain for lain in BERKAS if lain != relatif and lain in masalah[0]]


@pytest.mark.parametrize("relatif", BERKAS)
def test_deleted_file_is_named(arsip: Path, relatif: str) -> None:
    (arsip / relatif).unlink()
    assert verify_seal(arsip) == [f"Berkas hilang: {relatif} tercantum di manifest tetapi tidak ada di folder."]


@pytest.mark.parametrize("relatif", ["baru.docx", "bukti/baru.jpg", "bukti/2027/x.pdf", ".tersembunyi"])
def test_added_file_is_named(arsip: Path, relatif: str) -> None:
    (arsip / relatif).parent.mkdir(parents=True, exist_ok=True)
    (arsip / relatif).write_bytes(b"sisipan")
    assert verify_seal(arsip) == [f"Berkas tambahan: {relatif} tidak tercantum di manifest."]


def test_edited_manifest_is_detected(arsip: Path) -> None:
    manifest = arsip / "MANIFEST.json"
    isi = json.loads(manifest.read_text())
    isi["info"]["periode"] = "2026-TW2"
    manifest.write_text(json.dumps(isi, ensure_ascii=False, indent=2) + "\n")
    masalah = verify_seal(arsip)
    assert len(masalah) == 1 and "MANIFEST.json telah diubah" in masalah[0]


def test_changed_file_blessed_in_manifest_still_detected(arsip: Path) -> None:
    """Changing a file and rewriting its hash in the manifest leaves the manifest's own seal broken."""
    pdf = arsip / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.4\nlaporan palsu\n%%EOF\n")
    manifest = arsip / "MANIFEST.json"
    isi = json.loads(manifest.read_text())
    for b in isi["berkas"]:
        if b["path"] == "laporan.pdf":
            b["sha256"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
            b["ukuran"] = pdf.stat().st_size
    manifest.write_text(json.dumps(isi, ensure_ascii=False, indent=2) + "\n")
    masalah = verify_seal(arsip)
    assert len(masalah) == 1 and "MANIFEST.json telah diubah" in masalah[0]


def test_missing_or_broken_seal_files(arsip: Path) -> None:
    (arsip / "MANIFEST.sha256").unlink()
    assert verify_seal(arsip) == [
        "MANIFEST.sha256 tidak ada: keutuhan MANIFEST.json sendiri tidak dapat diperiksa."
    ]
    (arsip / "MANIFEST.json").write_text("{bukan json")
    masalah = verify_seal(arsip)
    assert any("rusak" in m for m in masalah)
    (arsip / "MANIFEST.json").unlink()
    assert len(verify_seal(arsip)) == 1 and "belum disegel" in verify_seal(arsip)[0]


def test_manifest_entry_escaping_folder_is_rejected(arsip: Path) -> None:
    manifest = arsip / "MANIFEST.json"
    isi = json.loads(manifest.read_text())
    isi["berkas"].append({"path": "../rahasia.txt", "ukuran": 1, "sha256": "0" * 64})
    data = (json.dumps(isi) + "\n").encode()
    manifest.write_bytes(data)
    (arsip / "MANIFEST.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  MANIFEST.json\n")
    masalah = verify_seal(arsip)
    assert len(masalah) == 1 and "entri berkas ke-5 tidak sah" in masalah[0]
