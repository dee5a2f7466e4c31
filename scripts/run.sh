#!/usr/bin/env bash
# Install Touchpoint into .venv and start the desktop app on the embedded
# SQLite database in your user data folder. Extra arguments go to touchpoint.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/touchpoint" "$@"
