"""Earlier triwulan come from the sealed record (issue 15): TW3 after a sealed TW2 record refuses a silent change
of TW II realisasi and accepts a recorded correction, which the document shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from macros_py.aksi.demo import data_contoh, isi_format
from macros_py.domain.capaian import analisa_indikator
from macros_py.domain.tersegel import (
    baca_triwulan,
    bawa_realisasi,
    kunci_indikator,
    renstra_dibawa,
    triwulan_dibawa,
)
from macros_py.schema import muat_skema
from tests.conftest import sha256, tanpa_contoh

PEM = "Jumlah desa yang mendapat pembinaan administrasi pemerintahan"
LPPDES = "Persentase desa yang menyampaikan LPPDes tepat waktu"
TW2 = {PEM: {"tw1_k": 3, "tw1_rp": 14000000, "tw2_k": 4, "tw2_rp": 16000000},
       LPPDES: {"tw1_k": 0, "tw2_k": 72.7, "tw2_rp": 9000000}}
TAHUN_2025 = {PEM: {f"tw{t}_k": 2 for t in (1, 2, 3, 4)} | {f"tw{t}_rp": 10000000 for t in (1, 2, 3, 4)}}
TW3 = {PEM: {"tw3_k": 3, "tw3_rp": 15500000, "faktor_pendorong": "Dukungan kepala desa"},
       LPPDES: {"tw3_k": 81.8, "tw3_rp": 4000000}}


@pytest.mark.parametrize(("lama", "baru", "dibawa"), [
    ("TW2", "TW3", (1, 2)), ("TW1", "TW2", (1,)), ("TW3", "TW4", (1, 2, 3)), ("S1", "S2", (1, 2)),
    ("TW4", "TAHUNAN", (1, 2, 3)), ("TW2", "TW2", (1,)), ("TW3", "TW1", ()), ("TW1", "S1", (1,)),
])
def test_the_triwulan_a_period_takes_from_a_record_of_the_same_year(lama: str, baru: str, dibawa: tuple) -> None:
    assert triwulan_dibawa(2026, lama, 2026, baru) == dibawa
    assert triwulan_dibawa(2025, lama, 2026, baru) == ()  # another year: nothing


@pytest.mark.parametrize(("tahun", "periode", "dibawa"), [
    (2025, "TAHUNAN", True), (2025, "TW4", True), (2025, "TW3", False), (2025, "S2", True), (2024, "TAHUNAN", False),
    (2026, "TAHUNAN", False), (2025, "lain", False),
])
def test_renstra_s_d_tahun_lalu_comes_from_the_record_closing_the_year_before(tahun: int, periode: str,
                                                                              dibawa: bool) -> None:
    assert renstra_dibawa(tahun, periode, 2026) is dibawa


def test_the_konfigurasi_value_and_the_carried_rows() -> None:
    assert baca_triwulan("1,2") == (1, 2) and baca_triwulan(" 2; 1 ,9,x") == (1, 2) and baca_triwulan(None) == ()
    daftar = [{"kode_bidang": "PEM", "indikator": "A", "tw1_k": None}, {"kode_bidang": "PEM", "indikator": ""},
              {"kode_bidang": "PEM", "indikator": "B", "tw1_k": 9}, {"kode_bidang": "KESOS", "indikator": "A"}]
    rekap = {kunci_indikator("PEM", 1, "a"): {"tw1_k": 3}, kunci_indikator("PEM", 2, "B"): {"tw1_k": 5},
             kunci_indikator("KESOS", 2, "A"): {"tw1_k": 7}}
    baris, ketemu = bawa_realisasi(daftar, rekap, {"tw1_k": "tw1_k"})
    assert [d.get("tw1_k") for d in baris] == [3, None, 5, None] and ketemu == 2
    baris, _ = bawa_realisasi(daftar, {kunci_indikator("PEM", 1, "a"): {"s_d_tahun_ini": 40}},
                              {"s_d_lalu": "s_d_tahun_ini"})
    assert baris[0]["s_d_lalu"] == 40 and "s_d_lalu" not in baris[2]


def _cli(evkin, master: Path, waktu: str, *args: object, sebagai: str = "kasubag"):  # type: ignore[no-untyped-def]
    return evkin("--workbook", master, "--sebagai", sebagai, "--waktu", waktu, *args)


def _siapkan(evkin, folder: Path, periode: str, lanjut: Path | None = None,  # type: ignore[no-untyped-def]
             tahun: int = 2026) -> Path:
    """A master of `periode` `tahun` through steps 1–4 (its indicator list typed in, or carried with --lanjut)."""
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork

    master = folder / "Evaluasi_Kinerja.xlsx"
    folder.mkdir(parents=True)
    assert _cli(evkin, master, "2026-07-01T07:30", "init", "--tahun", str(tahun), "--periode", periode,
                *(["--lanjut", lanjut] if lanjut else [])).kode == 0
    if lanjut is None:
        with FileUnitOfWork(master) as uow:
            write_table(uow.book, muat_skema().tabel("indikator"), data_contoh()["indikator"])
            uow.commit()
    for waktu, args in (("2026-07-01T08:00", ("disposisi", "--isi", "Susun evaluasi")),
                        ("2026-07-01T08:30", ("format",)), ("2026-07-01T09:00", ("distribusi",)),
                        ("2026-07-01T10:00", ("rapat", "--peserta", "PEM=Andi", "--kesimpulan", "Sepakat"))):
        hasil = _cli(evkin, master, waktu, *args)
        assert hasil.kode == 0, hasil.galat
    return master


def _format(master: Path, kode: str, ke: Path) -> Path:
    asal = next((master.parent / "format_bidang").glob(f"*_{kode}.xlsx"))
    ke.parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(asal, ke))


def _rekaman(folder: Path, periode: str, tahun: int, isian: dict, analisa: bool = False) -> Path:
    """A sealed record: PEM's realisasi accepted (and analysed), the period closed, its frozen workbook in a sealed
    folder (what step 11 leaves; made here without the signing steps)."""
    from macros_py.aksi.langkah import tulis_pengaturan
    from macros_py.cli import main
    from macros_py.io.arsip.seal import freeze_workbook, write_manifest
    from macros_py.io.unit_of_work import FileUnitOfWork

    def evkin(*args: object):  # type: ignore[no-untyped-def]
        from tests.conftest import Hasil

        return Hasil(main([str(a) for a in args]), "", "")

    master = _siapkan(evkin, folder / "kerja", periode, tahun=tahun)
    kiriman = _format(master, "PEM", folder / "kiriman" / f"Format_EvKin_{tahun}_{periode}_PEM.xlsx")
    isi_format(kiriman, isian, muat_skema())
    perintah = [["himpun", str(kiriman)]] + ([["langkah", "selesai", "5", "--ya"], ["analisa"]] if analisa else [])
    for args in perintah:
        assert main(["--workbook", str(master), "--sebagai", "kasubag", "--waktu", "2026-07-02T09:00", *args]) == 0
    with FileUnitOfWork(master) as uow:  # the period closed, as step 11 does
        tulis_pengaturan(uow.book, muat_skema(), {"periode_ditutup": "2026-07-10 10:00:00"})
        uow.commit()
    arsip = folder / "arsip" / f"{tahun}-{periode}"
    arsip.mkdir(parents=True)
    freeze_workbook(master, arsip / f"Evaluasi_Kinerja_{tahun}_{periode}_ARSIP.xlsx")
    write_manifest(arsip, {"tahun": tahun, "periode": periode})
    return arsip


@pytest.fixture(scope="module")
def arsip_tw2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sealed TW2 record of 2026."""
    return _rekaman(tmp_path_factory.mktemp("tw2"), "TW2", 2026, TW2)


