"""Step 5, checking what the validator cannot know alone: each submission against the bidang's rows of Daftar
Indikator (the format owns its reference columns) and against the bidang's previous accepted submission (no
silent blanking; an identical re-send is recorded once). Pure rules in ``domain.referensi`` and
``domain.kiriman_lalu``; this module feeds them the master's values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from macros_py.aksi.daftar_indikator import baris_indikator, per_bidang
from macros_py.aksi.himpun_baca import Sumber
from macros_py.aksi.langkah import Konteks
from macros_py.domain.kiriman_lalu import dikosongkan, identik
from macros_py.domain.referensi import bandingkan_daftar
from macros_py.domain.tersegel import baca_triwulan
from macros_py.domain.validasi import Masalah
from macros_py.io.book import Book, is_blank_row, read_table
from macros_py.schema import Skema


@dataclass(frozen=True)
class KirimanLalu:
    """A bidang's previous accepted submission: when (as messages show it), its SHA-256, its rows in Rekap."""

    waktu: str
    sha256: str
    baris: list[dict[str, Any]]


def kiriman_lalu(book: Book, skema: Skema, rekap: Sequence[Sequence[Any]]) -> dict[str, KirimanLalu]:
    """Per bidang name, what the master holds of its last accepted submission: its last Penerimaan row and its
    rows of Rekap (`rekap`: Rekap's rows as read). A bidang without a Penerimaan row has none."""
    terakhir: dict[str, dict[str, Any]] = {}
    for r in read_table(book, skema.tabel("penerimaan")):
        terakhir[str(r["bidang"] or "").strip()] = r
    if not terakhir:
        return {}
    tabel = skema.tabel("rekap")
    i_bidang = tabel.indeks("bidang")
    keys = skema.tabel("bidang").keys
    indeks = [tabel.indeks(k) for k in keys]
    baris: dict[str, list[dict[str, Any]]] = {}
    for b in rekap:
        nama = str(b[i_bidang] or "").strip()
        if nama in terakhir and not is_blank_row(b):
            baris.setdefault(nama, []).append({k: b[i] for k, i in zip(keys, indeks, strict=True)})
    hasil = {}
    for nama, r in terakhir.items():
        w = r["waktu"]
        waktu = f"{w:%d-%m-%Y %H:%M}" if isinstance(w, datetime) else str(w or "-")
        hasil[nama] = KirimanLalu(waktu, str(r["sha256"] or ""), baris.get(nama, []))
    return hasil


def daftar_pembanding(book: Book, konteks: Konteks) -> dict[str, list[dict[str, Any]]]:
    """Daftar Indikator per bidang, what `periksa_referensi` compares with. Taken before the submissions are
    read: a province's list and its 200,000 submitted rows are then never both being built."""
    return per_bidang(baris_indikator(book, konteks, "kiriman tidak dapat dibandingkan dengannya", wajib_ada=False))


def periksa_referensi(konteks: Konteks, sumber: Sequence[Sumber], daftar: dict[str, list[dict[str, Any]]]) -> None:
    """Every reference cell of each submission, and every realisasi of a triwulan carried from the sealed record,
    compared with its bidang's rows of Daftar Indikator (`daftar_pembanding`; a difference, a row not in the list
    and a missing indicator are refused)."""
    skema = konteks.skema
    tersegel = skema.kolom_tersegel(baca_triwulan(konteks.konfigurasi.pengaturan.get("triwulan_tersegel")))
    kolom = [k for k in skema.tabel("bidang").kolom if k.key in skema.kolom_referensi or k.key in tersegel]
    for s in sumber:
        k = s.kiriman
        if not k.kode_bidang or not k.kolom_excel:
            continue  # no identity or no header: nothing to compare, the validator said why
        sudah = {m.sel for m in k.galat}
        for t in bandingkan_daftar(k.baris, k.baris_excel, k.kolom_excel, daftar.get(k.kode_bidang, []), kolom,
                                   sudah=sudah, tersegel=tersegel, kode_bidang=k.kode_bidang):
            k.galat.append(Masalah(k.berkas, k.sheet, t.sel, t.pesan))


@dataclass
class Pembanding:
    """The outcome of comparing the submissions with the previous accepted ones."""

    identik: list[tuple[Sumber, str]]  # (submission, when the identical one was received)
    mengosongkan: set[int]  # ids of the sources refused for blanking accepted values
    hanya_mengosongkan: set[int]  # ... of those, the ones refused for nothing else (the Kasubag may overrule)


def periksa_kiriman_lalu(konteks: Konteks, sumber: Sequence[Sumber], lalu: dict[str, KirimanLalu],
                         boleh_kosongkan: bool) -> Pembanding:
    """Identical re-sends, and submissions that would blank values the previous accepted one had: refused,
    or (`boleh_kosongkan`: the Kasubag said so) accepted with a warning per blanked cell."""
    skema = konteks.skema
    nama = {b["kode"]: b["nama"] for b in konteks.konfigurasi.bidang}
    keys = skema.tabel("bidang").keys
    isian = [k for k in skema.tabel("bidang").kolom if k.key not in skema.kolom_referensi]
    hasil = Pembanding([], set(), set())
    for s in sumber:
        k = s.kiriman
        sebelum = lalu.get(nama.get(k.kode_bidang, ""))
        if sebelum is None or not k.kolom_excel:
            continue  # nothing accepted before, or no table read (the identity or the header was refused)
        lain = bool(k.galat)
        if not lain and ((s.sha256 and s.sha256 == sebelum.sha256) or identik(k.baris, sebelum.baris, keys)):
            hasil.identik.append((s, sebelum.waktu))
            continue
        # reported even beside other problems: a blank template saved again is named for what it would blank
        kosong = dikosongkan(k.baris, k.baris_excel, k.kolom_excel, sebelum.baris, isian, sebelum.waktu)
        for t in kosong:
            if boleh_kosongkan:
                k.peringatan.append(Masalah(k.berkas, k.sheet, t.sel, f"dikosongkan dengan persetujuan "
                                                                      f"{konteks.pelaku.label()}: {t.pesan}"))
            else:
                k.galat.append(Masalah(k.berkas, k.sheet, t.sel, t.pesan))
        if kosong and not boleh_kosongkan:
            hasil.mengosongkan.add(id(s))
            if not lain:
                hasil.hanya_mengosongkan.add(id(s))
    return hasil
