"""Synthetic but real submissions for the himpun benchmark.

A master is made with the product's own CLI (`evkin init`, steps 1–4) against a copy of `sheets_schema/`
whose organisasi.yaml lists N bidang (the six real ones first, then B007, B008, ...), so the Konfigurasi
Bidang table and the bidang sheets both exist. The distributed templates are then filled with openpyxl
the way a bidang fills them (values in the input cells, from the first data row down), in parallel.

Everything is cached under the scenario folder: a second run with the same folder reuses it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SKEMA_ASLI = ROOT / "sheets_schema"

TAHUN, PERIODE = 2026, "TW3"
WAKTU = {
    "init": "2026-10-05T07:30", "disposisi": "2026-10-05T08:00", "format": "2026-10-05T08:50",
    "distribusi": "2026-10-05T09:00", "rapat": "2026-10-05T12:00", "himpun": "2026-10-06T09:00",
    "himpun_ulang": "2026-10-06T09:30", "selesai5": "2026-10-06T10:00", "analisa": "2026-10-06T11:00",
    "status": "2026-10-06T12:00",
}


@dataclass(frozen=True)
class Skala:
    nama: str
    berkas: int
    baris: int
    keterangan: str

    @property
    def total_baris(self) -> int:
        return self.berkas * self.baris


SKALA = {
    "A": Skala("A", 8, 40, "kecamatan"),
    "B": Skala("B", 60, 500, "kabupaten"),
    "C": Skala("C", 200, 1000, "province"),
}


@dataclass(frozen=True)
class Skenario:
    skala: Skala
    folder: Path

    @property
    def skema(self) -> Path:
        return self.folder / "sheets_schema"

    @property
    def master_1_4(self) -> Path:
        """The master after steps 1–4 (copied before every measured run)."""
        return self.folder / "master_langkah_1-4.xlsx"

    @property
    def kiriman(self) -> Path:
        return self.folder / "kiriman"

    @property
    def berkas(self) -> list[Path]:
        return sorted(self.kiriman.glob("*.xlsx"))

    def env(self) -> dict[str, str]:
        """The product as users run it, with this scenario's schema, and the values `himpun` keeps for
        `analisa` (io.cache) in the scenario's folder rather than the user's cache."""
        return dict(os.environ, EVKIN_SCHEMA=str(self.skema), EVKIN_TUNGGU="5",
                    EVKIN_TEMBOLOK=str(self.folder / "cache"))


def perintah_evkin() -> list[str]:
    """The console script a user runs (the one beside this interpreter, not a pyenv shim)."""
    skrip = Path(sys.executable).parent / "evkin"
    return [str(skrip)] if skrip.exists() else [sys.executable, "-m", "macros_py"]


def evkin(sk: Skenario, master: Path, waktu: str, *args: str, sebagai: str = "kasubag") -> str:
    cmd = [*perintah_evkin(), "--workbook", str(master), "--sebagai", sebagai, "--waktu", waktu, *args]
    hasil = subprocess.run(cmd, env=sk.env(), capture_output=True, text=True)
    if hasil.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} -> {hasil.returncode}\n{hasil.stdout[-2000:]}\n{hasil.stderr[-2000:]}")
    return hasil.stdout


def daftar_bidang(n: int) -> list[dict[str, str]]:
    asli = yaml.safe_load((SKEMA_ASLI / "organisasi.yaml").read_text(encoding="utf-8"))["bidang"]
    hasil = [dict(b) for b in asli[:n]]
    for i in range(len(hasil) + 1, n + 1):
        hasil.append({"kode": f"B{i:03d}", "nama": f"Bidang Uji {i:03d}", "sheet": f"Bidang Uji {i:03d}"})
    return hasil


def tulis_skema(tujuan: Path, n_bidang: int) -> None:
    if tujuan.exists():
        shutil.rmtree(tujuan)
    shutil.copytree(SKEMA_ASLI, tujuan)
    org = yaml.safe_load((tujuan / "organisasi.yaml").read_text(encoding="utf-8"))
    org["bidang"] = daftar_bidang(n_bidang)
    (tujuan / "organisasi.yaml").write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")


def nilai_baris(kode: str, i: int) -> dict[str, object]:
    """One indicator row as a planner types it: text, choices, targets and realisations (numbers)."""
    target = 10 + (i * 7) % 90
    pagu = 5_000_000 + (i * 137_000) % 95_000_000
    return {
        "no": i, "sasaran": f"Sasaran strategis {i % 7 + 1}", "program": f"Program {i % 23 + 1} {kode}",
        "kegiatan": f"Kegiatan {i // 10 + 1}", "sub_kegiatan": f"Sub kegiatan {i // 3 + 1}",
        "indikator": f"Indikator kinerja {kode} nomor {i}", "satuan": ("Dokumen", "Persen", "Desa", "Orang")[i % 4],
        "polaritas": "Turun" if i % 9 == 0 else "Naik", "cara_hitung": ("Akumulasi", "Nilai Akhir", "Rata-rata")[i % 3],
        "target_renstra_k": target * 5, "target_renstra_rp": pagu * 5, "realisasi_renstra_lalu_k": target * 2,
        "realisasi_renstra_lalu_rp": pagu * 2, "target_k": target, "pagu_rp": pagu,
        "tw1_k": target * 0.2, "tw1_rp": pagu * 0.21, "tw2_k": target * 0.25 + i % 3, "tw2_rp": pagu * 0.24,
        "tw3_k": target * 0.3, "tw3_rp": round(pagu * 0.27),
        "faktor_pendorong": "Koordinasi lintas sektor berjalan baik" if i % 4 == 0 else None,
        "faktor_penghambat": "Keterbatasan anggaran" if i % 5 == 0 else None,
        "tindak_lanjut": "Penjadwalan ulang kegiatan" if i % 5 == 0 else None,
        "bukti_dukung": None, "keterangan": None,
    }


def tulis_daftar_indikator(sk: Skenario, master: Path, n: int) -> None:
    """The Kasubag's indicator list: n indicators per bidang (their reference columns; `format` fills the
    templates with them and the intake compares every submission with them)."""
    from macros_py.io.book import write_table
    from macros_py.io.unit_of_work import FileUnitOfWork
    from macros_py.schema import muat_skema

    skema = muat_skema(sk.skema)
    rujukan = set(skema.kolom_referensi)
    baris = [{"kode_bidang": b["kode"], **{k: v for k, v in nilai_baris(b["kode"], i).items() if k in rujukan}}
             for b in daftar_bidang(sk.skala.berkas) for i in range(1, n + 1)]
    with FileUnitOfWork(master) as uow:
        write_table(uow.book, skema.tabel("indikator"), baris)
        uow.commit()


def isi_berkas(args: tuple[str, str, int]) -> str:
    """Fill one distributed template in place (run in a worker process)."""
    from openpyxl import load_workbook

    from macros_py.schema import muat_skema

    path, folder_skema, n = args
    skema = muat_skema(Path(folder_skema))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    tabel = skema.tabel_bidang(ws.title)
    kode = Path(path).stem.rsplit("_", 1)[-1]
    for i in range(1, n + 1):
        for key, v in nilai_baris(kode, i).items():
            if key in skema.kolom_referensi:
                continue  # the format's columns, prefilled from Daftar Indikator
            if v is not None:
                ws.cell(tabel.baris_data + i - 1, tabel.kolom_awal + tabel.indeks(key)).value = v
    wb.save(path)
    return path


def prepare(skala: Skala, folder: Path, info=print) -> Skenario:  # type: ignore[no-untyped-def]
    sk = Skenario(skala, folder)
    tanda = folder / "siap.json"
    if tanda.exists() and json.loads(tanda.read_text()) == {"berkas": skala.berkas, "baris": skala.baris} \
            and len(sk.berkas) == skala.berkas:
        info(f"[{skala.nama}] reusing {folder}")
        return sk
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    tulis_skema(sk.skema, skala.berkas)
    kerja = folder / "kerja"
    kerja.mkdir()
    master = kerja / "Evaluasi_Kinerja.xlsx"
    info(f"[{skala.nama}] evkin init + steps 1-4 with {skala.berkas} bidang ...")
    evkin(sk, master, WAKTU["init"], "init", "--tahun", str(TAHUN), "--periode", PERIODE)
    tulis_daftar_indikator(sk, master, skala.baris)
    evkin(sk, master, WAKTU["disposisi"], "disposisi", "--nomor", "005/1/Bench", "--isi",
          "Susun evaluasi kinerja TW III (benchmark)")
    evkin(sk, master, WAKTU["format"], "format")
    evkin(sk, master, WAKTU["distribusi"], "distribusi", "--out", str(folder / "format"))
    evkin(sk, master, WAKTU["rapat"], "rapat", "--peserta", "SEKRET=Sekretaris Camat", "--kesimpulan",
          "Format disepakati")
    shutil.copyfile(master, sk.master_1_4)
    shutil.rmtree(kerja)
    sk.kiriman.mkdir()
    for f in sorted((folder / "format").glob("*.xlsx")):
        shutil.copyfile(f, sk.kiriman / f.name)
    info(f"[{skala.nama}] filling {skala.berkas} files x {skala.baris} rows with openpyxl ...")
    tugas = [(str(f), str(sk.skema), skala.baris) for f in sk.berkas]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(isi_berkas, tugas, chunksize=1))
    tanda.write_text(json.dumps({"berkas": skala.berkas, "baris": skala.baris}))
    return sk


def master_baru(sk: Skenario, nama: str, asal: Path | None = None) -> Path:
    """A fresh copy of the steps 1–4 master (or of `asal`) in its own folder (no .bak, no bukti folder from a
    previous run)."""
    folder = sk.folder / "jalan" / nama
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    master = folder / "Evaluasi_Kinerja.xlsx"
    shutil.copyfile(asal or sk.master_1_4, master)
    return master
