"""Fill spreadsheets with LibreOffice Calc itself, as bidang staff do: type into cells, delete rows, save.

Facts established with this harness (LibreOffice 7.4.7, Debian; asserted in tests/test_libreoffice_calc.py):

Typing (key strokes + Return, locale id-ID unless said; "saved" is the .xlsx of "Calc MS Excel 2007 XML"):
- Numbers follow the locale's parser. id-ID: "1.250" -> 1250, "85,5" -> 85.5, "1,250" -> 1.25,
  "1.250.000" -> 1250000, "85.5" stays text. en-US: "1.250" -> 1.25, "1,250" -> 1250, "85.5" -> 85.5, "85,5" and
  "1.250.000" stay text. "5/10/2026" is 5 October 2026 (46300) in id-ID and 10 May 2026 (46152) in en-US.
- "97%" is the number 0.97 in both locales. In a cell pre-formatted "#,##0.##" (the template's number columns)
  the format is KEPT: saved numFmt "#,##0.##", screen "0,97" - the file holds no percent format at all. In a
  General cell the cell gets "0.00%" (screen "97,00%").
- In a cell formatted as percent ("0%"), key strokes get the % sign added after the first digit: typing "97" shows
  "97%" and stores 0.97; typing "97%" there gives the text "97%%" (refused by the template's number validation,
  the cell stays empty). `.uno:EnterString` "97%" stores 0.97 (it is not typed key by key).
- A date typed into a "#,##0.##" cell is saved as its serial number (46300) with "#,##0.##" kept (screen
  "46.300"); in a General cell it gets "dd/mm/yy" and python-calamine returns a date.
- "Rp 1.250.000" in a General cell is the number 1250000 with a currency format containing "Rp".
- "'=> Pemadanan" is saved as a shared string WITH the apostrophe ("'=> Pemadanan"), t="s", and no quotePrefix
  on its style; the screen shows the apostrophe too.
- "=> Pemadanan" (no apostrophe) becomes a formula: the screen shows Err:510, the saved cell is t="e" with
  <v>#VALUE!</v>.
- "=1/0" is saved as t="e", <f>1/0</f><v>#DIV/0!</v>. openpyxl (data_only) reads "#DIV/0!"; python-calamine
  0.9.1 reads every error cell as "" - the same as an empty cell.
- Key strokes also get AutoInput (completion from the same column: "Pem" -> "Pemadanan data" when that text is
  above) and AutoCorrect ("a -- b" -> "A – b"). `.uno:EnterString` gets neither; for numbers, percentages (outside
  percent-formatted cells), dates, formulas and apostrophe text it gives the same cells and the same saved sheet
  data as key strokes.
- An empty entry (the Delete key) clears the cell.
- In the distributed template (protected sheet, input cells unlocked) realisasi typed as "12", "1.250.000",
  "85,5", "Rp 2.500.000" are saved as 12, 1250000, 85.5, 2500000 with "#,##0.##" kept; typing into a locked
  cell (the template identity) is refused and the cell keeps its value; the saved file keeps the protection.
  Its protection (no password) forbids Delete Rows; after Tools > Protect Sheet off, rows can be deleted and
  the saved sheet has no <sheetProtection> any more.

Other edits:
- Sheet > Delete Rows of n rows: the rows below move up, and the saved sheet gets n EMPTY <row> elements at the
  very end (rows 1048577-n .. 1048576, with LibreOffice's default height) and a dimension down to row 1048576
  (<dimension ref="A1:B1048576"> for content in A:B).
  python-calamine's height stays that of the content.
- Merging (keeping the hidden cells' contents) is saved as <mergeCell ref="A2:B3"/>; the hidden cells keep
  their values in the file and python-calamine reads them. A hidden row is saved as <row ... hidden="true">.
- Saving as .ods and that .ods again as .xlsx keeps the values (apostrophe text, error cells) and the number
  formats above.
- (Observed while building this, not asserted.) The locale must be set before LibreOffice starts:
  ooSetupSystemLocale changed while it runs changes number parsing for documents opened afterwards, but their
  number formats keep keywords and date orders of the old locale (screen "097%" for 0.97, dates shown month
  first while typed day first).

How it works: one LibreOffice (``soffice --headless --accept=pipe,...``) runs for the whole pytest session with a
private profile (``-env:UserInstallation``) under the pytest temp folder; the locale is written into that profile
(``ooSetupSystemLocale``, and the default document language) before LibreOffice starts, because a locale changed
while LibreOffice runs is only half applied (number formats then show keywords and date orders of the old
locale). A job in another locale therefore restarts LibreOffice with that locale's profile: group tests by locale.
Each job runs ``tests/_uno_client.py`` in the system Python (the only one where ``import uno`` works) and that
client talks UNO to the running LibreOffice. LibreOffice and its child ``soffice.bin`` run in their own process
group and are killed at the end of the session (and at interpreter exit, should the fixture not finish).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

UNO_PYTHON = Path(os.environ.get("EVKIN_UNO_PYTHON", "/usr/bin/python3"))
CLIENT = Path(__file__).with_name("_uno_client.py")
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8"}  # xlsx: what "Use Excel 2007-365!" writes
START_TIMEOUT = 90.0
JOB_TIMEOUT = 180.0

Typing = Literal["keys", "enter"]

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse">\
<value>{locale}</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class TypedCell:
    """One typed cell as Calc had it right after Enter (before rows were deleted)."""

    sheet: str
    cell: str
    typed: str
    shown: str  # the display text: what the person saw on screen, in the job's locale
    type: str  # "value", "text", "formula" or "empty"
    value: float
    formula: str  # Calc's own (en-US) form of the content: "0.97", "=1/0", "''=> Pemadanan"


@dataclass(frozen=True)
class Filled:
    """A file saved by LibreOffice Calc, and what its typed cells showed."""

    path: Path
    cells: list[TypedCell] = field(default_factory=list)

    def shown(self, sheet: str, cell: str) -> str:
        return next(c.shown for c in self.cells if c.sheet == sheet and c.cell == cell)


def unavailable() -> str | None:
    """Why the harness cannot run here (no LibreOffice, or no python3-uno in the system Python), else None."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed"
    if not UNO_PYTHON.is_file():
        return f"{UNO_PYTHON} does not exist (python3-uno needs the system Python)"
    check = subprocess.run([str(UNO_PYTHON), "-c", "import uno"], capture_output=True, env=_client_env())
    if check.returncode != 0:
        return f"python3-uno is not installed ({UNO_PYTHON} cannot import uno)"
    return None


