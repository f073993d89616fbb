"""What the document and letter actions read from the Konfigurasi sheet beyond the basics: print settings,
signatories per block, the letter template, and the guard against "(contoh)" placeholders.

Every refusal names the Konfigurasi cell to fix (exit 3, InputDitolak).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros_py.aksi.langkah import Konteks, _teks
from macros_py.domain.errors import InputDitolak
from macros_py.domain.konfigurasi import TabelKonfigurasi, huruf, sel_contoh
from macros_py.domain.sop import Pelaku
from macros_py.io.book import Book, read_table_rows
from macros_py.schema import Skema

KERTAS = ("F4", "A4", "A3")
RP_DALAM: dict[str, int | None] = {"otomatis": None, "rupiah": 1, "ribu": 1_000, "juta": 1_000_000}
BLOK_TTD = {"disusun": "Disusun oleh,", "dievaluasi": "Dievaluasi oleh,"}


# ---- placeholders ----------------------------------------------------------------------------------------------

def tabel_diperiksa(book: Book, skema: Skema) -> list[TabelKonfigurasi]:
    """The Pengaturan values and the whole Pejabat dan Peran table, as read from the book."""
    spec = skema.sheet("konfigurasi")
    hasil = []
    for key, label, diperiksa in (("pengaturan", "kunci", ("nilai",)), ("pejabat", "pengguna", None)):
        t = spec.tabel_(key)
        kolom = diperiksa or t.keys
        hasil.append(TabelKonfigurasi(t.judul, t.baris_data, t.kolom_awal, tuple(k.judul for k in t.kolom),
                                      tuple(tuple(b) for b in read_table_rows(book, t)), t.indeks(label),
                                      tuple(t.indeks(k) for k in kolom)))
    return hasil


def masalah_contoh(book: Book, skema: Skema) -> list[str]:
    """`evkin periksa`: one line per Konfigurasi cell still marked "(contoh)"."""
    nama = skema.sheet("konfigurasi").nama
    return [s.pesan(nama) for s in sel_contoh(tabel_diperiksa(book, skema))]


def tolak_contoh(book: Book, konteks: Konteks, tindakan: str) -> None:
    """Refuse an official output while Konfigurasi still holds "(contoh)" values; only the demo is let through."""
    if konteks.izinkan_contoh:
        return
    masalah = masalah_contoh(book, konteks.skema)
    if masalah:
        raise InputDitolak(
            f"{tindakan} ditolak: sheet Konfigurasi masih berisi {len(masalah)} nilai contoh yang akan tercetak "
            "di dokumen resmi. Ganti setiap sel berikut dengan nilai sebenarnya, lalu ulangi.", masalah)


# ---- Pengaturan cells ----------------------------------------------------------------------------------------

def sel_pengaturan(book: Book, skema: Skema, kunci: str) -> str:
    """'Konfigurasi!B22' — the Nilai cell of a Pengaturan key (for messages)."""
    t = skema.sheet("konfigurasi").tabel_("pengaturan")
    for i, b in enumerate(read_table_rows(book, t)):
        if _teks(b[t.indeks("kunci")]) == kunci:
            return f"{t.sheet}!{huruf(t.kolom_awal + t.indeks('nilai'))}{t.baris_data + i} ({kunci})"
    return f"{t.sheet}, tabel Pengaturan ({kunci}; baris belum ada)"


def _nilai(konteks: Konteks, kunci: str) -> str:
    """A Pengaturan value, or the schema's default when the key is absent (a workbook made before it existed)."""
    p = konteks.konfigurasi.pengaturan
    if kunci in p:
        return _teks(p[kunci])
    for baris in konteks.skema.sheet("konfigurasi").ekstra.get("pengaturan", []):
        if baris["kunci"] == kunci:
            return _teks(konteks.skema.organisasi.get(kunci, baris.get("baku", "")))
    return ""


def _pilihan(book: Book, konteks: Konteks, kunci: str, pilihan: tuple[str, ...]) -> str:
    nilai = _nilai(konteks, kunci)
    for p in pilihan:
        if nilai.casefold() == p.casefold():
            return p
    raise InputDitolak(f"{sel_pengaturan(book, konteks.skema, kunci)}: '{nilai}' tidak dikenal; pilih salah satu: "
                       f"{', '.join(pilihan)}.")


def berkas_konfigurasi(book: Book, konteks: Konteks, kunci: str, folder_master: Path) -> Path | None:
    """A file named in Pengaturan (absolute, or relative to the master's folder); None when empty."""
    nilai = _nilai(konteks, kunci)
    if not nilai:
        return None
    path = Path(nilai).expanduser()
    if not path.is_absolute():
        path = folder_master / path
    if not path.is_file():
        raise InputDitolak(f"{sel_pengaturan(book, konteks.skema, kunci)}: berkas {path} tidak ditemukan. Perbaiki "
                           "path-nya atau kosongkan sel itu.")
    return path


@dataclass(frozen=True)
class PengaturanCetak:
    kertas: str
    rp_dalam: str
    kelompok_urusan: bool
    logo: Path | None


def pengaturan_cetak(book: Book, konteks: Konteks, folder_master: Path) -> PengaturanCetak:
    """Paper, Rp scale, Kode/Urusan grouping and logo, each checked and refused naming its cell."""
    kelompok = _pilihan(book, konteks, "kelompok_urusan", ("Ya", "Tidak")) == "Ya"
    return PengaturanCetak(_pilihan(book, konteks, "ukuran_kertas", KERTAS),
                           _pilihan(book, konteks, "rp_dalam", tuple(RP_DALAM)), kelompok,
                           berkas_konfigurasi(book, konteks, "logo_kop", folder_master))


# ---- signatories -----------------------------------------------------------------------------------------------

def _cari_pejabat(konteks: Konteks, siapa: str) -> Pelaku | None:
    """A pengguna, a peran (key or its name) or a person's name from the Pejabat dan Peran table."""
    kunci = siapa.casefold()
    pejabat = konteks.konfigurasi.pejabat
    nama_peran = {v.casefold(): k for k, v in konteks.skema.nama_peran.items()}
    for cocok in (lambda p: p.pengguna.casefold() == kunci,
                  lambda p: p.peran.casefold() == nama_peran.get(kunci, kunci),
                  lambda p: p.nama.casefold() == kunci):
        ketemu = [p for p in pejabat if cocok(p)]
        if ketemu:
            return ketemu[0]
    return None


def penanda_tangan(book: Book, konteks: Konteks, blok: str) -> tuple[str, str, str]:
    """(jabatan as printed, nama, NIP) of the signer of a block ("disusun" or "dievaluasi")."""
    kunci = f"penanda_tangan_{blok}"
    siapa = _nilai(konteks, kunci)
    p = _cari_pejabat(konteks, siapa) if siapa else None
    if p is None:
        raise InputDitolak(f"{sel_pengaturan(book, konteks.skema, kunci)}: penanda tangan '{siapa}' tidak ada di "
                           "tabel Pejabat dan Peran; tulis pengguna (mis. camat) atau peran (mis. kepala).")
    return _nilai(konteks, f"jabatan_{blok}") or p.jabatan, p.nama, p.nip
