"""Step 6: capaian and predikat per indicator (Rekap's analysis columns) and per bidang and unit (Analisis).

Each Rekap row is written once, complete: `himpun` (step 5) computes a row's analysis columns when it writes the
row (`analisa_rekap`), so the Kasubag sees an implausible capaian while the bidang can still correct it. `analisa`
then writes the analysis columns again only where they differ from what the rules give now (the period or the
Kriteria Predikat changed since, or Rekap was edited by hand), and the Analisis summary. The analysis is row-local
and deterministic, so when Rekap's values are the very bytes `himpun` saved with its note saying they were computed
with today's period, bands, columns and rules (`sidik_analisa`), nothing is computed again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from macros_py.aksi.langkah import Konteks, langkah
from macros_py.domain import capaian, predikat
from macros_py.domain.capaian import TOTAL_UNIT, analisa_indikator, ringkasan
from macros_py.domain.errors import PenggunaanSalah
from macros_py.domain.predikat import KRITERIA_BAKU, KUNCI_TANPA_NILAI, KriteriaPredikat
from macros_py.domain.referensi import sama
from macros_py.io.book import Book, is_blank_row, read_table_rows
from macros_py.io.files import source_digest
from macros_py.schema import Skema


def kolom_analisis(skema: Skema) -> tuple[str, ...]:
    """Rekap's own columns: everything after the bidang table's columns."""
    rekap = skema.tabel("rekap").keys
    return rekap[rekap.index(skema.tabel("bidang").keys[-1]) + 1 :]


BARIS_PARALEL = 5_000  # Rekap rows from which the indicators are analysed on all cores
BARIS_SEKALI = 40_000  # Rekap rows analysed at once by `analisa_rekap` (their dicts are ~1 KB each)


def _analisa_potongan(baris: Sequence[Mapping[str, Any]], periode: str,
                      kriteria: KriteriaPredikat) -> list[dict[str, Any]]:
    return [dict(analisa_indikator(r, periode, kriteria)) for r in baris]


def analisa_semua(rekap: Sequence[Mapping[str, Any]], periode: str,
                  kriteria: KriteriaPredikat = KRITERIA_BAKU) -> list[dict[str, Any]]:
    """`analisa_indikator` of every row, in order; a kabupaten's Rekap is split over the cores."""
    from macros_py.io.parallel import parallel_map, worker_count

    n = max(1, -(-len(rekap) // worker_count()))
    potongan = [rekap[i : i + n] for i in range(0, len(rekap), n)]
    hasil = parallel_map(functools.partial(_analisa_potongan, periode=periode, kriteria=kriteria), potongan,
                         bobot=list(map(len, potongan)), cukup=BARIS_PARALEL)
    return [a for p in hasil for a in p]


def hitung(rekap: list[dict[str, Any]], periode: str, nama_bidang: list[str],
           kriteria: KriteriaPredikat = KRITERIA_BAKU) -> tuple[list[dict], list[dict]]:
    """Rekap rows with their analysis, and one summary row per configured bidang (in order) plus the unit."""
    baris = [dict(r, **a) for r, a in zip(rekap, analisa_semua(rekap, periode, kriteria), strict=True)]
    return baris, ringkas_bidang(baris, nama_bidang, kriteria)


def ringkas_bidang(baris: list[dict[str, Any]], nama_bidang: list[str],
                   kriteria: KriteriaPredikat) -> list[dict[str, Any]]:
    """One summary row per configured bidang (in order) plus the unit, from rows holding their analysis."""
    per_bidang = {r["bidang"]: r for r in ringkasan(baris, kriteria)}
    kosong = {"jumlah_indikator": 0, **dict.fromkeys(kriteria.kunci, 0), KUNCI_TANPA_NILAI: 0}
    ringkas = [per_bidang.get(n, {"bidang": n, **kosong}) for n in nama_bidang]
    ringkas.append(dict(per_bidang.get(TOTAL_UNIT, {"bidang": TOTAL_UNIT, **kosong}), bidang=f"{TOTAL_UNIT}"))
    return ringkas


def sidik_analisa(skema: Skema, periode: str, kriteria: KriteriaPredikat) -> str:
    """What Rekap's analysis columns are computed from besides the rows themselves: the period, the Kriteria
    Predikat bands, Rekap's columns and the rules' code. "" when the rules' code is unknown."""
    kode = source_digest(capaian.__name__, predikat.__name__)
    if not kode:
        return ""
    isi = repr((periode, kriteria.batas, kriteria.terendah, skema.tabel("rekap").keys, kode))
    return "analisa:" + hashlib.sha256(isi.encode()).hexdigest()


def rekap_teranalisa(book: Book, skema: Skema, sidik: str) -> bool:
    """Whether Rekap is the very bytes `himpun` saved with its analysis computed as `sidik` (`sidik_analisa`) says
    (its note in the cache): then nothing in it needs computing again."""
    return bool(sidik) and book.kept_note(skema.tabel("rekap").sheet) == sidik


def aturan_analisa(konteks: Konteks) -> tuple[str, KriteriaPredikat] | None:
    """The period and the bands of this workbook, or None when Konfigurasi cannot give them: `himpun` then
    leaves Rekap's analysis columns blank and `analisa` names the problem."""
    konf = konteks.konfigurasi
    if konf.kriteria_masalah or konf.kriteria_baca is None:
        return None
    try:
        capaian.jumlah_triwulan(konf.periode)
    except ValueError:
        return None
    return konf.periode, konf.kriteria_baca


def analisa_rekap(skema: Skema, baris: Sequence[list[Any]], aturan: tuple[str, KriteriaPredikat]) -> None:
    """Rekap rows (lists, in Rekap's columns) given their analysis columns in place; blank rows get none."""
    tabel = skema.tabel("rekap")
    kolom = kolom_analisis(skema)
    awal = tabel.indeks(kolom[0])
    keys = tabel.keys
    isi = [b for b in baris if not is_blank_row(b)]
    for i in range(0, len(isi), BARIS_SEKALI):  # the rows' dicts a slice at a time: a province has 200,000
        potongan = isi[i : i + BARIS_SEKALI]
        for b, a in zip(potongan, analisa_semua([dict(zip(keys, b, strict=True)) for b in potongan], *aturan),
                        strict=True):
            b[awal:] = [a[k] for k in kolom]


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


def _perbarui_rekap(book: Book, skema: Skema, baris: list[list[Any]], periode: str,
                    kriteria: KriteriaPredikat) -> int:
    """Rekap's analysis columns as the rules give them now: computed for every row, compared with what the
    sheet holds (numbers to 12 significant digits, as the intake compares), and only the rows from the first
    to the last that differ written, in one block. `baris` is updated in place; returns the rows that differed."""
    tabel = skema.tabel("rekap")
    kolom = kolom_analisis(skema)
    awal = tabel.indeks(kolom[0])
    lama = [b[awal:] for b in baris]
    analisa_rekap(skema, baris, (periode, kriteria))
    beda = [i for i, (b, a) in enumerate(zip(baris, lama, strict=True))
            if not all(map(sama, b[awal:], a))]
    if beda:
        book.write(tabel.sheet, tabel.baris_data + beda[0], tabel.kolom_awal + awal,
                   [b[awal:] for b in baris[beda[0] : beda[-1] + 1]])
    return len(beda)


def analisa(book: Book, konteks: Konteks) -> list[dict[str, Any]]:
    """Step 6: the analysis columns of Rekap brought up to date where needed, and the summary; finishes the step."""
    skema = konteks.skema
    with langkah(book, konteks, "analisa") as no:
        tabel = skema.tabel("rekap")
        baris = read_table_rows(book, tabel)
        if not any(not is_blank_row(b) for b in baris):
            raise PenggunaanSalah(f"Rekap masih kosong: himpun data bidang dulu (langkah {konteks.no('himpun')}).")
        periode, kriteria = konteks.konfigurasi.periode, konteks.konfigurasi.kriteria
        diperbarui = 0
        if not rekap_teranalisa(book, skema, sidik_analisa(skema, periode, kriteria)):
            diperbarui = _perbarui_rekap(book, skema, baris, periode, kriteria)
        dipakai = [(k, tabel.indeks(k)) for k in ("bidang", "capaian_kinerja", "capaian_anggaran")]
        isi = [{k: b[i] for k, i in dipakai} for b in baris if not is_blank_row(b)]  # what the summary reads
        ringkas = ringkas_bidang(isi, [b["nama"] for b in konteks.konfigurasi.bidang], kriteria)
        tulis_analisis(book, skema, kriteria, ringkas)
        total = ringkas[-1]
        rekap = f"; kolom analisis Rekap diperbarui di {diperbarui} baris" if diperbarui else ""
        konteks.catat(no, "analisa", f"{len(isi)} indikator; rata-rata capaian kinerja unit "
                                     f"{total.get('rata_capaian_kinerja')}% ({total.get('predikat') or '-'}){rekap}")
    return ringkas
