"""Electronic signatures: keys and certificates (keys), PAdES signatures in PDFs (pades), detached CMS (cms)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

_PYHANKO_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence pyHanko's log while it validates: it prints a traceback for every certificate it cannot chain,
    and our results already name that failure in Indonesian."""
    loggers = [logging.getLogger(name) for name in _PYHANKO_LOGGERS]
    sink = logging.NullHandler()
    before = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.addHandler(sink)  # a handler on the parent keeps Python's last-resort stderr handler away
        lg.propagate = False
    try:
        yield
    finally:
        for lg, was in zip(loggers, before, strict=True):
            lg.removeHandler(sink)
            lg.propagate = was
