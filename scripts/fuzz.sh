#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scripts/fuzz.sh -- build and run the libFuzzer targets in tests/fuzz/.
#
#   scripts/fuzz.sh [build]            build build-fuzz/fuzz_body and build-fuzz/fuzz_route
#   scripts/fuzz.sh smoke [SECONDS]    build, then run each target SECONDS (default 20)
#   scripts/fuzz.sh run TARGET [ARGS]  build, then run one target by hand with libFuzzer ARGS
#                                      (e.g. a crash file to reproduce it)
#
# The targets are compiled with clang straight from the project sources (no meson):
# libFuzzer needs clang, and the parsers need nothing but src/core and the router.
# Seeds come from tests/fuzz/corpus/<target>/ and are never written to; new inputs go
# to build-fuzz/corpus/<target>/, crash/leak/timeout inputs to build-fuzz/artifacts/.
# smoke prints one line per target at the end, "fuzz NAME: ok (N runs)" or
# "fuzz NAME: FAILED", and exits 1 if any target failed. Environment: CC (default
# clang-14, else clang), FUZZ_MAX_LEN (longest input, default 8192).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build-fuzz"
TARGETS="fuzz_body fuzz_route"

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
        die "clang not found (apt-get install clang-14 libclang-rt-14-dev)"
    fi
}

# Project sources each target needs, beyond its own file.
sources_for() {
    case "$1" in
    fuzz_body) echo "$ROOT"/src/core/*.c ;;
    fuzz_route) echo "$ROOT"/src/core/*.c "$ROOT/src/http/router.c" ;;
    *) die "unknown target $1 (have: $TARGETS)" ;;
    esac
}

build() {
    cc=$(pick_cc)
    command -v pkg-config >/dev/null 2>&1 || die "pkg-config not found"
    jansson_cflags=$(pkg-config --cflags jansson) || die "jansson development files not found"
    libs="$(pkg-config --libs jansson) -lpthread"
    # src/core may grow modules that use libsodium; linking it when present is harmless.
    if pkg-config --exists libsodium 2>/dev/null; then
        libs="$libs $(pkg-config --libs libsodium)"
    fi
    mkdir -p "$OUT"
    for t in $TARGETS; do
        echo "fuzz.sh: building $t with $cc" >&2
        # shellcheck disable=SC2046,SC2086
        "$cc" -std=c11 -g -O1 -fno-omit-frame-pointer \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Wall -Wextra -Wno-unused-parameter \
            -I"$ROOT/src" $jansson_cflags \
            -o "$OUT/$t" "$ROOT/tests/fuzz/$t.c" $(sources_for "$t") $libs ||
            die "building $t failed"
    done
}

# Sanitizers: stop at the first error, with a symbolised stack and no TTY tricks.
sanitizer_env() {
    sym=$(command -v llvm-symbolizer-14 2>/dev/null || command -v llvm-symbolizer 2>/dev/null ||
        true)
    if [ -n "$sym" ]; then
        ASAN_SYMBOLIZER_PATH=$sym
        export ASAN_SYMBOLIZER_PATH
    fi
    ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:symbolize=1:color=never:${ASAN_OPTIONS:-}"
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:symbolize=1:color=never:${UBSAN_OPTIONS:-}"
    export ASAN_OPTIONS UBSAN_OPTIONS
}

# Run one target for $2 seconds; the log goes to build-fuzz/<target>.log.
# Prints "ok N" or "FAILED" on stdout.
smoke_one() {
    t=$1
    secs=$2
    log="$OUT/$t.log"
    mkdir -p "$OUT/corpus/$t" "$OUT/artifacts"
    dict=""
    if [ -f "$ROOT/tests/fuzz/corpus/$t.dict" ]; then
        dict="-dict=$ROOT/tests/fuzz/corpus/$t.dict"
    fi
    echo "fuzz.sh: running $t for ${secs}s (log: $log)" >&2
    # shellcheck disable=SC2086
    if "$OUT/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="${FUZZ_MAX_LEN:-8192}" -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$t-" $dict \
        "$OUT/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" </dev/null >"$log" 2>&1; then
        runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in.*/\1/p' "$log" | tail -n 1)
        if [ -n "$runs" ]; then
            echo "ok $runs"
            return
        fi
    fi
    echo "--- $t: last lines of $log ---" >&2
    tail -n 60 "$log" >&2
    grep 'Test unit written to' "$log" >&2 || true
    echo FAILED
}

smoke() {
    secs=${1:-20}
    case "$secs" in
    '' | *[!0-9]*) die "SECONDS must be a whole number, not '$secs'" ;;
    esac
    [ "$secs" -ge 1 ] || die "SECONDS must be at least 1"
    build
    sanitizer_env
    summary=""
    failed=0
    for t in $TARGETS; do
        res=$(smoke_one "$t" "$secs")
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
    return $failed
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
build) build ;;
smoke) smoke "$@" ;;
run)
    [ $# -ge 1 ] || die "usage: scripts/fuzz.sh run TARGET [libFuzzer args]"
    t=$1
    shift
    sources_for "$t" >/dev/null
    build
    sanitizer_env
    exec "$OUT/$t" -artifact_prefix="$OUT/artifacts/$t-" "$@"
    ;;
-h | --help | help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command '$cmd' (build, smoke [SECONDS], run TARGET)" ;;
esac
