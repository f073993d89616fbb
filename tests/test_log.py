"""Tamper-evident Log: each kind of tampering is found and the first broken row is named."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook


@pytest.fixture
def master_berlog(master: Path, evkin) -> Path:
    t = datetime(2026, 10, 5, 8)
    for no in (1, 2, 3):
        evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", t.isoformat(), "langkah", "mulai", str(no))
        t += timedelta(minutes=4)
        evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", t.isoformat(), "langkah", "selesai", str(no))
    return master  # Log rows: 1 init + 6 = 7, Excel rows 5..11


def _ubah_log(master: Path, ubah) -> None:
    wb = load_workbook(master)
    ws = wb["Log"]
    baris = [list(r) for r in ws.iter_rows(min_row=5, max_col=9, values_only=True) if r[0] is not None]
    baris = ubah(baris)
    for r in range(5, 5 + len(baris) + 3):
        for c in range(1, 10):
            ws.cell(r, c).value = None
    for i, b in enumerate(baris):
        for j, v in enumerate(b):
            ws.cell(5 + i, 1 + j).value = v
    wb.save(master)


def test_intact_log_verifies(master_berlog: Path, evkin) -> None:
    hasil = evkin("--workbook", master_berlog, "verifikasi")
    assert hasil.kode == 0 and "utuh" in hasil.keluar


@pytest.mark.parametrize(
    ("nama", "ubah", "baris_excel", "kata"),
    [
        ("edit", lambda b: [*b[:3], [*b[3][:6], "diubah tangan", *b[3][7:]], *b[4:]], 8, "diubah"),
        ("hapus tengah", lambda b: b[:2] + b[3:], 7, "nomor urut"),
        ("sisip", lambda b: [*b[:2], [3, "x", "x", "x", "1", "x", "x", "x", "x"], *b[2:]], 7, "tidak tersambung"),
        ("urut ulang", lambda b: [*b[:2], b[3], b[2], *b[4:]], 7, "nomor urut"),
        ("hapus terakhir", lambda b: b[:-1], 11, "dihapus"),
        ("nomor disesuaikan", lambda b: [[i + 1, *r[1:]] for i, r in enumerate(b[:2] + b[3:])], 7, "tidak tersambung"),
    ],
)
def test_each_kind_of_tampering_is_named(master_berlog: Path, evkin, nama, ubah, baris_excel, kata) -> None:
    _ubah_log(master_berlog, ubah)
    hasil = evkin("--workbook", master_berlog, "verifikasi")
    assert hasil.kode == 3, nama
    assert f"Log baris {baris_excel}" in hasil.keluar and kata in hasil.keluar, hasil.keluar
