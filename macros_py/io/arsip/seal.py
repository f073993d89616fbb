"""Sealing a period's record folder: a frozen workbook copy and a manifest of every file's SHA-256.

The manifest lets anyone later show that the archived files are the ones sealed. MANIFEST.sha256 only catches an
edited manifest; someone rewriting both files is caught only if the manifest hash was also recorded elsewhere
(e.g. in the tamper-evident Log), so callers should log it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from macros_py.domain.errors import PenggunaanSalah
from macros_py.io.files import izin_normal, replace_file, sha256_file

if TYPE_CHECKING:
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook

MANIFEST_NAME = "MANIFEST.json"
MANIFEST_HASH_NAME = "MANIFEST.sha256"
FORMAT_MANIFEST = "evkin-manifest/1"
MANIFEST_SIGNATURE_NAME = "MANIFEST.json.p7s"  # detached CMS signature of MANIFEST.json by the archiver's key
_BERKAS_SEGEL = (MANIFEST_NAME, MANIFEST_HASH_NAME, MANIFEST_SIGNATURE_NAME)
# Files an operating system puts into any folder it shows (thumbnails, folder settings): named, never a failure.
BERKAS_SISTEM = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"})


def freeze_workbook(sumber: Path | OpenpyxlBook, tujuan: Path) -> None:
    """Write a read-only copy holding values, not formulas, so the archived figures can no longer recalculate.

    `sumber` is a workbook file, or the book an action holds in memory (step 11 freezes the master it has just
    written, without saving and reading it back): the book is left exactly as it was, formulas and protection,
    for the master to be saved from it. Formulas take the value Excel last cached in the file; a formula never
    calculated (e.g. written by openpyxl) becomes empty rather than guessing. Every sheet and the workbook structure
    are protected without a password: the aim is to stop accidental edits, the manifest is what proves nothing
    changed.
    """
    from openpyxl.chartsheet.protection import ChartsheetProtection  # only archiving needs openpyxl; status and
    from openpyxl.workbook.protection import WorkbookProtection  # himpun import this module too
    from openpyxl.worksheet.protection import SheetProtection

    tujuan = Path(tujuan)
    if isinstance(sumber, Path) and not sumber.is_file():
        raise PenggunaanSalah(f"Workbook sumber {sumber} tidak ditemukan.")
    if tujuan.suffix.lower() != ".xlsx":
        raise PenggunaanSalah(f"Salinan beku harus berakhiran .xlsx (tanpa makro), bukan {tujuan.name}.")
    if tujuan.exists():
        raise PenggunaanSalah(f"{tujuan} sudah ada; salinan beku tidak ditimpa. Pilih nama lain atau hapus dulu.")
    if not tujuan.parent.is_dir():
        raise PenggunaanSalah(f"Folder tujuan {tujuan.parent} tidak ada.")
    if isinstance(sumber, Path):
        from openpyxl import load_workbook

        from macros_py.io.engines.openpyxl_book import OpenpyxlBook

        sumber = OpenpyxlBook(load_workbook(sumber), sumber)
    wb = sumber.wb

    rumus = [(sel, sel.value) for lembar in wb.worksheets for baris in lembar.iter_rows() for sel in baris
             if sel.data_type == "f"]
    tersimpan = _nilai_tersimpan(sumber.path, {sel.parent.title for sel, _ in rumus}) if rumus else {}
    perlindungan = ([lembar.protection for lembar in wb.worksheets],
                    [grafik.sheetProtection for grafik in wb.chartsheets], wb.security)
    fd, sementara = tempfile.mkstemp(prefix=".beku-", suffix=".xlsx", dir=tujuan.parent)
    os.close(fd)
    try:
        for sel, _ in rumus:
            sel.value = tersimpan.get((sel.parent.title, sel.row, sel.column))
        for lembar in wb.worksheets:
            lembar.protection = SheetProtection(sheet=True)  # fresh: any password on the source is dropped
        for grafik in wb.chartsheets:
            grafik.sheetProtection = ChartsheetProtection(content=True, objects=True)
        wb.security = WorkbookProtection(lockStructure=True)
        wb.save(sementara)
        os.chmod(sementara, 0o444)  # read-only for everyone: an archive is not edited in place
        replace_file(Path(sementara), tujuan)
    except BaseException:
        Path(sementara).unlink(missing_ok=True)
        raise
    finally:  # the book as it was
        for sel, rumus_asli in rumus:
            sel.value = rumus_asli
        for lembar, lama in zip(wb.worksheets, perlindungan[0], strict=True):
            lembar.protection = lama
        for grafik, lama_grafik in zip(wb.chartsheets, perlindungan[1], strict=True):
            grafik.sheetProtection = lama_grafik
        wb.security = perlindungan[2]


def _nilai_tersimpan(path: Path | None, sheets: set[str]) -> dict[tuple[str, int, int], Any]:
    """The values last cached in the file for the cells of `sheets` (one read-only pass), by (sheet, row, column)."""
    if path is None:
        return {}
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True, read_only=True)
    try:
        return {(nama, r, c): v for nama in sheets if nama in wb.sheetnames
                for r, baris in enumerate(wb[nama].iter_rows(min_row=1, min_col=1, values_only=True), start=1)
                for c, v in enumerate(baris, start=1) if v is not None}
    finally:
        wb.close()


def make_read_only(folder: Path) -> None:
    """Every file of a sealed record read-only for everyone (an archive is not edited in place)."""
    for akar, _, nama_berkas in os.walk(folder):
        for nama in nama_berkas:
            os.chmod(Path(akar) / nama, 0o444)


def _daftar_berkas(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Files under folder by relative POSIX path (seal files excluded), and any symlinks found."""
    berkas: dict[str, Path] = {}
    tautan: list[str] = []
    for akar, direktori, nama_berkas in os.walk(folder):
        akar_path = Path(akar)
        for nama in direktori:
            if (akar_path / nama).is_symlink():
                tautan.append((akar_path / nama).relative_to(folder).as_posix())
        for nama in nama_berkas:
            path = akar_path / nama
            relatif = path.relative_to(folder).as_posix()
            if path.is_symlink():
                tautan.append(relatif)
            elif relatif not in _BERKAS_SEGEL:
                berkas[relatif] = path
    return berkas, sorted(tautan)


