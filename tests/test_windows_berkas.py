"""Windows file semantics, simulated on Linux (issue 18, items 1, 2, 4, 6, 7): a file another program holds for a
moment (antivirus, indexer, OneDrive, a read-only Excel), read-only files and folders to remove, a stale Excel
owner file, permissions of created files, a run from another folder. Output: test_windows_keluaran.py."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from macros_py.aksi.demo import jalankan_demo
from macros_py.domain.errors import WorkbookSibuk
from macros_py.io import files
from macros_py.io.engines.memory_book import MemoryBook
from macros_py.io.unit_of_work import MemoryUnitOfWork, SesudahSimpanGagal
from tests.conftest import Hasil, sha256

ROOT = Path(__file__).resolve().parent.parent
PERCOBAAN = len(files.RETRY_DELAYS) + 1


def ditolak_windows(path: object, winerror: int = 32) -> PermissionError:
    """What Windows raises while another program has the file open (sharing violation) or refuses it (5)."""
    e = PermissionError(13, "The process cannot access the file because it is being used by another process",
                        str(path))
    e.winerror = winerror  # type: ignore[attr-defined]
    return e


@pytest.fixture
def jeda(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses between tries, recorded instead of slept: tests bound the number of tries, never the time."""
    dicatat: list[float] = []
    monkeypatch.setattr(files, "_sleep", dicatat.append)
    return dicatat


def replace_yang_menolak(monkeypatch: pytest.MonkeyPatch, kali: int,
                         kena: Callable[[Path], bool] = lambda _p: True) -> list[Path]:
    """os.replace refusing the first `kali` calls whose destination `kena` selects, as Windows does while a handle
    is open; returns the destinations of those calls."""
    asli = os.replace
    panggilan: list[Path] = []

    def replace(sumber: object, tujuan: object, **kw: object) -> None:
        if kena(Path(str(tujuan))):
            panggilan.append(Path(str(tujuan)))
            if len(panggilan) <= kali:
                raise ditolak_windows(tujuan, 5 if len(panggilan) % 2 else 32)
        asli(sumber, tujuan, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    return panggilan


# ---- 1. replacing the master and the files beside it -----------------------------------------------------


def test_master_replaced_once_windows_lets_go(master: Path, evkin: Callable[..., Hasil],
                                              monkeypatch: pytest.MonkeyPatch, jeda: list[float]) -> None:
    sebelum = sha256(master)
    panggilan = replace_yang_menolak(monkeypatch, 3, lambda p: p == master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 0, hasil.galat
    assert sha256(master) != sebelum and sha256(files.backup_file(master)) == sebelum
    assert len(panggilan) == 4 and len(jeda) == 3


def test_master_held_too_long_exit_5_says_who_may_hold_it_and_nothing_changed(
        master: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch, jeda: list[float]) -> None:
    sebelum = sha256(master)
    panggilan = replace_yang_menolak(monkeypatch, 10**6, lambda p: p == master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5
    for kata in ("Excel", "antivirus", "OneDrive", "panel pratinjau", str(master), "tidak berubah", "ulangi"):
        assert kata in hasil.galat
    assert "tak terduga" not in hasil.galat
    assert len(panggilan) == PERCOBAAN and len(jeda) == PERCOBAAN - 1
    assert sha256(master) == sebelum
    assert not list(master.parent.glob(".evkin-tmp-*"))


def test_staged_file_held_after_the_save_exit_5_says_the_workbook_was_saved(
        tmp_path: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch, jeda: list[float]) -> None:
    master = jalankan_demo(tmp_path / "demo", info=lambda _: None, sampai=4)
    sebelum = sha256(master)
    panggilan = replace_yang_menolak(monkeypatch, 10**6, lambda p: "kiriman_diterima" in p.parts)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "himpun", master.parent / "kiriman")
    assert hasil.kode == 5, hasil.galat
    assert "Workbook sudah disimpan" in hasil.galat and "kiriman_diterima" in hasil.galat
    assert "tidak berubah" not in hasil.galat and "tidak diubah" not in hasil.galat
    assert sha256(master) != sebelum
    assert len(panggilan) == PERCOBAAN
    assert not list(master.parent.rglob(f"{files.STAGING_PREFIX}*"))


# ---- 2. folders: a rename while a file inside is read, read-only files and folders -----------------------


def test_staged_folder_moved_once_the_file_inside_is_let_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            jeda: list[float]) -> None:
    uow = MemoryUnitOfWork(MemoryBook({}), tmp_path)
    panggung = uow.stage(tmp_path / "arsip" / "2026-TW3")
    (panggung / "kiriman").mkdir(parents=True)
    (panggung / "kiriman" / "a.xlsx").write_bytes(b"isi")
    panggilan = replace_yang_menolak(monkeypatch, 4)
    with uow:
        uow.commit()
    assert (tmp_path / "arsip" / "2026-TW3" / "kiriman" / "a.xlsx").read_bytes() == b"isi"
    assert len(panggilan) == 5 and len(jeda) == 4
    assert not panggung.exists()


def test_staged_folder_held_for_good_exit_5_after_bounded_tries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                jeda: list[float]) -> None:
    uow = MemoryUnitOfWork(MemoryBook({}), tmp_path)
    panggung = uow.stage(tmp_path / "arsip" / "2026-TW3")
    panggung.mkdir()
    panggilan = replace_yang_menolak(monkeypatch, 10**6)
    with pytest.raises(SesudahSimpanGagal) as e, uow:
        uow.commit()
    assert e.value.exit_code == 5 and "Workbook sudah disimpan" in e.value.pesan and "arsip" in e.value.pesan
    assert len(panggilan) == PERCOBAAN


