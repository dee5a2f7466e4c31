#!/usr/bin/env bash
# Shared by run.sh and test.sh: a venv in .venv with Touchpoint installed.
# usage: source scripts/bootstrap.sh [dev]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "Touchpoint needs Python 3.11 or newer (found $("$PY" --version 2>&1))" >&2; exit 1; }
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
VPY="$ROOT/.venv/bin/python"
"$VPY" -m pip install -q --disable-pip-version-check uv
extra=""
[ "${1:-}" = "dev" ] && extra="[dev]"
VIRTUAL_ENV="$ROOT/.venv" "$ROOT/.venv/bin/uv" pip install -q -e "$ROOT$extra"
