"""Step 6: capaian and predikat per indicator (into Rekap) and per bidang and unit (into Analisis)."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.langkah import Konteks, langkah
from macros_py.domain.capaian import TOTAL_UNIT, analisa_indikator, ringkasan
from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.book import Book, read_table, write_table
from macros_py.schema import Skema


def kolom_analisis(skema: Skema) -> tuple[str, ...]:
    """Rekap's own columns: everything after the bidang table's columns."""
    rekap = skema.tabel("rekap").keys
    return rekap[rekap.index(skema.tabel("bidang").keys[-1]) + 1 :]


BARIS_PARALEL = 5_000  # Rekap rows from which the indicators are analysed on all cores


def _analisa_semua(rekap: list[dict[str, Any]], periode: str) -> list[dict[str, Any]]:
    """`analisa_indikator` of every row, in order; a kabupaten's Rekap is split over the cores."""
    from macros_py.io.parallel import parallel_map, worker_count

    n = max(1, -(-len(rekap) // worker_count()))
    potongan = [rekap[i : i + n] for i in range(0, len(rekap), n)]
    hasil = parallel_map(lambda p: [analisa_indikator(r, periode) for r in p], potongan, bobot=list(map(len, potongan)),
                 cukup=BARIS_PARALEL)
    return [dict(r, **a) for r, a in zip(rekap, (a for p in hasil for a in p), strict=True)]


def hitung(rekap: list[dict[str, Any]], periode: str, nama_bidang: list[str]) -> tuple[list[dict], list[dict]]:
    """Rekap rows with their analysis, and one summary row per configured bidang (in order) plus the unit."""
    baris = _analisa_semua(rekap, periode)
    per_bidang = {r["bidang"]: r for r in ringkasan(baris)}
    kosong = {"jumlah_indikator": 0, "sangat_tinggi": 0, "tinggi": 0, "sedang": 0, "rendah": 0,
              "sangat_rendah": 0, "tanpa_nilai": 0}
    ringkas = [per_bidang.get(n, {"bidang": n, **kosong}) for n in nama_bidang]
    ringkas.append(dict(per_bidang.get(TOTAL_UNIT, {"bidang": TOTAL_UNIT, **kosong}), bidang=f"{TOTAL_UNIT}"))
    return baris, ringkas


def analisa(book: Book, konteks: Konteks) -> list[dict[str, Any]]:
    """Step 6: compute and write the analysis; finishes the step."""
    skema = konteks.skema
    with langkah(book, konteks, "analisa") as no:
        tabel = skema.tabel("rekap")
        rekap = read_table(book, tabel)
        if not rekap:
            raise PenggunaanSalah(f"Rekap masih kosong: himpun data bidang dulu (langkah {konteks.no('himpun')}).")
        nama = [b["nama"] for b in konteks.konfigurasi.bidang]
        baris, ringkas = hitung(rekap, konteks.konfigurasi.periode, nama)
        kolom = kolom_analisis(skema)
        book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal + tabel.indeks(kolom[0]),
                   [[b[k] for k in kolom] for b in baris])
        write_table(book, skema.tabel("analisis"), ringkas)
        total = ringkas[-1]
        konteks.catat(no, "analisa", f"{len(baris)} indikator; rata-rata capaian kinerja unit "
                                     f"{total.get('rata_capaian_kinerja')}% ({total.get('predikat') or '-'})")
    return ringkas
