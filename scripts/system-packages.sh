#!/usr/bin/env bash
# System packages the tests need: Qt's offscreen/xcb libraries, Xvfb,
# PostgreSQL and Dovecot IMAP + openssl (the tests start their own throwaway
# servers, tests/rigs/). Debian/Ubuntu via apt-get, macOS via Homebrew.
# Idempotent; quick when all is there.
set -euo pipefail
if [ "$(uname)" = Darwin ]; then
  command -v pg_ctl >/dev/null || brew install postgresql@16
  exit 0
fi
need=""
[ -n "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ] || need=1
[ -f /usr/share/doc/libxkbcommon-x11-0/copyright ] || need=1
[ -f /usr/share/doc/libegl1/copyright ] || need=1
command -v Xvfb >/dev/null || need=1
[ -x /usr/sbin/dovecot ] || need=1
[ -f /usr/lib/dovecot/imap ] || need=1
command -v openssl >/dev/null || need=1
[ -z "$need" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3 \
  fonts-dejavu-core libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
  libxcb-shape0 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xfixes0 \
  libxcb-sync1 libxcb-xkb1 libxcb-shm0 libxcb-glx0 libx11-xcb1 \
  xvfb xauth x11-utils xdotool postgresql dovecot-imapd openssl >/dev/null
