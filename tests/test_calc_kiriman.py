"""Issue 15 end to end: distributed templates filled by TYPING into LibreOffice Calc (tests/libreoffice_calc.py), as
bidang staff do, then collected with `evkin himpun`; what lands in the master is read from the saved master.

One Calc session fills every file once (module fixture); each test collects on a fresh copy of the prepared
master (steps 1–4 done, `conftest._templat_siap`). The bidang is Seksi Pelayanan Umum: three indicators in rows
9–11, the first a percent indicator with target 95 (N9).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import sha256
from tests.libreoffice_calc import Calc

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

SHEET = "Seksi Pelayanan Umum"
PATEN = "Persentase layanan PATEN yang selesai tepat waktu"
#: The realisasi a Kasi types (id-ID), besides the TW III (K) of the first indicator in T9.
KETIKAN = [("U9", "9.000.000"), ("T10", "296"), ("T11", "83,1"), ("X9", "Layanan keliling ke desa")]


@dataclass(frozen=True)
class Berkas:
    persen_berformat: Path  # 97 typed into T9 formatted as percent (the screen shows 97%); 60 into the locked N9
    persen_angka: Path  # "97%" typed into T9 as distributed (number format)
    target_diubah: Path  # protection switched off, target N9 typed as 60
    kosong: Path  # the template opened and saved again, nothing typed
    baris_dihapus: Path  # protection off, T9 typed as 96, empty rows 15-20 deleted
    galat: Path  # "=1/0" typed into T10 and Y9, "=> Pemadanan data" (a formula to Calc) into X9
    petik: Path  # "'=> Pemadanan data" typed into X9: the apostrophe keeps it text, and stays in the file
    tanggal: Path  # "06/10/2026" typed into T10 (a count): Calc stores the date's serial number
    digabung: Path  # protection off, T10:T11 merged (Format > Merge Cells)
    ods: Path  # filled and saved as OpenDocument (.ods), as a Calc user who keeps Calc's own format does


@pytest.fixture(scope="module")
def berkas(calc: Calc, _templat_siap: Path, tmp_path_factory: pytest.TempPathFactory) -> Berkas:
    folder = tmp_path_factory.mktemp("calc_kiriman")
    template = next((_templat_siap / "format").glob("*_PELAYANAN.xlsx"))
    assert load_workbook(template)[SHEET]["N9"].value == 95
    persen = folder / "template_persen.xlsx"
    wb = load_workbook(template)
    wb[SHEET]["T9"].number_format = "0%"  # the Kasi formatted the cell as percent (Format Cells > Percent)
    wb.save(persen)

    def isi(asal: Path, nama: str, *ketik: tuple[str, str], **opsi: object) -> Path:
        sub = folder / nama
        tujuan = sub / template.name if opsi.get("format") != "ods" else sub / f"{template.stem}.ods"
        diisi = calc.fill(asal, tujuan, typed=[(SHEET, sel, teks) for sel, teks in ketik],
                          **opsi)  # type: ignore[arg-type]
        if asal == persen:  # Calc appends the % sign in a percent cell as the digits are typed
            assert diisi.shown(SHEET, "T9") == "97%"
        return diisi.path

    return Berkas(
        persen_berformat=isi(persen, "persen_berformat", ("T9", "97"), *KETIKAN, ("N9", "60")),
        persen_angka=isi(template, "persen_angka", ("T9", "97%"), *KETIKAN),
        target_diubah=isi(template, "target_diubah", ("N9", "60"), ("T9", "97"), *KETIKAN, unprotect=[SHEET]),
        kosong=isi(template, "kosong"),
        baris_dihapus=isi(template, "baris_dihapus", ("T9", "96"), *KETIKAN, unprotect=[SHEET],
                          delete_rows=[(SHEET, 15, 20)]),
        galat=isi(template, "galat", ("T9", "97"), *KETIKAN, ("T10", "=1/0"), ("Y9", "=1/0"),
                  ("X9", "=> Pemadanan data")),
        petik=isi(template, "petik", ("T9", "97"), *KETIKAN, ("X9", "'=> Pemadanan data")),
        tanggal=isi(template, "tanggal", ("T9", "97"), *KETIKAN, ("T10", "06/10/2026")),
        digabung=isi(template, "digabung", ("T9", "97"), *KETIKAN, unprotect=[SHEET], merge=[(SHEET, "T10:T11")]),
        ods=isi(template, "ods", ("T9", "97"), *KETIKAN, format="ods"),
    )


@pytest.fixture
def induk(_templat_siap: Path, tmp_path: Path) -> Path:
    master = tmp_path / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(_templat_siap / "Evaluasi_Kinerja.xlsx", master)
    return master


def _himpun(evkin, master: Path, path: Path, waktu: str = "2026-10-06T09:00", *opsi: str):
    return evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", waktu, "himpun", *opsi, path)


def _ditolak(evkin, master: Path, path: Path, waktu: str = "2026-10-06T09:00"):
    sebelum = sha256(master)
    hasil = _himpun(evkin, master, path, waktu)
    assert hasil.kode == 3, hasil
    assert sha256(master) == sebelum
    return hasil


def _rekap(master: Path) -> dict[str, dict]:
    ws = load_workbook(master)["Rekap"]
    judul = [c.value for c in ws[4]]
    baris = [dict(zip(judul, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    return {r["Indikator Kinerja"]: r for r in baris}


def test_a_percent_typed_into_a_percent_formatted_cell_lands_as_the_points_seen(berkas: Berkas, induk: Path,
                                                                                evkin) -> None:
    hasil = _himpun(evkin, induk, berkas.persen_berformat)
    assert hasil.kode == 0, hasil.galat
    assert "sel T9" in hasil.keluar and "dibaca sebagai 97" in hasil.keluar  # the warning names the cell
    rekap = _rekap(induk)
    assert rekap[PATEN]["Realisasi TW III (K)"] == 97
    assert rekap[PATEN]["Realisasi TW III (Rp)"] == 9000000
    assert rekap["Indeks Kepuasan Masyarakat (IKM) layanan kecamatan"]["Realisasi TW III (K)"] == 83.1
    penerimaan = [r for r in load_workbook(induk)["Penerimaan"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert penerimaan[-1][5] == "Diterima dengan catatan"


def test_a_percent_typed_into_a_number_cell_of_a_percent_indicator_is_refused(berkas: Berkas, induk: Path,
                                                                             evkin) -> None:
    hasil = _ditolak(evkin, induk, berkas.persen_angka)
    assert "sel T9" in hasil.galat and "ketik 97, tanpa tanda %" in hasil.galat


def test_a_lowered_target_is_refused_by_calc_and_by_the_comparison_when_typed_anyway(
        berkas: Berkas, induk: Path, evkin) -> None:
    # typed into the locked cell of the protected template: Calc refused it, the cell kept its value
    assert load_workbook(berkas.persen_berformat)[SHEET]["N9"].value == 95
    # typed after switching the protection off: the intake compares it with Daftar Indikator
    assert load_workbook(berkas.target_diubah)[SHEET]["N9"].value == 60
    hasil = _ditolak(evkin, induk, berkas.target_diubah)
    assert ("sel N9: Target Tahun Ini (K) di Daftar Indikator 95, di berkas 60 (indikator "
            f"'{PATEN}'); perubahan Target Tahun Ini (K) dilakukan Kasubag di Daftar Indikator") in hasil.galat
    salinan = induk.parent / "perbaikan" / berkas.target_diubah.name
    assert "di berkas 60" in load_workbook(salinan)[SHEET]["N9"].comment.text


def test_the_blank_template_saved_again_after_an_accepted_file_is_refused_as_blanking(
        berkas: Berkas, induk: Path, evkin) -> None:
    assert _himpun(evkin, induk, berkas.persen_berformat).kode == 0
    hasil = _ditolak(evkin, induk, berkas.kosong, "2026-10-06T10:00")
    for sel in ("T9", "U9", "T10", "T11", "X9"):
        assert f"sel {sel}: " in hasil.galat and "kiriman yang diterima 06-10-2026 09:00" in hasil.galat
    assert f"Realisasi TW III (K) indikator '{PATEN}': kiriman yang diterima 06-10-2026 09:00 berisi 97" \
           in hasil.galat
    assert _rekap(induk)[PATEN]["Realisasi TW III (K)"] == 97


def test_rows_deleted_after_unprotecting_are_accepted_when_the_data_is_intact(berkas: Berkas, induk: Path,
                                                                              evkin) -> None:
    hasil = _himpun(evkin, induk, berkas.baris_dihapus)
    assert hasil.kode == 0, hasil.galat
    rekap = _rekap(induk)
    assert rekap[PATEN]["Realisasi TW III (K)"] == 96
    assert rekap["Jumlah dokumen layanan PATEN yang diterbitkan"]["Realisasi TW III (K)"] == 296


def test_an_identical_resend_is_reported_identical(berkas: Berkas, induk: Path, evkin) -> None:
    assert _himpun(evkin, induk, berkas.persen_berformat).kode == 0
    sebelum = sha256(induk)
    lagi = _himpun(evkin, induk, berkas.persen_berformat, "2026-10-06T11:00")
    assert lagi.kode == 0, lagi.galat
    assert "identik dengan kiriman 06-10-2026 09:00" in lagi.keluar
    assert sha256(induk) == sebelum


def test_error_cells_typed_in_calc_are_refused_by_name(berkas: Berkas, induk: Path, evkin) -> None:
    # the template's validity check (a number >= 0) made Calc refuse the formula in the realisasi cell
    assert load_workbook(berkas.galat)[SHEET]["T10"].value == 296
    hasil = _ditolak(evkin, induk, berkas.galat)
    assert "sel Y9" in hasil.galat and "nilai galat #DIV/0!" in hasil.galat  # a text column has no such check
    assert "sel X9" in hasil.galat and "nilai galat #VALUE!" in hasil.galat  # "=> ..." became a failed formula


def test_a_leading_apostrophe_that_calc_keeps_does_not_reach_the_master(berkas: Berkas, induk: Path,
                                                                        evkin) -> None:
    assert load_workbook(berkas.petik)[SHEET]["X9"].value == "'=> Pemadanan data"  # what Calc saved
    hasil = _himpun(evkin, induk, berkas.petik)
    assert hasil.kode == 0, hasil.galat
    assert "=> Pemadanan data" in _rekap(induk)[PATEN].values()
    assert "'=> Pemadanan data" not in _rekap(induk)[PATEN].values()


def test_a_date_typed_into_a_count_cell_is_accepted_with_a_warning_that_says_so(berkas: Berkas, induk: Path,
                                                                                 evkin) -> None:
    hasil = _himpun(evkin, induk, berkas.tanggal)
    assert hasil.kode == 0, hasil.galat
    assert "sel T10" in hasil.keluar and "tanggal 06-10-2026" in hasil.keluar
    penerimaan = [r for r in load_workbook(induk)["Penerimaan"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert penerimaan[-1][5] == "Diterima dengan catatan"


def test_cells_merged_in_calc_are_refused_naming_the_range(berkas: Berkas, induk: Path, evkin) -> None:
    hasil = _ditolak(evkin, induk, berkas.digabung)
    assert "sel T10:T11 digabung (merge)" in hasil.galat


def test_a_file_named_for_another_bidang_is_accepted_as_its_own_with_a_warning(berkas: Berkas, induk: Path,
                                                                               evkin, tmp_path: Path) -> None:
    nama = berkas.persen_berformat.name.replace("_PELAYANAN", "_PEM")
    assert nama != berkas.persen_berformat.name
    salah = Path(shutil.copyfile(berkas.persen_berformat, tmp_path / nama))
    hasil = _himpun(evkin, induk, salah)
    assert hasil.kode == 0, hasil.galat
    assert "nama berkas menyebut bidang PEM, tetapi identitas template di dalamnya bidang PELAYANAN" in hasil.keluar
    assert _rekap(induk)[PATEN]["Bidang"] == SHEET


def test_a_file_kept_as_ods_is_refused_saying_how_to_save_it(berkas: Berkas, induk: Path, evkin) -> None:
    """The distributed format is .xlsx; Calc's own format is refused with what to do, the master untouched."""
    assert berkas.ods.suffix == ".ods"
    hasil = _ditolak(evkin, induk, berkas.ods)
    assert f"{berkas.ods.name}: format OpenDocument (.ods); simpan ulang sebagai .xlsx" in hasil.galat
