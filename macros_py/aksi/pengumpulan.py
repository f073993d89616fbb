"""Steps 1–5: disposisi, format, distribusi, rapat, himpun — the data-collection cycle."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from macros_py.aksi.konteks import Konteks, tulis_pengaturan
from macros_py.aksi.sop import baca_status, jalankan_langkah
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.nama_berkas import kode_nama_berkas, periksa_nama_berkas
from macros_py.domain.validasi import Harapan, Kiriman, Masalah, cari_identitas, validasi_lembar
from macros_py.io.arsip.seal import sha256_file
from macros_py.io.book import Book, is_blank_row, read_table, read_table_rows, write_table
from macros_py.schema import Skema, Tabel

EKSTENSI_KIRIMAN = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods", ".csv")
FOLDER_BUKTI = "bukti_dukung"
STATUS_DITERIMA = "Diterima"
STATUS_TERLAMBAT = "Diterima (terlambat)"
BERKAS_PARALEL = 2_000_000  # bytes of submissions from which reading is spread over the cores


def _tambah_baris(book: Book, tabel: Tabel, baris: Sequence[dict[str, Any]]) -> None:
    write_table(book, tabel, baris, mulai=len(read_table_rows(book, tabel)))


def _tanggal(teks: str | date | None, konteks: Konteks) -> date:
    if teks is None or teks == "":
        return konteks.waktu.date()
    if isinstance(teks, date):
        return teks
    try:
        return date.fromisoformat(teks)
    except ValueError:
        raise PenggunaanSalah(f"Tanggal '{teks}' tidak dikenali; tulis seperti 2026-10-05.") from None


def _bidang(konteks: Konteks) -> list[dict[str, Any]]:
    return konteks.konfigurasi.bidang


def _harapan(konteks: Konteks) -> Harapan:
    p = konteks.konfigurasi.pengaturan
    return Harapan(konteks.konfigurasi.tahun, konteks.konfigurasi.periode, int(float(p["versi_template"])),
                   {b["kode"]: b["nama"] for b in _bidang(konteks)})


# ---- step 1 ---------------------------------------------------------------------------------------------

def catat_disposisi(book: Book, konteks: Konteks, nomor: str, tanggal: str | date | None, dari: str | None,
                    isi: str) -> dict[str, Any]:
    """Step 1: record the Pengguna Anggaran's disposisi; finishes the step."""
    dari = (dari or "").strip() or konteks.skema.organisasi["pemberi_disposisi"]
    if not isi.strip():
        raise PenggunaanSalah("Isi instruksi disposisi wajib diisi (--isi).")
    baris = {"nomor": nomor.strip(), "tanggal": datetime.combine(_tanggal(tanggal, konteks), datetime.min.time()),
             "dari": dari.strip(), "isi": isi.strip(), "dicatat_oleh": konteks.pelaku.label(),
             "waktu": konteks.waktu}

    def kerja() -> dict[str, Any]:
        _tambah_baris(book, konteks.skema.tabel("disposisi"), [baris])
        konteks.catat(1, "disposisi", f"nomor {baris['nomor'] or '-'} dari {baris['dari']}: {baris['isi'][:200]}")
        return baris

    return jalankan_langkah(book, konteks, 1, kerja)


# ---- step 2 ---------------------------------------------------------------------------------------------

