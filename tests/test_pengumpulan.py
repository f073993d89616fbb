"""Steps 1–5 on real files: distribute, fill as a user would, collect — and every kind of bad submission."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from macros_py.aksi.demo import data_contoh, isi_format
from macros_py.schema import muat_skema
from tests.conftest import sha256

T0 = datetime(2026, 10, 5, 8, 0)
PEM_INDIKATOR = "Jumlah desa yang mendapat pembinaan administrasi pemerintahan"


def _cli(evkin, master: Path, sebagai: str, waktu: str, *args: str):
    return evkin("--workbook", master, "--sebagai", sebagai, "--waktu", waktu, *args)


def _isi_pem(path: Path) -> None:
    isi_format(path, data_contoh()["isian"]["PEM"], muat_skema())


def _himpun(evkin, master: Path, *berkas: Path | str, sebagai: str = "kasubag", waktu: str = "2026-10-06T09:00"):
    return _cli(evkin, master, sebagai, waktu, "himpun", *[str(b) for b in berkas])


def _rekap(master: Path) -> list[dict]:
    ws = load_workbook(master)["Rekap"]
    judul = [c.value for c in ws[4]]
    return [dict(zip(judul, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]


# ---- the happy path -------------------------------------------------------------------------------------

def test_steps_1_to_4_recorded_in_the_workbook(siap, master: Path, _templat_siap: Path) -> None:
    wb = load_workbook(master)
    assert wb["Disposisi"]["A5"].value == "005/1"
    assert wb["Rapat"]["C5"].value == "Andi, Sari"
    assert [wb["SOP"].cell(5 + i, 10).value for i in range(5)] == ["Selesai"] * 4 + ["Belum"]
    distribusi = [r for r in wb["Distribusi"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(distribusi) == 6
    for _bidang, berkas, _waktu, sha, identitas in distribusi:
        # recorded relative to the folder of the workbook that distributed them
        assert sha256(_templat_siap / berkas) == sha and identitas.startswith("EVKIN-2026-TW3-")
    pem = wb["Seksi Pemerintahan"]
    assert pem["F9"].value == PEM_INDIKATOR and pem["N9"].value == 11  # prefilled from Daftar Indikator


def test_round_trip_values_in_rekap_equal_what_was_typed(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    hasil = _himpun(evkin, master, siap["PEM"], sebagai="kasi_pem")
    assert hasil.kode == 0, hasil.galat
    assert "dibaca sebagai angka" in hasil.keluar  # "81,8" typed as text
    rekap = {r["Indikator Kinerja"]: r for r in _rekap(master)}
    assert set(rekap) == {PEM_INDIKATOR, "Persentase desa yang menyampaikan LPPDes tepat waktu"}
    baris = rekap[PEM_INDIKATOR]
    assert baris["Bidang"] == "Seksi Pemerintahan"
    assert (baris["Realisasi TW I (K)"], baris["Realisasi TW II (K)"], baris["Realisasi TW III (K)"]) == (3, 4, 3)
    assert baris["Realisasi TW III (Rp)"] == 15500000
    assert rekap["Persentase desa yang menyampaikan LPPDes tepat waktu"]["Realisasi TW III (K)"] == 81.8
    penerimaan = [r for r in load_workbook(master)["Penerimaan"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert penerimaan[0][1] == "Seksi Pemerintahan" and penerimaan[0][3] == sha256(siap["PEM"])
    # the rows are let go once written; the result still reports how many there were
    assert f"bidang PEM, {len(rekap)} baris." in hasil.keluar


def test_the_json_result_reports_each_file_s_rows(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    hasil = _cli(evkin, master, "kasubag", "2026-10-06T09:00", "himpun", "--json", str(siap["PEM"]))
    assert hasil.kode == 0, hasil.galat
    assert [(k["bidang"], k["baris"]) for k in json.loads(hasil.keluar)["diterima"]] == [("PEM", 2)]


def test_resubmission_replaces_rows_and_keeps_every_version(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    assert _himpun(evkin, master, siap["PEM"]).kode == 0
    isi_format(siap["PEM"], {PEM_INDIKATOR: {"tw3_k": 5}}, muat_skema())
    assert _himpun(evkin, master, siap["PEM"], waktu="2026-10-06T10:00").kode == 0
    rekap = [r for r in _rekap(master) if r["Bidang"] == "Seksi Pemerintahan"]
    assert len(rekap) == 2
    assert next(r for r in rekap if r["Indikator Kinerja"] == PEM_INDIKATOR)["Realisasi TW III (K)"] == 5
    penerimaan = [r for r in load_workbook(master)["Penerimaan"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(penerimaan) == 2 and penerimaan[0][3] != penerimaan[1][3]


def test_folder_of_all_bidang_and_bukti_dukung(siap, master: Path, evkin) -> None:
    contoh = data_contoh()["isian"]
    for kode, path in siap.items():
        isi_format(path, contoh[kode], muat_skema())
    folder = siap["PEM"].parent
    (folder / "Laporan_Evaluasi_TW3.pdf").write_bytes(b"%PDF-1.4 bukti")
    hasil = _himpun(evkin, master, folder)
    assert hasil.kode == 0, hasil.galat
    assert "Semua bidang sudah mengirim" in hasil.keluar
    assert "Rekap_PATEN_TW3.pdf' tidak ditemukan" in hasil.keluar  # the PATEN evidence was not sent
    bukti = {r[2]: r for r in load_workbook(master)["Bukti Dukung"].iter_rows(min_row=5, values_only=True) if r[0]}
    disimpan = master.parent / bukti["Laporan_Evaluasi_TW3.pdf"][4]  # relative to the workbook's folder
    assert disimpan.read_bytes() == b"%PDF-1.4 bukti" and bukti["Laporan_Evaluasi_TW3.pdf"][3] == "disimpan"
    assert bukti["Rekap_PATEN_TW3.pdf"][3] == "tidak ada"
    assert bukti["https://mangkutana.luwutimurkab.go.id/paten"][3] == "tautan"
    assert len(_rekap(master)) == 12


def test_bidang_sheet_filled_inside_the_master(siap, master: Path, evkin) -> None:
    wb = load_workbook(master)
    ws = wb["Seksi Kesos"]
    ws["P9"], ws["Q9"], ws["R9"] = 2, "Rp 4.000.000", 3
    wb.save(master)
    hasil = _himpun(evkin, master)
    assert hasil.kode == 0, hasil.galat
    kesos = [r for r in _rekap(master) if r["Bidang"] == "Seksi Kesejahteraan Sosial"]
    assert kesos[0]["Realisasi TW I (Rp)"] == 4000000


def test_status_lists_missing_and_late_bidang(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    assert _himpun(evkin, master, siap["PEM"], waktu="2026-10-06T09:00").kode == 0
    status = json.loads(evkin("--workbook", master, "--waktu", "2026-10-09T09:00", "status", "--json").keluar)
    # the bidang's two hari kerja run from the distribution (Mon 5 Oct), not from the first submission
    assert status["batas_himpun"] == "2026-10-07" and status["batas_himpun_waktu"] == "07-10-2026 23:59"
    keadaan = {b["kode"]: b["keadaan"] for b in status["bidang"]}
    # "81,8" typed as text is read with a warning: accepted with a note
    assert keadaan["PEM"] == "Diterima dengan catatan" and keadaan["KESOS"] == "terlambat, belum mengirim"
    isi_format(siap["KESOS"], data_contoh()["isian"]["KESOS"], muat_skema())
    telat = _himpun(evkin, master, siap["KESOS"], waktu="2026-10-09T10:00")
    assert telat.kode == 0 and "setelah batas 07-10-2026" in telat.galat
    status = json.loads(evkin("--workbook", master, "--waktu", "2026-10-09T11:00", "status", "--json").keluar)
    assert {b["kode"]: b["keadaan"] for b in status["bidang"]}["KESOS"].endswith("(terlambat)")


def test_no_submission_after_step_5_is_finished(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    assert _himpun(evkin, master, siap["PEM"]).kode == 0
    belum = _cli(evkin, master, "kasubag", "2026-10-06T12:00", "langkah", "selesai", "5")
    assert belum.kode == 2 and "Seksi Kesejahteraan Sosial" in belum.galat and "--ya" in belum.galat
    assert _cli(evkin, master, "kasubag", "2026-10-06T12:00", "langkah", "selesai", "5", "--ya").kode == 0
    sebelum = sha256(master)
    hasil = _himpun(evkin, master, siap["PEM"], waktu="2026-10-06T13:00")
    assert hasil.kode == 4 and "sudah selesai" in hasil.galat
    assert sha256(master) == sebelum


# ---- rejections: exit 3, every problem named, master byte-identical ---------------------------------------

def _ditolak(evkin, master: Path, berkas: Path, *kata: str, sebagai: str = "kasubag"):
    sebelum = sha256(master)
    hasil = _himpun(evkin, master, berkas, sebagai=sebagai)
    assert hasil.kode in (3, 4), hasil
    assert sha256(master) == sebelum
    for k in kata:
        assert k in hasil.galat, hasil.galat
    return hasil


def _ubah(path: Path, fungsi) -> Path:
    wb = load_workbook(path)
    fungsi(wb.worksheets[0])
    wb.save(path)
    return path


def test_negative_and_absurd_numbers_rejected_with_cell(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: (ws.__setitem__("P9", -3), ws.__setitem__("Q10", 10**15)))
    hasil = _ditolak(evkin, master, siap["PEM"], "sel P9", "negatif", "sel Q10", "tidak wajar")
    assert hasil.kode == 3 and "Format_EvKin_2026_TW3_PEM.xlsx" in hasil.galat


def test_far_above_target_is_a_warning_not_a_rejection(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: ws.__setitem__("P9", 500))
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0 and "lebih dari 10x target" in hasil.keluar


@pytest.mark.parametrize(
    ("ubah", "kata"),
    [
        (lambda ws: ws.__setitem__("C6", "EVKIN-2026-TW2-PEM-v1"), "periode TW2 2026"),
        (lambda ws: ws.__setitem__("C6", "EVKIN-2025-TW3-PEM-v1"), "periode TW3 2025"),
        (lambda ws: ws.__setitem__("C6", "EVKIN-2026-TW3-XYZ-v1"), "kode bidang 'XYZ' tidak dikenal"),
        (lambda ws: ws.__setitem__("C6", None), "identitas template"),
        (lambda ws: ws.delete_cols(14), "kolom 'Target Tahun Ini (K)' tidak ditemukan"),
        (lambda ws: ws.__setitem__("N8", "Target 2026"), "kolom 'Target Tahun Ini (K)' tidak ditemukan"),
        (lambda ws: [ws.__setitem__(f"{c}10", ws[f"{c}9"].value) for c in "DEF"], "ganda, sama dengan baris 9"),
        (lambda ws: ws.__setitem__("H9", "Naik turun"), "bukan pilihan yang sah"),
        (lambda ws: ws.__setitem__("G9", None), "Satuan wajib diisi"),
        (lambda ws: ws.__setitem__("P9", "tiga"), "sel P9"),
    ],
)
def test_bad_template_content_rejected(siap, master: Path, evkin, ubah, kata) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], ubah)
    hasil = _ditolak(evkin, master, siap["PEM"], kata)
    assert hasil.kode == 3


def test_stale_template_version_after_format_is_rebuilt(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    assert _cli(evkin, master, "kasubag", "2026-10-05T13:00", "buka-ulang", "2", "--alasan", "indikator baru").kode == 0
    assert _cli(evkin, master, "kasubag", "2026-10-05T13:30", "format").kode == 0
    _ditolak(evkin, master, siap["PEM"], "template versi lama (v1)", "v2")


def test_kepala_bidang_cannot_submit_for_another_bidang(siap, master: Path, evkin) -> None:
    isi_format(siap["KESOS"], data_contoh()["isian"]["KESOS"], muat_skema())
    _ditolak(evkin, master, siap["KESOS"], "hanya boleh mengirim data bidangnya sendiri", sebagai="kasi_pem")


def test_moved_columns_spaces_blank_and_hidden_rows_accepted_with_warnings(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])

    def berantakan(ws) -> None:
        # swap the two realisasi TW III columns (header and data), as someone dragging columns would
        for r in range(8, 12):
            ws.cell(r, 21).value, ws.cell(r, 20).value = ws.cell(r, 20).value, ws.cell(r, 21).value
        ws["F9"] = f"  {PEM_INDIKATOR}   "
        ws.insert_rows(10)  # a blank row in between
        ws.row_dimensions[11].hidden = True

    _ubah(siap["PEM"], berantakan)
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0, hasil.galat
    assert "urutan kolom berubah" in hasil.keluar and "baris tersembunyi" in hasil.keluar
    baris = {r["Indikator Kinerja"]: r for r in _rekap(master)}[PEM_INDIKATOR]
    assert baris["Realisasi TW III (K)"] == 3 and baris["Realisasi TW III (Rp)"] == 15500000


def test_formula_values_are_read_and_never_copied_as_formulas(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: (ws.__setitem__("P9", "=1+2"), ws.__setitem__("X9", "=HYPERLINK(\"http://x\")")))
    # give the formula a cached value as Excel would have saved it
    data = io.BytesIO(siap["PEM"].read_bytes())
    keluar = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(keluar, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            isi = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                isi = re.sub(rb"<f>1\+2</f><v>\s*</v>|<f>1\+2</f><v/>|<f>1\+2</f>", b"<f>1+2</f><v>3</v>", isi)
                isi = re.sub(rb"<f>HYPERLINK\(&quot;http://x&quot;\)</f>(<v>\s*</v>|<v/>)?",
                             b"<f>HYPERLINK(&quot;http://x&quot;)</f><v>klik</v>", isi)
            zout.writestr(item, isi)
    siap["PEM"].write_bytes(keluar.getvalue())
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0, hasil.galat
    ws = load_workbook(master)["Rekap"]
    baris = next(r for r in ws.iter_rows(min_row=5) if r[6].value == PEM_INDIKATOR)
    assert baris[16].value == 3  # Realisasi TW I (K)
    assert all(c.data_type != "f" for r in ws.iter_rows(min_row=5) for c in r)


def test_text_that_looks_like_a_formula_stays_text(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    jahat = ["=cmd|' /C calc'!A0", "+62 812", "-tidak ada-", "@SUM(A1)", "\tTab", "\rCR"]

    def ketik(ws) -> None:  # typed as text (Excel's leading apostrophe), not as formulas
        for i, v in enumerate(jahat):
            cell = ws.cell(9 + i % 2, 24 + i // 2)
            cell.value = v
            cell.data_type = "s"

    _ubah(siap["PEM"], ketik)
    assert _himpun(evkin, master, siap["PEM"]).kode == 0
    ws = load_workbook(master)["Rekap"]
    nilai = {c.value for r in ws.iter_rows(min_row=5) for c in r if isinstance(c.value, str)}
    assert {v.strip() for v in jahat} <= nilai
    assert all(c.data_type != "f" for r in ws.iter_rows(min_row=5) for c in r)
    pem = load_workbook(master)["Seksi Pemerintahan"]
    assert pem["X9"].value == jahat[0] and pem["X9"].data_type == "s"


def _zip(path: Path, isi: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for nama, data in isi.items():
            z.writestr(nama, data)
    return path


@pytest.mark.parametrize(
    ("nama", "buat", "kata"),
    [
        ("kosong.xlsx", lambda p: p.write_bytes(b""), "kosong"),
        ("lama.xls", lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600), ".xls"),
        ("sandi.xlsx", lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100
                                               + "EncryptionInfo".encode("utf-16-le") + b"\0" * 500), "kata sandi"),
        ("data.csv", lambda p: p.write_text("No;Indikator\n1;x\n"), "CSV"),
        ("data.ods", lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                        "content.xml": b"<x/>"}), "ODS"),
        ("surat.xlsx", lambda p: _zip(p, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
         "dokumen Word"),
        ("rusak.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 50), ""),
    ],
)
def test_wrong_broken_and_disguised_files_rejected(siap, master: Path, evkin, tmp_path, nama, buat, kata) -> None:
    path = tmp_path / nama
    buat(path)
    hasil = _ditolak(evkin, master, path, nama)
    assert hasil.kode == 3
    assert kata.lower() in hasil.galat.lower()


def test_truncated_copy_of_a_real_submission_rejected(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    data = siap["PEM"].read_bytes()
    siap["PEM"].write_bytes(data[: len(data) // 2])
    _ditolak(evkin, master, siap["PEM"], "Format_EvKin_2026_TW3_PEM.xlsx")


def test_xlsm_data_read_macros_never_kept(siap, master: Path, evkin, tmp_path: Path) -> None:
    _isi_pem(siap["PEM"])
    xlsm = tmp_path / "Format_PEM.xlsm"
    with zipfile.ZipFile(siap["PEM"]) as zin, zipfile.ZipFile(xlsm, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 makro jahat")
    hasil = _himpun(evkin, master, xlsm)
    assert hasil.kode == 0, hasil.galat
    assert "makro" in hasil.keluar
    with zipfile.ZipFile(master) as z:
        assert not [n for n in z.namelist() if "vba" in n.lower()]


def test_million_row_sheet_rejected_quickly(siap, master: Path, evkin, tmp_path: Path) -> None:
    path = tmp_path / "besar.xlsx"
    baris = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_000_001))
    _zip(path, {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        "xl/worksheets/sheet1.xml": b'<worksheet><sheetData>' + baris + b"</sheetData></worksheet>",
    })
    mulai = time.monotonic()
    _ditolak(evkin, master, path, "besar.xlsx")
    assert time.monotonic() - mulai < 30


def test_rejection_as_json_for_machines(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: ws.__setitem__("P9", -1))
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "himpun", "--json", siap["PEM"])
    assert hasil.kode == 3
    data = json.loads(hasil.keluar)
    assert data["status"] == "ditolak"
    assert data["ditolak"][0]["galat"][0]["sel"] == "P9"


# ---- files as other programs save them, and what people type (issue 15) ---------------------------------

def _ubah_xml(path: Path, fungsi) -> Path:
    """Rewrite the sheet XML inside a saved file, to imitate what LibreOffice writes where openpyxl cannot."""
    with zipfile.ZipFile(path) as z:
        isi = {n: z.read(n) for n in z.namelist()}
    isi["xl/worksheets/sheet1.xml"] = fungsi(isi["xl/worksheets/sheet1.xml"])
    return _zip(path, isi)


def _sel_xml(ref: str, isi: bytes):  # type: ignore[no-untyped-def]
    """Replace one cell element (written by openpyxl) by the given XML."""
    def ganti(xml: bytes) -> bytes:
        baru, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', isi, xml, count=1)
        assert n == 1, ref
        return baru
    return ganti


def test_a_libreoffice_file_after_delete_rows_is_collected(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])

    def setelah_hapus_baris(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:AMJ1048576"/>', xml)
        return xml.replace(b"</sheetData>", b'<row r="1048576" customFormat="false" ht="12.8" hidden="false" '
                                            b'customHeight="false" outlineLevel="0" collapsed="false"></row>'
                                            b"</sheetData>")

    _ubah_xml(siap["PEM"], setelah_hapus_baris)
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0, hasil.galat
    assert {r["Indikator Kinerja"]: r for r in _rekap(master)}[PEM_INDIKATOR]["Realisasi TW III (K)"] == 3


def test_a_percent_typed_with_its_sign_is_refused_naming_cell_and_what_to_type(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: ws.__setitem__("T10", 0.818))  # "81,8%" typed into the #,##0.## cell
    hasil = _ditolak(evkin, master, siap["PEM"], "sel T10", "ketik 81,8, tanpa tanda %")
    assert hasil.kode == 3


def test_a_percent_formatted_cell_is_read_as_the_percent_points_seen(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])

    def persen(ws) -> None:
        ws["T10"] = 0.818
        ws["T10"].number_format = "0.0%"

    _ubah(siap["PEM"], persen)
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0, hasil.galat
    assert "sel T10" in hasil.keluar and "dibaca sebagai 81,8" in hasil.keluar
    rekap = {r["Indikator Kinerja"]: r for r in _rekap(master)}
    assert rekap["Persentase desa yang menyampaikan LPPDes tepat waktu"]["Realisasi TW III (K)"] == 81.8


@pytest.mark.parametrize(
    ("xml", "galat"),
    [(b'<c r="T9" s="5" t="e"><f aca="false">1/0</f><v>#DIV/0!</v></c>', "#DIV/0!"),
     (b'<c r="X9" s="4" t="e"><f aca="false">&quot;a&quot;+1</f><v>#VALUE!</v></c>', "#VALUE!")],
    ids=["bagi-nol", "teks-diawali-sama-dengan"],
)
def test_an_error_value_is_refused_naming_cell_and_error(siap, master: Path, evkin, xml: bytes, galat: str) -> None:
    _isi_pem(siap["PEM"])
    ref = re.search(rb'r="(\w+)"', xml).group(1).decode()  # type: ignore[union-attr]
    _ubah_xml(siap["PEM"], _sel_xml(ref, xml))
    _ditolak(evkin, master, siap["PEM"], f"sel {ref}", galat)


def test_merged_cells_in_the_table_are_refused_naming_the_range(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: ws.merge_cells("X9:Y10"))
    _ditolak(evkin, master, siap["PEM"], "X9:Y10", "digabung")


def test_a_kept_apostrophe_before_a_formula_sign_is_removed(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])

    def ketik(ws) -> None:
        ws["Z9"] = "'=> Pemadanan data dengan Dukcapil"
        ws["Z9"].data_type = "s"

    _ubah(siap["PEM"], ketik)
    assert _himpun(evkin, master, siap["PEM"]).kode == 0
    baris = {r["Indikator Kinerja"]: r for r in _rekap(master)}[PEM_INDIKATOR]
    assert baris["Tindak Lanjut Triwulan Berikutnya"] == "=> Pemadanan data dengan Dukcapil"


def test_a_date_serial_in_a_count_is_a_warning(siap, master: Path, evkin) -> None:
    _isi_pem(siap["PEM"])
    _ubah(siap["PEM"], lambda ws: ws.__setitem__("T9", 46307))
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0 and "sel T9" in hasil.keluar and "tanggal 12-10-2026" in hasil.keluar


def test_a_blank_template_sent_back_is_refused(siap, master: Path, evkin) -> None:
    _ditolak(evkin, master, siap["PEM"], "belum ada realisasi", "TW I–TW III")


def test_files_not_recognised_are_listed_not_skipped_silently(siap, master: Path, evkin, tmp_path: Path) -> None:
    _isi_pem(siap["PEM"])
    lain = tmp_path / "lain"
    lain.mkdir()
    shutil.copyfile(siap["PEM"], lain / siap["PEM"].name)
    wb = Workbook()
    wb.active.append(["catatan rapat", 1])
    wb.save(lain / "catatan.xlsx")
    hasil = _himpun(evkin, master, lain)
    assert hasil.kode == 0, hasil.galat
    assert "Tidak diproses: catatan.xlsx" in hasil.keluar
    json_ = _cli(evkin, master, "kasubag", "2026-10-06T10:00", "himpun", "--json", str(lain))
    assert json.loads(json_.keluar)["tidak_diproses"][0]["berkas"] == "catatan.xlsx"


def test_a_folder_holding_only_unrecognised_files_is_refused_not_a_usage_error(siap, master: Path, evkin,
                                                                              tmp_path: Path) -> None:
    lain = tmp_path / "lain"
    lain.mkdir()
    wb = Workbook()
    wb.active.append(["catatan rapat", 1])
    wb.save(lain / "catatan.xlsx")
    hasil = _ditolak(evkin, master, lain, "Tidak ada kiriman yang dapat diproses", "catatan.xlsx")
    assert hasil.kode == 3 and "Tidak ada berkas kiriman" not in hasil.galat
    data = json.loads(_cli(evkin, master, "kasubag", "2026-10-06T09:00", "himpun", "--json", str(lain)).keluar)
    assert data["tidak_diproses"] == [{"berkas": "catatan.xlsx", "alasan": data["tidak_diproses"][0]["alasan"]}]


@pytest.mark.parametrize("salin_tabel", [False, True], ids=["identitas-dihapus", "tabel-disalin"])
def test_a_file_named_like_a_format_without_identity_is_refused(siap, master: Path, evkin, salin_tabel: bool) -> None:
    _isi_pem(siap["PEM"])
    folder = siap["PEM"].parent
    for kode, path in siap.items():
        if kode != "PEM":
            path.unlink()
    if salin_tabel:  # the table copied into a new workbook, saved under the format's name
        asal = load_workbook(siap["PEM"]).worksheets[0]
        wb = Workbook()
        for row in asal.iter_rows(min_row=8, values_only=True):
            wb.active.append(list(row))
        wb.save(siap["PEM"])
    else:
        _ubah(siap["PEM"], lambda ws: ws.__setitem__("C6", "PEM"))
    hasil = _ditolak(evkin, master, folder, "Format_EvKin_2026_TW3_PEM.xlsx", "identitas template", "blok kepala")
    assert hasil.kode == 3


def test_a_file_named_for_another_bidang_warns_and_is_refused_when_that_bidang_also_sent(
    siap, master: Path, evkin, tmp_path: Path
) -> None:
    """KESOS data typed into... the KESOS template, saved under the PEM file name."""
    isi_format(siap["KESOS"], data_contoh()["isian"]["KESOS"], muat_skema())
    sendiri = tmp_path / "sendiri"
    sendiri.mkdir()
    shutil.copyfile(siap["KESOS"], sendiri / "Format_EvKin_2026_TW3_PEM.xlsx")
    hasil = _himpun(evkin, master, sendiri)
    assert hasil.kode == 0, hasil.galat
    assert "Format_EvKin_2026_TW3_PEM.xlsx" in hasil.keluar
    assert "nama berkas menyebut bidang PEM, tetapi identitas template di dalamnya bidang KESOS" in hasil.keluar
    shutil.copyfile(siap["KESOS"], sendiri / siap["KESOS"].name)
    ditolak = _ditolak(evkin, master, sendiri, "nama berkas menyebut bidang PEM",
                       f"berkas {siap['KESOS'].name} dalam perintah yang sama")
    assert ditolak.kode == 3
