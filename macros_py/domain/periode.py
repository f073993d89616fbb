"""How periods and dates are written on official outputs ("Triwulan III Tahun 2026", "7 Oktober 2026")."""

from __future__ import annotations

from datetime import date

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
NAMA_PERIODE = {"TW1": "Triwulan I", "TW2": "Triwulan II", "TW3": "Triwulan III", "TW4": "Triwulan IV",
                "S1": "Semester I", "S2": "Semester II", "TAHUNAN": "Tahunan"}


def tanggal_id(hari: date) -> str:
    return f"{hari.day} {BULAN[hari.month - 1]} {hari.year}"
