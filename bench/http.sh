#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/http.sh -- GET /healthz on xiangzhi against nginx `return 200` (issue #2),
# in ONE run on the same machine: both servers run at once, each on its own free
# loopback port, and wrk hits them alternately, RUNS times each, so drifting load
# from other processes falls on both alike. Prints every run, the median
# requests/second of each, the ratio xiangzhi/nginx and p50/p99 latency.
#
#   bench/http.sh [BUILD_DIR]        default build dir: <repo>/build
#   env: RUNS (3), DURATION (10s), CONNECTIONS (64), THREADS (2, wrk), WARMUP (2s)
#
# Both servers and wrk share the machine's cores; that is the point of the
# comparison (same hardware, same moment), not a flaw to hide. Needs nginx, wrk,
# curl and python3. Everything lives in a temp dir removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/xz-http-bench.XXXXXX")
NGINX_PID=
XZ_PID=

cleanup() {
    set +e
    [ -n "$XZ_PID" ] && kill -TERM "$XZ_PID" 2>/dev/null && wait "$XZ_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

WORK=$TMP
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

free_port() {
    "$ROOT/scripts/free-port"
}

start_nginx() { # PORT
    start_nginx_in "$TMP/nginx" "$1"
}

start_xiangzhi() { # PORT
    mkdir -p "$TMP/xz"
    "$BUILD/xiangzhi" demo --data "$TMP/xz" --db "sqlite:$TMP/xz/x.db" >"$TMP/xz/demo.log" 2>&1 ||
        die "xiangzhi demo failed; see $TMP/xz/demo.log"
    "$BUILD/xiangzhi" serve --data "$TMP/xz" --db "sqlite:$TMP/xz/x.db" \
        --listen "127.0.0.1:$1" --access-log "$TMP/xz/access.log" >"$TMP/xz/serve.log" 2>&1 &
    XZ_PID=$!
    wait_up "http://127.0.0.1:$1/healthz" "$XZ_PID" xiangzhi
}

main() {
    local np xp i name url r rps p50 p99 pid
    ninja -C "$BUILD" xiangzhi >/dev/null || die "build failed"
    for tool in nginx wrk curl python3; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    np=$(free_port)
    start_nginx "$np"
    xp=$(free_port)
    start_xiangzhi "$xp"
    echo "# nginx $(nginx -v 2>&1 | sed 's/.*\///') on :$np, xiangzhi on :$xp;" \
        "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $RUNS runs each, alternating"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# bytes per response: nginx $(curl -si "http://127.0.0.1:$np/healthz" | wc -c)," \
        "xiangzhi $(curl -si "http://127.0.0.1:$xp/healthz" | wc -c)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$np/healthz" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$xp/healthz" >/dev/null
    : >"$TMP/nginx.runs"
    : >"$TMP/xiangzhi.runs"
    for i in $(seq "$RUNS"); do
        for name in nginx xiangzhi; do
            [ "$name" = nginx ] && url="http://127.0.0.1:$np/healthz" ||
                url="http://127.0.0.1:$xp/healthz"
            [ "$name" = nginx ] && pid=$NGINX_PID || pid=$XZ_PID
            r=$(run_wrk "$TMP/wrk-$name-$i.txt" "$pid" "$url")
            echo "$r" >>"$TMP/$name.runs"
            read -r rps p50 p99 _ <<<"$r"
            printf 'run %d %-8s rps=%s p50_us=%s p99_us=%s\n' "$i" "$name" "$rps" "$p50" "$p99"
        done
    done
    summary
    echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

summary() {
    local name n_rps x_rps
    for name in nginx xiangzhi; do
        printf '%-8s median rps=%s p50_us=%s p99_us=%s (runs: %s)\n' "$name" \
            "$(cut -d' ' -f1 "$TMP/$name.runs" | median)" \
            "$(cut -d' ' -f2 "$TMP/$name.runs" | median)" \
            "$(cut -d' ' -f3 "$TMP/$name.runs" | median)" \
            "$(cut -d' ' -f1 "$TMP/$name.runs" | paste -sd' ')"
    done
    n_rps=$(cut -d' ' -f1 "$TMP/nginx.runs" | median)
    x_rps=$(cut -d' ' -f1 "$TMP/xiangzhi.runs" | median)
    awk -v x="$x_rps" -v n="$n_rps" 'BEGIN {
        r = x / n
        printf "ratio xiangzhi/nginx = %.3f (%s; criterion >= 0.80)\n", r, (r >= 0.8) ? "met" : "NOT met" }'
}

main "$@"
