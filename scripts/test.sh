#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every suite and end with one line "N passed, N failed":
#   unit (Criterion; the storage suites once per backend), API against the real
#   server on SQLite and on a throw-away PostgreSQL cluster, the kill -9 crash
#   test, fuzz smoke runs, the layering check, and the unit and API suites again
#   in an ASan+UBSan build, there with every write job run twice
#   (XIANGZHI_TEST_RERUN). Set XZ_FAST=1 to skip the sanitizer pass.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${XZ_TEST_OUT:-$ROOT/.test-out}
rm -rf "$OUT" && mkdir -p "$OUT"
PASSED=0
FAILED=0
PGDIR=""

note() { printf '\n== %s\n' "$*"; }
cleanup() { [ -n "$PGDIR" ] && scripts/pgcluster.sh stop "$PGDIR" >/dev/null 2>&1; }
trap cleanup EXIT

# add PASS FAIL NAME
add() {
  PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2))
  printf '   %-44s %4d passed, %d failed\n' "$3" "$1" "$2"
}

# Criterion binary: count its synthesis line; a binary that died counts as one failure.
run_criterion() { # name binary [env...]
  local name=$1 bin=$2 log="$OUT/${1//\//_}.log"
  shift 2
  env "$@" "$bin" --jobs 2 >"$log" 2>&1
  local rc=$?
  local line p f
  line=$(grep -a 'Synthesis:' "$log" | tail -n 1)
  p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
  f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$line")
  if [ -z "$p" ]; then p=0; f=1; fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  ((f)) && grep -a -E 'FAIL|Assertion|CRASH|ERROR' "$log" | head -n 20
  add "$p" "$f" "$name"
}

