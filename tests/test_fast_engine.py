"""The fast engine (calamine reads, only written sheet parts rewritten) against the openpyxl engine, on real files:
same values, untouched parts byte-identical, styles kept, unusual files still saved (through openpyxl)."""

from __future__ import annotations

import re
import shutil
import string
import zipfile
from datetime import datetime, timedelta
from itertools import pairwise, zip_longest
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros_py.io.engines.fast.sheet_xml import UnsupportedXml
from macros_py.io.engines.fast.xml_book import XmlBook
from macros_py.io.engines.openpyxl_book import OpenpyxlBook
from macros_py.io.unit_of_work import FileUnitOfWork
from tests.conftest import tanpa_ekor_kosong

ROOT = Path(__file__).resolve().parent.parent
KOSONG = Path(ROOT / "workbook" / "Evaluasi_Kinerja.xlsx")
SERIAL_MAKS = 2958465  # 31-12-9999, the last date Excel can show
SHEET_UJI = ("Rekap", "Log", "Konfigurasi", "Seksi Pemerintahan", "Penerimaan")


def _nilai_file(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet as openpyxl reads the saved file (trailing empty cells and rows dropped)."""
    wb = load_workbook(path, data_only=True)
    hasil = {}
    for ws in wb.worksheets:
        hasil[ws.title] = tanpa_ekor_kosong([[None if v == "" else v for v in r]
                                             for r in ws.iter_rows(values_only=True)])
    return hasil


def _bagian(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _setara(dibaca: list[list[Any]], openpyxl: list[list[Any]]) -> bool:
    """Cell by cell equal (missing cells are None), allowing the one known difference: a number beyond
    31-12-9999 in a date-formatted cell is '#VALUE!' to openpyxl and stays the number in calamine."""
    if len(dibaca) != len(openpyxl):
        return False
    return all(u == v or (v == "#VALUE!" and isinstance(u, int | float) and u > SERIAL_MAKS)
               for ru, rv in zip(dibaca, openpyxl, strict=True) for u, v in zip_longest(ru, rv))


teks = st.text(alphabet=st.sampled_from(list(string.ascii_letters + "  =+-@&<>\"'\t\r\n\x01éÅ😀;,.0123456789")),
               max_size=12)
# Numbers are >= 0: a negative number in a date-formatted cell (a date before 1900, which no cell of the master
# holds) is read as a time by calamine and as a datetime by openpyxl.
nilai = st.one_of(
    st.none(), teks, st.booleans(), st.integers(0, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e15),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1))
    .map(lambda d: d.replace(microsecond=0)),
)
blok = st.tuples(st.sampled_from(SHEET_UJI), st.integers(1, 80), st.integers(1, 45),
                 st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(nilai, min_size=n, max_size=n), min_size=1,
                                                              max_size=6)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tulisan=st.lists(blok, min_size=1, max_size=6))
@example(tulisan=[("Konfigurasi", 29, 16, [[None, None, ""], [990138423329661.1, 244138735028328.0, None]]),
                  ("Log", 41, 30, [[None], [948552350593531.9]])])  # huge numbers in date-formatted cells
@example(tulisan=[("Seksi Pemerintahan", 67, 34, [[datetime(2083, 6, 27, 18, 12, 50)]]),
                  ("Seksi Pemerintahan", 67, 34, [[9940]])])  # a number over a date written earlier in the action
@example(tulisan=[("Log", 41, 1, [["a", "b"]]), ("Log", 41, 1, [["c", "d", "e"]]),
                  ("Log", 41, 2, [["f"]])])  # a whole row written again, then part of it
def test_same_writes_give_same_file_values_on_both_engines(tmp_path: Path, tulisan) -> None:
    cepat, lambat = tmp_path / "cepat.xlsx", tmp_path / "lambat.xlsx"
    for p in (cepat, lambat):
        shutil.copyfile(KOSONG, p)
    xb = XmlBook(cepat)
    ob = OpenpyxlBook(load_workbook(lambat), lambat)
    for sheet, top, left, values in tulisan:
        xb.write(sheet, top, left, values)
        ob.write(sheet, top, left, values)
        # read-after-write inside one action: both engines answer the same
        assert xb.read(sheet, top, left, len(values[0]), len(values)) == ob.read(sheet, top, left, len(values[0]),
                                                                                 len(values))
    xb.save_to(tmp_path / "cepat2.xlsx")
    ob.save_to(tmp_path / "lambat2.xlsx")
    assert _nilai_file(tmp_path / "cepat2.xlsx") == _nilai_file(tmp_path / "lambat2.xlsx")
    # what the fast engine reads back from its own file is what openpyxl reads from it
    dibaca = XmlBook(tmp_path / "cepat2.xlsx")
    for sheet, rows in _nilai_file(tmp_path / "cepat2.xlsx").items():
        assert _setara(tanpa_ekor_kosong(dibaca.read_values(sheet)), rows), sheet
    # every part the writes did not touch is byte-identical to the original
    asli, baru = _bagian(cepat), _bagian(tmp_path / "cepat2.xlsx")
    assert asli.keys() == baru.keys()
    ditulis = {xb._bagian[s] for s, _, _, _ in tulisan} | {"xl/styles.xml"}
    assert {n for n in asli if asli[n] != baru[n]} <= ditulis


def test_cells_keep_their_style_and_new_cells_take_the_column_style(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    # Bidang sheet: row 9 is a styled input row (fill, unlocked, number format: P9, Q9 are the realisasi TW I
    # columns); row 300 is beyond it.
    book.write("Seksi Pemerintahan", 9, 16, [[12, "Rp 1.000"]])
    book.write("Seksi Pemerintahan", 300, 16, [[12, "Rp 1.000"]])
    # Penerimaan's waktu column carries a date format on the column; a date in an unformatted cell gets one.
    waktu = datetime(2026, 10, 6, 9, 15)
    book.write("Penerimaan", 5, 1, [[waktu]])
    book.write("Rekap", 7, 3, [[waktu, "=SUM(A1:A3)", "-5"]])
    book.save_to(tmp_path / "baru.xlsx")
    asli, baru = load_workbook(path), load_workbook(tmp_path / "baru.xlsx")
    for ref in ("P9", "Q9", "P300"):  # same style index, same styles part: same fill, lock, format, border
        assert baru["Seksi Pemerintahan"][ref].style_id == asli["Seksi Pemerintahan"][ref].style_id, ref
    assert baru["Seksi Pemerintahan"]["P9"].fill.fgColor.rgb == "00FFF2CC"  # the input shading
    assert not baru["Seksi Pemerintahan"]["P9"].protection.locked
    assert baru["Seksi Pemerintahan"]["F9"].protection.locked  # Indikator: the format's, locked
    assert baru["Penerimaan"]["A5"].value == waktu
    assert baru["Penerimaan"]["A5"].number_format == asli["Penerimaan"].column_dimensions["A"].number_format
    rekap = baru["Rekap"]
    assert rekap["C7"].value == waktu and rekap["C7"].is_date
    assert (rekap["D7"].value, rekap["D7"].data_type, rekap["D7"].quotePrefix) == ("=SUM(A1:A3)", "s", True)
    assert (rekap["E7"].value, rekap["E7"].data_type) == ("-5", "s")
    assert baru["Seksi Pemerintahan"].protection.sheet  # the sheet stays protected


def _prefiks(xml: bytes) -> bytes:
    """The same worksheet, written with an `x:` namespace prefix (as some other tools write it)."""
    teks = xml.decode()
    teks = re.sub(r"<(/?)([A-Za-z]+)([\s/>])", r"<\1x:\2\3", teks)
    teks = teks.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="', 1)
    return teks.encode()


def test_unusual_sheet_xml_is_saved_through_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    bagian = XmlBook(path)._bagian["Log"]
    isi = _bagian(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in isi.items():
            z.writestr(n, _prefiks(data) if n == bagian else data)
    assert load_workbook(path)["Log"]["A1"].value  # still a valid workbook
    with pytest.raises(UnsupportedXml):
        book = XmlBook(path)
        book.write("Log", 5, 1, [[1, "x"]])
        book.save_to(tmp_path / "tidak.xlsx")
    with FileUnitOfWork(path, info=lambda _: None) as uow:
        uow.book.write("Log", 5, 1, [[1, "x"]])
        uow.commit()
    assert [c.value for c in load_workbook(path)["Log"][5]][:2] == [1, "x"]


def test_overwriting_a_formula_cell_is_saved_through_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    wb = load_workbook(path)
    wb["Rekap"]["B5"] = "=1+1"  # a total someone typed in Excel
    wb.save(path)
    book = XmlBook(path)
    book.write("Rekap", 5, 1, [["Sekretariat", 7]])
    with pytest.raises(UnsupportedXml):
        book.save_to(tmp_path / "tidak.xlsx")
    with FileUnitOfWork(path, info=lambda _: None) as uow:
        uow.book.write("Rekap", 5, 1, [["Sekretariat", 7]])
        uow.commit()
    assert [c.value for c in load_workbook(path)["Rekap"][5]][:2] == ["Sekretariat", 7]


def test_master_saved_by_the_fast_engine_opens_in_libreoffice(tmp_path: Path) -> None:
    from macros_py.io.output.pdf import available, to_pdf

    if not available():
        pytest.skip("LibreOffice belum terpasang (bash scripts/setup.sh)")
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    book.write("Rekap", 5, 1, [["Sekretariat", 1, "Sasaran & <uji>", "=1+1", datetime(2026, 10, 6, 9, 0)]] * 300)
    book.save_to(tmp_path / "baru.xlsx")
    pdf = to_pdf(tmp_path / "baru.xlsx", tmp_path / "pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000


def test_waktu_round_trips_to_the_second(tmp_path: Path) -> None:
    """Times the actions stamp (to the second) come back exactly, through the serial number and calamine."""
    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    t0 = datetime(2026, 10, 5, 7, 30, 0)
    waktu = [[t0 + timedelta(seconds=37 * i + 0.0)] for i in range(2000)]
    book.write("Penerimaan", 5, 1, waktu)
    book.save_to(tmp_path / "baru.xlsx")
    assert XmlBook(tmp_path / "baru.xlsx").read("Penerimaan", 5, 1, 1, 2000) == waktu


# ---- the whole of steps 5-6 on both engines, and against a naive reading ----------------------------------

BARIS_PER_BIDANG = 90  # beyond the 60 prepared input rows, so new rows are written too


def _baris_sintetis(kolom, i: int, ulang: bool = False) -> list[Any]:
    """One indicator row typed by a bidang: every input column, numbers as numbers (TW4 not yet due); `ulang`:
    the corrected resubmission (other TW III figures)."""
    nilai: dict[str, Any] = {"no": i, "polaritas": ("Naik", "Turun")[i % 5 == 0],
                             "cara_hitung": ("Akumulasi", "Nilai Akhir", "Rata-rata")[i % 3], "satuan": "Dokumen"}
    for k in kolom:
        if k.key in nilai or k.key.startswith("tw4"):
            continue
        if k.tipe == "angka":
            nilai[k.key] = (10 + (i * 7) % 90) * (1_250_000 if k.key.endswith("_rp") else 0.25) * (1 + len(k.key) % 4)
            if ulang and k.key.startswith("tw3"):
                nilai[k.key] += 1
        elif k.tipe == "teks" and k.key not in ("bukti_dukung", "keterangan"):
            nilai[k.key] = f"{k.judul} {i} & <uji>" if i % 2 else f"{k.judul} {i}"
    return [nilai.get(k.key) for k in kolom]


def _isi_sintetis(path: Path, n: int) -> None:
    """The template filled with BARIS_PER_BIDANG synthetic indicators; the first `n` with the figures of the
    corrected resubmission when n < BARIS_PER_BIDANG."""
    from macros_py.schema import muat_skema

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    tabel = muat_skema().tabel_bidang(ws.title)
    for i in range(1, BARIS_PER_BIDANG + 1):
        baris = _baris_sintetis(tabel.kolom, i, ulang=n < BARIS_PER_BIDANG and i <= n)
        for j, v in enumerate(baris):
            ws.cell(tabel.baris_data + i - 1, tabel.kolom_awal + j).value = v
    wb.save(path)


@pytest.fixture(scope="module")
def _langkah_4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from macros_py.aksi.demo import jalankan_demo

    folder = tmp_path_factory.mktemp("langkah4")
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork
    from macros_py.schema import muat_skema

    master = jalankan_demo(folder, info=lambda _: None, sampai=4)
    kode = []
    for f in (folder / "kiriman").glob("*.xlsx"):
        _isi_sintetis(f, BARIS_PER_BIDANG)
        kode.append(f.stem.rsplit("_", 1)[-1])
    trantib = next((folder / "kiriman").glob("*_TRANTIB.xlsx"))
    (folder / "ulang").mkdir()
    shutil.copyfile(trantib, folder / "ulang" / trantib.name)
    _isi_sintetis(folder / "ulang" / trantib.name, 30)  # a resubmission correcting 30 rows
    # the synthetic indicators are the Kasubag's list: the reference columns are compared with Daftar Indikator
    skema = muat_skema()
    kolom = skema.tabel("bidang").kolom
    daftar = [dict(zip([k.key for k in kolom], _baris_sintetis(kolom, i), strict=True), kode_bidang=k)
              for k in sorted(kode) for i in range(1, BARIS_PER_BIDANG + 1)]
    with FileUnitOfWork(master) as uow:
        write_table(uow.book, skema.tabel("indikator"), daftar)
        uow.commit()
    return folder


def _jalankan_5_6(asal: Path, folder: Path, evkin) -> Path:
    shutil.copytree(asal, folder)
    master = folder / "Evaluasi_Kinerja.xlsx"

    def cli(waktu: str, *args: object) -> None:
        hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", waktu, *args)
        assert hasil.kode == 0, hasil.galat

    cli("2026-10-06T09:00", "himpun", folder / "kiriman")
    cli("2026-10-06T10:00", "himpun", folder / "ulang")  # Trantibum's rows replaced by its corrected ones
    cli("2026-10-06T11:00", "langkah", "selesai", "5")
    cli("2026-10-06T12:00", "analisa")
    return master


def _sebanding(path: Path, folder: Path) -> dict[str, list[list[Any]]]:
    """Sheet values, with what legitimately differs between two runs masked: the folder, the moment the log
    row was really written, and the hashes chained over it."""
    hasil = {}
    for sheet, baris in _nilai_file(path).items():
        def tutup(v: Any, sheet: str = sheet) -> Any:
            if not isinstance(v, str):
                return v
            v = re.sub(r" \(dicatat pada [^)]*\)", "", v.replace(str(folder), "<folder>"))
            return re.sub(r"^[0-9a-f]{64}$", "<hash>", v) if sheet in ("Log", "Konfigurasi") else v
        hasil[sheet] = [[tutup(v) for v in b] for b in baris]
    return hasil


def test_fast_and_openpyxl_engines_leave_identical_workbooks(_langkah_4: Path, tmp_path: Path, evkin,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.aksi import himpun_baca as pengumpulan
    from macros_py.io.engines.fast import cache, xml_book

    # the fast run reads the files and writes the sheet parts in two processes, as at kabupaten scale, and
    # reads the Rekap it wrote from `cache` (the second himpun and the analysis)
    monkeypatch.setenv("EVKIN_PROSES", "2")
    monkeypatch.setattr(pengumpulan, "BERKAS_PARALEL", 0)
    monkeypatch.setattr(xml_book, "SEL_PARALEL", 0)
    monkeypatch.setattr(cache, "UKURAN_MIN", 0)
    monkeypatch.setattr(cache, "SEL_MIN", 0)
    muat, dipakai = cache.load, []
    monkeypatch.setattr(cache, "load", lambda nama: dipakai.append(muat(nama)) or dipakai[-1])
    cepat = _jalankan_5_6(_langkah_4, tmp_path / "cepat", evkin)
    assert sum(x is not None for x in dipakai) >= 2
    monkeypatch.setenv("EVKIN_MESIN", "openpyxl")
    lambat = _jalankan_5_6(_langkah_4, tmp_path / "lambat", evkin)
    a, b = _sebanding(cepat, tmp_path / "cepat"), _sebanding(lambat, tmp_path / "lambat")
    assert a.keys() == b.keys()
    for sheet in a:
        assert a[sheet] == b[sheet], sheet
    rekap = load_workbook(cepat, read_only=True)["Rekap"]
    assert rekap.max_row >= 4 + 6 * BARIS_PER_BIDANG  # the comparison covered a real amount of data


def test_rekap_equals_a_naive_pandas_reading_of_the_submissions(_langkah_4: Path, tmp_path: Path, evkin) -> None:
    import pandas as pd

    from macros_py.schema import muat_skema

    master = _jalankan_5_6(_langkah_4, tmp_path / "cepat", evkin)
    skema = muat_skema()
    tabel, rekap_tabel = skema.tabel("bidang"), skema.tabel("rekap")
    ws = load_workbook(master, read_only=True)["Rekap"]
    rekap = [dict(zip(rekap_tabel.keys, r, strict=False))
             for r in ws.iter_rows(min_row=rekap_tabel.baris_data, values_only=True) if r[0]]
    nama = {b["kode"]: b["nama"] for b in skema.organisasi["bidang"]}
    diperiksa = 0
    terakhir = {f.name: f for d in ("kiriman", "ulang") for f in (tmp_path / "cepat" / d).glob("*.xlsx")}
    for f in sorted(terakhir.values()):
        df = pd.read_excel(f, engine="openpyxl", header=tabel.header_row - 1)
        df = df.iloc[:, tabel.kolom_awal - 1 : tabel.kolom_awal - 1 + len(tabel.kolom)]
        df.columns = list(tabel.keys)
        df = df.dropna(subset=["indikator"]).astype(object)
        naif = [[None if pd.isna(v) else v for v in baris] for baris in df.itertuples(index=False)]
        milik = [[r[k] for k in tabel.keys] for r in rekap if r["bidang"] == nama[f.stem.rsplit("_", 1)[-1]]]
        assert milik == naif, f.name
        diperiksa += len(milik)
    assert diperiksa == 6 * BARIS_PER_BIDANG


@settings(max_examples=40, deadline=None)
@given(ukuran=st.integers(1, 400))
def test_a_part_streamed_in_pieces_of_any_size_is_written_the_same(ukuran: int) -> None:
    """The writer reads the old part a few MB at a time: piece boundaries (inside a tag, a row, the closing
    </sheetData>) must not change a byte of the result."""
    from xml.etree import ElementTree

    from macros_py.io.cell_format import FORMAT_TANGGAL, FORMAT_WAKTU
    from macros_py.io.engines.fast.sheet_xml import XmlStyles, write_sheet

    isi = _bagian(KOSONG)
    bagian = XmlBook(KOSONG)._bagian["Seksi Pemerintahan"]
    xml = isi[bagian].decode()
    perubahan = {5: [(3, ["ganti"])], 9: [(1, [1, "Sasaran"]), (2, ["Sasaran 2"])], 40: [(5, [None, 2.5])],
                 69: [(1, [2, "baru"])], 500: [(2, ["jauh", datetime(2026, 10, 6, 9, 0)])]}

    def tulis(sumber: list[str]) -> str:
        gaya = XmlStyles(isi["xl/styles.xml"].decode(), FORMAT_TANGGAL, FORMAT_WAKTU)
        return "".join(write_sheet(sumber, perubahan, gaya))

    utuh = tulis([xml])
    assert tulis([xml[i : i + ukuran] for i in range(0, len(xml), ukuran)]) == utuh
    akar = ElementTree.fromstring(utuh)
    baris = akar.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row")
    assert [r.get("r") for r in baris][-2:] == ["69", "500"]


@settings(max_examples=40, deadline=None)
@given(batas=st.lists(st.integers(1, 600), max_size=3, unique=True).map(sorted), ukuran=st.integers(50, 5000))
def test_a_part_written_in_row_ranges_joins_into_the_whole_part(batas: list[int], ukuran: int) -> None:
    """One large part is written in row ranges on several cores: the ranges, in order, are the whole part,
    wherever they are cut (inside existing rows, written rows, new rows) and however the old part streams."""
    from macros_py.io.cell_format import FORMAT_TANGGAL, FORMAT_WAKTU
    from macros_py.io.engines.fast.sheet_xml import XmlStyles, write_sheet

    isi = _bagian(KOSONG)
    xml = isi[XmlBook(KOSONG)._bagian["Seksi Pemerintahan"]].decode()
    perubahan = {r: [(2, [f"baris {r}", r * 1.5, None, "Naik"])] for r in range(5, 300, 3)}
    perubahan[9] = [(1, [1, "Sasaran"]), (2, ["Sasaran 2"])]
    perubahan[550] = [(2, ["jauh", datetime(2026, 10, 6, 9, 0)])]
    gaya = XmlStyles(isi["xl/styles.xml"].decode(), FORMAT_TANGGAL, FORMAT_WAKTU)
    utuh = "".join(write_sheet([xml], perubahan, gaya))
    potong = [None, *batas, None]
    sumber = [xml[i : i + ukuran] for i in range(0, len(xml), ukuran)]
    assert "".join("".join(write_sheet(sumber, perubahan, gaya, a, b))
                   for a, b in pairwise(potong)) == utuh


def _perubahan(tulisan: list[tuple[int, int, list[list[Any]]]]) -> dict[int, list[tuple[int, list[Any]]]]:
    """Blocks (top row, left column, rows) as the writer takes them: row -> its writes, in order."""
    hasil: dict[int, list[tuple[int, list[Any]]]] = {}
    for top, left, rows in tulisan:
        for r, values in enumerate(rows, start=top):
            hasil.setdefault(r, []).append((left, values))
    return hasil


def blok_baris(isi: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[int, int, list[list[Any]]]]:
    return st.tuples(st.integers(5, 30), st.integers(1, 4),
                     st.integers(1, 6).flatmap(lambda n: st.lists(st.lists(isi, min_size=n, max_size=n),
                                                                  min_size=1, max_size=20)))


# what a second collection mostly writes: plain text and numbers, which the block path takes
nilai_biasa = st.one_of(st.none(), st.just(""), st.text(string.ascii_letters + " ", max_size=6), st.integers(0, 99),
                        st.floats(0, 1e6, allow_nan=False))


@settings(max_examples=80, deadline=None)
@given(sheet=st.sampled_from(["Seksi Pemerintahan", "Rekap", "Penerimaan"]),
       pertama=st.lists(blok_baris(nilai), min_size=1, max_size=3),
       kedua=st.lists(blok_baris(st.one_of(nilai_biasa, nilai)), min_size=1, max_size=3))
@example(sheet="Rekap", pertama=[(10, 1, [[datetime(2026, 1, 1), "a"]])],
         kedua=[(10, 1, [["teks", "b"]])])  # text over a date: the cell keeps the date's format
@example(sheet="Penerimaan", pertama=[(6, 1, [["teks"]])],
         kedua=[(6, 1, [[5]])])  # a number over text in the date-formatted column: shown as a date
def test_rows_written_again_come_out_the_same_as_through_the_general_path(sheet: str, pertama, kedua) -> None:
    """Rows written over cells an earlier save wrote (collecting submissions again) skip taking the old cells
    apart when those cells are the ones a new block would write: byte for byte what the general path writes,
    whatever the old cells held (dates, formula-like text, blanks, cells outside the new columns)."""
    from macros_py.io.cell_format import FORMAT_TANGGAL, FORMAT_WAKTU
    from macros_py.io.engines.fast import sheet_xml as lembar_xml
    from macros_py.io.engines.fast.sheet_xml import XmlStyles, write_sheet

    isi = _bagian(KOSONG)
    gaya = XmlStyles(isi["xl/styles.xml"].decode(), FORMAT_TANGGAL, FORMAT_WAKTU)
    lama = "".join(write_sheet([isi[XmlBook(KOSONG)._bagian[sheet]].decode()], _perubahan(pertama), gaya))

    def tulis() -> str:
        return "".join(write_sheet([lama], _perubahan(kedua), XmlStyles(gaya.xml, FORMAT_TANGGAL, FORMAT_WAKTU)))

    cepat = tulis()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lembar_xml._Sebaku, "__call__", lambda *_: False)
        assert cepat == tulis()


def test_collecting_again_rewrites_rows_without_taking_their_cells_apart(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rows written in a second action (a second himpun) take the shortcut, and read back right."""
    from macros_py.io.engines.fast import sheet_xml as lembar_xml

    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    baris = [[f"Bidang {i % 3}", i, f"Sasaran {i}", 2.5 * i, None, "Naik"] for i in range(1, 300)]
    book = XmlBook(path)
    book.write("Rekap", 5, 1, baris)
    book.save_to(tmp_path / "satu.xlsx")
    asli, umum = lembar_xml._baris_umum, []

    def baris_umum(*a: Any) -> str:
        umum.append(a[0])
        return asli(*a)

    monkeypatch.setattr(lembar_xml, "_baris_umum", baris_umum)
    book = XmlBook(tmp_path / "satu.xlsx")
    baru = [[b[0], b[1], f"Sasaran baru {b[1]}", b[3] + 1, "", "Turun"] for b in baris]
    book.write("Rekap", 5, 1, baru)
    book.save_to(tmp_path / "dua.xlsx")
    assert umum == []
    ws = load_workbook(tmp_path / "dua.xlsx", read_only=True)["Rekap"]
    dibaca = [list(r) for r in ws.iter_rows(min_row=5, max_row=303, max_col=6, values_only=True)]
    assert dibaca == [[None if v == "" else v for v in b] for b in baru]


@settings(max_examples=100, deadline=None)
@given(potongan=st.lists(st.lists(st.text(max_size=2000), max_size=3), min_size=1, max_size=5))
def test_pieces_deflated_apart_join_into_one_part_with_the_right_crc(potongan: list[list[str]]) -> None:
    import zlib

    from macros_py.io.engines.fast.zip_parts import compress, join_parts

    bagian = join_parts([compress(p, akhir=i == len(potongan) - 1) for i, p in enumerate(potongan)])
    utuh = "".join("".join(p) for p in potongan).encode()
    pengurai = zlib.decompressobj(-15)
    assert pengurai.decompress(bagian.data) + pengurai.flush() == utuh and pengurai.eof
    assert (bagian.crc, bagian.ukuran) == (zlib.crc32(utuh), len(utuh))


def test_parts_written_in_parallel_equal_those_written_in_one_process(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io.engines.fast import xml_book

    path = tmp_path / "m.xlsx"
    shutil.copyfile(KOSONG, path)
    book = XmlBook(path)
    book.write("Rekap", 5, 1, [["Sekretariat", i, f"Sasaran {i}", 2.5 * i] for i in range(1, 400)])
    book.write("Log", 5, 1, [[1, datetime(2026, 10, 6, 9, 0), "=bukan rumus"]])  # needs new cell formats
    book.write("Seksi PMD", 9, 2, [["Sasaran", "Program"]] * 80)
    monkeypatch.setattr(xml_book, "SEL_PARALEL", 0)
    monkeypatch.setenv("EVKIN_PROSES", "2")
    book.save_to(tmp_path / "paralel.xlsx")
    monkeypatch.setenv("EVKIN_PROSES", "1")
    book.save_to(tmp_path / "satu.xlsx")
    assert _bagian(tmp_path / "paralel.xlsx") == _bagian(tmp_path / "satu.xlsx")
    assert _bagian(tmp_path / "satu.xlsx")["xl/styles.xml"] != _bagian(path)["xl/styles.xml"]


ATRIBUT_BARIS = ['r="{r}"', 'r="{r}" spans="1:28"', 'spans="1:28" r="{r}"', 'r="{r}" ht="45" customHeight="1"',
                 '\n  r="{r}" s="3" customFormat="1"', 'r="{r}"/']


def _tag_baris(r: int, atribut: str) -> str:
    atribut = atribut.format(r=r)
    return f"<row {atribut}>" + ("" if atribut.endswith("/") else f'<c r="A{r}"><v>{r}</v></c></row>')


@settings(max_examples=60, deadline=None)
@given(baris=st.lists(st.tuples(st.integers(1, 10**6), st.sampled_from(ATRIBUT_BARIS)), max_size=30,
                      unique_by=lambda b: b[0]).map(sorted),
       blok=st.integers(1, 300))
def test_the_last_row_is_found_wherever_the_part_is_cut_while_inflating(baris, blok: int) -> None:
    """`baris_terakhir` inflates a part a block at a time and looks for the last row tag: a tag cut by a
    block boundary must neither hide the last row nor give a wrong number."""
    import tempfile
    from unittest import mock

    from macros_py.io.engines.fast import xml_book

    with tempfile.TemporaryDirectory() as folder:
        path = _master_dengan_log(Path(folder), "".join(_tag_baris(*b) for b in baris))
        with mock.patch.object(xml_book, "_BLOK_BACA", blok):
            assert XmlBook(path).last_row("Log") == max((r for r, _ in baris), default=0)


def test_an_unknown_sheet_is_named_the_same_way_by_both_engines() -> None:
    for book in (XmlBook(KOSONG), OpenpyxlBook(load_workbook(KOSONG), KOSONG)):
        for aksi in (lambda b: b.read_values("Tidak Ada"), lambda b: b.write("Tidak Ada", 1, 1, [[1]]),
                     lambda b: b.last_row("Tidak Ada")):
            with pytest.raises(KeyError, match="Worksheet Tidak Ada does not exist"):
                aksi(book)


def test_rows_without_numbers_are_counted_by_reading_the_sheet(tmp_path: Path) -> None:
    path = _master_dengan_log(tmp_path, '<row><c><v>1</v></c></row><row spans="1:1"><c><v>2</v></c></row>')
    assert XmlBook(path).last_row("Log") == 2


def _master_dengan_log(folder: Path, baris: str) -> Path:
    """The empty master with the Log sheet's rows replaced by `baris` (and page breaks after them)."""
    path = folder / "m.xlsx"
    bagian = XmlBook(KOSONG)._bagian["Log"]
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main"><sheetData>{baris}</sheetData>'
           '<rowBreaks count="1" manualBreakCount="1"><brk id="5" max="16383" man="1"/></rowBreaks></worksheet>')
    with zipfile.ZipFile(KOSONG) as asli, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as baru:
        for info in asli.infolist():
            baru.writestr(info, xml if info.filename == bagian else asli.read(info))
    return path


def test_collecting_again_blanks_the_old_bidang_rows_without_reading_them(_langkah_4: Path, tmp_path: Path, evkin,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A kabupaten's bidang sheets hold tens of thousands of rows: replacing them must not hold them all in
    memory (the resubmission's rows replace the earlier ones, none are appended)."""
    from macros_py.io.engines.fast import xml_book
    from macros_py.schema import muat_skema

    asli, dibaca = xml_book.XmlBook._baca, []

    def baca(self: XmlBook, sheet: str) -> list[list[Any]]:
        dibaca.append(sheet)
        return asli(self, sheet)

    monkeypatch.setattr(xml_book.XmlBook, "_baca", baca)
    master = _jalankan_5_6(_langkah_4, tmp_path / "m", evkin)
    bidang = {b["sheet"] for b in muat_skema().organisasi["bidang"]}
    assert "Rekap" in dibaca and not bidang & set(dibaca)
    ws = load_workbook(master, read_only=True)["Seksi Trantibum"]
    assert sum(1 for r in ws.iter_rows(min_row=9, values_only=True) if any(v is not None for v in r)) == 90


def _simpan_ulang_dengan_libreoffice(sumber: Path, folder: Path) -> Path:
    """The workbook as another office program writes it (shared strings, its own styles, row spans...)."""
    import subprocess

    from macros_py.io.output.pdf import find_soffice

    program = find_soffice()
    if program is None:
        pytest.skip("LibreOffice belum terpasang (bash scripts/setup.sh)")
    profil = (folder / "profil").resolve().as_uri()
    subprocess.run([str(program), f"-env:UserInstallation={profil}", "--headless", "--norestore",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "lo"), str(sumber)],
                   check=True, capture_output=True, timeout=180)
    return folder / "lo" / sumber.name


def test_a_master_resaved_by_another_program_gives_the_same_values_on_both_engines(
        _langkah_4: Path, tmp_path: Path, evkin, monkeypatch: pytest.MonkeyPatch) -> None:
    asing = _simpan_ulang_dengan_libreoffice(_langkah_4 / "Evaluasi_Kinerja.xlsx", tmp_path)
    with zipfile.ZipFile(asing) as z:
        assert "xl/sharedStrings.xml" in z.namelist()  # not openpyxl's layout: the writer meets another one
    dasar = tmp_path / "dasar"
    shutil.copytree(_langkah_4, dasar)
    shutil.copyfile(asing, dasar / "Evaluasi_Kinerja.xlsx")
    cepat = _jalankan_5_6(dasar, tmp_path / "cepat", evkin)
    monkeypatch.setenv("EVKIN_MESIN", "openpyxl")
    lambat = _jalankan_5_6(dasar, tmp_path / "lambat", evkin)
    a, b = _sebanding(cepat, tmp_path / "cepat"), _sebanding(lambat, tmp_path / "lambat")
    for sheet in a:
        assert a[sheet] == b[sheet], sheet
