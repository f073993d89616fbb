"""Keys and certificates of the pejabat: a small kecamatan certificate authority, one certificate per pejabat,
and PKCS#12 files (ours or one issued by BSrE) opened with a passphrase.

A private key is only ever written as PKCS#12 encrypted with the owner's passphrase, and never inside the
workbook folder: that folder is shared with everyone who runs the SOP, a key there could sign for its owner.
Certificates are public and may go anywhere.

The pejabat certificate carries key usage digitalSignature + nonRepudiation and the extended key usage
emailProtection. OpenSSL's `cms -verify` checks the signer for the S/MIME signing purpose and poppler's `pdfsig`
asks NSS for an e-mail signer: both refuse a certificate whose extended key usage lacks emailProtection (a
certificate with documentSigning alone, RFC 9336, fails both). documentSigning is listed as well, so readers
that look for it (Adobe) find it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from macros_py.domain.errors import PenggunaanSalah

RSA_KEY_SIZE = 3072
MIN_PASSPHRASE = 8
PKCS12_KDF_ROUNDS = 200_000
# id-kp-documentSigning (RFC 9336); spelled out because older `cryptography` releases do not name it.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# A certificate made now must already be valid on a computer whose clock is a little behind.
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class Pejabat:
    """Who a certificate names, as in Konfigurasi's table of pejabat."""

    nama: str
    nip: str
    jabatan: str
    unit: str


@dataclass(frozen=True)
class Signer:
    """A private key with its certificate and the chain up to the authority that issued it."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def pejabat(self) -> Pejabat:
        return pejabat_from_certificate(self.certificate)


def fingerprint(cert: x509.Certificate | bytes) -> str:
    """SHA-256 of the DER certificate as `openssl x509 -fingerprint -sha256` prints it (AB:CD:...).

    This is what Konfigurasi registers per pejabat and what a recipient compares by eye with a CA certificate
    they received beforehand. Accepts a certificate or its DER bytes.
    """
    der = cert if isinstance(cert, bytes) else cert.public_bytes(serialization.Encoding.DER)
    h = hashes.Hash(hashes.SHA256())
    h.update(der)
    return ":".join(f"{b:02X}" for b in h.finalize())


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def pejabat_from_certificate(cert: x509.Certificate) -> Pejabat:
    """The pejabat a certificate names; fields a certificate does not carry (BSrE's may lack title) are empty."""
    subject = cert.subject
    return Pejabat(
        nama=_attribute(subject, NameOID.COMMON_NAME),
        nip=_attribute(subject, NameOID.SERIAL_NUMBER),
        jabatan=_attribute(subject, NameOID.TITLE),
        unit=_attribute(subject, NameOID.ORGANIZATION_NAME),
    )


def _check_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise PenggunaanSalah(
            f"Kata sandi kunci terlalu pendek: minimal {MIN_PASSPHRASE} karakter. Ulangi dengan kata sandi yang "
            "lebih panjang (kata sandi ini melindungi kunci tanda tangan elektronik Anda)."
        )
    return passphrase.encode("utf-8")


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(folder)))


def _check_target(path: Path, what: str, workbook_folder: Path | None = None) -> None:
    """Refuse a place a file may not go before any key is made, so a refusal leaves nothing behind."""
    if workbook_folder is not None and _inside(path, workbook_folder):
        raise PenggunaanSalah(
            f"Berkas kunci {path} berada di dalam folder workbook {workbook_folder}. Kunci tanda tangan elektronik "
            "disimpan di tempat pilihan pemiliknya (misalnya folder pribadi atau flashdisk), tidak pernah di folder "
            "workbook yang dipakai bersama. Pilih lokasi lain."
        )
    if not path.parent.is_dir():
        raise PenggunaanSalah(
            f"Folder {path.parent} tidak ada; buat foldernya dulu atau pilih lokasi lain untuk {what}."
        )
    if os.path.lexists(path):
        raise PenggunaanSalah(f"{path} sudah ada; {what} yang ada tidak ditimpa. Pilih nama berkas lain.")


