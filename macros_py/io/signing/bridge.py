"""What pades and cms share: our keys handed to pyHanko, and pyHanko's log kept off the user's screen."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from macros_py.io.signing.keys import Signer

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.signers import SimpleSigner

# Key usages either of which makes a certificate one for signing (BSrE's carry both, some only one).
SIGNING_KEY_USAGE = frozenset({"digital_signature", "non_repudiation"})
_PYHANKO_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence pyHanko's log while it works: it prints a traceback for every certificate it cannot chain,
    and our results already name that failure in Indonesian."""
    loggers = [logging.getLogger(name) for name in _PYHANKO_LOGGERS]
    sink = logging.NullHandler()
    before = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.addHandler(sink)  # a handler on the parent keeps Python's last-resort stderr handler away
        lg.propagate = False
    try:
        yield
    finally:
        for lg, was in zip(loggers, before, strict=True):
            lg.removeHandler(sink)
            lg.propagate = was


def short_message(e: Exception) -> str:
    """An exception's message cut to one readable line (asn1crypto may quote kilobytes of data)."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def certificate_from_asn1(cert: asn1_x509.Certificate | None) -> x509.Certificate | None:
    """pyHanko reports certificates as asn1crypto objects; the rest of evkin uses `cryptography`'s."""
    if cert is None:
        return None
    try:
        return x509.load_der_x509_certificate(cert.dump())
    except ValueError:
        return None


def pyhanko_signer(signer: Signer) -> SimpleSigner:
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    store = SimpleCertificateStore()
    store.register_multiple(asn1_certificate(c) for c in signer.chain)
    return SimpleSigner(
        signing_cert=asn1_certificate(signer.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=store,
    )
