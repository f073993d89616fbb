"""The command line as a new user meets it (issue 18): Indonesian throughout, a suggestion for a typo, each command
with its role and an example, the next step named after a refusal, nothing silently empty, progress only on a
terminal."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from macros_py.aksi.registry import DAFTAR
from macros_py.cli import main

INGGRIS = re.compile(r"\b(usage|invalid choice|the following arguments are required|show this help message|"
                     r"positional arguments|options:|error:|unrecognized arguments|expected one argument)\b")


def _jalankan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        kode = main(list(args))
    except SystemExit as e:  # argparse ends --help and usage errors itself
        kode = int(e.code or 0)
    out = capsys.readouterr()
    return kode, out.out + out.err


def test_help_is_indonesian_and_every_command_says_who_runs_it_with_an_example(capsys) -> None:  # type: ignore[no-untyped-def]
    kode, teks = _jalankan(capsys, "--help")
    assert kode == 0 and "cara pakai:" in teks and "Kode keluar" in teks
    assert INGGRIS.search(teks) is None, INGGRIS.search(teks)
    for entri in DAFTAR:
        kode, teks = _jalankan(capsys, entri.nama, "--help")
        assert kode == 0, entri.nama
        assert "Dijalankan oleh:" in teks and "Contoh: evkin" in teks, entri.nama
        assert INGGRIS.search(teks) is None, (entri.nama, INGGRIS.search(teks))


def test_a_typo_gets_a_suggestion_in_indonesian(capsys) -> None:  # type: ignore[no-untyped-def]
    kode, teks = _jalankan(capsys, "dispos")
    assert kode == 2 and "Maksud Anda: disposisi?" in teks and "tidak dikenal" in teks
    assert INGGRIS.search(teks) is None
    kode, teks = _jalankan(capsys, "rapat")  # a required option missing
    assert kode == 2 and "wajib diisi" in teks and "--kesimpulan" in teks


def test_a_step_out_of_order_names_the_next_step_its_command_and_who(master: Path, evkin) -> None:  # type: ignore[no-untyped-def]
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "selesai", "3")
    assert hasil.kode == 4
    assert "Langkah berikutnya: 1" in hasil.galat and "evkin disposisi" in hasil.galat
    assert "Kasubag Perencanaan" in hasil.galat
    status = evkin("--workbook", master, "status")
    assert "Langkah berikutnya: 1" in status.keluar and "jalankan: evkin disposisi" in status.keluar


def test_nothing_silently_empty(master: Path, evkin) -> None:  # type: ignore[no-untyped-def]
    assert evkin("--workbook", master, "--sebagai", "kasubag", "disposisi", "--isi", "x").kode == 0
    kosong = evkin("--workbook", master, "--sebagai", "kasubag", "format")
    assert kosong.kode == 2 and "Daftar Indikator" in kosong.galat and "masih kosong" in kosong.galat


def test_verifikasi_of_a_file_that_is_not_a_master_says_so(tmp_path: Path, evkin) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    lain = tmp_path / "lain.xlsx"
    Workbook().save(lain)
    hasil = evkin("verifikasi", lain)
    assert hasil.kode == 3 and "bukan workbook induk" in hasil.galat and "tak terduga" not in hasil.galat


def test_a_missing_workbook_names_the_path_tried_and_both_ways_on(tmp_path: Path, evkin,  # type: ignore[no-untyped-def]
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVKIN_WORKBOOK", raising=False)
    hasil = evkin("status")
    assert hasil.kode == 2 and str(tmp_path / "workbook" / "Evaluasi_Kinerja.xlsx") in hasil.galat
    assert "EVKIN_WORKBOOK" in hasil.galat and "--workbook" in hasil.galat


def test_progress_only_on_a_terminal_and_never_with_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar needs a watching terminal; --json output, a pipe or a file get none."""
    from macros_py.io import console

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stderr, args, harap in ((Terminal(), ["status"], True), (Terminal(), ["status", "--json"], False),
                                (io.StringIO(), ["status"], False)):
        monkeypatch.setattr(sys, "stderr", stderr)
        monkeypatch.setattr(console, "KEMAJUAN_AKTIF", not harap)
        main(["--workbook", "tidak-ada.xlsx", *args])  # refused (no such workbook) after the switch is set
        assert console.KEMAJUAN_AKTIF is harap, args


def test_the_progress_bar_appears_after_about_a_second_and_is_gone_after(monkeypatch: pytest.MonkeyPatch) -> None:
    from macros_py.io import console

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    layar = Terminal()
    monkeypatch.setattr(sys, "stderr", layar)
    monkeypatch.setattr(console, "KEMAJUAN_AKTIF", True)
    monkeypatch.setattr(console, "_SETELAH", 0.0)
    with console.Kemajuan("evkin himpun", 3) as k:
        k._timer.join()  # type: ignore[union-attr]  # the timer fired: the bar is shown
        k.maju("membaca berkas")
        assert k._bar is not None
    assert k._bar is None  # transient: removed when the work ends
    monkeypatch.setattr(console, "_SETELAH", 1.0)
    with console.Kemajuan("evkin status", 1) as cepat:  # work done well within the second: nothing is shown
        cepat.maju("selesai")
    assert cepat._bar is None and "evkin status" not in layar.getvalue()


def test_a_kepala_bidang_sends_only_his_own_sheet_of_the_master(tmp_path: Path, evkin) -> None:  # type: ignore[no-untyped-def]
    """What the Excel button does on a bidang sheet, from the command line: `himpun --sheet`."""
    from openpyxl import load_workbook

    from macros_py.aksi.demo import jalankan_demo

    master = jalankan_demo(tmp_path / "d", info=lambda _: None, sampai=4)
    wb = load_workbook(master)
    wb["Seksi Pemerintahan"]["P9"] = 7  # TW I realisasi typed into his sheet of the master
    wb.save(master)
    lain = evkin("--workbook", master, "--sebagai", "kasi_pem", "himpun", "--sheet", "Seksi Kesos")
    assert lain.kode == 3 and "hanya boleh mengirim data bidangnya sendiri" in lain.galat
    sendiri = evkin("--workbook", master, "--sebagai", "kasi_pem", "himpun", "--sheet", "Seksi Pemerintahan")
    assert sendiri.kode == 0, sendiri.galat
    assert "Seksi Pemerintahan" in sendiri.keluar and "Belum mengirim" in sendiri.keluar
