"""The rows users type into sheets before pressing Run main — the Disposisi row of step 1, the Rapat rows of step 4 —
parsed into the registered action's arguments, every problem named by sheet and cell."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any

from macros_py.aksi.langkah import Konteks
from macros_py.domain.errors import InputDitolak, PenggunaanSalah
from macros_py.excel.rencana import Papan, Rencana, _isi, _judul, _kolom, _sel
from macros_py.io.book import Book, read_table_rows
from macros_py.io.engines.xlwings_book import XlwingsBook
from macros_py.schema import Tabel


def _baris_ketikan(xb: XlwingsBook, tabel: Tabel, isian: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    """Rows the user typed and no action has recorded yet: some input filled, "Dicatat Oleh" empty."""
    hasil = []
    for i, b in enumerate(read_table_rows(xb, tabel)):
        d = dict(zip(tabel.keys, b, strict=True))
        if not _isi(d["dicatat_oleh"]) and any(_isi(d[k]) for k in isian):
            hasil.append((tabel.baris_data + i, d))
    return hasil


def _baris_kosong_pertama(xb: XlwingsBook, tabel: Tabel) -> int:
    return tabel.baris_data + len(read_table_rows(xb, tabel))


def _kosongkan(book: Book, tabel: Tabel, baris: list[int]) -> None:
    """Blank the typed rows inside the action's unit of work: the action appends after the table's last row, so
    its complete rows land where the user typed them (the adapter then writes only the final block)."""
    for r in baris:
        book.write(tabel.sheet, r, tabel.kolom_awal, [[None] * len(tabel.kolom)])


def _tanggal_sel(nilai: Any, tempat: str) -> date | None:
    """A typed date cell: Excel hands a date over as datetime; text as 2026-10-05, 05-10-2026 or 05/10/2026."""
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    teks = _isi(nilai)
    if not teks:
        return None
    if isinstance(nilai, str):
        for pola in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            with contextlib.suppress(ValueError):
                return datetime.strptime(teks, pola).date()
    raise PenggunaanSalah(f"{tempat}: '{teks}' bukan tanggal; tulis seperti 05-10-2026 (atau 2026-10-05).")


def disposisi(papan: Papan) -> Rencana:
    """Step 1 from the row the user typed into sheet Disposisi (the last one not recorded yet)."""
    from macros_py.aksi.persiapan import catat_disposisi

    xb, skema, no = papan.xb, papan.skema, papan.no
    papan.periksa_boleh()
    tabel = skema.tabel("disposisi")
    ketikan = _baris_ketikan(xb, tabel, ("nomor", "tanggal", "dari", "isi"))
    if not ketikan:
        r = _baris_kosong_pertama(xb, tabel)
        raise PenggunaanSalah(
            f"Belum ada disposisi yang diketik. Di sheet {tabel.sheet}, baris kosong pertama (baris {r}), isi kolom "
            f"{_judul(tabel, 'nomor', 'tanggal', 'dari', 'isi')} (sel {_sel(tabel, 'nomor', r)}–"
            f"{_sel(tabel, 'isi', r)}); biarkan {_judul(tabel, 'dicatat_oleh', 'waktu')} kosong. Lalu kembali ke "
            f"sheet {skema.tabel('sop').sheet}, pilih baris langkah {no}, dan tekan Run main lagi.")
    r, d = ketikan[-1]
    isi = _isi(d["isi"])
    if not isi:
        raise PenggunaanSalah(f"Sheet {tabel.sheet} baris {r}: kolom {_judul(tabel, 'isi')} (sel "
                              f"{_sel(tabel, 'isi', r)}) masih kosong. Tulis isi instruksi disposisi, lalu tekan "
                              "Run main lagi.")
    nomor, dari = _isi(d["nomor"]), _isi(d["dari"]) or None
    tanggal = _tanggal_sel(d["tanggal"], f"Sheet {tabel.sheet}, sel {_sel(tabel, 'tanggal', r)}")

    def fungsi(b: Book, k: Konteks) -> dict[str, Any]:
        _kosongkan(b, tabel, [r])
        return catat_disposisi(b, k, nomor, tanggal, dari, isi)

    return Rencana(f"Catat disposisi dari baris {r} sheet {tabel.sheet}, lalu selesaikan langkah {no}?\n"
                   f"Nomor: {nomor or '-'}\nTanggal: {f'{tanggal:%d-%m-%Y}' if tanggal else 'hari ini'}\n"
                   f"Dari: {dari}\nIsi: {isi[:300]}", fungsi,
                   lambda h: f"Disposisi nomor {h['nomor'] or '-'} dari {h['dari']} dicatat di sheet {tabel.sheet} "
                             f"(baris {r}); langkah {no} selesai.")


def rapat(papan: Papan) -> Rencana:
    """Step 4 from the rows the user typed into sheet Rapat: one per bidang present, one date, one conclusion."""
    from macros_py.aksi.persiapan import catat_rapat

    xb, skema, konf, no = papan.xb, papan.skema, papan.konf, papan.no
    papan.periksa_boleh()
    tabel = skema.tabel("rapat")
    ketikan = _baris_ketikan(xb, tabel, ("tanggal", "bidang", "peserta", "kesimpulan"))
    kode_bidang = ", ".join(b["kode"] for b in konf.bidang)
    if not ketikan:
        r = _baris_kosong_pertama(xb, tabel)
        raise PenggunaanSalah(
            f"Belum ada peserta rapat yang diketik. Di sheet {tabel.sheet}, mulai baris kosong pertama (baris {r}), "
            f"isi satu baris per bidang yang hadir: {_judul(tabel, 'tanggal', 'bidang', 'peserta', 'kesimpulan')} "
            f"(kolom {_kolom(tabel, 'tanggal')}–{_kolom(tabel, 'kesimpulan')}). "
            f"Bidang: nama atau kode ({kode_bidang}); Kesimpulan cukup ditulis di satu baris; biarkan "
            f"{_judul(tabel, 'dicatat_oleh')} kosong. Lalu kembali ke sheet {skema.tabel('sop').sheet}, pilih baris "
            f"langkah {no}, dan tekan Run main lagi.")
    kode_dari = {v.casefold(): b["kode"] for b in konf.bidang for v in (b["kode"], b["nama"], b["sheet"]) if v}
    masalah: list[str] = []
    peserta: dict[str, str] = {}
    asal: dict[str, int] = {}
    tanggal: dict[date, int] = {}
    kesimpulan: list[str] = []
    for r, d in ketikan:
        tempat = f"Sheet {tabel.sheet}, baris {r}"
        bidang, nama = _isi(d["bidang"]), _isi(d["peserta"])
        kode = kode_dari.get(bidang.casefold())
        if not bidang:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): Bidang kosong; tulis nama atau kode "
                           f"({kode_bidang}).")
        elif kode is None:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): bidang '{bidang}' tidak dikenal; tulis nama "
                           f"atau kode ({kode_bidang}).")
        elif kode in asal:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'bidang', r)}): bidang {kode} sudah ditulis di baris "
                           f"{asal[kode]}; satu baris per bidang.")
        if not nama:
            masalah.append(f"{tempat} (sel {_sel(tabel, 'peserta', r)}): Peserta kosong; tulis nama peserta "
                           "(dipisah koma).")
        if kode and kode not in asal:
            asal[kode] = r
            peserta[kode] = nama
        try:
            t = _tanggal_sel(d["tanggal"], f"{tempat} (sel {_sel(tabel, 'tanggal', r)})")
        except PenggunaanSalah as e:
            masalah.append(e.pesan)
        else:
            if t is not None:
                tanggal.setdefault(t, r)
        k = _isi(d["kesimpulan"])
        if k and k not in kesimpulan:
            kesimpulan.append(k)
    if len(tanggal) > 1:
        masalah.append(f"Sheet {tabel.sheet}: Tanggal Rapat berbeda-beda ("
                       + ", ".join(f"{t:%d-%m-%Y} di baris {r}" for t, r in tanggal.items())
                       + "); satu rapat, satu tanggal.")
    if not kesimpulan:
        masalah.append(f"Sheet {tabel.sheet}: Kesimpulan belum ditulis (cukup di satu baris, kolom "
                       f"{_judul(tabel, 'kesimpulan')}).")
    elif len(kesimpulan) > 1:
        masalah.append(f"Sheet {tabel.sheet}: Kesimpulan berbeda di beberapa baris; tulis satu kesimpulan rapat "
                       "(cukup di satu baris).")
    if masalah:
        raise InputDitolak(f"Isian rapat di sheet {tabel.sheet} belum lengkap; rapat belum dicatat.", masalah)
    hari = next(iter(tanggal), None)
    baris = [r for r, _ in ketikan]
    tidak_hadir = [b["kode"] for b in konf.bidang if b["kode"] not in peserta]

    def fungsi(b: Book, k: Konteks) -> list[dict[str, Any]]:
        _kosongkan(b, tabel, baris)
        return catat_rapat(b, k, hari, peserta, kesimpulan[0])

    return Rencana(f"Catat rapat koordinasi {f'{hari:%d-%m-%Y}' if hari else 'hari ini'} dari baris "
                   f"{baris[0]}–{baris[-1]} sheet {tabel.sheet}, lalu selesaikan langkah {no}?\n"
                   + "\n".join(f"{kode}: {nama}" for kode, nama in peserta.items())
                   + (f"\nTidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                   + f"\nKesimpulan: {kesimpulan[0][:300]}", fungsi,
                   lambda h: f"Rapat koordinasi dicatat di sheet {tabel.sheet} ({len(h)} bidang hadir"
                             + (f"; tidak hadir: {', '.join(tidak_hadir)}" if tidak_hadir else "")
                             + f"); langkah {no} selesai.")
