"""Electronic signatures checked by the clients a recipient uses: poppler's pdfsig (with an NSS database that
trusts the kecamatan CA) and openssl, next to our own pure-Python validation."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.io.signing import cms, keys, pades

KEPALA = keys.Pejabat("ZULKIFLI ADI SAPUTRA, ST", "19840710 201001 1 026", "Camat Mangkutana", "Kecamatan Mangkutana")
SEKRETARIS = keys.Pejabat("Nama Sekretaris Camat", "19800101 200501 1 001", "Sekretaris Camat", "Kecamatan Mangkutana")
PEMALSU = keys.Pejabat("ZULKIFLI ADI SAPUTRA, ST", "19840710 201001 1 026", "Camat Mangkutana", "Kecamatan Lain")
KOTAK_PARAF = (60, 90, 270, 190)
KOTAK_KEPALA = (320, 90, 560, 190)


def _needs(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} harus terpasang di CI (jalankan bash scripts/setup.sh)")
        pytest.skip(f"{', '.join(missing)} tidak terpasang")


def _pdf(objs: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _page(text: str, font: int, contents: int, extra: str = "") -> list[bytes]:
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    return [
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> "
        f"/Contents {contents} 0 R {extra}>>".encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def minimal_pdf(pages: int = 2) -> bytes:
    """A small valid PDF written by hand, so most tests need no LibreOffice."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    for i in range(pages):
        objs += _page(f"Dokumen Evaluasi Kinerja halaman {i + 1}", 3 + 2 * pages, 4 + 2 * i)
    return _pdf([*objs, FONT])


def pdf_with_text_field() -> bytes:
    """One page with a fillable text field "Catatan": filling it after signing changes what the page shows."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        *_page("Dokumen Evaluasi Kinerja", 5, 4, "/Annots [6 0 R] "),
        FONT,
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Catatan) /Rect [72 600 300 620] /P 3 0 R /V () /F 4 >>",
    ])


@dataclass
class Pki:
    folder: Path
    ca: keys.Signer
    ca_pem: Path
    kepala: keys.Signer
    sekretaris: keys.Signer
    lain_ca_pem: Path
    pemalsu: keys.Signer
    nss_percaya: Path
    nss_kosong: Path


def _nss(folder: Path, ca_pem: Path | None) -> Path:
    folder.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    if ca_pem is not None:
        subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "ca-kecamatan", "-t", "C,C,C", "-i",
                        str(ca_pem)], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """The kecamatan CA with two pejabat, and a second CA whose certificate claims the Kepala's name."""
    _needs("certutil", "pdfsig", "openssl")
    d = tmp_path_factory.mktemp("pki")
    ca = keys.create_ca("Kecamatan Mangkutana", d / "ca.p12", "sandi-ca-123", ca_pem_path=d / "ca.pem")
    kepala = keys.issue_certificate(ca, KEPALA, d / "kepala.p12", "sandi-kepala")
    sekretaris = keys.issue_certificate(ca, SEKRETARIS, d / "sekretaris.p12", "sandi-sekretaris")
    lain = keys.create_ca("Kecamatan Lain", d / "lain.p12", "sandi-lain-123", ca_pem_path=d / "lain.pem")
    pemalsu = keys.issue_certificate(lain, PEMALSU, d / "pemalsu.p12", "sandi-pemalsu")
    return Pki(d, ca, d / "ca.pem", kepala, sekretaris, d / "lain.pem", pemalsu,
               _nss(d / "nss-percaya", d / "ca.pem"), _nss(d / "nss-kosong", None))


def pdfsig(path: Path, nssdir: Path) -> list[dict[str, str]]:
    """pdfsig's report, one dict per signature ("Total document signed" and the like become keys too)."""
    out = subprocess.run(["pdfsig", "-nssdir", str(nssdir), str(path)], capture_output=True, text=True).stdout
    hasil: list[dict[str, str]] = []
    for line in out.splitlines():
        if re.match(r"Signature #\d+:", line):
            hasil.append({})
        elif hasil and line.strip().startswith("- "):
            key, _, value = line.strip()[2:].partition(": ")
            hasil[-1][key] = value
    return hasil


