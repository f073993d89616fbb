#!/usr/bin/env bash
# The main job: installs what is needed, then runs the whole SOP on sample data into ./demo-output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/evkin demo "${1:-demo-output}"
