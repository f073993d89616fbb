"""The SOP engine through the CLI, on real files: order, roles, timing against the mutu baku, reopening."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros_py.domain.hari_kerja import KalenderKerja
from tests.conftest import sha256


def _langkah(evkin, master: Path, aksi: str, no: int, waktu: datetime, sebagai: str = "kasubag"):
    # timing only: finishing the himpun step with no bidang sent is confirmed explicitly (--ya)
    ya = ("--ya",) if aksi == "selesai" else ()
    return evkin("--workbook", master, "--sebagai", sebagai, "--waktu", waktu.isoformat(), "langkah", aksi, str(no),
                 *ya)


def _selesaikan_sampai(evkin, master: Path, akhir: int, mulai: datetime) -> datetime:
    waktu = mulai
    for no in range(1, akhir + 1):
        assert _langkah(evkin, master, "mulai", no, waktu).kode == 0
        waktu += timedelta(minutes=3)
        assert _langkah(evkin, master, "selesai", no, waktu).kode == 0
    return waktu


def _baris_sop(master: Path, no: int) -> dict:
    ws = load_workbook(master)["SOP"]
    judul = [c.value for c in ws[4]]
    return dict(zip(judul, [c.value for c in ws[4 + no]], strict=True))


def test_step_cannot_start_before_its_predecessor_is_finished(master: Path, evkin) -> None:
    sebelum = sha256(master)
    hasil = _langkah(evkin, master, "mulai", 3, datetime(2026, 10, 5, 9))
    assert hasil.kode == 4
    assert "langkah 2" in hasil.galat and "belum selesai" in hasil.galat
    assert sha256(master) == sebelum


def test_finish_before_start_and_double_click_are_refused(master: Path, evkin) -> None:
    t = datetime(2026, 10, 5, 8)
    assert _langkah(evkin, master, "selesai", 1, t).kode == 4
    assert _langkah(evkin, master, "mulai", 1, t).kode == 0
    dobel = _langkah(evkin, master, "mulai", 1, t)
    assert dobel.kode == 4 and "sudah dimulai" in dobel.galat
    assert _langkah(evkin, master, "selesai", 1, t + timedelta(minutes=4)).kode == 0
    sebelum = sha256(master)
    dobel = _langkah(evkin, master, "selesai", 1, t + timedelta(minutes=5))
    assert dobel.kode == 4 and "sudah selesai" in dobel.galat
    assert sha256(master) == sebelum


def test_role_not_pelaksana_is_refused(master: Path, evkin) -> None:
    hasil = _langkah(evkin, master, "mulai", 1, datetime(2026, 10, 5, 8), sebagai="camat")
    assert hasil.kode == 4 and "tidak berwenang" in hasil.galat and "Kasubag Perencanaan" in hasil.galat
    tak_dikenal = _langkah(evkin, master, "mulai", 1, datetime(2026, 10, 5, 8), sebagai="siapa")
    assert tak_dikenal.kode == 4 and "tidak terdaftar" in tak_dikenal.galat


def test_minutes_overrun_is_marked_and_listed(master: Path, evkin) -> None:
    t = datetime(2026, 10, 5, 8)
    _langkah(evkin, master, "mulai", 1, t)
    assert _langkah(evkin, master, "selesai", 1, t + timedelta(minutes=9)).kode == 0
    baris = _baris_sop(master, 1)
    assert baris["Status"] == "Selesai" and baris["Durasi"] == "9 menit" and baris["Sesuai Mutu Baku"] == "Tidak"
    assert baris["Mulai"] == t and baris["Oleh"].endswith("(kasubag)")
    status = evkin("--workbook", master, "status", "--json")
    assert '"keterangan": "selesai 9 menit, melebihi mutu baku 5 menit"' in status.keluar


def test_days_counted_as_hari_kerja_across_weekend_and_17_agustus(master: Path, evkin) -> None:
    jumat = datetime(2026, 8, 14, 9)  # Friday before Hari Kemerdekaan (Monday 17 Aug)
    _selesaikan_sampai(evkin, master, 4, jumat - timedelta(hours=1))
    assert _langkah(evkin, master, "mulai", 5, jumat).kode == 0
    assert _langkah(evkin, master, "selesai", 5, datetime(2026, 8, 19, 16)).kode == 0  # Wednesday: 2 hari kerja
    baris = _baris_sop(master, 5)
    assert baris["Durasi"] == "2 hari kerja" and baris["Sesuai Mutu Baku"] == "Ya"


def test_days_late_when_one_more_working_day_passes(master: Path, evkin) -> None:
    jumat = datetime(2026, 8, 14, 9)
    _selesaikan_sampai(evkin, master, 4, jumat - timedelta(hours=1))
    _langkah(evkin, master, "mulai", 5, jumat)
    running = evkin("--workbook", master, "--waktu", "2026-08-20T08:00", "status", "--json")
    assert "masih berjalan 3 hari kerja" in running.keluar
    _langkah(evkin, master, "selesai", 5, datetime(2026, 8, 20, 8))
    assert _baris_sop(master, 5)["Sesuai Mutu Baku"] == "Tidak"


def test_extra_holiday_from_konfigurasi_is_skipped(master: Path, evkin) -> None:
    wb = load_workbook(master)
    wb["Konfigurasi"]["P4"] = datetime(2026, 8, 18)
    wb.save(master)
    jumat = datetime(2026, 8, 14, 9)
    _selesaikan_sampai(evkin, master, 4, jumat - timedelta(hours=1))
    _langkah(evkin, master, "mulai", 5, jumat)
    _langkah(evkin, master, "selesai", 5, datetime(2026, 8, 20, 8))  # Tue 18 is off too: Wed, Thu = 2
    assert _baris_sop(master, 5)["Sesuai Mutu Baku"] == "Ya"


def test_reopen_needs_reason_and_resets_following_steps(master: Path, evkin) -> None:
    waktu = _selesaikan_sampai(evkin, master, 5, datetime(2026, 10, 5, 8))
    tanpa = evkin("--workbook", master, "--sebagai", "kasubag", "buka-ulang", "3", "--alasan", " ")
    assert tanpa.kode == 4 and "alasan" in tanpa.galat
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", waktu.isoformat(),
                  "buka-ulang", "3", "--alasan", "format salah kirim")
    assert hasil.kode == 0, hasil.galat
    assert _baris_sop(master, 3)["Status"] == "Berjalan"
    assert "format salah kirim" in _baris_sop(master, 3)["Catatan"]
    assert [_baris_sop(master, n)["Status"] for n in (4, 5)] == ["Belum", "Belum"]
    assert _langkah(evkin, master, "mulai", 4, waktu).kode == 4  # 3 must be finished again first
    log = [r for r in load_workbook(master)["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert log[-1][5] == "buka-ulang" and "format salah kirim" in log[-1][6]
    assert evkin("--workbook", master, "verifikasi").kode == 0


@given(st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(1, 10))
def test_batas_waktu_is_the_nth_working_day(mulai: date, n: int) -> None:
    kalender = KalenderKerja()
    batas = kalender.batas_waktu(mulai, n)
    assert kalender.hari_kerja(batas)
    assert kalender.jumlah_hari_kerja(mulai, batas) == n
    assert kalender.jumlah_hari_kerja(mulai, batas + timedelta(days=1)) <= n + 1
    assert kalender.jumlah_hari_kerja(mulai, batas - timedelta(days=1)) == n - 1


def test_a_steps_time_runs_from_the_end_of_the_step_before_it(master: Path, evkin) -> None:
    """Each command starts and finishes its step at once; the SOP's time of a step is from the end of the step
    it follows to its command (step 5's from the distribution), so the mutu baku comparison means something."""
    import json

    def cli(waktu: str, *args: str) -> None:
        hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", waktu, *args)
        assert hasil.kode == 0, hasil.galat

    cli("2026-10-05T08:00", "disposisi", "--isi", "Susun evaluasi")
    wb = load_workbook(master)
    ws = wb["Daftar Indikator"]
    ws["A5"], ws["G5"], ws["H5"], ws["I5"], ws["J5"], ws["O5"] = "PEM", "Desa tertib", "desa", "Naik", "Akumulasi", 5
    wb.save(master)
    cli("2026-10-05T10:00", "format")  # 120 minutes after step 1 ended: over its 60 minutes
    assert _baris_sop(master, 2)["Durasi"] == "120 menit" and _baris_sop(master, 2)["Sesuai Mutu Baku"] == "Tidak"
    cli("2026-10-05T10:10", "distribusi")
    assert _baris_sop(master, 3)["Durasi"] == "10 menit" and _baris_sop(master, 3)["Sesuai Mutu Baku"] == "Ya"
    status = json.loads(evkin("--workbook", master, "--waktu", "2026-10-05T11:00", "status", "--json").keluar)
    langkah = {lk["no"]: lk for lk in status["langkah"]}
    assert langkah[4]["batas"] == "05-10-2026 13:10"  # 180 minutes from the distribution's end
    assert status["batas_himpun_waktu"] == "07-10-2026 23:59"  # two hari kerja from the distribution
