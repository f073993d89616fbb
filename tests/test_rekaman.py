"""The record proves itself (issue 16): the SOP run from another folder seals a complete archive; the document
and the seal carry real signatures that pdfsig and openssl accept; every way of forging the archive is named by
`verifikasi`; nothing is left half-done when a save is refused."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from macros_py.aksi.demo import KATA_SANDI_DEMO, folder_kunci, jalankan_demo, sertifikat_ca
from macros_py.io.arsip.seal import MANIFEST_HASH_NAME, MANIFEST_NAME, MANIFEST_SIGNATURE_NAME, write_manifest
from tests.conftest import sha256, tanpa_contoh

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _diam(_: str) -> None:
    pass


def _tabel(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, data_only=True)[sheet]
    baris = list(ws.iter_rows(min_row=4, values_only=True))
    judul = baris[0]
    return [dict(zip(judul, b, strict=False)) for b in baris[1:] if any(v is not None for v in b)]


@pytest.fixture(scope="module")
def lain_folder(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Steps 5–11 run by the CLI from a folder that is not the workbook's (as Excel's Run main and a Command
    Prompt in C:\\Users\\NAMA do), with an absolute --workbook."""
    dasar = tmp_path_factory.mktemp("rekaman")
    folder = dasar / "kantor"
    master = jalankan_demo(folder, info=_diam, sampai=4)
    tanpa_contoh(master)  # a real office's Konfigurasi: official outputs refuse "(contoh)" names
    return {"folder": folder, "master": master, "cwd": dasar / "bukan-folder-workbook"}


@pytest.fixture(scope="module")
def arsip_lain_folder(lain_folder: dict[str, Path]) -> dict[str, Path]:
    from macros_py.cli import main

    folder, master, cwd = lain_folder["folder"], lain_folder["master"], lain_folder["cwd"]
    cwd.mkdir()
    kunci = folder_kunci(folder)
    lama = Path.cwd()
    os.chdir(cwd)
    try:
        def evkin(sebagai: str, waktu: str, *args: object, masukan: str = "") -> None:
            import io
            import sys

            sys.stdin = io.StringIO(masukan)
            try:
                kode = main(["--workbook", str(master), "--sebagai", sebagai, "--waktu", waktu, *map(str, args)])
            finally:
                sys.stdin = sys.__stdin__
            assert kode == 0, args

        evkin("kasubag", "2026-10-06T09:00", "himpun", folder / "kiriman")
        evkin("kasubag", "2026-10-06T12:00", "langkah", "selesai", "5")
        evkin("kasubag", "2026-10-06T15:00", "analisa")
        evkin("kasubag", "2026-10-07T08:00", "konsep")
        evkin("sekcam", "2026-10-07T10:00", "ajukan", "--kunci", kunci / "sekcam.p12", masukan=KATA_SANDI_DEMO)
        evkin("kasubag", "2026-10-07T10:30", "nomor", "--perihal", "Undangan rapat lain", "--tujuan", "Lurah")
        evkin("camat", "2026-10-07T11:00", "tandatangani", "--kunci", kunci / "camat.p12", masukan=KATA_SANDI_DEMO)
        evkin("kasubag", "2026-10-07T11:30", "surat")
        evkin("kasubag", "2026-10-07T12:00", "nomor", "--perihal", "Surat lain sesudah langkah 10", "--tujuan", "X")
        with _openpyxl_dihitung() as openpyxl_arsip:
            evkin("kasubag", "2026-10-07T13:00", "arsip", "--out", folder / "arsip" / "TW3", "--kunci",
                  kunci / "kasubag.p12", masukan=KATA_SANDI_DEMO)
    finally:
        os.chdir(lama)
    assert not any(cwd.iterdir()), "nothing may be written into the current folder"
    return {**lain_folder, "arsip": folder / "arsip" / "TW3", "openpyxl_arsip": openpyxl_arsip}


@contextlib.contextmanager
def _openpyxl_dihitung() -> Iterator[Counter[str]]:
    """Workbooks openpyxl reads and writes meanwhile (every caller imports load_workbook when it runs)."""
    import openpyxl
    from openpyxl.workbook.workbook import Workbook

    hitung: Counter[str] = Counter()
    muat, simpan = openpyxl.load_workbook, Workbook.save

    def muat_dihitung(*args: Any, **kwargs: Any) -> Any:
        hitung["muat"] += 1
        return muat(*args, **kwargs)

    def simpan_dihitung(self: Workbook, *args: Any) -> None:
        hitung["simpan"] += 1
        simpan(self, *args)

    openpyxl.load_workbook = muat_dihitung
    Workbook.save = simpan_dihitung  # type: ignore[method-assign]
    try:
        yield hitung
    finally:
        openpyxl.load_workbook = muat
        Workbook.save = simpan  # type: ignore[method-assign]


