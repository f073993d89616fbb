"""Capaian (achievement) and predikat of performance indicators — pure Python, no Excel.

Why a separate pure module: the same numbers appear in the Rekap sheet, the Analisis sheet and the
written report, and offices argue about them. Keeping every rule here, documented and property-tested,
means one place to read and one place to change. Long because the rules are written out in full below, next to
the code that applies them.

Rules (see docs/domain.md, "Capaian and predikat" and "Evaluation table", Permendagri 86/2017):

Realisasi tahun ini (up to the evaluated period; only TW inside the period count, e.g. TW3 -> TW I..III)
    =============  =============================================  ========================
    cara_hitung    realisasi                                      nothing reported
    =============  =============================================  ========================
    Akumulasi      sum of reported TW                             None
    Nilai Akhir    latest reported TW (last non-empty)            None
    Rata-rata      mean of reported TW (empty TW are skipped)     None
    (Rp)           always Akumulasi                               None
    =============  =============================================  ========================

Capaian kinerja (%) — against the annual target; rounded to 2 decimals
    ========  ===============  ==================  ===========================================
    polarity  target T         realisasi R         capaian
    ========  ===============  ==================  ===========================================
    any       None / not num.  any                 None (tidak dapat dinilai)
    any       any              None / not num.     None (belum ada realisasi)
    any       T < 0            any                 None (target negatif tidak dapat dinilai)
    Naik      T > 0            any                 max(0, R / T x 100); no upper cap
    Naik      T = 0            R > 0               100 (something realised where nothing was planned;
                                                   same rule as the open-source SAKIP app)
    Naik      T = 0            R <= 0              None (nothing planned, nothing realised: no basis
                                                   to judge)
    Turun     T > 0            any                 (2T - R) / T x 100, clamped to [0, 200]
                                                   (0: realisasi at least twice the target; 200: the
                                                   cap the SAKIP app uses, only reachable by R <= 0)
    Turun     T = 0            R <= 0              100 (nothing happened, which was the target)
    Turun     T = 0            R > 0               0
    ========  ===============  ==================  ===========================================

    Capaian is never negative: a negative figure has no meaning in the predikat table.

Capaian anggaran (%) = realisasi Rp / pagu x 100; pagu None or <= 0 -> None. Not capped (above 100 is
    flagged as an anomaly instead, so the real figure stays visible).

Realisasi Renstra s.d. tahun ini (Permendagri 86/2017: s.d. tahun lalu + tahun ini), None-safe
    (a missing part counts as 0; both missing -> None). For K this holds for Akumulasi indicators only:
    a Nilai Akhir or Rata-rata indicator (a percentage, an index, a duration) is not summed over years,
    its Renstra position is this year's value (or last year's if this year has none yet).
Tingkat capaian Renstra (%): K uses the indicator's polarity (same formula as capaian kinerja), Rp is
    realisasi / target; both None when the Renstra target is missing or <= 0.

Predikat: bands as data (macros_py.domain.predikat, the Konfigurasi table "Kriteria Predikat"); every function
    that grades takes ``kriteria`` with the Permendagri 86/2017 bands as default:
    ==========  ==============
    capaian     predikat
    ==========  ==============
    >= 91       Sangat Tinggi  (above 100 too; the figure itself is shown unchanged)
    76 - <91    Tinggi
    66 - <76    Sedang
    51 - <66    Rendah
    < 51        Sangat Rendah
    None        None
    ==========  ==============

Per bidang and unit (Analisis): rata-rata capaian kinerja (K) and capaian anggaran (Rp) over the indicators
    that have a value, each rounded to 2 decimals half away from zero from the exact mean, and each graded:
    ``predikat`` (K) and ``predikat_anggaran`` (Rp), with the same kriteria.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from macros_py.domain.predikat import (
    BATAS_PREDIKAT,
    KRITERIA_BAKU,
    KUNCI_TANPA_NILAI,
    PREDIKAT_RENDAH,
    PREDIKAT_SANGAT_RENDAH,
    PREDIKAT_SANGAT_TINGGI,
    PREDIKAT_SEDANG,
    PREDIKAT_TINGGI,
    KriteriaPredikat,
    rata_rata,
)

__all__ = ["BATAS_PREDIKAT", "KRITERIA_BAKU", "PREDIKAT_RENDAH", "PREDIKAT_SANGAT_RENDAH", "PREDIKAT_SANGAT_TINGGI",
           "PREDIKAT_SEDANG", "PREDIKAT_TINGGI", "KriteriaPredikat"]

# --- vocabulary -----------------------------------------------------------------------------------------

POLARITAS_NAIK = "Naik"
POLARITAS_TURUN = "Turun"

CARA_AKUMULASI = "Akumulasi"
CARA_NILAI_AKHIR = "Nilai Akhir"
CARA_RATA_RATA = "Rata-rata"

#: Number of triwulan an evaluation period covers (the realisasi counts TW 1..n).
TRIWULAN_PERIODE: dict[str, int] = {
    "TW1": 1,
    "TW2": 2,
    "TW3": 3,
    "TW4": 4,
    "S1": 2,
    "S2": 4,
    "TAHUNAN": 4,
}

#: Capaian kinerja (Naik) above this is reported as a likely input error.
AMBANG_CAPAIAN_ANOMALI = 150.0

#: Label of the unit-wide line at the end of :func:`ringkasan`.
TOTAL_UNIT = "Total Unit"
#: Label for Rekap rows without a bidang, so they are still counted.
TANPA_BIDANG = "(Tanpa Bidang)"

ROMAWI = ("I", "II", "III", "IV")

_CARA_ALIAS = {
    "akumulasi": CARA_AKUMULASI,
    "nilai akhir": CARA_NILAI_AKHIR,
    "nilaiakhir": CARA_NILAI_AKHIR,
    "rata-rata": CARA_RATA_RATA,
    "rata rata": CARA_RATA_RATA,
    "ratarata": CARA_RATA_RATA,
}
_POLARITAS_ALIAS = {"naik": POLARITAS_NAIK, "turun": POLARITAS_TURUN}


class AnalisaIndikator(TypedDict):
    """Analysis columns of one Rekap row (keys match sheets_schema/sheets.yaml, sheet Rekap)."""

    realisasi_k: float | None
    realisasi_rp: float | None
    realisasi_renstra_k: float | None
    realisasi_renstra_rp: float | None
    capaian_kinerja: float | None
    capaian_anggaran: float | None
    capaian_renstra_k: float | None
    capaian_renstra_rp: float | None
    predikat: str | None
    anomali: str


RingkasanBidang = dict[str, Any]
"""One line of the Analisis sheet: bidang, jumlah_indikator, rata_capaian_kinerja, rata_capaian_anggaran,
predikat (K), predikat_anggaran (Rp), then one count per predikat of the kriteria (keys
``KriteriaPredikat.kunci``, e.g. sangat_tinggi ... sangat_rendah) and tanpa_nilai."""


# --- small helpers ----------------------------------------------------------------------------------------


def _angka(nilai: Any) -> float | None:
    """A finite number as float, else None; why: empty cells, NaN and stray text must not become 0."""
    jenis = type(nilai)  # the common cases first: this runs for every number of every Rekap row
    if jenis is float:
        return nilai if math.isfinite(nilai) else None
    if jenis is int:
        return float(nilai)
    if nilai is None or isinstance(nilai, bool) or not isinstance(nilai, int | float):
        return None
    nilai = float(nilai)
    return nilai if math.isfinite(nilai) else None


def _bulat(nilai: float) -> float:
    """Round to 2 decimals as shown in the workbook; `+ 0.0` turns -0.0 into 0.0."""
    return round(nilai, 2) + 0.0


def _format_persen(nilai: float) -> str:
    """Indonesian number for notes: 180 -> '180', 180.5 -> '180,5'."""
    teks = f"{nilai:.2f}".rstrip("0").rstrip(".")
    return teks.replace(".", ",")


@functools.lru_cache(maxsize=256)  # a Rekap repeats a handful of spellings: 200,000 rows call this
def normalisasi_cara_hitung(cara_hitung: str) -> str:
    """Canonical cara hitung; why: typed cells vary in case and spacing ('nilai akhir', 'Rata rata')."""
    kunci = " ".join(str(cara_hitung).split()).casefold()
    try:
        return _CARA_ALIAS[kunci]
    except KeyError:
        raise ValueError(f"Cara hitung tidak dikenal: {cara_hitung!r}") from None


@functools.lru_cache(maxsize=256)
def normalisasi_polaritas(polaritas: str) -> str:
    """Canonical polaritas ('Naik'/'Turun'); raises ValueError for anything else."""
    kunci = str(polaritas).strip().casefold()
    try:
        return _POLARITAS_ALIAS[kunci]
    except KeyError:
        raise ValueError(f"Polaritas tidak dikenal: {polaritas!r}") from None


def jumlah_triwulan(periode: str) -> int:
    """Number of triwulan in an evaluation period ('TW3' -> 3, 'S1' -> 2); raises ValueError if unknown."""
    kunci = str(periode).strip().upper()
    try:
        return TRIWULAN_PERIODE[kunci]
    except KeyError:
        pilihan = ", ".join(TRIWULAN_PERIODE)
        raise ValueError(f"Periode tidak dikenal: {periode!r} (pilihan: {pilihan})") from None


# --- core rules -------------------------------------------------------------------------------------------


def realisasi_tahunan(cara_hitung: str, nilai_tw: Sequence[float | None]) -> float | None:
    """Realisasi over the given triwulan values by the indicator's cara hitung (see module table).

    Why per indicator: a count accumulates, a percentage or a state is its latest value, some are means.
    Empty (None/NaN) triwulan are skipped; None when nothing is reported.
    """
    cara = normalisasi_cara_hitung(cara_hitung)
    terisi = [x for x in (_angka(v) for v in nilai_tw) if x is not None]
    if not terisi:
        return None
    if cara == CARA_AKUMULASI:
        return math.fsum(terisi)
    if cara == CARA_NILAI_AKHIR:
        return terisi[-1]
    return statistics.fmean(terisi)


def capaian_kinerja(target: float | None, realisasi: float | None, polaritas: str) -> float | None:
    """Capaian kinerja in percent, rounded to 2 decimals; zero/negative/missing rules in the module table."""
    arah = normalisasi_polaritas(polaritas)
    t = _angka(target)
    r = _angka(realisasi)
    if t is None or r is None or t < 0:
        return None
    if t == 0:
        if arah == POLARITAS_NAIK:
            return 100.0 if r > 0 else None
        return 100.0 if r <= 0 else 0.0
    if arah == POLARITAS_NAIK:
        return _bulat(max(0.0, r / t * 100))
    return _bulat(min(200.0, max(0.0, (2 * t - r) / t * 100)))


def capaian_anggaran(realisasi_rp: float | None, pagu: float | None) -> float | None:
    """Budget absorption in percent (realisasi / pagu x 100), rounded 2; None without a positive pagu."""
    r = _angka(realisasi_rp)
    p = _angka(pagu)
    if r is None or p is None or p <= 0:
        return None
    return _bulat(r / p * 100)


def predikat(capaian: float | None, kriteria: KriteriaPredikat = KRITERIA_BAKU) -> str | None:
    """Predikat of a capaian under ``kriteria`` (default: Permendagri 86/2017); above 100 stays in the top band."""
    return kriteria.predikat(_angka(capaian))


def realisasi_renstra(
    realisasi_lalu: float | None, realisasi_tahun_ini: float | None, cara_hitung: str = CARA_AKUMULASI
) -> float | None:
    """Realisasi Renstra s.d. tahun ini; why not always a sum: 80% + 85% is not a 165% Renstra position.

    Akumulasi: lalu + tahun ini (a missing part counts as 0, both missing -> None).
    Nilai Akhir / Rata-rata: this year's value, or last year's when this year has none.
    """
    lalu = _angka(realisasi_lalu)
    kini = _angka(realisasi_tahun_ini)
    if normalisasi_cara_hitung(cara_hitung) != CARA_AKUMULASI:
        return kini if kini is not None else lalu
    if lalu is None and kini is None:
        return None
    return (lalu or 0.0) + (kini or 0.0)


# --- per indicator ----------------------------------------------------------------------------------------


def _baca_angka(row: Mapping[str, Any], kunci: str, catatan: list[str]) -> float | None:
    """Read a numeric column; a non-number (text, NaN) is noted instead of crashing the whole Rekap."""
    nilai = row.get(kunci)
    if nilai is None or (isinstance(nilai, str) and not nilai.strip()):
        return None
    angka = _angka(nilai)
    if angka is None:
        catatan.append(f"Nilai kolom {kunci} bukan angka ({nilai!r}) — diabaikan")
    return angka


def _daftar_tw(nomor: Sequence[int]) -> str:
    return ", ".join(f"TW {ROMAWI[i]}" for i in nomor)


def _baca_pilihan(
    row: Mapping[str, Any], kunci: str, judul: str, bawaan: str, normalisasi: Any, catatan: list[str]
) -> str | None:
    """Polaritas / cara hitung of a row: empty -> default with a note, unknown -> None with a note."""
    nilai = row.get(kunci)
    if nilai is None or not str(nilai).strip():
        catatan.append(f"{judul} kosong — dianggap {bawaan}")
        return bawaan
    try:
        return normalisasi(nilai)
    except ValueError:
        catatan.append(f"{judul} {nilai!r} tidak dikenal — capaian tidak dihitung")
        return None


def analisa_indikator(row: Mapping[str, Any], periode: str,
                      kriteria: KriteriaPredikat = KRITERIA_BAKU) -> AnalisaIndikator:
    """Analysis columns of one indicator row for an evaluation period (TW1..TW4, S1, S2, TAHUNAN).

    Only the triwulan inside the period count. Capaian kinerja compares the realisasi so far with the
    annual target (target_k). Problems are not raised but written to `anomali` ('; '-joined, Indonesian),
    because a planner must see them next to the figure, and one bad row must not stop the Rekap.
    """
    n_tw = jumlah_triwulan(periode)
    catatan: list[str] = []

    polaritas = _baca_pilihan(row, "polaritas", "Polaritas", POLARITAS_NAIK, normalisasi_polaritas, catatan)
    cara = _baca_pilihan(row, "cara_hitung", "Cara hitung", CARA_AKUMULASI, normalisasi_cara_hitung, catatan)

    tw_k = [_baca_angka(row, f"tw{i}_k", catatan) for i in range(1, n_tw + 1)]
    tw_rp = [_baca_angka(row, f"tw{i}_rp", catatan) for i in range(1, n_tw + 1)]
    target_k = _baca_angka(row, "target_k", catatan)
    pagu_rp = _baca_angka(row, "pagu_rp", catatan)
    target_renstra_k = _baca_angka(row, "target_renstra_k", catatan)
    target_renstra_rp = _baca_angka(row, "target_renstra_rp", catatan)
    renstra_lalu_k = _baca_angka(row, "realisasi_renstra_lalu_k", catatan)
    renstra_lalu_rp = _baca_angka(row, "realisasi_renstra_lalu_rp", catatan)

    realisasi_k = realisasi_tahunan(cara, tw_k) if cara is not None else None
    realisasi_rp = realisasi_tahunan(CARA_AKUMULASI, tw_rp)
    renstra_k = realisasi_renstra(renstra_lalu_k, realisasi_k, cara) if cara is not None else None
    renstra_rp = realisasi_renstra(renstra_lalu_rp, realisasi_rp)

    c_kinerja = capaian_kinerja(target_k, realisasi_k, polaritas) if polaritas is not None else None
    c_anggaran = capaian_anggaran(realisasi_rp, pagu_rp)
    c_renstra_k = None
    if polaritas is not None and target_renstra_k is not None and target_renstra_k > 0:
        c_renstra_k = capaian_kinerja(target_renstra_k, renstra_k, polaritas)
    c_renstra_rp = capaian_anggaran(renstra_rp, target_renstra_rp)

    # Missing triwulan within the period (gaps, nothing at all, or the period's own last TW).
    kosong_k = [i for i, v in enumerate(tw_k) if v is None]
    if kosong_k:
        catatan.append(f"Realisasi {_daftar_tw(kosong_k)} belum diisi")
    if pagu_rp is not None and pagu_rp > 0:
        kosong_rp = [i for i, v in enumerate(tw_rp) if v is None]
        if kosong_rp:
            catatan.append(f"Realisasi anggaran {_daftar_tw(kosong_rp)} belum diisi")

    if target_k is None:
        catatan.append("Target kinerja kosong — capaian tidak dapat dihitung")
    elif target_k == 0:
        catatan.append("Target kinerja 0 — capaian mengikuti aturan target nol")
    elif target_k < 0:
        catatan.append("Target kinerja negatif — capaian tidak dapat dihitung")

    if polaritas == POLARITAS_NAIK and c_kinerja is not None and c_kinerja > AMBANG_CAPAIAN_ANOMALI:
        catatan.append(
            f"Realisasi jauh di atas target (capaian {_format_persen(c_kinerja)}%) — periksa target/realisasi"
        )
    if realisasi_rp is not None and pagu_rp is not None and pagu_rp > 0 and realisasi_rp > pagu_rp:
        catatan.append("Realisasi anggaran melebihi pagu")
    if realisasi_rp is not None and realisasi_rp > 0 and (pagu_rp is None or pagu_rp <= 0):
        catatan.append("Ada realisasi anggaran tetapi pagu kosong/0")

    return AnalisaIndikator(
        realisasi_k=realisasi_k,
        realisasi_rp=realisasi_rp,
        realisasi_renstra_k=renstra_k,
        realisasi_renstra_rp=renstra_rp,
        capaian_kinerja=c_kinerja,
        capaian_anggaran=c_anggaran,
        capaian_renstra_k=c_renstra_k,
        capaian_renstra_rp=c_renstra_rp,
        predikat=predikat(c_kinerja, kriteria),
        anomali="; ".join(catatan),
    )


# --- per bidang and unit ----------------------------------------------------------------------------------

def _ringkas(nama: str, rows: Sequence[Mapping[str, Any]], kriteria: KriteriaPredikat) -> RingkasanBidang:
    capaian = [_angka(r.get("capaian_kinerja")) for r in rows]
    rata_k = rata_rata(capaian)
    rata_rp = rata_rata([_angka(r.get("capaian_anggaran")) for r in rows])
    hasil: RingkasanBidang = {
        "bidang": nama,
        "jumlah_indikator": len(rows),
        "rata_capaian_kinerja": rata_k,
        "rata_capaian_anggaran": rata_rp,
        "predikat": kriteria.predikat(rata_k),
        "predikat_anggaran": kriteria.predikat(rata_rp),
    }
    kunci = dict(zip(kriteria.label, kriteria.kunci, strict=True))
    hasil.update(dict.fromkeys(kriteria.kunci, 0))
    hasil[KUNCI_TANPA_NILAI] = 0
    for c in capaian:
        nama_predikat = kriteria.predikat(c)
        hasil[kunci[nama_predikat] if nama_predikat is not None else KUNCI_TANPA_NILAI] += 1
    return hasil


def ringkasan(rows: Iterable[Mapping[str, Any]], kriteria: KriteriaPredikat = KRITERIA_BAKU) -> list[RingkasanBidang]:
    """Analisis sheet: one line per bidang (first-seen order) and a final TOTAL_UNIT line.

    Predikat counts are recomputed from capaian_kinerja (not read from the row) so the counts can never
    disagree with the figures. Means are over indicators that have a value; the unit mean is over all
    indicators of the unit, not a mean of bidang means, so a bidang with many indicators weighs more.
    K (capaian kinerja) and Rp (capaian anggaran) are averaged and graded alike.
    """
    per_bidang: dict[str, list[Mapping[str, Any]]] = {}
    semua: list[Mapping[str, Any]] = []
    for row in rows:
        nama = row.get("bidang")
        nama = str(nama).strip() if nama is not None and str(nama).strip() else TANPA_BIDANG
        per_bidang.setdefault(nama, []).append(row)
        semua.append(row)
    hasil = [_ringkas(nama, isi, kriteria) for nama, isi in per_bidang.items()]
    hasil.append(_ringkas(TOTAL_UNIT, semua, kriteria))
    return hasil
