"""Step 11 and after: the sealed record of the period (arsip), its verification, and roll-up of records."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from macros_py.aksi.dokumen import FOLDER_DOKUMEN, periksa_berkas_versi
from macros_py.aksi.langkah import Konteks, _teks, langkah, tulis_log, tulis_pengaturan
from macros_py.aksi.penutupan import nomor_surat_pengantar, versi_ditandatangani
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.io.book import LAYOUT, Book, append_rows, read_table
from macros_py.io.files import sha256_file

FOLDER_ARSIP_BUKTI = "bukti_dukung"
FOLDER_ARSIP_KIRIMAN = "kiriman"


def _salin(asal: Path, tujuan: Path) -> None:
    tujuan.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(asal, tujuan)


def _berkas_tercatat(konteks: Konteks, tercatat: object, sha: object, apa: str) -> Path:
    """A file the workbook recorded (with its SHA-256), found beside the workbook — else the record is refused."""
    path = konteks.lokasi(tercatat)
    if not path.is_file():
        raise InputDitolak(f"{apa} {_teks(tercatat)} tidak ditemukan di folder workbook ({konteks.folder}); arsip "
                           "tidak dibuat agar rekaman tidak kurang. Kembalikan berkas itu ke tempatnya, lalu ulangi.")
    if _teks(sha) and sha256_file(path) != _teks(sha):
        raise InputDitolak(f"{apa} {path.name} berubah sejak dicatat (SHA-256 tidak cocok); arsip tidak dibuat. "
                           "Kembalikan berkas aslinya, lalu ulangi.")
    return path


def arsip(book: Book, konteks: Konteks, folder: Path, tujuan: str | None = None) -> Path:
    """Step 11: record the delivery, close the period, and seal the record folder.

    The record holds a frozen copy of the workbook (values only, every sheet protected, read-only), the signed
    document, the surat pengantar (PDF, docx, xlsx), the accepted submission files and their bukti dukung, and a
    manifest of every file's SHA-256 with the Log's last hash — so anyone can verify it later with
    `evkin verifikasi DIR`. It is built in a staging folder and moved into place only after the master is saved,
    so a refused save or a killed run never leaves a sealed record of a period that is still open.
    """
    from macros_py.io.arsip.seal import freeze_workbook, make_read_only, verify_seal, write_manifest

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
        nomor_surat = nomor_surat_pengantar(book, konteks)
        versi = versi_ditandatangani(book, konteks)
        panggung = uow.stage(folder)
        panggung.mkdir(parents=True)
        dokumen = periksa_berkas_versi(konteks, versi)
        _salin(dokumen, panggung / dokumen.name)
        for asal in sorted((konteks.folder / FOLDER_DOKUMEN).glob(f"Surat_Pengantar_{konf.tahun}_{konf.periode}.*")):
            _salin(asal, panggung / asal.name)
        for r in read_table(book, konteks.skema.tabel("penerimaan")):
            if not _teks(r["berkas"]).startswith("sheet "):
                asal = _berkas_tercatat(konteks, r["berkas"], r["sha256"], "Berkas kiriman")
                _salin(asal, panggung / FOLDER_ARSIP_KIRIMAN / asal.parent.name / asal.name)
        for b in read_table(book, konteks.skema.tabel("bukti")):
            if b["status"] == "disimpan":
                asal = _berkas_tercatat(konteks, b["lokasi"], b["sha256"], "Bukti dukung")
                _salin(asal, panggung / FOLDER_ARSIP_BUKTI / asal.parent.name / asal.name)
        append_rows(book, konteks.skema.tabel("pengiriman"),
                    [{"waktu": konteks.waktu, "tujuan": tujuan, "nomor_surat": nomor_surat,
                      "arsip": konteks.relatif(folder), "oleh": konteks.pelaku.label()}])
        tulis_pengaturan(book, konteks.skema, {"periode_ditutup": konteks.waktu.isoformat(sep=" ")})
        konteks.catat(no, "arsip", f"dikirim kepada {tujuan} dengan surat {nomor_surat}; arsip di "
                                   f"{konteks.relatif(folder)}")
    tulis_log(book, konteks)  # the sealed copy must carry the final log rows
    sementara = panggung / ".workbook-sementara.xlsx"
    book.save_to(sementara)  # type: ignore[attr-defined]
    freeze_workbook(sementara, panggung / f"Evaluasi_Kinerja_{konf.tahun}_{konf.periode}_ARSIP.xlsx")
    sementara.unlink()
    pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, konteks.skema.sheet("konfigurasi")
                                                                      .tabel_("pengaturan"))}
    write_manifest(panggung, {
        "unit": _teks(p.get("unit")), "tahun": konf.tahun, "periode": konf.periode,
        "log_jumlah": pengaturan.get("log_jumlah"), "log_hash_terakhir": pengaturan.get("log_hash_terakhir"),
        "dibuat_oleh": konteks.pelaku.label(), "waktu": konteks.waktu.isoformat(sep=" "), "tujuan": tujuan,
        "nomor_surat": nomor_surat, "dokumen": dokumen.name, "dokumen_sha256": versi["sha256"],
    })
    masalah = verify_seal(panggung)
    if masalah:
        raise InputDitolak("Arsip yang baru dibuat tidak lolos verifikasi.", masalah)
    make_read_only(panggung)
    return folder


def verifikasi_rekaman(folder: Path) -> list[str]:
    """A sealed record: every file against the manifest, then the frozen workbook's Log chain and last hash."""
    import json

    from openpyxl import load_workbook

    from macros_py.aksi.langkah import verifikasi_log
    from macros_py.io.arsip.seal import MANIFEST_NAME, verify_seal
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.schema import muat_skema

    masalah = verify_seal(folder)
    if masalah:
        return masalah
    info = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["info"]
    for wb_path in sorted(folder.glob("*_ARSIP.xlsx")):
        book = OpenpyxlBook(load_workbook(wb_path, read_only=False))
        masalah += [f"{wb_path.name}: {m.pesan}" for m in verifikasi_log(book, muat_skema())]
        konf = {_teks(r["kunci"]): _teks(r["nilai"]) for r in read_table(
            book, muat_skema().sheet("konfigurasi").tabel_("pengaturan"))}
        if konf.get("log_hash_terakhir") != _teks(info.get("log_hash_terakhir")):
            masalah.append(f"{wb_path.name}: hash Log terakhir tidak sama dengan yang tercatat di manifest.")
    return masalah


