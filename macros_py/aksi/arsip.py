"""Step 11 and after: the sealed record of the period (arsip), its verification, and roll-up of records."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macros_py.aksi.dokumen import FOLDER_DOKUMEN, periksa_berkas, periksa_berkas_versi
from macros_py.aksi.langkah import Konteks, _teks, langkah, tulis_log, tulis_pengaturan
from macros_py.aksi.penutupan import nomor_surat_pengantar, versi_ditandatangani
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.io.book import LAYOUT, Book, append_rows, read_table
from macros_py.io.files import sha256_file

FOLDER_ARSIP_BUKTI = "bukti_dukung"
FOLDER_ARSIP_KIRIMAN = "kiriman"
NAMA_CA = "CA.pem"


def _salin(asal: Path, tujuan: Path) -> None:
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(asal, tujuan)


def _dokumen_sah(book: Book, konteks: Konteks, versi: dict[str, Any]) -> Path:
    """The document as signed: the PDF with the Kepala's electronic signature where there is one, else the
    approved version's PDF — checked against the SHA-256 the workbook recorded for it."""
    ttd = [r for r in read_table(book, konteks.skema.tabel("pengesahan"))
           if r["aksi"] == "ditandatangani" and _teks(r["status"]) == "sah" and r["versi"] == versi["versi"]]
    if ttd and _teks(ttd[-1].get("berkas")):
        return periksa_berkas(konteks, ttd[-1]["berkas"], ttd[-1]["sha256_berkas"], "Dokumen bertanda tangan")
    return periksa_berkas_versi(konteks, versi)


def _metadata_anri(konteks: Konteks, jumlah: int) -> dict[str, Any]:
    """Archival description as ANRI expects it (Perka ANRI 21/2011): classification, kind, period, originality,
    security and access, medium, count, retention."""
    p, konf = konteks.konfigurasi.pengaturan, konteks.konfigurasi
    return {"kode_klasifikasi": _teks(p.get("kode_klasifikasi")), "jenis_naskah": _teks(p.get("jenis_naskah")),
            "kurun_waktu": f"{konf.periode} {konf.tahun}", "tingkat_perkembangan": "asli (elektronik)",
            "klasifikasi_keamanan": _teks(p.get("klasifikasi_keamanan")), "hak_akses": _teks(p.get("hak_akses")),
            "media": "elektronik", "jumlah": f"{jumlah} berkas", "retensi": _teks(p.get("retensi_arsip"))}


