"""Detached CMS signatures over bytes: the archive's MANIFEST.json is signed so that recomputing its hashes after
swapping a file is not enough to forge a record.

The signature (DER) carries the signer's certificate and its chain; trust comes only from the CA certificates
the verifier supplies. Anyone can check it without this program:

    openssl cms -verify -binary -inform DER -in MANIFEST.json.p7s -content MANIFEST.json -CAfile ca.pem -out /dev/null

(on Windows `-out NUL`). `-binary` matters: without it OpenSSL turns LF into CRLF before hashing and reports a
digest mismatch on an intact file. OpenSSL checks the signer for the S/MIME signing purpose, which is why
pejabat certificates carry the emailProtection extended key usage (see keys). OpenSSL checks the chain at the
current time: once the signer's certificate has expired, add `-attime SECONDS` (the signing time shown by
`openssl cms -cmsout -print`, as Unix seconds), as `verify_detached` does by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography import x509

from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.io.signing.bridge import (
    SIGNING_KEY_USAGE,
    asn1_certificate,
    certificate_from_asn1,
    pyhanko_signer,
    quiet,
    short_message,
)
from macros_py.io.signing.keys import Signer, fingerprint, pejabat_from_certificate, require_usable

DIGEST = "sha256"


def sign_detached(data: bytes, signer: Signer) -> bytes:
    """A detached CMS signature (DER) over `data`, with the signer's certificate chain and signing time.

    The signing time is a signed attribute so that a verifier years later checks the chain as it was then.
    """
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    now = datetime.now(UTC)
    require_usable(signer, now)

    async def run():
        return await pyhanko_signer(signer).async_sign_general_data(
            data, DIGEST, detached=True, signed_attr_settings=PdfCMSSignedAttributes(signing_time=now),
        )

    with quiet():
        return asyncio.run(run()).dump()


def _signer_label(cert: x509.Certificate | None) -> str:
    if cert is None:
        return "penanda tangan yang sertifikatnya tidak terbaca"
    nama = pejabat_from_certificate(cert).nama or cert.subject.rfc4514_string()
    return f"{nama} (sidik jari SHA-256 {fingerprint(cert)})"


def verify_detached(
    data: bytes, signature: bytes, trusted: Sequence[x509.Certificate] | None, *, name: str = "berkas",
    validation_time: datetime | None = None,
) -> x509.Certificate:
    """Check a detached CMS signature over `data`; return the signer's certificate or raise InputDitolak.

    `trusted` are the CA certificates the verifier vouches for. None means, explicitly, that only integrity is
    checked: the returned certificate then names a key nobody vouched for, and the caller must say so. The chain
    is checked at the signing time the signature states (no timestamp server), unless `validation_time` is given.
    `name` names the signed content in messages (e.g. "MANIFEST.json").
    """
    from asn1crypto import cms as asn1_cms
    from pyhanko.sign.validation import KeyUsageConstraints, async_validate_detached_cms
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts
    from pyhanko_certvalidator import ValidationContext

    if trusted is not None and not trusted:
        raise PenggunaanSalah("Tidak ada sertifikat CA yang dipercaya untuk memeriksa tanda tangan.")
    try:
        info = asn1_cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError(info["content_type"].native)
        signed_data = info["content"]
        signer_info = signed_data["signer_infos"][0]
        claimed = extract_self_reported_ts(signer_info)
    except Exception as e:  # anything unparseable is a rejected signature, named as such
        raise InputDitolak(
            f"Tanda tangan {name} bukan tanda tangan CMS (DER) yang dapat dibaca ({short_message(e)})."
        ) from None

    roots = [asn1_certificate(c) for c in trusted or ()]
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=validation_time or claimed,
    )

    async def run():
        return await async_validate_detached_cms(
            data, signed_data, context,
            key_usage_settings=KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGE), match_all_key_usages=False),
        )

    try:
        with quiet():
            status = asyncio.run(run())
    except Exception as e:  # a malformed signer info or certificate set
        raise InputDitolak(f"Tanda tangan {name} tidak dapat diperiksa ({short_message(e)}).") from None
    cert = certificate_from_asn1(status.signing_cert)
    if not status.intact:
        raise InputDitolak(
            f"{name} berubah sesudah ditandatangani: hash isinya tidak sama dengan yang ditandatangani "
            f"{_signer_label(cert)}."
        )
    if not status.valid:
        raise InputDitolak(f"Tanda tangan {name} tidak sah secara kriptografis (tanda tangan rusak atau dipalsukan).")
    if cert is None:
        raise InputDitolak(f"Sertifikat penanda tangan {name} tidak dapat dibaca.")
    if trusted is not None and not status.trusted:
        raise InputDitolak(
            f"Tanda tangan {name} dibuat oleh {_signer_label(cert)}, tetapi sertifikatnya tidak berantai ke "
            "sertifikat CA yang dipercaya (atau tidak berlaku pada waktu penandatanganan). Periksa sertifikat CA "
            "yang Anda pakai."
        )
    return cert
