#!/usr/bin/env bash
# Install everything (system packages, .venv with the dev tools) and run the
# whole test suite: lint, format, types, layer contracts, then pytest.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/system-packages.sh
source scripts/bootstrap.sh dev
BIN="$ROOT/.venv/bin"
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          "$BIN/ruff" check .
echo "== ruff format";   "$BIN/ruff" format --check .
echo "== mypy";          "$BIN/mypy"
echo "== import-linter"; "$BIN/lint-imports"
echo "== pytest"
workers=${TEST_WORKERS:-$(( $(nproc 2>/dev/null || sysctl -n hw.ncpu) ))}
# The slowest tests close the log, so a slower suite shows where it went.
exec "$BIN/pytest" -n "$workers" -p no:cacheprovider --durations=25 "$@"