def arsip(book: Book, konteks: Konteks, folder: Path, tujuan: str | None = None, penanda: Any = None
          ) -> dict[str, Any]:
    """Step 11: record the delivery, close the period, and seal the record folder.

    The record holds a frozen copy of the workbook (values only, every sheet protected), the signed document, the
    surat pengantar (PDF, docx, xlsx), the accepted submission files and their bukti dukung, the kecamatan CA's
    certificate, and a manifest of every file's SHA-256 with the Log's last hash and ANRI's archival metadata,
    signed with the archiver's key (MANIFEST.json.p7s) — so anyone can verify it later with `evkin verifikasi DIR
    --percaya CA.pem`. Every file is read-only. It is built in a staging folder and moved into place only after
    the master is saved, so a refused save or a killed run never leaves a sealed record of a period still open.
    """
    from macros_py.aksi.kunci import penanda_sah
    from macros_py.io.arsip.seal import (
        MANIFEST_NAME,
        MANIFEST_SIGNATURE_NAME,
        freeze_workbook,
        make_read_only,
        verify_seal,
        write_manifest,
    )
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    if LAYOUT not in book.capabilities:  # the frozen copy is made from the file, by the headless engine
        raise PenggunaanSalah("Arsip dibuat dari baris perintah (evkin arsip) saat workbook tertutup, bukan dari "
                              "Excel.")
    konf = konteks.konfigurasi
    p = konf.pengaturan
    folder = folder if folder.is_absolute() else Path.cwd() / folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PenggunaanSalah(f"Folder arsip {folder} sudah berisi berkas; pilih folder baru yang kosong.")
    tujuan = (tujuan or _teks(p.get("tujuan_surat"))).strip()
    uow = konteks.uow
    assert uow is not None
    with langkah(book, konteks, "arsip") as no:
        penanda = penanda_sah(konteks, penanda, f"Segel arsip (langkah {no})", f"arsip --out {folder}")
        nomor_surat = nomor_surat_pengantar(book, konteks)
        versi = versi_ditandatangani(book, konteks)
        dokumen = _dokumen_sah(book, konteks, versi)
        panggung = uow.stage(folder)
        panggung.mkdir(parents=True)
        _salin(dokumen, panggung / dokumen.name)
        for asal in sorted((konteks.folder / FOLDER_DOKUMEN).glob(f"Surat_Pengantar_{konf.tahun}_{konf.periode}.*")):
            _salin(asal, panggung / asal.name)
        for r in read_table(book, konteks.skema.tabel("penerimaan")):
            if not _teks(r["berkas"]).startswith("sheet "):
                asal = periksa_berkas(konteks, r["berkas"], r["sha256"], "Berkas kiriman")
                _salin(asal, panggung / FOLDER_ARSIP_KIRIMAN / asal.parent.name / asal.name)
        for b in read_table(book, konteks.skema.tabel("bukti")):
            if b["status"] == "disimpan":
                asal = periksa_berkas(konteks, b["lokasi"], b["sha256"], "Bukti dukung")
                _salin(asal, panggung / FOLDER_ARSIP_BUKTI / asal.parent.name / asal.name)
        ca = None
        if _teks(p.get("ca_sertifikat")):
            ca = periksa_berkas(konteks, p["ca_sertifikat"], "", "Sertifikat CA")
            _salin(ca, panggung / NAMA_CA)
        elif penanda is not None:
            raise PenggunaanSalah("Sertifikat CA kecamatan belum tercatat di Konfigurasi (ca_sertifikat); arsip yang "
                                  "disegel harus membawanya. Isi ca_sertifikat dengan berkas .pem CA.")
        append_rows(book, konteks.skema.tabel("pengiriman"),
                    [{"waktu": konteks.waktu, "tujuan": tujuan, "nomor_surat": nomor_surat,
                      "arsip": konteks.relatif(folder), "oleh": konteks.pelaku.label()}])
        tulis_pengaturan(book, konteks.skema, {"periode_ditutup": konteks.waktu.isoformat(sep=" ")})
        konteks.catat(no, "arsip", f"dikirim kepada {tujuan} dengan surat {nomor_surat}; arsip di "
                                   f"{konteks.relatif(folder)}")
    tulis_log(book, konteks)  # the sealed copy must carry the final log rows
    assert isinstance(book, OpenpyxlBook)  # LAYOUT: the master loaded once, frozen from memory
    freeze_workbook(book, panggung / f"Evaluasi_Kinerja_{konf.tahun}_{konf.periode}_ARSIP.xlsx")
    pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, konteks.skema.sheet("konfigurasi")
                                                                      .tabel_("pengaturan"))}
    jumlah = sum(1 for f in panggung.rglob("*") if f.is_file())
    write_manifest(panggung, {
        "unit": _teks(p.get("unit")), "tahun": konf.tahun, "periode": konf.periode,
        "log_jumlah": pengaturan.get("log_jumlah"), "log_hash_terakhir": pengaturan.get("log_hash_terakhir"),
        "dibuat_oleh": konteks.pelaku.label(), "waktu": konteks.waktu.isoformat(sep=" "), "tujuan": tujuan,
        "nomor_surat": nomor_surat, "dokumen": dokumen.name, "versi": versi["versi"],
        "arsip": _metadata_anri(konteks, jumlah + 1),
    })
    hasil: dict[str, Any] = {"folder": folder, "ca_sidik": None}
    if penanda is not None:
        from macros_py.io.signing.cms import sign_detached
        from macros_py.io.signing.keys import fingerprint, load_certificates

        (panggung / MANIFEST_SIGNATURE_NAME).write_bytes(sign_detached((panggung / MANIFEST_NAME).read_bytes(),
                                                                       penanda))
        hasil["ca_sidik"] = fingerprint(load_certificates(ca)[0]) if ca else None
    masalah = verify_seal(panggung)
    if masalah:
        raise InputDitolak("Arsip yang baru dibuat tidak lolos verifikasi.", masalah)
    make_read_only(panggung)
    return hasil


