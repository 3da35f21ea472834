#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scripts/fuzz.sh -- build and run the libFuzzer targets in tests/fuzz/.
#
#   scripts/fuzz.sh [build]            build build-fuzz/TARGET for every target
#   scripts/fuzz.sh smoke [SECONDS]    build, then run each target SECONDS (default 20)
#   scripts/fuzz.sh run TARGET [ARGS]  build, then run one target with libFuzzer ARGS,
#                                      e.g. a file from build-fuzz/artifacts/ to replay it
#
# The targets are compiled with clang straight from the project sources (no meson):
# libFuzzer needs clang, and the parsers need nothing but src/core and the router.
# Seeds come from tests/fuzz/corpus/<target>/ and are never written to; new inputs go
# to build-fuzz/corpus/<target>/, crash/leak/timeout inputs to build-fuzz/artifacts/.
# smoke ends with exactly one line per target on stdout, "fuzz NAME: ok (N runs)" or
# "fuzz NAME: FAILED" (a failure's log tail and reproducer go to stderr first), and
# exits 1 if any target failed. Needs no TTY; fine as root. Environment: CC (default
# clang-14, else clang), FUZZ_MAX_LEN (longest input in bytes, default 8192).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build-fuzz"
TARGETS="fuzz_body fuzz_route fuzz_idnum fuzz_csv fuzz_static fuzz_note fuzz_proof fuzz_tilepath fuzz_receipt fuzz_attach fuzz_sheet fuzz_privacy"
LC_ALL=C # logs hold raw input bytes; keep sed and grep byte-oriented
export LC_ALL

die() {
    echo "fuzz.sh: $*" >&2
    exit 2
}

pick_cc() {
    if [ -n "${CC:-}" ]; then
        echo "$CC"
    elif command -v clang-14 >/dev/null 2>&1; then
        echo clang-14
    elif command -v clang >/dev/null 2>&1; then
        echo clang
    else
        echo "fuzz.sh: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
        return 1
    fi
}

# Project sources a target needs besides its own file.
# What reads a spreadsheet (domain/sheet without its writer and the import
# job, which need libxlsxwriter and the database).
sheet_reader() {
    local f
    for f in reader csv xlsx problems decode; do echo "$ROOT/src/domain/sheet/$f.c"; done
}

