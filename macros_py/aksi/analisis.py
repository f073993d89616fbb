"""Step 6: capaian and predikat per indicator (into Rekap) and per bidang and unit (into Analisis)."""

from __future__ import annotations

from typing import Any

from macros_py.aksi.langkah import Konteks, langkah
from macros_py.domain.capaian import TOTAL_UNIT, analisa_indikator, ringkasan
from macros_py.domain.errors import PenggunaanSalah
from macros_py.domain.predikat import KRITERIA_BAKU, KUNCI_TANPA_NILAI, KriteriaPredikat
from macros_py.io.book import Book, read_table, read_table_rows
from macros_py.schema import Skema


def kolom_analisis(skema: Skema) -> tuple[str, ...]:
    """Rekap's own columns: everything after the bidang table's columns."""
    rekap = skema.tabel("rekap").keys
    return rekap[rekap.index(skema.tabel("bidang").keys[-1]) + 1 :]


BARIS_PARALEL = 5_000  # Rekap rows from which the indicators are analysed on all cores


def _analisa_semua(rekap: list[dict[str, Any]], periode: str,
                   kriteria: KriteriaPredikat = KRITERIA_BAKU) -> list[dict[str, Any]]:
    """`analisa_indikator` of every row, in order; a kabupaten's Rekap is split over the cores."""
    from macros_py.io.parallel import parallel_map, worker_count

    n = max(1, -(-len(rekap) // worker_count()))
    potongan = [rekap[i : i + n] for i in range(0, len(rekap), n)]
    hasil = parallel_map(lambda p: [analisa_indikator(r, periode, kriteria) for r in p], potongan,
                         bobot=list(map(len, potongan)), cukup=BARIS_PARALEL)
    return [dict(r, **a) for r, a in zip(rekap, (a for p in hasil for a in p), strict=True)]


def hitung(rekap: list[dict[str, Any]], periode: str, nama_bidang: list[str],
           kriteria: KriteriaPredikat = KRITERIA_BAKU) -> tuple[list[dict], list[dict]]:
    """Rekap rows with their analysis, and one summary row per configured bidang (in order) plus the unit."""
    baris = _analisa_semua(rekap, periode, kriteria)
    per_bidang = {r["bidang"]: r for r in ringkasan(baris, kriteria)}
    kosong = {"jumlah_indikator": 0, **dict.fromkeys(kriteria.kunci, 0), KUNCI_TANPA_NILAI: 0}
    ringkas = [per_bidang.get(n, {"bidang": n, **kosong}) for n in nama_bidang]
    ringkas.append(dict(per_bidang.get(TOTAL_UNIT, {"bidang": TOTAL_UNIT, **kosong}), bidang=f"{TOTAL_UNIT}"))
    return baris, ringkas


def tulis_analisis(book: Book, skema: Skema, kriteria: KriteriaPredikat, ringkas: list[dict[str, Any]]) -> None:
    """The summary under the workbook's own predikat: the count columns' headers follow the Kriteria Predikat
    table (names and number), and columns an older, longer table left behind are cleared."""
    baku = skema.tabel("analisis")
    tabel = skema.tabel_analisis(kriteria.label)
    lama = book.read(tabel.sheet, tabel.header_row, tabel.kolom_awal, len(tabel.kolom) + 8, 1)
    lama_judul = list(lama[0]) if lama else []
    lebar_lama = max((j + 1 for j, v in enumerate(lama_judul) if v not in (None, "")), default=len(baku.kolom))
    judul: list[Any] = [k.judul for k in tabel.kolom] + [None] * max(0, lebar_lama - len(tabel.kolom))
    if lama_judul[: len(judul)] != judul:
        book.write(tabel.sheet, tabel.header_row, tabel.kolom_awal, [judul])
    lebar = max(len(tabel.kolom), lebar_lama)
    sisa = max(0, len(read_table_rows(book, tabel)) - len(ringkas))
    nilai = [[r.get(k) for k in tabel.keys] + [None] * (lebar - len(tabel.kolom)) for r in ringkas]
    nilai += [[None] * lebar for _ in range(sisa)]
    book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal, nilai)


def analisa(book: Book, konteks: Konteks) -> list[dict[str, Any]]:
    """Step 6: compute and write the analysis; finishes the step."""
    skema = konteks.skema
    with langkah(book, konteks, "analisa") as no:
        tabel = skema.tabel("rekap")
        rekap = read_table(book, tabel)
        if not rekap:
            raise PenggunaanSalah(f"Rekap masih kosong: himpun data bidang dulu (langkah {konteks.no('himpun')}).")
        nama = [b["nama"] for b in konteks.konfigurasi.bidang]
        kriteria = konteks.konfigurasi.kriteria
        baris, ringkas = hitung(rekap, konteks.konfigurasi.periode, nama, kriteria)
        kolom = kolom_analisis(skema)
        book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal + tabel.indeks(kolom[0]),
                   [[b[k] for k in kolom] for b in baris])
        tulis_analisis(book, skema, kriteria, ringkas)
        total = ringkas[-1]
        konteks.catat(no, "analisa", f"{len(baris)} indikator; rata-rata capaian kinerja unit "
                                     f"{total.get('rata_capaian_kinerja')}% ({total.get('predikat') or '-'})")
    return ringkas