@dataclass
class HasilVerifikasi:
    """What an auditor learns: failures, what was established, and what could not be (no trusted CA given)."""

    masalah: list[str] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)
    belum_terbukti: list[str] = field(default_factory=list)

    @property
    def utuh(self) -> bool:
        return not self.masalah and not self.belum_terbukti


def verifikasi_rekaman(folder: Path, percaya: list[Any] | None = None) -> HasilVerifikasi:
    """A sealed record checked as an auditor would.

    Every file against the manifest; the manifest's signature; the document PDF's signature and that its signer is
    the Kepala registered in the frozen workbook; the PDF's SHA-256 against the one recorded at signing; the
    frozen workbook's Log chain and last hash. `percaya`: CA certificates the verifier trusts (`--percaya`);
    without them, a valid signature by a key nobody vouched for is not a verified record.
    """
    import json

    from openpyxl import load_workbook

    from macros_py.aksi.langkah import baca_konfigurasi, verifikasi_log
    from macros_py.io.arsip.seal import MANIFEST_NAME, MANIFEST_SIGNATURE_NAME, system_files, verify_seal
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.schema import muat_skema

    hasil = HasilVerifikasi(catatan=[f"Berkas sistem operasi diabaikan: {r}" for r in system_files(folder)])
    masalah, catatan = hasil.masalah, hasil.catatan
    masalah += verify_seal(folder)
    if masalah:
        return hasil
    info = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["info"]
    skema = muat_skema()
    arsip_wb = sorted(folder.glob("*_ARSIP.xlsx"))
    if not arsip_wb:
        masalah.append("Salinan beku workbook (*_ARSIP.xlsx) tidak ada di arsip.")
        return hasil
    book = OpenpyxlBook(load_workbook(arsip_wb[0], read_only=False))
    nama_wb = arsip_wb[0].name
    masalah += [f"{nama_wb}: {m.pesan}" for m in verifikasi_log(book, skema)]
    konf = baca_konfigurasi(book, skema)
    if _teks(konf.pengaturan.get("log_hash_terakhir")) != _teks(info.get("log_hash_terakhir")):
        masalah.append(f"{nama_wb}: hash Log terakhir tidak sama dengan yang tercatat di manifest.")
    ttd = [r for r in read_table(book, skema.tabel("pengesahan"))
           if r["aksi"] == "ditandatangani" and _teks(r["status"]) == "sah"]
    dokumen = folder / _teks(info.get("dokumen"))
    if not ttd:
        masalah.append(f"{nama_wb}: tidak ada tanda tangan Kepala yang sah di sheet Pengesahan.")
    elif not dokumen.is_file():
        masalah.append(f"Dokumen {dokumen.name} yang disebut manifest tidak ada di arsip.")
    else:
        tercatat = _teks(ttd[-1].get("sha256_berkas")) or _teks(ttd[-1].get("sha256"))
        if sha256_file(dokumen) != tercatat:
            masalah.append(f"Dokumen {dokumen.name}: SHA-256 tidak sama dengan yang dicatat saat penandatanganan "
                           f"di sheet Pengesahan ({tercatat[:16]}...): dokumen ditukar atau diubah.")
    kepala = next((p for p in konf.pejabat if p.peran == "kepala"), None)
    terpercaya = percaya or []
    ca_arsip = folder / NAMA_CA
    tanda_tangan = folder / MANIFEST_SIGNATURE_NAME
    if tanda_tangan.is_file() or (ttd and _teks(ttd[-1].get("sertifikat"))):
        masalah += _periksa_tanda_tangan(folder, dokumen, ttd, kepala, terpercaya, catatan)
        if not percaya:
            sidik = ""
            if ca_arsip.is_file():
                from macros_py.io.signing.keys import fingerprint, load_certificates

                sidik = f" (sidik SHA-256 CA di arsip: {fingerprint(load_certificates(ca_arsip)[0])})"
            hasil.belum_terbukti.append(
                f"Identitas penanda tangan: tidak ada sertifikat CA yang Anda percayai (--percaya "
                f"CA.pem){sidik}. Tanda tangan oleh kunci yang tidak dijamin siapa pun bukan rekaman terverifikasi. "
                "Bandingkan sidik CA itu dengan yang Anda terima dari kecamatan, lalu ulangi dengan --percaya.")
    else:
        catatan.append("Arsip ini tidak bertanda tangan elektronik (dibuat tanpa kunci): hanya keutuhan berkas "
                       "terhadap manifest dan rantai Log yang diperiksa; siapa yang menyegel tidak dapat dibuktikan.")
    return hasil


