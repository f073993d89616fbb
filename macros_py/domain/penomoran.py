"""Buku Agenda Surat Keluar: letter numbers issued from one gapless counter per year, never reused.

Pure Python so the rule can be checked without a workbook. A register row is a mapping with keys no_urut, tanggal,
nomor_surat, perihal, tujuan, pembuat, status ("aktif"/"batal") and optionally keterangan; its year is always
tanggal's year, so the counter restarts each January as the office's numbering does.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from itertools import pairwise

from macros_py.domain.errors import InputDitolak, PenggunaanSalah

FORMAT_BAKU = "{kode}/{urut:03d}/{unit}/{tahun}"
"""Common pattern kode klasifikasi / nomor urut / kode unit / tahun, e.g. 000.7.5/012/Kec-Mkt/2026."""

STATUS_AKTIF = "aktif"
STATUS_BATAL = "batal"
KOLOM_REGISTER = ("no_urut", "tanggal", "nomor_surat", "perihal", "tujuan", "pembuat", "status", "keterangan")

_BIDANG_POLA = ("kode", "urut", "unit", "tahun")
_BIDANG_WAJIB = ("urut", "tahun")  # without both, numbers would repeat across letters or across years


def _bidang_pola(pola: str) -> list[tuple[str, str | None, str, str | None]]:
    """Parse and check a numbering pattern once, so every caller gets the same Indonesian complaint."""
    if not isinstance(pola, str) or not pola.strip():
        raise PenggunaanSalah("Pola nomor surat kosong; contoh pola baku: " + FORMAT_BAKU)
    try:
        bagian = list(string.Formatter().parse(pola))
    except ValueError as e:
        raise PenggunaanSalah(
            f"Pola nomor surat {pola!r} rusak: kurung kurawal tidak berpasangan ({e}). "
            "Tulis '{{' atau '}}' untuk kurung kurawal biasa."
        ) from None
    dipakai: set[str] = set()
    for _, nama, spesifikasi, konversi in bagian:
        if nama is None:
            continue
        if nama not in _BIDANG_POLA:
            nama_tampil = nama or "{}"
            raise PenggunaanSalah(
                f"Pola nomor surat {pola!r} memakai bidang tidak dikenal {nama_tampil!r}; "
                f"bidang yang boleh: {', '.join(_BIDANG_POLA)}."
            )
        if spesifikasi and ("{" in spesifikasi or "}" in spesifikasi):
            raise PenggunaanSalah(f"Pola nomor surat {pola!r}: format bidang {nama!r} tidak boleh bersarang.")
        if konversi is not None:
            raise PenggunaanSalah(
                f"Pola nomor surat {pola!r}: konversi '!{konversi}' pada bidang {nama!r} tidak didukung."
            )
        dipakai.add(nama)
    kurang = [b for b in _BIDANG_WAJIB if b not in dipakai]
    if kurang:
        raise PenggunaanSalah(
            f"Pola nomor surat {pola!r} harus memuat bidang {', '.join('{' + b + '}' for b in kurang)} "
            "agar setiap nomor unik (nomor urut dimulai lagi setiap tahun)."
        )
    return bagian


def format_nomor(pola: str, kode: str, urut: int, unit: str, tahun: int) -> str:
    """Render one letter number from the office's configured pattern, refusing patterns that would misnumber."""
    _bidang_pola(pola)
    if isinstance(urut, bool) or not isinstance(urut, int) or urut < 1:
        raise PenggunaanSalah(f"Nomor urut surat harus bilangan bulat ≥ 1, bukan {urut!r}.")
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not 1900 <= tahun <= 9999:
        raise PenggunaanSalah(f"Tahun nomor surat harus tahun empat angka, bukan {tahun!r}.")
    try:
        return pola.format(kode=kode, urut=urut, unit=unit, tahun=tahun)
    except (ValueError, TypeError) as e:
        raise PenggunaanSalah(f"Pola nomor surat {pola!r} tidak dapat dipakai: format bidang salah ({e}).") from None


def _regex_pola(pola: str) -> re.Pattern[str]:
    """Turn the pattern into a regex so an issued number can be read back (to check it against its urut/year)."""
    potongan: list[str] = []
    sudah: set[str] = set()
    for literal, nama, _, _ in _bidang_pola(pola):
        potongan.append(re.escape(literal))
        if nama is None:
            continue
        if nama in sudah:
            potongan.append(f"(?P={nama})")
            continue
        sudah.add(nama)
        isi = r"\s*\d+" if nama in ("urut", "tahun") else ".+?"
        potongan.append(f"(?P<{nama}>{isi})")
    return re.compile("".join(potongan), re.DOTALL)


def _urut(nilai: object) -> int | None:
    """Urut as an int, also when Excel hands back 12.0; None if it is not a whole number ≥ 1."""
    if isinstance(nilai, bool):
        return None
    if isinstance(nilai, float) and nilai.is_integer():
        nilai = int(nilai)
    if isinstance(nilai, int) and nilai >= 1:
        return nilai
    return None