# A script that prints "... N passed, M failed" as its last counting line.
run_counted() { # name command...
  local name=$1 log="$OUT/${1//\//_}.log"
  shift
  "$@" >"$log" 2>&1
  local rc=$?
  local line p f
  line=$(grep -a -o -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  p=$(awk '{print $1}' <<<"$line")
  f=$(awk '{print $3}' <<<"$line")
  if [ -z "$p" ]; then p=0; f=1; fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  ((f)) && grep -a -E '^FAIL|FAILED|Error|error' "$log" | head -n 20
  add "$p" "$f" "$name"
}

# The fuzz smoke prints "fuzz NAME: ok (N runs)" or "fuzz NAME: FAILED" per target.
run_fuzz() {
  local log="$OUT/fuzz.log" p f
  scripts/fuzz.sh smoke "${XZ_FUZZ_SECONDS:-15}" >"$log" 2>&1
  local rc=$?
  p=$(grep -c -E '^fuzz [a-z_]+: ok' "$log")
  f=$(grep -c -E '^fuzz [a-z_]+: FAILED' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; tail -n 20 "$log"; fi
  add "$p" "$f" "fuzz smoke (libFuzzer, ASan+UBSan)"
}

build() { # dir [meson options]
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$OUT/setup-$(basename "$dir").log" 2>&1 || {
      cat "$OUT/setup-$(basename "$dir").log"; return 1; }
  fi
  ninja -C "$dir" >"$OUT/ninja-$(basename "$dir").log" 2>&1 || {
    tail -n 40 "$OUT/ninja-$(basename "$dir").log"; return 1; }
}

# The unit suites meson knows in SUITE ('unit' or 'unit-storage'): "name path" lines.
unit_list() { # build-dir suite
  meson introspect "$1" --tests | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if any(s.split(":")[-1] == sys.argv[1] for s in t["suite"]):
        print(t["name"], t["cmd"][0])' "$2"
}

unit_suites() { # build-dir label pg-url
  local b=$1 label=$2 pg=$3 t exe
  while read -r t exe; do
    run_criterion "$label/$t" "$exe"
  done < <(unit_list "$b" unit)
  while read -r t exe; do
    run_criterion "$label/$t/sqlite" "$exe" XIANGZHI_TEST_DB=sqlite
    run_criterion "$label/$t/pg" "$exe" XIANGZHI_TEST_DB="$pg"
  done < <(unit_list "$b" unit-storage)
}

api_suites() { # build-dir label
  local b=$1 label=$2 url
  run_counted "$label/api/sqlite" python3 tests/api/run.py --bin "$b/xiangzhi" --db sqlite
  url=$(scripts/pgcluster.sh createdb "$PGDIR" "api_${label//[^a-z]/_}_$RANDOM")
  run_counted "$label/api/pg" python3 tests/api/run.py --bin "$b/xiangzhi" --db "$url"
}

layering() {
  if python3 scripts/check_layers.py; then add 1 0 "layering (DESIGN.md §2)"; else add 0 1 "layering (DESIGN.md §2)"; fi
}

# Every error message of the sources in both languages (scripts/check_messages.py).
messages() {
  if python3 scripts/check_messages.py src >"$OUT/messages.log" 2>&1; then
    add 1 0 "error messages: both languages, the arguments they convert"
  else
    head -n 20 "$OUT/messages.log"
    add 0 1 "error messages: both languages, the arguments they convert"
  fi
}

# docs/openapi.yaml must be what the route table renders (scripts/openapi.py).
openapi_sync() {
  if scripts/openapi.py build/xiangzhi | diff -u docs/openapi.yaml - >"$OUT/openapi.diff"; then
    add 1 0 "docs/openapi.yaml matches the route table"
  else
    head -n 20 "$OUT/openapi.diff"
    add 0 1 "docs/openapi.yaml matches the route table (run scripts/openapi.py)"
  fi
}

# ...and a document a client can be generated from: Redocly's lint (its
# recommended rules) with 0 problems.
openapi_lint() {
  if REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    tests/openapi/node_modules/.bin/redocly lint docs/openapi.yaml >"$OUT/openapi-lint.log" 2>&1 &&
    ! grep -qE "[0-9]+ (warning|error)s?" "$OUT/openapi-lint.log"; then
    add 1 0 "docs/openapi.yaml: Redocly lint, 0 problems"
  else
    tail -n 30 "$OUT/openapi-lint.log"
    add 0 1 "docs/openapi.yaml: Redocly lint, 0 problems"
  fi
}

# The web front end (built by scripts/setup.sh): every string in both languages,
# and the first page of each app within its size budget.
web_checks() {
  local name label
  for name in check-messages check-budget; do
    label="web: i18n catalogue, both languages"
    [ "$name" = check-budget ] && label="web: first page within size budget"
    if node "web/scripts/$name.mjs" web/dist >"$OUT/web-$name.log" 2>&1; then
      sed 's/^/      /' "$OUT/web-$name.log"
      add 1 0 "$label"
    else
      sed 's/^/      /' "$OUT/web-$name.log"
      add 0 1 "$label"
    fi
  done
}

note "setup"
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
note "build"
build build || { echo "0 passed, 1 failed"; exit 1; }

note "PostgreSQL"
PGDIR=$(mktemp -u /tmp/xz-pg-XXXXXX)
PGURL=$(scripts/pgcluster.sh start "$PGDIR") || { echo "cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
echo "   throw-away cluster: $PGURL"

note "unit, API, crash, fuzz"
layering
messages
openapi_sync
openapi_lint
web_checks
unit_suites build plain "$PGURL"
api_suites build plain
# The API checks again through Prism's validating proxy for docs/openapi.yaml.
run_counted "openapi/replay" python3 tests/api/run.py --bin build/xiangzhi --db sqlite \
  --prism tests/openapi/node_modules/.bin/prism
run_counted "crash/kill-9/sqlite" python3 tests/crash/crash_test.py --bin build/xiangzhi --rounds 20
run_counted "crash/kill-9/points" python3 tests/crash/points_crash.py --bin build/xiangzhi --rounds 6
run_counted "crash/pg-stop-immediate" python3 tests/crash/pg_stop.py --bin build/xiangzhi --stops 3
run_counted "e2e/chromium" node tests/e2e/run.mjs --bin build/xiangzhi --web web/dist \
  --out "$OUT/e2e-screenshots"
echo "   e2e screenshots (phone 390x844, desktop 1280x800): $OUT/e2e-screenshots"
run_fuzz

if [ -z "${XZ_FAST:-}" ]; then
  note "ASan+UBSan"
  if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
    unit_suites build-asan asan "$PGURL"
    # Every write job of every module runs twice here (the writer undoes each
    # batch and runs it again): its answer must not change and nothing may leak.
    export XIANGZHI_TEST_RERUN=1
    api_suites build-asan asan
    unset ASAN_OPTIONS UBSAN_OPTIONS XIANGZHI_TEST_RERUN
  else
    add 0 1 "asan build"
  fi
fi

echo
echo "logs: $OUT"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
