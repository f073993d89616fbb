"""The Excel route without Excel: the real xlwings library through its remote engine (`xw.Book(json=...)`), fed
the payload Excel's add-in would send (every sheet's values, the active sheet, the selection) built from a real
master. Its writes are queued actions (`book.json()`), compared with what the openpyxl route writes."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from macros_py.aksi import langkah as konteks_mod
from macros_py.aksi.langkah import eksekusi
from macros_py.excel import jalankan, main
from macros_py.io.engines.xlwings_book import XlwingsBook, teks_excel
from macros_py.io.unit_of_work import FileUnitOfWork
from macros_py.schema import muat_skema
from tests.conftest import Hasil, tanpa_contoh

WAKTU = datetime(2026, 10, 6, 9, 0)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def xw(monkeypatch: pytest.MonkeyPatch) -> Any:
    """xlwings with its remote engine (PolyForm Noncommercial key, set for these tests only)."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings

    if "remote" not in [e.name for e in xlwings.engines]:  # xlwings was imported earlier without the key
        from xlwings.pro import _xlremote

        xlwings.engines.add(xlwings.Engine(impl=_xlremote.engine))
    return xlwings


@pytest.fixture
def waktu_tetap(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Both routes record the same moment, so even the Log's hashes must match."""
    monkeypatch.setattr(konteks_mod, "sekarang", lambda: WAKTU)
    return WAKTU


def _ke_payload(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(timespec="milliseconds") + "Z"  # how the add-in sends a date cell
    return v


def payload(path: Path, aktif: str, pilihan: str, ubah: Callable[[dict], None] | None = None) -> dict[str, Any]:
    """What Excel's add-in sends: every sheet's used-range values from A1, the active sheet and the selection."""
    import xlwings

    wb = load_workbook(path, data_only=True)
    sheets = [{"name": ws.title, "values": [[_ke_payload(v) for v in r] for r in ws.iter_rows(values_only=True)]
               or [[]], "pictures": [], "tables": []} for ws in wb.worksheets]
    data = {"client": "Office.js", "version": xlwings.__version__,
            "book": {"name": path.name, "active_sheet_index": wb.sheetnames.index(aktif), "selection": pilihan},
            "names": [], "sheets": sheets}
    if ubah:
        ubah(data)
    return data


def _dari_aksi(v: Any) -> Any:
    """A queued value as the cell will hold it: apostrophe = text; unmarked ISO strings are xlwings' dates."""
    if v == "":
        return None
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]
        for pola in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return datetime.strptime(v, pola)
            except ValueError:
                pass
    return v


def sel_ditulis(book: Any) -> dict[tuple[str, str], Any]:
    """Every cell the queued setValues actions write, by (sheet, address); the last write wins."""
    nama = [s["name"] for s in book.impl.api["sheets"]]
    hasil: dict[tuple[str, str], Any] = {}
    for a in book.json()["actions"]:
        if a["func"] != "setValues":
            continue
        for i, baris in enumerate(a["values"]):
            for j, v in enumerate(baris):
                alamat = f"{get_column_letter(a['start_column'] + 1 + j)}{a['start_row'] + 1 + i}"
                hasil[(nama[a["sheet_position"]], alamat)] = _dari_aksi(v)
    return hasil


def isi_berkas(path: Path) -> dict[tuple[str, str], Any]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r
            if c.value is not None}


def bandingkan(sebelum: Path, sesudah: Path, tulis: dict[tuple[str, str], Any]) -> None:
    """The xlwings writes carry exactly the values the openpyxl run left in the file, and miss no change."""
    lama, baru = isi_berkas(sebelum), isi_berkas(sesudah)
    berubah = {k for k in lama.keys() | baru.keys() if lama.get(k) != baru.get(k)}
    assert berubah, "the openpyxl run changed nothing"
    assert berubah <= set(tulis), sorted(berubah - set(tulis))
    beda = {k: (v, baru.get(k)) for k, v in tulis.items() if v != baru.get(k)}
    assert not beda, beda


def alerts(book: Any) -> list[list[Any]]:
    return [a["args"] for a in book.json()["actions"] if a["func"] == "alert"]


# ---- one scenario, both routes ---------------------------------------------------------------------------