def test_arsip_reads_the_master_once_and_writes_it_twice(arsip_lain_folder: dict[str, Any]) -> None:
    """The frozen copy is made from the master in memory: one read, then the copy and the master written; no
    formula in the master, so no second read for Excel's cached values."""
    assert arsip_lain_folder["openpyxl_arsip"] == {"muat": 1, "simpan": 2}


def test_run_from_another_folder_seals_a_complete_archive(arsip_lain_folder: dict[str, Path], evkin) -> None:
    arsip, master = arsip_lain_folder["arsip"], arsip_lain_folder["master"]
    isi = {p.relative_to(arsip).as_posix() for p in arsip.rglob("*") if p.is_file()}
    assert "Dokumen_Evaluasi_Kinerja_2026_TW3_v1_ditandatangani.pdf" in isi  # the signed document itself
    assert {"CA.pem", MANIFEST_NAME, MANIFEST_SIGNATURE_NAME, "Surat_Pengantar_2026_TW3.pdf"} <= isi
    assert len([p for p in isi if p.startswith("kiriman/")]) == 6  # the bidang's own files, not only hashes
    assert any(p.startswith("bukti_dukung/") for p in isi)
    assert all(not os.stat(arsip / p).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) for p in isi)
    hasil = evkin("verifikasi", arsip, "--percaya", sertifikat_ca(arsip_lain_folder["folder"]))
    assert hasil.kode == 0, hasil.keluar
    # the letter of step 10, not the number taken after it
    surat = [r for r in _tabel(master, "Penomoran") if str(r["Perihal"]).startswith("Penyampaian")][-1]
    pengiriman = _tabel(master, "Pengiriman")[-1]
    manifest = json.loads((arsip / MANIFEST_NAME).read_text())["info"]
    assert pengiriman["Nomor Surat Pengantar"] == manifest["nomor_surat"] == surat["Nomor Surat"]
    assert manifest["nomor_surat"].split("/")[1] == "002"
    assert {"kode_klasifikasi", "jenis_naskah", "kurun_waktu", "tingkat_perkembangan", "klasifikasi_keamanan",
            "hak_akses", "media", "jumlah", "retensi"} <= set(manifest["arsip"])
    log = _tabel(master, "Log")
    assert all(r["Login dan Komputer"] for r in log if r["Aksi"] in ("himpun", "arsip"))


def test_document_signature_valid_in_pdfsig_and_signer_is_the_kepala(arsip_lain_folder: dict[str, Path],
                                                                    tmp_path: Path) -> None:
    if not shutil.which("pdfsig") or not shutil.which("certutil"):
        pytest.skip("pdfsig/certutil tidak ada")
    pdf = next(arsip_lain_folder["arsip"].glob("*_ditandatangani.pdf"))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "CT,C,C", "-i",
                    str(sertifikat_ca(arsip_lain_folder["folder"]))], check=True, capture_output=True)
    keluar = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    assert keluar.count("Signature is Valid") == 2 and keluar.count("Certificate is Trusted") == 2, keluar
    assert "ParafSekretaris" in keluar and "TandaTanganKepala" in keluar  # the paraf, then the Kepala's signature
    assert "ZULKIFLI ADI SAPUTRA" in keluar and "Total document signed" in keluar


def test_manifest_signature_accepted_by_openssl(arsip_lain_folder: dict[str, Path]) -> None:
    arsip = arsip_lain_folder["arsip"]
    hasil = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                            str(arsip / MANIFEST_SIGNATURE_NAME), "-content", str(arsip / MANIFEST_NAME), "-CAfile",
                            str(sertifikat_ca(arsip_lain_folder["folder"])), "-out", os.devnull],
                           capture_output=True, text=True)
    assert hasil.returncode == 0, hasil.stderr


# ---- forgeries ------------------------------------------------------------------------------------------

def _salin(arsip: Path, tujuan: Path) -> Path:
    shutil.copytree(arsip, tujuan)
    for p in tujuan.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return tujuan


