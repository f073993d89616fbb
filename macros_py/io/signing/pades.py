"""PAdES signatures in the document PDF (baseline B-B, offline: no timestamp server, no OCSP/CRL fetching).

A signature is an incremental update: the Sekretaris' paraf first, then the Kepala's signature on the same file,
and the paraf stays valid because the only thing added after it is another signature. Each signature has a
visible box in the signature block naming the signer, so a printout shows who signed and when.

Without a trusted timestamp the only signing time is the one the signer's software wrote; validation checks the
certificate chain at that time, so a record stays verifiable after the pejabat's certificate has expired.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from cryptography import x509

from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.io.files import izin_normal, replace_file
from macros_py.io.signing.bridge import (
    SIGNING_KEY_USAGE,
    asn1_certificate,
    certificate_from_asn1,
    pyhanko_signer,
    quiet,
    short_message,
)
from macros_py.io.signing.keys import Pejabat, Signer, fingerprint, pejabat_from_certificate, require_usable

SIGNATURE_TEXT = (
    "Ditandatangani secara elektronik oleh\n%(nama)s\nNIP. %(nip)s\n%(jabatan)s\nWaktu: %(ts)s"
)
TIME_FORMAT = "%d-%m-%Y %H:%M:%S %Z"


@dataclass(frozen=True)
class ValidatedSignature:
    """What validation established about one signature in a PDF; `masalah` says in Indonesian what failed."""

    field_name: str
    signer_name: str
    fingerprint: str
    signing_time: datetime | None
    intact: bool
    whole_file: bool
    trusted: bool
    certificate: x509.Certificate | None
    masalah: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_file and self.trusted

    @property
    def pejabat(self) -> Pejabat | None:
        return pejabat_from_certificate(self.certificate) if self.certificate is not None else None


def _printable(text: str) -> str:
    """Text the standard PDF font can show: accents kept where Latin-1 has them, other letters stripped of theirs."""
    hasil = []
    for ch in " ".join(str(text).split()):
        if " " <= ch <= "~" or "\xa0" <= ch <= "\xff":
            hasil.append(ch)
        else:
            basis = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
            hasil.append(basis or "?")
    return "".join(hasil)


def _write_new(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            raise PenggunaanSalah(f"{target} sudah ada; PDF bertanda tangan tidak ditimpa.")
        izin_normal(Path(tmp), target)  # readable by colleagues like any document, not mkstemp's 0600
        replace_file(Path(tmp), target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sign_pdf(
    source: Path, target: Path, signer: Signer, *, field_name: str, page: int,
    box: tuple[float, float, float, float], pejabat: Pejabat | None = None, reason: str | None = None,
    location: str | None = None,
) -> datetime:
    """Sign `source` into the new file `target`; return the signing time written into the signature.

    `page` counts from 0 (-1 is the last page); `box` is (left, bottom, right, top) in PDF points. The box shows
    `pejabat` (by default the pejabat the certificate names). A source that is already signed gets the new
    signature as an incremental update, so earlier signatures stay valid.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import TextStampStyle

    source, target = Path(source), Path(target)
    if target.exists():
        raise PenggunaanSalah(f"{target} sudah ada; PDF bertanda tangan tidak ditimpa. Pilih nama lain.")
    if not target.parent.is_dir():
        raise PenggunaanSalah(f"Folder {target.parent} tidak ada.")
    try:
        data = source.read_bytes()
    except OSError:
        raise PenggunaanSalah(f"PDF {source} tidak ditemukan atau tidak dapat dibaca.") from None
    require_usable(signer)
    pejabat = pejabat or pejabat_from_certificate(signer.certificate)
    left, bottom, right, top = box
    if not (right > left and top > bottom):
        raise PenggunaanSalah(f"Kotak tanda tangan {box} tidak valid: kanan > kiri dan atas > bawah.")

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        pages = int(writer.root["/Pages"]["/Count"])
        if not -pages <= page < pages:
            raise PenggunaanSalah(
                f"Halaman {page} tidak ada di {source.name}: PDF itu {pages} halaman (0 = pertama, -1 = terakhir)."
            )
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
            reason=reason, location=location, name=_printable(pejabat.nama) or None,
        )
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=(left, bottom, right, top))  # type: ignore[arg-type]
        style = TextStampStyle(stamp_text=SIGNATURE_TEXT, timestamp_format=TIME_FORMAT, border_width=1)
        pdf_signer = signers.PdfSigner(meta, pyhanko_signer(signer), stamp_style=style, new_field_spec=spec)
        with quiet():
            signed = pdf_signer.sign_pdf(
                writer,
                appearance_text_params={
                    "nama": _printable(pejabat.nama), "nip": _printable(pejabat.nip),
                    "jabatan": _printable(pejabat.jabatan),
                },
            )
    except SigningError as e:
        raise PenggunaanSalah(
            f"PDF {source.name} tidak dapat ditandatangani pada kolom {field_name!r} ({short_message(e)}). Bila "
            "kolom itu sudah ditandatangani, pakai nama kolom lain."
        ) from None
    except (PdfError, ValueError) as e:
        raise InputDitolak(
            f"PDF {source.name} rusak atau tidak dapat dibaca ({short_message(e)}); buat ulang PDF-nya."
        ) from None
    result = signed.getvalue()
    _write_new(target, result)
    return _signing_time(result, field_name)


