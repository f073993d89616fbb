"""Reads `sheets_schema/` (the SOP, the organisation and every sheet's layout) into typed objects.

The schema directory is found beside the package (a source checkout or editable install) or through the
EVKIN_SCHEMA environment variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from macros_py.domain.predikat import KriteriaPredikat, baca_kriteria, kunci_predikat
from macros_py.domain.sop import Langkah, MutuBakuWaktu

PERIODE = ("TW1", "TW2", "TW3", "TW4", "S1", "S2", "TAHUNAN")
_RE_REALISASI = re.compile(r"tw[1-4]_(k|rp)")


@dataclass(frozen=True)
class Kolom:
    key: str
    judul: str
    tipe: str = "teks"
    lebar: float = 12
    input: bool = False
    wajib: bool = False
    min: float | None = None
    pilihan: tuple[str, ...] = ()
    pilihan_dari: str = ""


@dataclass(frozen=True)
class Tabel:
    """A table on a sheet: header at `header_row`, data below it, columns from `kolom_awal` (1-based)."""

    sheet: str
    key: str
    header_row: int
    kolom_awal: int
    kolom: tuple[Kolom, ...]
    judul: str = ""
    baris_input: int = 0

    @property
    def baris_data(self) -> int:
        return self.header_row + 1

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kolom)

    def indeks(self, key: str) -> int:
        return self.keys.index(key)


@dataclass(frozen=True)
class SpecSheet:
    nama: str
    jenis: str
    judul: str = ""
    tabel: tuple[Tabel, ...] = ()
    lebar: tuple[float, ...] = ()
    ekstra: dict[str, Any] = field(default_factory=dict)

    def tabel_(self, key: str) -> Tabel:
        for t in self.tabel:
            if t.key == key:
                return t
        raise KeyError(f"{self.nama}: tabel {key}")


@dataclass(frozen=True)
class Skema:
    folder: Path
    versi_skema: int
    versi_template: int
    gaya: dict[str, str]
    sop: dict[str, Any]
    langkah: tuple[Langkah, ...]
    organisasi: dict[str, Any]
    sheets: tuple[SpecSheet, ...]

    def sheet(self, jenis: str) -> SpecSheet:
        for s in self.sheets:
            if s.jenis == jenis:
                return s
        raise KeyError(jenis)

    def tabel(self, jenis: str, key: str | None = None) -> Tabel:
        spec = self.sheet(jenis)
        return spec.tabel_(key) if key else spec.tabel[0]

    def langkah_aksi(self, aksi: str) -> Langkah:
        """The SOP step whose `aksi` (sop.yaml) this is: step numbers are looked up, never written in code."""
        for lk in self.langkah:
            if lk.aksi == aksi:
                return lk
        raise KeyError(f"sop.yaml: tidak ada langkah dengan aksi '{aksi}'")

    def tabel_bidang(self, nama_sheet: str) -> Tabel:
        """The evaluation table as laid out on one bidang's sheet."""
        t = self.tabel("bidang")
        return Tabel(nama_sheet, t.key, t.header_row, t.kolom_awal, t.kolom, t.judul, t.baris_input)

    @cached_property
    def kolom_referensi(self) -> tuple[str, ...]:
        """The bidang table's columns that `format` fills from Daftar Indikator (the columns of that table the
        bidang table also has, but the realisasi: No, Sasaran ... Pagu, Kode, Urusan). The format owns them:
        locked in every bidang sheet and distributed template, and compared with Daftar Indikator on intake.
        "no" is the indicator's stable key (its position among its bidang's rows in Daftar Indikator, written by
        `format`)."""
        bidang = set(self.tabel("bidang").keys) - set(self.kolom_realisasi)
        return tuple(k for k in self.tabel("indikator").keys if k in bidang)

    @cached_property
    def kolom_realisasi(self) -> tuple[str, ...]:
        """The realisasi columns of the bidang table, per triwulan: tw1_k, tw1_rp, ... tw4_rp. Daftar Indikator
        holds them too, for the earlier triwulan carried from a sealed record (``kolom_tersegel``)."""
        return tuple(k for k in self.tabel("bidang").keys if _RE_REALISASI.fullmatch(k))

    def kolom_tersegel(self, triwulan: Sequence[int]) -> tuple[str, ...]:
        """The realisasi columns of the given triwulan (those carried from the previous period's sealed record):
        locked like the reference columns and compared on intake."""
        return tuple(k for k in self.kolom_realisasi if int(k[2]) in triwulan)

    @property
    def kolom_dari_tahun_lalu(self) -> dict[str, str]:
        """Daftar Indikator column <- Rekap column of the previous year's sealed closing record (sheets.yaml
        ``dari_tahun_lalu``): Realisasi Renstra s.d. tahun lalu is that record's Renstra s.d. its year."""
        return dict(self.sheet("indikator").ekstra.get("dari_tahun_lalu", {}))

    @property
    def nama_peran(self) -> dict[str, str]:
        return dict(self.organisasi["peran"])

    @cached_property
    def kriteria_baku(self) -> KriteriaPredikat:
        """The predikat bands a new workbook starts with (organisasi.yaml, kriteria_predikat)."""
        return kriteria_organisasi(self.organisasi)

    def tabel_analisis(self, label_predikat: Sequence[str]) -> Tabel:
        """The Analisis table with one count column per predikat of the workbook's Kriteria Predikat table."""
        t = self.tabel("analisis")
        baku = self.kriteria_baku.kunci
        i = t.keys.index(baku[0])
        contoh = t.kolom[i]
        kolom = tuple(replace(contoh, key=kunci_predikat(n), judul=n) for n in label_predikat)
        return replace(t, kolom=t.kolom[:i] + kolom + t.kolom[i + len(baku):])


