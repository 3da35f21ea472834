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

die() {
    echo "http.sh: $*" >&2
    exit 1
}

cleanup() {
    set +e
    [ -n "$XZ_PID" ] && kill -TERM "$XZ_PID" 2>/dev/null && wait "$XZ_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$ROOT/scripts/free-port"
}

# Wait until URL answers 200, or fail after ~10 s.
wait_up() { # URL PID NAME
    for _ in $(seq 100); do
        kill -0 "$2" 2>/dev/null || die "$3 exited; see $TMP"
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
        sleep 0.1
    done
    die "$3 did not answer on $1"
}

write_nginx_conf() { # PORT
    mkdir -p "$TMP/nginx"
    cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log $TMP/nginx/access.log combined buffer=64k;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$1;
        location = /healthz {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
EOF
}

start_nginx() { # PORT
    write_nginx_conf "$1"
    nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
    NGINX_PID=$!
    wait_up "http://127.0.0.1:$1/healthz" "$NGINX_PID" nginx
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

# Latency quantile (e.g. 50%) from wrk --latency output, in microseconds.
quantile_us() { # FILE PCT
    awk -v q="$2" '$1 == q {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : 0
        printf "%.0f\n", v * f }' "$1"
}

# One wrk run; prints "rps p50_us p99_us" and fails on errors or non-200s.
run_wrk() { # URL OUTFILE
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" >"$2" 2>&1 || die "wrk failed"
    grep -q 'Non-2xx' "$2" && die "non-200 answers from $1; see $2"
    grep -q 'Socket errors' "$2" && echo "http.sh: warning: $(grep 'Socket errors' "$2")" >&2
    printf '%s %s %s\n' "$(awk '/^Requests\/sec:/ {print $2}' "$2")" \
        "$(quantile_us "$2" 50%)" "$(quantile_us "$2" 99%)"
}

median() { # numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

main() {
    local np xp i name url r rps p50 p99
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
            r=$(run_wrk "$url" "$TMP/wrk-$name-$i.txt")
            echo "$r" >>"$TMP/$name.runs"
            read -r rps p50 p99 <<<"$r"
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
