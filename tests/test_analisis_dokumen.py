"""Steps 6–11 on the demo's real files: analysis, charts, document and PDF, signing, letter, sealed record."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from macros_py.aksi.demo import KATA_SANDI_DEMO, data_contoh, folder_kunci, jalankan_demo, sertifikat_ca
from macros_py.domain.angka import parse_angka
from tests.conftest import sha256, tanpa_contoh, teks_terpotong

TW = ("tw1_k", "tw1_rp", "tw2_k", "tw2_rp", "tw3_k", "tw3_rp")


def _diam(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole SOP run once; tests only read its outputs (or work on copies)."""
    folder = tmp_path_factory.mktemp("demo")
    jalankan_demo(folder, info=_diam)
    return folder


@pytest.fixture(scope="module")
def demo_ttd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A master right after the Kepala signed (step 9)."""
    folder = tmp_path_factory.mktemp("demo9")
    return jalankan_demo(folder, info=_diam, sampai=9)


def _tabel(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, data_only=True)[sheet]
    judul = [c.value for c in ws[4]]
    return [dict(zip(judul, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True)
            if any(v is not None for v in r)]


def _pdf_teks(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _butuh_poppler() -> None:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is required in CI (scripts/setup.sh installs it)")
        pytest.skip("pdftotext not installed")


# ---- analysis ---------------------------------------------------------------------------------------------

def test_rekap_values_equal_the_submissions(demo: Path) -> None:
    rekap = {r["Indikator Kinerja"]: r for r in _tabel(demo / "Evaluasi_Kinerja.xlsx", "Rekap")}
    isian = {ind: v for per_bidang in data_contoh()["isian"].values() for ind, v in per_bidang.items()}
    assert set(rekap) == set(isian)
    judul = {"tw1_k": "Realisasi TW I (K)", "tw1_rp": "Realisasi TW I (Rp)", "tw2_k": "Realisasi TW II (K)",
             "tw2_rp": "Realisasi TW II (Rp)", "tw3_k": "Realisasi TW III (K)", "tw3_rp": "Realisasi TW III (Rp)"}
    for indikator, diketik in isian.items():
        for key in TW:
            if key in diketik:
                assert rekap[indikator][judul[key]] == parse_angka(diketik[key]).nilai, (indikator, key)
    total_tw3 = sum(parse_angka(v.get("tw3_k")).nilai or 0 for v in isian.values())
    assert sum(r["Realisasi TW III (K)"] or 0 for r in rekap.values()) == pytest.approx(total_tw3)


def test_capaian_and_predikat_per_indicator_and_summary(demo: Path) -> None:
    rekap = {r["Indikator Kinerja"]: r for r in _tabel(demo / "Evaluasi_Kinerja.xlsx", "Rekap")}
    trantib = rekap["Jumlah kejadian gangguan ketentraman dan ketertiban umum"]  # Turun: 9 incidents, target 12
    assert trantib["Realisasi Tahun Ini (K)"] == 9
    assert trantib["Capaian Kinerja (%)"] == pytest.approx((2 * 12 - 9) / 12 * 100, abs=0.01)
    assert trantib["Predikat"] == "Sangat Tinggi"
    ikm = rekap["Indeks Kepuasan Masyarakat (IKM) layanan kecamatan"]  # Nilai Akhir: TW III
    assert ikm["Realisasi Tahun Ini (K)"] == 83.1
    analisis = _tabel(demo / "Evaluasi_Kinerja.xlsx", "Analisis")
    assert [r["Bidang"] for r in analisis][-1] == "Total Unit" and len(analisis) == 7
    total = analisis[-1]
    assert total["Jumlah Indikator"] == 12
    kolom = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah", "Tanpa Nilai")
    assert sum(total[k] for k in kolom) == 12
    assert sum(r["Jumlah Indikator"] for r in analisis[:-1]) == 12


def test_charts_exist_in_the_saved_workbook(demo: Path) -> None:
    ws = load_workbook(demo / "Evaluasi_Kinerja.xlsx")["Analisis"]
    assert len(ws._charts) == 2
    with zipfile.ZipFile(demo / "Evaluasi_Kinerja.xlsx") as z:
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= set(z.namelist())


# ---- document, versions, signature ----------------------------------------------------------------------

def test_document_pdf_has_title_table_and_sane_pages(demo: Path) -> None:
    _butuh_poppler()
    pdf = demo / "Dokumen_Evaluasi_Kinerja.pdf"
    teks = _pdf_teks(pdf)
    assert "EVALUASI TERHADAP HASIL RENJA" in teks and "Triwulan III Tahun 2026" in teks
    assert "PATEN" in teks and "Predikat kinerja" in teks and "Rata-rata capaian kinerja (%)" in teks
    assert "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya" in teks
    assert "Jadwal pengadaan dimasukkan ke Renja 2027" in teks
    assert "Catatan revisi" not in teks and "Perbaiki uraian" not in teks  # revision notes stay in Revisi
    assert teks_terpotong(pdf) == []
    assert "ZULKIFLI ADI SAPUTRA" in teks
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    halaman = int(next(b for b in info.splitlines() if b.startswith("Pages:")).split()[1])
    assert 1 <= halaman <= 6


def test_revisions_and_signature_record_the_exact_version(demo: Path) -> None:
    master = demo / "Evaluasi_Kinerja.xlsx"
    revisi = _tabel(master, "Revisi")
    assert [r["Versi"] for r in revisi] == [1, 2]
    assert revisi[1]["Status"] == "ditandatangani" and "Trantibum" in revisi[1]["Catatan Koreksi"]
    pengesahan = _tabel(master, "Pengesahan")
    ttd = next(r for r in pengesahan if r["Aksi"] == "ditandatangani")
    assert ttd["Nama"] == "ZULKIFLI ADI SAPUTRA, ST" and ttd["NIP"] == "19840710 201001 1 026"
    # recorded relative to the workbook's folder, whatever folder the command ran from
    assert not Path(revisi[1]["Berkas PDF"]).is_absolute()
    assert ttd["SHA-256 Versi"] == sha256(master.parent / revisi[1]["Berkas PDF"]) and ttd["Status"] == "sah"
    ws = load_workbook(master)["Dokumen"]
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def _cli(evkin, master: Path, sebagai: str, *args: str, masukan: str = ""):
    return evkin("--workbook", master, "--sebagai", sebagai, "--waktu", "2026-10-08T09:00", *args, masukan=masukan)


_ASAL: dict[Path, Path] = {}


def demo_ttd_folder(salinan: Path) -> Path:
    """The demo folder a copied master came from (its keys live beside that folder)."""
    return _ASAL[salinan.parent]


@pytest.fixture
def ditandatangani(demo_ttd: Path, tmp_path: Path) -> Path:
    salinan = tmp_path / "m" / "Evaluasi_Kinerja.xlsx"
    shutil.copytree(demo_ttd.parent, salinan.parent)
    _ASAL[salinan.parent] = demo_ttd.parent
    return salinan


def test_signing_freezes_data_until_reopened_which_voids_the_signature(ditandatangani: Path, evkin) -> None:
    m = ditandatangani
    sebelum = sha256(m)
    for args in (("himpun",), ("analisa",), ("koreksi", "--catatan", "x")):
        hasil = _cli(evkin, m, "kasubag", *args)
        assert hasil.kode == 4, (args, hasil)
    assert sha256(m) == sebelum
    buka = _cli(evkin, m, "kasubag", "buka-ulang", "5", "--alasan", "data PMD salah ketik")
    assert buka.kode == 0, buka.galat
    ttd = next(r for r in _tabel(m, "Pengesahan") if r["Aksi"] == "ditandatangani")
    assert ttd["Status"].startswith("BATAL") and "data PMD salah ketik" in ttd["Status"]
    log = _tabel(m, "Log")
    assert any(r["Aksi"] == "tanda-tangan-batal" for r in log)
    assert _cli(evkin, m, "kasubag", "himpun").kode == 0  # the bidang sheets in the master, accepted again
    assert evkin("--workbook", m, "verifikasi").kode == 0


def test_only_the_kepala_signs_and_returns(ditandatangani: Path, evkin) -> None:
    m = ditandatangani
    kunci = folder_kunci(demo_ttd_folder(m))
    paraf = ("--kunci", kunci / "sekcam.p12")  # the Sekretaris' certificate is registered: the paraf is signed
    assert _cli(evkin, m, "camat", "buka-ulang", "8", "--alasan", "perlu lampiran").kode == 0
    assert _cli(evkin, m, "sekcam", "ajukan").kode == 2  # without the key
    assert _cli(evkin, m, "sekcam", "ajukan", *paraf, masukan=KATA_SANDI_DEMO).kode == 0
    assert _cli(evkin, m, "sekcam", "tandatangani").kode == 4
    sebelum = sha256(m)
    contoh = _cli(evkin, m, "camat", "tandatangani")  # the demo's sample names may not be signed outside the demo
    assert contoh.kode == 3 and "Konfigurasi!F6" in contoh.galat and sha256(m) == sebelum
    assert len(tanpa_contoh(m)) >= 10
    kembali = _cli(evkin, m, "camat", "kembalikan", "--catatan", "tambahkan analisis anggaran")
    assert kembali.kode == 0, kembali.galat
    assert _tabel(m, "Revisi")[-1]["Status"] == "dikembalikan"
    assert _cli(evkin, m, "sekcam", "koreksi", "--catatan", "analisis anggaran ditambahkan").kode == 0
    assert [r["Versi"] for r in _tabel(m, "Revisi")] == [1, 2, 3]
    assert _cli(evkin, m, "sekcam", "ajukan", *paraf, masukan=KATA_SANDI_DEMO).kode == 0
    tanpa_kunci = _cli(evkin, m, "camat", "tandatangani")
    assert tanpa_kunci.kode == 2 and "--kunci" in tanpa_kunci.galat  # the Kepala's certificate is registered
    milik_lain = _cli(evkin, m, "camat", "tandatangani", "--kunci", kunci / "kasubag.p12", masukan=KATA_SANDI_DEMO)
    assert milik_lain.kode == 3 and "bukan milik" in milik_lain.galat
    ttd = _cli(evkin, m, "camat", "tandatangani", "--kunci", kunci / "camat.p12", masukan=KATA_SANDI_DEMO)
    assert ttd.kode == 0, ttd.galat
    assert _tabel(m, "Revisi")[-1]["Status"] == "ditandatangani"


# ---- record ---------------------------------------------------------------------------------------------

def _rekaman(demo: Path) -> Path:
    return demo / "arsip" / "2026-TW3"


def _percaya(demo: Path) -> tuple[str, Path]:
    return "--percaya", sertifikat_ca(demo)


def test_record_verifies_and_names_every_flipped_byte(demo: Path, tmp_path: Path, evkin) -> None:
    assert evkin("verifikasi", _rekaman(demo), *_percaya(demo)).kode == 0
    berkas = [p for p in _rekaman(demo).rglob("*") if p.is_file()]
    assert {p.suffix for p in berkas} >= {".xlsx", ".pdf", ".docx", ".json"}
    for asli in berkas:
        salinan = tmp_path / f"r-{asli.name}"
        shutil.copytree(_rekaman(demo), salinan)
        target = salinan / asli.relative_to(_rekaman(demo))
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        hasil = evkin("verifikasi", salinan, *_percaya(demo))
        assert hasil.kode == 3, asli.name
        assert asli.name in hasil.keluar, hasil.keluar


def test_record_catches_an_edited_log_row_even_with_a_resealed_manifest(demo: Path, tmp_path: Path, evkin) -> None:
    from macros_py.io.arsip.seal import MANIFEST_HASH_NAME, MANIFEST_NAME, write_manifest

    salinan = tmp_path / "r"
    shutil.copytree(_rekaman(demo), salinan)
    xlsx = next(salinan.glob("*_ARSIP.xlsx"))
    xlsx.chmod(0o644)
    wb = load_workbook(xlsx)
    wb["Log"]["G6"] = "baris diubah"
    wb.save(xlsx)
    info = json.loads((salinan / MANIFEST_NAME).read_text())["info"]
    (salinan / MANIFEST_NAME).unlink()
    (salinan / MANIFEST_HASH_NAME).unlink()
    write_manifest(salinan, info)
    hasil = evkin("verifikasi", salinan, *_percaya(demo))
    assert hasil.kode == 3 and "Log baris 6" in hasil.keluar


def test_frozen_workbook_values_only_protected_read_only(demo: Path) -> None:
    xlsx = next(_rekaman(demo).glob("*_ARSIP.xlsx"))
    assert not os.stat(xlsx).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    wb = load_workbook(xlsx)
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert all(c.data_type != "f" for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    sop = wb["SOP"]
    assert [sop.cell(5 + i, 10).value for i in range(11)] == ["Selesai"] * 11


def test_period_closed_after_archiving(demo: Path, tmp_path: Path, evkin) -> None:
    m = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(demo / "Evaluasi_Kinerja.xlsx", m)
    hasil = evkin("--workbook", m, "--sebagai", "kasubag", "nomor", "--perihal", "x", "--tujuan", "y")
    assert hasil.kode == 4 and "sudah ditutup" in hasil.galat


def test_next_period_carries_indicators_and_letter_counter(demo: Path, tmp_path: Path, evkin) -> None:
    baru = tmp_path / "TW4.xlsx"
    hasil = evkin("--workbook", baru, "--sebagai", "kasubag", "--waktu", "2027-01-05T08:00", "init", "--tahun",
                  "2026", "--periode", "TW4", "--lanjut", demo / "Evaluasi_Kinerja.xlsx")
    assert hasil.kode == 0, hasil.galat
    assert len(_tabel(baru, "Daftar Indikator")) == 12
    nomor = evkin("--workbook", baru, "--sebagai", "kasubag", "--waktu", "2026-12-20T08:00", "nomor",
                  "--perihal", "Undangan", "--tujuan", "Kepala Desa")
    assert nomor.kode == 0 and nomor.keluar.strip() == "000.7.5/002/Kec-Mkt/2026"


def test_rollup_of_two_records_is_the_union(demo: Path, tmp_path: Path, evkin) -> None:
    kedua = tmp_path / "kedua"
    jalankan_demo(kedua, info=_diam)
    keluar = tmp_path / "rollup.xlsx"
    hasil = evkin("rollup", _rekaman(demo), kedua / "arsip" / "2026-TW3", "--out", keluar, *_percaya(demo),
                  *_percaya(kedua))
    assert hasil.kode == 0, hasil.galat
    ws = load_workbook(keluar)["Rekap"]
    baris = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(baris) == 24 and len({r[0] for r in baris}) == 2
    satu = _tabel(demo / "Evaluasi_Kinerja.xlsx", "Rekap")
    assert sorted(r[7] for r in baris) == sorted([r["Indikator Kinerja"] for r in satu] * 2)
    analisis = list(load_workbook(keluar)["Analisis"].iter_rows(min_row=2, values_only=True))
    assert analisis[-1][0] == "Total Unit" and analisis[-1][1] == 24
    dobel = evkin("rollup", _rekaman(demo), _rekaman(demo), "--out", tmp_path / "x.xlsx", *_percaya(demo))
    assert dobel.kode == 3 and "dua kali" in dobel.galat


def test_text_like_formulas_from_a_submission_stay_text_in_every_output(demo: Path) -> None:
    _butuh_poppler()
    teks = "=> Pemadanan data dengan Dukcapil"
    for xlsx in (demo / "Evaluasi_Kinerja.xlsx", next(_rekaman(demo).glob("*_ARSIP.xlsx"))):
        wb = load_workbook(xlsx)
        sel = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value == teks]
        assert sel and all(c.data_type == "s" for c in sel), xlsx.name
        assert not any(c.data_type == "f" for ws in wb.worksheets for r in ws.iter_rows() for c in r)
        assert not any(ws._hyperlinks for ws in wb.worksheets)
    assert teks in _pdf_teks(demo / "Dokumen_Evaluasi_Kinerja.pdf").replace("\n", " ")
    from docx import Document

    surat = Document(str(next(_rekaman(demo).glob("*.docx"))))
    assert "SURAT PENGANTAR" in "\n".join(p.text for p in surat.paragraphs)


@pytest.fixture(scope="module")
def demo6(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A master right after the analysis (step 6), on the shipped sample Konfigurasi."""
    return jalankan_demo(tmp_path_factory.mktemp("demo6"), info=_diam, sampai=6)


