"""The lifecycle of the Dokumen Evaluasi Kinerja's numbered versions (steps 7–9), as pure rules.

A version is a row of the Revisi sheet; the Pengesahan sheet records who submitted, returned or signed which
version. konsep -> diajukan -> (dikembalikan -> a new konsep version | ditandatangani); reopening signed work
voids the signature visibly ("BATAL: ...") instead of deleting it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from macros_py.domain.errors import LangkahDitolak

STATUS_KONSEP = "konsep"
STATUS_DIAJUKAN = "diajukan"
STATUS_DIKEMBALIKAN = "dikembalikan"
STATUS_DITANDATANGANI = "ditandatangani"
STATUS_TANDA_TANGAN_BATAL = f"{STATUS_DITANDATANGANI} (batal)"
SAH = "sah"
AKSI_DITANDATANGANI = "ditandatangani"
AWALAN_BATAL = "BATAL: "

Baris = Mapping[str, Any]


def versi_berikutnya(riwayat: Sequence[Baris]) -> int:
    return len(riwayat) + 1


def versi_terakhir(riwayat: Sequence[Baris]) -> dict[str, Any]:
    if not riwayat:
        raise LangkahDitolak("Belum ada dokumen; jalankan dulu: evkin konsep")
    return dict(riwayat[-1])


def versi_ditandatangani(riwayat: Sequence[Baris]) -> dict[str, Any]:
    sah = [r for r in riwayat if r.get("status") == STATUS_DITANDATANGANI]
    if not sah:
        raise LangkahDitolak("Belum ada dokumen yang ditandatangani Kepala (langkah 9).")
    return dict(sah[-1])


def dengan_status_terakhir(riwayat: Sequence[Baris], status: str) -> list[dict[str, Any]]:
    """The history with its last version's status changed."""
    baru = [dict(r) for r in riwayat]
    baru[-1]["status"] = status
    return baru


def batalkan_tanda_tangan(
    pengesahan: Sequence[Baris], riwayat: Sequence[Baris], alasan: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Void every valid signature: (pengesahan rows, revisi rows, how many signatures were voided)."""
    batal = 0
    baris = []
    for b in pengesahan:
        b = dict(b)
        if b.get("aksi") == AKSI_DITANDATANGANI and b.get("status") == SAH:
            b["status"] = f"{AWALAN_BATAL}{alasan}"
            batal += 1
        baris.append(b)
    versi = [dict(r, status=STATUS_TANDA_TANGAN_BATAL) if r.get("status") == STATUS_DITANDATANGANI else dict(r)
             for r in riwayat]
    return baris, versi, batal


def ada_tanda_tangan_sah(pengesahan: Sequence[Baris]) -> bool:
    return any(b.get("aksi") == AKSI_DITANDATANGANI and b.get("status") == SAH for b in pengesahan)
