"""Issue 15, what an intake compares beyond the cells: the format's reference columns against Daftar Indikator,
a later file against the bidang's previous accepted one (blanking, identical re-sends), and the marked copy of
every rejected file sent back to the bidang. Real files, the CLI as users run it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

from macros_py.aksi.demo import data_contoh, isi_format
from macros_py.schema import muat_skema
from tests.conftest import sha256
from tests.test_pengumpulan import PEM_INDIKATOR, _himpun, _rekap, _ubah

LPPDES = "Persentase desa yang menyampaikan LPPDes tepat waktu"


def _isi_pem(path: Path) -> Path:
    isi_format(path, data_contoh()["isian"]["PEM"], muat_skema())
    return path


def _penerimaan(master: Path) -> list[tuple]:
    return [r for r in load_workbook(master)["Penerimaan"].iter_rows(min_row=5, values_only=True) if r[0]]


def _ditolak(evkin, master: Path, *args: object, sebagai: str = "kasubag"):
    sebelum = sha256(master)
    hasil = _himpun(evkin, master, *args, sebagai=sebagai)
    assert hasil.kode == 3, hasil
    assert sha256(master) == sebelum
    return hasil


# ---- the format owns its reference columns ----------------------------------------------------------------

def test_a_lowered_target_is_refused_naming_the_cell_and_both_values(siap, master: Path, evkin) -> None:
    _ubah(_isi_pem(siap["PEM"]), lambda ws: ws.__setitem__("N9", 5))
    hasil = _ditolak(evkin, master, siap["PEM"])
    assert ("sel N9: Target Tahun Ini (K) di Daftar Indikator 11, di berkas 5 (indikator "
            f"'{PEM_INDIKATOR}'); perubahan Target Tahun Ini (K) dilakukan Kasubag di Daftar Indikator") in hasil.galat


def test_a_renamed_a_cleared_and_an_added_indicator_are_refused_by_name(siap, master: Path, evkin) -> None:
    def ubah(ws) -> None:
        ws["F9"] = "Jumlah desa yang dibina"  # renamed
        for kolom in range(1, 32):  # the LPPDes row cleared, realisasi and all
            ws.cell(10, kolom).value = None
        for kolom, nilai in {"A": 3, "F": "Indikator buatan bidang", "G": "desa", "H": "Naik", "I": "Akumulasi",
                             "N": 4, "T": 2}.items():
            ws[f"{kolom}11"] = nilai

    _ubah(_isi_pem(siap["PEM"]), ubah)
    hasil = _ditolak(evkin, master, siap["PEM"])
    assert (f"sel F9: Indikator Kinerja di Daftar Indikator '{PEM_INDIKATOR}', di berkas 'Jumlah desa yang dibina'"
            in hasil.galat)
    assert f"indikator '{LPPDES}' (No 2) dari Daftar Indikator tidak ada di berkas" in hasil.galat
    assert "sel A11: indikator 'Indikator buatan bidang' (baris 11) tidak ada di Daftar Indikator" in hasil.galat


def test_rows_sorted_in_another_order_still_match_their_indicator(siap, master: Path, evkin) -> None:
    def tukar(ws) -> None:
        for kolom in range(1, 32):
            ws.cell(9, kolom).value, ws.cell(10, kolom).value = ws.cell(10, kolom).value, ws.cell(9, kolom).value

    _ubah(_isi_pem(siap["PEM"]), tukar)
    hasil = _himpun(evkin, master, siap["PEM"])
    assert hasil.kode == 0, hasil.galat
    rekap = {r["Indikator Kinerja"]: r for r in _rekap(master)}
    assert rekap[PEM_INDIKATOR]["No"] == 1 and rekap[PEM_INDIKATOR]["Realisasi TW III (K)"] == 3
    assert rekap[LPPDES]["Realisasi TW III (K)"] == 81.8


def test_the_distributed_template_locks_every_reference_column(siap) -> None:
    from openpyxl.utils import get_column_letter

    skema = muat_skema()
    ws = load_workbook(siap["PEM"]).worksheets[0]
    tabel = skema.tabel_bidang(ws.title)
    assert ws.protection.sheet
    for r in (9, 10):
        terbuka = {key for j, key in enumerate(tabel.keys)
                   if not ws[f"{get_column_letter(tabel.kolom_awal + j)}{r}"].protection.locked}
        assert terbuka == set(tabel.keys) - set(skema.kolom_referensi)
    assert [ws["A9"].value, ws["A10"].value] == [1, 2]  # the stable key: position in Daftar Indikator


# ---- a later file against the previous accepted one --------------------------------------------------------

def test_a_later_file_that_blanks_accepted_values_is_refused_unless_the_kasubag_says_so(
        siap, master: Path, evkin, tmp_path: Path) -> None:
    assert _himpun(evkin, master, _isi_pem(siap["PEM"])).kode == 0
    draf = tmp_path / "draf" / siap["PEM"].name
    draf.parent.mkdir()
    shutil.copyfile(siap["PEM"], draf)
    _ubah(draf, lambda ws: (ws.__setitem__("T9", None), ws.__setitem__("X10", None)))
    hasil = _ditolak(evkin, master, draf)
    assert (f"sel T9: Realisasi TW III (K) indikator '{PEM_INDIKATOR}': kiriman yang diterima 06-10-2026 09:00 "
            "berisi 3, di berkas ini kosong") in hasil.galat
    assert f"sel X10: Faktor Pendorong indikator '{LPPDES}'" in hasil.galat
    assert "--boleh-kosongkan" in hasil.galat
    boleh = _himpun(evkin, master, "--boleh-kosongkan", draf, waktu="2026-10-06T10:00")
    assert boleh.kode == 0, boleh.galat
    assert "dikosongkan dengan persetujuan" in boleh.keluar
    assert {r["Indikator Kinerja"]: r for r in _rekap(master)}[PEM_INDIKATOR]["Realisasi TW III (K)"] is None
    assert _penerimaan(master)[-1][5] == "Diterima dengan catatan"


def test_an_identical_resend_is_reported_and_changes_nothing(siap, master: Path, evkin, tmp_path: Path) -> None:
    assert _himpun(evkin, master, _isi_pem(siap["PEM"])).kode == 0
    sebelum = sha256(master)
    sama = _himpun(evkin, master, siap["PEM"], waktu="2026-10-06T11:00")
    assert sama.kode == 0, sama.galat
    assert "identik dengan kiriman 06-10-2026 09:00" in sama.keluar
    assert sha256(master) == sebelum
    # saved again without a change (other bytes, the same values): identical too
    disimpan = tmp_path / "lagi" / siap["PEM"].name
    disimpan.parent.mkdir()
    wb = load_workbook(siap["PEM"])
    wb.properties.lastModifiedBy = "Kasi Pemerintahan"  # saved again by someone: other bytes, the same cells
    wb.save(disimpan)
    assert sha256(disimpan) != sha256(siap["PEM"])
    lagi = _himpun(evkin, master, "--json", disimpan, waktu="2026-10-06T12:00")
    assert lagi.kode == 0 and sha256(master) == sebelum
    data = json.loads(lagi.keluar)
    assert data["identik"] == [{"berkas": disimpan.name, "sheet": "Seksi Pemerintahan", "bidang": "PEM",
                                "sama_dengan": "06-10-2026 09:00"}]
    assert len(_penerimaan(master)) == 1


def test_an_identical_file_beside_a_new_one_is_not_recorded_again(siap, master: Path, evkin) -> None:
    assert _himpun(evkin, master, _isi_pem(siap["PEM"])).kode == 0
    isi_format(siap["KESOS"], data_contoh()["isian"]["KESOS"], muat_skema())
    hasil = _himpun(evkin, master, siap["PEM"], siap["KESOS"], waktu="2026-10-06T10:00")
    assert hasil.kode == 0, hasil.galat
    assert "Identik: Format_EvKin_2026_TW3_PEM.xlsx" in hasil.keluar
    assert [r[1] for r in _penerimaan(master)] == ["Seksi Pemerintahan", "Seksi Kesejahteraan Sosial"]


# ---- the copy sent back ------------------------------------------------------------------------------------

def test_a_rejected_file_comes_back_marked_in_perbaikan(siap, master: Path, evkin) -> None:
    _ubah(_isi_pem(siap["PEM"]), lambda ws: (ws.__setitem__("N9", 5), ws.__setitem__("P10", -1)))
    asli = sha256(siap["PEM"])
    hasil = _ditolak(evkin, master, "--json", siap["PEM"])
    salinan = master.parent / "perbaikan" / siap["PEM"].name
    assert sha256(siap["PEM"]) == asli  # the bidang's own file is not touched
    assert json.loads(hasil.keluar)["ditolak"][0]["perbaikan"] == str(salinan.resolve())
    assert f"Salinan perbaikan untuk bidang (sel bermasalah berwarna merah, pesannya di komentar sel): " \
           f"{salinan.resolve()}" in hasil.galat
    ws = load_workbook(salinan).worksheets[0]
    assert "Target Tahun Ini (K) di Daftar Indikator 11, di berkas 5" in ws["N9"].comment.text
    assert "negatif" in ws["P10"].comment.text
    assert ws["N9"].fill.fgColor.rgb.endswith("FFC7CE") and ws["P10"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["T9"].comment is None and not ws["T9"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["T9"].value == 3 and ws.protection.sheet  # otherwise the file as it was sent
    assert not [p for p in salinan.parent.iterdir() if p.name != salinan.name]  # nothing half-written left


def test_a_file_that_cannot_be_opened_gets_no_copy_and_says_so(siap, master: Path, evkin, tmp_path: Path) -> None:
    rusak = tmp_path / "Format_EvKin_2026_TW3_PEM.xlsx"
    rusak.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    hasil = _ditolak(evkin, master, rusak)
    assert "Format_EvKin_2026_TW3_PEM.xlsx: tidak ada salinan perbaikan (berkas tidak dapat dibuka" in hasil.galat
    assert not (master.parent / "perbaikan").exists()


# ---- the Excel button asks before blanking -----------------------------------------------------------------

def test_the_excel_button_asks_before_blanking_accepted_values(tmp_path: Path, monkeypatch) -> None:
    """A Kasi clears a realisasi already accepted from his sheet and presses Run main: refused, then asked with
    the cells named; OK sends the sheet blanking that value, Batal writes nothing."""
    import pytest

    from macros_py.aksi.demo import jalankan_demo
    from macros_py.aksi.himpun import himpun
    from macros_py.aksi.langkah import eksekusi
    from macros_py.excel import jalankan
    from macros_py.io.engines.xlwings_book import XlwingsBook
    from macros_py.io.unit_of_work import FileUnitOfWork
    from tests.test_excel_xlwings import _isi_sheet_bidang, payload, sel_ditulis

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    xw = pytest.importorskip("xlwings")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    master = jalankan_demo(tmp_path / "demo", info=lambda _: None, sampai=4)
    _isi_sheet_bidang(master, "Seksi Trantibum", "TRANTIB")
    with FileUnitOfWork(master) as uow:  # accepted once, as the button would
        eksekusi(uow, lambda b, k: himpun(b, k, hanya_sheet="Seksi Trantibum"), sebagai="kasi_trantib",
                 info=lambda _: None)
        uow.commit()
    _ubah_sheet = load_workbook(master)
    _ubah_sheet["Seksi Trantibum"]["T9"] = None  # Realisasi TW III (K) cleared
    _ubah_sheet.save(master)
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasi_trantib")
    monkeypatch.setattr(XlwingsBook, "interactive", lambda self: True)
    for jawaban in ("cancel", "ok"):
        ditanya: list[str] = []

        def alert(self: XlwingsBook, pesan: str, judul: str, mode: str = "info", tombol: str = "ok",
                  jawaban: str = jawaban, ditanya: list[str] = ditanya) -> str | None:
            ditanya.append(pesan)
            return (jawaban if len(ditanya) == 2 else "ok") if tombol == "ok_cancel" else None

        monkeypatch.setattr(XlwingsBook, "alert", alert)
        book = xw.Book(json=payload(master, "Seksi Trantibum", "F9"))
        hasil = jalankan(book)
        assert ditanya[0].startswith("Kirim data Seksi Ketentraman dan Ketertiban Umum")
        assert ditanya[1].startswith("Sheet Seksi Trantibum mengosongkan nilai yang sudah diterima sebelumnya:")
        assert "sel T9: Realisasi TW III (K) indikator 'Jumlah kejadian gangguan" in ditanya[1]
        if jawaban == "cancel":
            assert hasil.pesan == "Dibatalkan; workbook tidak diubah." and book.json()["actions"] == []
        else:
            assert hasil.berhasil, hasil.pesan
            from openpyxl.utils import get_column_letter

            tabel = muat_skema().tabel("rekap")
            kolom = get_column_letter(tabel.kolom_awal + tabel.indeks("tw3_k"))
            tulis = sel_ditulis(book)
            assert [tulis[("Rekap", f"{kolom}{r}")] for r in (5, 6)] == [None, 100]  # only Trantibum in Rekap
            assert "dikosongkan dengan persetujuan" in hasil.pesan


def test_daftar_indikator_duplicates_count_within_a_bidang_only(master: Path, evkin) -> None:
    """One pass over the whole list: the same indicator in two bidang is two indicators, twice in one bidang
    is refused naming the cell; the stable key counts each bidang's rows from 1."""
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork

    contoh = data_contoh()["indikator"]
    pem = next(d for d in contoh if d["kode_bidang"] == "PEM")

    def daftar(baris: list[dict]) -> None:
        with FileUnitOfWork(master) as uow:
            write_table(uow.book, muat_skema().tabel("indikator"), baris, hapus_sisa=5)
            uow.commit()

    assert evkin("--workbook", master, "--sebagai", "kasubag", "disposisi", "--isi", "Susun").kode == 0
    daftar([*contoh, dict(pem, kode_bidang="KESOS"), dict(pem, kode_bidang="")])  # no bidang: no format's row
    assert evkin("--workbook", master, "--sebagai", "kasubag", "format").kode == 0
    kesos = load_workbook(master)["Seksi Kesos"]
    assert [kesos["A9"].value, kesos["A10"].value, kesos["F10"].value] == [1, 2, PEM_INDIKATOR]
    assert kesos["A11"].value is None
    assert evkin("--workbook", master, "--sebagai", "kasubag", "buka-ulang", "2", "--alasan", "ganda").kode == 0
    daftar([*contoh, dict(pem)])
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "format")
    baris = len(contoh) + 5  # the header is row 4
    assert hasil.kode == 3 and f"sel G{baris}: indikator '{PEM_INDIKATOR}' ganda, sama dengan baris 7" in hasil.galat