def _baris_indikator(book: Book, konteks: Konteks) -> list[dict[str, Any]]:
    """The indicator list, validated like a submission (numbers, choices, duplicates) per bidang."""
    skema = konteks.skema
    tabel = skema.tabel("indikator")
    kode_sah = {b["kode"] for b in _bidang(konteks)}
    semua = book.read(tabel.sheet, 1, 1, tabel.kolom_awal - 1 + len(tabel.kolom))
    i_kode = tabel.kolom_awal - 1 + tabel.indeks("kode_bidang")
    masalah: list[Masalah] = []
    hasil: list[dict[str, Any]] = []
    for r, b in enumerate(semua[tabel.header_row:], start=tabel.baris_data):
        kode = str(b[i_kode] or "").strip()
        if kode and kode not in kode_sah:
            masalah.append(Masalah("", tabel.sheet, f"A{r}", f"kode bidang '{kode}' tidak dikenal "
                                                             f"(yang ada: {', '.join(sorted(kode_sah))})."))
    for kode in sorted(kode_sah):
        # each bidang's rows are validated like a submission; other bidang's rows are blanked out
        baris = [b if r < tabel.header_row or str(b[i_kode] or "").strip() == kode else [None] * len(b)
                 for r, b in enumerate(semua)]
        k = validasi_lembar("", tabel.sheet, baris, tabel.kolom[1:], None, boleh_kosong=True)
        masalah += k.galat
        hasil += [dict(d, kode_bidang=kode) for d in k.baris]
    if masalah:
        raise InputDitolak("Daftar Indikator berisi kesalahan; format tidak dibuat.", [str(m) for m in masalah])
    return hasil


def buat_format(book: Book, konteks: Konteks, dari_workbook: Path | None = None) -> dict[str, int]:
    """Step 2: the input template per bidang, prefilled from the indicator list; finishes the step.

    Running it again (after reopening step 2) raises the template version, so files of the old version are
    recognised as stale when they come back.
    """
    skema = konteks.skema

    def kerja() -> dict[str, int]:
        if dari_workbook is not None:
            bawa_indikator(book, konteks, dari_workbook)
        indikator = _baris_indikator(book, konteks)
        pengaturan = konteks.konfigurasi.pengaturan
        versi = int(float(pengaturan["versi_template"]))
        if str(pengaturan.get("format_dibuat") or "").strip():
            versi += 1
        tulis_pengaturan(book, skema, {"versi_template": versi, "format_dibuat": konteks.waktu.isoformat(sep=" ")})
        konteks.konfigurasi.pengaturan.update(versi_template=versi)
        kepala = skema.sheet("bidang").ekstra["kepala"]
        baris_identitas = kepala["baris_awal"] + [f["key"] for f in kepala["isian"]].index("identitas")
        jumlah: dict[str, int] = {}
        from macros_py.io.output.builder import identitas_template

        for b in _bidang(konteks):
            tabel = skema.tabel_bidang(b["sheet"])
            book.write(b["sheet"], baris_identitas, kepala["kolom_nilai"],
                       [[identitas_template(konteks.konfigurasi.tahun, konteks.konfigurasi.periode, b["kode"], versi)]])
            milik = [dict(d, no=i) for i, d in enumerate((d for d in indikator if d["kode_bidang"] == b["kode"]), 1)]
            lama = len(read_table_rows(book, tabel))
            write_table(book, tabel, milik, hapus_sisa=max(0, lama - len(milik)))
            jumlah[b["kode"]] = len(milik)
        konteks.catat(2, "format", f"format v{versi} untuk {len(jumlah)} bidang; indikator terisi: "
                                   + ", ".join(f"{k} {n}" for k, n in jumlah.items()))
        return jumlah

    return jalankan_langkah(book, konteks, 2, kerja)


def bawa_indikator(book: Book, konteks: Konteks, workbook_lama: Path) -> int:
    """Carry the indicator list over from a previous period's master (its Daftar Indikator)."""
    from openpyxl import load_workbook

    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

    if not workbook_lama.exists():
        raise PenggunaanSalah(f"Workbook periode lalu {workbook_lama} tidak ditemukan.")
    lama = OpenpyxlBook(load_workbook(workbook_lama, data_only=True, read_only=True))
    tabel = konteks.skema.tabel("indikator")
    baris = read_table(lama, tabel)
    write_table(book, tabel, baris, hapus_sisa=max(0, len(read_table_rows(book, tabel)) - len(baris)))
    konteks.catat(2, "bawa-indikator", f"{len(baris)} indikator dari {workbook_lama.name}")
    return len(baris)


# ---- step 3 ---------------------------------------------------------------------------------------------

