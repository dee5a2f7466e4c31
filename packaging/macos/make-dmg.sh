#!/usr/bin/env bash
# macOS disk image from the .app that build.spec makes (run on a Mac; the Linux
# CI cannot). Needs Xcode command line tools (hdiutil, codesign).
#   bash scripts/build-bundle.sh          # dist/Touchpoint.app
#   bash packaging/macos/make-dmg.sh      # dist/Touchpoint-<version>.dmg
# Signing/notarization: set CODESIGN_ID (a "Developer ID Application" identity)
# and NOTARY_PROFILE (xcrun notarytool store-credentials) to do both.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
VERSION=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
APP=dist/Touchpoint.app
[ -d "$APP" ] || { echo "build the app first: bash scripts/build-bundle.sh" >&2; exit 1; }
if [ -n "${CODESIGN_ID:-}" ]; then
  codesign --deep --force --options runtime --timestamp --sign "$CODESIGN_ID" "$APP"
fi
STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/Touchpoint-$VERSION.dmg"
hdiutil create -volname "Touchpoint $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"
if [ -n "${CODESIGN_ID:-}" ] && [ -n "${NOTARY_PROFILE:-}" ]; then
  codesign --sign "$CODESIGN_ID" --timestamp "$DMG"
  xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "dmg: $DMG"