def _periksa_tanda_tangan(folder: Path, dokumen: Path, ttd: list[dict[str, Any]], kepala: Any,
                          terpercaya: list[Any], catatan: list[str]) -> list[str]:
    """The manifest's CMS signature and the document's PAdES signature, against the trusted CA (or, to check the
    signatures' integrity at all, the CA carried in the archive)."""
    from macros_py.io.arsip.seal import MANIFEST_NAME, MANIFEST_SIGNATURE_NAME
    from macros_py.io.signing.cms import verify_detached
    from macros_py.io.signing.keys import fingerprint, load_certificates
    from macros_py.io.signing.pades import validate_pdf

    masalah: list[str] = []
    ca_arsip = folder / NAMA_CA
    acuan = terpercaya or (load_certificates(ca_arsip) if ca_arsip.is_file() else [])
    tanda_tangan = folder / MANIFEST_SIGNATURE_NAME
    if not tanda_tangan.is_file():
        masalah.append(f"{MANIFEST_SIGNATURE_NAME} tidak ada: segel arsip tidak bertanda tangan.")
    else:
        try:
            penyegel = verify_detached((folder / MANIFEST_NAME).read_bytes(), tanda_tangan.read_bytes(),
                                       acuan or None, name=MANIFEST_NAME)
            catatan.append(f"Segel {MANIFEST_NAME} ditandatangani {penyegel.subject.rfc4514_string()} "
                           f"(sidik {fingerprint(penyegel)}).")
        except InputDitolak as e:
            masalah.append(f"{MANIFEST_SIGNATURE_NAME}: {e.pesan}")
    if dokumen.is_file():
        hasil = validate_pdf(dokumen, acuan)
        if not hasil:
            masalah.append(f"Dokumen {dokumen.name} tidak memuat tanda tangan elektronik.")
        for s in hasil:
            if not (s.intact and s.whole_file and (s.trusted or not acuan)):
                masalah.append(f"Tanda tangan {s.field_name} di {dokumen.name} tidak sah: "
                               + "; ".join(s.masalah or ("tidak dipercaya",)))
        terakhir = hasil[-1] if hasil else None
        terdaftar = _teks(getattr(kepala, "sertifikat", "")).upper()
        dicatat = _teks(ttd[-1].get("sertifikat")).upper() if ttd else ""
        if terakhir is not None:
            if terdaftar and terakhir.fingerprint.upper() != terdaftar:
                masalah.append(f"Dokumen {dokumen.name} ditandatangani {terakhir.signer_name} (sidik "
                               f"{terakhir.fingerprint}), bukan Kepala yang terdaftar di salinan beku ({terdaftar}).")
            elif dicatat and terakhir.fingerprint.upper() != dicatat:
                masalah.append(f"Sertifikat tanda tangan di {dokumen.name} tidak sama dengan yang dicatat di sheet "
                               "Pengesahan.")
            else:
                catatan.append(f"Dokumen ditandatangani {terakhir.signer_name} (sidik {terakhir.fingerprint}).")
    return masalah


