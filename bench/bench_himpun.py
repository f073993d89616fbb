"""Benchmark of step 5 (`evkin himpun`) and step 6 (`evkin analisa`) at three scales, against a naive path
and the read floor.

    python bench/bench_himpun.py [--skala A,B,C] [--ulang N] [--ulang-c N] [--folder DIR] [--profil B]
                                 [--varian semua,1,spawn]

Scales: A kecamatan 8 files x 40 rows, B kabupaten 60 x 500, C province 200 x 1000. For each scale a master
with that many bidang is made with the product's CLI (`evkin init`, steps 1–4, `distribusi`) against a copy
of sheets_schema/ (EVKIN_SCHEMA), and the distributed templates are filled with openpyxl — real files the
product accepts. Then, side by side (medians of --ulang runs):

  (a) the product, as users run it: `evkin himpun DIR`, `evkin langkah selesai 5`, `evkin analisa`
      (separate processes, master saved each time), alone and end to end;
  (a') collecting again: the same `evkin himpun DIR` run a second time, over the master that already holds
      the first collection. Since issue 15 the same files are identical re-sends: they are read, validated and
      compared with the master, and nothing is written (before, every bidang sheet and Rekap row was
      rewritten); the analysis that follows is the same work as in (a);
      every figure of (a) and (a') is reported three times (--varian chooses which): on all cores (as users on
      Linux run it), on one core (EVKIN_PROSES=1, what a Windows user got until issue 19) and on all cores
      with spawned workers (EVKIN_START_METHOD=spawn, the only start method Windows has; on Linux it stands
      in for Windows; skipped on a single-core machine);
  (b) the naive path: pandas.read_excel(engine="openpyxl") per file, concat, openpyxl load of the master,
      rewrite Rekap, save (one process);
  (b') the same naive path over the master holding the first collection (the master the performance issue
      measured: its bidang sheets and a full Rekap make openpyxl's load and save the bulk of the time);
  (c) the read floor: python-calamine, and fastexcel when installed, reading the same files (in-process);
  (d) the product's submission reading alone: read_kiriman over all files (in-process), and the same
      plus validasi_lembar.

The package is byte-compiled first, as scripts/setup.sh does on a user's machine. Subprocess times are
wall-clock including interpreter start-up; peak memory is /usr/bin/time -v's
"Maximum resident set size". Also: `evkin status` and `python -c pass` start-up, the slowest imports, and a
cProfile of one `evkin himpun` run (top 15 cumulative). Generated files are cached in --folder (default: a
temporary folder, removed at the end unless --simpan).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import _siapkan as siap
from _siapkan import ROOT, SKALA, WAKTU, Skenario, master_baru, perintah_evkin

BENCH = Path(__file__).resolve().parent
JALUR = BENCH / "_jalur.py"
TIME_V = Path("/usr/bin/time")


def info(pesan: str) -> None:
    print(pesan, file=sys.stderr, flush=True)


# ---- measuring a process ------------------------------------------------------------------------------

@dataclass
class Ukur:
    detik: float
    rss_mib: float | None
    rc: int
    keluar: str = ""
    galat: str = ""

    @property
    def ok(self) -> bool:
        return self.rc == 0


def _batas_memori() -> None:
    """Children may use at most ~85% of RAM, so a runaway scale fails with MemoryError, not the OOM killer."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        resource.setrlimit(resource.RLIMIT_AS, (int(total * 0.85), int(total * 0.85)))
    except (ValueError, OSError):
        pass


def _vmhwm_grup(pgid: int) -> float | None:
    """Peak RSS (MiB) of the largest live process in a process group, read from /proc (Linux)."""
    terbesar = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            kolom_stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            if int(kolom_stat[2]) != pgid:
                continue
            for teks in (d / "status").read_text().splitlines():
                if teks.startswith("VmHWM:"):
                    terbesar = max(terbesar, int(teks.split()[1]))
        except (OSError, IndexError, ValueError):
            continue
    return terbesar / 1024 if terbesar else None


def ukur(cmd: list[str], env: dict[str, str] | None = None, batas_detik: float | None = None) -> Ukur:
    """Run one process to the end (or stop its whole process group after batas_detik) and measure it."""
    pakai_time = TIME_V.exists()
    penuh = [str(TIME_V), "-v", *cmd] if pakai_time else cmd
    sebelum = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.Popen(penuh, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, preexec_fn=_batas_memori)
    try:
        keluar, galat = p.communicate(timeout=batas_detik)
    except subprocess.TimeoutExpired:
        detik = time.perf_counter() - t0
        rss = _vmhwm_grup(p.pid)
        os.killpg(p.pid, signal.SIGKILL)  # the group of the process started just above, nothing else
        keluar, _ = p.communicate()
        return Ukur(detik, rss, -9, keluar or "", "timeout")
    detik = time.perf_counter() - t0
    rss = None
    if pakai_time:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", galat)
        rss = int(m.group(1)) / 1024 if m else None
        galat = galat.split("\tCommand being timed:")[0]
    else:  # a lower bound: the largest child so far
        sesudah = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = sesudah / 1024 if sesudah > sebelum else None
    return Ukur(detik, rss, p.returncode, keluar, galat)