def test_placeholders_listed_by_periksa_and_refused_by_konsep(demo6: Path, tmp_path: Path, evkin) -> None:
    m = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(demo6, m)
    periksa = evkin("--workbook", m, "periksa")
    assert periksa.kode != 0
    assert "Konfigurasi!B10 (Pengaturan, Nilai 'alamat'): masih contoh" in periksa.keluar
    assert "Konfigurasi!F5 (Pejabat dan Peran, Nama 'sekcam'): masih contoh" in periksa.keluar
    assert "Konfigurasi!G6 (Pejabat dan Peran, NIP 'kasubag')" in periksa.keluar
    sebelum = sha256(m)
    konsep = _cli(evkin, m, "kasubag", "konsep")
    assert konsep.kode == 3, konsep
    assert "Konsep dokumen ditolak" in konsep.galat and "Konfigurasi!B10" in konsep.galat
    assert sha256(m) == sebelum and not (m.parent / "dokumen").exists()
    tanpa_contoh(m)
    assert "masih contoh" not in evkin("--workbook", m, "periksa").keluar
    jadi = _cli(evkin, m, "kasubag", "konsep")
    assert jadi.kode == 0, jadi.galat
    assert [r["Versi"] for r in _tabel(m, "Revisi")] == [1]


@pytest.mark.libreoffice
def test_the_master_prints_sensibly(demo: Path, tmp_path: Path) -> None:
    """Every sheet one page wide on F4, numbered pages, and the Analisis page whole: the bidang names with their
    predikat counts, and both charts inside the page."""
    from macros_py.io.output import pdf as keluaran_pdf

    if not keluaran_pdf.available():
        pytest.skip("LibreOffice tidak terpasang")
    _butuh_poppler()
    salinan = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(demo / "Evaluasi_Kinerja.xlsx", salinan)
    hasil = keluaran_pdf.to_pdf(salinan, tmp_path)
    info = subprocess.run(["pdfinfo", str(hasil)], capture_output=True, text=True, check=True).stdout
    jumlah = int(next(b for b in info.splitlines() if b.startswith("Pages:")).split()[1])
    assert jumlah <= 40  # the whole master, 22 sheets; it was about 190 pages
    halaman = _pdf_teks(hasil).split("\f")[:jumlah]
    assert all(f"Halaman {i} dari {jumlah}" in h for i, h in enumerate(halaman, start=1))
    (nomor,) = [i for i, h in enumerate(halaman, start=1) if "Analisis Capaian Kinerja per Bidang dan Unit" in h]
    analisis = halaman[nomor - 1]
    for teks in ("Seksi Pemberdayaan Masyarakat dan Desa", "Total Unit", "Sangat Tinggi", "Sedang", "Tanpa",
                 "Sebaran Predikat Indikator", "Capaian Kinerja vs Anggaran"):
        assert teks in analisis, teks
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(nomor), "-l", str(nomor), str(hasil), "-"],
                          capture_output=True, text=True, check=True).stdout
    lebar, tinggi = (float(x) for x in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox).groups())
    assert (round(lebar), round(tinggi)) == (935, 609)  # F4 landscape
    kotak = [tuple(map(float, m)) for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                                      r'yMax="([\d.]+)"', bbox)]
    assert kotak and all(x0 > 0 and x1 < lebar and y0 > 0 and y1 < tinggi for x0, y0, x1, y1 in kotak)


