"""Print-ready documents: the evaluation document (Formulir E.81) and surat pengantar sheets, their PDFs as they
come out of LibreOffice on paper, and the Word letter from the shipped template."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from macros_py.domain.errors import InputDitolak
from macros_py.io.output import pdf
from macros_py.io.output.print_common import CM, workbook_cetak
from macros_py.io.output.print_layout import (
    KELOMPOK,
    SUBTOTAL,
    BarisTabel,
    DataDokumen,
    DataSurat,
    KolomE81,
    Penanda,
    nomor_kolom,
    write_dokumen_sheet,
    write_surat_sheet,
)
from macros_py.io.output.surat_docx import TEMPLATE_BAWAAN, write_surat_docx
from macros_py.schema import muat_skema
from tests.conftest import kata_pdf, teks_terpotong

JAHAT = '=HYPERLINK("http://x")'
JAHAT_DOCX = "=cmd|' /C calc'!A0 <w:t>x</w:t> & {{ nomor }}"
JUDUL = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
NOMOR = "000.7.5/012/Kec-Mkt/2026"
MEDIABOX = {"F4": (935.43, 609.45), "A4": (841.89, 595.28), "A3": (1190.55, 841.89)}  # landscape, points
CATATAN_REVISI = "Versi 2 — koreksi: realisasi TW III Seksi Pelayanan Umum diperbaiki"

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
     "Persentase desa yang menyampaikan laporan APBDes tepat waktu", "%", 100, 1_960_000_000, 72.73, 81.82, 90.91,
     1_384_000_000, "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("Meningkatnya kinerja penyelenggaraan pemerintahan desa", "Fasilitasi penyusunan RKPDes dan APBDes",
     "Jumlah desa yang difasilitasi penyusunan RKPDes", "desa", 11, 25_000_000, 3, 4, 4,
     18_300_000, "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("Terwujudnya ketentraman dan ketertiban umum", "Program Ketentraman dan Ketertiban Umum",
     "Jumlah gangguan trantibum yang tertangani", "kejadian", 12, 40_000_000, 2, 3, 4,
     27_800_000, "Seksi Ketentraman dan Ketertiban Umum"),
    ("Terwujudnya ketentraman dan ketertiban umum", "Koordinasi forum komunikasi pimpinan kecamatan",
     "Jumlah rapat koordinasi Forkopimcam", "kali", 12, 36_000_000, 3, 3, 3,
     27_000_000, "Seksi Ketentraman dan Ketertiban Umum"),
    ("Meningkatnya akuntabilitas kinerja kecamatan", "Program Penunjang Urusan Pemerintahan Daerah",
     "Nilai SAKIP kecamatan", "nilai", 70, 15_000_000, 0, 0, 68.5,
     9_000_000, "Sub Bagian Perencanaan dan Keuangan"),
    ("Meningkatnya kualitas SDM aparatur", "Administrasi kepegawaian perangkat daerah",
     JAHAT, "orang", 28, 8_000_000, 20, 24, 27, 6_100_000, "Sub Bagian Umum dan Kepegawaian"),
]
URUSAN = ("7.01 Kecamatan", "1.05 Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat")


def kolom(kelompok_urusan: bool = False) -> list[KolomE81]:
    """The E.81 column groups exactly as the schema defines them."""
    hasil = []
    for g in muat_skema().sheet("dokumen").ekstra["e81"]:
        if g.get("jika") and not kelompok_urusan:
            continue
        isian = {k: str(v).format(tahun=2026) if k.startswith("judul") else v for k, v in g.items() if k != "jika"}
        hasil.append(KolomE81(**isian))
    return hasil


def _nilai(i: int, b: tuple) -> dict[str, object]:
    sasaran, program, indikator, satuan, target, pagu, tw1, tw2, tw3, rp, unit = b
    realisasi = tw3 if satuan in {"%", "indeks", "nilai"} else tw1 + tw2 + tw3
    return {
        "no": i, "sasaran": sasaran, "kode": f"7.01.0{i % 5 + 1}.2.01.{i:04d}", "program_kegiatan": program,
        "indikator": f"{indikator} ({satuan})", "target_renstra_k": target * 5, "target_renstra_rp": pagu * 5,
        "realisasi_renstra_lalu_k": target * 2, "realisasi_renstra_lalu_rp": pagu * 2, "target_k": target,
        "pagu_rp": pagu, "tw1_k": tw1, "tw1_rp": rp // 3, "tw2_k": tw2, "tw2_rp": rp // 3, "tw3_k": tw3,
        "tw3_rp": rp - 2 * (rp // 3), "realisasi_k": realisasi, "realisasi_rp": rp,
        "capaian_kinerja": round(realisasi / target * 100, 2), "capaian_anggaran": round(rp / pagu * 100, 2),
        "realisasi_renstra_k": target * 2 + realisasi, "realisasi_renstra_rp": pagu * 2 + rp,
        "capaian_renstra_k": round((target * 2 + realisasi) / (target * 5) * 100, 2),
        "capaian_renstra_rp": round((pagu * 2 + rp) / (pagu * 5) * 100, 2), "bidang": unit,
        "keterangan": "Data sementara" if i == 2 else None, "urusan": URUSAN[i % 2],
    }


def data_dokumen(jumlah: int | None = None, **ubah: object) -> DataDokumen:
    sumber = _INDIKATOR * (1 + (jumlah or 0) // len(_INDIKATOR))
    baris = [BarisTabel(_nilai(i, b)) for i, b in enumerate(sumber[: jumlah or len(_INDIKATOR)], start=1)]
    data = DataDokumen(
        pemerintah="PEMERINTAH KABUPATEN LUWU TIMUR",
        unit="KECAMATAN MANGKUTANA",
        alamat="Jl. Poros Trans Sulawesi No. 1, Mangkutana, Kabupaten Luwu Timur, Sulawesi Selatan 92973",
        judul=JUDUL,
        periode_teks="Triwulan III Tahun 2026",
        versi=2,
        kolom=kolom(),
        baris=baris,
        rata_rata={"capaian_kinerja": 87.5, "capaian_anggaran": 71.25, "capaian_renstra_k": 52.1,
                   "capaian_renstra_rp": 48.3},
        predikat={"capaian_kinerja": "Tinggi", "capaian_anggaran": "Sedang"},
        faktor_pendorong=[
            "Dukungan pemerintah desa dan tokoh masyarakat dalam setiap kegiatan pelayanan dan pembinaan, "
            "termasuk penyediaan tempat dan konsumsi rapat koordinasi secara swadaya.",
            "Aplikasi pelayanan administrasi terpadu kecamatan sudah berjalan sehingga waktu layanan lebih singkat.",
        ],
        faktor_penghambat=["Keterlambatan penyampaian laporan APBDes dari dua desa karena pergantian operator."],
        tindak_lanjut_triwulan=["Pendampingan operator Siskeudes desa pada awal Triwulan IV Tahun 2026."],
        tindak_lanjut_renja=["Mengusulkan peningkatan kapasitas jaringan internet kantor dalam Renja Tahun 2027."],
        tempat_tanggal="Mangkutana, 12 Oktober 2026",
        disusun=Penanda("Kepala Sub Bagian Perencanaan dan Keuangan", "Andi Rahmawati, S.E.",
                        "19850312 201001 2 015"),
        dievaluasi=Penanda("Camat Mangkutana", "Zulkifli Adi Saputra, ST", "19840710 201001 1 026"),
        catatan_tabel=["K = kinerja; Rp = anggaran, dalam {rp}."],
    )
    return replace(data, **ubah)


def data_surat(**ubah: object) -> DataSurat:
    data = DataSurat(
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
    return replace(data, **ubah)


def _simpan_dokumen(data: DataDokumen, path: Path):  # type: ignore[no-untyped-def]
    wb = workbook_cetak()
    wb.active.title = "Dokumen"
    tata = write_dokumen_sheet(wb.active, data)
    wb.save(path)
    return tata


def _simpan_surat(data: DataSurat, path: Path) -> None:
    wb = workbook_cetak()
    wb.active.title = "Surat Pengantar"
    write_surat_sheet(wb.active, data)
    wb.save(path)


# ---- PDF reading -----------------------------------------------------------------------------------------------

def _butuh_libreoffice() -> None:
    if not pdf.available() or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice/poppler-utils harus terpasang di CI (jalankan bash scripts/setup.sh)")
        pytest.skip("LibreOffice atau poppler-utils tidak terpasang")


def _teks_pdf(path: Path) -> str:
    keluar = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"[ \t]+", " ", keluar.stdout)


def _halaman_teks(path: Path) -> list[str]:
    return [h for h in _teks_pdf(path).split("\f") if h.strip()]


def _info(path: Path) -> tuple[int, tuple[float, float]]:
    keluar = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    halaman = int(re.search(r"^Pages:\s+(\d+)", keluar, re.MULTILINE).group(1))  # type: ignore[union-attr]
    lebar, tinggi = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", keluar, re.MULTILINE).groups()  # type: ignore[union-attr]
    return halaman, (float(lebar), float(tinggi))


def _kata(path: Path) -> list[tuple[int, str, float, float, float, float]]:
    return kata_pdf(path)


@cache
def _tinggi_per_pt() -> float:
    """The ruler: word height per point of font size, measured on a PDF of 7, 10 and 20 pt text printed by the same
    LibreOffice with the same font, so the document's text size is read off the same way on any machine."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"evkin-penggaris-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    wb = Workbook()
    for baris, ukuran in enumerate((7, 10, 20), start=1):
        wb.active.cell(baris, 1, f"Penggaris{ukuran}").font = Font(name="Arial", size=ukuran)
    wb.save(folder / "penggaris.xlsx")
    kata = {t: yb - ya for _, t, _, ya, _, yb in _kata(pdf.to_pdf(folder / "penggaris.xlsx", folder))}
    rasio = [kata[f"Penggaris{u}"] / u for u in (7, 10, 20)]
    assert max(rasio) - min(rasio) < 0.01, rasio  # word height is proportional to the font size
    shutil.rmtree(folder, ignore_errors=True)
    return sum(rasio) / len(rasio)


