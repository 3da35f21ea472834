#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/writer.sh -- the group-commit writer alone (issue #2): bench_writer with 1
# and with 64 producer threads, on SQLite and on PostgreSQL, RUNS runs of SECS
# seconds each, the two producer counts alternating so that drifting machine load
# falls on both. Prints every run, the medians (durable commits/s, transactions,
# mean batch size) and the ratio 64-producer/1-producer per backend.
#
#   bench/writer.sh [sqlite|pg|all] [BUILD_DIR]     default: all, <repo>/build
#   env: RUNS (3), SECS (5), PRODUCERS ("1 64")
#
# Every SQLite run gets a fresh database file on a real disk (never tmpfs: an fsync
# there costs nothing and the figure would mean nothing). PostgreSQL runs in a
# throw-away cluster from scripts/pgcluster.sh (fsync and synchronous_commit on),
# with a fresh database per run. Temp files are removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHICH=${1:-all}
BUILD=${2:-$ROOT/build}
RUNS=${RUNS:-3}
SECS=${SECS:-5}
PRODUCERS=${PRODUCERS:-"1 64"}
BENCH=$BUILD/bench/bench_writer
WORK=
PGDIR=

die() {
    echo "writer.sh: $*" >&2
    exit 1
}

cleanup() {
    set +e
    [ -n "$PGDIR" ] && "$ROOT/scripts/pgcluster.sh" stop "$PGDIR" >/dev/null 2>&1
    [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A directory on a real disk: /tmp unless it is tmpfs, else under the build dir.
make_workdir() {
    local base=${TMPDIR:-/tmp}
    case $(stat -f -c %T "$base") in
    tmpfs | ramfs) base=$BUILD ;;
    esac
    WORK=$(mktemp -d "$base/xz-writer-bench.XXXXXX")
    chmod 755 "$WORK" # the postgres user must reach the cluster inside it
    echo "# data on $(df --output=source,fstype "$WORK" | tail -1 | tr -s ' ') ($WORK)"
}

# Runs of one backend. URL_FN is a function that prints a fresh database URL.
bench_backend() { # NAME URL_FN
    local i p url line
    for i in $(seq "$RUNS"); do
        for p in $PRODUCERS; do
            url=$("$2" "$i" "$p")
            line=$("$BENCH" --db "$url" --producers "$p" --seconds "$SECS" 2>"$WORK/err") ||
                die "bench_writer failed: $(cat "$WORK/err")"
            echo "run $i $line"
            echo "$p $(field "$line" commits_per_s) $(field "$line" transactions)" \
                "$(field "$line" mean_batch)" >>"$WORK/$1.runs"
        done
    done
}

field() { # LINE KEY
    tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

sqlite_url() { # RUN PRODUCERS
    echo "sqlite:$WORK/sqlite-$1-$2.db"
}

pg_url() { # RUN PRODUCERS
    "$ROOT/scripts/pgcluster.sh" createdb "$PGDIR" "bench_$1_$2" 2>>"$WORK/pg.log"
}

median() { # numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Medians per producer count, then the ratio of the largest to the smallest count.
summary() { # NAME
    local p lo hi a b
    lo=$(echo "$PRODUCERS" | tr ' ' '\n' | sort -n | head -1)
    hi=$(echo "$PRODUCERS" | tr ' ' '\n' | sort -n | tail -1)
    for p in $PRODUCERS; do
        printf '%-6s producers=%-3s median commits_per_s=%s transactions=%s mean_batch=%s' "$1" "$p" \
            "$(awk -v p="$p" '$1 == p {print $2}' "$WORK/$1.runs" | median)" \
            "$(awk -v p="$p" '$1 == p {print $3}' "$WORK/$1.runs" | median)" \
            "$(awk -v p="$p" '$1 == p {print $4}' "$WORK/$1.runs" | median)"
        printf ' (runs: %s)\n' "$(awk -v p="$p" '$1 == p {print $2}' "$WORK/$1.runs" | paste -sd' ')"
    done
    a=$(awk -v p="$lo" '$1 == p {print $2}' "$WORK/$1.runs" | median)
    b=$(awk -v p="$hi" '$1 == p {print $2}' "$WORK/$1.runs" | median)
    awk -v a="$a" -v b="$b" -v lo="$lo" -v hi="$hi" -v name="$1" 'BEGIN {
        r = b / a
        printf "%-6s ratio %s/%s producers = %.2f", name, hi, lo, r
        if (name == "sqlite") printf " (criterion >= 10: %s)", (r >= 10) ? "met" : "NOT met"
        printf "\n" }'
}

run_sqlite() {
    echo "# sqlite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)," \
        "WAL + synchronous=FULL, $RUNS x ${SECS}s per producer count"
    bench_backend sqlite sqlite_url
    summary sqlite
}

run_pg() {
    [ -x "$ROOT/scripts/pgcluster.sh" ] || die "scripts/pgcluster.sh is missing"
    PGDIR=$WORK/pg
    "$ROOT/scripts/pgcluster.sh" start "$PGDIR" >/dev/null 2>>"$WORK/pg.log" ||
        die "cannot start PostgreSQL: $(tail -5 "$WORK/pg.log")"
    echo "# $(/usr/lib/postgresql/15/bin/postgres --version), fsync=on" \
        "synchronous_commit=on, $RUNS x ${SECS}s per producer count"
    bench_backend pg pg_url
    summary pg
}

main() {
    ninja -C "$BUILD" bench/bench_writer >/dev/null || die "build failed"
    make_workdir
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $(nproc) cores; bench_writer --producers N --seconds $SECS; alternating N in {$PRODUCERS}"
    case $WHICH in
    sqlite) run_sqlite ;;
    pg) run_pg ;;
    all) run_sqlite && run_pg ;;
    *) die "usage: writer.sh [sqlite|pg|all] [BUILD_DIR]" ;;
    esac
    echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

main