def test_an_office_with_other_predikat_words_and_bands(demo6: Path, tmp_path: Path, evkin) -> None:
    """The bands are data: four LKjIP-style bands typed into Konfigurasi change the Rekap, the Analisis columns
    (names and number) and the document, without code."""
    m = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(demo6, m)
    assert _cli(evkin, m, "kasubag", "buka-ulang", "6", "--alasan", "kriteria kantor").kode == 0
    wb = load_workbook(m)
    ws = wb["Konfigurasi"]
    for r, (minimal, nama) in enumerate([(90, "Sangat Baik"), (75, "Baik"), (65, "Cukup"), (None, "Kurang"),
                                         (None, None)], start=4):
        ws.cell(r, 19).value, ws.cell(r, 20).value = minimal, nama
    wb.save(m)
    tanpa_contoh(m)
    assert _cli(evkin, m, "kasubag", "analisa").kode == 0
    analisis = _tabel(m, "Analisis")
    judul = [c.value for c in load_workbook(m)["Analisis"][4]]
    assert judul[6:12] == ["Sangat Baik", "Baik", "Cukup", "Kurang", "Tanpa Nilai", None]  # one band fewer
    total = analisis[-1]
    assert sum(total[k] for k in ("Sangat Baik", "Baik", "Cukup", "Kurang", "Tanpa Nilai")) == 12
    assert total["Predikat Kinerja"] == "Sangat Baik" and total["Predikat Anggaran"] == "Baik"  # 95,81 and 75,5
    assert {r["Predikat"] for r in _tabel(m, "Rekap")} <= {"Sangat Baik", "Baik", "Cukup", "Kurang", None}
    assert not [x for x in evkin("--workbook", m, "periksa").keluar.splitlines() if "judul kolom" in x]
    assert _cli(evkin, m, "kasubag", "buka-ulang", "6", "--alasan", "salah ketik kriteria").kode == 0
    ws_rusak = load_workbook(m)
    ws_rusak["Konfigurasi"]["S5"] = 95  # bands must fall from the top
    ws_rusak.save(m)
    rusak = _cli(evkin, m, "kasubag", "analisa")
    assert rusak.kode == 3 and "Konfigurasi!S4 (Kriteria Predikat)" in rusak.galat and "menurun" in rusak.galat