@pytest.fixture(scope="module")
def arsip_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sealed record that closed 2025 (TAHUNAN, analysed: Rekap holds Realisasi Renstra s.d. 2025)."""
    return _rekaman(tmp_path_factory.mktemp("thn"), "TAHUNAN", 2025, TAHUN_2025, analisa=True)


def _daftar(master: Path) -> dict[str, dict]:
    ws = load_workbook(master)["Daftar Indikator"]
    judul = [c.value for c in ws[4]]
    return {r[6]: dict(zip(judul, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}


def test_a_sealed_record_s_realisasi_are_carried_locked_and_kept(arsip_tw2: Path, tmp_path: Path, evkin) -> None:
    master = _siapkan(evkin, tmp_path / "tw3", "TW3", lanjut=arsip_tw2)
    wb = load_workbook(master)
    pengaturan = {r[0]: r[1] for r in wb["Konfigurasi"].iter_rows(min_row=4, max_col=2, values_only=True) if r[0]}
    assert pengaturan["triwulan_tersegel"] == "1,2"
    assert pengaturan["rekaman_tersegel"].startswith("Evaluasi_Kinerja_2026_TW2_ARSIP.xlsx (sha256 ")
    daftar = _daftar(master)
    assert (daftar[PEM]["Realisasi TW I (K)"], daftar[PEM]["Realisasi TW II (K)"]) == (3, 4)
    assert daftar[PEM]["Realisasi TW III (K)"] is None
    log = [r[6] for r in wb["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert any("realisasi TW 1,2 dari rekaman tersegel Evaluasi_Kinerja_2026_TW2_ARSIP.xlsx" in str(r) for r in log)
    templat = load_workbook(next((master.parent / "format_bidang").glob("*_PEM.xlsx"))).worksheets[0]
    assert [templat[f"{c}9"].value for c in "PQRS"] == [3, 14000000, 4, 16000000]  # TW I, TW II: from the record
    assert all(templat[f"{c}9"].protection.locked for c in "PQRS")
    assert not templat["T9"].protection.locked and not templat["U9"].protection.locked  # TW III: the bidang's

    # TW III typed only: accepted, TW I and II as sealed
    isi = _format(master, "PEM", tmp_path / "kiriman" / "Format_EvKin_2026_TW3_PEM.xlsx")
    isi_format(isi, TW3, muat_skema())
    hasil = _cli(evkin, master, "2026-07-02T09:00", "himpun", isi)
    assert hasil.kode == 0, hasil.galat
    rekap = {r[6]: r for r in load_workbook(master)["Rekap"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rekap[PEM][16:22] == (3, 14000000, 4, 16000000, 3, 15500000)


def test_a_changed_earlier_triwulan_is_refused_until_the_kasubag_records_the_correction(
        arsip_tw2: Path, tmp_path: Path, evkin) -> None:
    master = _siapkan(evkin, tmp_path / "tw3", "TW3", lanjut=arsip_tw2)
    tanpa_contoh(master)  # real names in Konfigurasi: the document (step 7) refuses the sample ones
    isi = _format(master, "PEM", tmp_path / "kiriman" / "Format_EvKin_2026_TW3_PEM.xlsx")
    isi_format(isi, TW3, muat_skema())
    wb = load_workbook(isi)
    wb.worksheets[0]["R9"] = 5  # TW II (K) rewritten, the protection switched off
    wb.save(isi)
    sebelum = sha256(master)
    hasil = _cli(evkin, master, "2026-07-02T09:00", "himpun", isi)
    assert hasil.kode == 3 and sha256(master) == sebelum
    assert (f"sel R9: Realisasi TW II (K) menurut rekaman tersegel periode lalu 4, di berkas 5 (indikator '{PEM}')"
            in hasil.galat)
    assert "evkin koreksi-realisasi --bidang PEM --no 1 --kolom tw2_k --nilai 5 --alasan" in hasil.galat

    assert _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1", "--kolom",
                "tw2_k", "--nilai", "5", "--alasan", "").kode == 2  # a reason is required
    assert _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1", "--kolom",
                "tw3_k", "--nilai", "5", "--alasan", "x").kode == 2  # TW III is not sealed
    ditolak = _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1",
                   "--kolom", "tw2_k", "--nilai", "5", "--alasan", "x", sebagai="kasi_pem")
    assert ditolak.kode == 4 and sha256(master) == sebelum
    koreksi = _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1", "--kolom",
                   "tw2_k", "--nilai", "5", "--alasan", "Laporan TW II salah ketik")
    assert koreksi.kode == 0, koreksi.galat
    assert f"Koreksi dicatat: Seksi Pemerintahan No 1 '{PEM}', Realisasi TW II (K): 4 -> 5." in koreksi.keluar
    wb = load_workbook(master)
    tercatat = [r for r in wb["Koreksi Realisasi"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[1:] for r in tercatat] == [("Seksi Pemerintahan", 1, PEM, "Realisasi TW II (K)", 4, 5,
                                          "Laporan TW II salah ketik", "Nama Kasubag Perencanaan (kasubag)")]
    assert any(r[5] == "koreksi-realisasi" and "4 -> 5" in r[6]
               for r in wb["Log"].iter_rows(min_row=5, values_only=True) if r[0])
    assert _daftar(master)[PEM]["Realisasi TW II (K)"] == 5

    diterima = _cli(evkin, master, "2026-07-02T11:00", "himpun", isi)  # the same file, now as recorded
    assert diterima.kode == 0, diterima.galat
    rekap = {r[6]: r for r in load_workbook(master)["Rekap"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rekap[PEM][18] == 5  # Realisasi TW II (K)

    # the document lists the correction and marks the indicator
    for waktu, args in (("2026-07-02T12:00", ("langkah", "selesai", "5", "--ya")),
                        ("2026-07-02T13:00", ("analisa",)), ("2026-07-03T08:00", ("konsep",))):
        hasil = _cli(evkin, master, waktu, *args)
        assert hasil.kode == 0, hasil.galat
    teks = [str(c.value) for r in load_workbook(master)["Dokumen"].iter_rows() for c in r if c.value]
    assert any(t.startswith("Koreksi realisasi yang sudah disahkan (rekaman tersegel") for t in teks)
    assert (f"Seksi Pemerintahan, {PEM}: Realisasi TW II (K) 4 menjadi 5; alasan: Laporan TW II salah ketik "
            "(Nama Kasubag Perencanaan (kasubag), 02-07-2026).") in teks
    assert "koreksi Realisasi TW II (K) 4 menjadi 5" in teks


def test_a_correction_of_a_collected_row_brings_its_analysis_in_rekap_along(arsip_tw2: Path, tmp_path: Path,
                                                                            evkin) -> None:
    """Rekap's analysis columns are written with each row (issue 19): a correction of a row already collected
    leaves no stale capaian behind."""
    master = _siapkan(evkin, tmp_path / "tw3", "TW3", lanjut=arsip_tw2)
    isi = _format(master, "PEM", tmp_path / "kiriman" / "Format_EvKin_2026_TW3_PEM.xlsx")
    isi_format(isi, TW3, muat_skema())
    assert _cli(evkin, master, "2026-07-02T09:00", "himpun", isi).kode == 0
    koreksi = _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1", "--kolom",
                   "tw2_k", "--nilai", "5", "--alasan", "Laporan TW II salah ketik")
    assert koreksi.kode == 0, koreksi.galat
    tabel = muat_skema().tabel("rekap")
    rekap = [dict(zip(tabel.keys, r, strict=False)) for r in load_workbook(master)["Rekap"].iter_rows(
        min_row=tabel.baris_data, values_only=True) if r[0]]
    [baris] = [r for r in rekap if r["indikator"] == PEM]
    segar = analisa_indikator(baris, "TW3")
    assert baris["tw2_k"] == 5 and baris["realisasi_k"] == segar["realisasi_k"] == 3 + 5 + 3
    assert baris["capaian_kinerja"] == segar["capaian_kinerja"]


def test_a_broken_seal_or_an_open_period_carries_no_realisasi(arsip_tw2: Path, tmp_path: Path, evkin) -> None:
    rusak = tmp_path / "rusak"
    shutil.copytree(arsip_tw2, rusak)
    beku = next(rusak.glob("*_ARSIP.xlsx"))
    beku.chmod(0o644)
    beku.write_bytes(beku.read_bytes() + b"\0")
    hasil = _cli(evkin, tmp_path / "m.xlsx", "2026-07-01T07:30", "init", "--tahun", "2026", "--periode", "TW3",
                 "--lanjut", rusak)
    assert hasil.kode == 3 and "tidak utuh" in hasil.galat and not (tmp_path / "m.xlsx").exists()
    # a workbook of a period not yet closed is no record: the list comes along, the realisasi do not
    terbuka = tmp_path / "terbuka.xlsx"
    wb = load_workbook(next(arsip_tw2.glob("*_ARSIP.xlsx")))
    for r in wb["Konfigurasi"].iter_rows(min_row=4, max_col=2):
        if r[0].value == "periode_ditutup":
            r[1].value = None
    wb.save(terbuka)
    master = tmp_path / "baru.xlsx"
    assert _cli(evkin, master, "2026-07-01T07:30", "init", "--tahun", "2026", "--periode", "TW3",
                "--lanjut", terbuka).kode == 0
    daftar = _daftar(master)
    assert PEM in daftar and daftar[PEM]["Realisasi TW II (K)"] is None


def test_a_new_year_takes_renstra_s_d_tahun_lalu_from_the_record_that_closed_the_last(
        arsip_2025: Path, tmp_path: Path, evkin) -> None:
    """Realisasi Renstra s.d. tahun lalu is the record's Renstra s.d. its year: carried, locked, corrected only
    with a recorded reason; an indicator the record lacks is left for the Kasubag to fill."""
    beku = load_workbook(next(arsip_2025.glob("*_ARSIP.xlsx")), data_only=True)["Rekap"]
    judul = [c.value for c in beku[4]]
    rekap = {r[judul.index("Indikator Kinerja")]: dict(zip(judul, r, strict=True))
             for r in beku.iter_rows(min_row=5, values_only=True) if r[0]}
    k, rp = rekap[PEM]["Realisasi Renstra s.d. Tahun Ini (K)"], rekap[PEM]["Realisasi Renstra s.d. Tahun Ini (Rp)"]
    assert (k, rp) == (30 + 8, 170000000 + 40000000)  # the 2025 list's s.d. 2024 plus 2025's realisasi

    master = _siapkan(evkin, tmp_path / "2026", "TW1", lanjut=arsip_2025)
    wb = load_workbook(master)
    pengaturan = {r[0]: r[1] for r in wb["Konfigurasi"].iter_rows(min_row=4, max_col=2, values_only=True) if r[0]}
    assert pengaturan["renstra_tersegel"].startswith("Evaluasi_Kinerja_2025_TAHUNAN_ARSIP.xlsx (sha256 ")
    assert not pengaturan.get("triwulan_tersegel")  # another year: no triwulan come along
    daftar = _daftar(master)
    assert (daftar[PEM]["Realisasi Renstra s.d. Tahun Lalu (K)"],
            daftar[PEM]["Realisasi Renstra s.d. Tahun Lalu (Rp)"]) == (k, rp)
    lain = [d for n, d in daftar.items() if n not in rekap]
    assert lain and all(d["Realisasi Renstra s.d. Tahun Lalu (K)"] is None for d in lain)  # not 2024's figure
    log = [str(r[6]) for r in wb["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert any("Realisasi Renstra s.d. Tahun Lalu dari rekaman tersegel Evaluasi_Kinerja_2025_TAHUNAN_ARSIP.xlsx"
               in r for r in log)
    templat = load_workbook(next((master.parent / "format_bidang").glob("*_PEM.xlsx"))).worksheets[0]
    assert (templat["L9"].value, templat["L9"].protection.locked) == (k, True)

    koreksi = _cli(evkin, master, "2026-07-02T10:00", "koreksi-realisasi", "--bidang", "PEM", "--no", "1", "--kolom",
                   "realisasi_renstra_lalu_k", "--nilai", "37", "--alasan", "Rekap TAHUNAN 2025 dihitung ganda")
    assert koreksi.kode == 0, koreksi.galat
    wb = load_workbook(master)
    assert _daftar(master)[PEM]["Realisasi Renstra s.d. Tahun Lalu (K)"] == 37
    assert any(r[5] == "koreksi-realisasi" and "Evaluasi_Kinerja_2025_TAHUNAN_ARSIP.xlsx" in r[6]
               for r in wb["Log"].iter_rows(min_row=5, values_only=True) if r[0])


def test_a_list_taken_into_another_year_from_no_closing_record_leaves_renstra_s_d_tahun_lalu_empty(
        arsip_2025: Path, arsip_tw2: Path, tmp_path: Path, evkin) -> None:
    for lanjut, tahun in ((arsip_2025, 2027), (arsip_tw2, 2027)):  # two years on; a mid-year record
        master = tmp_path / f"{lanjut.name}.xlsx"
        hasil = _cli(evkin, master, "2026-07-01T07:30", "init", "--tahun", str(tahun), "--periode", "TW1",
                     "--lanjut", lanjut)
        assert hasil.kode == 0, hasil.galat
        assert "Realisasi Renstra s.d. Tahun Lalu dikosongkan di Daftar Indikator" in hasil.keluar + hasil.galat
        assert all(d["Realisasi Renstra s.d. Tahun Lalu (K)"] is None for d in _daftar(master).values())
