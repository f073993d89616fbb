"""Buku Agenda Surat Keluar: letter numbers issued from gapless counters, never reused.

Pure Python so the rule can be checked without a workbook. A register row is a mapping with keys no_urut, tanggal,
nomor_surat, perihal, tujuan, pembuat, status ("aktif"/"batal") and optionally keterangan and kode_klasifikasi; its
year is always tanggal's year, so the counter restarts each January as the office's numbering does.

Offices number differently, so both the pattern and the counter's scope are configuration:

- the pattern (``format_nomor`` in Konfigurasi) may use {kode} (kode klasifikasi), {urut} (nomor urut), {unit}
  (kode unit), {tahun}, {bulan} (1-12, e.g. {bulan:02d}) and {bulan_romawi} (I-XII), e.g.
  "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}" -> 000.7.5/012/Kec-Mkt/X/2026;
- the scope (``lingkup_nomor``): LINGKUP_TAHUN, one counter per year (every kode klasifikasi shares it), or
  LINGKUP_TAHUN_KODE, one counter per year and kode klasifikasi (then the pattern must hold {kode}, or two letters
  of different codes would get the same number). A row's kode is its kode_klasifikasi, or, for rows written
  before that column existed, the {kode} read back from its number.
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
KOLOM_REGISTER = ("no_urut", "tanggal", "nomor_surat", "perihal", "tujuan", "pembuat", "status", "keterangan",
                  "kode_klasifikasi")

LINGKUP_TAHUN = "tahun"
LINGKUP_TAHUN_KODE = "tahun_kode"
LINGKUP = (LINGKUP_TAHUN, LINGKUP_TAHUN_KODE)
ROMAWI_BULAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_BIDANG_POLA = ("kode", "urut", "unit", "tahun", "bulan", "bulan_romawi")
_BIDANG_WAJIB = ("urut", "tahun")  # without both, numbers would repeat across letters or across years


def baca_lingkup(teks: object) -> str:
    """The counter scope as typed in Konfigurasi: empty or "tahun" -> per year; anything naming "kode" (e.g.
    "tahun_kode", "per tahun dan kode klasifikasi") -> per year and kode klasifikasi."""
    kata = " ".join(str(teks or "").replace("_", " ").casefold().split())
    if kata in ("", "tahun", "per tahun"):
        return LINGKUP_TAHUN
    if "kode" in kata and "tahun" in kata:
        return LINGKUP_TAHUN_KODE
    raise PenggunaanSalah(f"Lingkup nomor surat {teks!r} tidak dikenal; pilih: tahun (satu nomor urut per tahun) "
                          "atau tahun_kode (nomor urut per tahun dan kode klasifikasi).")


def _bidang_pola(pola: str, lingkup: str = LINGKUP_TAHUN) -> list[tuple[str, str | None, str | None, str | None]]:
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
    if lingkup == LINGKUP_TAHUN_KODE and "kode" not in dipakai:
        raise PenggunaanSalah(
            f"Pola nomor surat {pola!r} harus memuat {{kode}} bila nomor urut dihitung per tahun dan kode "
            "klasifikasi (lingkup_nomor tahun_kode); tanpa itu dua surat berbeda kode mendapat nomor yang sama."
        )
    return bagian


def format_nomor(pola: str, kode: str, urut: int, unit: str, tahun: int, bulan: int = 1,
                 lingkup: str = LINGKUP_TAHUN) -> str:
    """Render one letter number from the office's configured pattern, refusing patterns that would misnumber."""
    _bidang_pola(pola, lingkup)
    if isinstance(urut, bool) or not isinstance(urut, int) or urut < 1:
        raise PenggunaanSalah(f"Nomor urut surat harus bilangan bulat ≥ 1, bukan {urut!r}.")
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not 1900 <= tahun <= 9999:
        raise PenggunaanSalah(f"Tahun nomor surat harus tahun empat angka, bukan {tahun!r}.")
    if isinstance(bulan, bool) or not isinstance(bulan, int) or not 1 <= bulan <= 12:
        raise PenggunaanSalah(f"Bulan nomor surat harus 1 sampai 12, bukan {bulan!r}.")
    try:
        return pola.format(kode=kode, urut=urut, unit=unit, tahun=tahun, bulan=bulan,
                           bulan_romawi=ROMAWI_BULAN[bulan - 1])
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
        isi = {"urut": r"\s*\d+", "tahun": r"\s*\d+", "bulan": r"\s*\d+", "bulan_romawi": "[IVXivx]+"}.get(nama, ".+?")
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


