"""What an action tells the user when it succeeds — one wording for the CLI and for the Excel alert."""

from __future__ import annotations

import json
from typing import Any

from macros_py.domain.angka import format_angka_id
from macros_py.domain.sop import StatusLangkah


def langkah_dimulai(s: StatusLangkah) -> str:
    return f"Langkah {s.no} dimulai pada {s.mulai:%d-%m-%Y %H:%M} oleh {s.oleh}."


def langkah_selesai(s: StatusLangkah) -> str:
    return (f"Langkah {s.no} selesai pada {s.selesai:%d-%m-%Y %H:%M}; durasi {s.durasi}; "
            f"sesuai mutu baku: {s.sesuai_mutu_baku}.")


def format_dibuat(jumlah: dict[str, int], no: int | None) -> str:
    return (f"Format pengumpulan data dibuat; langkah {no} selesai. Indikator terisi: "
            + ", ".join(f"{kode} {n}" for kode, n in jumlah.items()))


def distribusi(catatan: list[dict[str, Any]], no: int | None) -> list[str]:
    return [*(f"{c['bidang']}: {c['berkas']} (sha256 {c['sha256'][:12]})" for c in catatan),
            f"Format didistribusikan; langkah {no} selesai."]


def persen(x: Any) -> str:
    """A percentage as Indonesians write it ("80,5%"); "belum ada data" when there is none."""
    if x is None or x == "":
        return "belum ada data"
    return f"{format_angka_id(float(x), 2).rstrip('0').rstrip(',')}%"


def ringkasan_analisa(ringkas: list[dict[str, Any]]) -> list[str]:
    """One line per bidang and the unit total."""
    return [f"{r['bidang']}: {r['jumlah_indikator']} indikator, rata-rata capaian kinerja "
            f"{persen(r.get('rata_capaian_kinerja'))} ({r.get('predikat') or '-'})" for r in ringkas]


def analisa(ringkas: list[dict[str, Any]], no: int | None) -> list[str]:
    return [*ringkasan_analisa(ringkas), f"Analisis selesai; langkah {no} selesai."]


def himpun(hasil: Any, no: int | None, sebagai_json: bool = False) -> list[str]:
    if sebagai_json:
        return [json.dumps(hasil.json(), ensure_ascii=False, indent=2)]
    baris = [f"Diterima: {k.sheet if k.berkas == 'workbook induk' else k.berkas} — bidang {k.kode_bidang}, "
             f"{k.jumlah_baris} baris." for k in hasil.diterima]
    baris += [f"Identik: {k.sheet if k.berkas == 'workbook induk' else k.berkas} — bidang {k.kode_bidang}, identik "
              f"dengan kiriman {waktu}; tidak ditulis ulang." for k, waktu in hasil.identik]
    if hasil.tanpa_perubahan:
        baris.append("Tidak ada yang berubah; workbook induk tidak disimpan.")
    baris += [f"  peringatan: {m}" for m in hasil.peringatan]
    baris += [f"Tidak diproses: {x['berkas']} — {x['alasan']}." for x in hasil.tidak_diproses]
    if hasil.belum_mengirim:
        baris.append("Belum mengirim: " + ", ".join(hasil.belum_mengirim))
    else:
        baris.append(f"Semua bidang sudah mengirim. Selesaikan langkah {no} dengan: evkin langkah selesai {no}")
    return baris


def koreksi_realisasi(h: dict[str, Any]) -> list[str]:
    lama = "kosong" if h["nilai_lama"] is None else format_angka_id(float(h["nilai_lama"]), 2).rstrip("0").rstrip(",")
    baru = format_angka_id(float(h["nilai_baru"]), 2).rstrip("0").rstrip(",")
    return [f"Koreksi dicatat: {h['bidang']} No {h['no']} '{h['indikator']}', {h['kolom']}: {lama} -> {baru}.",
            "Daftar Indikator dan sheet bidang memakai nilai baru" + (" (juga Rekap)." if h["di_rekap"] else ".")
            + " Kiriman bidang itu diterima bila memuat nilai baru; dokumen mencantumkan koreksi ini."]


def buka_ulang(berubah: list[StatusLangkah]) -> list[str]:
    ikut = ", ".join(str(s.no) for s in berubah[1:])
    return [f"Langkah {berubah[0].no} dibuka ulang." + (f" Langkah {ikut} ikut diulang." if ikut else "")]


def arsip(hasil: dict[str, Any]) -> list[str]:
    folder = hasil["folder"]
    if hasil.get("ca_sidik"):
        return [f"Arsip tersegel dan ditandatangani di {folder}.",
                "Sidik SHA-256 sertifikat CA kecamatan (sampaikan kepada penerima lewat jalur lain): "
                f"{hasil['ca_sidik']}",
                f"Periksa kapan saja dengan: evkin verifikasi {folder} --percaya CA.pem"]
    return [f"Arsip tersegel di {folder} (tanpa tanda tangan elektronik). Periksa kapan saja dengan: evkin "
            f"verifikasi {folder}"]