@pytest.fixture
def hapus_ala_windows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """os.unlink/os.remove/os.rmdir refusing a read-only file or folder, as Windows does (here we run as root,
    whom POSIX lets delete anything); returns what was refused."""
    ditolak: list[str] = []

    def periksa(asli: Callable[..., None]) -> Callable[..., None]:
        def fungsi(path: str, *, dir_fd: int | None = None) -> None:
            if not os.stat(path, dir_fd=dir_fd, follow_symlinks=False).st_mode & stat.S_IWRITE:
                ditolak.append(os.fspath(path))
                raise ditolak_windows(path, 5)
            asli(path, dir_fd=dir_fd)
        return fungsi

    for nama in ("unlink", "remove", "rmdir"):
        monkeypatch.setattr(os, nama, periksa(getattr(os, nama)))
    return ditolak


def _pohon_baca_saja(akar: Path) -> None:
    (akar / "kiriman" / "PEM").mkdir(parents=True)
    for berkas in (akar / "MANIFEST.json", akar / "kiriman" / "PEM" / "a.xlsx", akar / "kiriman" / "b.pdf"):
        berkas.write_bytes(b"x")
        berkas.chmod(0o444)
    for folder in (akar / "kiriman" / "PEM", akar / "kiriman", akar):
        folder.chmod(0o555)


def test_remove_tree_removes_read_only_files_and_folders(tmp_path: Path, hapus_ala_windows: list[str]) -> None:
    akar = tmp_path / "arsip"
    _pohon_baca_saja(akar)
    with pytest.raises(PermissionError):
        os.unlink(akar / "MANIFEST.json")  # the simulation refuses as Windows does
    files.remove_tree(akar)
    assert not akar.exists()
    berkas = tmp_path / "Evaluasi_Kinerja_2026_TW3_ARSIP.xlsx"
    berkas.write_bytes(b"x")
    berkas.chmod(0o444)
    files.remove_tree(berkas)
    assert not berkas.exists()