def _signing_time(data: bytes, field_name: str) -> datetime:
    from pyhanko.pdf_utils.reader import PdfFileReader

    for sig in PdfFileReader(io.BytesIO(data)).embedded_signatures:
        if sig.field_name == field_name:
            ts = sig.self_reported_timestamp
            if ts is not None:
                return ts
    raise RuntimeError(f"signature {field_name} not found right after signing")


def _whole_file(status, later_fields: set[str]) -> tuple[bool, str | None]:
    """Covers the whole file, or what follows its revision is only later signatures (or DSS/timestamp data)."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True, None
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False, "ada data yang ditambahkan ke berkas di luar bagian yang ditandatangani"
    diff = status.diff_result
    if not isinstance(diff, DiffResult):
        return False, "berkas diubah sesudah ditandatangani (perubahan yang tidak diizinkan)"
    level = diff.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return True, None
    if level == ModificationLevel.FORM_FILLING and set(diff.changed_form_fields) <= later_fields:
        return True, None
    return False, "berkas diubah sesudah ditandatangani (bukan sekadar tanda tangan berikutnya)"


async def _validate_one(embedded, trust_roots: list, later_fields: set[str],
                        validation_time: datetime | None) -> ValidatedSignature:
    from pyhanko.sign.validation import KeyUsageConstraints, async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    field_name = embedded.field_name or ""
    cert, claimed = None, None
    with contextlib.suppress(Exception):  # an unreadable certificate or time is reported below, not raised
        cert = certificate_from_asn1(embedded.signer_cert)
    with contextlib.suppress(Exception):
        claimed = embedded.self_reported_timestamp
    signer_name = pejabat_from_certificate(cert).nama if cert is not None else ""
    context = ValidationContext(
        trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail",
        moment=validation_time or claimed,
    )
    try:
        status = await async_validate_pdf_signature(
            embedded, context,
            key_usage_settings=KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGE), match_all_key_usages=False),
        )
    except Exception as e:  # a broken signature is a finding about the file, not a crash
        return ValidatedSignature(
            field_name, signer_name, fingerprint(cert) if cert else "", claimed, False, False, False, cert,
            (f"tanda tangan tidak dapat diperiksa ({short_message(e)})",),
        )
    masalah = []
    intact = bool(status.intact and status.valid)
    if not status.intact:
        masalah.append("isi PDF berubah sesudah ditandatangani (hash tidak cocok)")
    elif not status.valid:
        masalah.append("tanda tangan kriptografis tidak sah")
    whole, why = _whole_file(status, later_fields)
    if why:
        masalah.append(why)
    trusted = bool(status.trusted)
    if not trusted and intact:
        masalah.append(
            "penanda tangan tidak berantai ke sertifikat CA yang dipercaya" if trust_roots
            else "tidak ada sertifikat CA yang dipercaya; siapa penanda tangannya belum dapat dipastikan"
        )
    return ValidatedSignature(
        field_name=field_name, signer_name=signer_name, fingerprint=fingerprint(cert) if cert else "",
        signing_time=status.signer_reported_dt or claimed, intact=intact, whole_file=whole, trusted=trusted,
        certificate=cert, masalah=tuple(masalah),
    )


def validate_pdf(
    path: Path, trusted: Sequence[x509.Certificate] = (), *, validation_time: datetime | None = None,
) -> list[ValidatedSignature]:
    """Every signature in the PDF, oldest first, checked offline against the `trusted` CA certificates.

    With no trusted certificates nothing is `trusted`: a valid signature by a key nobody vouched for proves
    only that the file did not change since that key signed it. `validation_time` defaults to each signature's
    own signing time.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import EmbeddedPdfSignature

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise PenggunaanSalah(f"PDF {path} tidak ditemukan atau tidak dapat dibaca.") from None
    embedded, broken = [], []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        for name, _value, field in enumerate_sig_fields(reader, filled_status=True):
            try:
                embedded.append(EmbeddedPdfSignature(reader, field, name))
            except Exception as e:  # a signature that cannot even be parsed is reported, the others checked
                why = f"tanda tangan rusak, tidak dapat dibaca ({short_message(e)})"
                broken.append(ValidatedSignature(name, "", "", None, False, False, False, None, (why,)))
        embedded.sort(key=lambda sig: sig.signed_revision)
        appended = _bytes_after_last_revision(data, reader)
    except (PdfError, ValueError, KeyError) as e:
        raise InputDitolak(f"{path.name} bukan PDF yang dapat dibaca ({short_message(e)}).") from None
    roots = [asn1_certificate(c) for c in trusted]

    async def run() -> list[ValidatedSignature]:
        hasil = []
        for i, sig in enumerate(embedded):
            later = {s.field_name for s in embedded[i + 1:] if s.field_name}
            hasil.append(await _validate_one(sig, roots, later, validation_time))
        return hasil

    with quiet():
        hasil = asyncio.run(run()) + broken
    if appended:
        why = f"ada {appended} byte ditambahkan di akhir berkas, di luar bagian yang ditandatangani"
        hasil = [replace(v, whole_file=False, masalah=(*v.masalah, why)) for v in hasil]
    return hasil


def _bytes_after_last_revision(data: bytes, reader) -> int:
    """Bytes after the %%EOF that ends the newest revision, trailing whitespace aside.

    A PDF reader finds its way back over bytes appended after %%EOF (pyHanko then still calls the file
    covered), but they are content no signature vouches for.
    """
    xrefs = reader.xrefs
    start = xrefs.get_startxref_for_revision(xrefs.total_revisions - 1)
    eof = data.find(b"%%EOF", start)
    if eof < 0:
        return len(data.rstrip()) - start
    return len(data[eof + len(b"%%EOF"):].strip())
