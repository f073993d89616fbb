"""Step 5: himpun — every bidang's submission validated completely, then written, or nothing is."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from macros_py.aksi.langkah import Konteks, baca_konfigurasi, baca_status, langkah
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.domain.nama_berkas import kode_nama_berkas, periksa_nama_berkas
from macros_py.domain.sop import MesinSop, StatusLangkah
from macros_py.domain.validasi import Harapan, Kiriman, Masalah, cari_identitas, validasi_lembar
from macros_py.io.book import Book, append_rows, is_blank_row, read_table, read_table_rows, write_table
from macros_py.io.files import sha256_file
from macros_py.schema import Skema

EKSTENSI_KIRIMAN = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods", ".csv")
FOLDER_BUKTI = "bukti_dukung"
FOLDER_KIRIMAN = "kiriman_diterima"  # accepted submission files, kept for the record
STATUS_DITERIMA = "Diterima"
STATUS_TERLAMBAT = "Diterima (terlambat)"
BERKAS_PARALEL = 2_000_000  # bytes of submissions from which reading is spread over the cores


def _bidang(konteks: Konteks) -> list[dict[str, Any]]:
    return konteks.konfigurasi.bidang


def _harapan(konteks: Konteks) -> Harapan:
    p = konteks.konfigurasi.pengaturan
    return Harapan(konteks.konfigurasi.tahun, konteks.konfigurasi.periode, int(float(p["versi_template"])),
                   {b["kode"]: b["nama"] for b in _bidang(konteks)})


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
    """Where a submission came from: a file (its folder holds the bukti dukung) or a master sheet (no path)."""

    kiriman: Kiriman
    sha256: str
    path: Path | None


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
        hasil.append(_Sumber(k, berkas.sha256, path))
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


def batas_himpun(status: list[StatusLangkah], mesin: MesinSop, sekarang: datetime) -> datetime | None:
    """The bidang's deadline: the mutu baku of the himpun step from the end of the step it runs from (distribusi);
    None before that step finished."""
    no = next(lk.no for lk in mesin.langkah.values() if lk.aksi == "himpun")
    acuan = mesin.acuan_mulai(no)
    if acuan is None or {s.no: s for s in status}[acuan].selesai is None:
        return None
    return mesin.batas(no, mesin.waktu_mulai(status, no, sekarang))


def himpun(book: Book, konteks: Konteks, berkas: Sequence[Path] = (), hanya_sheet: str | None = None) -> HasilHimpun:
    """Step 5: validate every submission completely; write all of them, or nothing (exit 3) if any fails.

    With no files, the bidang sheets filled inside the master are collected (only `hanya_sheet` if given).
    Accepted files and their bukti dukung are kept beside the workbook (the record archives them) once the
    master is saved.
    """
    skema = konteks.skema
    nama_bidang = {b["kode"]: b["nama"] for b in _bidang(konteks)}
    info = konteks.info
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

    with langkah(book, konteks, "himpun", selesai=False) as no:
        batas = batas_himpun(baca_status(book, konteks.skema), konteks.mesin, konteks.waktu)
        terlambat = batas is not None and konteks.waktu > batas
        penerimaan, bukti_baru = [], []
        rekap_baru: dict[str, list[dict[str, Any]]] = {}
        bidang = {x["kode"]: x for x in _bidang(konteks)}
        simpanan = _Simpanan(konteks)
        for s in sumber:
            k = s.kiriman
            b = bidang[k.kode_bidang]
            if s.path is not None:  # a file: its rows become the bidang sheet's rows in the master
                tabel = skema.tabel_bidang(b["sheet"])
                # the old rows are blanked without being read (a kabupaten's sheets hold 30,000 of them)
                lama = book.last_row(tabel.sheet) - tabel.baris_data + 1
                write_table(book, tabel, k.baris, hapus_sisa=max(0, lama - len(k.baris)))
            rekap_baru[b["nama"]] = k.baris
            bukti = _simpan_bukti(k, s.path.parent if s.path else None, simpanan, b)
            bukti_baru.append((b["nama"], bukti))
            k.peringatan += [Masalah(k.berkas, k.sheet, "", f"bukti dukung '{x['nama']}' tidak ditemukan di folder "
                                                            "kiriman.") for x in bukti if x["status"] == "tidak ada"]
            tercatat = (simpanan.simpan(s.path, b["kode"], FOLDER_KIRIMAN, s.sha256) if s.path
                        else f"sheet {k.sheet}")
            penerimaan.append({
                "waktu": konteks.waktu, "bidang": b["nama"], "berkas": tercatat,
                "sha256": s.sha256, "baris": len(k.baris), "status": STATUS_TERLAMBAT if terlambat else STATUS_DITERIMA,
                "peringatan": "; ".join(f"{m.sel}: {m.pesan}" if m.sel else m.pesan for m in k.peringatan)[:2000],
                "oleh": konteks.pelaku.label(),
            })
            konteks.catat(no, "himpun", f"{b['nama']}: {len(k.baris)} baris dari {k.berkas if s.path else tercatat} "
                                        f"(sha256 {s.sha256[:12]}), {len(k.peringatan)} peringatan"
                                        + (", terlambat" if terlambat else ""))
            hasil.peringatan += k.peringatan
        _ganti_rekap(book, skema, rekap_baru, [x["nama"] for x in _bidang(konteks)])
        for s in sumber:
            s.kiriman.lepas_baris()  # written: the result reports their number, until the master is saved
        append_rows(book, skema.tabel("penerimaan"), penerimaan)
        _ganti_bukti(book, skema, bukti_baru)
        if terlambat:
            baku = konteks.mesin.langkah[no].waktu.teks()
            info(f"Perhatian: kiriman diterima setelah batas {batas:%d-%m-%Y %H:%M} ({baku} langkah {no}).")
        sudah = {r["bidang"] for r in read_table(book, skema.tabel("penerimaan"))}
        hasil.belum_mengirim = [n for n in nama_bidang.values() if n not in sudah]
    return hasil


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


class _Simpanan:
    """Copies kept beside the workbook (`<folder>/<tahun>-<periode>/<kode bidang>/<sha>_<name>`): content-named,
    so a file sent twice is kept once; staged, so they appear only when the master is saved."""

    def __init__(self, konteks: Konteks) -> None:
        self.konteks = konteks
        self.periode = f"{konteks.konfigurasi.tahun}-{konteks.konfigurasi.periode}"
        self.disiapkan: set[Path] = set()

    def simpan(self, asal: Path, kode: str, folder: str, sha: str) -> str:
        """Keep a copy of `asal`; returns the path recorded in the workbook (relative to its folder)."""
        tujuan = self.konteks.folder / folder / self.periode / kode / f"{sha[:12]}_{asal.name}"
        if not tujuan.exists() and tujuan not in self.disiapkan and self.konteks.uow is not None:
            shutil.copyfile(asal, self.konteks.uow.stage(tujuan))
            self.disiapkan.add(tujuan)
        return self.konteks.relatif(tujuan)


def _simpan_bukti(k: Kiriman, folder_kiriman: Path | None, simpanan: _Simpanan,
                  bidang: dict[str, Any]) -> list[dict[str, Any]]:
    """Keep each named bukti dukung file in the period's evidence folder, with its SHA-256.

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
            elif folder_kiriman is not None and (folder_kiriman / Path(nama).name).is_file():
                asal = folder_kiriman / Path(nama).name
                sha = sha256_file(asal)
                catatan.update(status="disimpan", lokasi=simpanan.simpan(asal, bidang["kode"], FOLDER_BUKTI, sha),
                               sha256=sha)
            else:
                catatan["status"] = "tidak ada"
            hasil.append(catatan)
    return hasil


def status_bidang(book: Book, skema: Skema, batas: datetime | None, sekarang: datetime) -> list[dict[str, Any]]:
    """Per bidang: last accepted submission, rows, and whether it is missing or late against step 5."""

    terakhir: dict[str, dict[str, Any]] = {b["bidang"]: b for b in read_table(book, skema.tabel("penerimaan"))}
    hasil = []
    for b in baca_konfigurasi(book, skema).bidang:
        r = terakhir.get(b["nama"])
        if r is None:
            keadaan = "terlambat, belum mengirim" if batas and sekarang > batas else "belum mengirim"
        else:
            keadaan = str(r["status"])
        hasil.append({"bidang": b["nama"], "kode": b["kode"], "keadaan": keadaan,
                      "terakhir": r["waktu"].isoformat(sep=" ") if r and isinstance(r["waktu"], datetime) else None,
                      "baris": r["baris"] if r else 0})
    return hasil


def belum_mengirim(book: Book, skema: Skema) -> list[str]:
    """The bidang with no accepted submission yet."""
    return [b["bidang"] for b in status_bidang(book, skema, None, datetime.now()) if b["keadaan"] == "belum mengirim"]