def test_remove_tree_retries_a_file_held_inside_then_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              jeda: list[float]) -> None:
    akar = tmp_path / "demo-output" / "dokumen"
    akar.mkdir(parents=True)
    dipegang = akar / "Dokumen_v1.pdf"
    dipegang.write_bytes(b"%PDF")
    asli = os.unlink
    tolakan = {"sisa": 2}

    def unlink(path: str, *, dir_fd: int | None = None) -> None:
        if os.path.basename(path) == dipegang.name and tolakan["sisa"] > 0:
            tolakan["sisa"] -= 1
            raise ditolak_windows(dipegang)
        asli(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    files.remove_tree(akar.parent)  # first try: refused, and refused again right after clearing read-only
    assert not akar.parent.exists() and len(jeda) == 1

    akar.mkdir(parents=True)
    dipegang.write_bytes(b"%PDF")
    tolakan["sisa"] = 10**6
    with pytest.raises(WorkbookSibuk) as e:
        files.remove_tree(akar.parent)
    assert "Menghapus" in e.value.pesan and dipegang.name in e.value.pesan and "penampil PDF" in e.value.pesan
    assert len(jeda) == 1 + PERCOBAAN - 1


# ---- 4. a stale owner file --------------------------------------------------------------------------------


def _pemilik(master: Path, nama: bytes = b"Budi Santoso") -> Path:
    owner = master.parent / ("~$" + master.name[2:])
    owner.write_bytes(bytes([len(nama)]) + nama + b" " * 40)
    return owner


def test_stale_owner_file_on_windows_says_to_delete_it_and_keeps_it(
        master: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch) -> None:
    owner = _pemilik(master)
    monkeypatch.setattr(files, "owner_file_held", lambda _p: False)
    sebelum = sha256(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5
    assert "tertinggal" in hasil.galat and f"hapus berkas tersembunyi {owner}" in hasil.galat
    assert "Budi Santoso" in hasil.galat and "tidak dihapus otomatis" in hasil.galat
    assert owner.exists() and sha256(master) == sebelum


def test_owner_file_held_by_excel_says_close_excel_only(master: Path, evkin: Callable[..., Hasil],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _pemilik(master)
    monkeypatch.setattr(files, "owner_file_held", lambda _p: True)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5
    assert "sedang dibuka di Excel oleh Budi Santoso" in hasil.galat and "Tutup workbook" in hasil.galat
    assert "hapus" not in hasil.galat


def test_owner_file_unknown_names_both_ways_and_hints_when_older_than_the_save(
        master: Path, evkin: Callable[..., Hasil]) -> None:
    owner = _pemilik(master)
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5
    assert "Tutup workbook" in hasil.galat and f"hapus berkas tersembunyi {owner}" in hasil.galat
    assert "mungkin tertinggal" not in hasil.galat
    waktu = master.stat().st_mtime
    os.utime(owner, (waktu - 3600, waktu - 3600))
    hasil = evkin("--workbook", master, "--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 5 and "mungkin tertinggal" in hasil.galat and owner.exists()


# ---- 6. permissions of created files ----------------------------------------------------------------------


@pytest.fixture
def umask_kantor() -> Iterator[int]:
    """A shared office folder: group members may write (umask 002), so created files are 664, folders 775."""
    lama = os.umask(0o002)
    try:
        yield 0o002
    finally:
        os.umask(lama)


def test_created_files_have_the_folders_normal_permissions_and_the_archive_is_read_only(
        tmp_path: Path, umask_kantor: int) -> None:
    master = jalankan_demo(tmp_path / "demo", info=lambda _: None)
    arsip = master.parent / "arsip"
    dicek = 0
    for path in master.parent.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o777 & ~umask_kantor, path
        elif arsip in path.parents:
            assert mode == 0o444, path
        else:
            assert mode == 0o666 & ~umask_kantor, path
        dicek += 1
    assert dicek > 30 and (master.parent / "dokumen").is_dir()


def test_signed_pdf_and_manifest_are_not_private(tmp_path: Path, umask_kantor: int) -> None:
    from macros_py.io.arsip.seal import write_manifest
    from macros_py.io.signing.pades import _write_new

    _write_new(tmp_path / "ditandatangani.pdf", b"%PDF-1.7")
    (tmp_path / "a.txt").write_text("a")
    write_manifest(tmp_path, {"unit": "uji"})
    for nama in ("ditandatangani.pdf", "MANIFEST.json", "MANIFEST.sha256"):
        assert stat.S_IMODE((tmp_path / nama).stat().st_mode) == 0o664, nama


# ---- 7. the default workbook, from another folder ---------------------------------------------------------


def test_master_not_found_from_another_folder_names_the_path_and_both_ways(
        tmp_path: Path, evkin: Callable[..., Hasil], monkeypatch: pytest.MonkeyPatch) -> None:
    rumah = tmp_path / "Users" / "NAMA"
    rumah.mkdir(parents=True)
    monkeypatch.chdir(rumah)
    monkeypatch.delenv(files.ENV_WORKBOOK, raising=False)
    hasil = evkin("--sebagai", "kasubag", "langkah", "mulai", "1")
    assert hasil.kode == 2
    assert str(rumah / "workbook" / "Evaluasi_Kinerja.xlsx") in hasil.galat
    assert f"relatif terhadap folder tempat perintah dijalankan, {rumah}" in hasil.galat
    assert "--workbook" in hasil.galat and files.ENV_WORKBOOK in hasil.galat and "init --tahun" in hasil.galat
    assert not (rumah / "workbook").exists()
    assert evkin("status").galat == hasil.galat


def test_workbook_from_the_environment_variable_from_any_folder(tmp_path: Path, master: Path) -> None:
    lain = tmp_path / "folder-lain"
    lain.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), files.ENV_WORKBOOK: str(master)}
    proses = subprocess.run([sys.executable, "-m", "macros_py", "status", "--json"], cwd=lain, env=env,
                            capture_output=True, text=True, timeout=120)
    assert proses.returncode == 0, proses.stderr
    env[files.ENV_WORKBOOK] = str(tmp_path / "salah.xlsx")
    proses = subprocess.run([sys.executable, "-m", "macros_py", "status"], cwd=lain, env=env,
                            capture_output=True, text=True, timeout=120)
    assert proses.returncode == 2
    assert f"{tmp_path / 'salah.xlsx'} (dari variabel lingkungan {files.ENV_WORKBOOK})" in proses.stderr
