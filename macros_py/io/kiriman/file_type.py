"""File type: read the bytes under the size cap and name the real format of anything that is not an OOXML zip
(judged by content, never by the file name)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Final

from macros_py.io.kiriman.model import Batas, Reject, human_size

_ZIP_MAGIC: Final = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
_CFB_MAGIC: Final = bytes.fromhex("D0CF11E0A1B11AE1")
_CFB_ENCRYPTED: Final = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def read_bytes(path: Path, batas: Batas) -> bytes:
    """Read at most the size limit (+1 byte, so a file growing after stat() is still caught)."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise Reject("berkas tidak ditemukan") from exc
    except OSError as exc:
        raise Reject("berkas tidak dapat dibuka") from exc
    if not stat.S_ISREG(info.st_mode):
        raise Reject("bukan berkas biasa (mungkin folder); kirim berkas .xlsx")
    if info.st_size > batas.ukuran_berkas:
        raise Reject(f"berkas terlalu besar ({human_size(info.st_size)}; batas {human_size(batas.ukuran_berkas)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(batas.ukuran_berkas + 1)
    except OSError as exc:
        raise Reject("berkas tidak dapat dibaca") from exc
    if not data:
        raise Reject("berkas kosong (0 byte); kirim ulang berkas yang benar")
    if len(data) > batas.ukuran_berkas:
        raise Reject(f"berkas terlalu besar (lebih dari {human_size(batas.ukuran_berkas)})")
    return data


def refuse_non_zip(data: bytes) -> None:
    """Name the actual format of anything that is not an OOXML zip, judged by content, not extension."""
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_CFB_MAGIC):
        if any(marker in data for marker in _CFB_ENCRYPTED):
            raise Reject("dilindungi kata sandi; buka dan simpan tanpa kata sandi, lalu kirim ulang")
        raise Reject(
            "format .xls lama; simpan ulang sebagai .xlsx (Excel: Simpan Sebagai > Buku Kerja Excel)"
        )
    if data.startswith(_EMPTY_ZIP_MAGIC):
        raise Reject("arsip zip kosong, bukan buku kerja Excel")
    if data.startswith(b"%PDF"):
        raise Reject("berkas PDF, bukan buku kerja Excel; kirim berkas .xlsx hasil isian template")
    text = _as_text(data[:8192])
    if text is None:
        raise Reject("jenis berkas tidak dikenali; yang diterima hanya buku kerja Excel .xlsx/.xlsm")
    lower = text.lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lower or 'progid="excel.sheet"' in lower:
        raise Reject("format XML Spreadsheet 2003; simpan ulang sebagai .xlsx")
    if "<html" in lower or "<table" in lower or "<!doctype html" in lower:
        raise Reject(
            "berkas HTML (halaman web), bukan buku kerja Excel; buka di Excel lalu simpan sebagai .xlsx"
        )
    if lower.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        raise Reject("berkas XML biasa, bukan buku kerja Excel; kirim berkas .xlsx")
    raise Reject("berkas teks/CSV, bukan buku kerja Excel; buka di Excel lalu simpan sebagai .xlsx")


def _as_text(head: bytes) -> str | None:
    """Decode the start of a file if it looks like text (CSV, HTML, XML), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head:
        return None
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 26))
    if controls * 20 > len(head):
        return None
    return head.decode("utf-8", errors="replace")