def _ukuran_terkecil(path: Path) -> tuple[float, str]:
    """The smallest text on paper (pt) and the word that has it."""
    per_pt = _tinggi_per_pt()
    return min(((yb - ya) / per_pt, t) for _, t, _, ya, _, yb in _kata(path))


# ---- the sheet -------------------------------------------------------------------------------------------------

def test_column_numbers_carry_the_formulas() -> None:
    nomor = nomor_kolom(kolom())
    assert nomor["no"] == "1" and nomor["indikator"] == "4" and nomor["target_renstra"] == "5"
    assert nomor["realisasi"] == "12 = 8 + 9 + 10 + 11"
    assert nomor["capaian"] == "13 = 12/7 x 100%"
    assert nomor["realisasi_renstra"] == "14 = 6 + 12"
    assert nomor["capaian_renstra"] == "15 = 14/5 x 100%"
    dengan_kode = nomor_kolom(kolom(kelompok_urusan=True))  # the Kode column shifts every number by one
    assert dengan_kode["kode"] == "3" and dengan_kode["realisasi_renstra"] == "15 = 7 + 13"
    assert dengan_kode["capaian_renstra"] == "16 = 15/6 x 100%"


def test_every_group_from_target_renstra_to_capaian_is_a_k_and_rp_pair(tmp_path: Path) -> None:
    data = data_dokumen()
    _simpan_dokumen(data, tmp_path / "d.xlsx")
    ws = load_workbook(tmp_path / "d.xlsx")["Dokumen"]
    nilai = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    baris_k = next(i for i, r in enumerate(nilai) if "K" in r)
    sub = [v for v in nilai[baris_k] if v]
    pasangan = [g for g in data.kolom if g.k]
    assert len(pasangan) == 11 and sub.count("K") == len(pasangan)
    assert sum(1 for v in sub if str(v).startswith("Rp")) == len(pasangan)
    judul = [v for v in nilai[baris_k - 1] if v]
    assert judul[judul.index("Target Renstra Perangkat Daerah Akhir Periode"):][:11] == [g.judul for g in pasangan]
    assert "Keterangan" in judul and "Data sementara" in [v for r in nilai for v in r]
    assert [v for v in nilai[baris_k + 1] if v][11] == "12 = 8 + 9 + 10 + 11"


