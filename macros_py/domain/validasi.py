"""Validation of one bidang's submission, however messy, before anything is written.

Input is a sheet as plain values (from a standalone file or from the master's bidang sheet). Output is the
parsed rows, or every problem as (berkas, sheet, sel, pesan) in Indonesian. Errors reject the submission;
warnings (numbers typed as text, hidden rows, moved columns, ...) are reported and the data is accepted.
A submitted file also brings the facts its reader saw about the cells (percent formats, error values, merged
cells); the rules that need them are documented in ``validasi_isian``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from macros_py.domain.angka import AngkaTidakValid, format_angka_id, parse_angka
from macros_py.domain.cell_names import huruf_kolom, nomor_kolom  # noqa: F401 (nomor_kolom re-exported)
from macros_py.domain.teks import teks_sel
from macros_py.domain.validasi_isian import (
    KELIPATAN_TARGET_MENCURIGAKAN,  # noqa: F401 (re-exported)
    KUNCI_REALISASI_K,
    SheetFacts,
    galat_sel_dan_gabungan,
    kunci_realisasi_periode,
    nama_triwulan,
    periksa_realisasi_k,
    tanpa_apostrof,
    teks_angka,
    titik_persen,
)

AWALAN_IDENTITAS = "EVKIN-"
BARIS_CARI_KEPALA = 12
BARIS_CARI_HEADER = 30
# Limits a planner would call a typing error rather than a number (a kecamatan's pagu is a few billion Rp).
BATAS_RP = 1e13
BATAS_K = 1e12
KOLOM_IDENTITAS_INDIKATOR = ("kegiatan", "sub_kegiatan", "indikator")
KOLOM_TEKS_RINGKAS = ("sasaran", "program", "kegiatan", "sub_kegiatan", "indikator", "satuan")


class KolomSkema(Protocol):
    """A schema column as the validator reads it (schema.Kolom, frozen)."""

    @property
    def key(self) -> str: ...
    @property
    def judul(self) -> str: ...
    @property
    def tipe(self) -> str: ...
    @property
    def wajib(self) -> bool: ...
    @property
    def min(self) -> float | None: ...
    @property
    def pilihan(self) -> tuple[str, ...]: ...
    @property
    def input(self) -> bool: ...


@dataclass(frozen=True)
class Masalah:
    berkas: str
    sheet: str
    sel: str
    pesan: str

    def __str__(self) -> str:
        tempat = ", ".join(x for x in (self.berkas, f"sheet '{self.sheet}'" if self.sheet else "",
                                       f"sel {self.sel}" if self.sel else "") if x)
        return f"{tempat}: {self.pesan}"


@dataclass(frozen=True)
class Harapan:
    """What a valid submission for this master must say about itself."""

    tahun: int
    periode: str
    versi: int
    bidang: Mapping[str, str]  # kode -> nama
    tersegel: tuple[int, ...] = ()  # triwulan whose realisasi come from the previous period's sealed record


@dataclass
class Kiriman:
    berkas: str
    sheet: str
    kode_bidang: str = ""
    baris: list[dict[str, Any]] = field(default_factory=list)
    baris_excel: list[int] = field(default_factory=list)
    kolom_excel: dict[str, int] = field(default_factory=dict)  # schema key -> 1-based sheet column
    galat: list[Masalah] = field(default_factory=list)
    peringatan: list[Masalah] = field(default_factory=list)
    _jumlah: int | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def diterima(self) -> bool:
        return not self.galat

    @property
    def jumlah_baris(self) -> int:
        return len(self.baris) if self._jumlah is None else self._jumlah

    def lepas_baris(self) -> None:
        """Once the rows are in the master only their number is reported: a province's rows, held until the
        master is saved, would cost hundreds of MB."""
        self._jumlah, self.baris = self.jumlah_baris, []


_BUKAN_ALNUM = re.compile(r"[^0-9a-z]+")


def normal(teks: object) -> str:
    """Header/choice comparison key: case, spaces and punctuation do not matter."""
    return _BUKAN_ALNUM.sub("", str(teks or "").casefold())


def baca_identitas(identitas: str) -> tuple[int, str, str, int] | None:
    """EVKIN-<tahun>-<periode>-<kode bidang>-v<versi> -> parts, or None when malformed."""
    bagian = identitas.strip().split("-")
    if len(bagian) < 5 or bagian[0] != "EVKIN" or not bagian[-1].startswith("v"):
        return None
    try:
        return int(bagian[1]), bagian[2], "-".join(bagian[3:-1]), int(bagian[-1][1:])
    except ValueError:
        return None


def cari_identitas(baris: Sequence[Sequence[Any]]) -> tuple[str, str] | None:
    """(identity text, cell) found in the header block at the top of a sheet."""
    for r, isi in enumerate(baris[:BARIS_CARI_KEPALA], start=1):
        for c, nilai in enumerate(isi, start=1):
            if isinstance(nilai, str) and nilai.strip().startswith(AWALAN_IDENTITAS):
                return nilai.strip(), f"{huruf_kolom(c)}{r}"
    return None


class _Pemeriksa:
    def __init__(self, kiriman: Kiriman) -> None:
        self.k = kiriman

    def galat(self, sel: str, pesan: str) -> None:
        self.k.galat.append(Masalah(self.k.berkas, self.k.sheet, sel, pesan))

    def peringatan(self, sel: str, pesan: str) -> None:
        self.k.peringatan.append(Masalah(self.k.berkas, self.k.sheet, sel, pesan))


def _periksa_identitas(p: _Pemeriksa, baris: Sequence[Sequence[Any]], harapan: Harapan) -> bool:
    ketemu = cari_identitas(baris)
    if ketemu is None:
        p.galat("C6", "identitas template (EVKIN-...) tidak ditemukan di blok kepala — berkas ini bukan format "
                      "pengumpulan data evaluasi kinerja, atau blok kepalanya dihapus. Gunakan format yang dibagikan.")
        return False
    identitas, sel = ketemu
    bagian = baca_identitas(identitas)
    if bagian is None:
        p.galat(sel, f"identitas template '{identitas}' rusak; jangan mengubah sel ini.")
        return False
    tahun, periode, kode, versi = bagian
    if (tahun, periode) != (harapan.tahun, harapan.periode):
        p.galat(sel, f"template untuk periode {periode} {tahun}, sedangkan workbook ini periode "
                     f"{harapan.periode} {harapan.tahun}. Gunakan format periode yang benar.")
    if kode not in harapan.bidang:
        p.galat(sel, f"kode bidang '{kode}' tidak dikenal; bidang yang ada: {', '.join(harapan.bidang)}.")
    if versi != harapan.versi:
        lama = "lama" if versi < harapan.versi else "tidak dikenal"
        p.galat(sel, f"template versi {lama} (v{versi}); format yang berlaku v{harapan.versi}. "
                     "Isi ulang pada format terbaru yang dibagikan.")
    p.k.kode_bidang = kode
    return not p.k.galat


def _petakan_header(
    p: _Pemeriksa, baris: Sequence[Sequence[Any]], kolom: Sequence[KolomSkema], kunci_header: str
) -> tuple[int, dict[str, int]] | None:
    """Find the header row and map each schema column to the column it is in now (moved columns allowed)."""
    target = normal(kunci_header)
    for r, isi in enumerate(baris[:BARIS_CARI_HEADER], start=1):
        if any(normal(v) == target for v in isi):
            posisi: dict[str, int] = {}
            judul_ke_key = {normal(k.judul): k.key for k in kolom}
            for c, nilai in enumerate(isi, start=1):
                key = judul_ke_key.get(normal(nilai))
                if key and key not in posisi:
                    posisi[key] = c
                elif nilai not in (None, "") and key is None:
                    p.peringatan(f"{huruf_kolom(c)}{r}", f"kolom '{teks_sel(nilai).strip()}' tidak dikenal; "
                                                         "isinya diabaikan.")
            for k in kolom:
                if k.key not in posisi:
                    p.galat(f"baris {r}", f"kolom '{k.judul}' tidak ditemukan (dihapus atau diganti nama). "
                                          "Jangan mengubah judul kolom format.")
            urutan = [posisi[k.key] for k in kolom if k.key in posisi]
            if urutan != sorted(urutan):
                p.peringatan(f"baris {r}", "urutan kolom berubah; data dibaca menurut judul kolom.")
            return (r, posisi) if not p.k.galat else None
    p.galat("", f"baris judul kolom (berisi '{kunci_header}') tidak ditemukan.")
    return None


def _nilai_angka(p: _Pemeriksa, k: KolomSkema, nilai: Any, sel: Callable[[], str]) -> float | None:
    """A number cell; `sel` names the cell only when there is something to report (most cells are fine)."""
    if (type(nilai) is float and math.isfinite(nilai)) or (type(nilai) is int and abs(nilai) < 2**53):
        x: float | None = float(nilai) + 0.0  # already a number: nothing to interpret (-0.0 becomes 0.0)
    else:
        try:
            hasil = parse_angka(nilai)
        except AngkaTidakValid as e:
            p.galat(sel(), f"{k.judul}: {e}")
            return None
        if hasil.peringatan:
            p.peringatan(sel(), f"{k.judul}: {hasil.peringatan}")
        x = hasil.nilai
    if x is None:
        return None
    if k.min is not None and x < k.min:
        p.galat(sel(), f"{k.judul}: nilai {format_angka_id(x)} negatif; isi angka >= {k.min:g}.")
        return None
    if abs(x) >= _batas(k):
        p.galat(sel(), f"{k.judul}: nilai {format_angka_id(x, 0)} tidak wajar (salah ketik?).")
        return None
    if k.tipe == "bulat":
        return int(x) if float(x).is_integer() else x
    return x


def _batas(k: KolomSkema) -> float:
    return BATAS_RP if k.key.endswith("_rp") else BATAS_K


_ANGKA, _TEKS, _RINGKAS = 0, 1, 2


@dataclass(frozen=True)
class _Aturan:
    """How one schema column is checked, worked out once per sheet (the row loop runs for every cell)."""

    kolom: KolomSkema
    indeks: int  # 0-based position in the sheet's rows
    jenis: int
    bawah: float  # numbers: the smallest accepted, the first refused magnitude
    atas: float
    pilihan: Mapping[str, str] | None

    def sel(self, r: int) -> str:
        """The cell of this column in row r, as messages name it."""
        return f"{huruf_kolom(self.indeks + 1)}{r}"

    @classmethod
    def dari(cls, k: KolomSkema, kolom_excel: int) -> _Aturan:
        jenis = _ANGKA if k.tipe in ("angka", "bulat") else _RINGKAS if k.key in KOLOM_TEKS_RINGKAS else _TEKS
        return cls(k, kolom_excel - 1, jenis, -math.inf if k.min is None else k.min, _batas(k),
                   {normal(x): x for x in k.pilihan} if k.pilihan else None)


def validasi_lembar(
    berkas: str,
    sheet: str,
    baris: Sequence[Sequence[Any]],
    kolom: Sequence[KolomSkema],
    harapan: Harapan | None,
    baris_tersembunyi: set[int] | frozenset[int] = frozenset(),
    kunci_header: str = "Indikator Kinerja",
    boleh_kosong: bool = False,
    facts: SheetFacts | None = None,
    kunci_ganda: tuple[str, ...] = KOLOM_IDENTITAS_INDIKATOR,
) -> Kiriman:
    """Validate a whole sheet; never raises for bad data — every problem is collected.

    `harapan=None` skips the template identity check (the office's own Daftar Indikator has none) and numbers
    rows without a No in order; a submission's No is left as typed (it is the key of its row, see
    ``referensi``).
    `kunci_ganda`: the columns that make an indicator unique (Daftar Indikator adds its Kode Bidang).
    `facts` (a submitted file's ``KirimanSheet``) turns on the rules on percent formats, error values, merged
    cells and a file without realisasi (``validasi_isian``); without them the sheet is validated on its values.
    """
    kiriman = Kiriman(berkas, sheet)
    p = _Pemeriksa(kiriman)
    if harapan is not None and not _periksa_identitas(p, baris, harapan):
        return kiriman
    peta = _petakan_header(p, baris, kolom, kunci_header)
    if peta is None:
        return kiriman
    r_header, posisi = peta
    kiriman.kolom_excel = dict(posisi)
    dilihat: dict[tuple[str, ...], int] = {}
    aturan = [_Aturan.dari(k, posisi[k.key]) for k in kolom]
    isian = [a.indeks for a in aturan if a.kolom.key != "no"]  # a row with only its number is an empty row
    lebar = max(a.indeks for a in aturan) + 1
    kunci_normal: dict[Any, str] = {}  # the same kegiatan, choices... repeat down the sheet
    kolom_k = [(key, posisi[key], next(k.judul for k in kolom if k.key == key))
               for key in KUNCI_REALISASI_K if key in posisi]
    persen: dict[int, set[int]] = {}  # row -> 1-based number columns with a percent format (rule 1a)
    if facts is not None:
        judul_kolom = {a.indeks + 1: a.kolom.judul for a in aturan}
        for sel, pesan in galat_sel_dan_gabungan(facts, r_header, judul_kolom):
            p.galat(sel, pesan)
        kolom_angka = {a.indeks + 1 for a in aturan if a.jenis == _ANGKA}
        for r, c in facts.percent_cells:
            if r > r_header and c in kolom_angka:
                persen.setdefault(r, set()).add(c)

    def normal_ingat(v: Any) -> str:
        n = kunci_normal.get(v)
        if n is None:
            n = kunci_normal[v] = normal(v)
        return n

    for r in range(r_header + 1, len(baris) + 1):
        isi = baris[r - 1]
        if len(isi) < lebar:
            isi = list(isi) + [None] * (lebar - len(isi))
        if all(isi[c] is None or (type(isi[c]) is str and not isi[c].strip()) for c in isian):
            continue
        if r in baris_tersembunyi:
            p.peringatan(f"baris {r}", "baris tersembunyi ikut dibaca; tampilkan baris itu untuk memeriksanya.")
        data: dict[str, Any] = {}
        persen_baris = persen.get(r, ()) if persen else ()
        for a in aturan:
            k, nilai = a.kolom, isi[a.indeks]
            if a.jenis == _ANGKA:
                t = type(nilai)
                if persen_baris and a.indeks + 1 in persen_baris and (t is float or t is int):
                    nilai, t = _persen_terlihat(p, k, nilai, a.sel(r))
                if (t is float or t is int) and a.bawah <= nilai < a.atas and -a.atas < nilai:
                    # already a number inside the limits, the common case: nothing to interpret or report
                    x: Any = float(nilai) + 0.0  # -0.0 becomes 0.0
                    data[k.key] = int(x) if k.tipe == "bulat" and x.is_integer() else x
                elif nilai is None:
                    data[k.key] = None
                else:
                    data[k.key] = _nilai_angka(p, k, nilai, functools.partial(a.sel, r))
            else:
                teks = (nilai if type(nilai) is str else teks_sel(nilai)).strip()
                if teks and teks[0] == "'":
                    teks = tanpa_apostrof(teks)
                if a.jenis == _RINGKAS:
                    teks = " ".join(teks.split())
                if a.pilihan is not None and teks:
                    cocok = a.pilihan.get(normal_ingat(teks))
                    if cocok is None:
                        p.galat(a.sel(r), f"{k.judul}: '{teks}' bukan pilihan yang sah ({', '.join(k.pilihan)}).")
                    teks = cocok or teks
                data[k.key] = teks or None
            if k.wajib and data[k.key] in (None, ""):
                p.galat(a.sel(r), f"{k.judul} wajib diisi.")
        if data.get("no") is None and harapan is None:
            # the office's own list is numbered in order; a submission's No is its rows' key (domain.referensi)
            data["no"] = len(kiriman.baris) + 1
        kunci = tuple(normal_ingat(data.get(x)) for x in kunci_ganda)
        if kunci[-1]:
            if kunci in dilihat:
                p.galat(f"{huruf_kolom(posisi['indikator'])}{r}",
                        f"indikator '{data['indikator']}' ganda, sama dengan baris {dilihat[kunci]}.")
            else:
                dilihat[kunci] = r
        for galat, sel, pesan in periksa_realisasi_k(data, r, kolom_k, facts is not None, persen_baris):
            (p.galat if galat else p.peringatan)(sel, pesan)
        kiriman.baris.append(data)
        kiriman.baris_excel.append(r)
    if not kiriman.baris and not kiriman.galat and not boleh_kosong:
        p.galat(f"baris {r_header + 1}", "tidak ada data indikator yang diisi.")
    elif facts is not None and harapan is not None and kiriman.baris:
        _periksa_ada_realisasi(p, kiriman, harapan.periode, posisi, r_header, harapan.tersegel)
    return kiriman


def _persen_terlihat(p: _Pemeriksa, k: KolomSkema, nilai: float, sel: str) -> tuple[float, type]:
    """Rule 1a: a number in a percent-formatted cell becomes the percent points the user saw."""
    if not math.isfinite(nilai):
        return nilai, float
    terlihat = titik_persen(nilai)
    p.peringatan(sel, f"{k.judul}: sel berformat persen; nilai {teks_angka(nilai)} dibaca sebagai "
                      f"{teks_angka(terlihat)} (yang tampil: {teks_angka(terlihat)}%).")
    return terlihat, float


def _periksa_ada_realisasi(p: _Pemeriksa, kiriman: Kiriman, periode: str, posisi: Mapping[str, int],
                           r_header: int, tersegel: tuple[int, ...]) -> None:
    """Rule 6: a submitted file must hold at least one realisasi of the period (not carried from the record)."""
    try:
        kunci = [key for key in kunci_realisasi_periode(periode, tersegel) if key in posisi]
    except ValueError:
        return  # an unknown period is the identity check's business
    if not kunci or any(d.get(key) is not None for d in kiriman.baris for key in kunci):
        return
    kolom = sorted(posisi[key] for key in kunci)
    rentang = f"{huruf_kolom(kolom[0])}{r_header + 1}:{huruf_kolom(kolom[-1])}{kiriman.baris_excel[-1]}"
    p.galat(rentang, f"belum ada realisasi yang diisi untuk periode {periode} (Realisasi "
                     f"{nama_triwulan(periode, tersegel)}, "
                     "K atau Rp, kosong di semua indikator): berkas ini template kosong atau draf lama? Isi "
                     "realisasi lalu kirim ulang.")
