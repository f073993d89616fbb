"""Steps 1–4: disposisi, format, distribusi, rapat — preparing the data collection of step 5."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from macros_py.aksi.daftar_indikator import baris_indikator
from macros_py.aksi.langkah import Konteks, langkah, tulis_pengaturan
from macros_py.domain.errors import PenggunaanSalah
from macros_py.domain.tersegel import baca_triwulan
from macros_py.domain.validasi import cari_identitas
from macros_py.io.book import Book, append_rows, read_table, read_table_rows, write_table
from macros_py.io.files import sha256_file

FOLDER_FORMAT = "format_bidang"  # step 3's files, beside the workbook


def tanggal_isian(teks: str | date | None, konteks: Konteks) -> date:
    """A date typed on the command line (ISO) or in a cell; empty means the action's day."""
    if teks is None or teks == "":
        return konteks.waktu.date()
    if isinstance(teks, date):
        return teks
    try:
        return date.fromisoformat(teks)
    except ValueError:
        raise PenggunaanSalah(f"Tanggal '{teks}' tidak dikenali; tulis seperti 2026-10-05.") from None


# ---- step 1 ---------------------------------------------------------------------------------------------

def catat_disposisi(book: Book, konteks: Konteks, nomor: str, tanggal: str | date | None, dari: str | None,
                    isi: str) -> dict[str, Any]:
    """Step 1: record the Pengguna Anggaran's disposisi; finishes the step."""
    dari = (dari or "").strip() or konteks.skema.organisasi["pemberi_disposisi"]
    if not isi.strip():
        raise PenggunaanSalah("Isi instruksi disposisi wajib diisi (--isi).")
    hari = datetime.combine(tanggal_isian(tanggal, konteks), datetime.min.time())
    baris: dict[str, Any] = {"nomor": nomor.strip(), "tanggal": hari,
                             "dari": dari.strip(), "isi": isi.strip(), "dicatat_oleh": konteks.pelaku.label(),
                             "waktu": konteks.waktu}
    with langkah(book, konteks, "disposisi") as no:
        append_rows(book, konteks.skema.tabel("disposisi"), [baris])
        konteks.catat(no, "disposisi", f"nomor {baris['nomor'] or '-'} dari {baris['dari']}: {baris['isi'][:200]}")
    return baris


# ---- step 2 ---------------------------------------------------------------------------------------------

def buat_format(book: Book, konteks: Konteks, dari_workbook: Path | None = None) -> dict[str, int]:
    """Step 2: the input template per bidang, prefilled from the indicator list; finishes the step.

    Running it again (after reopening step 2) raises the template version, so files of the old version are
    recognised as stale when they come back.
    """
    from macros_py.io.output.builder import identitas_template

    skema = konteks.skema
    with langkah(book, konteks, "format") as no:
        if dari_workbook is not None:
            bawa_indikator(book, konteks, dari_workbook)
        indikator = baris_indikator(book, konteks)
        pengaturan = konteks.konfigurasi.pengaturan
        versi = int(float(pengaturan["versi_template"]))
        if str(pengaturan.get("format_dibuat") or "").strip():
            versi += 1
        tulis_pengaturan(book, skema, {"versi_template": versi, "format_dibuat": konteks.waktu.isoformat(sep=" ")})
        konteks.konfigurasi.pengaturan.update(versi_template=versi)
        kepala = skema.sheet("bidang").ekstra["kepala"]
        baris_identitas = kepala["baris_awal"] + [f["key"] for f in kepala["isian"]].index("identitas")
        jumlah: dict[str, int] = {}
        for b in konteks.konfigurasi.bidang:
            tabel = skema.tabel_bidang(b["sheet"])
            book.write(b["sheet"], baris_identitas, kepala["kolom_nilai"],
                       [[identitas_template(konteks.konfigurasi.tahun, konteks.konfigurasi.periode, b["kode"], versi)]])
            milik = [d for d in indikator if d["kode_bidang"] == b["kode"]]  # `no`: the indicator's stable key
            lama = len(read_table_rows(book, tabel))
            write_table(book, tabel, milik, hapus_sisa=max(0, lama - len(milik)))
            jumlah[b["kode"]] = len(milik)
        konteks.catat(no, "format", f"format v{versi} untuk {len(jumlah)} bidang; indikator terisi: "
                                    + ", ".join(f"{k} {n}" for k, n in jumlah.items()))
    return jumlah


