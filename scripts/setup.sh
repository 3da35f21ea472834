#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install what a fresh Debian 12 machine lacks to build, run, test and benchmark
# xiangzhi. Packages already present are skipped, so a second run takes a second.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

DEBS=(
  # build
  build-essential meson ninja-build pkg-config python3
  # libraries (DESIGN.md §3)
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libqrencode-dev libxlsxwriter-dev libcsv-dev libzip-dev libexpat1-dev
  # tests: unit, fuzzing, PostgreSQL cluster, sqlite3 shell
  libcriterion-dev clang libclang-rt-14-dev postgresql sqlite3 curl hostname util-linux
  # browser tests (tests/e2e): Debian's Chromium, and CJK glyphs for the screenshots
  chromium fonts-noto-cjk
  # receipts as QR codes in the browser tests (the qrencode command of libqrencode)
  qrencode
  # benchmarks
  nginx-light wrk
)
# The web front end is built with Node.js (18 or later) and npm; Debian's will do
# where the machine has none.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || DEBS+=(nodejs npm)

missing=()
for p in "${DEBS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts a cluster and nginx on install; the tests and benchmarks start
  # their own, so stop the system ones to keep ports and cores free.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now nginx postgresql >/dev/null 2>&1 || true
  else
    $SUDO service nginx stop >/dev/null 2>&1 || true
    $SUDO service postgresql stop >/dev/null 2>&1 || true
  fi
else
  echo "setup: all Debian packages present"
fi

# The web front end and the browser tests: dependencies exactly as their
# package-lock.json pins them, then a build into web/dist, each only when its
# inputs changed since the last time.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WEB=$ROOT/web
newer_than() { # STAMP PATH... : true if STAMP is missing or a PATH has a newer file
  [ -e "$1" ] || return 0
  local stamp=$1
  shift
  [ -n "$(find "$@" -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}
E2E=$ROOT/tests/e2e
if [ -f "$E2E/package-lock.json" ] && newer_than "$E2E/node_modules/.xz-installed" "$E2E/package-lock.json"; then
  echo "setup: npm ci (tests/e2e/: playwright-core, axe-core; no browser download)"
  (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) &&
    touch "$E2E/node_modules/.xz-installed"
fi
OAPI=$ROOT/tests/openapi
if [ -f "$OAPI/package-lock.json" ] && newer_than "$OAPI/node_modules/.xz-installed" "$OAPI/package-lock.json"; then
  echo "setup: npm ci (tests/openapi/: Redocly's lint and Prism's validating proxy)"
  (cd "$OAPI" && npm ci --no-audit --no-fund --loglevel=error) && touch "$OAPI/node_modules/.xz-installed"
fi
if [ -f "$WEB/package-lock.json" ]; then
  if newer_than "$WEB/node_modules/.xz-installed" "$WEB/package-lock.json"; then
    echo "setup: npm ci (web/)"
    (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error) && touch "$WEB/node_modules/.xz-installed"
  fi
  if newer_than "$WEB/dist/.xz-built" "$WEB/src" "$WEB/index.html" "$WEB/app" "$WEB/console" \
    "$WEB/vite.config.js" "$WEB/scripts" "$WEB/node_modules/.xz-installed"; then
    echo "setup: building the web front end into web/dist"
    (cd "$WEB" && npm run --silent build >"$WEB/.build.log" 2>&1) || {
      tail -n 30 "$WEB/.build.log"
      exit 1
    }
    touch "$WEB/dist/.xz-built"
  fi
fi
