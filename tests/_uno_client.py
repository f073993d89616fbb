"""UNO client run by the SYSTEM Python (`/usr/bin/python3`, where `import uno` works), one job per process.

`tests/libreoffice_calc.py` starts this script with a JSON job on stdin and reads a JSON answer from stdout.
It connects to the LibreOffice that the harness keeps running (``--accept=pipe,name=...``), does the job and
leaves that LibreOffice running. Jobs:

- ``{"action": "ping", "pipe": NAME, "connect_timeout": S}``: wait until LibreOffice answers; answers its locale.
- ``{"action": "fill", "pipe": NAME, "source": PATH, "target": PATH, "filter": FILTER, "typing": "keys"|"enter",
  "unprotect": [SHEET...], "typed": [[SHEET, CELL, TEXT]...], "merge": [[SHEET, RANGE]...],
  "hide_rows": [[SHEET, ROW]...], "delete_rows": [[SHEET, FIRST, LAST]...]}``: open SOURCE, remove the protection
  of the UNPROTECT sheets, type each TEXT into its cell, merge, hide rows, delete rows (in that order; rows are
  1-based as the UI shows them), store to TARGET with FILTER and close the document. Answers what each typed cell
  showed right after Enter. A merge or row command that Calc refuses (protected sheet) fails the job.

Typing ``keys`` sends the key strokes and a final Return to the sheet's grid window through LibreOffice's UI test
service (``org.libreoffice.uitest.UITest``), so the text goes through Calc's input line exactly as when a person
types it (input parser of the locale, AutoInput, AutoCorrect). Typing ``enter`` dispatches ``.uno:EnterString`` on
the selected cell: the same input parser that runs on Enter, without the key-by-key editing.

On failure it writes the reason to stderr and exits with a non-zero code; the document is always closed.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

CELL_TYPES = {"EMPTY": "empty", "VALUE": "value", "TEXT": "text", "FORMULA": "formula"}


def _props(**values: Any) -> tuple[Any, ...]:
    return tuple(PropertyValue(Name=k, Value=v) for k, v in values.items())


def _connect(pipe: str, timeout: float) -> Any:
    """The office's component context; retried until `timeout` seconds have passed (LibreOffice is starting)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _locale(ctx: Any) -> str:
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess", _props(nodepath="/org.openoffice.Setup/L10N"))
    return str(access.getPropertyValue("ooSetupSystemLocale"))


def _seen(cell: Any) -> dict[str, Any]:
    """What the cell holds and shows after Enter: the display text is what the person saw on screen."""
    return {"shown": cell.getString(), "type": CELL_TYPES.get(cell.getType().value, cell.getType().value),
            "value": cell.getValue(), "formula": cell.getFormula()}


class _Typist:
    """Enters text into cells of one loaded document, by key strokes or by `.uno:EnterString`."""

    def __init__(self, ctx: Any, doc: Any, typing: str) -> None:
        self.smgr = ctx.ServiceManager
        self.ctx = ctx
        self.doc = doc
        self.controller = doc.getCurrentController()
        self.frame = self.controller.getFrame()
        self.dispatcher = self.smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        self.typing = typing
        self.grid = None
        if typing == "keys":
            ui = self.smgr.createInstanceWithContext("org.libreoffice.uitest.UITest", ctx)
            if ui is None:
                raise RuntimeError("LibreOffice has no UI test service (org.libreoffice.uitest.UITest); "
                                   "use typing='enter'")
            self.grid = ui.getTopFocusWindow().getChild("grid_window")

    def dispatch(self, command: str, **args: Any) -> None:
        self.dispatcher.executeDispatch(self.frame, command, "", 0, _props(**args))

    def select(self, sheet: Any, target: Any) -> None:
        self.controller.setActiveSheet(sheet)
        self.controller.select(target)

    def rows(self, sheet_name: str, first: int, last: int, command: str) -> None:
        """Select whole rows `first`..`last` (1-based) and run a row command, failing when Calc refuses it."""
        sheet = self.doc.Sheets.getByName(sheet_name)
        self.select(sheet, sheet.getCellRangeByPosition(0, first - 1, 0, last - 1))
        undo = self.doc.getUndoManager()
        before = len(undo.getAllUndoActionTitles())
        self.dispatch(command)
        if len(undo.getAllUndoActionTitles()) == before:  # nothing done: the sheet protection forbids it
            raise RuntimeError(f"Calc refused {command} on rows {first}-{last} of {sheet_name} (protected sheet?)")

    def type(self, sheet_name: str, address: str, text: str) -> dict[str, Any]:
        sheet = self.doc.Sheets.getByName(sheet_name)
        cell = sheet.getCellRangeByName(address)
        self.select(sheet, cell)
        if self.grid is not None:
            if text:
                self.grid.executeAction("TYPE", _props(TEXT=text))
                self.grid.executeAction("TYPE", _props(KEYCODE="RETURN"))
            else:  # an empty entry: the person clears the cell
                self.grid.executeAction("TYPE", _props(KEYCODE="DELETE"))
        else:
            self.dispatch(".uno:EnterString", StringName=text)
        return {"sheet": sheet_name, "cell": address, "typed": text, **_seen(cell)}


def _fill(ctx: Any, job: dict[str, Any]) -> dict[str, Any]:
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    # Not hidden: key strokes need the document's window (LibreOffice runs --headless, so nothing is shown).
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["source"]), "_blank", 0, _props())
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {job['source']}")
    try:
        for sheet_name in job.get("unprotect", []):
            doc.Sheets.getByName(sheet_name).unprotect("")  # Tools > Protect Sheet off (no password)
        typist = _Typist(ctx, doc, job.get("typing", "keys"))
        cells = [typist.type(sheet, address, text) for sheet, address, text in job.get("typed", [])]
        for sheet_name, address in job.get("merge", []):
            cells_range = doc.Sheets.getByName(sheet_name).getCellRangeByName(address)
            cells_range.merge(True)
            if not cells_range.getIsMerged():
                raise RuntimeError(f"Calc refused to merge {address} of {sheet_name} (protected sheet?)")
        for sheet_name, row in job.get("hide_rows", []):
            typist.rows(sheet_name, row, row, ".uno:HideRow")
        for sheet_name, first, last in job.get("delete_rows", []):
            typist.rows(sheet_name, first, last, ".uno:DeleteRows")
        doc.storeToURL(uno.systemPathToFileUrl(job["target"]), _props(FilterName=job["filter"], Overwrite=True))
    finally:
        doc.close(True)
    return {"cells": cells}


def main() -> int:
    job = json.load(sys.stdin)
    try:
        ctx = _connect(job["pipe"], float(job.get("connect_timeout", 10)))
        answer = {"locale": _locale(ctx)} if job["action"] == "ping" else _fill(ctx, job)
    except Exception:  # the harness shows this to the test
        sys.stderr.write(traceback.format_exc())
        return 1
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