def _segel_ulang(folder: Path, penanda: object | None) -> None:
    """What a careful forger does after changing files: recompute MANIFEST.json and MANIFEST.sha256 (and sign
    them with a key of their own)."""
    from macros_py.io.signing.cms import sign_detached

    info = json.loads((folder / MANIFEST_NAME).read_text())["info"]
    for nama in (MANIFEST_NAME, MANIFEST_HASH_NAME, MANIFEST_SIGNATURE_NAME):
        (folder / nama).unlink(missing_ok=True)
    write_manifest(folder, info)
    if penanda is not None:
        (folder / MANIFEST_SIGNATURE_NAME).write_bytes(sign_detached((folder / MANIFEST_NAME).read_bytes(), penanda))


@pytest.fixture(scope="module")
def pemalsu(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A forger's own CA and a certificate in the Kepala's name, issued by it."""
    from macros_py.io.signing.keys import Pejabat, create_ca, issue_certificate

    d = tmp_path_factory.mktemp("pemalsu")
    ca = create_ca("Kecamatan Palsu", d / "ca.p12", "rahasia-palsu", ca_pem_path=d / "ca.pem")
    kepala = issue_certificate(ca, Pejabat("ZULKIFLI ADI SAPUTRA, ST", "19840710 201001 1 026", "Camat Mangkutana",
                                           "Kecamatan Mangkutana"), d / "kepala.p12", "rahasia-palsu")
    return {"ca": ca, "kepala": kepala, "pem": d / "ca.pem"}


def _verifikasi(evkin, folder: Path, ca: Path):
    return evkin("verifikasi", folder, "--percaya", ca)


def test_forged_pdf_with_recomputed_manifest_is_named(arsip_lain_folder, pemalsu, tmp_path: Path, evkin) -> None:
    ca = sertifikat_ca(arsip_lain_folder["folder"])
    folder = _salin(arsip_lain_folder["arsip"], tmp_path / "a")
    pdf = next(folder.glob("*_ditandatangani.pdf"))
    shutil.copyfile(next((arsip_lain_folder["folder"] / "dokumen").glob("*_v1.pdf")), pdf)  # the unsigned one
    _segel_ulang(folder, None)
    hasil = _verifikasi(evkin, folder, ca)
    assert hasil.kode == 3
    assert "MANIFEST.json.p7s" in hasil.keluar  # the seal no longer matches
    assert pdf.name in hasil.keluar and "SHA-256 tidak sama" in hasil.keluar  # vs the signing record


def test_forged_pdf_signed_by_a_forger_is_named(arsip_lain_folder, pemalsu, tmp_path: Path, evkin) -> None:
    from macros_py.io.signing.pades import sign_pdf

    ca = sertifikat_ca(arsip_lain_folder["folder"])
    folder = _salin(arsip_lain_folder["arsip"], tmp_path / "b")
    pdf = next(folder.glob("*_ditandatangani.pdf"))
    asli = next((arsip_lain_folder["folder"] / "dokumen").glob("*_v1.pdf"))
    pdf.unlink()
    sign_pdf(asli, pdf, pemalsu["kepala"], field_name="TandaTanganKepala", page=-1, box=(500, 300, 700, 360))
    (folder / "CA.pem").write_bytes(pemalsu["pem"].read_bytes())
    _segel_ulang(folder, pemalsu["kepala"])
    hasil = _verifikasi(evkin, folder, ca)
    assert hasil.kode == 3
    assert "MANIFEST.json.p7s" in hasil.keluar  # a seal signed with another key
    assert "TandaTanganKepala" in hasil.keluar  # the document's signer is not vouched for by the trusted CA


def test_edited_frozen_workbook_with_recomputed_manifest_is_named(arsip_lain_folder, tmp_path: Path, evkin) -> None:
    ca = sertifikat_ca(arsip_lain_folder["folder"])
    folder = _salin(arsip_lain_folder["arsip"], tmp_path / "c")
    xlsx = next(folder.glob("*_ARSIP.xlsx"))
    wb = load_workbook(xlsx)
    wb["Rekap"]["P5"] = 999
    wb.save(xlsx)
    _segel_ulang(folder, None)
    hasil = _verifikasi(evkin, folder, ca)
    assert hasil.kode == 3 and "MANIFEST.json.p7s" in hasil.keluar


def test_without_a_trusted_ca_the_identity_is_not_established(arsip_lain_folder, pemalsu, tmp_path: Path,
                                                               evkin) -> None:
    hasil = evkin("verifikasi", arsip_lain_folder["arsip"])
    assert hasil.kode == 3 and "BELUM TERBUKTI" in hasil.keluar and "--percaya" in hasil.keluar
    lain = evkin("verifikasi", arsip_lain_folder["arsip"], "--percaya", pemalsu["pem"])
    assert lain.kode == 3 and "MANIFEST.json.p7s" in lain.keluar


def test_os_files_are_named_not_failed_and_verifikasi_writes_nothing(arsip_lain_folder, tmp_path: Path,
                                                                    evkin) -> None:
    ca = sertifikat_ca(arsip_lain_folder["folder"])
    folder = _salin(arsip_lain_folder["arsip"], tmp_path / "d")
    (folder / "Thumbs.db").write_bytes(b"x")
    (folder / "kiriman" / "desktop.ini").write_bytes(b"x")
    sebelum = {p: (p.stat().st_mtime_ns, sha256(p)) for p in folder.rglob("*") if p.is_file()}
    hasil = _verifikasi(evkin, folder, ca)
    assert hasil.kode == 0 and "Thumbs.db" in hasil.keluar and "desktop.ini" in hasil.keluar
    assert {p: (p.stat().st_mtime_ns, sha256(p)) for p in folder.rglob("*") if p.is_file()} == sebelum
    (folder / "catatan.txt").write_bytes(b"x")
    assert _verifikasi(evkin, folder, ca).kode == 3


# ---- refusals -------------------------------------------------------------------------------------------

def test_missing_document_refuses_signing_instead_of_skipping(tmp_path: Path, evkin) -> None:
    folder = tmp_path / "k"
    master = jalankan_demo(folder, info=_diam, sampai=8)
    tanpa_contoh(master)
    for pdf in (folder / "dokumen").glob("*_v2*.pdf"):  # the version and its paraf
        pdf.unlink()
    hasil = evkin("--workbook", master, "--sebagai", "camat", "tandatangani", "--kunci",
                  folder_kunci(folder) / "camat.p12", masukan=KATA_SANDI_DEMO)
    assert hasil.kode == 3 and "tidak ditemukan" in hasil.galat


def test_refused_save_leaves_no_archive_and_a_retry_succeeds(tmp_path: Path, evkin,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io import unit_of_work

    folder = tmp_path / "s"
    master = jalankan_demo(folder, info=_diam, sampai=10)
    sebelum = sha256(master)
    asli = unit_of_work.save_atomic

    def ditolak(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(unit_of_work, "save_atomic", ditolak)
    args = ("--workbook", master, "--sebagai", "kasubag", "arsip", "--out", folder / "arsip" / "X", "--kunci",
            folder_kunci(folder) / "kasubag.p12")
    assert evkin(*args, masukan=KATA_SANDI_DEMO).kode != 0
    assert sha256(master) == sebelum and not (folder / "arsip" / "X").exists()
    assert not list((folder / "arsip").glob(".evkin-staging-*")) if (folder / "arsip").exists() else True
    monkeypatch.setattr(unit_of_work, "save_atomic", asli)
    hasil = evkin(*args, masukan=KATA_SANDI_DEMO)
    assert hasil.kode == 0, hasil.galat
    assert (folder / "arsip" / "X" / MANIFEST_NAME).is_file()


def test_after_signing_only_kasubag_sekretaris_kepala_reopen_and_output_says_voided(tmp_path: Path, evkin) -> None:
    folder = tmp_path / "r"
    master = jalankan_demo(folder, info=_diam, sampai=9)
    ditolak = evkin("--workbook", master, "--sebagai", "kasi_pem", "buka-ulang", "5", "--alasan", "revisi")
    assert ditolak.kode == 4 and "hubungi Kasubag" in ditolak.galat
    buka = evkin("--workbook", master, "--sebagai", "kasubag", "buka-ulang", "5", "--alasan", "revisi PMD")
    assert buka.kode == 0 and "Tanda tangan dokumen dibatalkan" in buka.galat


def test_init_timpa_refuses_an_archived_or_open_master(tmp_path: Path, evkin) -> None:
    folder = tmp_path / "t"
    master = jalankan_demo(folder, info=_diam, sampai=11)
    sebelum = sha256(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode", "TW4",
                  "--timpa")
    assert hasil.kode == 4 and "sudah ditutup" in hasil.galat and sha256(master) == sebelum
    baru = tmp_path / "u" / "Evaluasi_Kinerja.xlsx"
    assert evkin("--workbook", baru, "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode", "TW4").kode == 0
    (baru.parent / "~$Evaluasi_Kinerja.xlsx").write_bytes(bytes([4]) + b"Budi" + b" " * 60)
    terbuka = evkin("--workbook", baru, "--sebagai", "kasubag", "init", "--tahun", "2026", "--periode", "TW4",
                    "--timpa")
    assert terbuka.kode == 5 and "Budi" in terbuka.galat
