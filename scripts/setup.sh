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
  libqrencode-dev libxlsxwriter-dev libcsv-dev
  # tests: unit, fuzzing, PostgreSQL cluster, sqlite3 shell
  libcriterion-dev clang libclang-rt-14-dev postgresql sqlite3 curl hostname util-linux
  # benchmarks
  nginx-light wrk
)

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