def test_values_only_and_hostile_text_stays_text(tmp_path: Path) -> None:
    _simpan_dokumen(data_dokumen(), tmp_path / "d.xlsx")
    _simpan_surat(data_surat(), tmp_path / "s.xlsx")
    ketemu = 0
    for path in (tmp_path / "d.xlsx", tmp_path / "s.xlsx"):
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} berisi rumus: {cell.value!r}"
                    if cell.value and JAHAT in str(cell.value):
                        assert cell.data_type == "s"
                        ketemu += 1
    assert ketemu == 2


def test_page_setup_f4_landscape_no_print_titles_no_revision_note(tmp_path: Path) -> None:
    tata = _simpan_dokumen(data_dokumen(), tmp_path / "d.xlsx")
    ws = load_workbook(tmp_path / "d.xlsx")["Dokumen"]
    assert ws.page_setup.orientation == "landscape"
    assert (str(ws.page_setup.paperSize), ws.page_setup.paperWidth, ws.page_setup.paperHeight) == (
        "14", "215mm", "330mm")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows is None  # headers are written at each table page by the layout itself
    assert ws.print_area and "Halaman &P dari &N" in ws.oddFooter.right.text
    semua = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "Catatan revisi" not in semua and "koreksi" not in semua
    assert tata.ukuran_tabel >= 7 and tata.skala == 1.0
    assert "jutaan rupiah" in semua or "ribuan rupiah" in semua or "dalam rupiah" in semua