def inti() -> int:
    """The cores this process may run on: what the product's worker_count starts from."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


@dataclass
class Baris:
    """One measured path: times (s) of each repetition, peak RSS (MiB), a note."""

    detik: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    catatan: str = ""

    @property
    def t(self) -> float | None:
        return median(self.detik)

    @property
    def m(self) -> float | None:
        return max(self.rss) if self.rss else None


# ---- one scale ----------------------------------------------------------------------------------------

PRODUK = ("himpun", "himpun_ulang", "selesai5", "analisa", "e2e", "e2e_ha", "e2e_ulang", "e2e_ha_ulang")


@dataclass
class Varian:
    """One way of running the product's processes: the suffix of its keys in `hasil` ("himpun@1"), of its labels
    in the table, and what it adds to the scenario's environment."""

    akhiran: str
    label: str
    env: dict[str, str]


VARIAN: dict[str, Varian] = {
    "semua": Varian("", "", {}),  # all cores, forked workers: Linux as users run it
    "1": Varian("@1", " [1 core]", {"EVKIN_PROSES": "1"}),  # what a Windows user got until issue 19
    "spawn": Varian("@spawn", " [spawn]", {"EVKIN_START_METHOD": "spawn"}),  # the start method Windows has
}


def evkin_args(master: Path, waktu: str, *args: str) -> list[str]:
    return ["--workbook", str(master), "--sebagai", "kasubag", "--waktu", waktu, *args]


def evkin_cmd(master: Path, waktu: str, *args: str) -> list[str]:
    return [*perintah_evkin(), *evkin_args(master, waktu, *args)]


def ukur_skala(sk: Skenario, ulang: int, batas_detik: float,
               varian: tuple[str, ...] = tuple(VARIAN)) -> tuple[dict[str, Baris], dict[str, object]]:
    env = sk.env()
    berkas = [str(p) for p in sk.berkas]
    # the all-cores keys always exist (empty when not measured), so every ratio of the report can look them up
    hasil: dict[str, Baris] = {k: Baris() for k in (
        *PRODUK, *(k + VARIAN[v].akhiran for v in varian if VARIAN[v].akhiran for k in PRODUK), "naif",
        "naif_baca", "naif_master", "naif_ulang", "naif_ulang_master", "calamine", "fastexcel", "proyek_baca",
        "proyek_validasi", "proyek_paralel")}
    lain: dict[str, object] = {"berkas_mib": sum(p.stat().st_size for p in sk.berkas) / 2**20, "varian": varian}
    nama = sk.skala.nama
    terisi = sk.folder / "jalan" / "terisi.xlsx"  # for (b'): the master holding a collection, made by (a)
    terisi.unlink(missing_ok=True)  # never one left by an earlier benchmark

    # (a) the product, as processes, once per variant
    for v in varian:
        if v == "spawn" and inti() < 2:  # one core: no workers at all, so nothing is spawned
            for k in PRODUK:
                hasil[k + VARIAN[v].akhiran].catatan = "-"
            lain["spawn_dilewati"] = True
            continue
        ukur_produk(sk, VARIAN[v], hasil, lain, ulang, batas_detik, terisi if v == "semua" else None)

    # (b) the naive path, as a process
    from macros_py.schema import muat_skema

    rekap = muat_skema(sk.skema).tabel("rekap")
    for kunci, asal in (("naif", sk.master_1_4), ("naif_ulang", terisi)):
        if not asal.exists():
            hasil[kunci].catatan = "no master"
            continue
        for i in range(ulang):
            master = master_baru(sk, f"{kunci}{i}", asal)
            info(f"[{nama}] run {i + 1}/{ulang}: naive pandas+openpyxl" + (" again ..." if asal == terisi else " ..."))
            u = ukur([sys.executable, str(JALUR), "naif", "--master", str(master), "--sheet", rekap.sheet,
                      "--baris-data", str(rekap.baris_data), *berkas], env, batas_detik)
            if not u.ok:
                hasil[kunci].catatan = _gagal(u)
                hasil[kunci].rss += [u.rss_mib] if u.rss_mib else []
                break
            fase = json.loads(u.keluar)
            hasil[kunci].detik.append(u.detik)
            hasil[kunci].rss += [u.rss_mib] if u.rss_mib else []
            if kunci == "naif":
                hasil["naif_baca"].detik.append(fase["baca"])
            hasil[f"{kunci}_master"].detik.append(fase["muat"] + fase["tulis"] + fase["simpan"])
            lain[f"{kunci}_fase"] = fase

    # (c) read floor and (d) the product's reading, in-process (after one warm-up pass)
    for kunci, cara in (("calamine", "calamine"), ("fastexcel", "fastexcel"), ("proyek_baca", "proyek"),
                        ("proyek_validasi", "proyek+validasi"), ("proyek_paralel", "proyek+validasi@semua")):
        if cara == "fastexcel" and not _ada("fastexcel"):
            hasil[kunci].catatan = "not installed (pip install fastexcel)"
            continue
        info(f"[{nama}] in-process read: {cara} ...")
        u = ukur([sys.executable, str(JALUR), "baca", cara, "--ulang", str(ulang), *berkas], env, batas_detik)
        if not u.ok:
            hasil[kunci].catatan = _gagal(u)
            continue
        data = json.loads(u.keluar)
        hasil[kunci].detik = data["kali"]
        hasil[kunci].rss += [u.rss_mib] if u.rss_mib else []
        lain[f"baris_{kunci}"] = data["baris"]
    if not _ada("pyarrow") and hasil["fastexcel"].detik:
        hasil["fastexcel"].catatan = "load_sheet only (pyarrow absent: no Arrow hand-over)"
    return hasil, lain


