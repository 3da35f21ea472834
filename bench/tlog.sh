#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/tlog.sh -- the verifiable log's benchmarks of issue #5, each beside a
# baseline in the same run:
#   append  bench_tlog append: LEAVES leaves, 1,000 per transaction, on SQLite,
#           against the same entries into a bare table; RUNS times, medians
#   prove   a log of PROVE_LEAVES (1M) leaves, then bench_tlog prove: the median
#           time of an inclusion proof against reading one stored hash
#   tiles   that log served by xiangzhi; wrk walks its full level-0 tiles
#           (/tlog/tile/0/N, 8 KiB each) against nginx serving the very same
#           files at the same paths, alternately RUNS times; medians and ratio
#
#   bench/tlog.sh [append|prove|tiles|all] [BUILD_DIR]   default: all, <repo>/build
#   env: RUNS (3), LEAVES (100000), PROVE_LEAVES (1000000), SAMPLES (10000),
#        DURATION (10s), CONNECTIONS (64), THREADS (2, wrk), WARMUP (2s)
#
# Data lives on a real disk (never tmpfs); servers stop and the work dir goes
# on exit. Needs nginx, wrk, curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHICH=${1:-all}
BUILD=${2:-$ROOT/build}
RUNS=${RUNS:-3}
LEAVES=${LEAVES:-100000}
PROVE_LEAVES=${PROVE_LEAVES:-1000000}
SAMPLES=${SAMPLES:-10000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
XZ=$BUILD/xiangzhi
BENCH=$BUILD/bench/bench_tlog
WORK=
NGINX_PID=
XZ_PID=

cleanup() {
    set +e
    [ -n "$XZ_PID" ] && kill -TERM "$XZ_PID" 2>/dev/null && wait "$XZ_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

run_append() {
    local i line
    : >"$WORK/append.runs"
    for i in $(seq "$RUNS"); do
        rm -rf "$WORK/append" && mkdir -p "$WORK/append"
        line=$("$BENCH" append --db "sqlite:$WORK/append/x.db" --leaves "$LEAVES" --batch 1000 2>/dev/null)
        echo "run $i $line"
        echo "$line" >>"$WORK/append.runs"
    done
    printf 'append median leaves_per_s=%s bare_per_s=%s ratio=%s (leaves/s runs: %s)\n' \
        "$(while read -r l; do field "$l" leaves_per_s; done <"$WORK/append.runs" | median)" \
        "$(while read -r l; do field "$l" bare_per_s; done <"$WORK/append.runs" | median)" \
        "$(while read -r l; do field "$l" ratio; done <"$WORK/append.runs" | median)" \
        "$(while read -r l; do field "$l" leaves_per_s; done <"$WORK/append.runs" | paste -sd' ')"
}

# The big log: a data dir with keys, PROVE_LEAVES leaves, one checkpoint.
make_big_log() {
    [ -f "$WORK/big/x.db" ] && return 0
    mkdir -p "$WORK/big"
    "$XZ" init --data "$WORK/big" --db "sqlite:$WORK/big/x.db" >/dev/null 2>&1 || die "init failed"
    echo "# building a log of $PROVE_LEAVES leaves"
    "$BENCH" append --db "sqlite:$WORK/big/x.db" --leaves "$PROVE_LEAVES" --batch 1000 2>/dev/null
}

run_prove() {
    make_big_log
    "$BENCH" prove --db "sqlite:$WORK/big/x.db" --samples "$SAMPLES" 2>/dev/null
}

# Every full level-0 tile of the big log as a file under DIR, at its C2SP path.
write_tiles() { # DIR
    python3 - "$WORK/big/x.db" "$1" <<'EOF'
import os, sqlite3, sys
db, root = sys.argv[1], sys.argv[2]
rows = sqlite3.connect(db).execute('SELECT hash FROM tlog_hashes WHERE level = 0 ORDER BY idx')
hashes = [h for (h,) in rows]
paths = []
for n in range(len(hashes) // 256):
    groups = []
    m = n
    while True:
        groups.append('%03d' % (m % 1000))
        m //= 1000
        if m == 0:
            break
    rel = '/'.join(['x' + g for g in reversed(groups[1:])] + [groups[0]])
    path = os.path.join(root, 'tlog/tile/0', rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(b''.join(hashes[n * 256:(n + 1) * 256]))
    paths.append('/tlog/tile/0/' + rel)
with open(os.path.join(root, 'paths.lua'), 'w') as f:
    f.write('paths = {' + ','.join('"%s"' % p for p in paths) + '}\n')
print(len(paths))
EOF
}

write_lua() { # FILE PATHS_LUA
    cat "$2" >"$1"
    cat >>"$1" <<'EOF'
local threads = 0
function setup(thread)
    thread:set("at", threads * 997)
    threads = threads + 1
end
function init(args)
    reqs = {}
    for i, p in ipairs(paths) do reqs[i] = wrk.format("GET", p) end
end
function request()
    at = at % #reqs + 1
    return reqs[at]
end
EOF
}

run_tiles() {
    local np xp n i name r rps pid url
    make_big_log
    n=$(write_tiles "$WORK/html")
    write_lua "$WORK/tiles.lua" "$WORK/html/paths.lua"
    np=$("$ROOT/scripts/free-port")
    start_nginx_in "$WORK/nginx" "$np" "location /tlog/ { root $WORK/html; }"
    xp=$("$ROOT/scripts/free-port")
    "$XZ" serve --data "$WORK/big" --db "sqlite:$WORK/big/x.db" --listen "127.0.0.1:$xp" \
        --access-log "$WORK/big/access.log" >"$WORK/big/serve.log" 2>&1 &
    XZ_PID=$!
    wait_up "http://127.0.0.1:$xp/healthz" "$XZ_PID" xiangzhi
    cmp <(curl -s "http://127.0.0.1:$np/tlog/tile/0/x001/234") \
        <(curl -s "http://127.0.0.1:$xp/tlog/tile/0/x001/234") || die "the servers' tiles differ"
    echo "# $n full tiles of 8 KiB, walked in turn; nginx :$np, xiangzhi :$xp;" \
        "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS runs each, alternating"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/tiles.lua" "http://127.0.0.1:$np/" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/tiles.lua" "http://127.0.0.1:$xp/" >/dev/null
    : >"$WORK/tiles-nginx.runs"
    : >"$WORK/tiles-xiangzhi.runs"
    for i in $(seq "$RUNS"); do
        for name in nginx xiangzhi; do
            [ "$name" = nginx ] && { pid=$NGINX_PID; url="http://127.0.0.1:$np/"; } ||
                { pid=$XZ_PID; url="http://127.0.0.1:$xp/"; }
            r=$(run_wrk "$WORK/wrk-tiles-$name-$i.txt" "$pid" "$url" -s "$WORK/tiles.lua")
            echo "$r" >>"$WORK/tiles-$name.runs"
            printf 'run %d %-8s rps=%s p50_us=%s p99_us=%s cpu_us=%s\n' "$i" "$name" $r
        done
    done
    for name in nginx xiangzhi; do
        printf '%-8s median rps=%s cpu_us=%s (runs: %s)\n' "$name" \
            "$(cut -d' ' -f1 "$WORK/tiles-$name.runs" | median)" \
            "$(cut -d' ' -f4 "$WORK/tiles-$name.runs" | median)" \
            "$(cut -d' ' -f1 "$WORK/tiles-$name.runs" | paste -sd' ')"
    done
    awk -v x="$(cut -d' ' -f1 "$WORK/tiles-xiangzhi.runs" | median)" \
        -v n="$(cut -d' ' -f1 "$WORK/tiles-nginx.runs" | median)" \
        'BEGIN { printf "tiles xiangzhi/nginx = %.3f\n", x / n }'
}

main() {
    local tool
    ninja -C "$BUILD" xiangzhi bench/bench_tlog >/dev/null || die "build failed"
    for tool in nginx wrk curl python3; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    make_workdir tlog
    echo "# $(nproc) cores; source $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?');" \
        "load average $(loadavg)"
    case $WHICH in
    append) run_append ;;
    prove) run_prove ;;
    tiles) run_tiles ;;
    all) run_append && run_prove && run_tiles ;;
    *) die "usage: tlog.sh [append|prove|tiles|all] [BUILD_DIR]" ;;
    esac
    echo "# load average at end: $(loadavg)"
}

main "$@"