def kode_baris(baris: Mapping, pola: str = FORMAT_BAKU) -> str:
    """A row's kode klasifikasi: its kode_klasifikasi cell, else the {kode} read back from its number ("" if none)."""
    kode = _teks(baris.get("kode_klasifikasi"))
    if kode:
        return kode
    try:
        m = _regex_pola(pola).fullmatch(_teks(baris.get("nomor_surat")))
    except PenggunaanSalah:
        return ""
    return _teks(m.group("kode")) if m is not None and "kode" in m.groupdict() else ""


def _lingkup_baris(baris: Mapping, tahun: int, kode: str | None, pola: str) -> bool:
    """Does the row count on the counter of (tahun) or, with a kode, of (tahun, kode)?"""
    return _tahun_baris(baris) == tahun and (kode is None or kode_baris(baris, pola) == kode)


def nomor_berikutnya(register: Sequence[Mapping], tahun: int, kode: str | None = None, pola: str = FORMAT_BAKU) -> int:
    """Next urut of the counter: highest urut issued on it + 1, so cancelled numbers are never issued again.

    ``kode=None``: the year's counter (LINGKUP_TAHUN); a kode: the counter of that year and kode klasifikasi.
    """
    tertinggi = 0
    for baris in register:
        if _lingkup_baris(baris, tahun, kode, pola):
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
    lingkup: str = LINGKUP_TAHUN,
) -> dict:
    """Issue the next number of the counter (tanggal's year, and the kode with LINGKUP_TAHUN_KODE) and return the
    new register row (the caller appends it).

    A letter may not be dated before the last letter on the same counter: the urut order is the date order, as in
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

    if lingkup not in LINGKUP:
        raise PenggunaanSalah(f"Lingkup nomor surat {lingkup!r} tidak dikenal; pilih: {', '.join(LINGKUP)}.")
    _bidang_pola(pola, lingkup)
    tahun = tanggal.year
    kode_counter = _teks(kode) if lingkup == LINGKUP_TAHUN_KODE else None
    sebutan = f"tahun {tahun}" + (f" kode {kode_counter}" if kode_counter else "")
    hari_terakhir = max(
        (h for b in register if (h := _hari(b.get("tanggal"))) is not None and _lingkup_baris(b, tahun, kode_counter,
                                                                                              pola)), default=None
    )
    if hari_terakhir is not None and tanggal.date() < hari_terakhir:
        pesan = (
            f"Tanggal surat {tanggal.date():%d-%m-%Y} lebih awal dari surat terakhir {sebutan} "
            f"({hari_terakhir:%d-%m-%Y}); nomor urut harus mengikuti urutan tanggal."
        )
        raise InputDitolak(pesan, [pesan])

    urut = nomor_berikutnya(register, tahun, kode_counter, pola)
    nomor = format_nomor(pola, _teks(kode), urut, _teks(unit), tahun, tanggal.month, lingkup)
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
        "kode_klasifikasi": _teks(kode),
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


def periksa_register(register: Sequence[Mapping], pola: str = FORMAT_BAKU, lingkup: str = LINGKUP_TAHUN) -> list[str]:
    """Every way the register breaks the numbering rule, in Indonesian; entries are counted from 1 in order.

    Gaps, repeats and order are checked per counter: per year (LINGKUP_TAHUN) or per year and kode klasifikasi
    (LINGKUP_TAHUN_KODE). Each number must fit the pattern and carry its row's urut, year, month and kode.
    """
    masalah: list[str] = []
    pola_re = _regex_pola(pola)
    per_counter: dict[tuple[int, str], list[tuple[int, int, date]]] = defaultdict(list)
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
        kode = kode_baris(baris, pola) if lingkup == LINGKUP_TAHUN_KODE else ""
        per_counter[(hari.year, kode)].append((ke, urut, hari))
        if nomor:
            masalah += _periksa_nomor(ke, nomor, pola, pola_re.fullmatch(nomor), urut, hari,
                                      _teks(baris.get("kode_klasifikasi")))

    for nomor, daftar in nomor_ke.items():
        if len(daftar) > 1:
            masalah.append(
                f"Nomor surat {nomor} tercatat {len(daftar)} kali (entri ke-{', ke-'.join(map(str, daftar))})."
            )

    for (tahun, kode) in sorted(per_counter):
        entri = per_counter[(tahun, kode)]
        sebutan = f"Tahun {tahun}" + (f" kode {kode}" if kode else "")
        hitung = Counter(u for _, u, _ in entri)
        for urut in sorted(u for u, n in hitung.items() if n > 1):
            letak = [str(ke) for ke, u, _ in entri if u == urut]
            masalah.append(
                f"{sebutan}: no urut {urut} dipakai {hitung[urut]} kali (entri ke-{', ke-'.join(letak)})."
            )
        hilang = sorted(set(range(1, max(hitung) + 1)) - set(hitung))
        if hilang:
            masalah.append(f"{sebutan}: no urut {_rentang(hilang)} tidak ada di register (nomor terlewat).")
        for (ke_a, urut_a, hari_a), (ke_b, urut_b, hari_b) in pairwise(entri):
            if urut_b <= urut_a:
                masalah.append(
                    f"{sebutan}: entri ke-{ke_b} (no urut {urut_b}) tidak lebih besar dari "
                    f"entri ke-{ke_a} sebelumnya (no urut {urut_a})."
                )
            elif hari_b < hari_a:
                masalah.append(
                    f"{sebutan}: entri ke-{ke_b} (no urut {urut_b}) bertanggal {hari_b:%d-%m-%Y}, lebih awal "
                    f"dari entri ke-{ke_a} (no urut {urut_a}, {hari_a:%d-%m-%Y})."
                )
    return masalah


def _periksa_nomor(ke: int, nomor: str, pola: str, m: re.Match[str] | None, urut: int, hari: date,
                   kode: str) -> list[str]:
    """One number read back through the pattern: every part must agree with its row."""
    if m is None:
        return [f"Entri ke-{ke}: nomor surat {nomor} tidak sesuai pola {pola}."]
    bagian = m.groupdict()
    masalah: list[str] = []
    if int(bagian["urut"]) != urut:
        masalah.append(f"Entri ke-{ke}: nomor surat {nomor} memuat urut {int(bagian['urut'])}, "
                       f"tidak sama dengan no urut {urut}.")
    if int(bagian["tahun"]) != hari.year:
        masalah.append(f"Entri ke-{ke}: nomor surat {nomor} memuat tahun {int(bagian['tahun'])}, "
                       f"tidak sama dengan tahun tanggal surat {hari.year}.")
    bulan = []
    if bagian.get("bulan") is not None:
        bulan.append((bagian["bulan"].strip(), str(hari.month), int(bagian["bulan"]) == hari.month))
    if bagian.get("bulan_romawi") is not None:
        romawi = ROMAWI_BULAN[hari.month - 1]
        bulan.append((bagian["bulan_romawi"], romawi, bagian["bulan_romawi"].upper() == romawi))
    for tertulis, harapan, cocok in bulan:
        if not cocok:
            masalah.append(f"Entri ke-{ke}: nomor surat {nomor} memuat bulan {tertulis}, tidak sama dengan "
                           f"bulan tanggal surat ({harapan}).")
    if kode and bagian.get("kode") is not None and _teks(bagian["kode"]) != kode:
        masalah.append(f"Entri ke-{ke}: nomor surat {nomor} memuat kode {bagian['kode']}, tidak sama dengan kode "
                       f"klasifikasi {kode}.")
    return masalah
