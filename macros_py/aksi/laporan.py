"""What an action tells the user when it succeeds — one wording for the CLI and for the Excel alert."""

from __future__ import annotations

from typing import Any

from macros_py.domain.sop import StatusLangkah


def langkah_dimulai(s: StatusLangkah) -> str:
    return f"Langkah {s.no} dimulai pada {s.mulai:%d-%m-%Y %H:%M} oleh {s.oleh}."


def langkah_selesai(s: StatusLangkah) -> str:
    return (f"Langkah {s.no} selesai pada {s.selesai:%d-%m-%Y %H:%M}; durasi {s.durasi}; "
            f"sesuai mutu baku: {s.sesuai_mutu_baku}.")


def format_dibuat(jumlah: dict[str, int]) -> str:
    return ("Format pengumpulan data dibuat; langkah 2 selesai. Indikator terisi: "
            + ", ".join(f"{kode} {n}" for kode, n in jumlah.items()))


def ringkasan_analisa(ringkas: list[dict[str, Any]]) -> list[str]:
    """One line per bidang and the unit total."""
    return [f"{r['bidang']}: {r['jumlah_indikator']} indikator, rata-rata capaian kinerja "
            f"{r.get('rata_capaian_kinerja')}% ({r.get('predikat') or '-'})" for r in ringkas]


ANALISA_SELESAI = "Analisis selesai; langkah 6 selesai."