def kriteria_organisasi(organisasi: dict[str, Any]) -> KriteriaPredikat:
    baris = [(b.get("minimal"), b.get("predikat")) for b in organisasi.get("kriteria_predikat", [])]
    kriteria, masalah = baca_kriteria(baris)
    if kriteria is None:
        raise ValueError(f"organisasi.yaml, kriteria_predikat: {masalah or 'kosong'}")
    return kriteria


def folder_skema() -> Path:
    env = os.environ.get("EVKIN_SCHEMA")
    if env:
        return Path(env)
    return folder_data("sheets_schema")


def folder_data(nama: str) -> Path:
    """A data folder: beside the package in a source checkout, inside it when installed from a wheel."""
    paket = Path(__file__).resolve().parent
    sumber = paket.parent / nama
    return sumber if sumber.is_dir() else paket / nama


def _yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


def _kolom(data: dict[str, Any]) -> Kolom:
    data = dict(data)
    for kunci in ("key", "judul"):
        if not isinstance(data.get(kunci), str):  # YAML 1.1 reads a bare No/Yes as a boolean
            raise ValueError(f"sheets.yaml: kolom {data!r}: '{kunci}' harus teks (beri tanda kutip)")
    data["pilihan"] = tuple(data.get("pilihan", ()))
    return Kolom(**data)


def _tabel(nama_sheet: str, data: dict[str, Any], bidang: Tabel | None,
           kriteria: KriteriaPredikat | None = None) -> Tabel:
    kolom = [_kolom(k) for k in data["kolom"]]
    if data.get("sisipkan_kolom_dari") and bidang is not None:
        awal = [_kolom(k) for k in data.get("kolom_awal_tambahan", [])]
        sisip = list(bidang.kolom)
        if data.get("sampai_kolom"):
            sisip = sisip[: bidang.keys.index(data["sampai_kolom"]) + 1]
            sisip += [bidang.kolom[bidang.keys.index(k)] for k in data.get("tambah_kolom_bidang", [])]
        kolom = awal + sisip + kolom
    if kriteria is not None and "per_predikat" in [k.key for k in kolom]:
        i = [k.key for k in kolom].index("per_predikat")
        kolom[i:i + 1] = [replace(kolom[i], key=k, judul=n) for k, n in zip(kriteria.kunci, kriteria.label,
                                                                            strict=True)]
    return Tabel(nama_sheet, data["key"], int(data["header_row"]), int(data.get("kolom_awal", 1)), tuple(kolom),
                 data.get("judul", ""), int(data.get("baris_input", 0)))


@cache
def muat_skema(folder: Path | None = None) -> Skema:
    folder = folder or folder_skema()
    sheets_data = _yaml(folder / "sheets.yaml")
    sop = _yaml(folder / "sop.yaml")
    organisasi = _yaml(folder / "organisasi.yaml")
    spec_bidang = next(s for s in sheets_data["sheets"] if s["jenis"] == "bidang")
    bidang_tabel = _tabel(spec_bidang["nama"], spec_bidang["tabel"][0], None)  # other tables copy its columns
    kriteria = kriteria_organisasi(organisasi)
    sheets: list[SpecSheet] = []
    for s in sheets_data["sheets"]:
        tabel = tuple(_tabel(s["nama"], t, bidang_tabel, kriteria) for t in s.get("tabel", []))
        ekstra = {k: v for k, v in s.items() if k not in ("nama", "jenis", "judul", "tabel", "lebar")}
        sheets.append(SpecSheet(s["nama"], s["jenis"], s.get("judul", ""), tabel, tuple(s.get("lebar", ())), ekstra))
    langkah = tuple(
        Langkah(
            no=int(lk["nomor"]), aksi=lk["aksi"], uraian=lk["uraian"], pelaksana=tuple(lk["pelaksana"]),
            kelengkapan=lk["kelengkapan"], waktu=MutuBakuWaktu(int(lk["waktu"]["nilai"]), lk["waktu"]["satuan"]),
            output=lk["output"], mulai_dari=lk.get("mulai_dari", ""),
        )
        for lk in sop["langkah"]
    )
    return Skema(folder, int(sheets_data["versi_skema"]), int(sheets_data["versi_template"]),
                 dict(sheets_data.get("gaya", {})), sop, langkah, organisasi, tuple(sheets))