def _hari(nilai: object) -> date | None:
    """Calendar day of tanggal; date and datetime cannot be compared directly, days can."""
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    return None


def _tahun_baris(baris: Mapping) -> int | None:
    hari = _hari(baris.get("tanggal"))
    return hari.year if hari else None


def _teks(nilai: object) -> str:
    return "" if nilai is None else str(nilai).strip()


def nomor_berikutnya(register: Sequence[Mapping], tahun: int) -> int:
    """Next urut for `tahun`: highest urut issued that year + 1, so cancelled numbers are never issued again."""
    tertinggi = 0
    for baris in register:
        if _tahun_baris(baris) == tahun:
            tertinggi = max(tertinggi, _urut(baris.get("no_urut")) or 0)
    return tertinggi + 1


def alokasi(
    register: Sequence[Mapping],
    tanggal: datetime,
    perihal: str,
    tujuan: str,
    pembuat: str,
    pola: str,
    kode: str,
    unit: str,
) -> dict:
    """Issue the next number of tanggal's year and return the new register row (the caller appends it).

    A letter may not be dated before the last letter of the same year: the urut order is the date order, as in
    a paper agenda book, so a backdated letter cannot take a number that looks earlier than it was.
    """
    masalah: list[str] = []
    if not isinstance(tanggal, datetime):
        masalah.append(f"Tanggal surat harus tanggal dan jam, bukan {tanggal!r}.")
    for nama, nilai in (("Perihal", perihal), ("Tujuan", tujuan), ("Pembuat", pembuat)):
        if not _teks(nilai):
            masalah.append(f"{nama} surat wajib diisi.")
    if not _teks(kode):
        masalah.append("Kode klasifikasi surat wajib diisi (mis. 000.7.5).")
    if not _teks(unit):
        masalah.append("Kode unit surat wajib diisi (mis. Kec-Mkt).")
    if masalah:
        raise InputDitolak("Nomor surat tidak dapat diberikan:\n- " + "\n- ".join(masalah), masalah)

    tahun = tanggal.year
    hari_terakhir = max(
        (h for b in register if (h := _hari(b.get("tanggal"))) is not None and h.year == tahun), default=None
    )
    if hari_terakhir is not None and tanggal.date() < hari_terakhir:
        pesan = (
            f"Tanggal surat {tanggal.date():%d-%m-%Y} lebih awal dari surat terakhir tahun {tahun} "
            f"({hari_terakhir:%d-%m-%Y}); nomor urut harus mengikuti urutan tanggal."
        )
        raise InputDitolak(pesan, [pesan])

    urut = nomor_berikutnya(register, tahun)
    nomor = format_nomor(pola, _teks(kode), urut, _teks(unit), tahun)
    if any(_teks(b.get("nomor_surat")) == nomor for b in register):
        pesan = f"Nomor surat {nomor} sudah ada di register; periksa pola dan register sebelum memberi nomor."
        raise InputDitolak(pesan, [pesan])
    return {
        "no_urut": urut,
        "tanggal": tanggal,
        "nomor_surat": nomor,
        "perihal": _teks(perihal),
        "tujuan": _teks(tujuan),
        "pembuat": _teks(pembuat),
        "status": STATUS_AKTIF,
        "keterangan": "",
    }


def batalkan(
    register: Sequence[Mapping], nomor_surat_or_urut: str | int, alasan: str, tahun: int | None = None
) -> dict:
    """Mark an issued number cancelled and return the updated row; the number stays in the register, unused.

    A bare urut repeats every year, so it must be unambiguous in the register or narrowed with `tahun`.
    """
    if not _teks(alasan):
        pesan = "Alasan pembatalan nomor surat wajib diisi."
        raise InputDitolak(pesan, [pesan])
    kunci = nomor_surat_or_urut
    cocok: list[Mapping] = []
    if isinstance(kunci, str):
        cocok = [b for b in register if _teks(b.get("nomor_surat")) == kunci.strip()]
        if not cocok and kunci.strip().isdigit():
            kunci = int(kunci.strip())
    if isinstance(kunci, int) and not isinstance(kunci, bool):
        cocok = [
            b for b in register if _urut(b.get("no_urut")) == kunci and (tahun is None or _tahun_baris(b) == tahun)
        ]
    label = f"nomor urut {kunci}" + (f" tahun {tahun}" if tahun is not None else "")
    if isinstance(kunci, str):
        label = f"nomor surat {kunci.strip()}"
    if not cocok:
        pesan = f"Tidak ada {label} di Buku Agenda Surat Keluar."
        raise InputDitolak(pesan, [pesan])
    if len(cocok) > 1:
        daftar = ", ".join(_teks(b.get("nomor_surat")) for b in cocok)
        pesan = (
            f"{label[0].upper()}{label[1:]} cocok dengan lebih dari satu surat ({daftar}); "
            "sebutkan nomor surat lengkap atau tahunnya."
        )
        raise PenggunaanSalah(pesan)
    baris = dict(cocok[0])
    if _teks(baris.get("status")).lower() == STATUS_BATAL:
        pesan = f"Nomor surat {_teks(baris.get('nomor_surat'))} sudah dibatalkan sebelumnya."
        raise InputDitolak(pesan, [pesan])
    catatan = f"Dibatalkan: {_teks(alasan)}"
    lama = _teks(baris.get("keterangan"))
    baris["status"] = STATUS_BATAL
    baris["keterangan"] = f"{lama}; {catatan}" if lama else catatan
    return baris


