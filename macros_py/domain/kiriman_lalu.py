"""A submission against the bidang's previous accepted submission (pure).

The previous accepted submission of a bidang is what the master holds now: the bidang's rows in Rekap (every
accepted submission replaces them; the analysis only adds its own columns) and the last row of the Penerimaan
sheet for that bidang (when, which file, its SHA-256). No Penerimaan row: nothing was accepted yet, nothing to
compare with.

- ``dikosongkan``: every input cell (realisasi, faktor, tindak lanjut, bukti, keterangan) that held a value in
  the previous submission and is empty now. A later file that blanks good data (an older draft, the blank
  template saved again, the wrong attachment) is refused unless the Kasubag says so explicitly.
- ``identik``: the same rows with the same values as the previous submission (a file sent twice, or saved again
  unchanged): reported as identical, nothing is written.

Rows are matched by their key (the No column, see ``referensi``) together with the indicator's name, so rows of
an indicator list rebuilt in another order are never compared with the wrong indicator. Values compare with
``referensi.sama``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from macros_py.domain.referensi import (
    KolomReferensi,
    Temuan,
    kosong,
    kunci_baris,
    nama_indikator,
    sama_semua,
    sel_kolom,
    teks_nilai,
)


def _kunci(baris: Mapping[str, Any], kunci: str) -> tuple[int | str | None, str]:
    return kunci_baris(baris.get(kunci)), nama_indikator(baris).casefold()


def dikosongkan(
    baru: Sequence[Mapping[str, Any]],
    baris_excel: Sequence[int],
    kolom_excel: Mapping[str, int],
    lama: Sequence[Mapping[str, Any]],
    kolom: Sequence[KolomReferensi],
    waktu: str,
    kunci: str = "no",
) -> list[Temuan]:
    """Each input cell (of ``kolom``) that the previous submission (``lama``, received at ``waktu``) filled and
    this one (``baru``, at ``baris_excel`` rows, ``kolom_excel`` columns) leaves empty, named by its cell."""
    per_kunci = {_kunci(d, kunci): d for d in lama}
    hasil = []
    for data, r in zip(baru, baris_excel, strict=True):
        sebelum = per_kunci.get(_kunci(data, kunci))
        if sebelum is None:
            continue
        for kol in kolom:
            a = sebelum.get(kol.key)
            if kosong(a) or not kosong(data.get(kol.key)):
                continue
            hasil.append(Temuan(sel_kolom(r, kolom_excel, kol.key),
                                f"{kol.judul} indikator '{nama_indikator(data)}': kiriman yang diterima {waktu} "
                                f"berisi {teks_nilai(a)}, di berkas ini kosong. Isi kembali nilainya; bila memang "
                                "harus dikosongkan, Kasubag yang memutuskan."))
    return hasil


def identik(baru: Sequence[Mapping[str, Any]], lama: Sequence[Mapping[str, Any]], keys: Sequence[str],
            kunci: str = "no") -> bool:
    """The same indicators with the same value in every column of ``keys``."""
    if len(baru) != len(lama):
        return False
    per_kunci = {_kunci(d, kunci): d for d in lama}
    if len(per_kunci) != len(lama):
        return False
    for data in baru:
        sebelum = per_kunci.pop(_kunci(data, kunci), None)
        if sebelum is None or not sama_semua([sebelum.get(k) for k in keys], [data.get(k) for k in keys]):
            return False
    return not per_kunci
