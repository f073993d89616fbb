"""The data of the Dokumen Evaluasi Kinerja (Formulir E.81), assembled from Rekap, Analisis and Konfigurasi.

Columns come from sheets_schema/sheets.yaml (sheet Dokumen, ``e81``); the print settings, signatories and
predikat bands from Konfigurasi. Nothing here lays out cells: that is io/output/print_dokumen.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from macros_py.aksi.konfigurasi import RP_DALAM, penanda_tangan, pengaturan_cetak
from macros_py.aksi.langkah import Konteks
from macros_py.domain.capaian import TOTAL_UNIT
from macros_py.domain.predikat import rata_rata
from macros_py.io.book import Book, read_table

JUDUL = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
TANPA_URUSAN = "(Urusan belum diisi)"


def _daftar(rekap: list[dict[str, Any]], key: str) -> list[str]:
    """One line per bidang and distinct text, "Bidang: text"; blanks and dashes left out."""
    hasil: list[str] = []
    for r in rekap:
        teks = str(r.get(key) or "").strip()
        butir = f"{r['bidang']}: {teks}"
        if teks and teks not in ("-", "—") and butir not in hasil:
            hasil.append(butir)
    return hasil


def kolom_e81(konteks: Konteks, kelompok_urusan: bool):
    """The column groups of the schema, the Kode column only with the Urusan grouping, {tahun} filled in."""
    from macros_py.io.output.print_layout import KolomE81

    hasil = []
    for g in konteks.skema.sheet("dokumen").ekstra["e81"]:
        if g.get("jika") == "kelompok_urusan" and not kelompok_urusan:
            continue
        isian = {k: v for k, v in g.items() if k != "jika"}
        for k in ("judul", "judul_kelompok"):
            if k in isian:
                isian[k] = str(isian[k]).format(tahun=konteks.konfigurasi.tahun)
        hasil.append(KolomE81(**isian))
    return hasil


def _baris_indikator(rekap: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hasil = []
    for i, r in enumerate(rekap, 1):
        program = " / ".join(str(r.get(k)) for k in ("program", "kegiatan", "sub_kegiatan") if r.get(k))
        satuan = str(r.get("satuan") or "").strip()
        indikator = f"{r.get('indikator') or ''} ({satuan})" if satuan else r.get("indikator")
        hasil.append(dict(r, no=i, program_kegiatan=program, indikator=indikator))
    return hasil


def _koreksi(rekap: list[dict[str, Any]], koreksi: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Rekap rows whose sealed realisasi were corrected carry the correction in their Keterangan; one line per
    correction for the list under the table."""
    from macros_py.domain.referensi import teks_nilai
    from macros_py.domain.tersegel import kunci_indikator

    tanda: dict[tuple[str, Any, str], list[str]] = {}
    baris = []
    for k in koreksi:
        perubahan = f"{k['kolom']} {teks_nilai(k['nilai_lama'])} menjadi {teks_nilai(k['nilai_baru'])}"
        tanda.setdefault(kunci_indikator(k["bidang"], k["no"], k["indikator"]), []).append(f"koreksi {perubahan}")
        waktu = k["waktu"]
        kapan = f"{waktu:%d-%m-%Y}" if hasattr(waktu, "strftime") else str(waktu or "")
        baris.append(f"{k['bidang']}, {k['indikator']}: {perubahan}; alasan: {k['alasan']} ({k['oleh']}, {kapan}).")
    hasil = []
    for r in rekap:
        catatan = tanda.get(kunci_indikator(r.get("bidang"), r.get("no"), r.get("indikator")))
        if catatan:
            r = dict(r, keterangan="; ".join([*([str(r["keterangan"])] if r.get("keterangan") else []), *catatan]))
        hasil.append(r)
    return hasil, baris


def _subtotal(kolom: list[Any], isi: list[dict[str, Any]]) -> dict[str, Any]:
    """Rp columns summed, percentage columns averaged (as the footer); K of mixed units left empty."""
    nilai: dict[str, Any] = {}
    for g in kolom:
        if g.persen:
            for key in (g.k, g.rp):
                nilai[key] = rata_rata([r.get(key) for r in isi if isinstance(r.get(key), int | float)])
        elif g.rp:
            angka = [r.get(g.rp) for r in isi if isinstance(r.get(g.rp), int | float)]
            nilai[g.rp] = sum(angka) if angka else None
    return nilai