def _rentang(angka: Sequence[int]) -> str:
    """1, 2, 3, 5 -> '1–3, 5': a long gap reads as one range."""
    hasil: list[str] = []
    mulai = sebelum = angka[0]
    for n in [*angka[1:], None]:
        if n is not None and n == sebelum + 1:
            sebelum = n
            continue
        hasil.append(str(mulai) if mulai == sebelum else f"{mulai}–{sebelum}")
        if n is not None:
            mulai = sebelum = n
    return ", ".join(hasil)


def periksa_register(register: Sequence[Mapping], pola: str = FORMAT_BAKU) -> list[str]:
    """Every way the register breaks the numbering rule, in Indonesian; entries are counted from 1 in order."""
    masalah: list[str] = []
    pola_re = _regex_pola(pola)
    per_tahun: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    nomor_ke: dict[str, list[int]] = defaultdict(list)

    for ke, baris in enumerate(register, start=1):
        urut = _urut(baris.get("no_urut"))
        hari = _hari(baris.get("tanggal"))
        nomor = _teks(baris.get("nomor_surat"))
        status = _teks(baris.get("status")).lower()
        if urut is None:
            masalah.append(f"Entri ke-{ke}: no urut {baris.get('no_urut')!r} bukan bilangan bulat ≥ 1.")
        if hari is None:
            masalah.append(f"Entri ke-{ke}: tanggal {baris.get('tanggal')!r} bukan tanggal.")
        if status not in (STATUS_AKTIF, STATUS_BATAL):
            masalah.append(f"Entri ke-{ke}: status {baris.get('status')!r} harus 'aktif' atau 'batal'.")
        if not nomor:
            masalah.append(f"Entri ke-{ke}: nomor surat kosong.")
        else:
            nomor_ke[nomor].append(ke)
        if urut is None or hari is None:
            continue
        per_tahun[hari.year].append((ke, urut, hari))
        if nomor:
            m = pola_re.fullmatch(nomor)
            if m is None:
                masalah.append(f"Entri ke-{ke}: nomor surat {nomor} tidak sesuai pola {pola}.")
            else:
                if int(m.group("urut")) != urut:
                    masalah.append(
                        f"Entri ke-{ke}: nomor surat {nomor} memuat urut {int(m.group('urut'))}, "
                        f"tidak sama dengan no urut {urut}."
                    )
                if int(m.group("tahun")) != hari.year:
                    masalah.append(
                        f"Entri ke-{ke}: nomor surat {nomor} memuat tahun {int(m.group('tahun'))}, "
                        f"tidak sama dengan tahun tanggal surat {hari.year}."
                    )

    for nomor, daftar in nomor_ke.items():
        if len(daftar) > 1:
            masalah.append(
                f"Nomor surat {nomor} tercatat {len(daftar)} kali (entri ke-{', ke-'.join(map(str, daftar))})."
            )

    for tahun in sorted(per_tahun):
        entri = per_tahun[tahun]
        hitung = Counter(u for _, u, _ in entri)
        for urut in sorted(u for u, n in hitung.items() if n > 1):
            letak = [str(ke) for ke, u, _ in entri if u == urut]
            masalah.append(
                f"Tahun {tahun}: no urut {urut} dipakai {hitung[urut]} kali (entri ke-{', ke-'.join(letak)})."
            )
        hilang = sorted(set(range(1, max(hitung) + 1)) - set(hitung))
        if hilang:
            masalah.append(f"Tahun {tahun}: no urut {_rentang(hilang)} tidak ada di register (nomor terlewat).")
        for (ke_a, urut_a, hari_a), (ke_b, urut_b, hari_b) in pairwise(entri):
            if urut_b <= urut_a:
                masalah.append(
                    f"Tahun {tahun}: entri ke-{ke_b} (no urut {urut_b}) tidak lebih besar dari "
                    f"entri ke-{ke_a} sebelumnya (no urut {urut_a})."
                )
            elif hari_b < hari_a:
                masalah.append(
                    f"Tahun {tahun}: entri ke-{ke_b} (no urut {urut_b}) bertanggal {hari_b:%d-%m-%Y}, lebih awal "
                    f"dari entri ke-{ke_a} (no urut {urut_a}, {hari_a:%d-%m-%Y})."
                )
    return masalah