def rollup(rekaman: Sequence[Path], keluar: Path, percaya: list[Any] | None = None) -> dict[str, Any]:
    """Verify each record, then consolidate their Rekap into one summary workbook with the same analysis."""
    from openpyxl import Workbook, load_workbook

    from macros_py.aksi.analisis import hitung
    from macros_py.aksi.langkah import baca_konfigurasi
    from macros_py.io.arsip.seal import MANIFEST_HASH_NAME
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.unit_of_work import save_atomic
    from macros_py.schema import muat_skema

    skema = muat_skema()
    semua: list[dict[str, Any]] = []
    unit: list[str] = []
    segel: set[bytes] = set()
    kriteria = None
    from macros_py.io.console import Kemajuan

    with Kemajuan("evkin rollup", len(rekaman)) as kemajuan:
        for folder in rekaman:
            kemajuan.maju(f"memeriksa {folder.name}", 0)
            periksa = verifikasi_rekaman(folder, percaya)
            if not periksa.utuh:
                raise InputDitolak(f"Arsip {folder} tidak utuh atau tidak terverifikasi; rollup dibatalkan.",
                                   periksa.masalah + periksa.belum_terbukti)
            cap = (folder / MANIFEST_HASH_NAME).read_bytes()
            if cap in segel:
                raise InputDitolak(f"Arsip {folder} diberikan dua kali; datanya tidak boleh terhitung ganda.")
            segel.add(cap)
            wb_path = next(folder.glob("*_ARSIP.xlsx"))
            book = OpenpyxlBook(load_workbook(wb_path, read_only=False))
            pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, skema.sheet("konfigurasi")
                                                                              .tabel_("pengaturan"))}
            milik = baca_konfigurasi(book, skema).kriteria
            if kriteria is not None and milik != kriteria:
                raise InputDitolak(f"Arsip {folder} memakai kriteria predikat lain ({milik.teks()}) daripada arsip "
                                   f"sebelumnya ({kriteria.teks()}); predikatnya tidak dapat digabung.")
            kriteria = milik
            nama = (f"{_teks(pengaturan.get('unit'))} ({_teks(pengaturan.get('periode'))} "
                    f"{_teks(pengaturan.get('tahun'))})")
            if nama in unit:  # the same unit twice (e.g. two demo records) stays apart
                nama = f"{nama} #{sum(u.startswith(nama) for u in unit) + 1}"
            unit.append(nama)
            semua += [dict(r, unit=nama) for r in read_table(book, skema.tabel("rekap"))]
            periode = _teks(pengaturan.get("periode"))
            kemajuan.maju()
    # the same analysis, with each unit in the place of a bidang
    kriteria = kriteria or skema.kriteria_baku
    baris, ringkas = hitung([dict(r, bidang_asal=r["bidang"], bidang=r["unit"]) for r in semua], periode, unit,
                            kriteria)
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    kolom = ["unit", "bidang_asal", *[k for k in skema.tabel("rekap").keys if k != "bidang"]]
    judul = {k.key: k.judul for k in skema.tabel("rekap").kolom}
    ws.append([{"unit": "Unit", "bidang_asal": "Bidang"}.get(k, judul.get(k, k)) for k in kolom])
    for b in baris:
        ws.append([b.get(k) for k in kolom])
    ws2 = wb.create_sheet("Analisis")
    kolom2 = skema.tabel_analisis(kriteria.label).kolom
    ws2.append(["Unit" if k.key == "bidang" else k.judul for k in kolom2])
    for r in ringkas:
        ws2.append([r.get(k.key) for k in kolom2])
    keluar.parent.mkdir(parents=True, exist_ok=True)
    save_atomic(keluar, wb.save, cadangan=False)
    return {"unit": unit, "baris": len(baris), "ringkasan": ringkas}