def ukur_produk(sk: Skenario, v: Varian, hasil: dict[str, Baris], lain: dict[str, object], ulang: int,
                batas_detik: float, terisi: Path | None) -> None:
    """(a) and (a') in one variant. The master, its size, the warnings and the copy (b') starts from are kept
    from one variant only (the one given `terisi`): the product writes the same whatever the cores."""
    env = dict(sk.env(), **v.env)
    nama = sk.skala.nama + v.label
    for i in range(ulang):
        master = master_baru(sk, f"proyek{v.akhiran.replace('@', '_')}{i}")
        langkah = [("himpun", WAKTU["himpun"], ("himpun", str(sk.kiriman))),
                   ("himpun_ulang", WAKTU["himpun_ulang"], ("himpun", str(sk.kiriman))),
                   ("selesai5", WAKTU["selesai5"], ("langkah", "selesai", "5")),
                   ("analisa", WAKTU["analisa"], ("analisa",))]
        jumlah: dict[str, float] = {}
        for langkah_ke, waktu, args in langkah:
            kunci = langkah_ke + v.akhiran
            info(f"[{nama}] run {i + 1}/{ulang}: evkin {' '.join(args[:1])} ...")
            u = ukur(evkin_cmd(master, waktu, *args), env, batas_detik)
            if not u.ok:
                hasil[kunci].catatan = _gagal(u)
                hasil[kunci].rss += [u.rss_mib] if u.rss_mib else []
                info(f"[{nama}] evkin {args[0]} failed after {u.detik:.1f} s: {hasil[kunci].catatan}")
                break
            hasil[kunci].detik.append(u.detik)
            if u.rss_mib:
                hasil[kunci].rss.append(u.rss_mib)
            jumlah[langkah_ke] = u.detik
            if langkah_ke == "himpun" and terisi is not None:
                lain["peringatan_himpun"] = u.keluar.count("peringatan:")
                lain["master_sesudah_himpun_mib"] = master.stat().st_size / 2**20
                shutil.copyfile(master, terisi)
        if len(jumlah) < len(langkah):
            break
        for awal, e2e, ha in (("himpun", "e2e", "e2e_ha"), ("himpun_ulang", "e2e_ulang", "e2e_ha_ulang")):
            k = {n: n + v.akhiran for n in (awal, e2e, ha, "selesai5", "analisa")}
            hasil[k[e2e]].detik.append(jumlah[awal] + jumlah["selesai5"] + jumlah["analisa"])
            hasil[k[ha]].detik.append(jumlah[awal] + jumlah["analisa"])
            rss = hasil[k[awal]].rss + hasil[k["selesai5"]].rss + hasil[k["analisa"]].rss
            hasil[k[e2e]].rss += [max(rss)] if rss else []
        if terisi is not None:
            lain["master_akhir"] = master


def _gagal(u: Ukur) -> str:
    return f">{u.detik:.0f}s" if u.galat == "timeout" else f"exit {u.rc}: {u.galat.strip()[-300:]}"


