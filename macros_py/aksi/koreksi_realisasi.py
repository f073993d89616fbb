"""`evkin koreksi-realisasi`: the one way to change a realisasi carried from a sealed record (an earlier triwulan,
or Realisasi Renstra s.d. tahun lalu).

The Kasubag records the old value, the new value, the reason and who, in the sheet Koreksi Realisasi and the Log;
the new value replaces the carried one in Daftar Indikator (so a submission holding it is accepted), in the
bidang's sheet and, when the bidang's rows are already collected, in Rekap. The document (step 7) lists every
correction and marks the corrected indicator. Allowed while data are being collected (the himpun step not yet
finished), never by a Kepala Bidang.
"""

from __future__ import annotations

from typing import Any

from macros_py.aksi.analisis import analisa_rekap, aturan_analisa, kolom_analisis
from macros_py.aksi.daftar_indikator import baris_indikator
from macros_py.aksi.langkah import Konteks, periksa_boleh
from macros_py.domain.angka import AngkaTidakValid, parse_angka
from macros_py.domain.errors import LangkahDitolak, PenggunaanSalah
from macros_py.domain.referensi import sama, teks_nilai
from macros_py.domain.tersegel import baca_triwulan, kunci_indikator
from macros_py.io.book import Book, append_rows, read_table_rows
from macros_py.schema import Skema


def _nilai(teks: str) -> float:
    try:
        hasil = parse_angka(teks)
    except AngkaTidakValid as e:
        raise PenggunaanSalah(f"--nilai '{teks}': {e}") from None
    if hasil.nilai is None or hasil.nilai < 0:
        raise PenggunaanSalah(f"--nilai '{teks}': isi angka >= 0 (mis. 5 atau 1.250.000).")
    return hasil.nilai


def _rekaman(pengaturan: dict[str, Any], kolom: str, skema: Skema) -> str:
    """The sealed record a corrected column came from (Konfigurasi names it with its SHA-256)."""
    return str(pengaturan.get("renstra_tersegel" if kolom in skema.kolom_dari_tahun_lalu else "rekaman_tersegel")
               or "")


def _tulis_di_tabel(book: Book, sheet: str, baris_data: int, kolom_awal: int, baris: list[list[Any]],
                    cocok: Any, kolom: int, nilai: float) -> int | None:
    """Write `nilai` in column `kolom` (0-based in the table) of the first row for which `cocok(row)` holds (the
    row in `baris` too); its index, None when no row matches."""
    for i, b in enumerate(baris):
        if cocok(b):
            book.write(sheet, baris_data + i, kolom_awal + kolom, [[nilai]])
            b[kolom] = nilai
            return i
    return None


def koreksi_realisasi(book: Book, konteks: Konteks, bidang: str, no: int, kolom: str, nilai: str,
                      alasan: str) -> dict[str, Any]:
    """Record a correction of a sealed realisasi (see module); returns what was recorded."""
    skema = konteks.skema
    if konteks.pelaku.peran == "kepala_bidang":
        raise LangkahDitolak(f"{konteks.pelaku.label()} tidak dapat mengoreksi realisasi yang sudah disahkan; "
                             "sampaikan koreksinya kepada Kasubag Perencanaan.")
    periksa_boleh(book, konteks, konteks.no("himpun"))
    pengaturan = konteks.konfigurasi.pengaturan
    sah = skema.kolom_tersegel(baca_triwulan(pengaturan.get("triwulan_tersegel")))
    if pengaturan.get("renstra_tersegel"):
        sah += tuple(skema.kolom_dari_tahun_lalu)
    if not sah:
        raise PenggunaanSalah("Periode ini tidak membawa realisasi dari rekaman tersegel (evkin init --lanjut "
                              "ARSIP_PERIODE_LALU); tidak ada yang perlu dikoreksi dengan perintah ini.")
    if kolom not in sah:
        raise PenggunaanSalah(f"--kolom {kolom}: yang tersegel di periode ini {', '.join(sah)}.")
    if not alasan.strip():
        raise PenggunaanSalah("Alasan koreksi wajib diisi (--alasan).")
    nama = {b["kode"]: b for b in konteks.konfigurasi.bidang}
    if bidang not in nama:
        raise PenggunaanSalah(f"--bidang {bidang} tidak dikenal (yang ada: {', '.join(nama)}).")
    baru = _nilai(nilai)
    daftar = [d for d in baris_indikator(book, konteks, "koreksi tidak dicatat") if d["kode_bidang"] == bidang]
    acuan = next((d for d in daftar if d["no"] == no), None)
    if acuan is None:
        raise PenggunaanSalah(f"Bidang {bidang} tidak punya indikator No {no} di Daftar Indikator (ada No "
                              f"{', '.join(str(d['no']) for d in daftar) or '-'}).")
    lama = acuan.get(kolom)
    judul = skema.tabel("bidang").kolom[skema.tabel("bidang").indeks(kolom)].judul
    if sama(lama, baru):
        raise PenggunaanSalah(f"{judul} indikator '{acuan['indikator']}' sudah bernilai {teks_nilai(lama)}; tidak "
                              "ada yang dikoreksi.")
    tabel = skema.tabel("indikator")
    book.write(tabel.sheet, acuan["baris_daftar"], tabel.kolom_awal + tabel.indeks(kolom), [[baru]])
    b = nama[bidang]
    kunci = kunci_indikator(bidang, no, acuan["indikator"])
    sheet = skema.tabel_bidang(b["sheet"])
    i_no, i_ind = sheet.indeks("no"), sheet.indeks("indikator")
    _tulis_di_tabel(book, sheet.sheet, sheet.baris_data, sheet.kolom_awal, read_table_rows(book, sheet),
                    lambda r: kunci_indikator(bidang, r[i_no], r[i_ind]) == kunci, sheet.indeks(kolom), baru)
    rekap = skema.tabel("rekap")
    r_bidang, r_no, r_ind = rekap.indeks("bidang"), rekap.indeks("no"), rekap.indeks("indikator")
    baris_rekap = read_table_rows(book, rekap)
    i = _tulis_di_tabel(
        book, rekap.sheet, rekap.baris_data, rekap.kolom_awal, baris_rekap,
        lambda r: str(r[r_bidang] or "").strip() == b["nama"] and kunci_indikator(bidang, r[r_no], r[r_ind]) == kunci,
        rekap.indeks(kolom), baru)
    if i is not None and (aturan := aturan_analisa(konteks)) is not None:
        analisa_rekap(skema, [baris_rekap[i]], aturan)  # the row's capaian follows the corrected realisasi
        awal = rekap.indeks(kolom_analisis(skema)[0])
        book.write(rekap.sheet, rekap.baris_data + i, rekap.kolom_awal + awal, [baris_rekap[i][awal:]])
    catatan = {"waktu": konteks.waktu, "bidang": b["nama"], "no": no, "indikator": acuan["indikator"],
               "kolom": judul, "nilai_lama": lama, "nilai_baru": baru, "alasan": alasan.strip(),
               "oleh": konteks.pelaku.label()}
    append_rows(book, skema.tabel("koreksi"), [catatan])
    konteks.catat(konteks.no("himpun"), "koreksi-realisasi",
                  f"{b['nama']} No {no} '{acuan['indikator']}', {judul}: {teks_nilai(lama)} -> {teks_nilai(baru)} "
                  f"(rekaman tersegel {_rekaman(pengaturan, kolom, skema) or '-'}); alasan: "
                  f"{alasan.strip()}")
    return dict(catatan, di_rekap=i is not None)