def _konfigurasi(m: Path, **nilai: object) -> None:
    """Type values into the Pengaturan table, as the office does in Excel."""
    wb = load_workbook(m)
    ws = wb["Konfigurasi"]
    baris = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    for kunci, v in nilai.items():
        ws.cell(baris[kunci], 2).value = v
    wb.save(m)


def test_document_settings_from_konfigurasi(demo6: Path, tmp_path: Path, evkin,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatories and their jabatan per block, paper, Rp unit and the Kode/Urusan grouping are Konfigurasi
    values; a wrong one is refused naming its cell."""
    from macros_py.io.output import pdf as keluaran_pdf

    monkeypatch.setattr(keluaran_pdf, "available", lambda: False)  # the sheet is what is checked here
    m = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(demo6, m)
    tanpa_contoh(m)
    _konfigurasi(m, penanda_tangan_dievaluasi="Ketua Tim (tidak ada)")
    salah = _cli(evkin, m, "kasubag", "konsep")
    assert salah.kode == 3 and "Konfigurasi!" in salah.galat and "(penanda_tangan_dievaluasi)" in salah.galat
    _konfigurasi(m, logo_kop="logo_tidak_ada.png", penanda_tangan_dievaluasi="sekcam")
    salah = _cli(evkin, m, "kasubag", "konsep")
    assert salah.kode == 3 and "(logo_kop)" in salah.galat and "tidak ditemukan" in salah.galat
    _konfigurasi(m, logo_kop="", penanda_tangan_disusun="kasubag_umum",
                 jabatan_dievaluasi="a.n. Camat Mangkutana, Sekretaris Camat", ukuran_kertas="A3",
                 rp_dalam="rupiah", kelompok_urusan="Ya")
    jadi = _cli(evkin, m, "kasubag", "konsep")
    assert jadi.kode == 0, jadi.galat
    berkas = next((m.parent / "dokumen").glob("*_v1.xlsx"))
    ws = load_workbook(berkas).active
    nilai = [c for r in ws.iter_rows(values_only=True) for c in r if c]
    assert "Nama Kasubag Umum" in nilai and "Kepala Sub Bagian Umum dan Kepegawaian" in nilai  # Disusun
    assert "Nama Sekretaris Camat" in nilai and "a.n. Camat Mangkutana, Sekretaris Camat" in nilai  # Dievaluasi
    assert "ZULKIFLI ADI SAPUTRA, ST" not in nilai
    assert str(ws.page_setup.paperSize) == "8"  # A3
    assert "1.950.000.000" in nilai  # full rupiah, as asked
    assert "Kode" in nilai and "2.13 Pemberdayaan Masyarakat dan Desa" in nilai
    assert "Jumlah / rata-rata 1.06 Sosial" in nilai


def test_letter_numbers_with_month_in_roman_numerals_and_a_counter_per_kode(master: Path, evkin) -> None:
    _konfigurasi(master, format_nomor="{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}", lingkup_nomor="tahun_kode")

    def nomor(*args: str) -> str:
        hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", "2026-10-08T09:00", "nomor",
                      "--perihal", "x", "--tujuan", "y", *args)
        assert hasil.kode == 0, hasil.galat
        return hasil.keluar.strip()

    assert nomor() == "000.7.5/001/Kec-Mkt/X/2026"
    assert nomor("--kode", "100.1.5") == "100.1.5/001/Kec-Mkt/X/2026"
    assert nomor() == "000.7.5/002/Kec-Mkt/X/2026"
    assert "Penomoran" not in evkin("--workbook", master, "periksa").keluar
    _konfigurasi(master, lingkup_nomor="tahun")  # read as one yearly counter, the register is broken: said so
    assert "Penomoran: Tahun 2026: no urut 1 dipakai 2 kali" in evkin("--workbook", master, "periksa").keluar
