#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CPU microseconds the server spends per /healthz request (user + system time of
# the server process from /proc/PID/stat, over the requests wrk counted). Steadier
# than requests/s on a shared 2-core machine. Usage: bench/cpu_per_request.sh [BIN]
set -euo pipefail
BIN=${1:-build/xiangzhi}
PORT=$("$(dirname "$0")/../scripts/free-port")
D=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$D"' EXIT
"$BIN" init --data "$D" >/dev/null 2>&1
"$BIN" serve --data "$D" --listen "127.0.0.1:$PORT" --access-log "$D/access.log" >/dev/null 2>&1 &
PID=$!
sleep 0.5
wrk -t2 -c64 -d1s "http://127.0.0.1:$PORT/healthz" >/dev/null
TICK=$(getconf CLK_TCK)
t0=$(awk '{print $14+$15}' "/proc/$PID/stat")
n=$(wrk -t2 -c64 -d5s "http://127.0.0.1:$PORT/healthz" | awk '/requests in/{print $1}')
t1=$(awk '{print $14+$15}' "/proc/$PID/stat")
echo "cpu_us_per_request=$(python3 -c "print(round(($t1-$t0)/$TICK*1e6/$n, 2))") requests=$n"
