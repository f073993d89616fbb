"""The file name of a submission against the identity inside it (pure).

`distribusi` names each template Format_EvKin_<tahun>_<periode>_<kode bidang>.xlsx. A file still named so but
carrying another bidang's identity is likely one bidang's data typed into another bidang's template: a warning,
or a rejection when another file of the same command belongs to either bidang (by identity or by name).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from macros_py.domain.validasi import Kiriman, Masalah

#: A distributed template's file name (`distribusi`): Format_EvKin_<tahun>_<periode>_<kode bidang>.xlsx, also
#: with what mail clients and people add after it ("... (1).xlsx", "..._revisi.xlsx").
_RE_NAMA_FORMAT = re.compile(r"Format_EvKin_[0-9]{4}_[A-Za-z0-9]+_(.*)", re.IGNORECASE)


def kode_nama_berkas(nama: str, kode_dikenal: Collection[str]) -> str | None:
    """The bidang code in a file named like a distributed format, "" when it names none, None when the file
    is not named like one. A known code wins (the longest one the name continues with); else the first word."""
    cocok = _RE_NAMA_FORMAT.fullmatch(Path(nama).stem)
    if cocok is None:
        return None
    sisa = cocok.group(1)
    dikenal = [k for k in kode_dikenal if sisa.upper().startswith(k.upper())
               and not sisa[len(k):len(k) + 1].isalnum()]
    if dikenal:
        return max(dikenal, key=len)
    kata = re.match(r"[A-Za-z0-9-]*", sisa)
    return kata.group(0) if kata else ""


def periksa_nama_berkas(kiriman: Sequence[Kiriman], kode_dikenal: Collection[str]) -> None:
    """A file whose name names another bidang than its identity: a warning, or a rejection when another file
    of the command belongs to either bidang (one bidang's data typed into another bidang's template)."""
    nama = {id(k): kode_nama_berkas(k.berkas, kode_dikenal) for k in kiriman}
    for k in kiriman:
        kode_nama = nama[id(k)]
        if not kode_nama or not k.kode_bidang or kode_nama == k.kode_bidang:
            continue
        bentrok = next((x.berkas for x in kiriman if x.berkas != k.berkas
                        and {x.kode_bidang, nama[id(x)]} & {kode_nama, k.kode_bidang}), None)
        pesan = (f"nama berkas menyebut bidang {kode_nama}, tetapi identitas template di dalamnya bidang "
                 f"{k.kode_bidang}")
        if bentrok is None:
            k.peringatan.append(Masalah(k.berkas, k.sheet, "", f"{pesan}; periksa apakah data bidang {kode_nama} "
                                                               f"diketik di format bidang {k.kode_bidang}."))
        else:
            k.galat.append(Masalah(k.berkas, k.sheet, "", f"{pesan}, dan berkas {bentrok} dalam perintah yang sama "
                                                          "juga milik bidang itu: kemungkinan data diketik di format "
                                                          f"bidang lain. Isi format bidang {kode_nama} yang dibagikan, "
                                                          "lalu kirim ulang."))