def bawa_indikator(book: Book, konteks: Konteks, workbook_lama: Path) -> int:
    """Carry the indicator list over from a previous period's master (its Daftar Indikator)."""
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    if not workbook_lama.exists():
        raise PenggunaanSalah(f"Workbook periode lalu {workbook_lama} tidak ditemukan.")
    lama = OpenpyxlBook(load_workbook(workbook_lama, data_only=True, read_only=True))
    tabel = konteks.skema.tabel("indikator")
    # realisasi of earlier triwulan come only from a sealed record, with init --lanjut
    baris = [dict(d, **dict.fromkeys(konteks.skema.kolom_realisasi)) for d in read_table(lama, tabel)]
    write_table(book, tabel, baris, hapus_sisa=max(0, len(read_table_rows(book, tabel)) - len(baris)))
    konteks.catat(konteks.no("format"), "bawa-indikator", f"{len(baris)} indikator dari {workbook_lama.name}")
    return len(baris)


# ---- step 3 ---------------------------------------------------------------------------------------------

def distribusi(book: Book, konteks: Konteks, folder: Path | None = None) -> list[dict[str, Any]]:
    """Step 3: one standalone template per bidang (beside the workbook unless `folder` is given), logged with its
    SHA-256; the files are put in place once the master is saved. Finishes the step."""
    from macros_py.io.output.builder import build_format_bidang

    skema = konteks.skema
    konf = konteks.konfigurasi
    folder = folder if folder is not None else konteks.folder / FOLDER_FORMAT
    uow = konteks.uow
    assert uow is not None
    with langkah(book, konteks, "distribusi") as no:
        catatan = []
        versi = int(float(konf.pengaturan["versi_template"]))
        for b in konf.bidang:
            tabel = skema.tabel_bidang(b["sheet"])
            wb = build_format_bidang(skema, konf.tahun, konf.periode, versi, b, read_table_rows(book, tabel),
                                     baca_triwulan(konf.pengaturan.get("triwulan_tersegel")))
            path = folder / f"Format_EvKin_{konf.tahun}_{konf.periode}_{b['kode']}.xlsx"
            sementara = uow.stage(path)
            wb.save(sementara)
            identitas = cari_identitas(book.read(b["sheet"], 1, 1, 6, 12))
            catatan.append({"bidang": b["nama"], "berkas": konteks.relatif(path), "waktu": konteks.waktu,
                            "sha256": sha256_file(sementara), "identitas": identitas[0] if identitas else ""})
        append_rows(book, skema.tabel("distribusi"), catatan)
        konteks.catat(no, "distribusi", f"{len(catatan)} berkas format ke {konteks.relatif(folder)}")
    return catatan


# ---- step 4 ---------------------------------------------------------------------------------------------

def catat_rapat(book: Book, konteks: Konteks, tanggal: str | date | None, peserta: dict[str, str],
                kesimpulan: str) -> list[dict[str, Any]]:
    """Step 4: the coordination meeting — date, who attended per bidang, conclusion; finishes the step."""
    nama_bidang = {b["kode"]: b["nama"] for b in konteks.konfigurasi.bidang}
    if not peserta:
        raise PenggunaanSalah("Rapat tanpa peserta tidak dicatat: sebutkan peserta per bidang, mis. --peserta "
                              f"\"PEM=Andi, Sari\" (kode bidang: {', '.join(nama_bidang)}).")
    asing = [k for k in peserta if k not in nama_bidang]
    if asing:
        raise PenggunaanSalah(f"Kode bidang tidak dikenal pada --peserta: {', '.join(asing)} "
                              f"(yang ada: {', '.join(nama_bidang)}).")
    if not kesimpulan.strip():
        raise PenggunaanSalah("Kesimpulan rapat wajib diisi (--kesimpulan).")
    hari = datetime.combine(tanggal_isian(tanggal, konteks), datetime.min.time())
    baris = [{"tanggal": hari, "bidang": nama_bidang[k], "peserta": v.strip(), "kesimpulan": kesimpulan.strip(),
              "dicatat_oleh": konteks.pelaku.label()} for k, v in peserta.items()]
    tidak_hadir = [nama for k, nama in nama_bidang.items() if k not in peserta]
    with langkah(book, konteks, "rapat") as no:
        append_rows(book, konteks.skema.tabel("rapat"), baris)
        konteks.catat(no, "rapat", f"rapat {hari:%d-%m-%Y}, {len(baris)} bidang hadir"
                                   + (f"; tidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else ""))
    return baris
