#!/usr/bin/env bash
# The test suite: installs what is needed, then runs ruff, the type checker (mypy) and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