def test_paper_a4_a3_and_rp_unit(tmp_path: Path) -> None:
    for kertas, kode in (("A4", "9"), ("A3", "8")):
        _simpan_dokumen(data_dokumen(kertas=kertas), tmp_path / f"{kertas}.xlsx")
        ws = load_workbook(tmp_path / f"{kertas}.xlsx").active
        assert str(ws.page_setup.paperSize) == kode and ws.page_setup.paperWidth is None
    a3 = _simpan_dokumen(data_dokumen(kertas="A3"), tmp_path / "a3.xlsx")
    f4 = _simpan_dokumen(data_dokumen(), tmp_path / "f4.xlsx")
    assert a3.rp_dalam <= f4.rp_dalam  # more paper, finer rupiah
    penuh = _simpan_dokumen(data_dokumen(rp_dalam=1), tmp_path / "penuh.xlsx")
    assert penuh.rp_dalam == 1
    ws = load_workbook(tmp_path / "penuh.xlsx").active
    assert "1.960.000.000" in [c for r in ws.iter_rows(values_only=True) for c in r]


def test_rewrite_clears_the_sheet() -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=SUM(1,2)"
    write_dokumen_sheet(ws, data_dokumen(12))
    baris_pertama = ws.max_row
    write_dokumen_sheet(ws, data_dokumen(3))
    assert ws.max_row < baris_pertama
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_urusan_groups_with_subtotals(tmp_path: Path) -> None:
    data = data_dokumen(kolom=kolom(kelompok_urusan=True))
    isi = [b.nilai for b in data.baris]
    baris = []
    for urusan in URUSAN:
        milik = [b for b in isi if b["urusan"] == urusan]
        baris += [BarisTabel({}, KELOMPOK, urusan), *(BarisTabel(b) for b in milik),
                  BarisTabel({"pagu_rp": sum(b["pagu_rp"] for b in milik)}, SUBTOTAL, f"Jumlah / rata-rata {urusan}")]
    _simpan_dokumen(replace(data, baris=baris, rp_dalam=1_000), tmp_path / "u.xlsx")
    ws = load_workbook(tmp_path / "u.xlsx").active
    nilai = [c for r in ws.iter_rows(values_only=True) for c in r if c]
    assert "Kode" in nilai and "7.01.02.2.01.0001" in nilai
    assert "Urusan / Bidang Urusan dan Program / Kegiatan / Sub Kegiatan" in nilai
    assert URUSAN[0] in nilai and f"Jumlah / rata-rata {URUSAN[1]}" in nilai
    total = sum(b["pagu_rp"] for b in isi if b["urusan"] == URUSAN[1]) / 1000
    assert f"{total:,.0f}".replace(",", ".") in nilai


