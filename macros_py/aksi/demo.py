"""`evkin demo DIR`: the SOP run on sample data, each action in its own unit of work as real users would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..io.master import UnitKerja
from .inisialisasi import buat_master
from .konteks import eksekusi
from .sop import mulai_langkah, ringkasan_status, selesaikan_langkah

AWAL_DEMO = datetime(2026, 10, 5, 8, 0)  # Monday after TW3 closes

# (step, who, minutes after the previous step ends it starts, duration in minutes) — step 4 overruns on
# purpose so the demo shows a red row.
JADWAL: list[tuple[int, str, int, int]] = [
    (1, "kasubag", 0, 4), (2, "kasubag", 10, 55), (3, "kasubag", 5, 12), (4, "kasubag", 60, 200),
    (5, "kasubag", 30, 2 * 24 * 60), (6, "kasubag", 30, 6 * 60), (7, "kasubag", 30, 24 * 60),
    (8, "sekcam", 60, 45), (9, "camat", 30, 20), (10, "kasubag", 15, 8), (11, "kasubag", 10, 5),
]


def jalankan_demo(folder: Path, info: Callable[[str], None] = print) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "Evaluasi_Kinerja.xlsx"
    buat_master(master, 2026, "TW3", sebagai="kasubag", timpa=True, waktu=AWAL_DEMO, info=info)
    info(f"[init] workbook dibuat: {master}")

    def aksi(sebagai: str, waktu: datetime, fungsi: Callable[..., Any]) -> Any:
        with UnitKerja(master, info=info) as uow:
            hasil = eksekusi(uow.book, fungsi, sebagai=sebagai, waktu=waktu, info=info)
            uow.simpan()
        return hasil

    waktu = AWAL_DEMO
    for no, sebagai, jeda, durasi in JADWAL:
        mulai = waktu + timedelta(minutes=jeda)
        selesai = mulai + timedelta(minutes=durasi)
        aksi(sebagai, mulai, lambda b, k, no=no: mulai_langkah(b, k, no))
        s = aksi(sebagai, selesai, lambda b, k, no=no: selesaikan_langkah(b, k, no))
        info(f"[langkah {no}] selesai {s.selesai:%d-%m-%Y %H:%M}, durasi {s.durasi}, sesuai mutu baku: "
             f"{s.sesuai_mutu_baku}")
        waktu = selesai
    from openpyxl import load_workbook

    from ..io.openpyxl_book import OpenpyxlBook
    from ..schema import muat_skema

    data = ringkasan_status(OpenpyxlBook(load_workbook(master)), muat_skema(), waktu)
    info(f"Demo selesai. Workbook: {master.resolve()}")
    for t in data["terlambat"]:
        info(f"  terlambat: langkah {t['no']} {t['keterangan']}")
    return master