def _json_default(nilai: object) -> str:
    if isinstance(nilai, datetime | date):
        return nilai.isoformat()
    if isinstance(nilai, Path):
        return nilai.as_posix()
    raise TypeError(f"nilai {nilai!r} ({type(nilai).__name__}) tidak dapat ditulis ke manifest")


def _tulis_atomik(path: Path, isi: bytes) -> None:
    fd, sementara = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(isi)
        izin_normal(Path(sementara), path)
        replace_file(Path(sementara), path)
    except BaseException:
        Path(sementara).unlink(missing_ok=True)
        raise


def write_manifest(folder: Path, info: dict, *, timpa: bool = False) -> Path:
    """Seal the folder: MANIFEST.json lists every file's path, size and SHA-256; MANIFEST.sha256 guards it.

    An existing seal is not replaced unless `timpa`: resealing would silently bless files changed since.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PenggunaanSalah(f"Folder arsip {folder} tidak ada.")
    manifest = folder / MANIFEST_NAME
    if not timpa and (manifest.exists() or (folder / MANIFEST_HASH_NAME).exists()):
        raise PenggunaanSalah(f"Folder {folder} sudah disegel ({MANIFEST_NAME} ada); segel tidak ditimpa.")
    berkas, tautan = _daftar_berkas(folder)
    if tautan:
        raise PenggunaanSalah(f"Folder arsip tidak boleh berisi tautan simbolik: {', '.join(tautan)}.")
    daftar = [
        {"path": relatif, "ukuran": path.stat().st_size, "sha256": sha256_file(path)}
        for relatif, path in sorted(berkas.items())
    ]
    isi_manifest = {"format": FORMAT_MANIFEST, "info": info, "berkas": daftar}
    try:
        teks = json.dumps(isi_manifest, ensure_ascii=False, indent=2, default=_json_default)
    except (TypeError, ValueError) as e:
        raise PenggunaanSalah(f"Keterangan manifest tidak dapat disimpan: {e}.") from None
    data = (teks + "\n").encode("utf-8")
    _tulis_atomik(manifest, data)
    # sha256sum format, so `sha256sum -c MANIFEST.sha256` also checks it without this program
    _tulis_atomik(folder / MANIFEST_HASH_NAME, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST_NAME}\n".encode())
    return manifest


def _entri_sah(entri: object) -> bool:
    if not isinstance(entri, dict):
        return False
    path, ukuran, sha = entri.get("path"), entri.get("ukuran"), entri.get("sha256")
    if not isinstance(path, str) or not isinstance(ukuran, int) or not isinstance(sha, str):
        return False
    bagian = PurePosixPath(path)
    return bool(path) and not bagian.is_absolute() and ".." not in bagian.parts and "\\" not in path


def verify_seal(folder: Path) -> list[str]:
    """Every way the folder differs from its seal, each message naming the file; an empty list means intact."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PenggunaanSalah(f"Folder arsip {folder} tidak ada.")
    masalah: list[str] = []
    manifest = folder / MANIFEST_NAME
    hash_manifest = folder / MANIFEST_HASH_NAME
    if not manifest.is_file():
        return [f"{MANIFEST_NAME} tidak ada: folder {folder} belum disegel atau segelnya dihapus."]
    data = manifest.read_bytes()

    if not hash_manifest.is_file():
        masalah.append(f"{MANIFEST_HASH_NAME} tidak ada: keutuhan {MANIFEST_NAME} sendiri tidak dapat diperiksa.")
    else:
        isi_hash = hash_manifest.read_text(encoding="utf-8", errors="replace").split()
        if not isi_hash or isi_hash[0].lower() != hashlib.sha256(data).hexdigest():
            masalah.append(
                f"{MANIFEST_NAME} telah diubah setelah disegel (sha256 tidak cocok dengan {MANIFEST_HASH_NAME}); "
                "daftar berkas di dalamnya tidak dapat dipercaya."
            )

    try:
        isi = json.loads(data.decode("utf-8"))
        daftar = isi["berkas"]
        if not isinstance(daftar, list):
            raise TypeError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        masalah.append(f"{MANIFEST_NAME} rusak: tidak dapat dibaca sebagai manifest arsip.")
        return masalah

    tercatat: dict[str, dict] = {}
    for ke, entri in enumerate(daftar, start=1):
        if not _entri_sah(entri):
            masalah.append(f"{MANIFEST_NAME} rusak: entri berkas ke-{ke} tidak sah ({entri!r}).")
            continue
        if entri["path"] in tercatat:
            masalah.append(f"{MANIFEST_NAME} mencantumkan {entri['path']} lebih dari sekali.")
        tercatat[entri["path"]] = entri

    ada, tautan = _daftar_berkas(folder)
    for relatif in tautan:
        masalah.append(f"{relatif} adalah tautan simbolik, bukan berkas arsip.")
    for relatif, entri in sorted(tercatat.items()):
        path = ada.get(relatif)
        if path is None:
            if relatif not in tautan:
                masalah.append(f"Berkas hilang: {relatif} tercantum di manifest tetapi tidak ada di folder.")
            continue
        try:
            ukuran = path.stat().st_size
            sha = sha256_file(path)
        except OSError as e:
            masalah.append(f"Berkas {relatif} tidak dapat dibaca: {e.strerror or e}.")
            continue
        if sha != entri["sha256"].lower() or ukuran != entri["ukuran"]:
            masalah.append(f"Berkas berubah: {relatif} (sha256 tidak cocok dengan manifest).")
    for relatif in sorted(set(ada) - set(tercatat)):
        if PurePosixPath(relatif).name.casefold() not in BERKAS_SISTEM:
            masalah.append(f"Berkas tambahan: {relatif} tidak tercantum di manifest.")
    return masalah


def system_files(folder: Path) -> list[str]:
    """Files the operating system added (Thumbs.db, desktop.ini, .DS_Store): reported, not counted as tampering."""
    ada, _ = _daftar_berkas(Path(folder))
    return sorted(r for r in ada if PurePosixPath(r).name.casefold() in BERKAS_SISTEM)
