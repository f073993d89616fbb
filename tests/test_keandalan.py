"""Reliability: kills at random moments, several processes at once, foreign content, hostile values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from macros_py.domain.penomoran import periksa_register
from tests import kill_harness
from tests.conftest import tanpa_contoh


def test_random_kills_leave_the_master_before_or_after_never_mixed() -> None:
    hasil = kill_harness.jalankan(int(os.environ.get("EVKIN_KILLS", "2")))
    assert hasil.gagal == []
    assert sum(v for k, v in hasil.hitung.items() if k.endswith(("sebelum", "sesudah"))) >= 10


def _register(master: Path) -> list[dict]:
    ws = load_workbook(master)["Penomoran"]
    judul = ["no_urut", "tanggal", "nomor_surat", "perihal", "tujuan", "pembuat", "status", "keterangan"]
    return [dict(zip(judul, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]


def test_four_processes_allocating_numbers_at_once_never_share_one_or_leave_a_gap(master: Path) -> None:
    skrip = (
        "import subprocess, sys\n"
        "for i in range(4):\n"
        "    r = subprocess.run([sys.executable, '-m', 'macros_py', '--workbook', sys.argv[1], '--sebagai',"
        " 'kasubag', '--tunggu', '120', 'nomor', '--perihal', f'Uji {sys.argv[2]}-{i}', '--tujuan', 'X'],"
        " capture_output=True, text=True)\n"
        "    print(r.returncode, r.stdout.strip(), r.stderr.strip().replace(chr(10), ' | '))\n"
    )
    proses = [subprocess.Popen([sys.executable, "-c", skrip, str(master), str(p)], stdout=subprocess.PIPE, text=True)
              for p in range(4)]
    keluaran = [p.communicate(timeout=600)[0] for p in proses]
    baris = [b for k in keluaran for b in k.splitlines()]
    assert len(baris) == 16 and all(b.startswith("0 ") for b in baris), baris
    register = _register(master)
    assert sorted(r["no_urut"] for r in register) == list(range(1, 17))
    assert len({r["nomor_surat"] for r in register}) == 16
    assert periksa_register(register) == []
    log = [r for r in load_workbook(master)["Log"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[0] for r in log] == list(range(1, 18))  # no interleaved or lost log rows
    assert any("Menunggu" in b for b in baris)  # somebody had to wait, and said so
    cek = subprocess.run([sys.executable, "-m", "macros_py", "--workbook", str(master), "verifikasi"],
                         capture_output=True, text=True)
    assert cek.returncode == 0


def test_cancelled_number_stays_and_is_never_reused(master: Path, evkin) -> None:
    for _ in range(2):
        assert evkin("--workbook", master, "--sebagai", "kasubag", "nomor", "--perihal", "a", "--tujuan", "b").kode == 0
    batal = evkin("--workbook", master, "--sebagai", "kasubag", "nomor", "--batal", "000.7.5/002/Kec-Mkt/2026",
                  "--alasan", "salah tujuan")
    assert batal.kode == 0, batal.galat
    baru = evkin("--workbook", master, "--sebagai", "kasubag", "nomor", "--perihal", "c", "--tujuan", "d")
    assert baru.keluar.strip().startswith("000.7.5/003/")
    register = _register(master)
    assert [r["status"] for r in register] == ["aktif", "batal", "aktif"]
    tanpa_peran = evkin("--workbook", master, "--sebagai", "kasi_pem", "nomor", "--perihal", "c", "--tujuan", "d")
    assert tanpa_peran.kode == 4


def test_periksa_explains_each_problem(master: Path, evkin) -> None:
    baru = evkin("--workbook", master, "periksa")  # a new master still holds the shipped sample names
    masalah = [b for b in baru.keluar.splitlines() if b.startswith("MASALAH")]
    assert baru.kode == 3 and len(masalah) == 17 and all("masih contoh" in m for m in masalah)
    assert len(tanpa_contoh(master)) == 17
    assert evkin("--workbook", master, "periksa").kode == 0
    wb = load_workbook(master)
    wb["Rekap"]["Q5"] = "=1+1"
    wb["SOP"]["J7"] = "Selesai"
    wb["Log"]["G5"] = "diubah"
    wb["Konfigurasi"]["B11"] = 99
    del wb["Seksi Kesos"]
    wb.save(master)
    hasil = evkin("--workbook", master, "periksa")
    assert hasil.kode == 3
    for kata in ("sel Q5: berisi rumus", "langkah 3 selesai padahal langkah 2 belum dimulai", "Log baris 5",
                 "Sheet 'Seksi Kesos' tidak ada", "versi skema workbook 99"):
        assert kata in hasil.keluar, (kata, hasil.keluar)
