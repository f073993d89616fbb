"""The E.81 table of the Dokumen Evaluasi Kinerja: its data model, and the measure that sizes it to the paper.

Column groups come from the schema (sheets.yaml, sheet Dokumen, ``e81``); a K and Rp pair prints as two columns
under one title and one column number. Widths follow the content at the chosen font size; the table font and the
unit of the Rp columns are chosen so the table fits the paper's width (see :func:`pilih_ukuran`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from macros_py.domain.angka import format_angka_id
from macros_py.io.output.print_common import (
    UKURAN_MINIMUM,
    Halaman,
    Penanda,
    angka,
    bungkus,
    kata_terpanjang,
    lebar_teks,
    teks_nilai,
)

UKURAN_TABEL = (9.0, 8.5, 8.0, 7.5, UKURAN_MINIMUM)  # tried from the largest down
PAD = 4.0  # points of padding inside a table cell, left and right together
INDIKATOR, KELOMPOK, SUBTOTAL = "indikator", "kelompok", "subtotal"
SKALA_RP = {1: "Rp", 1_000: "Rp (ribu)", 1_000_000: "Rp (juta)"}
NAMA_SKALA_RP = {1: "rupiah", 1_000: "ribuan rupiah", 1_000_000: "jutaan rupiah"}


@dataclass(frozen=True)
class KolomE81:
    """One column group of the E.81 table: a single column (``key``) or a K and Rp pair (``k``, ``rp``)."""

    id: str
    judul: str
    key: str = ""
    k: str = ""
    rp: str = ""
    persen: bool = False
    rumus: str = ""
    judul_kelompok: str = ""

    @property
    def kunci(self) -> tuple[str, ...]:
        return (self.k, self.rp) if self.k or self.rp else (self.key,)

    def judul_untuk(self, kelompok_urusan: bool) -> str:
        """The title as printed: with rows grouped by Urusan, the Program column names the Urusan too."""
        return self.judul_kelompok if kelompok_urusan and self.judul_kelompok else self.judul


@dataclass
class BarisTabel:
    """A table row: an indicator (values by key), an Urusan group heading, or that group's subtotal."""

    nilai: dict[str, object]
    jenis: str = INDIKATOR
    teks: str = ""


@dataclass
class DataDokumen:
    """Everything printed on the Dokumen Evaluasi Kinerja; all values final (no formulas are written)."""

    pemerintah: str
    unit: str
    alamat: str
    judul: str
    periode_teks: str
    versi: int
    kolom: list[KolomE81]
    baris: list[BarisTabel]
    rata_rata: dict[str, object]
    """Footer "Rata-rata capaian kinerja (%)": values by column key (e.g. capaian_kinerja, capaian_anggaran)."""
    predikat: dict[str, str]
    """Footer "Predikat kinerja": by the same keys (K and Rp)."""
    faktor_pendorong: list[str]
    faktor_penghambat: list[str]
    tindak_lanjut_triwulan: list[str]
    tindak_lanjut_renja: list[str]
    tempat_tanggal: str
    disusun: Penanda
    dievaluasi: Penanda
    catatan_tabel: list[str] = field(default_factory=list)
    """Notes printed under the table; "{rp}" is replaced by the unit the Rp columns are printed in."""
    koreksi: list[str] = field(default_factory=list)
    """Corrections of realisasi carried from the previous period's sealed record (printed only when any)."""
    kertas: str = "F4"
    rp_dalam: int | None = None
    """Rp printed in rupiah (1), ribu (1000) or juta (1000000); None: the finest that fits the paper at 7 pt."""
    logo: Path | None = None


@dataclass(frozen=True)
class HasilTataLetak:
    """What the layout decided: the table's font size, the expected print scale, and the smallest text."""

    ukuran_tabel: float
    skala: float
    halaman: int
    rp_dalam: int

    @property
    def ukuran_terkecil(self) -> float:
        return round(self.ukuran_tabel * self.skala, 2)


@dataclass(frozen=True)
class KolomFisik:
    """A physical column: the group it belongs to, its key, and its sub-header (K / Rp) if any."""

    grup: KolomE81
    key: str
    sub: str
    teks: bool  # wraps (text) rather than a number


def format_nilai(nilai: object, kolom: KolomFisik, rp_dalam: int | None) -> str | None:
    if nilai is None or not angka(nilai):
        return teks_nilai(nilai)
    x = float(nilai)  # type: ignore[arg-type]
    if kolom.grup.persen:
        return format_angka_id(x, 2)
    if kolom.sub.startswith("Rp"):
        x /= rp_dalam or 1
    return format_angka_id(x, 0 if float(x).is_integer() else 2)


def kolom_fisik(kolom: Sequence[KolomE81], rp_dalam: int | None) -> list[KolomFisik]:
    hasil: list[KolomFisik] = []
    for g in kolom:
        if g.k or g.rp:
            hasil.append(KolomFisik(g, g.k, "K", False))
            hasil.append(KolomFisik(g, g.rp, "Rp" if g.persen else SKALA_RP.get(rp_dalam or 1, "Rp"), False))
        else:
            hasil.append(KolomFisik(g, g.key, "", g.key not in ("no",)))
    return hasil


def nomor_kolom(kolom: Sequence[KolomE81]) -> dict[str, str]:
    """The column-number row: "1", "2", ... per group, with the formula where the group has one."""
    nomor = {g.id: str(i) for i, g in enumerate(kolom, start=1)}
    hasil = {}
    for g in kolom:
        if not g.rumus:
            hasil[g.id] = nomor[g.id]
            continue
        kata = [nomor.get(t, t) for t in g.rumus.split()]
        hasil[g.id] = f"{nomor[g.id]} = " + " ".join(kata).replace(" / ", "/")
    return hasil


