"""The wheel an office copies to its PCs (issue 18, item 16): built from the sources, installed — not an editable
checkout — into a fresh virtualenv, and `evkin demo` run from it. The dependencies come from this test's own
environment (a .pth line), so nothing is downloaded; the package itself must come from the wheel."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUMBER = ("pyproject.toml", "README.md", "macros_py", "sheets_schema", "contoh")  # what a build reads


def _jalankan(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proses = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proses.returncode == 0, f"{args}\n{proses.stdout[-2000:]}\n{proses.stderr[-2000:]}"
    return proses


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build --wheel` on a copy of the sources (a build writes build/ and egg-info beside them)."""
    dasar = tmp_path_factory.mktemp("wheel")
    sumber = dasar / "sumber"
    for nama in SUMBER:
        if (ROOT / nama).is_dir():
            shutil.copytree(ROOT / nama, sumber / nama, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            sumber.mkdir(exist_ok=True)
            shutil.copyfile(ROOT / nama, sumber / nama)
    dist = dasar / "dist"
    if importlib.util.find_spec("build") is not None:  # the dev extra has it: the command the README gives
        perintah = [sys.executable, "-m", "build", "--wheel", "--outdir", dist, sumber]
    else:  # an environment installed before `build` joined the dev extra: the same isolated build through pip
        perintah = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, sumber]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _jalankan(perintah, dasar, env)
    [hasil] = dist.glob("evaluasi_kinerja-*-py3-none-any.whl")
    return hasil


def test_wheel_holds_every_module_the_schema_and_the_sample_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        isi = set(z.namelist())
    modul = {p.relative_to(ROOT).as_posix() for p in (ROOT / "macros_py").rglob("*.py")}
    assert modul - isi == set(), "modules missing from the wheel: add their package to pyproject.toml"
    data = {f"macros_py/sheets_schema/{p.name}" for p in (ROOT / "sheets_schema").glob("*.yaml")}
    data |= {f"macros_py/contoh/{p.name}" for p in (ROOT / "contoh").glob("*.yaml")}
    assert data and data - isi == set()
    assert any(n.endswith("entry_points.txt") for n in isi)


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_virtualenv_runs_the_demo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    _jalankan([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    skrip = venv / ("Scripts" if os.name == "nt" else "bin")
    python = skrip / ("python.exe" if os.name == "nt" else "python")
    _jalankan([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
              tmp_path, env)
    site = Path(_jalankan([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                          env).stdout.strip())
    dependensi = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]
    (site / "zz_dependensi_uji.pth").write_text("\n".join(dependensi) + "\n")  # searched after the wheel's own

    lokasi = _jalankan([python, "-c", "import macros_py; print(macros_py.__file__)"], tmp_path, env).stdout.strip()
    assert Path(lokasi).is_relative_to(venv), lokasi
    evkin = skrip / ("evkin.exe" if os.name == "nt" else "evkin")
    keluar = tmp_path / "demo-output"
    hasil = _jalankan([evkin, "demo", keluar], tmp_path, env)
    assert "Demo selesai" in hasil.stdout + hasil.stderr
    assert (keluar / "Evaluasi_Kinerja.xlsx").is_file()
    _jalankan([evkin, "verifikasi", keluar / "arsip" / "2026-TW3", "--percaya", keluar / "CA_Kecamatan_Mangkutana.pem"],
              tmp_path, env)