def distribusi(book: Book, konteks: Konteks, folder: Path) -> list[dict[str, Any]]:
    """Step 3: one standalone template per bidang in `folder`, logged with its SHA-256; finishes the step."""
    from macros_py.io.output.builder import build_format_bidang
    from macros_py.io.unit_of_work import save_atomic

    skema = konteks.skema
    konf = konteks.konfigurasi

    def kerja() -> list[dict[str, Any]]:
        folder.mkdir(parents=True, exist_ok=True)
        catatan = []
        for b in _bidang(konteks):
            tabel = skema.tabel_bidang(b["sheet"])
            versi = int(float(konf.pengaturan["versi_template"]))
            wb = build_format_bidang(skema, konf.tahun, konf.periode, versi, b, read_table_rows(book, tabel))
            path = folder / f"Format_EvKin_{konf.tahun}_{konf.periode}_{b['kode']}.xlsx"
            save_atomic(path, wb.save, cadangan=False)
            identitas = cari_identitas(book.read(b["sheet"], 1, 1, 6, 12))
            catatan.append({"bidang": b["nama"], "berkas": str(path), "waktu": konteks.waktu,
                            "sha256": sha256_file(path), "identitas": identitas[0] if identitas else ""})
        _tambah_baris(book, skema.tabel("distribusi"), catatan)
        konteks.catat(3, "distribusi", f"{len(catatan)} berkas format ke {folder}")
        return catatan

    return jalankan_langkah(book, konteks, 3, kerja)


# ---- step 4 ---------------------------------------------------------------------------------------------