def _ada(modul: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(modul) is not None


# ---- start-up ------------------------------------------------------------------------------------------

def importtime(cmd: list[str], env: dict[str, str], n: int = 5) -> tuple[list[tuple[int, int, str]], float]:
    """(self us, cumulative us, module) of the n slowest imports by self time, and the total import time (s)."""
    p = subprocess.run([sys.executable, "-X", "importtime", *cmd], env=env, capture_output=True, text=True)
    deret = []
    for teks in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", teks)
        if m:
            deret.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    total_impor = sum(r[0] for r in deret) / 1e6
    return [(s, c, mod) for s, c, _d, mod in sorted(deret, reverse=True)[:n]], total_impor


def importtime_kumulatif(cmd: list[str], env: dict[str, str], n: int = 5) -> list[tuple[int, str]]:
    """The n heaviest top-level imports (what the command itself pulled in), by cumulative time."""
    p = subprocess.run([sys.executable, "-X", "importtime", *cmd], env=env, capture_output=True, text=True)
    hasil = []
    for teks in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", teks)
        if m and len(m.group(3)) <= 1:
            hasil.append((int(m.group(2)), m.group(4)))
    return sorted(hasil, reverse=True)[:n]


def ukur_startup(sk_a: Skenario, master: Path, ulang: int) -> list[str]:
    env = sk_a.env()
    keluaran = []
    n = max(ulang, 5)
    for cmd in ([sys.executable, "-c", "pass"], [sys.executable, "-c", "import macros_py.cli"],
                evkin_cmd(master, WAKTU["status"], "status")):
        ukur(cmd, env)  # warm-up: page cache and .pyc files
    kosong = [ukur([sys.executable, "-c", "pass"], env) for _ in range(n)]
    status = [ukur(evkin_cmd(master, WAKTU["status"], "status"), env) for _ in range(n)]
    status_json = [ukur(evkin_cmd(master, WAKTU["status"], "status", "--json"), env) for _ in range(n)]
    cli = [ukur([sys.executable, "-c", "import macros_py.cli"], env) for _ in range(n)]
    keluaran.append(f"python -c pass                       {median([u.detik for u in kosong]):6.3f} s  "
               f"peak {max(u.rss_mib or 0 for u in kosong):5.0f} MiB")
    keluaran.append(f"python -c 'import macros_py.cli'     {median([u.detik for u in cli]):6.3f} s")
    assert all(u.ok for u in status), status[0].galat
    ukuran = master.stat().st_size / 2**20
    keluaran.append(f"evkin status (scale-A master)        {median([u.detik for u in status]):6.3f} s  "
               f"peak {max(u.rss_mib or 0 for u in status):5.0f} MiB   (master {ukuran:.2f} MiB)")
    keluaran.append(f"evkin status --json                  {median([u.detik for u in status_json]):6.3f} s")
    top, total_impor = importtime(["-c", "import macros_py.cli"], env)
    keluaran.append(f"python -X importtime -c 'import macros_py.cli': {total_impor:.3f} s of imports; slowest (self):")
    keluaran += [f"    {s / 1000:7.1f} ms self {c / 1000:7.1f} ms cum  {mod}" for s, c, mod in top]
    status_cmd = ["-m", "macros_py", *evkin_args(master, WAKTU["status"], "status")]
    top, total_impor = importtime(status_cmd, env)
    keluaran.append(f"python -X importtime -m macros_py ... status: {total_impor:.3f} s of imports; slowest (self):")
    keluaran += [f"    {s / 1000:7.1f} ms self {c / 1000:7.1f} ms cum  {mod}" for s, c, mod in top]
    keluaran.append("  heaviest top-level imports of `status` (cumulative):")
    keluaran += [f"    {c / 1000:7.1f} ms  {mod}" for c, mod in importtime_kumulatif(status_cmd, env)]
    return keluaran


# ---- profile ------------------------------------------------------------------------------------------

def _jalankan_profil(nama: str, args: list[str], env: dict[str, str], keluaran: Path) -> tuple[pstats.Stats, float]:
    info(f"cProfile of {nama} ...")
    u = ukur([sys.executable, "-m", "cProfile", "-o", str(keluaran), *args], env)
    if not u.ok:
        raise RuntimeError(f"profile run of {nama} failed: exit {u.rc}: {u.galat[-500:]}")
    return pstats.Stats(str(keluaran)), u.detik


def _tabel_profil(st: pstats.Stats, urut: str, n: int) -> list[str]:
    deret = []
    for (berkas, no_baris, fungsi), (_cc, nc, tt, ct, _pemanggil) in st.stats.items():  # type: ignore[attr-defined]
        nama = _ringkas(berkas, no_baris, fungsi)
        if urut == "cumulative" and any(w in nama for w in _PEMBUNGKUS):
            continue
        deret.append((ct if urut == "cumulative" else tt, nc, tt, ct, nama))
    deret.sort(reverse=True)
    judul = f"  {'cum s':>8} {'own s':>8} {'calls':>10}  function"
    return [judul] + [f"  {ct:8.2f} {tt:8.2f} {nc:10d}  {nama}" for _k, nc, tt, ct, nama in deret[:n]]


def _pos_profil(st: pstats.Stats, pos: tuple[tuple[str, str, str], ...]) -> list[str]:
    total = st.total_tt  # type: ignore[attr-defined]
    hasil = []
    for label, akhiran, fungsi in pos:
        ketemu = [(nc, ct) for (b, _r, f), (_cc, nc, _tt, ct, _c) in st.stats.items()  # type: ignore[attr-defined]
                  if f == fungsi and b.endswith(akhiran)]
        if ketemu:
            nc, ct = max(ketemu, key=lambda x: x[1])
            hasil.append(f"  {ct:8.2f} s {100 * ct / total:5.1f}%  {nc:8d} calls  {label}")
    return hasil


def profil(sk: Skenario, sk_a: Skenario, master_a: Path, n: int = 15) -> list[str]:
    """cProfile of one `evkin himpun` (the scale asked), of the in-process read+validate, and of `evkin status`."""
    folder = sk.folder / "jalan"
    master = master_baru(sk, "profil")
    # one process (EVKIN_PROSES=1): work done in forked workers would not show in the parent's profile
    st, wall = _jalankan_profil(f"[{sk.skala.nama}] evkin himpun",
                                ["-m", "macros_py", *evkin_args(master, WAKTU["himpun"], "himpun", str(sk.kiriman))],
                                dict(sk.env(), EVKIN_PROSES="1"), folder / "himpun.prof")
    keluaran = [f"cProfile, scale {sk.skala.nama}: `evkin himpun` {st.total_tt:.2f} s profiled "  # type: ignore[attr-defined]
                f"({wall:.2f} s wall incl. profiler overhead)",
                f"top {n} by cumulative time (process/CLI wrappers left out):", *_tabel_profil(st, "cumulative", n),
                f"top {n} by own time:", *_tabel_profil(st, "tottime", n),
                "where the time goes (cumulative; nested entries overlap):", *_pos_profil(st, _POS_HIMPUN)]

    st, _ = _jalankan_profil(f"[{sk.skala.nama}] read+validate", [str(JALUR), "baca", "proyek+validasi", "--ulang",
                                                                  "1", "--tanpa-pemanasan",
                                                                  *map(str, sk.berkas)], sk.env(), folder / "baca.prof")
    keluaran += ["", f"cProfile, scale {sk.skala.nama}: read_kiriman + validasi_lembar over all files, "
                     f"{st.total_tt:.2f} s profiled; top 12 by own time:",  # type: ignore[attr-defined]
                 *_tabel_profil(st, "tottime", 12), "where the time goes:", *_pos_profil(st, _POS_BACA)]

    st, _ = _jalankan_profil("[A] evkin status", ["-m", "macros_py", *evkin_args(master_a, WAKTU["status"], "status")],
                             sk_a.env(), folder / "status.prof")
    keluaran += ["", f"cProfile, scale A: `evkin status` {st.total_tt:.2f} s profiled; where the time goes:",  # type: ignore[attr-defined]
                 *_pos_profil(st, _POS_STATUS)]
    return keluaran


_PEMBUNGKUS = ("builtins.exec", "<string>:1(", "runpy", "__main__.py", "cli.py", "<frozen importlib")
_POS_HIMPUN = (
    ("imports (all)", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("master open: FileUnitOfWork.__enter__ (lock + fast engine)", "macros_py/io/unit_of_work.py", "__enter__"),
    ("himpun() total", "macros_py/aksi/himpun.py", "himpun"),
    ("  read every submission: _baca_berkas", "macros_py/aksi/himpun.py", "_baca_berkas"),
    ("    read_kiriman (zip checks + calamine)", "macros_py/io/berkas_kiriman.py", "read_kiriman"),
    ("    validasi_lembar", "macros_py/domain/validasi.py", "validasi_lembar"),
    ("  write phase: himpun.kerja", "macros_py/aksi/himpun.py", "kerja"),
    ("    _ganti_rekap (once per command: read whole Rekap, rewrite it)", "macros_py/aksi/himpun.py",
     "_ganti_rekap"),
    ("    _ganti_bukti", "macros_py/aksi/himpun.py", "_ganti_bukti"),
    ("    _simpan_bukti", "macros_py/aksi/himpun.py", "_simpan_bukti"),
    ("    read_table (all callers)", "macros_py/io/book.py", "read_table"),
    ("    read_table_rows (all callers)", "macros_py/io/book.py", "read_table_rows"),
    ("    write_table (all callers)", "macros_py/io/book.py", "write_table"),
    ("    XmlBook.read (calamine, per sheet once)", "macros_py/io/xml_book.py", "read"),
    ("    XmlBook.write", "macros_py/io/xml_book.py", "write"),
    ("    Konteks.catat (Log rows, hash chain)", "macros_py/aksi/langkah.py", "catat"),
    ("master save: FileUnitOfWork.simpan (atomic)", "macros_py/io/unit_of_work.py", "simpan"),
    ("  XmlBook.save_to (written sheet parts + raw copy)", "macros_py/io/xml_book.py", "save_to"),
    ("    write_sheet (cell XML)", "macros_py/io/lembar_xml.py", "write_sheet"),
    ("    compress (deflate)", "macros_py/io/zip_bagian.py", "compress"),
)
_POS_BACA = (
    ("read_kiriman (all of it)", "macros_py/io/berkas_kiriman.py", "read_kiriman"),
    ("  _read_bytes + sha256", "macros_py/io/berkas_kiriman.py", "_read_bytes"),
    ("  _open_package (zip checks, inflate, XML pre-scan)", "macros_py/io/berkas_kiriman.py", "_open_package"),
    ("    _scan_sheet (worksheet pre-scan: positions, hidden rows)", "macros_py/io/berkas_kiriman.py", "_scan_sheet"),
    ("    _inflate (zip parts, capped)", "macros_py/io/berkas_kiriman.py", "_inflate"),
    ("    _validate (XML depth / well-formedness)", "macros_py/io/berkas_kiriman.py", "_validate"),
    ("  _read_values (clean copy + calamine)", "macros_py/io/berkas_kiriman.py", "_read_values"),
    ("    calamine get_sheet_by_index (parse)", "~",
     "<method 'get_sheet_by_index' of 'builtins.CalamineWorkbook' objects>"),
    ("    calamine to_python", "~", "<method 'to_python' of 'builtins.CalamineSheet' objects>"),
    ("validasi_lembar", "macros_py/domain/validasi.py", "validasi_lembar"),
    ("  _nilai_angka / parse_angka (every number cell)", "macros_py/domain/validasi.py", "_nilai_angka"),
    ("  sel() cell names, built for every number cell", "macros_py/domain/validasi.py", "sel"),
    ("  normal() (regex casefold of headers/choices/keys)", "macros_py/domain/validasi.py", "normal"),
)
_POS_STATUS = (
    ("imports (all)", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("ringkasan_status", "macros_py/aksi/status.py", "ringkasan_status"),
    ("XmlBook._lembar (calamine, per sheet read)", "macros_py/io/xml_book.py", "_lembar"),
    ("rich Console.print", "rich/console.py", "print"),
)


def _ringkas(berkas: str, no_baris: int, fungsi: str) -> str:
    if berkas == "~":
        return fungsi
    p = berkas.replace(str(siap.ROOT) + "/", "")
    p = re.sub(r".*/site-packages/", "", p)
    p = re.sub(r".*/lib/python3\.\d+/", "", p)
    return f"{p}:{no_baris}({fungsi})"


# ---- report -------------------------------------------------------------------------------------------

def mesin() -> list[str]:
    model = ""
    try:
        for teks in Path("/proc/cpuinfo").read_text().splitlines():
            if teks.startswith("model name"):
                model = teks.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0.0
    versies = []
    for mod in ("openpyxl", "pandas", "python_calamine", "fastexcel", "pyarrow"):
        try:
            from importlib.metadata import version

            versies.append(f"{mod} {version(mod.replace('_', '-'))}")
        except Exception:
            versies.append(f"{mod} -")
    return [f"machine: nproc {inti()}, CPU {model or platform.processor()}, RAM {mem:.1f} GiB, "
            f"{platform.system()} {platform.release()}",
            f"python {platform.python_version()} ({sys.executable}); " + ", ".join(versies),
            f"product command: {' '.join(perintah_evkin())}"]


def sel(b: Baris) -> str:
    mem = f" {b.m:6.0f}M" if b.m else "        "
    if b.t is None:
        return f"{b.catatan:>9}{mem}" if b.catatan.startswith(">") else (b.catatan or "-")[:19]
    return f"{b.t:8.2f}s{mem}"


def rasio(a: float | None, b: float | None, fmt: str = "{:.1f}x") -> str:
    return fmt.format(a / b) if a is not None and b else "-"


def varian_diukur(hasil: dict[str, tuple[dict[str, Baris], dict[str, object]]]) -> list[Varian]:
    """The variants measured at any scale, in VARIAN's order: the report prints a line for each."""
    nama: set[str] = set()
    for _h, lain in hasil.values():
        v = lain.get("varian", ())
        if isinstance(v, tuple):
            nama.update(v)
    return [v for n, v in VARIAN.items() if n in nama]


def cetak(hasil: dict[str, tuple[dict[str, Baris], dict[str, object]]]) -> list[str]:
    nama_skala = list(hasil)
    lebar = 20
    judul = f"{'':52}" + "".join(f"{n + ' ' + SKALA[n].keterangan:>{lebar}}" for n in nama_skala)
    keluaran = [judul, f"{'':52}" + "".join(
        f"{f'{SKALA[n].berkas} x {SKALA[n].baris} = {SKALA[n].total_baris}':>{lebar}}" for n in nama_skala)]
    keluaran.append("-" * len(judul))
    # (key, label, where it runs); the (a)/(a') rows get one line per variant measured
    baris_produk = {"himpun", "selesai5", "analisa", "e2e_ha", "e2e", "himpun_ulang", "e2e_ha_ulang", "e2e_ulang"}
    daftar_baris = [
        ("himpun", "(a) evkin himpun DIR", "(process)"),
        ("selesai5", "(a) evkin langkah selesai 5", "(process)"),
        ("analisa", "(a) evkin analisa", "(process)"),
        ("e2e_ha", "(a) himpun + analisa", ""),
        ("e2e", "(a) end to end: himpun+selesai 5+analisa", ""),
        ("himpun_ulang", "(a') evkin himpun DIR again", "(process)"),
        ("e2e_ha_ulang", "(a') himpun again + analisa", ""),
        ("e2e_ulang", "(a') end to end, collecting again", ""),
        ("naif", "(b) naive pandas+openpyxl", "(process)"),
        ("naif_baca", "    of which pandas.read_excel x files + concat", ""),
        ("naif_master", "    of which master load + write Rekap + save", ""),
        ("naif_ulang", "(b') naive, master holding a collection", ""),
        ("naif_ulang_master", "    of which master load + write Rekap + save", ""),
        ("calamine", "(c) floor python-calamine", "(in-proc)"),
        ("fastexcel", "(c) floor fastexcel", "(in-proc)"),
        ("proyek_baca", "(d) read_kiriman x files", "(in-proc)"),
        ("proyek_validasi", "(d) ... + validasi_lembar", "(in-proc)"),
        ("proyek_paralel", "(d) ... on all cores, as himpun does", "(in-proc)"),
    ]
    diukur = varian_diukur(hasil)
    for kunci, kiri, kanan in daftar_baris:
        for v in (diukur if kunci in baris_produk else [VARIAN["semua"]]):
            label = f"{kiri + v.label:<37}{kanan}" if kanan else kiri + v.label
            keluaran.append(f"{label:52}" + "".join(
                f"{sel(hasil[n][0].get(kunci + v.akhiran, Baris())):>{lebar}}" for n in nama_skala))
    keluaran.append("-" * len(judul))
    if any(b.catatan.startswith(">") for h, _l in hasil.values() for b in h.values()):
        keluaran.append("(>N s: stopped after --batas seconds; M is then the peak RSS reached until the stop)")
    if any(v.akhiran for v in diukur):
        keluaran += ["([1 core]: EVKIN_PROSES=1, what Windows users got until issue 19;",
                     " [spawn]: all cores, workers spawned (EVKIN_START_METHOD=spawn), as Windows starts them)"]
    if any(lain.get("spawn_dilewati") for _h, lain in hasil.values()):
        keluaran.append("([spawn] not measured: this machine gives the benchmark a single core)")

    def baris_rasio(label: str, fungsi) -> None:  # type: ignore[no-untyped-def]
        keluaran.append(f"{label:52}" + "".join(f"{fungsi(hasil[n][0], hasil[n][1]):>{lebar}}" for n in nama_skala))

    def nilai(h: dict[str, Baris], kunci: str) -> float | None:
        return h[kunci].t if kunci in h else None

    lain_varian = [v for v in diukur if v.akhiran]
    baris_rasio("naive / project himpun (<1: naive is faster)", lambda h, _l: rasio(h["naif"].t, h["himpun"].t))
    baris_rasio("naive / project himpun + analisa", lambda h, _l: rasio(h["naif"].t, h["e2e_ha"].t))
    for v in lain_varian:
        baris_rasio(f"naive / project himpun + analisa{v.label}",
                    lambda h, _l, a=v.akhiran: rasio(h["naif"].t, nilai(h, "e2e_ha" + a)))
    baris_rasio("naive / project end to end", lambda h, _l: rasio(h["naif"].t, h["e2e"].t))
    baris_rasio("collecting again: (b') / (a') himpun + analisa",
        lambda h, _l: rasio(h["naif_ulang"].t, h["e2e_ha_ulang"].t))
    for v in lain_varian:
        baris_rasio(f"collecting again: (b')/(a') himpun+analisa{v.label}",
                    lambda h, _l, a=v.akhiran: rasio(h["naif_ulang"].t, nilai(h, "e2e_ha_ulang" + a)))
    baris_rasio("collecting again: (b') / (a') end to end", lambda h, _l: rasio(h["naif_ulang"].t, h["e2e_ulang"].t))
    for v in lain_varian:  # what the cores and the start method cost or bring, against Linux on all cores
        baris_rasio(f"himpun + analisa:{v.label} / all cores",
                    lambda h, _l, a=v.akhiran: rasio(nilai(h, "e2e_ha" + a), h["e2e_ha"].t, "{:.2f}x"))
    baris_rasio("project read (d) / calamine floor", lambda h, _l: rasio(h["proyek_baca"].t, h["calamine"].t))
    baris_rasio("project read (d) / fastexcel floor", lambda h, _l: rasio(h["proyek_baca"].t, h["fastexcel"].t))
    baris_rasio("project read+validate / calamine floor",
        lambda h, _l: rasio(h["proyek_validasi"].t, h["calamine"].t))
    baris_rasio("project read+validate, all cores / calamine floor",
        lambda h, _l: rasio(h["proyek_paralel"].t, h["calamine"].t))
    baris_rasio("himpun process / project read+validate", lambda h, _l: rasio(h["himpun"].t, h["proyek_validasi"].t))
    baris_rasio("rows/s through evkin himpun",
        lambda h, lain: f"{hasil_baris(h, lain) / h['himpun'].t:,.0f}" if h["himpun"].t else "-")
    baris_rasio("submission files on disk (MiB)", lambda _h, lain: f"{lain['berkas_mib']:.1f}")
    baris_rasio("master after himpun (MiB)", lambda _h, lain: f"{lain['master_sesudah_himpun_mib']:.1f}"
                if "master_sesudah_himpun_mib" in lain else "-")
    baris_rasio("warnings printed by himpun", lambda _h, lain: str(lain.get("peringatan_himpun", "-")))
    if "B" in hasil and "C" in hasil:
        hb, hc = hasil["B"][0], hasil["C"][0]
        keluaran.append(f"C/B ratios (rows ratio {SKALA['C'].total_baris / SKALA['B'].total_baris:.2f}): "
                   + ", ".join(f"{k} {rasio(hc[k].t, hb[k].t)}" for k in
                               ("himpun", "himpun_ulang", "analisa", "e2e", "e2e_ulang", "naif", "naif_ulang",
                                "calamine", "proyek_baca", "proyek_validasi")))
    if "A" in hasil and "B" in hasil:
        ha, hb = hasil["A"][0], hasil["B"][0]
        keluaran.append(f"B/A ratios (rows ratio {SKALA['B'].total_baris / SKALA['A'].total_baris:.1f}): "
                   + ", ".join(f"{k} {rasio(hb[k].t, ha[k].t)}" for k in
                               ("himpun", "analisa", "e2e", "naif", "calamine", "proyek_baca", "proyek_validasi")))
    return keluaran


def hasil_baris(_h: dict[str, Baris], lain: dict[str, object]) -> int:
    return int(lain.get("baris_proyek_validasi") or 0)


def ukur_langkah(ulang: int, folder: Path) -> list[str]:
    """Per-step latency of a full kecamatan SOP run (`bench_langkah.py`: every command a process, PDF steps
    included), medians on all cores and on one core (EVKIN_PROSES=1) side by side."""
    import bench_langkah

    median: dict[str, dict[str, float]] = {}
    for label, proses in (("all cores", None), ("1 core", "1")):
        lama = os.environ.pop("EVKIN_PROSES", None)
        if proses:
            os.environ["EVKIN_PROSES"] = proses
        cache = folder / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        try:
            putaran = []
            for i in range(ulang):
                info(f"[kecamatan SOP run, {label}] {i + 1}/{ulang}")
                putaran.append(bench_langkah.satu_putaran(folder / "kantor", cache))
                bench_langkah.berhenti(cache)
        finally:
            os.environ.pop("EVKIN_PROSES", None)
            if lama is not None:
                os.environ["EVKIN_PROSES"] = lama
        median[label] = {k: statistics.median(p[k] for p in putaran) for k in putaran[0]}
    langkah = list(median["all cores"])
    lebar = max(map(len, langkah))
    keluaran = [f"Kecamatan SOP run (sample data, each command a process from start to exit; median of {ulang}, "
                "the first with an empty cache; the resident PDF converter stopped after each run)",
                f"{'step':<{lebar}} {'all cores':>10} {'1 core':>10}"]
    keluaran += [f"{k:<{lebar}} {median['all cores'][k]:9.2f}s {median['1 core'][k]:9.2f}s" for k in langkah]
    return keluaran


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--skala", default="A,B", help="comma-separated scales among A,B,C (default A,B)")
    p.add_argument("--ulang", type=int, default=3, help="repetitions per measurement, median reported (default 3)")
    p.add_argument("--ulang-c", type=int, default=1, help="repetitions at scale C (default 1)")
    p.add_argument("--folder", type=Path, help="where generated files are cached (reused when present)")
    p.add_argument("--simpan", action="store_true", help="keep the temporary folder")
    p.add_argument("--profil", default="B", help="scale whose `evkin himpun` is profiled ('' for none; default B)")
    p.add_argument("--varian", default=",".join(VARIAN),
                   help="how the product's processes run, comma-separated among semua (all cores), 1 (one core, "
                        "EVKIN_PROSES=1), spawn (all cores, EVKIN_START_METHOD=spawn); default semua,1,spawn")
    p.add_argument("--batas", type=float, default=900, help="seconds after which one process is stopped (default 900)")
    p.add_argument("--langkah", type=int, default=2,
                   help="repetitions of the kecamatan SOP run per core count (bench_langkah.py; 0: none; default 2)")
    a = p.parse_args()
    skala = [s.strip().upper() for s in a.skala.split(",") if s.strip()]
    if not skala or any(s not in SKALA for s in skala):
        p.error("--skala: choose among A, B, C")
    diminta = {v.strip().lower() for v in a.varian.split(",") if v.strip()}
    if not diminta or diminta - set(VARIAN):
        p.error(f"--varian: choose among {', '.join(VARIAN)}")
    varian = tuple(v for v in VARIAN if v in diminta)
    sementara = a.folder is None
    akar = a.folder or Path(tempfile.mkdtemp(prefix="bench_himpun_"))
    akar.mkdir(parents=True, exist_ok=True)
    t_mulai = time.perf_counter()
    # what scripts/setup.sh does on a user's machine: each `evkin` process then loads bytecode, not source
    compileall.compile_dir(ROOT / "macros_py", quiet=1)
    try:
        keluaran = mesin()
        hasil: dict[str, tuple[dict[str, Baris], dict[str, object]]] = {}
        skenario: dict[str, Skenario] = {}
        for s in skala:
            t0 = time.perf_counter()
            skenario[s] = siap.prepare(SKALA[s], akar / s, info)
            keluaran.append(f"scale {s}: files generated/checked in {time.perf_counter() - t0:.1f} s ({akar / s})")
            ulang = a.ulang_c if s == "C" else a.ulang
            hasil[s] = ukur_skala(skenario[s], ulang, a.batas, varian)
        print("\n".join(keluaran), flush=True)
        print()
        print(f"Times: median of {a.ulang} runs ({a.ulang_c} at C); s = seconds, M = peak RSS MiB of that process")
        print("\n".join(cetak(hasil)), flush=True)
        for kunci, label in (("naif_fase", "naive"), ("naif_ulang_fase", "naive again")):
            if kunci in hasil[skala[-1]][1]:
                fase = hasil[skala[-1]][1][kunci]
                print(f"{label} phases at {skala[-1]} (last run): " + ", ".join(
                    f"{k} {v:.2f} s" if isinstance(v, float) else f"{k} {v}" for k, v in fase.items()))  # type: ignore[union-attr]
        print()
        print("Start-up")
        sk_a = skenario.get("A") or siap.prepare(SKALA["A"], akar / "A", info)
        master_a = hasil["A"][1].get("master_akhir") if "A" in hasil else None
        if not isinstance(master_a, Path):
            master_a = master_baru(sk_a, "status")
        print("\n".join(ukur_startup(sk_a, master_a, a.ulang)), flush=True)
        for s in skala[1:]:  # the same command on the bigger masters left by (a): every command loads it all
            master_s = hasil[s][1].get("master_akhir")
            if isinstance(master_s, Path):
                u = ukur(evkin_cmd(master_s, WAKTU["status"], "status", "--json"), skenario[s].env(), a.batas)
                print(f"evkin status --json (scale-{s} master) {u.detik:6.2f} s  peak {u.rss_mib or 0:5.0f} MiB   "
                      f"(master {master_s.stat().st_size / 2**20:.1f} MiB, one run)", flush=True)
        if a.langkah:
            print()
            print("\n".join(ukur_langkah(a.langkah, akar / "langkah")), flush=True)
        if a.profil:
            s = a.profil.upper()
            sk = skenario.get(s) or siap.prepare(SKALA[s], akar / s, info)
            print()
            print("\n".join(profil(sk, sk_a, master_a)), flush=True)
        print(f"\n(total benchmark time {time.perf_counter() - t_mulai:.0f} s)")
    finally:
        if sementara and not a.simpan:
            shutil.rmtree(akar, ignore_errors=True)
        elif sementara:
            info(f"kept {akar}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