# ---- on paper (LibreOffice) ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dokumen_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    _butuh_libreoffice()
    folder = tmp_path_factory.mktemp("dokumen")
    pendorong = [f"Seksi {i}: pendampingan rutin oleh kecamatan berjalan sesuai jadwal bulanan" for i in range(1, 31)]
    tata = _simpan_dokumen(data_dokumen(18, faktor_pendorong=pendorong), folder / "Evaluasi_TW3_2026.xlsx")
    return pdf.to_pdf(folder / "Evaluasi_TW3_2026.xlsx", folder), tata


@pytest.mark.libreoffice
def test_pdf_is_f4_landscape_and_its_smallest_text_is_at_least_7_pt(dokumen_pdf: tuple[Path, object]) -> None:
    hasil, tata = dokumen_pdf
    halaman, (lebar, tinggi) = _info(hasil)
    assert (round(lebar, 1), round(tinggi, 1)) == (935.5, 609.4)  # 330 x 215 mm
    assert halaman == tata.halaman  # LibreOffice broke the pages exactly where the layout did
    ukuran, kata = _ukuran_terkecil(hasil)
    assert ukuran >= 7.0 - 0.05, f"teks terkecil {ukuran:.2f} pt ({kata!r})"
    assert teks_terpotong(hasil) == []  # every row is tall enough for its text
    teks = _teks_pdf(hasil)
    assert JUDUL in teks and "Triwulan III Tahun 2026" in teks and '=HYPERLINK("' in teks  # text, wrapped
    kata = {t for _, t, *_ in _kata(hasil)}
    assert {"12", "8", "+", "11", "15", "14/5", "100%"} <= kata  # "12 = 8 + 9 + 10 + 11", "15 = 14/5 x 100%"
    assert "Rata-rata capaian kinerja (%)" in teks and "Predikat kinerja" in teks
    assert "Catatan revisi" not in teks
    assert f"Halaman 1 dari {halaman}" in teks and f"Halaman {halaman} dari {halaman}" in teks


@pytest.mark.libreoffice
def test_the_7_pt_ruler_sees_a_shrunken_table(tmp_path: Path) -> None:
    """Negative control: full rupiah of a province on A4 cannot fit; the spreadsheet shrinks it, the layout says so,
    and the measure on the PDF finds text below 7 pt — the test above could fail."""
    _butuh_libreoffice()
    data = data_dokumen(rp_dalam=1, kertas="A4")
    data = replace(data, baris=[BarisTabel({**b.nilai, "target_renstra_rp": 987_654_321_000_000}) for b in data.baris])
    tata = _simpan_dokumen(data, tmp_path / "sempit.xlsx")
    assert tata.skala < 1 and tata.ukuran_terkecil < 7
    ukuran, _ = _ukuran_terkecil(pdf.to_pdf(tmp_path / "sempit.xlsx", tmp_path))
    assert ukuran < 7 and ukuran == pytest.approx(tata.ukuran_terkecil, abs=0.35)


