#!/usr/bin/env bash
# The browser tests (tests/test_workshop_browser.py) drive Debian's Chromium through
# Playwright; Playwright's own browser download is not used. Install the package when
# /usr/bin/chromium is missing (with sudo when not root). Idempotent and quiet when present.
set -euo pipefail

chromium=${SAMEN_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0

die() { echo "ensure-chromium: error: $*" >&2; exit 1; }

command -v apt-get >/dev/null 2>&1 \
    || die "$chromium is missing and apt-get is not available; install Chromium and set SAMEN_CHROMIUM=/path/to/chromium"
if [ "$(id -u)" = 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    die "$chromium is missing; run as root: apt-get install chromium"
fi
echo "ensure-chromium: installing Debian's chromium with apt-get (for the browser tests)"
"${sudo[@]}" apt-get update -qq || die "apt-get update failed"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null \
    || die "apt-get install chromium failed"
[ -x "$chromium" ] || die "chromium was installed but $chromium does not exist; set SAMEN_CHROMIUM"
echo "ensure-chromium: ready ($("$chromium" --version 2>/dev/null || echo chromium))"
