"""Tamper-evident activity log: each row carries the SHA-256 of its content and of the previous row's hash.

Canonical text of a row is the same whether Excel, openpyxl or xlwings read it (numbers become their integer
text, everything else its string), so a chain written headless verifies from Excel and back.

Each row also records the operating-system login and computer (`perangkat`) beside the person acting, so a claimed
identity (`--sebagai camat`) can be compared with who was really at the keyboard. It is hashed with the row; rows
written before it existed (empty) hash as they always did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from macros_py.domain.teks import teks_sel

HASH_AWAL = "0" * 64


def hash_baris(isi: Sequence[object], hash_sebelumnya: str) -> str:
    teks = json.dumps([teks_sel(v) for v in isi] + [hash_sebelumnya], ensure_ascii=False)
    return hashlib.sha256(teks.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BarisLog:
    no: int
    waktu: str
    pengguna: str
    peran: str
    langkah: str
    aksi: str
    rincian: str
    hash_sebelumnya: str = ""
    hash: str = ""
    perangkat: str = ""

    def isi(self) -> tuple[object, ...]:
        """What the hash covers: the row's content, and `perangkat` where the row has one."""
        isi = (self.no, self.waktu, self.pengguna, self.peran, self.langkah, self.aksi, self.rincian)
        return (*isi, self.perangkat) if self.perangkat else isi


def sambung(terakhir: BarisLog | None, baru: BarisLog) -> BarisLog:
    """Give a new row its number and place in the chain after `terakhir`."""
    no = (terakhir.no if terakhir else 0) + 1
    sebelumnya = terakhir.hash if terakhir else HASH_AWAL
    tanpa_hash = BarisLog(no, baru.waktu, baru.pengguna, baru.peran, baru.langkah, baru.aksi, baru.rincian,
                          perangkat=baru.perangkat)
    return BarisLog(no, baru.waktu, baru.pengguna, baru.peran, baru.langkah, baru.aksi, baru.rincian,
                    hash_sebelumnya=sebelumnya, hash=hash_baris(tanpa_hash.isi(), sebelumnya), perangkat=baru.perangkat)


@dataclass(frozen=True)
class MasalahLog:
    baris_excel: int
    pesan: str


def verifikasi_rantai(
    baris: Sequence[Sequence[object]], baris_excel_pertama: int, jangkar: tuple[int, str] | None = None
) -> list[MasalahLog]:
    """Check the chain; `baris` are raw rows (no..hash, perangkat). Reports the first broken row, then stops.

    `jangkar` is (jumlah, hash_terakhir) kept outside the Log sheet, so that deleting the last rows shows too.
    """
    sebelumnya = HASH_AWAL
    for i, mentah in enumerate(baris):
        excel = baris_excel_pertama + i
        nilai = [*list(mentah), *[None] * 10][:10]
        isi, hash_seb, hash_ini = nilai[:7], teks_sel(nilai[7]), teks_sel(nilai[8])
        if teks_sel(nilai[9]):
            isi.append(nilai[9])
        if teks_sel(isi[0]) != str(i + 1):
            return [MasalahLog(excel, f"Log baris {excel}: nomor urut {teks_sel(isi[0]) or '(kosong)'} seharusnya "
                                      f"{i + 1} — ada baris yang dihapus, disisipkan atau diurutkan ulang.")]
        if hash_seb != sebelumnya:
            return [MasalahLog(excel, f"Log baris {excel} (No {i + 1}): tidak tersambung ke baris sebelumnya — "
                                      "ada baris yang dihapus, disisipkan atau diurutkan ulang.")]
        if hash_baris(isi, hash_seb) != hash_ini:
            return [MasalahLog(excel, f"Log baris {excel} (No {i + 1}): isi baris telah diubah "
                                      "(hash tidak cocok).")]
        sebelumnya = hash_ini
    if jangkar is not None:
        jumlah, hash_akhir = jangkar
        if jumlah != len(baris) or (jumlah and hash_akhir != sebelumnya):
            excel = baris_excel_pertama + len(baris)
            return [MasalahLog(excel, f"Log baris {excel}: Log berisi {len(baris)} baris, tetapi Konfigurasi "
                                      f"mencatat {jumlah} baris dengan hash terakhir berbeda — baris terakhir Log "
                                      "dihapus atau diubah.")]
    return []
