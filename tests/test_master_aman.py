"""Safe writes: a save killed mid-way, a workbook open in Excel, another process holding the lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from openpyxl import load_workbook

from macros_py.io.files import lock_file
from tests.conftest import sha256

ROOT = Path(__file__).resolve().parent.parent


def _python(kode: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(kode), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_save_killed_midway_leaves_previous_workbook_intact(master: Path, evkin) -> None:
    sebelum = sha256(master)
    proses = _python(
        """
        import os, signal, sys
        from pathlib import Path
        from macros_py.io.files import save_atomic

        def tulis(tmp):
            tmp.write_bytes(b"PK\\x03\\x04 setengah ditulis")
            os.kill(os.getpid(), signal.SIGKILL)

        save_atomic(Path(sys.argv[1]), tulis)
        """,
        str(master),
    )
    proses.wait(timeout=60)
    assert proses.returncode == -9
    assert sha256(master) == sebelum
    load_workbook(master)  # still opens
    assert list(master.parent.glob(".evkin-tmp-*")), "the killed save should have left its temporary file"
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--waktu", "2026-10-05T08:00", "langkah", "mulai", "1")
    assert hasil.kode == 0
    assert "Berkas sementara sisa proses yang terhenti dihapus" in hasil.galat
    assert not list(master.parent.glob(".evkin-tmp-*"))


def test_save_refused_while_open_in_excel_naming_the_user(master: Path, evkin) -> None:
    nama = b"Budi Santoso"
    (master.parent / ("~$" + master.name[2:])).write_bytes(bytes([len(nama)]) + nama + b" " * 40)
    sebelum = sha256(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5
    assert "dibuka di Excel oleh Budi Santoso" in hasil.galat
    assert sha256(master) == sebelum


def test_waits_for_the_lock_then_gives_up_with_exit_5(master: Path, evkin) -> None:
    pemegang = _python(
        """
        import sys, time
        from filelock import FileLock
        with FileLock(sys.argv[1]):
            print("terkunci", flush=True)
            time.sleep(30)
        """,
        str(lock_file(master)),
    )
    try:
        assert pemegang.stdout.readline().strip() == "terkunci"
        sebelum = sha256(master)
        hasil = evkin("--workbook", master, "--sebagai", "kasubag", "--tunggu", "0.5", "langkah", "mulai", "1")
        assert hasil.kode == 5
        assert "Menunggu" in hasil.galat and "masih dipakai proses lain" in hasil.galat
        assert "0.5 detik" in hasil.galat  # the wait it was given, not another
        assert sha256(master) == sebelum
    finally:
        pemegang.kill()
        pemegang.wait()


def test_missing_workbook_is_a_usage_error(tmp_path: Path, evkin) -> None:
    hasil = evkin("--workbook", tmp_path / "tidak-ada.xlsx", "status")
    assert hasil.kode == 2 and str(tmp_path / "tidak-ada.xlsx") in hasil.galat and "init --tahun" in hasil.galat
