"""The resident converter, seen from the program: started on first use, found again by later conversions of this
process and of later processes, stopped by itself after some idle minutes.

Starting LibreOffice is ~90% of a one-shot conversion; a LibreOffice already running converts a kecamatan document
in ~0.1–0.2 s. `resident_server.py` keeps one running, with its own profile, under STATE (a folder of the user's
cache). It is run by a Python that can import uno (`uno_python`): LibreOffice's own python beside soffice
(Windows, LibreOffice's own Linux packages) or the system python3 with python3-uno (Debian, Ubuntu, Fedora). Where
there is none, or anything about the converter fails, `convert` answers False and the caller converts the one-shot
way: the converter only ever saves time.

Only spreadsheets go this way (all the program converts): a document of a kind LibreOffice cannot open here (a
.docx without LibreOffice Writer) would hang the loading, where the one-shot way reports why.
EVKIN_LO_RESIDEN: minutes the converter waits for the next conversion before it stops (default 10); 0: none, every
conversion starts LibreOffice.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ENV_MENIT = "EVKIN_LO_RESIDEN"
ENV_PYTHON = "EVKIN_UNO_PYTHON"
MENIT_BAKU = 10.0
START_WAIT = 90.0  # LibreOffice's first start with a new profile, on a slow PC
CONNECT_TIMEOUT = 5.0
SPREADSHEET = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
SERVER = Path(__file__).with_name("resident_server.py")

_pemanasan: threading.Thread | None = None


def idle_seconds() -> float:
    """How long the converter waits for the next conversion (EVKIN_LO_RESIDEN minutes); 0: no converter."""
    try:
        return max(0.0, float(os.environ.get(ENV_MENIT, MENIT_BAKU))) * 60
    except ValueError:
        return MENIT_BAKU * 60


def uno_python(program: Path) -> Path | None:
    """A Python that can import uno: EVKIN_UNO_PYTHON, LibreOffice's own beside soffice, else the system python3
    (Linux packages put pyuno there). Whether it really can is known when the converter starts."""
    if os.environ.get(ENV_PYTHON):
        return Path(os.environ[ENV_PYTHON])
    folder = program.resolve().parent
    for nama in ("python.exe", "python"):
        if (folder / nama).is_file():
            return folder / nama
    sistem = Path("/usr/bin/python3")
    return sistem if os.name == "posix" and sistem.is_file() else None


def _state(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / "server.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and {"port", "token"} <= data.keys() else None
    except (OSError, ValueError):
        return None


def _connect(state: dict[str, Any]) -> socket.socket:
    return socket.create_connection(("127.0.0.1", int(state["port"])), timeout=CONNECT_TIMEOUT)


def _answers(state: dict[str, Any]) -> bool:
    """Whether a converter listens on the state's port (an empty connection, which it ignores)."""
    try:
        _connect(state).close()
        return True
    except OSError:
        return False


def _request(state: dict[str, Any], pesan: dict[str, Any], timeout: float) -> dict[str, Any]:
    with _connect(state) as s:
        s.settimeout(timeout)
        s.sendall(json.dumps({**pesan, "token": state["token"]}).encode() + b"\n")
        baris = s.makefile("rb").readline()
    if not baris:
        raise ConnectionError("the converter closed the connection")
    jawaban = json.loads(baris)
    return jawaban if isinstance(jawaban, dict) else {}


def _kill(state: dict[str, Any]) -> None:
    """End a converter that does not answer, and its LibreOffice."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(int(state["pid"]))], capture_output=True,
                           timeout=30, creationflags=subprocess.CREATE_NO_WINDOW)
    else:
        for grup in state.get("groups", []):
            with contextlib.suppress(OSError):
                os.killpg(int(grup), signal.SIGKILL)


def _forget(folder: Path, state: dict[str, Any]) -> None:
    """Remove the state file when it is still this converter's."""
    with contextlib.suppress(OSError):
        if (_state(folder) or {}).get("token") == state["token"]:
            (folder / "server.json").unlink()