@pytest.mark.libreoffice
def test_header_only_on_table_pages_and_signatures_whole_with_3_cm(dokumen_pdf: tuple[Path, object]) -> None:
    hasil, _ = dokumen_pdf
    halaman = _halaman_teks(hasil)
    assert len(halaman) >= 2
    baris_tabel = ("kepuasan", "diterbitkan", "rekomendasi", "menyampaikan", "difasilitasi", "trantibum",
                   "Forkopimcam", "SAKIP", "HYPERLINK", "Rata-rata")  # words only table rows hold
    for teks in halaman:
        assert ("Renstra" in teks) == any(w in teks for w in baris_tabel), teks[:400]
    assert any("Renstra" not in h for h in halaman)  # a page without table rows exists, and has no header
    kata = _kata(hasil)
    for jabatan, nama in (("Keuangan", "Andi"), ("Mangkutana", "Zulkifli")):
        (bawah_nama,) = [(p, ya) for p, t, _, ya, _, _ in kata if t == nama]
        atas = [(p, yb) for p, t, _, _, _, yb in kata if t == jabatan and p == bawah_nama[0] and yb < bawah_nama[1]]
        assert atas, f"{jabatan} tidak di halaman yang sama dengan {nama}"
        ruang = bawah_nama[1] - max(y for _, y in atas)
        assert ruang >= 3 * CM, f"ruang tanda tangan {ruang / CM:.2f} cm"
    ttd = {p for p, t, *_ in kata if t in ("Disusun", "Dievaluasi", "Andi", "Zulkifli", "19850312", "19840710")}
    assert len(ttd) == 1  # both blocks, names and NIP on one page


@pytest.mark.libreoffice
@pytest.mark.parametrize("kertas", ["A4", "A3"])
def test_pdf_paper_a4_and_a3(tmp_path: Path, kertas: str) -> None:
    _butuh_libreoffice()
    tata = _simpan_dokumen(data_dokumen(kertas=kertas), tmp_path / "d.xlsx")
    hasil = pdf.to_pdf(tmp_path / "d.xlsx", tmp_path)
    halaman, ukuran = _info(hasil)
    assert ukuran == pytest.approx(MEDIABOX[kertas], abs=0.6)
    assert halaman == tata.halaman
    ukuran_pdf = _ukuran_terkecil(hasil)[0]
    if tata.skala == 1:  # A3: room to spare
        assert ukuran_pdf >= 6.95
    else:  # A4 is too narrow for the full table at 7 pt: shrunk, and the layout reports it (konsep warns)
        assert ukuran_pdf == pytest.approx(tata.ukuran_terkecil, abs=0.35)
    assert kertas == "A4" or tata.skala == 1


@pytest.mark.libreoffice
def test_kop_logo_is_printed(tmp_path: Path) -> None:
    _butuh_libreoffice()
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 150), (20, 80, 160)).save(logo)
    _simpan_dokumen(data_dokumen(3, logo=logo), tmp_path / "d.xlsx")
    assert len(load_workbook(tmp_path / "d.xlsx").active._images) == 1
    hasil = pdf.to_pdf(tmp_path / "d.xlsx", tmp_path)
    gambar = subprocess.run(["pdfimages", "-list", str(hasil)], capture_output=True, text=True, check=True).stdout
    assert len(gambar.strip().splitlines()) >= 3  # header, rule, one image


@pytest.mark.libreoffice
def test_pdf_surat_pengantar(tmp_path: Path) -> None:
    _butuh_libreoffice()
    _simpan_surat(data_surat(), tmp_path / "Surat_Pengantar.xlsx")
    hasil = pdf.to_pdf(tmp_path / "Surat_Pengantar.xlsx", tmp_path)
    teks = _teks_pdf(hasil)
    assert "SURAT PENGANTAR" in teks and f"Nomor: {NOMOR}" in teks and "TANDA TERIMA" in teks and JAHAT in teks
    halaman, ukuran = _info(hasil)
    assert halaman == 1 and ukuran == pytest.approx((609.45, 935.43), abs=0.6)  # F4 portrait
    kata = _kata(hasil)
    (nama,) = [ya for _, t, _, ya, _, _ in kata if t == "Zulkifli"]
    jabatan = max(yb for _, t, _, _, _, yb in kata if t == "Mangkutana," and yb < nama)
    assert nama - jabatan >= 3 * CM
    assert _ukuran_terkecil(hasil)[0] >= 7.0 - 0.05