def ketik(data: dict[str, Any], sheet: str, baris: int, isian: list[list[Any]]) -> None:
    """The user types rows into a sheet from column A (what the add-in then sends), keeping values rectangular."""
    nilai = next(s for s in data["sheets"] if s["name"] == sheet)["values"]
    for i, isi in enumerate(isian):
        while len(nilai) < baris + i:
            nilai.append([])
        sel = nilai[baris + i - 1]
        sel.extend([""] * (len(isi) - len(sel)))
        sel[: len(isi)] = [_ke_payload(v) for v in isi]
    lebar = max(len(b) for b in nilai)
    for b in nilai:
        b.extend([""] * (lebar - len(b)))


def salin(asal: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(asal, folder / asal.name))


def pesan_alert(book: Any) -> tuple[str, str]:
    [[pesan, judul, _, mode, _]] = alerts(book)
    assert judul == "Evaluasi Kinerja"
    return pesan, mode


@pytest.fixture(scope="module")
def sampai(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Masters made by the CLI after step 1 (disposisi), step 2 (format) and step 3 (distribusi)."""
    from macros_py.aksi.demo import data_contoh
    from macros_py.cli import main as cli
    from macros_py.io.book import write_table

    folder = tmp_path_factory.mktemp("cli")
    path = folder / "Evaluasi_Kinerja.xlsx"

    def evkin(waktu: str, *args: str) -> None:
        assert cli(["--workbook", str(path), "--sebagai", "kasubag", "--waktu", waktu, *args]) == 0

    evkin("2026-10-05T07:30", "init", "--tahun", "2026", "--periode", "TW3")
    with FileUnitOfWork(path) as uow:  # the Kasubag types the indicator list (no action, no log)
        write_table(uow.book, muat_skema().tabel("indikator"), data_contoh()["indikator"])
        uow.commit()
    hasil = {}
    evkin("2026-10-05T08:00", "disposisi", "--nomor", "005/112", "--isi", "Susun evaluasi kinerja TW III")
    hasil[1] = salin(path, folder / "langkah1")
    evkin("2026-10-05T09:00", "format")
    hasil[2] = salin(path, folder / "langkah2")
    evkin("2026-10-05T09:15", "distribusi", "--out", str(folder / "format_bidang"))
    hasil[3] = salin(path, folder / "langkah3")
    return hasil


DISPOSISI = ["005/112/Kec-Mkt/X/2026", datetime(2026, 10, 5), "Camat Mangkutana selaku Pengguna Anggaran",
             "Susun evaluasi kinerja Triwulan III Tahun 2026"]


def test_step_1_records_the_disposisi_typed_in_its_sheet_as_the_cli_does(
        xw: Any, master: Path, tmp_path: Path, evkin: Callable[..., Hasil], waktu_tetap: datetime,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "C5", lambda d: ketik(d, "Disposisi", 5, [DISPOSISI])))  # step 1
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "info", pesan
    assert pesan.startswith("Disposisi nomor 005/112/Kec-Mkt/X/2026 dari Camat Mangkutana selaku Pengguna Anggaran "
                            "dicatat di sheet Disposisi (baris 5); langkah 1 selesai.")

    salinan = salin(master, tmp_path / "cli")
    hasil = evkin("--workbook", salinan, "--sebagai", "kasubag", "--waktu", waktu_tetap.isoformat(), "disposisi",
                  "--nomor", DISPOSISI[0], "--tanggal", "2026-10-05", "--dari", DISPOSISI[2], "--isi", DISPOSISI[3])
    assert hasil.kode == 0, hasil.galat
    tulis = sel_ditulis(book)
    bandingkan(master, salinan, tulis)
    assert {a for s, a in tulis if s == "Disposisi"} == {f"{c}5" for c in "ABCDEF"}  # the typed row, completed
    assert tulis[("Disposisi", "F5")] == waktu_tetap and tulis[("Disposisi", "E5")]
    assert tulis[("SOP", "J5")] == "Selesai"
    assert ("Log", "I7") in tulis  # start and finish rows, hashes included (same moment on both routes)


def test_step_1_without_a_typed_row_says_what_to_type_where(xw: Any, master: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "A5"))
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "critical"
    assert pesan.startswith("Belum ada disposisi yang diketik. Di sheet Disposisi, baris kosong pertama (baris 5)")
    assert "Nomor Disposisi, Tanggal, Dari dan Isi Instruksi" in pesan and "Workbook tidak diubah." in pesan
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_step_2_makes_the_formats_as_the_cli_does(
        xw: Any, sampai: dict[int, Path], tmp_path: Path, evkin: Callable[..., Hasil], waktu_tetap: datetime,
        monkeypatch: pytest.MonkeyPatch) -> None:
    master = salin(sampai[1], tmp_path / "xl")
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "B6"))  # row 6 = step 2
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "info" and pesan.startswith("Format pengumpulan data dibuat; langkah 2 selesai. Indikator "
                                               "terisi: SEKRET"), pesan

    salinan = salin(master, tmp_path / "cli")
    hasil = evkin("--workbook", salinan, "--sebagai", "kasubag", "--waktu", waktu_tetap.isoformat(), "format")
    assert hasil.kode == 0, hasil.galat
    tulis = sel_ditulis(book)
    bandingkan(master, salinan, tulis)
    assert tulis[("SOP", "J6")] == "Selesai"
    assert {"Seksi Trantibum", "Seksi PMD"} <= {s for s, _ in tulis}  # every bidang sheet prefilled


RAPAT = [
    [datetime(2026, 10, 5), "PEM", "Andi, Sari", "Format disepakati; data dikirim paling lambat dua hari kerja."],
    [datetime(2026, 10, 5), "Seksi Ketentraman dan Ketertiban Umum", "Budi", ""],  # by name; conclusion once
    ["", "pmd", "Citra, Dewi", ""],  # kode in any case, date once
]


def test_step_4_records_the_meeting_rows_typed_in_its_sheet_as_the_cli_does(
        xw: Any, sampai: dict[int, Path], tmp_path: Path, evkin: Callable[..., Hasil], waktu_tetap: datetime,
        monkeypatch: pytest.MonkeyPatch) -> None:
    master = salin(sampai[3], tmp_path / "xl")
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "D8", lambda d: ketik(d, "Rapat", 5, RAPAT)))  # row 8 = step 4
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "info", pesan
    assert pesan.startswith("Rapat koordinasi dicatat di sheet Rapat (3 bidang hadir; tidak hadir: SEKRET, KESOS, "
                            "PELAYANAN); langkah 4 selesai.")

    salinan = salin(master, tmp_path / "cli")
    hasil = evkin("--workbook", salinan, "--sebagai", "kasubag", "--waktu", waktu_tetap.isoformat(), "rapat",
                  "--tanggal", "2026-10-05", "--peserta", "PEM=Andi, Sari", "--peserta", "TRANTIB=Budi",
                  "--peserta", "PMD=Citra, Dewi", "--kesimpulan", RAPAT[0][3])
    assert hasil.kode == 0, hasil.galat
    tulis = sel_ditulis(book)
    bandingkan(master, salinan, tulis)
    assert {a for s, a in tulis if s == "Rapat"} == {f"{c}{r}" for c in "ABCDE" for r in (5, 6, 7)}
    assert tulis[("Rapat", "B7")] == "Seksi Pemberdayaan Masyarakat dan Desa"
    assert tulis[("Rapat", "D6")] == RAPAT[0][3] and tulis[("Rapat", "A7")] == datetime(2026, 10, 5)


def test_step_4_rows_with_mistakes_are_refused_cell_by_cell(xw: Any, sampai: dict[int, Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    salah = [[datetime(2026, 10, 5), "PEM", "Andi", ""], [datetime(2026, 10, 6), "Seksi Kebersihan", "Budi", ""],
             ["", "pem", "", ""]]
    book = xw.Book(json=payload(sampai[3], "SOP", "D8", lambda d: ketik(d, "Rapat", 5, salah)))
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "critical" and pesan.startswith("DITOLAK: Isian rapat di sheet Rapat belum lengkap")
    for kata in ("sel B6): bidang 'Seksi Kebersihan' tidak dikenal", "sel B7): bidang PEM sudah ditulis di baris 5",
                 "sel C7): Peserta kosong", "Tanggal Rapat berbeda-beda (05-10-2026 di baris 5, 06-10-2026 di baris 6)",
                 "Kesimpulan belum ditulis"):
        assert kata in pesan, kata
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_step_3_needs_the_saved_workbooks_folder(xw: Any, sampai: dict[int, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    master = salin(sampai[2], tmp_path / "xl")
    book = xw.Book(json=payload(master, "SOP", "B7"))  # row 7 = step 3; the remote engine knows no folder
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "critical" and "lokasi workbook ini tidak diketahui" in pesan
    # distribusi writes beside the workbook by default, so the command needs no --out
    assert "jalankan: evkin --workbook WORKBOOK distribusi\n" in pesan and "Workbook tidak diubah." in pesan
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]

    monkeypatch.setattr(xw.Book, "fullname", property(lambda self: str(master)))  # desktop Excel: the saved file
    book = xw.Book(json=payload(master, "SOP", "B7"))
    hasil = jalankan(book)
    # (step 3's time runs from the end of step 2, long before this test: a lateness note may follow)
    assert hasil.berhasil and "Format didistribusikan; langkah 3 selesai." in hasil.pesan, hasil.pesan
    berkas = sorted(p.name for p in (master.parent / "format_bidang").iterdir())
    assert len(berkas) == 6 and berkas[0].startswith("Format_EvKin_2026_TW3_")
    tulis = sel_ditulis(book)
    assert tulis[("SOP", "J7")] == "Selesai"
    dicatat = {v for (s, _), v in tulis.items() if s == "Distribusi"}
    # recorded relative to the workbook's folder, with their SHA-256
    assert {f"format_bidang/{b}" for b in berkas} <= dicatat


def test_step_7_correction_takes_the_catatan_typed_in_the_steps_row(
        xw: Any, demo5: Path, tmp_path: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch) -> None:
    master = salin(demo5, tmp_path / "xl")
    tanpa_contoh(master)  # the office's real names: an official document never carries "(contoh)"
    for sebagai, perintah in (("kasubag", "analisa"), ("kasubag", "konsep")):
        hasil = evkin("--workbook", master, "--sebagai", sebagai, perintah)
        assert hasil.kode == 0, hasil.galat
    monkeypatch.setattr(xw.Book, "fullname", property(lambda self: str(master)))
    monkeypatch.setenv("EVKIN_PENGGUNA", "sekcam")
    book = xw.Book(json=payload(master, "SOP", "B11"))  # row 11 = step 7, running, version 1 exists
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "critical" and pesan.startswith("Dokumen sudah memiliki versi 1. Untuk koreksi")
    assert "kolom Catatan pada baris langkah 7 sheet SOP (sel P11)" in pesan and "baris langkah 8" in pesan
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]

    catatan = "Perbaiki uraian faktor penghambat Seksi Trantibum"

    def tulis_catatan(data: dict[str, Any]) -> None:
        next(s for s in data["sheets"] if s["name"] == "SOP")["values"][10][15] = catatan

    book = xw.Book(json=payload(master, "SOP", "B11", tulis_catatan))
    hasil = jalankan(book)
    assert hasil.berhasil and hasil.pesan.startswith("Koreksi dicatat; dokumen versi 2: "), hasil.pesan
    tulis = sel_ditulis(book)
    assert tulis[("Revisi", "A6")] == 2 and tulis[("Revisi", "D6")] == catatan
    tercatat = Path(tulis[("Revisi", "E6")])  # relative to the workbook's folder
    assert tercatat.parent == Path("dokumen") and (master.parent / tercatat).exists()
    assert "Dokumen" not in {s for s, _ in tulis}  # the print layout is the headless engine's (evkin)

    def sesudah_koreksi(data: dict[str, Any]) -> None:  # the same catatan again, once version 2 is saved
        tulis_catatan(data)
        ketik(data, "Revisi", 6, [[2, "", "", catatan, "", "", "konsep"]])

    book = xw.Book(json=payload(master, "SOP", "B11", sesudah_koreksi))
    hasil = jalankan(book)
    assert not hasil.berhasil and "Catatan di sel P11 sudah dipakai untuk versi 2." in hasil.pesan


def test_step_11_is_refused_with_the_command_to_run(xw: Any, master: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def sampai_10(data: dict[str, Any]) -> None:  # steps 1-10 finished (SOP status column J)
        sop = next(s for s in data["sheets"] if s["name"] == "SOP")["values"]
        for r in range(4, 14):
            sop[r][9] = "Selesai"

    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "C15", sampai_10))  # row 15 = step 11
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "critical"
    assert pesan.startswith("Langkah 11 (kirim dan arsip) tidak dijalankan dari Excel.")
    assert "dibuat dari berkas workbook yang tersimpan" in pesan
    assert ("Tutup workbook, lalu jalankan: evkin --sebagai kasubag --workbook WORKBOOK arsip --out arsip/2026-TW3"
            in pesan)
    assert pesan.endswith("Workbook tidak diubah.")
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


@pytest.fixture(scope="module")
def demo4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A master after step 4 (formats made and distributed): step 5 has not started."""
    from macros_py.aksi.demo import jalankan_demo

    return jalankan_demo(tmp_path_factory.mktemp("demo4"), info=lambda _: None, sampai=4)


def _isi_sheet_bidang(path: Path, sheet: str, kode: str) -> None:
    """A Kasi types the sample figures into his sheet of the master (as in Excel: no action, no log)."""
    from macros_py.aksi.demo import data_contoh

    isian = data_contoh()["isian"][kode]
    tabel = muat_skema().tabel_bidang(sheet)
    wb = load_workbook(path)
    ws = wb[sheet]
    kolom_indikator = tabel.kolom_awal + tabel.indeks("indikator")
    for r in range(tabel.baris_data, ws.max_row + 1):
        for key, v in isian.get(str(ws.cell(r, kolom_indikator).value or "").strip(), {}).items():
            ws.cell(r, tabel.kolom_awal + tabel.indeks(key)).value = v
    wb.save(path)


def test_send_data_from_a_bidang_sheet_writes_what_the_openpyxl_route_writes(
        xw: Any, demo4: Path, tmp_path: Path, waktu_tetap: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    master = tmp_path / "xl" / demo4.name
    master.parent.mkdir()
    shutil.copyfile(demo4, master)
    _isi_sheet_bidang(master, "Seksi Trantibum", "TRANTIB")
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasi_trantib")
    book = xw.Book(json=payload(master, "Seksi Trantibum", "F9"))
    hasil = jalankan(book)
    assert hasil.berhasil, hasil.pesan
    assert "Diterima: Seksi Trantibum — bidang TRANTIB" in hasil.pesan

    salinan = tmp_path / "opx" / master.name
    salinan.parent.mkdir()
    shutil.copyfile(master, salinan)
    from macros_py.aksi.himpun import himpun

    with FileUnitOfWork(salinan) as uow:
        eksekusi(uow, lambda b, k: himpun(b, k, hanya_sheet="Seksi Trantibum"), sebagai="kasi_trantib",
                 info=lambda _: None)
        uow.commit()
    tulis = sel_ditulis(book)
    bandingkan(master, salinan, tulis)
    rekap = {v for (s, _), v in tulis.items() if s == "Rekap"}
    assert "Seksi Ketentraman dan Ketertiban Umum" in rekap
    assert not {s for s, _ in tulis} & {"Seksi Pemerintahan", "Seksi PMD"}  # other bidang untouched


def test_start_step_5_from_sop_row_writes_what_the_cli_writes(
        xw: Any, demo4: Path, tmp_path: Path, evkin: Callable[..., Hasil], waktu_tetap: datetime,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Step 5 has no action of its own on the SOP row: the button starts it, as `evkin langkah mulai 5`."""
    master = salin(demo4, tmp_path / "xl")
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "C9"))  # row 9 = step 5
    main(book)
    pesan, mode = pesan_alert(book)
    assert mode == "info" and pesan.startswith("Langkah 5 dimulai pada 06-10-2026 09:00"), pesan

    salinan = salin(master, tmp_path / "cli")
    hasil = evkin("--workbook", salinan, "--sebagai", "kasubag", "--waktu", waktu_tetap.isoformat(),
                  "langkah", "mulai", "5")
    assert hasil.kode == 0, hasil.galat
    tulis = sel_ditulis(book)
    bandingkan(master, salinan, tulis)
    assert tulis[("SOP", "J9")] == "Berjalan" and tulis[("SOP", "K9")] == waktu_tetap


def test_finishing_step_5_from_sop_names_who_has_not_sent(
        xw: Any, demo4: Path, tmp_path: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch) -> None:
    master = tmp_path / demo4.name
    shutil.copyfile(demo4, master)
    assert evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "5").kode == 0
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "D9"))  # row 9 = step 5, running
    hasil = jalankan(book)
    assert hasil.berhasil and hasil.pesan.startswith("Langkah 5 selesai pada"), hasil.pesan
    assert "Belum mengirim: Sekretariat, Seksi Pemerintahan" in hasil.pesan
    tulis = sel_ditulis(book)
    assert tulis[("SOP", "J9")] == "Selesai"
    assert {s for s, _ in tulis} == {"SOP", "Log", "Konfigurasi"}  # no bidang sheet collected behind the user


def test_cancel_at_the_confirmation_writes_nothing(xw: Any, master: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On desktop Excel the alert returns the button pressed; Batal stops before the action."""
    ditanya = []

    def alert(self: XlwingsBook, pesan: str, judul: str, mode: str = "info", tombol: str = "ok") -> str | None:
        ditanya.append(pesan)
        return "cancel" if tombol == "ok_cancel" else None

    monkeypatch.setattr(XlwingsBook, "interactive", lambda self: True)
    monkeypatch.setattr(XlwingsBook, "alert", alert)
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "A5", lambda d: ketik(d, "Disposisi", 5, [DISPOSISI])))
    hasil = jalankan(book)
    assert ditanya[0].startswith("Catat disposisi dari baris 5 sheet Disposisi, lalu selesaikan langkah 1?\n"
                                 "Nomor: 005/112/Kec-Mkt/X/2026\nTanggal: 05-10-2026") and "Pengguna: " in ditanya[0]
    assert hasil.pesan == "Dibatalkan; workbook tidak diubah." and hasil.ditulis == 0
    assert book.json()["actions"] == []


# ---- errors: an Indonesian alert and not one write -------------------------------------------------------

def test_step_out_of_order_gives_an_alert_and_no_write(xw: Any, master: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "B7"))  # step 3 while step 1 has not started
    hasil = jalankan(book)
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    [[pesan, _, _, mode, _]] = alerts(book)
    assert mode == "critical" and pesan == hasil.pesan
    assert "Langkah 3" in pesan and "belum dapat dimulai" in pesan and "Workbook tidak diubah." in pesan
    assert "Traceback" not in pesan