def _kelompokkan(kolom: list[Any], baris: list[dict[str, Any]]):
    """Rows grouped by Urusan / Bidang Urusan (first-seen order), each group headed and subtotalled."""
    from macros_py.io.output.print_layout import KELOMPOK, SUBTOTAL, BarisTabel

    urutan: dict[str, list[dict[str, Any]]] = {}
    for b in baris:
        urutan.setdefault(str(b.get("urusan") or "").strip() or TANPA_URUSAN, []).append(b)
    hasil = []
    for urusan, isi in urutan.items():
        hasil.append(BarisTabel({}, KELOMPOK, urusan))
        hasil += [BarisTabel(b) for b in isi]
        hasil.append(BarisTabel(_subtotal(kolom, isi), SUBTOTAL, f"Jumlah / rata-rata {urusan}"))
    return hasil


def data_e81(book: Book, konteks: Konteks, versi: int, folder_master: Path):
    """Everything printed on the document, read from Rekap and Analisis (values, not formulas)."""
    from macros_py.domain.periode import NAMA_PERIODE, tanggal_id
    from macros_py.io.output.print_layout import BarisTabel, DataDokumen, Penanda, nomor_kolom

    skema = konteks.skema
    konf = konteks.konfigurasi
    cetak = pengaturan_cetak(book, konteks, folder_master)
    kriteria = konf.kriteria
    tabel_koreksi = skema.tabel("koreksi")  # a master made before schema v3 has no such sheet
    rekap, koreksi = _koreksi(read_table(book, skema.tabel("rekap")),
                              read_table(book, tabel_koreksi) if tabel_koreksi.sheet in book.sheet_names() else [])
    rekap = _baris_indikator(rekap)
    total = next((r for r in read_table(book, skema.tabel("analisis")) if r["bidang"] == TOTAL_UNIT), {})
    kolom = kolom_e81(konteks, cetak.kelompok_urusan)
    baris = _kelompokkan(kolom, rekap) if cetak.kelompok_urusan else [BarisTabel(b) for b in rekap]
    nomor = {g.id: n.split(" ")[0] for g, n in zip(kolom, nomor_kolom(kolom).values(), strict=True)}
    p = konf.pengaturan
    catatan = [
        "K = kinerja (dalam satuan indikator); Rp = anggaran, dalam {rp}. "
        f"Kolom {nomor['realisasi']} (K) menurut cara hitung indikator: Akumulasi = jumlah triwulan, "
        "Nilai Akhir = triwulan terakhir yang diisi, Rata-rata = rata-rata triwulan yang diisi; Rp selalu "
        "dijumlahkan. Indikator yang makin kecil makin baik (polaritas Turun): "
        "capaian = (2 x target - realisasi) / target x 100%.",
        f"Predikat (kinerja dan anggaran): {kriteria.teks()}.",
    ]
    return DataDokumen(
        pemerintah=str(p["pemerintah"]).upper(), unit=str(p["unit"]).upper(), alamat=str(p.get("alamat") or ""),
        judul=JUDUL, periode_teks=f"{NAMA_PERIODE.get(konf.periode, konf.periode)} Tahun {konf.tahun}", versi=versi,
        kolom=kolom, baris=baris,
        rata_rata={"capaian_kinerja": total.get("rata_capaian_kinerja"),
                   "capaian_anggaran": total.get("rata_capaian_anggaran"),
                   "capaian_renstra_k": rata_rata([r.get("capaian_renstra_k") for r in rekap]),
                   "capaian_renstra_rp": rata_rata([r.get("capaian_renstra_rp") for r in rekap])},
        predikat={"capaian_kinerja": str(total.get("predikat") or "-"),
                  "capaian_anggaran": str(total.get("predikat_anggaran") or "-")},
        faktor_pendorong=_daftar(rekap, "faktor_pendorong"), faktor_penghambat=_daftar(rekap, "faktor_penghambat"),
        tindak_lanjut_triwulan=_daftar(rekap, "tindak_lanjut"),
        tindak_lanjut_renja=_daftar(rekap, "tindak_lanjut_renja"),
        tempat_tanggal=f"{p.get('tempat') or ''}, {tanggal_id(konteks.waktu.date())}",
        disusun=Penanda(*penanda_tangan(book, konteks, "disusun")),
        dievaluasi=Penanda(*penanda_tangan(book, konteks, "dievaluasi")),
        catatan_tabel=catatan, kertas=cetak.kertas, rp_dalam=RP_DALAM[cetak.rp_dalam], logo=cetak.logo,
        koreksi=koreksi,
    )
