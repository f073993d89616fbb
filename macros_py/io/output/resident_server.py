"""The resident converter: one LibreOffice kept running headless, turning spreadsheets into PDF on request.

Not imported by the program: `io/output/resident.py` runs this file with a Python that can ``import uno`` —
LibreOffice's own python on Windows (pyuno is bundled with LibreOffice there and never importable from the user's
Python), the system python3 with python3-uno on Linux. So it uses only the standard library and uno, in the syntax
of Python 3.8 (the oldest LibreOffice bundles).

    python resident_server.py --folder STATE --soffice PATH --idle SECONDS --nonce TEXT

It takes STATE/use.lock for its whole life (one converter per profile), connects to a LibreOffice already
listening on its pipe (one left behind by a converter that was killed) or starts one with the profile
STATE/profile, listens on 127.0.0.1 (a free port) and writes STATE/server.json: port, a random token that every
request must carry (the folder is the user's own), its pid and process groups, and the starter's nonce.
Requests, one JSON line per connection, answered by one JSON line:
``{"action": "convert", "source": PATH, "target": PATH}``: load the spreadsheet hidden, store it with
calc_pdf_Export (what ``soffice --convert-to pdf`` uses for a spreadsheet), close it; ``{"action": "stop"}``:
answered once LibreOffice has ended. After SECONDS without a request, or when LibreOffice has gone, it stops by
itself: closes the port, ends LibreOffice, removes server.json, releases the lock.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

START_TIMEOUT = 90.0
LOCK_WAIT = 30.0  # a previous converter still ending its LibreOffice
END_WAIT = 15.0


def _lock(path: Path, tunggu: float) -> IO[bytes]:
    """An exclusive OS lock on `path` (the one filelock takes), held until the file is closed or the process ends."""
    f = open(path, "a+b")  # noqa: SIM115 (held for the life of the process)
    batas = time.monotonic() + tunggu
    while True:
        try:
            if sys.platform == "win32":
                import msvcrt

                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except OSError:
            if time.monotonic() > batas:
                f.close()
                raise
            time.sleep(0.1)


def _props(**nilai: Any) -> tuple[Any, ...]:
    return tuple(PropertyValue(Name=k, Value=v) for k, v in nilai.items())


class Office:
    """The LibreOffice this converter talks to: started here, or one that a killed converter left running on the
    profile's pipe, taken over (a second LibreOffice on the same profile would only hand its work to that one)."""

    def __init__(self, soffice: str, folder: Path) -> None:
        profile = folder / "profile"
        record = folder / "office.json"  # the pid of the LibreOffice last started on the profile
        self.pipe = "evkin-" + hashlib.sha256(str(profile.resolve()).encode()).hexdigest()[:20]
        self._resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
        self._url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        self.proses: subprocess.Popen[bytes] | None = None
        self.desktop: Any = None
        self.pid: int | None = None
        try:
            ctx = self._resolver.resolve(self._url)
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                self.pid = int(json.loads(record.read_text(encoding="utf-8"))["pid"])
        except NoConnectException:
            self.proses = self._start(soffice, profile)
            self.pid = self.proses.pid
            _write_state(record, {"pid": self.pid})
            try:
                ctx = self._connect()
            except BaseException as e:  # also SIGTERM from a starter that stopped waiting
                self.end()
                if isinstance(e, NoConnectException):
                    # A profile LibreOffice cannot start with (a run killed while writing it): the next start
                    # makes a new one; this caller converts the one-shot way.
                    shutil.rmtree(profile, ignore_errors=True)
                raise
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def _start(self, soffice: str, profile: Path) -> subprocess.Popen[bytes]:
        opsi: dict[str, Any] = {"stdin": subprocess.DEVNULL}
        if sys.platform == "win32":
            opsi["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        else:
            opsi["start_new_session"] = True  # its own group: ended with soffice.bin, whatever happens to us
        return subprocess.Popen(
            [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible", "--nologo",
             "--nodefault", "--norestore", "--nolockcheck", f"--accept=pipe,name={self.pipe};urp;"], **opsi)

    def _connect(self) -> Any:
        batas = time.monotonic() + START_TIMEOUT
        while True:
            try:
                return self._resolver.resolve(self._url)
            except NoConnectException:
                if not self._running() or time.monotonic() > batas:
                    raise
                time.sleep(0.05)

    def _running(self) -> bool:
        """Whether LibreOffice is still there: the process started here, else the process group of the one taken
        over (POSIX), else its pipe."""
        if self.proses is not None:
            return self.proses.poll() is None
        if self.pid is not None and sys.platform != "win32":
            try:
                os.killpg(self.pid, 0)
                return True
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
        try:
            self._resolver.resolve(self._url)
            return True
        except NoConnectException:
            return False

    def alive(self) -> bool:
        if not self._running():
            return False
        try:
            self.desktop.getFrames()  # one round trip
            return True
        except Exception:
            return False

    def convert(self, source: str, target: str) -> None:
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                _props(Hidden=True, ReadOnly=True))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {source}")
        try:
            if not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
                raise RuntimeError(f"{source} is not a spreadsheet")
            doc.storeToURL(uno.systemPathToFileUrl(target), _props(FilterName="calc_pdf_Export"))
        finally:
            doc.close(True)

    def _wait(self, detik: float) -> bool:
        batas = time.monotonic() + detik
        while self._running():
            if time.monotonic() > batas:
                return False
            time.sleep(0.05)
        return True

    def end(self) -> None:
        """Ask LibreOffice to quit and wait for it; kill it when it does not."""
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge goes away while terminate() returns
                self.desktop.terminate()
        if self._wait(END_WAIT if self.desktop is not None else 0) or self.pid is None:
            return
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(self.pid)], capture_output=True,
                           creationflags=subprocess.CREATE_NO_WINDOW)
        else:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
        self._wait(END_WAIT)


