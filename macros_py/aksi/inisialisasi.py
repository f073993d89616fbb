"""`evkin init`: a new master workbook for one period, built from the schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from macros_py.aksi.langkah import SEBELUM_SOP, _teks, eksekusi
from macros_py.aksi.lanjut import bawa_dari_periode_lalu, buka_periode_lalu
from macros_py.domain.errors import LangkahDitolak, PenggunaanSalah
from macros_py.io.files import refuse_if_open_in_excel
from macros_py.io.unit_of_work import NewFileUnitOfWork
from macros_py.schema import PERIODE, Skema, muat_skema


def buat_master(
    path: Path,
    tahun: int,
    periode: str,
    sebagai: str | None = None,
    timpa: bool = False,
    waktu: datetime | None = None,
    info: Callable[[str], None] = print,
    tunggu: float = 30.0,
    skema: Skema | None = None,
    lanjut: Path | None = None,
) -> Path:
    from macros_py.io.engines.openpyxl_book import OpenpyxlBook
    from macros_py.io.output.builder import build_workbook

    periode = periode.upper()
    if periode not in PERIODE:
        raise PenggunaanSalah(f"Periode '{periode}' tidak dikenal; pilih salah satu: {', '.join(PERIODE)}.")
    if not 2000 <= tahun <= 2100:
        raise PenggunaanSalah(f"Tahun {tahun} tidak wajar.")
    if path.exists() and not timpa:
        raise PenggunaanSalah(
            f"Workbook {path} sudah ada dan tidak ditimpa. Gunakan --timpa untuk membuat ulang "
            "(versi lama disimpan sebagai cadangan .bak)."
        )
    skema = skema or muat_skema()
    if path.exists():
        _periksa_boleh_ditimpa(path, skema)
    lalu = buka_periode_lalu(lanjut, skema) if lanjut is not None else None
    tersegel = lalu.triwulan_untuk(tahun, periode) if lalu is not None else ()
    book = OpenpyxlBook(build_workbook(skema, tahun, periode, tersegel))

    def catat_init(_book: object, konteks) -> None:
        konteks.catat(SEBELUM_SOP, "init", f"Workbook dibuat untuk {skema.organisasi['unit']} periode {periode} "
                                           f"{tahun} (skema v{skema.versi_skema})")
        if lalu is not None:
            bawa_dari_periode_lalu(book, konteks, lalu, tahun, periode)

    with NewFileUnitOfWork(path, book, tunggu=tunggu, info=info) as uow:
        eksekusi(uow, catat_init, sebagai=sebagai, waktu=waktu, info=info, skema=skema, wajib_terdaftar=False)
        if path.exists():
            refuse_if_open_in_excel(path)
            _periksa_boleh_ditimpa(path, skema)  # again under the lock: another process may have closed it
        uow.commit()
    return path


def _periksa_boleh_ditimpa(path: Path, skema: Skema) -> None:
    """`--timpa` never replaces the official record of a closed period, nor a master open in Excel."""
    from macros_py.aksi.langkah import baca_konfigurasi
    from macros_py.io.engines import open_book

    refuse_if_open_in_excel(path)
    try:
        pengaturan = baca_konfigurasi(open_book(path), skema).pengaturan
    except Exception:  # not a master this program can read: --timpa may replace it (a .bak is kept)
        return
    ditutup = _teks(pengaturan.get("periode_ditutup"))
    if ditutup:
        raise LangkahDitolak(f"Workbook {path} berisi periode {_teks(pengaturan.get('periode'))} "
                             f"{_teks(pengaturan.get('tahun'))} yang sudah ditutup dan diarsipkan pada {ditutup}; "
                             "--timpa tidak menimpanya. Buat workbook periode baru dengan nama lain, mis. evkin "
                             "--workbook workbook/Evaluasi_Kinerja_TW4.xlsx init ... --lanjut " + str(path))