def _client_env() -> dict[str, str]:
    """The environment for the system Python: nothing that points it at the test virtualenv."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}


class Calc:
    """A LibreOffice Calc for a test session: at most one soffice at a time, in the locale of the last job."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._process: subprocess.Popen[bytes] | None = None
        self._locale: str | None = None
        self._pipe = ""
        atexit.register(self.close)

    def fill(
        self,
        source: Path,
        target: Path,
        typed: Sequence[tuple[str, str, str]] = (),
        delete_rows: Sequence[tuple[str, int, int]] = (),
        merge: Sequence[tuple[str, str]] = (),
        hide_rows: Sequence[tuple[str, int]] = (),
        unprotect: Sequence[str] = (),
        locale: str = "id-ID",
        format: Literal["xlsx", "ods"] = "xlsx",
        typing: Typing = "keys",
    ) -> Filled:
        """Open `source` (.xlsx or .ods) in Calc, edit it as a person would and save it as `target`.

        In this order:
        1. `unprotect`: sheets whose protection is removed (Tools > Protect Sheet off; only without a password);
        2. `typed`: (sheet, cell, text) typed and Return pressed; an empty text clears the cell (Delete key); a
           locked cell of a protected sheet refuses the entry and keeps its content, as in the UI;
        3. `merge`: (sheet, "A2:B3") ranges merged keeping the hidden cells' contents (Format > Merge Cells);
        4. `hide_rows`: (sheet, row) rows hidden;
        5. `delete_rows`: (sheet, first_row, last_row) blocks of whole rows deleted (Sheet > Delete Rows).
        Rows are numbered from 1 as on screen, each against the sheet as it is when that step runs. A merge, hide
        or delete that Calc refuses (protected sheet) raises RuntimeError.

        `format` "xlsx" saves with the "Calc MS Excel 2007 XML" filter (what "Use Excel 2007-365!" gives), "ods"
        as OpenDocument. `typing` "keys" sends key strokes to the grid, so everything the UI does while typing
        happens (AutoInput completes text from the same column, AutoCorrect); "enter" hands the whole text to the
        input parser at once (`.uno:EnterString`): the same cells for numbers, percentages, dates, formulas and
        apostrophe text, but no AutoInput or AutoCorrect. `locale` is the Calc locale setting (id-ID, en-US...).
        """
        if format not in FILTERS:
            raise ValueError(f"format must be one of {sorted(FILTERS)}, not {format!r}")
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        job = {
            "action": "fill", "source": str(Path(source).resolve()), "target": str(target.resolve()),
            "filter": FILTERS[format], "typing": typing, "unprotect": list(unprotect),
            "typed": [list(t) for t in typed],
            "merge": [list(m) for m in merge], "hide_rows": [list(h) for h in hide_rows],
            "delete_rows": [list(d) for d in delete_rows],
        }
        answer = self._run(job, locale)
        if not target.is_file():
            raise RuntimeError(f"LibreOffice did not save {target}")
        return Filled(target, [TypedCell(**c) for c in answer["cells"]])

    def convert(self, source: Path, target: Path, locale: str = "id-ID") -> Path:
        """Open `source` and save it unchanged in the format of `target`'s suffix (.xlsx or .ods)."""
        fmt = Path(target).suffix.lower().lstrip(".")
        if fmt not in FILTERS:
            raise ValueError(f"target must end in .xlsx or .ods: {target}")
        return self.fill(source, target, locale=locale, format=fmt).path  # type: ignore[arg-type]

    @property
    def pid(self) -> int | None:
        """The process id of the running soffice (the leader of its process group), or None."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def close(self) -> None:
        """Stop LibreOffice and every process of its group (soffice.bin too).

        The launcher is reaped only after the last signal, so its process group id cannot be taken by another
        process in between: the signals reach only the processes this harness started.
        """
        process, self._process, self._locale = self._process, None, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
            _exited(process, timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin may outlive the launcher
        process.wait()

    def _run(self, job: dict[str, Any], locale: str) -> dict[str, Any]:
        self._ensure(locale)
        return self._client({**job, "pipe": self._pipe, "connect_timeout": 10})

    def _ensure(self, locale: str) -> None:
        if self._process is not None and self._process.poll() is None and self._locale == locale:
            return
        self.close()
        profile = self.folder / f"profile-{locale}"
        registry = profile / "user" / "registrymodifications.xcu"
        if not registry.exists():
            registry.parent.mkdir(parents=True, exist_ok=True)
            registry.write_text(_PROFILE.format(locale=locale), encoding="utf-8")
        self._pipe = f"evkin_calc_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        log = (self.folder / f"soffice-{locale}.log").open("ab")
        self._process = subprocess.Popen(
            [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.resolve().as_uri()}",
             "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
             f"--accept=pipe,name={self._pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
        )
        log.close()
        self._locale = locale
        try:
            answer = self._client({"action": "ping", "pipe": self._pipe, "connect_timeout": START_TIMEOUT})
        except Exception:
            self.close()
            raise
        if answer["locale"] != locale:
            self.close()
            raise RuntimeError(f"LibreOffice started with locale {answer['locale']!r} instead of {locale!r}")

    def _client(self, job: dict[str, Any]) -> dict[str, Any]:
        try:
            done = subprocess.run([str(UNO_PYTHON), str(CLIENT)], input=json.dumps(job).encode(),
                                  capture_output=True, timeout=JOB_TIMEOUT, env=_client_env())
        except subprocess.TimeoutExpired:
            self.close()  # LibreOffice may hang in that document (a dialog?): the next job starts a fresh one
            raise RuntimeError(f"LibreOffice did not finish the {job['action']} job in {JOB_TIMEOUT:g} s") from None
        if done.returncode != 0:
            raise RuntimeError(f"LibreOffice {job['action']} job failed:\n{done.stderr.decode(errors='replace')}")
        return json.loads(done.stdout)


def _exited(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until `process` has exited, without reaping it (it stays a zombie, keeping its pid and group id)."""
    if process.returncode is not None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return
        time.sleep(0.1)


@contextlib.contextmanager
def start_calc(folder: Path) -> Iterator[Calc]:
    """A `Calc` whose LibreOffice is stopped when the block ends, however it ends."""
    calc = Calc(folder)
    try:
        yield calc
    finally:
        calc.close()
