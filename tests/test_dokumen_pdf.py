"""Print-ready documents: the evaluation document and surat pengantar sheets, their PDFs, and the Word letter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from macros_py.io.output import pdf
from macros_py.io.output.print_layout import DataDokumen, DataSurat, Penanda, write_dokumen_sheet, write_surat_sheet
from macros_py.io.output.surat_docx import buat_template, write_surat_docx

JAHAT = '=HYPERLINK("http://x")'
JAHAT_DOCX = "=cmd|' /C calc'!A0 <w:t>x</w:t> & {{ nomor }}"
JUDUL = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
NOMOR = "000.7.5/012/Kec-Mkt/2026"

KOLOM = [
    "No", "Sasaran", "Program/Kegiatan", "Indikator Kinerja", "Satuan", "Target Renja 2026 (K)",
    "Target Renja 2026 (Rp)", "Realisasi TW I (K)", "Realisasi TW II (K)", "Realisasi TW III (K)",
    "Realisasi s.d. TW III (Rp)", "Capaian (%)", "Unit Penanggung Jawab",
]

_INDIKATOR = [
    ("Meningkatnya kualitas pelayanan publik", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
     "Indeks kepuasan masyarakat terhadap pelayanan kecamatan", "indeks", 82, 85_000_000, 80.5, 81.25, 83.0,
     61_250_000, "Seksi Pelayanan Umum"),
    ("Meningkatnya kualitas pelayanan publik", "Pelayanan administrasi terpadu kecamatan (PATEN)",
     "Jumlah dokumen pelayanan yang diterbitkan tepat waktu", "dokumen", 1200, 45_000_000, 280, 310, 305,
     31_500_000, "Seksi Pelayanan Umum"),
    ("Meningkatnya kualitas pelayanan publik", "Pelayanan rekomendasi izin usaha mikro",
     "Persentase rekomendasi izin usaha mikro yang selesai 3 hari kerja", "%", 95, 12_500_000, 90, 92.5, 96,
     8_750_000, "Seksi Pelayanan Umum"),
    ("Meningkatnya kinerja penyelenggaraan pemerintahan desa", "Program Pembinaan dan Pengawasan Pemerintahan Desa",
     "Persentase desa yang menyampaikan laporan APBDes tepat waktu", "%", 100, 60_000_000, 72.73, 81.82, 90.91,
     43_200_000, "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("Meningkatnya kinerja penyelenggaraan pemerintahan desa", "Fasilitasi penyusunan RKPDes dan APBDes",
     "Jumlah desa yang difasilitasi penyusunan RKPDes", "desa", 11, 25_000_000, 3, 4, 4,
     18_300_000, "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("Meningkatnya kinerja penyelenggaraan pemerintahan desa", "Monitoring dan evaluasi penggunaan Dana Desa",
     "Jumlah laporan monitoring Dana Desa", "laporan", 4, 30_000_000, 1, 1, 1,
     21_000_000, "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("Terwujudnya ketentraman dan ketertiban umum", "Program Ketentraman dan Ketertiban Umum",
     "Jumlah gangguan trantibum yang tertangani", "kejadian", 12, 40_000_000, 2, 3, 4,
     27_800_000, "Seksi Ketentraman dan Ketertiban Umum"),
    ("Terwujudnya ketentraman dan ketertiban umum", "Koordinasi forum komunikasi pimpinan kecamatan",
     "Jumlah rapat koordinasi Forkopimcam", "kali", 12, 36_000_000, 3, 3, 3,
     27_000_000, "Seksi Ketentraman dan Ketertiban Umum"),
    ("Terwujudnya ketentraman dan ketertiban umum", "Patroli dan penertiban bersama",
     "Jumlah kegiatan patroli gabungan", "kali", 24, 18_000_000, 6, 6, 7,
     14_250_000, "Seksi Ketentraman dan Ketertiban Umum"),
    ("Meningkatnya kesejahteraan sosial masyarakat", "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
     "Persentase keluarga penerima manfaat bansos yang terverifikasi", "%", 100, 20_000_000, 60, 75, 88,
     15_000_000, "Seksi Kesejahteraan Sosial"),
    ("Meningkatnya kesejahteraan sosial masyarakat", "Fasilitasi Musrenbang kecamatan",
     "Jumlah usulan Musrenbang yang terakomodasi dalam RKPD", "usulan", 40, 35_000_000, 0, 38, 0,
     34_100_000, "Sub Bagian Perencanaan dan Keuangan"),
    ("Meningkatnya akuntabilitas kinerja kecamatan", "Program Penunjang Urusan Pemerintahan Daerah",
     "Nilai SAKIP kecamatan", "nilai", 70, 15_000_000, 0, 0, 68.5,
     9_000_000, "Sub Bagian Perencanaan dan Keuangan"),
    ("Meningkatnya akuntabilitas kinerja kecamatan", "Penyusunan dokumen perencanaan perangkat daerah",
     "Jumlah dokumen perencanaan (Renja, RKA, DPA) yang disusun tepat waktu", "dokumen", 3, 22_000_000, 1, 1, 1,
     16_400_000, "Sub Bagian Perencanaan dan Keuangan"),
    ("Meningkatnya akuntabilitas kinerja kecamatan", "Evaluasi kinerja perangkat daerah",
     "Jumlah laporan evaluasi kinerja triwulanan", "laporan", 4, 10_000_000, 1, 1, 1,
     7_500_000, "Sub Bagian Perencanaan dan Keuangan"),
    ("Meningkatnya kualitas SDM aparatur", "Administrasi kepegawaian perangkat daerah",
     JAHAT, "orang", 28, 8_000_000, 20, 24, 27,
     6_100_000, "Sub Bagian Umum dan Kepegawaian"),
]


def _baris() -> list[list[object]]:
    baris: list[list[object]] = []
    for i, (sasaran, program, indikator, satuan, target, pagu, tw1, tw2, tw3, rp, unit) in enumerate(_INDIKATOR, 1):
        capaian = round(max(tw1, tw2, tw3) / target * 100, 2) if satuan in {"%", "indeks", "nilai"} else round(
            (tw1 + tw2 + tw3) / target * 100, 2)
        baris.append([i, sasaran, program, indikator, satuan, target, pagu, tw1, tw2, tw3, rp, capaian, unit])
    return baris


def data_dokumen() -> DataDokumen:
    return DataDokumen(
        pemerintah="Pemerintah Kabupaten Luwu Timur",
        unit="Kecamatan Mangkutana",
        alamat="Jl. Poros Trans Sulawesi No. 1, Mangkutana, Kabupaten Luwu Timur, Sulawesi Selatan 92973",
        judul=JUDUL,
        periode_teks="Triwulan III Tahun 2026",
        versi=2,
        tabel_kolom=KOLOM,
        tabel_baris=_baris(),
        ringkasan=[("Rata-rata capaian kinerja", "87,50%"), ("Predikat kinerja", "Tinggi")],
        faktor_pendorong=[
            "Dukungan pemerintah desa dan tokoh masyarakat dalam setiap kegiatan pelayanan dan pembinaan, "
            "termasuk penyediaan tempat dan konsumsi rapat koordinasi secara swadaya.",
            "Aplikasi pelayanan administrasi terpadu kecamatan sudah berjalan sehingga waktu layanan lebih singkat.",
        ],
        faktor_penghambat=[
            "Keterlambatan penyampaian laporan APBDes dari dua desa karena pergantian operator Siskeudes.",
            "Jaringan internet di kantor kecamatan sering terputus pada jam pelayanan.",
        ],
        tindak_lanjut=[
            "Pendampingan operator Siskeudes desa pada awal Triwulan IV Tahun 2026.",
            "Mengusulkan peningkatan kapasitas jaringan internet kantor dalam Renja Tahun 2027.",
        ],
        tempat_tanggal="Mangkutana, 12 Oktober 2026",
        disusun=Penanda("Kepala Sub Bagian Perencanaan dan Keuangan", "Andi Rahmawati, S.E.",
                        "19850312 201001 2 015"),
        dievaluasi=Penanda("Camat Mangkutana", "Zulkifli Adi Saputra, ST", "19840710 201001 1 026"),
        catatan_revisi="Versi 2: realisasi TW III Seksi Pelayanan Umum diperbaiki sesuai berita acara 10-10-2026.",
    )


def data_surat() -> DataSurat:
    return DataSurat(
        pemerintah="Pemerintah Kabupaten Luwu Timur",
        unit="Kecamatan Mangkutana",
        alamat="Jl. Poros Trans Sulawesi No. 1, Mangkutana, Kabupaten Luwu Timur, Sulawesi Selatan 92973",
        tempat_tanggal="Mangkutana, 12 Oktober 2026",
        tujuan="Kepala Badan Perencanaan Pembangunan Daerah Kabupaten Luwu Timur",
        alamat_tujuan="Malili",
        nomor=NOMOR,
        daftar=[
            ("Dokumen Evaluasi Kinerja Kecamatan Mangkutana Triwulan III Tahun 2026", "1 (satu) berkas",
             "Disampaikan dengan hormat untuk dipergunakan sebagaimana mestinya"),
            ("Rekapitulasi capaian indikator kinerja per seksi", 5, "Dalam bentuk cetak dan berkas elektronik"),
            (JAHAT, "1 lembar", JAHAT_DOCX),
        ],
        jabatan="Camat Mangkutana,",
        nama="Zulkifli Adi Saputra, ST",
        nip="19840710 201001 1 026",
    )


@pytest.fixture
def workbook_dokumen(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dokumen"
    ws["A1"] = "=SUM(1,2)"  # an old formula must not survive: the sheet is cleared first
    write_dokumen_sheet(ws, data_dokumen())
    write_surat_sheet(wb.create_sheet("Surat Pengantar"), data_surat())
    path = tmp_path / "Dokumen_Evaluasi.xlsx"
    wb.save(path)
    return path


def _satu_sheet(path: Path, sheet: str, tujuan: Path) -> Path:
    """LibreOffice prints every sheet of a file: keep only the one to print."""
    wb = load_workbook(path)
    for nama in wb.sheetnames:
        if nama != sheet:
            del wb[nama]
    wb.save(tujuan)
    return tujuan


def _butuh_libreoffice() -> None:
    if not pdf.available() or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice/poppler-utils harus terpasang di CI (jalankan bash scripts/setup.sh)")
        pytest.skip("LibreOffice atau poppler-utils tidak terpasang")


def _teks_pdf(path: Path) -> str:
    keluar = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"[ \t]+", " ", keluar.stdout)


def _halaman(path: Path) -> int:
    keluar = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    cocok = re.search(r"^Pages:\s+(\d+)", keluar, re.MULTILINE)
    assert cocok, keluar
    return int(cocok.group(1))


def test_hanya_nilai_dan_teks_jahat_tetap_teks(workbook_dokumen: Path) -> None:
    wb = load_workbook(workbook_dokumen)
    ketemu = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} berisi rumus: {cell.value!r}"
                if cell.value == JAHAT:
                    assert cell.data_type == "s"
                    ketemu += 1
    assert ketemu == 2  # once in the evaluation table, once in the surat pengantar


def test_tata_letak_dokumen(workbook_dokumen: Path) -> None:
    ws = load_workbook(workbook_dokumen)["Dokumen"]
    nilai = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert JUDUL in nilai
    assert "85.000.000" in nilai  # Rupiah written the Indonesian way, as text
    assert "81,25" in nilai
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows and ws.print_area
    surat = load_workbook(workbook_dokumen)["Surat Pengantar"]
    assert surat.page_setup.orientation == "portrait"
    assert surat.page_setup.fitToHeight == 1


def test_tulis_ulang_mengosongkan_sheet() -> None:
    wb = Workbook()
    ws = wb.active
    data = data_dokumen()
    write_dokumen_sheet(ws, data)
    baris_pertama = ws.max_row
    data.tabel_baris = data.tabel_baris[:3]
    data.catatan_revisi = ""
    write_dokumen_sheet(ws, data)
    assert ws.max_row < baris_pertama
    assert not any(c == data_dokumen().tabel_baris[10][3] for row in ws.iter_rows(values_only=True) for c in row)


@pytest.mark.libreoffice
def test_pdf_dokumen_evaluasi(workbook_dokumen: Path, tmp_path: Path) -> None:
    _butuh_libreoffice()
    sumber = _satu_sheet(workbook_dokumen, "Dokumen", tmp_path / "Evaluasi_TW3_2026.xlsx")
    hasil = pdf.to_pdf(sumber, tmp_path / "pdf")
    assert hasil == tmp_path / "pdf" / "Evaluasi_TW3_2026.pdf"
    teks = _teks_pdf(hasil)
    assert JUDUL in teks
    assert "Triwulan III Tahun 2026" in teks
    assert "85.000.000" in teks
    assert "Zulkifli Adi Saputra, ST" in teks
    assert "Dievaluasi oleh," in teks
    assert 1 <= _halaman(hasil) <= 5


@pytest.mark.libreoffice
@pytest.mark.parametrize("jumlah", [18, 40])
def test_pdf_panjang_judul_berulang_tanda_tangan_utuh(tmp_path: Path, jumlah: int) -> None:
    """A table longer than a page repeats its header, and a signature block is never torn across pages."""
    _butuh_libreoffice()
    data = data_dokumen()
    data.tabel_baris = [[i, *b[1:]] for i, b in enumerate((data.tabel_baris * 3)[:jumlah], start=1)]
    wb = Workbook()
    write_dokumen_sheet(wb.active, data)
    wb.save(tmp_path / "panjang.xlsx")
    hasil = pdf.to_pdf(tmp_path / "panjang.xlsx", tmp_path)
    halaman = _teks_pdf(hasil).split("\f")
    halaman = [h for h in halaman if h.strip()]
    assert len(halaman) == _halaman(hasil) >= 2
    assert all("Indikator Kinerja" in h for h in halaman)
    for nama, nip in (("Andi Rahmawati, S.E.", "19850312 201001 2 015"), ("Zulkifli Adi Saputra, ST", "19840710")):
        (dengan_nama,) = [h for h in halaman if nama in h]
        assert nip in dengan_nama and "Disusun oleh," in dengan_nama and "Dievaluasi oleh," in dengan_nama


@pytest.mark.libreoffice
def test_pdf_surat_pengantar(workbook_dokumen: Path, tmp_path: Path) -> None:
    _butuh_libreoffice()
    sumber = _satu_sheet(workbook_dokumen, "Surat Pengantar", tmp_path / "Surat_Pengantar.xlsx")
    hasil = pdf.to_pdf(sumber, tmp_path)
    teks = _teks_pdf(hasil)
    assert "SURAT PENGANTAR" in teks
    assert f"Nomor: {NOMOR}" in teks
    assert "TANDA TERIMA" in teks
    assert JAHAT in teks
    assert _halaman(hasil) == 1


def test_pdf_tanpa_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sumber = tmp_path / "a.xlsx"
    Workbook().save(sumber)
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    assert not pdf.available()
    pesan = re.escape("LibreOffice tidak ditemukan; jalankan bash scripts/setup.sh")
    with pytest.raises(pdf.PenggunaanSalah, match=pesan):
        pdf.to_pdf(sumber, tmp_path)


def test_pdf_waktu_habis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("program palsu berupa skrip dengan baris #!")
    palsu = tmp_path / "soffice"
    palsu.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n")
    palsu.chmod(0o755)
    sumber = tmp_path / "a.xlsx"
    Workbook().save(sumber)
    monkeypatch.setattr(pdf, "find_soffice", lambda: palsu)
    with pytest.raises(pdf.PenggunaanSalah, match=re.escape("dalam 0.5 detik")):
        pdf.to_pdf(sumber, tmp_path / "keluar", timeout=0.5)
    assert not list((tmp_path / "keluar").iterdir())


def test_pdf_tidak_menghasilkan_berkas(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("program palsu berupa skrip dengan baris #!")
    palsu = tmp_path / "soffice"
    palsu.write_text(f"#!{sys.executable}\nimport sys\nsys.exit('Error: source file could not be loaded')\n")
    palsu.chmod(0o755)
    sumber = tmp_path / "a.xlsx"
    Workbook().save(sumber)
    monkeypatch.setattr(pdf, "find_soffice", lambda: palsu)
    with pytest.raises(pdf.PenggunaanSalah, match=r"tidak menghasilkan PDF.*could not be loaded"):
        pdf.to_pdf(sumber, tmp_path)


def test_surat_docx(tmp_path: Path) -> None:
    data = data_surat()
    hasil = write_surat_docx(data, tmp_path / "Surat_Pengantar.docx")
    assert hasil.is_file()
    doc = Document(str(hasil))
    teks_paragraf = "\n".join(p.text for p in doc.paragraphs)
    sel = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    semua = teks_paragraf + "\n" + "\n".join(sel)
    assert NOMOR in semua
    assert data.tujuan in semua
    assert "SURAT PENGANTAR" in semua
    assert "{{" not in semua.replace(JAHAT_DOCX, "") and "{%" not in semua
    for jenis, banyaknya, keterangan in data.daftar:
        assert jenis in sel
        assert str(banyaknya) in sel
        assert keterangan in sel
    assert JAHAT_DOCX in sel  # tags and markup stay literal text, not XML or a second rendering
    assert JAHAT in sel


def test_template_docx_berisi_tag(tmp_path: Path) -> None:
    path = buat_template(tmp_path / "template.docx")
    doc = Document(str(path))
    sel = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("{%tr for d in daftar %}" in s for s in sel)
    assert any("{{ d.jenis }}" in s for s in sel)
