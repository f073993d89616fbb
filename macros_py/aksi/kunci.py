"""Electronic signature keys of the pejabat (`evkin kunci ...`), and the rule every signing action applies.

A kecamatan can run its own small certificate authority (CA) or import certificates issued elsewhere (BSrE). Only
the certificate's SHA-256 fingerprint is registered in Konfigurasi (table Pejabat dan Peran, column Sidik
Sertifikat) — the key itself (PKCS#12, protected by a passphrase) stays where its holder keeps it, never inside
the workbook folder. Signing then proves who acted, instead of trusting the claimed `--sebagai`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from macros_py.aksi.langkah import Konteks, _teks, tulis_pengaturan
from macros_py.domain.errors import InputDitolak, LangkahDitolak, PenggunaanSalah
from macros_py.domain.sop import PERAN_PENGAWAS, Pelaku
from macros_py.io.book import Book, read_table, write_table

PERAN_PENGELOLA = ("kasubag_perencanaan", *PERAN_PENGAWAS)
TIDAK_WAJIB = "tidak"


def _periksa_pengelola(konteks: Konteks) -> None:
    if konteks.pelaku.peran not in PERAN_PENGELOLA:
        raise LangkahDitolak(f"{konteks.pelaku.label()} tidak berwenang mengelola sertifikat tanda tangan pejabat; "
                             "hubungi Kasubag Perencanaan.")


def wajib(konteks: Konteks) -> bool:
    """Konfigurasi `tanda_tangan_elektronik`: signatures with registered certificates, unless set to "tidak"."""
    return _teks(konteks.konfigurasi.pengaturan.get("tanda_tangan_elektronik")).casefold() != TIDAK_WAJIB


def penanda_sah(konteks: Konteks, penanda: Any, untuk: str, perintah: str, wajib_bila_tidak: bool = True) -> Any:
    """The signer an action may use for the person acting: their key, matching the fingerprint registered for
    them; None only where electronic signatures are switched off (or, `wajib_bila_tidak` False: not required of
    someone without a certificate, as the Sekretaris' paraf) and they have none registered."""
    p = konteks.pelaku
    if penanda is None:
        if p.sertifikat or (wajib_bila_tidak and wajib(konteks)):
            sebab = ("sertifikatnya terdaftar di Konfigurasi" if p.sertifikat
                     else "Konfigurasi mewajibkan tanda tangan elektronik (tanda_tangan_elektronik: wajib)")
            raise PenggunaanSalah(f"{untuk} oleh {p.label()} memakai tanda tangan elektronik karena {sebab}. "
                                  f"Jalankan: evkin --sebagai {p.pengguna} {perintah} --kunci BERKAS_KUNCI.p12 "
                                  "(kata sandi kunci ditanyakan).")
        return None
    if not p.sertifikat:
        raise InputDitolak(f"{p.label()} belum memiliki sertifikat terdaftar di Konfigurasi (kolom Sidik Sertifikat). "
                           f"Daftarkan dulu: evkin kunci daftarkan --pengguna {p.pengguna} --p12 BERKAS_KUNCI.p12")
    if penanda.fingerprint.upper() != p.sertifikat.upper():
        raise InputDitolak(f"Kunci yang diberikan bukan milik {p.label()}: sidik sertifikatnya {penanda.fingerprint}, "
                           f"sedangkan yang terdaftar di Konfigurasi {p.sertifikat}. Pakai berkas kunci milik "
                           f"{p.nama or p.pengguna}.")
    from macros_py.io.signing.keys import require_usable

    require_usable(penanda)
    return penanda


def _pejabat(konteks: Konteks, pengguna: str) -> Pelaku:
    return konteks.konfigurasi.cari_pelaku(pengguna)


def _daftarkan_sidik(book: Book, konteks: Konteks, pelaku: Pelaku, sidik: str) -> None:
    tabel = konteks.skema.sheet("konfigurasi").tabel_("pejabat")
    baris = read_table(book, tabel)
    for b in baris:
        if _teks(b["pengguna"]) == pelaku.pengguna and _teks(b["nama"]) == pelaku.nama:
            b["sertifikat"] = sidik
    write_table(book, tabel, baris)
    konteks.catat("", "sertifikat", f"sertifikat {pelaku.label()} didaftarkan: sidik SHA-256 {sidik}")


def buat_ca(book: Book, konteks: Konteks, p12: Path, pem: Path, kata_sandi: str) -> dict[str, Any]:
    """Create the kecamatan CA (key as PKCS#12 outside the workbook folder, certificate as PEM) and record the
    certificate's place in Konfigurasi (`ca_sertifikat`): the archive carries it to recipients."""
    from macros_py.io.signing.keys import create_ca

    _periksa_pengelola(konteks)
    unit = _teks(konteks.konfigurasi.pengaturan.get("unit"))
    ca = create_ca(unit, p12, kata_sandi, ca_pem_path=pem, workbook_folder=konteks.folder)
    tulis_pengaturan(book, konteks.skema, {"ca_sertifikat": konteks.relatif(pem)})
    konteks.catat("", "ca", f"CA {unit} dibuat; sertifikat {konteks.relatif(pem)}, sidik SHA-256 {ca.fingerprint}")
    return {"sidik": ca.fingerprint, "pem": konteks.relatif(pem), "p12": str(p12)}


def terbitkan(book: Book, konteks: Konteks, ca_p12: Path, ca_sandi: str, pengguna: str, p12: Path,
              kata_sandi: str) -> dict[str, Any]:
    """Issue a pejabat's certificate from the kecamatan CA (names, NIP and jabatan from Konfigurasi) and register
    its fingerprint."""
    from macros_py.io.signing.keys import Pejabat, issue_certificate, load_pkcs12

    _periksa_pengelola(konteks)
    pelaku = _pejabat(konteks, pengguna)
    ca = load_pkcs12(ca_p12, ca_sandi)
    unit = _teks(konteks.konfigurasi.pengaturan.get("unit"))
    sertifikat = issue_certificate(ca, Pejabat(pelaku.nama, pelaku.nip, pelaku.jabatan, unit), p12, kata_sandi,
                                   workbook_folder=konteks.folder)
    _daftarkan_sidik(book, konteks, pelaku, sertifikat.fingerprint)
    return {"pengguna": pelaku.label(), "sidik": sertifikat.fingerprint, "p12": str(p12)}


def daftarkan(book: Book, konteks: Konteks, pengguna: str, p12: Path, kata_sandi: str) -> dict[str, Any]:
    """Register the certificate of an existing PKCS#12 (e.g. issued by BSrE) for a pejabat."""
    from macros_py.io.signing.keys import load_pkcs12

    _periksa_pengelola(konteks)
    pelaku = _pejabat(konteks, pengguna)
    penanda = load_pkcs12(p12, kata_sandi)
    nama = penanda.pejabat.nama
    if nama and pelaku.nama and " ".join(nama.split()).casefold() != " ".join(pelaku.nama.split()).casefold():
        konteks.info(f"Perhatian: sertifikat atas nama '{nama}', sedangkan Konfigurasi mencatat '{pelaku.nama}'.")
    _daftarkan_sidik(book, konteks, pelaku, penanda.fingerprint)
    return {"pengguna": pelaku.label(), "sidik": penanda.fingerprint, "p12": str(p12)}
