"""Step 5, reading: every submitted file (or bidang sheet of the master) read and validated, nothing written."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros_py.aksi.langkah import Konteks
from macros_py.domain.nama_berkas import kode_nama_berkas, periksa_nama_berkas
from macros_py.domain.tersegel import baca_triwulan
from macros_py.domain.validasi import Harapan, Kiriman, KolomSkema, Masalah, cari_identitas, validasi_lembar
from macros_py.io.book import Book

EKSTENSI_KIRIMAN = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods", ".csv")
BERKAS_PARALEL = 2_000_000  # bytes of submissions from which reading is spread over the cores


@dataclass
class Sumber:
    """Where a submission came from. `path`: the file whose folder holds the bukti dukung and which is kept on
    acceptance (None for a master sheet and for a file that is no submission); `asal`: the file as given
    (for the copy sent back when it is rejected); `terbaca`: whether the file could be opened at all."""

    kiriman: Kiriman
    sha256: str
    path: Path | None
    asal: Path | None = None
    terbaca: bool = True


def harapan(konteks: Konteks) -> Harapan:
    p = konteks.konfigurasi.pengaturan
    return Harapan(konteks.konfigurasi.tahun, konteks.konfigurasi.periode, int(float(p["versi_template"])),
                   {b["kode"]: b["nama"] for b in konteks.konfigurasi.bidang},
                   baca_triwulan(p.get("triwulan_tersegel")))


def kumpulkan_berkas(argumen: Sequence[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly). Named files are submissions; in a folder, the spreadsheet-like files are."""
    hasil: list[tuple[Path, bool]] = []
    for p in argumen:
        if p.is_dir():
            hasil += sorted((f, False) for f in p.iterdir() if f.is_file()
                            and f.suffix.lower() in EKSTENSI_KIRIMAN and not f.name.startswith(("~$", ".")))
        else:
            hasil.append((p, True))
    return hasil


def _baca_berkas(path: Path, harapan: Harapan, kolom: Sequence[KolomSkema],
                 eksplisit: bool) -> tuple[list[Sumber], str]:
    """Read and validate one file: its submissions, and why it is not processed when it is none.

    A file named explicitly, or named like a distributed format, without a template identity is a rejection;
    any other file of a folder without one is not processed (the reason is returned).
    Runs in a worker process when there are many files, hence plain arguments and a returned note."""
    from macros_py.io.kiriman.reader import FileRejected, read_kiriman

    try:
        berkas = read_kiriman(path)
    except FileRejected as e:
        return [Sumber(Kiriman(path.name, "", galat=[Masalah(path.name, "", "", e.pesan)]), "", None, path,
                       terbaca=False)], ""
    hasil = []
    for lembar in berkas.lembar:
        if cari_identitas(lembar.baris) is None:
            continue
        k = validasi_lembar(path.name, lembar.nama, lembar.baris, kolom, harapan, lembar.baris_tersembunyi,
                            facts=lembar)
        if berkas.punya_makro:
            k.peringatan.append(Masalah(path.name, "", "", "berkas berisi makro; hanya data yang dibaca, makro "
                                                           "tidak disimpan dan tidak dijalankan."))
        hasil.append(Sumber(k, berkas.sha256, path, path))
    if hasil:
        return hasil, ""
    daftar = ", ".join(lembar.nama for lembar in berkas.lembar) or "tidak ada sheet"
    if kode_nama_berkas(path.name, harapan.bidang) is not None:
        pesan = (f"berkas ini bernama seperti format yang dibagikan, tetapi identitas template (EVKIN-...) tidak ada "
                 f"di blok kepala sheet mana pun (sheet: {daftar}): blok kepala terhapus atau tertimpa, atau tabelnya "
                 "disalin ke buku kerja baru. Isi format yang dibagikan tanpa mengubah blok kepala, lalu kirim ulang.")
    elif eksplisit:
        pesan = ("tidak ada sheet format evaluasi kinerja (identitas template EVKIN-... tidak ditemukan di sheet "
                 f"mana pun: {daftar}).")
    else:
        return [], f"bukan format evaluasi kinerja (tidak ada identitas template EVKIN-... di sheet: {daftar})"
    return [Sumber(Kiriman(path.name, "", galat=[Masalah(path.name, "", "", pesan)]), berkas.sha256, None,
                   path)], ""


def _baca_pasangan(berkas: tuple[Path, bool], harapan: Harapan,
                   kolom: Sequence[KolomSkema]) -> tuple[list[Sumber], str]:
    """`_baca_berkas` of a (file, named explicitly) pair: what `parallel_map` hands a worker."""
    return _baca_berkas(berkas[0], harapan, kolom, berkas[1])


def baca_semua_berkas(berkas: Sequence[Path], konteks: Konteks,
                      info: Callable[[str], None]) -> tuple[list[Sumber], list[dict[str, str]]]:
    """Every file read and validated (in parallel when there are many), in the order given, and the files of
    a folder that are not processed."""
    from macros_py.io.parallel import parallel_map

    h, kolom = harapan(konteks), konteks.skema.tabel("bidang").kolom
    daftar = kumpulkan_berkas(berkas)
    hasil = parallel_map(functools.partial(_baca_pasangan, harapan=h, kolom=kolom), daftar,
                         bobot=[p.stat().st_size if p.is_file() else 0 for p, _ in daftar], cukup=BERKAS_PARALEL)
    sumber, tidak_diproses = [], []
    for (path, _), (s, alasan) in zip(daftar, hasil, strict=True):
        if alasan:
            info(f"Tidak diproses: {path.name} — {alasan}.")
            tidak_diproses.append({"berkas": path.name, "alasan": alasan})
        sumber += s
    periksa_nama_berkas([s.kiriman for s in sumber], h.bidang)
    return sumber, tidak_diproses


def baca_master(book: Book, konteks: Konteks, hanya_sheet: str | None = None) -> list[Sumber]:
    """Bidang sheets filled inside the master: the sheets with at least one indicator row holding a value in an
    input column (a sheet holding only what `format` wrote is no submission)."""
    h = harapan(konteks)
    kolom = konteks.skema.tabel("bidang").kolom
    terkunci = set(konteks.skema.kolom_referensi) | set(konteks.skema.kolom_tersegel(h.tersegel))
    isian = [k.key for k in kolom if k.key not in terkunci]
    hasil = []
    for b in konteks.konfigurasi.bidang:
        if hanya_sheet is not None and b["sheet"] != hanya_sheet:
            continue  # the Excel button on one bidang sheet sends that sheet only
        nilai = book.read_values(b["sheet"])
        k = validasi_lembar("workbook induk", b["sheet"], nilai, kolom, h)
        if not k.galat and not any(d.get(key) not in (None, "") for d in k.baris for key in isian):
            continue  # only the format's rows: nothing typed yet
        if k.galat and not k.baris and all("tidak ada data" in m.pesan for m in k.galat):
            continue  # an untouched bidang sheet is not a submission
        hasil.append(Sumber(k, sidik_lembar(nilai), None))
    return hasil


def sidik_lembar(nilai: list[list[Any]]) -> str:
    """SHA-256 of a sheet's values, the same whichever engine read them (trailing blank cells and rows, which
    engines report differently, are left out)."""
    baris = [b[: max((i + 1 for i, v in enumerate(b) if v not in (None, "")), default=0)] for b in nilai]
    while baris and not baris[-1]:
        baris.pop()
    return hashlib.sha256(repr(baris).encode()).hexdigest()