def _write_new_file(path: Path, data: bytes, what: str, mode: int) -> None:
    """Write a file that must not exist yet: a key or authority certificate is never silently replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    except FileExistsError:
        raise PenggunaanSalah(f"{path} sudah ada; {what} yang ada tidak ditimpa. Pilih nama berkas lain.") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def _pkcs12_bytes(friendly_name: str, signer: Signer, passphrase: bytes) -> bytes:
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase)
    )
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), signer.key,  # type: ignore[arg-type]  # keys made or loaded here are RSA/EC
        signer.certificate, list(signer.chain) or None, encryption,
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_SIZE)


def create_ca(
    unit: str, p12_path: Path, passphrase: str, *, ca_pem_path: Path, workbook_folder: Path | None = None,
    years: int = 10,
) -> Signer:
    """Create the kecamatan certificate authority: its key as PKCS#12 at `p12_path`, its certificate as PEM.

    The PEM (public) is what a recipient needs to trust signatures; the PKCS#12 stays with whoever issues
    the pejabat certificates.
    """
    p12_path, ca_pem_path = Path(p12_path), Path(ca_pem_path)
    secret = _check_passphrase(passphrase)
    _check_target(p12_path, "berkas kunci", workbook_folder)
    _check_target(ca_pem_path, "sertifikat CA")
    if Path(os.path.realpath(p12_path)) == Path(os.path.realpath(ca_pem_path)):
        raise PenggunaanSalah("Berkas kunci CA dan sertifikat CA harus dua berkas yang berbeda.")
    key = _new_key()
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Otoritas Sertifikat {unit}"),
    ])
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    ca = Signer(key=key, certificate=cert)
    _write_new_file(p12_path, _pkcs12_bytes(f"Otoritas Sertifikat {unit}", ca, secret), "berkas kunci", 0o600)
    try:
        # public: the folder's usual permissions (umask), unlike the keys
        _write_new_file(ca_pem_path, certificate_pem(cert), "sertifikat CA", 0o666)
    except BaseException:
        p12_path.unlink()  # an authority key without its published certificate is of no use
        raise
    return ca


def issue_certificate(
    ca: Signer, pejabat: Pejabat, p12_path: Path, passphrase: str, *, workbook_folder: Path | None = None,
    years: int = 3,
) -> Signer:
    """Issue a pejabat's certificate from the kecamatan CA and save key, certificate and CA as PKCS#12."""
    constraints = _extension(ca.certificate, x509.BasicConstraints)
    if constraints is None or not constraints.ca:
        raise PenggunaanSalah(
            "Berkas kunci yang dipakai untuk menerbitkan sertifikat bukan otoritas sertifikat (CA) kecamatan. "
            "Pakai berkas kunci CA yang dibuat sebelumnya."
        )
    for label, value in (("nama", pejabat.nama), ("NIP", pejabat.nip), ("jabatan", pejabat.jabatan)):
        if not value.strip():
            raise PenggunaanSalah(f"Sertifikat tidak dapat dibuat: {label} pejabat kosong. Lengkapi di Konfigurasi.")
    p12_path = Path(p12_path)
    secret = _check_passphrase(passphrase)
    _check_target(p12_path, "berkas kunci", workbook_folder)
    key = _new_key()
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, pejabat.unit or _attribute(ca.certificate.subject,
                                                                                  NameOID.ORGANIZATION_NAME)),
        x509.NameAttribute(NameOID.TITLE, pejabat.jabatan),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, pejabat.nip),
        x509.NameAttribute(NameOID.COMMON_NAME, pejabat.nama),
    ])
    now = datetime.now(UTC)
    not_after = min(now + timedelta(days=365 * years), ca.certificate.not_valid_after_utc)
    public = key.public_key()
    ca_ski = _extension(ca.certificate, x509.SubjectKeyIdentifier)
    authority = (  # the issuer's own identifier, as path builders match it (a BSrE-made CA computes it its way)
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski)
        if isinstance(ca_ski, x509.SubjectKeyIdentifier)
        else x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key())  # type: ignore[arg-type]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(authority, critical=False)
        .sign(ca.key, hashes.SHA256())  # type: ignore[arg-type]
    )
    signer = Signer(key=key, certificate=cert, chain=(ca.certificate, *ca.chain))
    _write_new_file(p12_path, _pkcs12_bytes(pejabat.nama, signer, secret), "berkas kunci", 0o600)
    return signer


