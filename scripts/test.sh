#!/usr/bin/env bash
# The test suite: installs what is needed, then runs ruff, the type checker (mypy) and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
# One pytest worker per core (pytest-xdist): the tests are independent (each in its own folders, its own LibreOffice),
# so a runner's cores shorten the run; EVKIN_TEST_WORKERS=0 runs everything in one process.
exec .venv/bin/python -m pytest -n "${EVKIN_TEST_WORKERS:-auto}" "$@"
