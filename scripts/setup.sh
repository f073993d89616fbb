#!/usr/bin/env bash
# Installs everything the project needs: a virtual environment with the package and its dev tools, and
# LibreOffice headless (PDF output and the "opens in a real spreadsheet application" check) with python3-uno
# (the tests fill templates by typing into LibreOffice Calc through UNO, from the system Python).
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    echo "python3 -m venv tidak tersedia; memasang paket venv..." >&2
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "Pasang python3-venv lalu ulangi." >&2; exit 1
    fi
  fi
fi
stamp=.venv/.evkin-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
# Bytecode compiled now, so that each button press (a new Python process) does not compile the package
# again where writing it is switched off (PYTHONDONTWRITEBYTECODE) or the folder is read-only for users.
.venv/bin/python -m compileall -q macros_py >/dev/null

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
    || ! /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || ! command -v certutil >/dev/null 2>&1; then
  paket="libreoffice-calc python3-uno poppler-utils fonts-dejavu-core libnss3-tools openssl"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Memasang LibreOffice (headless), python3-uno, poppler-utils dan libnss3-tools..." >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $paket >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq
    # shellcheck disable=SC2086
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $paket >/dev/null
  else
    echo "PERINGATAN: LibreOffice tidak ditemukan; PDF tidak dapat dibuat. Pasang LibreOffice." >&2
  fi
fi