def _write_state(path: Path, data: dict[str, Any]) -> None:
    sementara = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(sementara, path)


def _answer(conn: socket.socket, data: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps(data).encode() + b"\n")


def _groups(office: Office) -> list[int]:
    """The process groups to end should this converter stop answering (POSIX): its own and LibreOffice's."""
    if sys.platform == "win32":
        return []
    return sorted({os.getpgrp(), *([office.pid] if office.pid else [])})


def serve(folder: Path, soffice: str, idle: float, nonce: str) -> None:
    kunci = _lock(folder / "use.lock", LOCK_WAIT)
    state = folder / "server.json"
    office = Office(soffice, folder)
    token = secrets.token_hex(16)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    berhenti: socket.socket | None = None
    try:
        srv.bind(("127.0.0.1", 0))
        srv.listen(16)
        srv.settimeout(1.0)
        _write_state(state, {
            "port": srv.getsockname()[1], "token": token, "nonce": nonce, "pid": os.getpid(),
            "groups": _groups(office),
        })
        terakhir = time.monotonic()
        while office.alive():
            try:
                conn, _ = srv.accept()
            except socket.timeout:  # noqa: UP041 (not yet TimeoutError in Python 3.8)
                if time.monotonic() - terakhir > idle:
                    break
                continue
            conn.settimeout(30)
            try:
                baris = conn.makefile("rb").readline(1 << 16)
                permintaan = json.loads(baris) if baris.strip() else {}
            except (OSError, ValueError):
                conn.close()
                continue
            if not permintaan:  # a starter checking that the port answers
                conn.close()
                continue
            if not secrets.compare_digest(str(permintaan.get("token", "")), token):
                _answer(conn, {"ok": False, "error": "token"})
                conn.close()
                continue
            terakhir = time.monotonic()
            if permintaan.get("action") == "stop":
                berhenti = conn
                break
            try:
                office.convert(str(permintaan["source"]), str(permintaan["target"]))
                _answer(conn, {"ok": True})
            except Exception as e:  # the document, or LibreOffice gone: the caller converts another way
                _answer(conn, {"ok": False, "error": f"{type(e).__name__}: {e}"})
            conn.close()
            terakhir = time.monotonic()
    finally:
        srv.close()
        with contextlib.suppress(OSError, ValueError):
            if json.loads(state.read_text(encoding="utf-8")).get("token") == token:
                state.unlink()
        office.end()
        kunci.close()
        if berhenti is not None:
            _answer(berhenti, {"ok": True})
            berhenti.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--folder", type=Path, required=True)
    p.add_argument("--soffice", required=True)
    p.add_argument("--idle", type=float, required=True)
    p.add_argument("--nonce", required=True)
    a = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # cleans up through serve's finally
    serve(a.folder, a.soffice, a.idle, a.nonce)
    return 0


if __name__ == "__main__":
    sys.exit(main())