# ---------------------------------------------------------------------------------------------------------------
# Measure


def _lebar_kolom(fisik: Sequence[KolomFisik], data: DataDokumen, u: float, lebar_halaman: float,
                 potong_kata: bool = False) -> tuple[list[float], bool]:
    """Column widths (pt) at table font ``u``; False when the table cannot fit the page's width at that size.

    ``potong_kata``: a text column may be narrower than its longest token when that token is longer than 16
    characters (an address, a code): the spreadsheet then breaks inside it.
    """
    nomor = nomor_kolom(data.kolom)
    minimum: list[float] = []
    for k in fisik:
        isi_kolom = [format_nilai(b.nilai.get(k.key), k, data.rp_dalam) or "" for b in data.baris
                     if b.jenis == INDIKATOR]
        tebal = [format_nilai(b.nilai.get(k.key), k, data.rp_dalam) or "" for b in data.baris
                 if b.jenis == SUBTOTAL]
        tebal.append(format_nilai(data.rata_rata.get(k.key), k, data.rp_dalam) or "")
        if k.teks:
            batas = 16 if potong_kata else None  # words of Indonesian prose stay whole; longer tokens may be cut
            kata = max((kata_terpanjang(t, u, batas=batas) for t in isi_kolom), default=0.0)
            w = max(kata, kata_terpanjang(k.grup.judul_untuk(True), u, True), kata_terpanjang(k.grup.judul, u, True),
                    6 * u)
        else:
            w = max([lebar_teks(t, u) for t in isi_kolom] + [lebar_teks(t, u, True) for t in tebal]
                    + [kata_terpanjang(data.predikat.get(k.key), u, True), kata_terpanjang(k.sub, u, True),
                       lebar_teks("99", u)])
        minimum.append(w + PAD)
    # a group's header and number label must fit over its columns (K + Rp)
    for g in data.kolom:
        idx = [i for i, k in enumerate(fisik) if k.grup is g]
        perlu = max(kata_terpanjang(g.judul, u, True), lebar_teks(nomor[g.id], u) / 2) + PAD
        punya = sum(minimum[i] for i in idx)
        if perlu > punya:
            for i in idx:
                minimum[i] += (perlu - punya) / len(idx)
    lebar = list(minimum)
    sisa = lebar_halaman - sum(lebar)
    if sisa < 0:
        return lebar, False
    _bagi_sisa(lebar, fisik, data, u, sisa)
    return lebar, True


def _tinggi_tabel(lebar: Sequence[float], fisik: Sequence[KolomFisik], data: DataDokumen, u: float,
                  kolom: Sequence[int]) -> float:
    total = 0.0
    for b in data.baris:
        if b.jenis != INDIKATOR:
            continue
        total += max(len(bungkus(format_nilai(b.nilai.get(fisik[i].key), fisik[i], data.rp_dalam), lebar[i] - PAD, u))
                     for i in kolom)
    return total


def _bagi_sisa(lebar: list[float], fisik: Sequence[KolomFisik], data: DataDokumen, u: float, sisa: float) -> None:
    """Give the spare width to the text columns, a step at a time, where it saves the most lines."""
    teks = [i for i, k in enumerate(fisik) if k.teks]
    if not teks:
        return
    terpanjang = {i: max([lebar_teks(str(b.nilai.get(fisik[i].key) or ""), u) for b in data.baris] + [0]) + PAD
                  for i in teks}
    langkah = max(sisa / 40, 2.0)
    while sisa >= langkah:
        terbaik, hemat = None, 0.0
        for i in teks:
            if lebar[i] + langkah > terpanjang[i]:
                continue
            sebelum = _tinggi_tabel(lebar, fisik, data, u, [i])
            lebar[i] += langkah
            sesudah = _tinggi_tabel(lebar, fisik, data, u, [i])
            lebar[i] -= langkah
            if sebelum - sesudah > hemat:
                terbaik, hemat = i, sebelum - sesudah
        if terbaik is None:
            terbaik = max((i for i in teks if lebar[i] + langkah <= terpanjang[i]), default=None,
                          key=lambda i: terpanjang[i] - lebar[i])
            if terbaik is None:
                break
        lebar[terbaik] += langkah
        sisa -= langkah
    if sisa > 0:  # every text fits on one line: spread the rest evenly so the table spans the page
        for i in range(len(lebar)):
            lebar[i] += sisa / len(lebar)


def pilih_ukuran(data: DataDokumen, halaman: Halaman) -> tuple[DataDokumen, list[KolomFisik], list[float], float]:
    """The finest Rp unit, then the largest table font (9 ... 7 pt), at which the table fits the page's width.

    Exact rupiah are worth more than a larger font; below 7 pt nothing is readable on paper, so when nothing
    fits, the coarsest unit at 7 pt is laid out and the spreadsheet shrinks it to the page (reported as skala).
    """
    pilihan = [data.rp_dalam] if data.rp_dalam else list(SKALA_RP)
    for potong_kata in (False, True):  # words kept whole if at all possible
        for rp in pilihan:
            calon = replace(data, rp_dalam=rp, catatan_tabel=[t.replace("{rp}", NAMA_SKALA_RP[rp])
                                                              for t in data.catatan_tabel])
            fisik = kolom_fisik(calon.kolom, rp)
            for u in UKURAN_TABEL:
                lebar, muat = _lebar_kolom(fisik, calon, u, halaman.lebar - 2, potong_kata)  # 2 pt for rounding
                if muat:
                    return calon, fisik, lebar, u
    return calon, fisik, lebar, u