def _extension(cert: x509.Certificate, kind: type) -> Any:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _is_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["auth_safe"]["content_type"].native == "data"
    except (ValueError, TypeError, KeyError):
        return False


def load_pkcs12(path: Path, passphrase: str) -> Signer:
    """Open a PKCS#12 file (made here or issued by BSrE) with its passphrase.

    Only the file's own chain is kept: trust is decided by the verifier's CA certificates, never by the file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PenggunaanSalah(f"Berkas kunci {path} tidak ditemukan. Periksa lokasi berkas .p12 Anda.") from None
    except OSError as e:
        raise PenggunaanSalah(f"Berkas kunci {path} tidak dapat dibaca ({e.strerror}).") from None
    if not _is_pkcs12(data):
        raise PenggunaanSalah(
            f"{path.name} bukan berkas kunci PKCS#12 (.p12/.pfx). Pilih berkas kunci yang dibuat evkin atau yang "
            "diterbitkan BSrE."
        )
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError:
        raise PenggunaanSalah(
            f"Kata sandi untuk berkas kunci {path.name} salah. Ulangi dengan kata sandi yang benar (huruf besar "
            "dan kecil dibedakan)."
        ) from None
    if key is None or cert is None:
        raise PenggunaanSalah(
            f"Berkas {path.name} tidak berisi kunci privat beserta sertifikatnya, jadi tidak dapat dipakai untuk "
            "menandatangani. Minta berkas .p12 lengkap dari penerbitnya."
        )
    return Signer(key=key, certificate=cert, chain=tuple(others))


def require_usable(signer: Signer, moment: datetime | None = None) -> None:
    """Refuse a key whose certificate cannot make a signature others will accept (expired, or not for signing)."""
    moment = moment or datetime.now(UTC)
    cert = signer.certificate
    nama = pejabat_from_certificate(cert).nama or cert.subject.rfc4514_string()
    if moment < cert.not_valid_before_utc:
        raise PenggunaanSalah(
            f"Sertifikat {nama} baru berlaku mulai {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC. Periksa jam "
            "komputer ini."
        )
    if moment > cert.not_valid_after_utc:
        raise PenggunaanSalah(
            f"Sertifikat {nama} sudah kedaluwarsa sejak {cert.not_valid_after_utc:%Y-%m-%d}. Minta sertifikat baru."
        )
    usage = _extension(cert, x509.KeyUsage)
    if isinstance(usage, x509.KeyUsage) and not (usage.digital_signature or usage.content_commitment):
        raise PenggunaanSalah(
            f"Sertifikat {nama} tidak diterbitkan untuk tanda tangan (key usage tanpa digitalSignature/"
            "nonRepudiation). Pakai sertifikat tanda tangan elektronik."
        )


def certificate_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Certificates from a PEM file (one or several) or a single DER file, e.g. the CA given to `--percaya`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise PenggunaanSalah(f"Berkas sertifikat {path} tidak ditemukan atau tidak dapat dibaca.") from None
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise PenggunaanSalah(
            f"{path.name} bukan berkas sertifikat (PEM atau DER). Pakai berkas sertifikat CA (.pem/.crt/.cer)."
        ) from None
