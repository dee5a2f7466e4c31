#!/usr/bin/env bash
# Build the one-folder bundle from build.spec, report its size, pack a Linux
# tarball, and run the bundle's own selftest offscreen in a fresh folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source scripts/bootstrap.sh dev
VERSION=$("$ROOT/.venv/bin/python" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
WORK=$(mktemp -d)
"$ROOT/.venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath dist --workpath "$WORK" build.spec
rm -rf "$WORK"
BUNDLE="dist/touchpoint-$VERSION"
echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
if [ "$(uname)" = Linux ]; then
  TARBALL="dist/touchpoint-$VERSION-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$TARBALL" "touchpoint-$VERSION"
  echo "tarball: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
fi
# The bundle's selftest, as a new user's machine would run it: no display, a
# fresh data folder, nothing from this checkout on the path.
HOME_DIR=$(mktemp -d)
(cd "$HOME_DIR" && env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" QT_QPA_PLATFORM=offscreen \
  TOUCHPOINT_DATA_DIR="$HOME_DIR/data" "$ROOT/$BUNDLE/touchpoint" selftest)
rm -rf "$HOME_DIR"