def _detached() -> dict[str, Any]:
    """Popen options for a process that outlives this one and is not ended with its console or group."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _start(program: Path, folder: Path, tunggu: float) -> dict[str, Any] | None:
    """The running converter, started here unless another process did (under STATE/start.lock), waiting at most
    `tunggu` seconds for it; None when it cannot run here."""
    from filelock import FileLock, Timeout

    batas = time.monotonic() + tunggu
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / "start.lock"), timeout=tunggu):
            state = _state(folder)
            if state is not None and _answers(state):
                return state
            python = uno_python(program)
            if python is None or not SERVER.is_file():
                return None
            with contextlib.suppress(FileNotFoundError):
                (folder / "server.json").unlink()
            nonce = secrets.token_hex(8)
            with (folder / "server.log").open("wb") as log:
                proses = subprocess.Popen(
                    [str(python), str(SERVER), "--folder", str(folder), "--soffice", str(program),
                     "--idle", str(idle_seconds()), "--nonce", nonce],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, **_detached())
            while time.monotonic() < batas:
                state = _state(folder)
                if state is not None and state.get("nonce") == nonce:
                    return state
                if proses.poll() is not None:
                    return None  # no uno in that Python, LibreOffice did not start: see server.log
                time.sleep(0.02)
            _abandon(proses)
            return None
    except (OSError, Timeout):
        return None


def _abandon(proses: subprocess.Popen[bytes]) -> None:
    """End a converter that did not get ready in time, with the LibreOffice it was starting."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proses.pid)], capture_output=True, timeout=30,
                           creationflags=subprocess.CREATE_NO_WINDOW)
    else:
        with contextlib.suppress(OSError):
            os.killpg(proses.pid, signal.SIGTERM)  # it ends its LibreOffice on the way out
    with contextlib.suppress(subprocess.TimeoutExpired):
        proses.wait(30)


def warm_up(program: Path, folder: Path) -> None:
    """Start the converter in the background while the caller prepares the file to convert (a thread here,
    so the ~1 s LibreOffice takes to start runs beside the caller's own work)."""
    global _pemanasan
    if idle_seconds() <= 0 or (_pemanasan is not None and _pemanasan.is_alive()):
        return
    state = _state(folder)
    if state is not None and _answers(state):
        return
    _pemanasan = threading.Thread(target=_start, args=(program, folder, START_WAIT), name="evkin-lo-warm-up",
                                  daemon=True)
    _pemanasan.start()


def convert(program: Path, folder: Path, sumber: Path, target: Path, timeout: float) -> bool:
    """Convert spreadsheet `sumber` to PDF `target` with the running converter (started if needed); False when
    that cannot be done here (the caller converts the one-shot way)."""
    if idle_seconds() <= 0 or sumber.suffix.lower() not in SPREADSHEET:
        return False
    tunggu = min(START_WAIT, timeout)
    if _pemanasan is not None:
        _pemanasan.join(tunggu)
    for _ in range(2):  # a converter that has just stopped (idle, or killed) is started again once
        state = _state(folder)
        if state is None or not _answers(state):
            state = _start(program, folder, tunggu)
            if state is None:
                return False
        try:
            jawaban = _request(state, {"action": "convert", "source": str(sumber.resolve()),
                                       "target": str(target.resolve())}, timeout)
        except ConnectionError:  # refused, or closed unanswered: the converter has gone (its LibreOffice is taken
            _forget(folder, state)  # over by the next one)
            continue
        except (OSError, ValueError):  # no answer in time: a LibreOffice that hangs is ended
            _kill(state)
            _forget(folder, state)
            return False
        return bool(jawaban.get("ok")) and target.is_file()
    return False


def stop(folder: Path, timeout: float = 60) -> None:
    """Stop the folder's converter, if one runs or this process is starting one; returns once its LibreOffice has
    ended."""
    if _pemanasan is not None:
        _pemanasan.join(START_WAIT)
    state = _state(folder)
    if state is None:
        return
    try:
        _request(state, {"action": "stop"}, timeout)
    except ConnectionError:  # gone already
        pass
    except (OSError, ValueError):
        _kill(state)
    _forget(folder, state)