def openssl_verify(content: Path, signature: Path, ca_pem: Path,
                   extra: tuple[str, ...] | list[str] = ()) -> subprocess.CompletedProcess[str]:
    """Exactly the command in macros_py.io.signing.cms's docstring."""
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signature), "-content", str(content),
         "-CAfile", str(ca_pem), "-out", os.devnull, *extra],
        capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def ditandatangani(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, datetime, datetime]:
    """The paraf of the Sekretaris, then the Kepala's signature on the same document."""
    d = tmp_path_factory.mktemp("dokumen")
    (d / "dokumen.pdf").write_bytes(minimal_pdf())
    t1 = pades.sign_pdf(d / "dokumen.pdf", d / "paraf.pdf", pki.sekretaris, field_name="ParafSekretaris", page=-1,
                        box=KOTAK_PARAF)
    t2 = pades.sign_pdf(d / "paraf.pdf", d / "final.pdf", pki.kepala, field_name="TandaTanganKepala", page=-1,
                        box=KOTAK_KEPALA)
    return d / "paraf.pdf", d / "final.pdf", t1, t2


# --- keys -------------------------------------------------------------------------------------------------------

def test_certificate_subject_usage_and_fingerprint_as_openssl_shows(pki: Pki, tmp_path: Path) -> None:
    pem = tmp_path / "kepala.pem"
    pem.write_bytes(keys.certificate_pem(pki.kepala.certificate))
    out = subprocess.run(["openssl", "x509", "-in", str(pem), "-noout", "-fingerprint", "-sha256", "-subject",
                          "-ext", "keyUsage,extendedKeyUsage", "-nameopt", "RFC2253"],
                         capture_output=True, text=True, check=True).stdout
    assert f"Fingerprint={pki.kepala.fingerprint}\n" in out
    assert keys.fingerprint(pki.kepala.certificate) == pki.kepala.fingerprint
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", pki.kepala.fingerprint)
    subject = next(line for line in out.splitlines() if line.startswith("subject="))
    for part in (r"CN=ZULKIFLI ADI SAPUTRA\, ST", "serialNumber=19840710 201001 1 026", "title=Camat Mangkutana",
                 "O=Kecamatan Mangkutana"):
        assert part in subject
    assert "Digital Signature, Non Repudiation" in out
    assert "E-mail Protection" in out
    verify = subprocess.run(["openssl", "verify", "-CAfile", str(pki.ca_pem), "-purpose", "smimesign", str(pem)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    assert keys.pejabat_from_certificate(pki.kepala.certificate) == KEPALA


def test_pkcs12_opens_with_its_passphrase_in_openssl_and_here(pki: Pki) -> None:
    p12 = pki.folder / "kepala.p12"
    out = subprocess.run(["openssl", "pkcs12", "-in", str(p12), "-passin", "pass:sandi-kepala", "-nokeys"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("BEGIN CERTIFICATE") == 2  # the pejabat and the CA in the chain
    loaded = keys.load_pkcs12(p12, "sandi-kepala")
    assert loaded.fingerprint == pki.kepala.fingerprint
    assert [keys.fingerprint(c) for c in loaded.chain] == [pki.ca.fingerprint]
    assert [keys.fingerprint(c) for c in keys.load_certificates(pki.ca_pem)] == [pki.ca.fingerprint]


def test_wrong_passphrase_or_not_pkcs12_said_in_indonesian(pki: Pki, tmp_path: Path) -> None:
    with pytest.raises(PenggunaanSalah, match=r"Kata sandi untuk berkas kunci kepala\.p12 salah"):
        keys.load_pkcs12(pki.folder / "kepala.p12", "sandi-salah")
    with pytest.raises(PenggunaanSalah, match=r"ca\.pem bukan berkas kunci PKCS#12"):
        keys.load_pkcs12(pki.ca_pem, "sandi-kepala")
    with pytest.raises(PenggunaanSalah, match="tidak ditemukan"):
        keys.load_pkcs12(tmp_path / "tidak-ada.p12", "sandi-kepala")


def test_key_never_written_inside_the_workbook_folder(pki: Pki, tmp_path: Path) -> None:
    workbook_folder = tmp_path / "workbook"
    (workbook_folder / "kunci").mkdir(parents=True)
    for target in (workbook_folder / "camat.p12", workbook_folder / "kunci" / "camat.p12"):
        with pytest.raises(PenggunaanSalah, match="di dalam folder workbook"):
            keys.issue_certificate(pki.ca, KEPALA, target, "sandi-kepala", workbook_folder=workbook_folder)
        with pytest.raises(PenggunaanSalah, match="di dalam folder workbook"):
            keys.create_ca("Kecamatan Mangkutana", target, "sandi-ca-123", ca_pem_path=tmp_path / "ca.pem",
                           workbook_folder=workbook_folder)
    assert not list(workbook_folder.rglob("*.p12")) and not (tmp_path / "ca.pem").exists()
    elsewhere = tmp_path / "pribadi" / "camat.p12"
    elsewhere.parent.mkdir()
    keys.issue_certificate(pki.ca, KEPALA, elsewhere, "sandi-kepala", workbook_folder=workbook_folder)
    assert keys.load_pkcs12(elsewhere, "sandi-kepala").pejabat == KEPALA


def test_existing_key_kept_and_short_passphrase_refused(pki: Pki, tmp_path: Path) -> None:
    target = tmp_path / "kepala.p12"
    target.write_bytes(b"kunci lama")
    with pytest.raises(PenggunaanSalah, match="tidak ditimpa"):
        keys.issue_certificate(pki.ca, KEPALA, target, "sandi-kepala")
    assert target.read_bytes() == b"kunci lama"
    with pytest.raises(PenggunaanSalah, match="minimal 8 karakter"):
        keys.issue_certificate(pki.ca, KEPALA, tmp_path / "baru.p12", "pendek")
    with pytest.raises(PenggunaanSalah, match="bukan otoritas sertifikat"):
        keys.issue_certificate(pki.kepala, SEKRETARIS, tmp_path / "baru.p12", "sandi-sekretaris")
    assert not (tmp_path / "baru.p12").exists()


def test_expired_certificate_refused_before_signing(pki: Pki) -> None:
    later = pki.kepala.certificate.not_valid_after_utc + timedelta(days=1)
    with pytest.raises(PenggunaanSalah, match="kedaluwarsa"):
        keys.require_usable(pki.kepala, later)
    keys.require_usable(pki.kepala)


def test_pkcs12_issued_elsewhere_with_legacy_encryption_signs(tmp_path: Path) -> None:
    """Like a BSrE file: made by openssl from its own CA, 3DES-encrypted as Windows exports do."""
    _needs("openssl", "pdfsig")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=tmp_path, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "30",
        "-subj", "/C=ID/O=Balai Sertifikasi Elektronik/CN=Root CA Uji")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "user.key", "-out", "user.csr",
        "-subj", "/C=ID/O=Pemerintah Kabupaten Luwu Timur/CN=Budi Santoso")
    (tmp_path / "ext.cnf").write_text("keyUsage=critical,digitalSignature,nonRepudiation\n"
                                      "extendedKeyUsage=emailProtection\n")
    run("x509", "-req", "-in", "user.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
        "-out", "user.pem", "-days", "10", "-extfile", "ext.cnf")
    run("pkcs12", "-export", "-inkey", "user.key", "-in", "user.pem", "-certfile", "root.pem", "-out", "bsre.p12",
        "-passout", "pass:sandi-bsre", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1")
    signer = keys.load_pkcs12(tmp_path / "bsre.p12", "sandi-bsre")
    assert signer.pejabat == keys.Pejabat("Budi Santoso", "", "", "Pemerintah Kabupaten Luwu Timur")
    (tmp_path / "dokumen.pdf").write_bytes(minimal_pdf(1))
    pades.sign_pdf(tmp_path / "dokumen.pdf", tmp_path / "ttd.pdf", signer, field_name="TandaTangan", page=0,
                   box=KOTAK_KEPALA, pejabat=keys.Pejabat("Budi Santoso", "19700101 199001 1 001", "Camat", ""))
    [hasil] = pades.validate_pdf(tmp_path / "ttd.pdf", keys.load_certificates(tmp_path / "root.pem"))
    assert hasil.ok and hasil.signer_name == "Budi Santoso"


# --- PAdES --------------------------------------------------------------------------------------------------------

def test_signed_pdf_valid_in_pdfsig_and_trusted_with_the_ca(pki: Pki, ditandatangani) -> None:
    paraf, _final, t1, _t2 = ditandatangani
    [sig] = pdfsig(paraf, pki.nss_kosong)
    assert sig["Signature Validation"] == "Signature is Valid."
    assert sig["Signer Certificate Common Name"] == "Nama Sekretaris Camat"
    assert sig["Signature Type"] == "ETSI.CAdES.detached"
    assert "Total document signed" in sig
    assert sig["Certificate Validation"] != "Certificate is Trusted."
    [sig] = pdfsig(paraf, pki.nss_percaya)
    assert sig["Certificate Validation"] == "Certificate is Trusted."

    [ours] = pades.validate_pdf(paraf, [pki.ca.certificate])
    assert (ours.field_name, ours.signer_name, ours.fingerprint) == (
        "ParafSekretaris", "Nama Sekretaris Camat", pki.sekretaris.fingerprint)
    assert ours.intact and ours.whole_file and ours.trusted and ours.ok and ours.masalah == ()
    assert ours.signing_time == t1
    assert ours.pejabat == SEKRETARIS


def test_visible_box_shows_who_when_inside_the_box(ditandatangani) -> None:
    _paraf, final, _t1, t2 = ditandatangani
    left, bottom, right, top = KOTAK_KEPALA
    crop = ["-f", "2", "-l", "2", "-r", "72", "-x", str(left), "-y", str(842 - top), "-W", str(right - left),
            "-H", str(top - bottom)]
    teks = subprocess.run(["pdftotext", *crop, str(final), "-"], capture_output=True, text=True, check=True).stdout
    assert "ditandatangani secara elektronik" in teks.lower()
    assert "ZULKIFLI ADI SAPUTRA, ST" in teks
    assert "NIP. 19840710 201001 1 026" in teks
    assert "Camat Mangkutana" in teks
    assert t2.astimezone().strftime("%d-%m-%Y %H:%M:%S") in teks  # the time written into the signature
    assert "Sekretaris" not in teks  # the paraf has its own box
    halaman_1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(final), "-"], capture_output=True, text=True,
                               check=True).stdout
    assert "elektronik" not in halaman_1


def test_box_text_beyond_latin1_shown_without_accents(pki: Pki, tmp_path: Path) -> None:
    """The box uses a standard PDF font: é stays, a letter it lacks loses its accent instead of turning to noise."""
    (tmp_path / "dokumen.pdf").write_bytes(minimal_pdf(1))
    pades.sign_pdf(tmp_path / "dokumen.pdf", tmp_path / "ttd.pdf", pki.kepala, field_name="T", page=0,
                   box=KOTAK_KEPALA, pejabat=keys.Pejabat("Muh. Ṣaleh Rézky", "1980\n0101", "Camat", ""))
    teks = subprocess.run(["pdftotext", str(tmp_path / "ttd.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Muh. Saleh Rézky" in teks and "NIP. 1980 0101" in teks


def test_paraf_then_kepala_both_valid(pki: Pki, ditandatangani) -> None:
    paraf, final, t1, t2 = ditandatangani
    assert final.read_bytes().startswith(paraf.read_bytes())  # incremental update: the paraf's bytes untouched
    first, second = pdfsig(final, pki.nss_percaya)
    assert first["Signer Certificate Common Name"] == "Nama Sekretaris Camat"
    assert second["Signer Certificate Common Name"] == "ZULKIFLI ADI SAPUTRA, ST"
    for sig in (first, second):
        assert sig["Signature Validation"] == "Signature is Valid."
        assert sig["Certificate Validation"] == "Certificate is Trusted."
    assert "Not total document signed" in first and "Total document signed" in second

    hasil = pades.validate_pdf(final, [pki.ca.certificate])
    assert [(v.field_name, v.fingerprint, v.signing_time) for v in hasil] == [
        ("ParafSekretaris", pki.sekretaris.fingerprint, t1), ("TandaTanganKepala", pki.kepala.fingerprint, t2)]
    assert all(v.ok for v in hasil), [v.masalah for v in hasil]


def test_byte_changed_inside_signed_range_detected(pki: Pki, ditandatangani, tmp_path: Path) -> None:
    _paraf, final, _t1, _t2 = ditandatangani
    data = final.read_bytes()
    i = data.index(b"halaman 1")
    palsu = tmp_path / "palsu.pdf"
    palsu.write_bytes(data[:i] + b"H" + data[i + 1:])
    assert all(s["Signature Validation"] == "Digest Mismatch." for s in pdfsig(palsu, pki.nss_percaya))
    hasil = pades.validate_pdf(palsu, [pki.ca.certificate])
    assert len(hasil) == 2 and not any(v.intact or v.ok for v in hasil)
    assert all("isi PDF berubah" in " ".join(v.masalah) for v in hasil)


def test_signature_value_changed_detected(pki: Pki, ditandatangani, tmp_path: Path) -> None:
    _paraf, final, _t1, _t2 = ditandatangani
    data = final.read_bytes()
    contents = list(re.finditer(rb"/Contents <([0-9A-Fa-f]+)>", data))[-1]
    der_length = int(data[contents.start(1) + 4:contents.start(1) + 8], 16) + 4  # 30 82 LL LL
    i = contents.start(1) + 2 * (der_length - 10)  # inside the RSA signature value at the end
    palsu = tmp_path / "palsu.pdf"
    palsu.write_bytes(data[:i] + (b"0" if data[i:i + 1] != b"0" else b"1") + data[i + 1:])
    assert pdfsig(palsu, pki.nss_percaya)[1]["Signature Validation"] == "Signature is Invalid."
    paraf, kepala = pades.validate_pdf(palsu, [pki.ca.certificate])
    assert paraf.ok and not kepala.intact and not kepala.ok


@pytest.mark.parametrize("tambahan", [b"\n% ditambahkan\n", b"9 0 obj\n(teks lain)\nendobj\n"])
def test_bytes_appended_after_the_last_signature_detected(pki: Pki, ditandatangani, tmp_path: Path,
                                                          tambahan: bytes) -> None:
    _paraf, final, _t1, _t2 = ditandatangani
    palsu = tmp_path / "palsu.pdf"
    palsu.write_bytes(final.read_bytes() + tambahan)
    last = pdfsig(palsu, pki.nss_percaya)[-1]
    assert "Not total document signed" in last and "Total document signed" not in last
    hasil = pades.validate_pdf(palsu, [pki.ca.certificate])
    assert all(v.intact and not v.whole_file and not v.ok for v in hasil)
    assert all("ditambahkan di akhir berkas" in " ".join(v.masalah) for v in hasil)


def test_page_replaced_in_a_later_revision_detected(pki: Pki, ditandatangani, tmp_path: Path) -> None:
    """The incremental-update attack: a revision appended after the signatures shows another page content."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _paraf, final, _t1, _t2 = ditandatangani
    writer = IncrementalPdfFileWriter(io.BytesIO(final.read_bytes()))
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page_ref.get_object()["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 720 Td (Dokumen PALSU) Tj ET"))
    writer.mark_update(page_ref)
    palsu = tmp_path / "palsu.pdf"
    with palsu.open("wb") as f:
        writer.write(f)
    assert "Dokumen PALSU" in subprocess.run(["pdftotext", str(palsu), "-"], capture_output=True, text=True).stdout
    assert all("Not total document signed" in s for s in pdfsig(palsu, pki.nss_percaya))
    hasil = pades.validate_pdf(palsu, [pki.ca.certificate])
    assert all(v.intact and not v.whole_file and not v.ok for v in hasil)
    assert all("diubah sesudah ditandatangani" in " ".join(v.masalah) for v in hasil)


def test_form_field_filled_after_the_paraf_detected(pki: Pki, tmp_path: Path) -> None:
    """Only later signatures may follow a signature; filling another form field is a change of content."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    (tmp_path / "dokumen.pdf").write_bytes(pdf_with_text_field())
    pades.sign_pdf(tmp_path / "dokumen.pdf", tmp_path / "paraf.pdf", pki.sekretaris, field_name="ParafSekretaris",
                   page=0, box=KOTAK_PARAF)
    writer = IncrementalPdfFileWriter(io.BytesIO((tmp_path / "paraf.pdf").read_bytes()))
    field_ref = writer.root["/AcroForm"]["/Fields"].raw_get(0)
    field_ref.get_object()["/V"] = generic.TextStringObject("Realisasi 100 persen")
    writer.mark_update(field_ref)
    with (tmp_path / "diisi.pdf").open("wb") as f:
        writer.write(f)
    [paraf] = pades.validate_pdf(tmp_path / "diisi.pdf", [pki.ca.certificate])
    assert paraf.intact and not paraf.whole_file
    assert "bukan sekadar tanda tangan berikutnya" in " ".join(paraf.masalah)
    pades.sign_pdf(tmp_path / "paraf.pdf", tmp_path / "final.pdf", pki.kepala, field_name="TandaTanganKepala",
                   page=0, box=KOTAK_KEPALA)
    assert all(v.ok for v in pades.validate_pdf(tmp_path / "final.pdf", [pki.ca.certificate]))


def test_signature_from_another_ca_not_trusted(pki: Pki, tmp_path: Path) -> None:
    (tmp_path / "dokumen.pdf").write_bytes(minimal_pdf())
    palsu = tmp_path / "palsu.pdf"
    pades.sign_pdf(tmp_path / "dokumen.pdf", palsu, pki.pemalsu, field_name="TandaTanganKepala", page=-1,
                   box=KOTAK_KEPALA)
    [sig] = pdfsig(palsu, pki.nss_percaya)
    assert sig["Signature Validation"] == "Signature is Valid."
    assert sig["Signer Certificate Common Name"] == "ZULKIFLI ADI SAPUTRA, ST"
    assert sig["Certificate Validation"] != "Certificate is Trusted."
    [ours] = pades.validate_pdf(palsu, [pki.ca.certificate])
    assert ours.intact and ours.whole_file and not ours.trusted and not ours.ok
    assert ours.signer_name == KEPALA.nama and ours.fingerprint != pki.kepala.fingerprint
    assert "tidak berantai ke sertifikat CA yang dipercaya" in " ".join(ours.masalah)
    [tanpa_ca] = pades.validate_pdf(palsu)
    assert not tanpa_ca.trusted and "tidak ada sertifikat CA yang dipercaya" in " ".join(tanpa_ca.masalah)
    [dengan_ca_lain] = pades.validate_pdf(palsu, keys.load_certificates(pki.lain_ca_pem))
    assert dengan_ca_lain.ok


def _issued_long_ago(folder: Path) -> tuple[keys.Signer, Path]:
    """A CA made a month ago and a Kepala whose certificate from it was valid from ten days ago until yesterday."""
    from cryptography.hazmat.primitives import hashes

    now = datetime.now(UTC)
    ca_key, key = keys._new_key(), keys._new_key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Otoritas Sertifikat Uji")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, KEPALA.nama)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=10)).not_valid_after(now - timedelta(days=1))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    (folder / "ca-lama.pem").write_bytes(keys.certificate_pem(ca_cert))
    return keys.Signer(key, cert, (ca_cert,)), folder / "ca-lama.pem"


class _FiveDaysAgo(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return datetime.now(tz) - timedelta(days=5)


def test_record_verifies_after_the_certificate_expired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline there is no timestamp server: the chain is checked at the signing time the signature states, so an
    archive signed five days ago verifies although the certificate expired yesterday."""
    import pyhanko.sign.signers.pdf_signer

    _needs("openssl")
    signer, ca_pem = _issued_long_ago(tmp_path)
    trusted = keys.load_certificates(ca_pem)
    (tmp_path / "dokumen.pdf").write_bytes(minimal_pdf(1))
    with monkeypatch.context() as m:  # sign as if five days ago, while the certificate was valid
        m.setattr(pyhanko.sign.signers.pdf_signer, "datetime", _FiveDaysAgo)
        m.setattr(cms, "datetime", _FiveDaysAgo)
        m.setattr(pades, "require_usable", lambda *_: None)
        signed_at = pades.sign_pdf(tmp_path / "dokumen.pdf", tmp_path / "ttd.pdf", signer, field_name="T",
                                   page=0, box=KOTAK_KEPALA)
        signature = cms.sign_detached(b"manifest", signer)
    assert signed_at < signer.certificate.not_valid_after_utc
    [hasil] = pades.validate_pdf(tmp_path / "ttd.pdf", trusted)
    assert hasil.ok and hasil.signing_time == signed_at
    assert keys.fingerprint(cms.verify_detached(b"manifest", signature, trusted)) == signer.fingerprint
    # Checked today instead, the chain no longer holds.
    today = datetime.now(UTC)
    [hari_ini] = pades.validate_pdf(tmp_path / "ttd.pdf", trusted, validation_time=today)
    assert hari_ini.intact and not hari_ini.trusted
    with pytest.raises(InputDitolak, match="tidak berantai"):
        cms.verify_detached(b"manifest", signature, trusted, validation_time=today)
    with pytest.raises(PenggunaanSalah, match="kedaluwarsa"):
        cms.sign_detached(b"manifest", signer)
    with pytest.raises(PenggunaanSalah, match="kedaluwarsa"):
        pades.sign_pdf(tmp_path / "dokumen.pdf", tmp_path / "lagi.pdf", signer, field_name="T", page=0,
                       box=KOTAK_KEPALA)
    # OpenSSL checks at the current time unless told the signing time, as cms' docstring says.
    (tmp_path / "m.json").write_bytes(b"manifest")
    (tmp_path / "m.p7s").write_bytes(signature)
    assert openssl_verify(tmp_path / "m.json", tmp_path / "m.p7s", ca_pem).returncode != 0
    attime = ["-attime", str(int(signed_at.timestamp()))]
    assert openssl_verify(tmp_path / "m.json", tmp_path / "m.p7s", ca_pem, attime).returncode == 0


def test_validation_prints_nothing_for_the_user(pki: Pki, ditandatangani) -> None:
    """pyHanko logs a traceback for every signer it cannot chain; evkin's users see only our findings."""
    import sys

    _paraf, final, _t1, _t2 = ditandatangani
    code = (f"from macros_py.io.signing import pades, cms\n"
            f"hasil = pades.validate_pdf({str(final)!r})\n"
            f"assert not any(v.trusted for v in hasil)\n")
    proses = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert proses.returncode == 0 and proses.stderr == "" and proses.stdout == ""


def test_sign_refuses_existing_target_and_a_filled_field(pki: Pki, ditandatangani, tmp_path: Path) -> None:
    paraf, final, _t1, _t2 = ditandatangani
    before = final.read_bytes()
    with pytest.raises(PenggunaanSalah, match="tidak ditimpa"):
        pades.sign_pdf(paraf, final, pki.kepala, field_name="Lain", page=-1, box=KOTAK_KEPALA)
    assert final.read_bytes() == before
    with pytest.raises(PenggunaanSalah, match="ParafSekretaris"):
        pades.sign_pdf(paraf, tmp_path / "dua.pdf", pki.kepala, field_name="ParafSekretaris", page=-1,
                       box=KOTAK_KEPALA)
    with pytest.raises(PenggunaanSalah, match=r"Halaman 2 tidak ada di paraf\.pdf: PDF itu 2 halaman"):
        pades.sign_pdf(paraf, tmp_path / "dua.pdf", pki.kepala, field_name="Lain", page=2, box=KOTAK_KEPALA)
    assert not (tmp_path / "dua.pdf").exists()
    (tmp_path / "bukan.pdf").write_bytes(b"bukan PDF")
    with pytest.raises(InputDitolak, match="rusak"):
        pades.sign_pdf(tmp_path / "bukan.pdf", tmp_path / "tiga.pdf", pki.kepala, field_name="T", page=0,
                       box=KOTAK_KEPALA)
    assert [p.name for p in tmp_path.iterdir()] == ["bukan.pdf"]


# --- detached CMS over the manifest -----------------------------------------------------------------------------

@pytest.fixture
def manifest(pki: Pki, tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "MANIFEST.json"
    content.write_bytes(b'{\n  "berkas": {"Dokumen.pdf": "ab12"},\n  "unit": "Kecamatan Mangkutana"\n}\n')
    signature = tmp_path / "MANIFEST.json.p7s"
    signature.write_bytes(cms.sign_detached(content.read_bytes(), pki.kepala))
    return content, signature


def test_manifest_signature_accepted_by_openssl_and_here(pki: Pki, manifest: tuple[Path, Path]) -> None:
    content, signature = manifest
    hasil = openssl_verify(content, signature, pki.ca_pem)
    assert hasil.returncode == 0, hasil.stderr
    assert "Verification successful" in hasil.stderr
    cert = cms.verify_detached(content.read_bytes(), signature.read_bytes(), [pki.ca.certificate])
    assert keys.fingerprint(cert) == pki.kepala.fingerprint
    printed = subprocess.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(signature)],
                             capture_output=True, text=True, check=True).stdout
    assert "eContent: <ABSENT>" in printed  # detached
    assert "signingTime" in printed and "CN=Otoritas Sertifikat Kecamatan Mangkutana" in printed


def test_manifest_changed_rejected_by_openssl_and_here(pki: Pki, manifest: tuple[Path, Path]) -> None:
    content, signature = manifest
    content.write_bytes(content.read_bytes().replace(b"ab12", b"ab13"))
    hasil = openssl_verify(content, signature, pki.ca_pem)
    assert hasil.returncode != 0 and "Verification failure" in hasil.stderr
    with pytest.raises(InputDitolak, match=r"MANIFEST\.json berubah sesudah ditandatangani"):
        cms.verify_detached(content.read_bytes(), signature.read_bytes(), [pki.ca.certificate], name="MANIFEST.json")


def test_manifest_checked_against_another_ca_rejected(pki: Pki, manifest: tuple[Path, Path]) -> None:
    content, signature = manifest
    hasil = openssl_verify(content, signature, pki.lain_ca_pem)
    assert hasil.returncode != 0 and "certificate verify error" in hasil.stderr
    with pytest.raises(InputDitolak, match="tidak berantai ke sertifikat CA yang dipercaya"):
        cms.verify_detached(content.read_bytes(), signature.read_bytes(), keys.load_certificates(pki.lain_ca_pem))


def test_manifest_signed_by_a_key_of_another_ca_rejected(pki: Pki, manifest: tuple[Path, Path]) -> None:
    content, signature = manifest
    signature.write_bytes(cms.sign_detached(content.read_bytes(), pki.pemalsu))
    assert openssl_verify(content, signature, pki.ca_pem).returncode != 0
    with pytest.raises(InputDitolak, match=re.escape(pki.pemalsu.fingerprint)):
        cms.verify_detached(content.read_bytes(), signature.read_bytes(), [pki.ca.certificate])
    # Integrity alone (trusted=None) holds, and names the key nobody vouched for.
    cert = cms.verify_detached(content.read_bytes(), signature.read_bytes(), None)
    assert keys.fingerprint(cert) == pki.pemalsu.fingerprint
    assert openssl_verify(content, signature, pki.lain_ca_pem).returncode == 0


def test_manifest_signature_not_cms_or_no_ca(pki: Pki, manifest: tuple[Path, Path]) -> None:
    content, signature = manifest
    with pytest.raises(InputDitolak, match="bukan tanda tangan CMS"):
        cms.verify_detached(content.read_bytes(), b"\x30\x82\x01\x00rusak", [pki.ca.certificate])
    with pytest.raises(PenggunaanSalah, match="Tidak ada sertifikat CA"):
        cms.verify_detached(content.read_bytes(), signature.read_bytes(), [])


# --- a PDF as the office makes it -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pdf_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small workbook turned into PDF by LibreOffice once per session, as `konsep` makes the document."""
    from openpyxl import Workbook

    from macros_py.io.output import pdf

    if not pdf.available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice harus terpasang di CI (jalankan bash scripts/setup.sh)")
        pytest.skip("LibreOffice tidak terpasang")
    d = tmp_path_factory.mktemp("libreoffice")
    wb = Workbook()
    ws = wb.active
    ws.append(["Indikator", "Target", "Realisasi"])
    ws.append(["Persentase layanan selesai tepat waktu", 90, 85.5])
    wb.save(d / "Dokumen.xlsx")
    return pdf.to_pdf(d / "Dokumen.xlsx", d)


@pytest.mark.libreoffice
def test_libreoffice_pdf_signed_twice_valid(pki: Pki, pdf_libreoffice: Path, tmp_path: Path) -> None:
    paraf, final = tmp_path / "paraf.pdf", tmp_path / "final.pdf"
    pades.sign_pdf(pdf_libreoffice, paraf, pki.sekretaris, field_name="ParafSekretaris", page=-1, box=KOTAK_PARAF)
    pades.sign_pdf(paraf, final, pki.kepala, field_name="TandaTanganKepala", page=-1, box=KOTAK_KEPALA)
    laporan = pdfsig(final, pki.nss_percaya)
    assert [s["Signer Certificate Common Name"] for s in laporan] == ["Nama Sekretaris Camat", KEPALA.nama]
    assert all(s["Signature Validation"] == "Signature is Valid." for s in laporan)
    assert all(s["Certificate Validation"] == "Certificate is Trusted." for s in laporan)
    assert all(v.ok for v in pades.validate_pdf(final, [pki.ca.certificate]))
    teks = subprocess.run(["pdftotext", str(final), "-"], capture_output=True, text=True, check=True).stdout
    assert "Realisasi" in teks and teks.lower().count("ditandatangani secara elektronik") == 2


def test_pejabat_from_certificate_without_optional_fields() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Budi")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(key, hashes.SHA256()))
    assert keys.pejabat_from_certificate(cert) == keys.Pejabat("Budi", "", "", "")