sources_for() {
    case "$1" in
    fuzz_body) echo "$ROOT"/src/core/*.c ;;
    fuzz_route) echo "$ROOT"/src/core/*.c "$ROOT/src/http/router.c" "$ROOT/src/http/target.c" ;;
    fuzz_static) echo "$ROOT"/src/core/*.c "$ROOT/src/http/static.c" ;;
    fuzz_idnum) echo "$ROOT"/src/core/*.c "$ROOT/src/domain/identity/idnum.c" ;;
    fuzz_note | fuzz_proof) echo "$ROOT"/src/core/*.c "$ROOT/src/tlog/merkle.c" "$ROOT/src/tlog/note.c" ;;
    fuzz_receipt)
        echo "$ROOT"/src/core/*.c "$ROOT/src/tlog/merkle.c" "$ROOT/src/tlog/note.c" "$ROOT/src/tlog/receipt.c"
        ;;
    fuzz_tilepath) echo "$ROOT"/src/core/*.c "$ROOT/src/tlog/tile.c" ;;
    fuzz_attach)
        echo "$ROOT"/src/core/*.c "$ROOT/src/domain/attach/clean.c" "$ROOT/src/domain/attach/jpeg.c" \
            "$ROOT/src/domain/attach/png.c" "$ROOT/src/domain/attach/webp.c"
        ;;
    fuzz_csv)
        echo "$ROOT"/src/core/*.c "$ROOT/src/domain/identity/idnum.c" \
            "$ROOT/src/domain/region/region_code.c" \
            "$ROOT/src/domain/registry/transfer_import.c" "$ROOT/src/domain/registry/transfer_report.c" \
            $(sheet_reader)
        ;;
    fuzz_sheet) echo "$ROOT"/src/core/*.c $(sheet_reader) ;;
    fuzz_privacy)
        echo "$ROOT"/src/core/*.c "$ROOT/src/domain/identity/idnum.c" \
            "$ROOT/src/domain/disclosure/privacy.c"
        ;;
    *) return 1 ;;
    esac
}

# build [TARGET]: build TARGET, or every target. Returns non-zero (after saying
# why) if any fails to build.
build() {
    cc=$(pick_cc) || return 1
    if ! cflags=$(pkg-config --cflags jansson 2>/dev/null); then
        echo "fuzz.sh: pkg-config cannot find jansson" >&2
        return 1
    fi
    libs="$(pkg-config --libs jansson libqrencode libzip expat) -lcsv -lpthread -lcrypto -lz -lm"
    # src/core may grow modules that use libsodium; linking it when present is harmless.
    if pkg-config --exists libsodium 2>/dev/null; then
        libs="$libs $(pkg-config --libs libsodium)"
    fi
    mkdir -p "$OUT"
    for t in ${1:-$TARGETS}; do
        echo "fuzz.sh: building $t with $cc" >&2
        # shellcheck disable=SC2046,SC2086 # word splitting of flag and file lists is wanted
        if ! "$cc" -std=c11 -g -O1 -fno-omit-frame-pointer \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Wall -Wextra -I"$ROOT/src" $cflags \
            -o "$OUT/$t" "$ROOT/tests/fuzz/$t.c" $(sources_for "$t") $libs; then
            echo "fuzz.sh: building $t failed" >&2
            return 1
        fi
    done
}

# Sanitizers stop at the first error with a symbolised stack; the caller's
# ASAN_OPTIONS/UBSAN_OPTIONS come last, so they win.
sanitizer_env() {
    sym=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
    if [ -n "$sym" ]; then
        ASAN_SYMBOLIZER_PATH=$sym
        export ASAN_SYMBOLIZER_PATH
    fi
    ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:symbolize=1:color=never:${ASAN_OPTIONS:-}"
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:symbolize=1:color=never:${UBSAN_OPTIONS:-}"
    export ASAN_OPTIONS UBSAN_OPTIONS
}

# fuzz TARGET SECONDS LOG [extra libFuzzer flags]: one libFuzzer run, its status.
fuzz() {
    t=$1
    secs=$2
    log=$3
    shift 3
    dict=""
    if [ -f "$ROOT/tests/fuzz/corpus/$t.dict" ]; then
        dict="-dict=$ROOT/tests/fuzz/corpus/$t.dict"
    fi
    # A hard stop well past -max_total_time, in case the fuzzer itself wedges.
    guard=""
    if command -v timeout >/dev/null 2>&1; then
        guard="timeout -k 10 $((secs + 120))"
    fi
    # shellcheck disable=SC2086 # $guard and $dict split into words on purpose
    $guard "$OUT/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="${FUZZ_MAX_LEN:-8192}" -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$t-" $dict "$@" \
        "$OUT/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" </dev/null >"$log" 2>&1
}

# smoke_one TARGET SECONDS: prints "ok N" or "FAILED" on stdout, diagnostics on stderr.
smoke_one() {
    t=$1
    secs=$2
    log="$OUT/$t.log"
    mkdir -p "$OUT/corpus/$t" "$OUT/artifacts"
    echo "fuzz.sh: running $t for ${secs}s (log: $log)" >&2
    rc=0
    fuzz "$t" "$secs" "$log" || rc=$?
    # LeakSanitizer cannot run where ptrace is forbidden (some containers); then
    # fuzz without leak checks rather than report a failure that is not a bug.
    if [ "$rc" -ne 0 ] && grep -q 'LeakSanitizer has encountered a fatal error' "$log" &&
        ! grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$log"; then
        echo "fuzz.sh: warning: LeakSanitizer cannot run here; $t runs without leak checks" >&2
        rc=0
        fuzz "$t" "$secs" "$log" -detect_leaks=0 || rc=$?
    fi
    runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in.*/\1/p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
        echo "ok $runs"
        return 0
    fi
    {
        echo "--- $t failed (exit $rc); last lines of $log:"
        tail -n 60 "$log"
        grep 'Test unit written to' "$log" | sed 's/.*Test unit written to /reproducer: /' |
            sort -u
        echo "replay: scripts/fuzz.sh run $t FILE"
    } >&2
    echo FAILED
}

smoke() {
    secs=${1:-20}
    case "$secs" in
    '' | *[!0-9]*) die "SECONDS must be a whole number, not '$secs'" ;;
    esac
    [ "$secs" -ge 1 ] || die "SECONDS must be at least 1"
    built=1
    build || built=0
    sanitizer_env
    summary=""
    failed=0
    for t in $TARGETS; do
        res=FAILED
        if [ "$built" -eq 1 ]; then
            res=$(smoke_one "$t" "$secs") || res=FAILED
        fi
        case "$res" in
        "ok "*) line="fuzz $t: ok (${res#ok } runs)" ;;
        *)
            line="fuzz $t: FAILED"
            failed=1
            ;;
        esac
        summary="$summary$line
"
    done
    printf '%s' "$summary"
    return "$failed"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
build) build || exit 2 ;;
smoke) smoke "$@" ;;
run)
    [ $# -ge 1 ] || die "usage: scripts/fuzz.sh run TARGET [libFuzzer args]"
    t=$1
    shift
    sources_for "$t" >/dev/null || die "unknown target '$t' (have: $TARGETS)"
    build "$t" || exit 2
    sanitizer_env
    mkdir -p "$OUT/artifacts"
    exec "$OUT/$t" -artifact_prefix="$OUT/artifacts/$t-" "$@"
    ;;
-h | --help | help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command '$cmd' (build, smoke [SECONDS], run TARGET [ARGS])" ;;
esac