# ---- PDF helper failures -----------------------------------------------------------------------------------------

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


# ---- the Word letter ---------------------------------------------------------------------------------------------

def _teks_docx(path: Path) -> tuple[str, list[str]]:
    doc = Document(str(path))
    sel = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(sel), sel


def test_surat_docx_from_the_shipped_template(tmp_path: Path) -> None:
    data = data_surat()
    hasil = write_surat_docx(data, tmp_path / "Surat_Pengantar.docx")
    semua, sel = _teks_docx(hasil)
    assert NOMOR in semua and data.tujuan in semua and "SURAT PENGANTAR" in semua
    assert "{{" not in semua.replace(JAHAT_DOCX, "") and "{%" not in semua
    for jenis, banyaknya, keterangan in data.daftar:
        assert jenis in sel and str(banyaknya) in sel and keterangan in sel
    assert JAHAT_DOCX in sel and JAHAT in sel  # tags and markup stay literal text
    bagian = Document(str(hasil)).sections[0]
    assert (round(bagian.page_width.mm), round(bagian.page_height.mm)) == (215, 330)
    assert len(Document(str(hasil)).inline_shapes) == 0  # no logo configured: nothing in its place
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 150), (20, 80, 160)).save(logo)
    a4 = write_surat_docx(data_surat(kertas="A4", logo=logo), tmp_path / "a4.docx")
    assert round(Document(str(a4)).sections[0].page_height.mm) == 297
    (gambar,) = Document(str(a4)).inline_shapes
    assert round(gambar.height.mm) == 22


def test_shipped_template_is_a_file_with_every_placeholder() -> None:
    assert TEMPLATE_BAWAAN.is_file()
    semua, sel = _teks_docx(TEMPLATE_BAWAAN)
    for tag in ("{{ pemerintah|upper }}", "{{ unit|upper }}", "{{ alamat }}", "{{ logo }}", "{{ tempat_tanggal }}",
                "Yth. {{ tujuan }}", "{{ alamat_tujuan }}", "Nomor: {{ nomor }}", "{{ jabatan }}", "{{ nama }}",
                "NIP. {{ nip }}"):
        assert tag in semua, tag
    assert any("{%tr for d in daftar %}" in s for s in sel) and any("{{ d.jenis }}" in s for s in sel)


def test_an_offices_own_template_and_a_broken_one(tmp_path: Path) -> None:
    from docxtpl import DocxTemplate  # noqa: F401  (the template below is plain python-docx with jinja tags)

    sendiri = tmp_path / "kop_kantor.docx"
    doc = Document()
    doc.add_paragraph("KOP KANTOR SENDIRI {{ unit }}")
    doc.add_paragraph("Nomor {{ nomor }} untuk {{ tujuan }}")
    doc.save(str(sendiri))
    hasil = write_surat_docx(data_surat(), tmp_path / "s.docx", sendiri)
    semua, _ = _teks_docx(hasil)
    assert f"Nomor {NOMOR} untuk" in semua and "KOP KANTOR SENDIRI Kecamatan Mangkutana" in semua
    rusak = tmp_path / "rusak.docx"
    doc = Document()
    doc.add_paragraph("{{ nomor ")
    doc.save(str(rusak))
    with pytest.raises(InputDitolak, match=re.escape("rusak.docx tidak dapat dipakai")):
        write_surat_docx(data_surat(), tmp_path / "x.docx", rusak)
    assert not (tmp_path / "x.docx").exists()