def test_unexpected_error_after_writes_discards_them(xw: Any, master: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.aksi import langkah as sop

    def rusak(book: Any, konteks: Any, no: int, waktu: Any = None) -> Any:
        sop.tulis_status(book, konteks.skema, [])  # a write reaches the adapter's buffer ...
        raise RuntimeError("disk penuh")  # ... then the action fails

    monkeypatch.setattr(sop, "mulai_langkah", rusak)
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, "SOP", "A5", lambda d: ketik(d, "Disposisi", 5, [DISPOSISI])))
    hasil = jalankan(book)
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert not hasil.berhasil and "kesalahan tak terduga (RuntimeError: disk penuh)" in hasil.pesan


def test_unknown_user_is_refused_with_how_to_register(xw: Any, master: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "tamu")  # also what the login would give
    book = xw.Book(json=payload(master, "SOP", "A5"))
    hasil = jalankan(book)
    assert not hasil.berhasil and "tidak terdaftar di sheet Konfigurasi" in hasil.pesan
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


@pytest.mark.parametrize(("aktif", "pilihan", "kata"), [
    ("Panduan", "A1", "tidak berbuat apa-apa"),
    ("SOP", "A2", "Pilih sel pada baris langkah"),
])
def test_nothing_to_do_explains_itself(xw: Any, master: Path, aktif: str, pilihan: str, kata: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    book = xw.Book(json=payload(master, aktif, pilihan))
    hasil = jalankan(book)
    assert kata in hasil.pesan and hasil.ditulis == 0
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


# ---- round trips depend on sheets, not rows --------------------------------------------------------------

@pytest.fixture(scope="module")
def demo5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A master after step 5: Rekap holds the collected rows, step 6 (analisa) is next."""
    from macros_py.aksi.demo import jalankan_demo

    return jalankan_demo(tmp_path_factory.mktemp("demo5"), info=lambda _: None, sampai=5)


def _rekap_sebanyak(asal: Path, tujuan: Path, n: int) -> None:
    """Rekap with n rows and no analysis columns yet (as a master collected by an older version holds it), so
    that step 6 writes them for every row."""
    skema = muat_skema()
    tabel = skema.tabel("rekap")
    lebar = tabel.indeks(skema.tabel("bidang").keys[-1]) + 1
    wb = load_workbook(asal)
    ws = wb[tabel.sheet]
    baris = [list(r)[:lebar] for r in ws.iter_rows(min_row=tabel.baris_data, values_only=True) if any(r)]
    ws.delete_rows(tabel.baris_data, len(baris))
    for i in range(n):
        for j, v in enumerate(baris[i % len(baris)]):
            ws.cell(tabel.baris_data + i, j + 1).value = v
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    wb.save(tujuan)


@pytest.mark.parametrize("sheet", ["Rekap", "SOP"])
def test_round_trips_per_action_do_not_grow_with_rows(xw: Any, demo5: Path, tmp_path: Path, sheet: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")
    pilihan = "A10" if sheet == "SOP" else "A5"  # SOP row 10 = step 6
    hasil = {}
    for n in (3, 2000):
        path = tmp_path / str(n) / demo5.name
        _rekap_sebanyak(demo5, path, n)
        data = payload(path, sheet, pilihan)
        nama = [s["name"] for s in data["sheets"]]
        if sheet == "SOP":  # step 6 running (J10, K10): the button computes the analysis and finishes it
            data["sheets"][nama.index("SOP")]["values"][9][9:11] = ["Berjalan", "2026-10-06T08:00:00.000Z"]
        book = xw.Book(json=data)
        hasil[n] = jalankan(book)
        assert hasil[n].berhasil, hasil[n].pesan
        rekap = [a for a in book.json()["actions"]
                 if a["func"] == "setValues" and a["sheet_position"] == nama.index("Rekap")]
        assert [a["row_count"] for a in rekap] == [n]  # every analysed row in one block write
    print(f"\n{sheet}: round trips with 3 Rekap rows {hasil[3].round_trips}, with 2000 rows "
          f"{hasil[2000].round_trips} ({hasil[2000].ditulis} block writes)")
    assert hasil[3].round_trips == hasil[2000].round_trips
    assert hasil[3].ditulis == hasil[2000].ditulis


# ---- the adapter on its own ------------------------------------------------------------------------------

def test_text_stays_text_and_writes_wait_for_simpan(xw: Any) -> None:
    data = {"client": "Office.js", "version": xw.__version__,
            "book": {"name": "Uji.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
            "sheets": [{"name": "S", "values": [["=teks yang diketik dengan apostrof", 1.0, 2.5, ""]],
                        "pictures": [], "tables": []}]}
    book = xw.Book(json=data)
    xb = XlwingsBook(book)
    assert xb.read("S", 1, 1, 4) == [["=teks yang diketik dengan apostrof", 1, 2.5, None]]  # nothing stripped
    tanggal = datetime(2026, 10, 6, 9, 30)
    xb.write("S", 2, 1, [["=SUM(A1:A3)", "007", "Selesai", 5, tanggal, "TRUE", None]])
    assert xb.read("S", 2, 1, 7) == [["=SUM(A1:A3)", "007", "Selesai", 5, tanggal, "TRUE", None]]
    assert book.json()["actions"] == []  # buffered: Excel sees nothing yet
    assert xb.read("S", 1, 1, 1, None) == [["=teks yang diketik dengan apostrof"], ["=SUM(A1:A3)"]]
    trips = xb.round_trips
    assert xb.flush() == 1
    assert xb.round_trips == trips + 1
    [aksi] = book.json()["actions"]
    assert aksi["values"] == [["'=SUM(A1:A3)", "'007", "Selesai", 5, "2026-10-06 09:30:00", "'TRUE", ""]]
    assert (aksi["start_row"], aksi["start_column"], aksi["row_count"], aksi["column_count"]) == (1, 0, 1, 7)


def test_teks_excel() -> None:
    assert teks_excel("Berjalan") == "Berjalan"
    assert teks_excel("Kasubag Perencanaan") == "Kasubag Perencanaan"
    for teks in ("=1+1", "+62 811", "-", "@x", "'kutip", "2026-10-05 08:00:00", "19700101 199003 1 001", "TW3",
                 "false", "(1)", "#N/A"):
        assert teks_excel(teks) == "'" + teks, teks
    assert teks_excel("") == ""


def test_a_later_block_covering_an_earlier_one_is_written_once(xw: Any) -> None:
    data = {"client": "Office.js", "version": xw.__version__, "book": {"name": "Uji.xlsx", "active_sheet_index": 0,
            "selection": "A1"}, "names": [], "sheets": [{"name": "S", "values": [[""]], "pictures": [], "tables": []}]}
    book = xw.Book(json=data)
    xb = XlwingsBook(book)
    xb.write("S", 5, 10, [["Berjalan"] * 7] * 11)
    xb.write("S", 5, 10, [["Selesai"] * 7] * 11)
    xb.write("S", 20, 1, [["x"]])
    assert xb.flush() == 2
    assert [a["values"][0][0] for a in book.json()["actions"]] == ["Selesai", "x"]


# ---- setup command and the module beside the workbook ----------------------------------------------------

def test_excel_siapkan_writes_config_and_run_main_module(master: Path, tmp_path: Path, evkin: Callable[..., Hasil],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasubag")  # the checklist at the end looks this user up in Konfigurasi
    lain = tmp_path / "tw3" / "Evkin_TW3.xlsx"
    lain.parent.mkdir()
    shutil.copyfile(master, lain)
    (lain.parent / "xlwings.conf").write_text('"SHOW CONSOLE","True"\r\n"PYTHONPATH","lama"\r\n')
    hasil = evkin("--workbook", lain, "excel-siapkan")
    assert hasil.kode == 0, hasil.galat
    conf = (lain.parent / "xlwings.conf").read_text()
    assert '"SHOW CONSOLE","True"' in conf and '"lama"' not in conf
    assert '"INTERPRETER_WIN"' in conf or '"INTERPRETER_MAC"' in conf
    assert f'"PYTHONPATH","{ROOT}"' in conf
    assert "from macros_py.excel import main" in (lain.parent / "Evkin_TW3.py").read_text()
    assert "xlwings addin install" in hasil.keluar and "Run main" in hasil.keluar

    salah = tmp_path / "Evaluasi Kinerja.xlsx"
    shutil.copyfile(master, salah)
    assert evkin("--workbook", salah, "excel-siapkan").kode == 2


def test_module_beside_the_workbook_calls_excel_main(monkeypatch: pytest.MonkeyPatch) -> None:
    import macros_py.excel as excel

    dipanggil = []
    monkeypatch.setattr(excel, "main", lambda book=None: dipanggil.append(book))
    spec = importlib.util.spec_from_file_location("Evaluasi_Kinerja", ROOT / "workbook" / "Evaluasi_Kinerja.py")
    assert spec and spec.loader
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    modul.main()
    assert dipanggil == [None]


def test_a_click_leaves_no_spawned_workers_behind(xw: Any, demo4: Path, tmp_path: Path, waktu_tetap: datetime,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows workers are spawned, and xlwings' UDF server keeps Python running between clicks: the pool a
    click started is stopped when the click is done (issue 19)."""
    from macros_py.aksi import analisis
    from macros_py.io import parallel

    master = tmp_path / "xl" / demo4.name
    master.parent.mkdir()
    shutil.copyfile(demo4, master)
    _isi_sheet_bidang(master, "Seksi Trantibum", "TRANTIB")
    monkeypatch.setenv("EVKIN_PENGGUNA", "kasi_trantib")
    monkeypatch.setenv("EVKIN_START_METHOD", "spawn")
    monkeypatch.setenv("EVKIN_PROSES", "2")
    monkeypatch.setattr(analisis, "BARIS_PARALEL", 0)  # the Rekap analysis goes to a worker
    dimulai: list[int] = []
    asli = parallel._pool_spawn
    monkeypatch.setattr(parallel, "_pool_spawn", lambda n: dimulai.append(n) or asli(n))
    try:
        hasil = jalankan(xw.Book(json=payload(master, "Seksi Trantibum", "F9")))
        assert hasil.berhasil, hasil.pesan
        assert dimulai and parallel._POOL == {}
    finally:
        parallel.tutup_pool()
