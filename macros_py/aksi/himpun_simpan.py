"""Step 5, keeping files: accepted submissions, their bukti dukung, and the copies of rejected ones sent back.

Accepted files and evidence are staged in the master's unit of work (they appear only once the master is
saved). The copies for rejected files (``perbaikan/``) are written at once and atomically, outside the unit of
work: the master is not changed by a rejection, the bidang still gets its file back with every problem marked.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from macros_py.aksi.himpun_baca import Sumber
from macros_py.aksi.langkah import Konteks
from macros_py.domain.validasi import Kiriman
from macros_py.io.files import sha256_file

FOLDER_BUKTI = "bukti_dukung"
FOLDER_KIRIMAN = "kiriman_diterima"  # accepted submission files, kept for the record
FOLDER_PERBAIKAN = "perbaikan"  # copies of rejected files, problems marked, to send back to the bidang
UKURAN_PERBAIKAN_MAKS = 20 * 1024 * 1024  # a rejected file larger than this gets no marked copy


class Simpanan:
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


def simpan_bukti(k: Kiriman, folder_kiriman: Path | None, simpanan: Simpanan,
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


def tulis_salinan_perbaikan(konteks: Konteks, ditolak: Sequence[Sumber]) -> tuple[dict[int, str], list[str]]:
    """A marked copy of every rejected file in `perbaikan/` beside the master: (absolute path of the copy per
    id of its source, lines for the user, also naming the files that got none and why)."""
    from macros_py.io.output.perbaikan import nama_perbaikan, tulis_perbaikan

    jalur: dict[int, str] = {}
    baris: list[str] = []
    dipakai: set[str] = set()
    per_berkas: dict[Path, list[Sumber]] = {}
    for s in ditolak:
        if s.asal is not None:
            per_berkas.setdefault(s.asal, []).append(s)
    for asal, daftar in per_berkas.items():
        if not all(s.terbaca for s in daftar):
            baris.append(f"{asal.name}: tidak ada salinan perbaikan (berkas tidak dapat dibuka sebagai buku kerja "
                         "Excel); minta bidang mengirim ulang format yang dibagikan.")
            continue
        if asal.stat().st_size > UKURAN_PERBAIKAN_MAKS:
            baris.append(f"{asal.name}: tidak ada salinan perbaikan (berkas terlalu besar).")
            continue
        tujuan = konteks.folder / FOLDER_PERBAIKAN / nama_perbaikan(asal, dipakai)
        masalah = [(m.sheet, m.sel, m.pesan) for s in daftar for m in s.kiriman.galat]
        try:
            tulis_perbaikan(asal, tujuan, masalah)
        except Exception as e:  # an odd file openpyxl cannot load: the rejection itself still stands
            baris.append(f"{asal.name}: salinan perbaikan tidak dapat dibuat ({type(e).__name__}).")
            continue
        for s in daftar:
            jalur[id(s)] = str(tujuan.resolve())
        baris.append(f"Salinan perbaikan untuk bidang (sel bermasalah berwarna merah, pesannya di komentar sel): "
                     f"{tujuan.resolve()}")
    return jalur, baris
