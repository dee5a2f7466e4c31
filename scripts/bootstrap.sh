#!/usr/bin/env bash
# Shared by run.sh and test.sh: a venv in .venv with Touchpoint installed.
# usage: source scripts/bootstrap.sh [dev]
# Installing takes seconds, so it runs once per pyproject.toml: a stamp in
# .venv holds the hash it was installed for (the install is editable, so
# code changes need no reinstall; TOUCHPOINT_REINSTALL=1 forces one).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "Touchpoint needs Python 3.11 or newer (found $("$PY" --version 2>&1))" >&2; exit 1; }
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
VPY="$ROOT/.venv/bin/python"
extra=""
[ "${1:-}" = "dev" ] && extra="[dev]"
STAMP="$ROOT/.venv/.touchpoint-installed"
want=$("$VPY" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest() + sys.argv[2])' \
  "$ROOT/pyproject.toml" "$extra")
installed() {
  [ "${TOUCHPOINT_REINSTALL:-}" != "1" ] && [ -x "$ROOT/.venv/bin/touchpoint" ] \
    && [ -f "$STAMP" ] && grep -qxF -- "$want" "$STAMP"
}
if ! installed; then
  "$VPY" -m pip install -q --disable-pip-version-check uv
  VIRTUAL_ENV="$ROOT/.venv" "$ROOT/.venv/bin/uv" pip install -q -e "$ROOT$extra"
  # A dev install holds all a plain one does: the plain stamp is valid after it, too.
  printf '%s\n' "$want" "${want%"$extra"}" | sort -u >"$STAMP"
fi