def catat_rapat(book: Book, konteks: Konteks, tanggal: str | date | None, peserta: dict[str, str],
                kesimpulan: str) -> list[dict[str, Any]]:
    """Step 4: the coordination meeting — date, who attended per bidang, conclusion; finishes the step."""
    nama_bidang = {b["kode"]: b["nama"] for b in _bidang(konteks)}
    asing = [k for k in peserta if k not in nama_bidang]
    if asing:
        raise PenggunaanSalah(f"Kode bidang tidak dikenal pada --peserta: {', '.join(asing)} "
                              f"(yang ada: {', '.join(nama_bidang)}).")
    if not kesimpulan.strip():
        raise PenggunaanSalah("Kesimpulan rapat wajib diisi (--kesimpulan).")
    hari = datetime.combine(_tanggal(tanggal, konteks), datetime.min.time())
    baris = [{"tanggal": hari, "bidang": nama_bidang[k], "peserta": v.strip(), "kesimpulan": kesimpulan.strip(),
              "dicatat_oleh": konteks.pelaku.label()} for k, v in peserta.items()]
    tidak_hadir = [nama for k, nama in nama_bidang.items() if k not in peserta]

    def kerja() -> list[dict[str, Any]]:
        _tambah_baris(book, konteks.skema.tabel("rapat"), baris)
        konteks.catat(4, "rapat", f"rapat {hari:%d-%m-%Y}, {len(baris)} bidang hadir"
                                  + (f"; tidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else ""))
        return baris

    return jalankan_langkah(book, konteks, 4, kerja)


# ---- step 5 ---------------------------------------------------------------------------------------------

@dataclass
class HasilHimpun:
    """What `himpun` did. `tidak_diproses`: files of a folder that are no evaluation format (no template
    identity, not named like a distributed format), each {"berkas": name, "alasan": why}; nothing was read
    from them."""

    diterima: list[Kiriman] = field(default_factory=list)
    ditolak: list[Kiriman] = field(default_factory=list)
    peringatan: list[Masalah] = field(default_factory=list)
    belum_mengirim: list[str] = field(default_factory=list)
    tidak_diproses: list[dict[str, str]] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        def satu(k: Kiriman) -> dict[str, Any]:
            return {"berkas": k.berkas, "sheet": k.sheet, "bidang": k.kode_bidang, "baris": k.jumlah_baris,
                    "galat": [m.__dict__ for m in k.galat], "peringatan": [m.__dict__ for m in k.peringatan]}

        return {"status": "ditolak" if self.ditolak else "diterima", "diterima": [satu(k) for k in self.diterima],
                "ditolak": [satu(k) for k in self.ditolak], "belum_mengirim": self.belum_mengirim,
                "tidak_diproses": self.tidak_diproses}


@dataclass
class _Sumber:
    """Where a submission came from: a file (with its folder for bukti dukung) or a master sheet."""

    kiriman: Kiriman
    sha256: str
    folder: Path | None


def kumpulkan_berkas(argumen: Sequence[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly). Named files are submissions; in a folder, the spreadsheet-like files are."""
    hasil: list[tuple[Path, bool]] = []
    for p in argumen:
        if p.is_dir():
            hasil += sorted((f, False) for f in p.iterdir() if f.is_file()
                            and f.suffix.lower() in EKSTENSI_KIRIMAN and not f.name.startswith(("~$", ".")))
        else:
            hasil.append((p, True))
    return hasil


def _baca_berkas(path: Path, harapan: Harapan, kolom: Sequence[Any], eksplisit: bool) -> tuple[list[_Sumber], str]:
    """Read and validate one file: its submissions, and why it is not processed when it is none.

    A file named explicitly, or named like a distributed format, without a template identity is a rejection;
    any other file of a folder without one is not processed (the reason is returned).
    Runs in a worker process when there are many files, hence plain arguments and a returned note."""
    from macros_py.io.kiriman.reader import FileRejected, read_kiriman

    try:
        berkas = read_kiriman(path)
    except FileRejected as e:
        return [_Sumber(Kiriman(path.name, "", galat=[Masalah(path.name, "", "", e.pesan)]), "", None)], ""
    hasil = []
    for lembar in berkas.lembar:
        if cari_identitas(lembar.baris) is None:
            continue
        k = validasi_lembar(path.name, lembar.nama, lembar.baris, kolom, harapan, lembar.baris_tersembunyi,
                            facts=lembar)
        if berkas.punya_makro:
            k.peringatan.append(Masalah(path.name, "", "", "berkas berisi makro; hanya data yang dibaca, makro "
                                                           "tidak disimpan dan tidak dijalankan."))
        hasil.append(_Sumber(k, berkas.sha256, path.parent))
    if hasil:
        return hasil, ""
    daftar = ", ".join(lembar.nama for lembar in berkas.lembar) or "tidak ada sheet"
    if kode_nama_berkas(path.name, harapan.bidang) is not None:
        pesan = (f"berkas ini bernama seperti format yang dibagikan, tetapi identitas template (EVKIN-...) tidak ada "
                 f"di blok kepala sheet mana pun (sheet: {daftar}): blok kepala terhapus atau tertimpa, atau tabelnya "
                 "disalin ke buku kerja baru. Isi format yang dibagikan tanpa mengubah blok kepala, lalu kirim ulang.")
    elif eksplisit:
        pesan = ("tidak ada sheet format evaluasi kinerja (identitas template EVKIN-... tidak ditemukan di sheet "
                 f"mana pun: {daftar}).")
    else:
        return [], f"bukan format evaluasi kinerja (tidak ada identitas template EVKIN-... di sheet: {daftar})"
    return [_Sumber(Kiriman(path.name, "", galat=[Masalah(path.name, "", "", pesan)]), berkas.sha256, None)], ""


def _baca_semua_berkas(berkas: Sequence[Path], konteks: Konteks,
                       info: Callable[[str], None]) -> tuple[list[_Sumber], list[dict[str, str]]]:
    """Every file read and validated (in parallel when there are many), in the order given, and the files of
    a folder that are not processed."""
    from macros_py.io.parallel import parallel_map

    harapan, kolom = _harapan(konteks), konteks.skema.tabel("bidang").kolom
    daftar = kumpulkan_berkas(berkas)
    hasil = parallel_map(lambda x: _baca_berkas(x[0], harapan, kolom, x[1]), daftar,
                 bobot=[p.stat().st_size if p.is_file() else 0 for p, _ in daftar], cukup=BERKAS_PARALEL)
    sumber, tidak_diproses = [], []
    for (path, _), (s, alasan) in zip(daftar, hasil, strict=True):
        if alasan:
            info(f"Tidak diproses: {path.name} — {alasan}.")
            tidak_diproses.append({"berkas": path.name, "alasan": alasan})
        sumber += s
    periksa_nama_berkas([s.kiriman for s in sumber], harapan.bidang)
    return sumber, tidak_diproses


def _baca_master(book: Book, konteks: Konteks, hanya_sheet: str | None = None) -> list[_Sumber]:
    """Bidang sheets filled inside the master (the sheets with at least one indicator row)."""
    harapan = _harapan(konteks)
    kolom = konteks.skema.tabel("bidang").kolom
    hasil = []
    for b in _bidang(konteks):
        if hanya_sheet is not None and b["sheet"] != hanya_sheet:
            continue  # the Excel button on one bidang sheet sends that sheet only
        nilai = book.read_values(b["sheet"])
        k = validasi_lembar("workbook induk", b["sheet"], nilai, kolom, harapan)
        if k.galat and not k.baris and all("tidak ada data" in m.pesan for m in k.galat):
            continue  # an untouched bidang sheet is not a submission
        hasil.append(_Sumber(k, _sidik_lembar(nilai), None))
    return hasil


def _sidik_lembar(nilai: list[list[Any]]) -> str:
    """SHA-256 of a sheet's values, the same whichever engine read them (trailing blank cells and rows, which
    engines report differently, are left out)."""
    baris = [b[: max((i + 1 for i, v in enumerate(b) if v not in (None, "")), default=0)] for b in nilai]
    while baris and not baris[-1]:
        baris.pop()
    return hashlib.sha256(repr(baris).encode()).hexdigest()


def _batas_himpun(book: Book, konteks: Konteks) -> date | None:
    mulai = {s.no: s for s in baca_status(book, konteks.skema)}[5].mulai
    if mulai is None:
        return None
    lk = konteks.mesin.langkah[5]
    return konteks.mesin.kalender.batas_waktu(mulai.date(), lk.waktu.nilai)


def himpun(book: Book, konteks: Konteks, berkas: Sequence[Path] = (), folder_bukti: Path | None = None,
           info: Callable[[str], None] | None = None, hanya_sheet: str | None = None) -> HasilHimpun:
    """Step 5: validate every submission completely; write all of them, or nothing (exit 3) if any fails.

    With no files, the bidang sheets filled inside the master are collected (only `hanya_sheet` if given).
    """
    skema = konteks.skema
    nama_bidang = {b["kode"]: b["nama"] for b in _bidang(konteks)}
    info = info or konteks.info
    hasil = HasilHimpun()
    if berkas:
        sumber, hasil.tidak_diproses = _baca_semua_berkas(berkas, konteks, info)
    else:
        sumber = _baca_master(book, konteks, hanya_sheet)
    if hanya_sheet is not None and not berkas and not sumber:
        raise PenggunaanSalah(f"Sheet {hanya_sheet} belum berisi data indikator; isi dulu, lalu kirim lagi.")
    if berkas and not sumber and hasil.tidak_diproses:
        galat = InputDitolak("Tidak ada kiriman yang dapat diproses: tidak satu pun berkas adalah format evaluasi "
                             "kinerja; workbook induk tidak diubah.",
                             [f"{x['berkas']}: tidak diproses, {x['alasan']}" for x in hasil.tidak_diproses])
        galat.hasil = hasil  # type: ignore[attr-defined]
        raise galat
    if berkas and not sumber:
        raise PenggunaanSalah("Tidak ada berkas kiriman (.xlsx/.xlsm) di " + ", ".join(map(str, berkas)) + ".")
    if not sumber:
        raise PenggunaanSalah("Belum ada sheet bidang yang diisi di workbook induk, dan tidak ada berkas yang "
                              "diberikan. Contoh: evkin himpun kiriman/")
    pelaku = konteks.pelaku
    dilihat: dict[str, str] = {}
    for s in sumber:
        k = s.kiriman
        if not k.kode_bidang:
            continue
        if pelaku.peran == "kepala_bidang" and k.kode_bidang != pelaku.bidang:
            k.galat.append(Masalah(k.berkas, k.sheet, "", f"{pelaku.label()} hanya boleh mengirim data bidangnya "
                                                          f"sendiri ({pelaku.bidang or '-'}), bukan {k.kode_bidang}."))
        if k.kode_bidang in dilihat:
            k.galat.append(Masalah(k.berkas, k.sheet, "", f"bidang {k.kode_bidang} dikirim dua kali dalam satu "
                                                          f"perintah (juga di {dilihat[k.kode_bidang]})."))
        dilihat.setdefault(k.kode_bidang, k.berkas)
    for s in sumber:
        (hasil.diterima if s.kiriman.diterima else hasil.ditolak).append(s.kiriman)
    if hasil.ditolak:
        masalah = [str(m) for k in hasil.ditolak for m in k.galat]
        lain = f" {len(hasil.diterima)} kiriman lain valid tetapi tidak disimpan." if hasil.diterima else ""
        galat = InputDitolak(f"{len(hasil.ditolak)} kiriman ditolak; workbook induk tidak diubah.{lain}", masalah)
        galat.hasil = hasil  # type: ignore[attr-defined]
        raise galat

    def kerja() -> HasilHimpun:
        batas = _batas_himpun(book, konteks)
        terlambat = batas is not None and konteks.waktu.date() > batas
        penerimaan, bukti_baru = [], []
        rekap_baru: dict[str, list[dict[str, Any]]] = {}
        bidang = {x["kode"]: x for x in _bidang(konteks)}
        for s in sumber:
            k = s.kiriman
            b = bidang[k.kode_bidang]
            if s.folder is not None:  # a file: its rows become the bidang sheet's rows in the master
                tabel = skema.tabel_bidang(b["sheet"])
                # the old rows are blanked without being read (a kabupaten's sheets hold 30,000 of them)
                lama = book.last_row(tabel.sheet) - tabel.baris_data + 1
                write_table(book, tabel, k.baris, hapus_sisa=max(0, lama - len(k.baris)))
            rekap_baru[b["nama"]] = k.baris
            bukti = _simpan_bukti(k, s.folder, folder_bukti, konteks, b)
            bukti_baru.append((b["nama"], bukti))
            k.peringatan += [Masalah(k.berkas, k.sheet, "", f"bukti dukung '{x['nama']}' tidak ditemukan di folder "
                                                            "kiriman.") for x in bukti if x["status"] == "tidak ada"]
            penerimaan.append({
                "waktu": konteks.waktu, "bidang": b["nama"], "berkas": k.berkas if s.folder else f"sheet {k.sheet}",
                "sha256": s.sha256, "baris": len(k.baris), "status": STATUS_TERLAMBAT if terlambat else STATUS_DITERIMA,
                "peringatan": "; ".join(f"{m.sel}: {m.pesan}" if m.sel else m.pesan for m in k.peringatan)[:2000],
                "oleh": konteks.pelaku.label(),
            })
            konteks.catat(5, "himpun", f"{b['nama']}: {len(k.baris)} baris dari {penerimaan[-1]['berkas']} "
                                       f"(sha256 {s.sha256[:12]}), {len(k.peringatan)} peringatan"
                                       + (", terlambat" if terlambat else ""))
            hasil.peringatan += k.peringatan
        _ganti_rekap(book, skema, rekap_baru, [x["nama"] for x in _bidang(konteks)])
        for s in sumber:
            s.kiriman.lepas_baris()  # written: the result reports their number, until the master is saved
        _tambah_baris(book, skema.tabel("penerimaan"), penerimaan)
        _ganti_bukti(book, skema, bukti_baru)
        if terlambat:
            info(f"Perhatian: kiriman diterima setelah batas {batas:%d-%m-%Y} (2 hari kerja langkah 5).")
        sudah = {r["bidang"] for r in read_table(book, skema.tabel("penerimaan"))}
        hasil.belum_mengirim = [n for n in nama_bidang.values() if n not in sudah]
        return hasil

    return jalankan_langkah(book, konteks, 5, kerja, selesai=False)


def _ganti_rekap(book: Book, skema: Skema, baru_per_bidang: dict[str, list[dict[str, Any]]],
                 urutan_bidang: list[str]) -> None:
    """Each submitting bidang's rows replace its previous rows in Rekap (no duplicates), in bidang order.

    One read and one write of Rekap for the whole command, however many files: it grows with the rows. Rows
    are built as lists straight from the submissions (no copy of every row as a dict: 200,000 rows at
    province scale).
    """
    tabel = skema.tabel("rekap")
    i_bidang, i_no = tabel.indeks("bidang"), tabel.indeks("no")
    mentah = read_table_rows(book, tabel)
    lama = [b for b in mentah if not is_blank_row(b)]
    baru = [b for b in lama if b[i_bidang] not in baru_per_bidang]
    for nama, baris in baru_per_bidang.items():
        for r in baris:
            b = list(map(r.get, tabel.keys))
            b[i_bidang] = nama
            baru.append(b)
    posisi = {n: i for i, n in enumerate(urutan_bidang)}
    baru.sort(key=lambda b: (posisi.get(b[i_bidang], len(posisi)), b[i_no] or 0))
    kosong = [[None] * len(tabel.keys) for _ in range(max(0, len(mentah) - len(baru)))]
    if baru or kosong:
        book.write(tabel.sheet, tabel.baris_data, tabel.kolom_awal, baru + kosong)
    book.keep_for_next(tabel.sheet)  # the analysis (step 6) reads the whole Rekap next


def _ganti_bukti(book: Book, skema: Skema, bukti_baru: list[tuple[str, list[dict[str, Any]]]]) -> None:
    tabel = skema.tabel("bukti")
    lama = read_table(book, tabel)
    diganti = {nama for nama, _ in bukti_baru}
    baru = [r for r in lama if r["bidang"] not in diganti] + [dict(x, bidang=nama) for nama, xs in bukti_baru
                                                              for x in xs]
    write_table(book, tabel, baru, hapus_sisa=max(0, len(lama) - len(baru)))


def _simpan_bukti(k: Kiriman, folder_kiriman: Path | None, folder_bukti: Path | None, konteks: Konteks,
                  bidang: dict[str, Any]) -> list[dict[str, Any]]:
    """Copy each named bukti dukung file into the period's evidence folder, with its SHA-256.

    Only the base name is used and only the submission's own folder is searched, so a name like
    '../../rahasia.txt' cannot reach outside it. Links are recorded, never fetched.
    """
    hasil = []
    for d in k.baris:
        for nama in [x.strip() for x in str(d.get("bukti_dukung") or "").replace("\n", ";").split(";")]:
            if not nama:
                continue
            catatan = {"indikator": d.get("indikator"), "nama": nama, "status": "", "lokasi": "", "sha256": ""}
            if nama.lower().startswith(("http://", "https://")):
                catatan["status"] = "tautan"
            elif folder_kiriman is not None and (folder_kiriman / Path(nama).name).is_file() and folder_bukti:
                asal = folder_kiriman / Path(nama).name
                sha = sha256_file(asal)
                tujuan = folder_bukti / bidang["kode"] / f"{sha[:12]}_{asal.name}"
                tujuan.parent.mkdir(parents=True, exist_ok=True)
                if not tujuan.exists():
                    shutil.copyfile(asal, tujuan)
                catatan.update(status="disimpan", lokasi=str(tujuan), sha256=sha)
            else:
                catatan["status"] = "tidak ada"
            hasil.append(catatan)
    return hasil


def status_bidang(book: Book, skema: Skema, batas: date | None, sekarang: datetime) -> list[dict[str, Any]]:
    """Per bidang: last accepted submission, rows, and whether it is missing or late against step 5."""
    from macros_py.aksi.konteks import baca_konfigurasi

    terakhir: dict[str, dict[str, Any]] = {}
    for r in read_table(book, skema.tabel("penerimaan")):
        terakhir[r["bidang"]] = r
    hasil = []
    for b in baca_konfigurasi(book, skema).bidang:
        r = terakhir.get(b["nama"])
        if r is None:
            keadaan = "terlambat, belum mengirim" if batas and sekarang.date() > batas else "belum mengirim"
        else:
            keadaan = str(r["status"])
        hasil.append({"bidang": b["nama"], "kode": b["kode"], "keadaan": keadaan,
                      "terakhir": r["waktu"].isoformat(sep=" ") if r and isinstance(r["waktu"], datetime) else None,
                      "baris": r["baris"] if r else 0})
    return hasil