def rollup(rekaman: Sequence[Path], keluar: Path) -> dict[str, Any]:
    """Verify each record, then consolidate their Rekap into one summary workbook with the same analysis."""
    from openpyxl import Workbook, load_workbook

    from macros_py.aksi.analisis import hitung
    from macros_py.io.arsip.seal import MANIFEST_HASH_NAME
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.unit_of_work import save_atomic
    from macros_py.schema import muat_skema

    skema = muat_skema()
    semua: list[dict[str, Any]] = []
    unit: list[str] = []
    segel: set[bytes] = set()
    for folder in rekaman:
        masalah = verifikasi_rekaman(folder)
        if masalah:
            raise InputDitolak(f"Arsip {folder} tidak utuh; rollup dibatalkan.", masalah)
        cap = (folder / MANIFEST_HASH_NAME).read_bytes()
        if cap in segel:
            raise InputDitolak(f"Arsip {folder} diberikan dua kali; datanya tidak boleh terhitung ganda.")
        segel.add(cap)
        wb_path = next(folder.glob("*_ARSIP.xlsx"))
        book = OpenpyxlBook(load_workbook(wb_path, read_only=False))
        pengaturan = {_teks(r["kunci"]): r["nilai"] for r in read_table(book, skema.sheet("konfigurasi")
                                                                          .tabel_("pengaturan"))}
        nama = f"{_teks(pengaturan.get('unit'))} ({_teks(pengaturan.get('periode'))} {_teks(pengaturan.get('tahun'))})"
        if nama in unit:  # the same unit twice (e.g. two demo records) stays apart
            nama = f"{nama} #{sum(u.startswith(nama) for u in unit) + 1}"
        unit.append(nama)
        semua += [dict(r, unit=nama) for r in read_table(book, skema.tabel("rekap"))]
        periode = _teks(pengaturan.get("periode"))
    # the same analysis, with each unit in the place of a bidang
    baris, ringkas = hitung([dict(r, bidang_asal=r["bidang"], bidang=r["unit"]) for r in semua], periode, unit)
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    kolom = ["unit", "bidang_asal", *[k for k in skema.tabel("rekap").keys if k != "bidang"]]
    judul = {k.key: k.judul for k in skema.tabel("rekap").kolom}
    ws.append([{"unit": "Unit", "bidang_asal": "Bidang"}.get(k, judul.get(k, k)) for k in kolom])
    for b in baris:
        ws.append([b.get(k) for k in kolom])
    ws2 = wb.create_sheet("Analisis")
    kolom2 = skema.tabel("analisis").kolom
    ws2.append(["Unit" if k.key == "bidang" else k.judul for k in kolom2])
    for r in ringkas:
        ws2.append([r.get(k.key) for k in kolom2])
    keluar.parent.mkdir(parents=True, exist_ok=True)
    save_atomic(keluar, wb.save, cadangan=False)
    return {"unit": unit, "baris": len(baris), "ringkasan": ringkas}
