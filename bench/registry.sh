#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/registry.sh -- the registry benchmarks of issue #3, each in one run:
#   reads    nginx `return 200`, GET /healthz and an authenticated
#            GET /api/v1/households/{id} (ids 1..HOUSEHOLDS in turn, not one hot row),
#            wrk against each alternately, RUNS times; medians and ratios to nginx
#   updates  bench_update (durable PUT /api/v1/households/{id}, one household per
#            client) with 1 and 64 clients alternately, RUNS x SECS each, on SQLite
#            and on PostgreSQL; medians and the ratio 64/1 per backend
#   demo     wall time of `xiangzhi demo --households DEMO_HOUSEHOLDS` on SQLite
#   import   IMPORT_HOUSEHOLDS new households (2-4 people each) imported through the
#            API in IMPORT_FILES CSV files (bench/county_import.py), on SQLite and on
#            PostgreSQL: seconds per file and in all
#
#   bench/registry.sh [reads|updates|demo|import|all] [BUILD_DIR]   default: all, <repo>/build
#   env: RUNS (3), DURATION (10s), CONNECTIONS (64), THREADS (2, wrk), WARMUP (2s),
#        SECS (5), CLIENTS ("1 64"), BACKENDS ("sqlite pg"), DEMO_HOUSEHOLDS (115000),
#        IMPORT_HOUSEHOLDS (115000), IMPORT_FILES (3)
#
# Everything shares the machine's cores with the load generators, as in
# bench/http.sh. Data lives on a real disk (never tmpfs: an fsync there is free);
# PostgreSQL is a throw-away cluster from scripts/pgcluster.sh. Servers are
# stopped and the work dir removed on exit. Needs nginx, wrk, curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHICH=${1:-all}
BUILD=${2:-$ROOT/build}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
SECS=${SECS:-5}
CLIENTS=${CLIENTS:-"1 64"}
BACKENDS=${BACKENDS:-"sqlite pg"}
DEMO_HOUSEHOLDS=${DEMO_HOUSEHOLDS:-115000}
IMPORT_HOUSEHOLDS=${IMPORT_HOUSEHOLDS:-115000}
IMPORT_FILES=${IMPORT_FILES:-3}
XZ=$BUILD/xiangzhi
BENCH=$BUILD/bench/bench_update
WORK=
PGDIR=
NGINX_PID=
XZ_PID=
UNVERIFIED=0

die() {
    echo "registry.sh: $*" >&2
    exit 1
}

stop_xiangzhi() {
    [ -n "$XZ_PID" ] && kill -TERM "$XZ_PID" 2>/dev/null && wait "$XZ_PID" 2>/dev/null
    XZ_PID=
}

cleanup() {
    set +e
    stop_xiangzhi
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
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
    WORK=$(mktemp -d "$base/xz-registry-bench.XXXXXX")
    chmod 755 "$WORK" # the postgres user must reach the cluster inside it
    echo "# data on $(df --output=source,fstype "$WORK" | tail -1 | tr -s ' ') ($WORK)"
}

loadavg() {
    cut -d' ' -f1-3 /proc/loadavg
}

median() { # numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

field() { # LINE KEY
    tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

# Wait until URL answers 200, or fail after ~10 s.
wait_up() { # URL PID NAME
    for _ in $(seq 100); do
        kill -0 "$2" 2>/dev/null || die "$3 exited; see $WORK"
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
        sleep 0.1
    done
    die "$3 did not answer on $1"
}

# --- servers ---

# nginx answering /healthz with the same 15 bytes as xiangzhi (as bench/http.sh).
start_nginx() { # PORT
    local d=$WORK/nginx
    mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 1024; }
http {
    access_log $d/access.log combined buffer=64k;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    server {
        listen 127.0.0.1:$1;
        location = /healthz {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
EOF
    nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf" &
    NGINX_PID=$!
    wait_up "http://127.0.0.1:$1/healthz" "$NGINX_PID" nginx
}

# A fresh demo county in DIR on database URL, served on PORT.
start_xiangzhi() { # DIR URL PORT
    mkdir -p "$1"
    "$XZ" demo --data "$1" --db "$2" >"$1/demo.log" 2>&1 ||
        die "xiangzhi demo failed; see $1/demo.log"
    "$XZ" serve --data "$1" --db "$2" --listen "127.0.0.1:$3" \
        --access-log "$1/access.log" >"$1/serve.log" 2>&1 &
    XZ_PID=$!
    wait_up "http://127.0.0.1:$3/healthz" "$XZ_PID" xiangzhi
}

password_of() { # ACCOUNTS_JSON USER
    python3 -c 'import json, sys
print(next(a["password"] for a in json.load(open(sys.argv[1])) if a["username"] == sys.argv[2]))' \
        "$1" "$2"
}

# Log in; prints the "xz_session=..." cookie.
login_cookie() { # PORT ACCOUNTS_JSON USER
    local body
    body=$(python3 -c 'import json, sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' \
        "$3" "$(password_of "$2" "$3")")
    curl -s -o /dev/null -D - -H 'Content-Type: application/json' --data-binary "$body" \
        "http://127.0.0.1:$1/api/v1/session" |
        sed -n 's/^[Ss]et-[Cc]ookie: \(xz_session=[^;]*\);.*/\1/p'
}

# --- reads ---

# wrk script: every request carries the cookie; each wrk thread walks household
# ids 1..N from its own offset, so the reads spread over the whole table. The
# requests are formatted once per thread in init(): wrk.format on every request
# cost wrk about 2 µs of CPU each, taken from the server on a shared machine.
write_lua() { # FILE COOKIE HOUSEHOLDS
    cat >"$1" <<EOF
-- generated by bench/registry.sh
local cookie = "$2"
local households = $3
local threads = 0
function setup(thread)
    thread:set("next_id", (threads * 997) % households)
    threads = threads + 1
end
function init(args)
    reqs = {}
    for id = 1, households do
        reqs[id] = wrk.format("GET", "/api/v1/households/" .. id, { ["Cookie"] = cookie })
    end
end
function request()
    next_id = next_id % households + 1
    return reqs[next_id]
end
EOF
}

# Latency quantile (e.g. 50%) from wrk --latency output, in microseconds.
quantile_us() { # FILE PCT
    awk -v q="$2" '$1 == q {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : 0
        printf "%.0f\n", v * f }' "$1"
}

# CPU time (user + system, clock ticks) used so far by PID and its children
# processes (nginx's workers); threads are included by /proc/PID/stat.
cpu_ticks() { # PID
    local p t=0
    for p in "$1" $(ps --ppid "$1" -o pid= 2>/dev/null); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}

# One wrk run; prints "rps p50_us p99_us server_cpu_us_per_request" and fails
# on errors or non-200s. The CPU figure is steadier than rps on a shared machine.
run_wrk() { # OUTFILE SERVER_PID URL [wrk args...]
    local out=$1 pid=$2 url=$3 t0 t1
    shift 3
    t0=$(cpu_ticks "$pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out" 2>&1 ||
        die "wrk failed; see $out"
    t1=$(cpu_ticks "$pid")
    grep -q 'Non-2xx' "$out" && die "non-200 answers from $url: $(grep 'Non-2xx' "$out")"
    grep -q 'Socket errors' "$out" && echo "registry.sh: warning: $(grep 'Socket errors' "$out")" >&2
    printf '%s %s %s %s\n' "$(awk '/^Requests\/sec:/ {print $2}' "$out")" \
        "$(quantile_us "$out" 50%)" "$(quantile_us "$out" 99%)" \
        "$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '/ requests in / {
            printf "%.1f", d / hz * 1e6 / $1 }' "$out")"
}

reads_target() { # NAME NGINX_PORT XZ_PORT -> "URL [wrk args]"
    case $1 in
    nginx) echo "http://127.0.0.1:$2/healthz" ;;
    healthz) echo "http://127.0.0.1:$3/healthz" ;;
    household) echo "http://127.0.0.1:$3/api/v1/households/1 -s $WORK/household.lua" ;;
    esac
}

reads_summary() {
    local name n_rps rps
    n_rps=$(cut -d' ' -f1 "$WORK/reads-nginx.runs" | median)
    for name in nginx healthz household; do
        rps=$(cut -d' ' -f1 "$WORK/reads-$name.runs" | median)
        printf '%-9s median rps=%s p50_us=%s p99_us=%s cpu_us=%s ratio_to_nginx=%s (runs: %s)\n' \
            "$name" "$rps" "$(cut -d' ' -f2 "$WORK/reads-$name.runs" | median)" \
            "$(cut -d' ' -f3 "$WORK/reads-$name.runs" | median)" \
            "$(cut -d' ' -f4 "$WORK/reads-$name.runs" | median)" \
            "$(awk -v a="$rps" -v b="$n_rps" 'BEGIN { printf "%.3f", a / b }')" \
            "$(cut -d' ' -f1 "$WORK/reads-$name.runs" | paste -sd' ')"
    done
    awk -v a="$(cut -d' ' -f1 "$WORK/reads-household.runs" | median)" -v b="$n_rps" 'BEGIN {
        r = a / b
        printf "household read / nginx = %.3f (criterion >= 0.40: %s)\n", r, (r >= 0.4) ? "met" : "NOT met" }'
}

run_reads() {
    local np xp cookie n i name r target rps p50 p99 cpu pid
    np=$("$ROOT/scripts/free-port")
    start_nginx "$np"
    xp=$("$ROOT/scripts/free-port")
    start_xiangzhi "$WORK/reads" "sqlite:$WORK/reads/x.db" "$xp"
    n=$(sqlite3 "$WORK/reads/x.db" 'SELECT count(*) FROM households')
    cookie=$(login_cookie "$xp" "$WORK/reads/demo-accounts.json" admin)
    [ -n "$cookie" ] || die "login as admin failed"
    write_lua "$WORK/household.lua" "$cookie" "$n"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
        "http://127.0.0.1:$xp/api/v1/households/$n")" = 200 ] || die "household $n is not readable"
    echo "# reads: nginx $(nginx -v 2>&1 | sed 's/.*\///') on :$np, xiangzhi (sqlite) on :$xp," \
        "$n households; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $RUNS runs each, alternating"
    echo "# load average at start: $(loadavg)"
    echo "# bytes per response: nginx $(curl -si "http://127.0.0.1:$np/healthz" | wc -c)," \
        "healthz $(curl -si "http://127.0.0.1:$xp/healthz" | wc -c), household 1" \
        "$(curl -si -H "Cookie: $cookie" "http://127.0.0.1:$xp/api/v1/households/1" | wc -c)"
    for name in nginx healthz household; do
        read -ra target <<<"$(reads_target "$name" "$np" "$xp")"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${target[@]:1}" "${target[0]}" >/dev/null
        : >"$WORK/reads-$name.runs"
    done
    for i in $(seq "$RUNS"); do
        for name in nginx healthz household; do
            read -ra target <<<"$(reads_target "$name" "$np" "$xp")"
            [ "$name" = nginx ] && pid=$NGINX_PID || pid=$XZ_PID
            r=$(run_wrk "$WORK/wrk-$name-$i.txt" "$pid" "${target[0]}" "${target[@]:1}")
            echo "$r" >>"$WORK/reads-$name.runs"
            read -r rps p50 p99 cpu <<<"$r"
            printf 'run %d %-9s rps=%s p50_us=%s p99_us=%s server_cpu_us_per_request=%s\n' \
                "$i" "$name" "$rps" "$p50" "$p99" "$cpu"
        done
    done
    reads_summary
    echo "# load average at end: $(loadavg)"
    stop_xiangzhi
    kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=
}

# --- updates ---

updates_summary() { # BACKEND
    local f=$WORK/updates-$1.runs c lo hi a b
    lo=$(echo "$CLIENTS" | tr ' ' '\n' | sort -n | head -1)
    hi=$(echo "$CLIENTS" | tr ' ' '\n' | sort -n | tail -1)
    for c in $CLIENTS; do
        printf '%-6s clients=%-3s median updates_per_s=%s p50_us=%s p99_us=%s (runs: %s)\n' "$1" "$c" \
            "$(awk -v c="$c" '$1 == c {print $2}' "$f" | median)" \
            "$(awk -v c="$c" '$1 == c {print $3}' "$f" | median)" \
            "$(awk -v c="$c" '$1 == c {print $4}' "$f" | median)" \
            "$(awk -v c="$c" '$1 == c {print $2}' "$f" | paste -sd' ')"
    done
    a=$(awk -v c="$lo" '$1 == c {print $2}' "$f" | median)
    b=$(awk -v c="$hi" '$1 == c {print $2}' "$f" | median)
    awk -v a="$a" -v b="$b" -v lo="$lo" -v hi="$hi" -v name="$1" 'BEGIN {
        r = b / a
        printf "%-6s ratio %s/%s clients = %.2f", name, hi, lo, r
        if (name == "sqlite") printf " (criterion >= 10: %s)", (r >= 10) ? "met" : "NOT met"
        printf "\n" }'
}

run_updates_on() { # BACKEND URL
    local dir=$WORK/updates-$1 port i c line
    port=$("$ROOT/scripts/free-port")
    start_xiangzhi "$dir" "$2" "$port"
    echo "# updates on $1: bench_update --clients N --seconds $SECS, N in {$CLIENTS} alternating," \
        "$RUNS rounds; load average at start: $(loadavg)"
    : >"$WORK/updates-$1.runs"
    for i in $(seq "$RUNS"); do
        for c in $CLIENTS; do
            # A run whose read-back fails verification still prints its line: keep
            # it, warn, and fail at the end.
            if ! line=$("$BENCH" --url "http://127.0.0.1:$port" \
                --accounts "$dir/demo-accounts.json" --clients "$c" --seconds "$SECS" \
                2>"$WORK/bench_update.err"); then
                [ -n "$line" ] || die "bench_update failed: $(cat "$WORK/bench_update.err")"
                UNVERIFIED=1
                echo "registry.sh: warning: $(cat "$WORK/bench_update.err")" >&2
            fi
            echo "run $i $1 $line"
            echo "$c $(field "$line" updates_per_s) $(field "$line" p50_us) $(field "$line" p99_us)" \
                >>"$WORK/updates-$1.runs"
        done
    done
    updates_summary "$1"
    echo "# load average at end: $(loadavg)"
    stop_xiangzhi
}

run_updates() {
    local b url
    for b in $BACKENDS; do
        case $b in
        sqlite) url="sqlite:$WORK/updates-sqlite.db" ;;
        pg)
            PGDIR=$WORK/pg
            url=$("$ROOT/scripts/pgcluster.sh" start "$PGDIR" 2>>"$WORK/pg.log") ||
                die "cannot start PostgreSQL: $(tail -5 "$WORK/pg.log")"
            ;;
        *) die "unknown backend '$b'" ;;
        esac
        run_updates_on "$b" "$url"
        if [ "$b" = pg ]; then
            "$ROOT/scripts/pgcluster.sh" stop "$PGDIR" >/dev/null 2>&1
            PGDIR=
        fi
    done
}

# --- demo generation ---

run_demo() {
    local d=$WORK/demo
    mkdir -p "$d"
    echo "# demo --households $DEMO_HOUSEHOLDS on sqlite; load average at start: $(loadavg)"
    /usr/bin/time -f 'demo wall_s=%e user_s=%U sys_s=%S max_rss_kib=%M' -o "$d/time" \
        "$XZ" demo --data "$d" --db "sqlite:$d/x.db" --households "$DEMO_HOUSEHOLDS" \
        >"$d/demo.log" 2>&1 || die "demo failed: $(tail -3 "$d/demo.log")"
    echo "$(cat "$d/time") households=$(sqlite3 "$d/x.db" 'SELECT count(*) FROM households')" \
        "persons=$(sqlite3 "$d/x.db" 'SELECT count(*) FROM persons')" \
        "audit_rows=$(sqlite3 "$d/x.db" 'SELECT count(*) FROM audit_log')" \
        "data_dir_mib=$(du -sm "$d" | cut -f1)"
    echo "# load average at end: $(loadavg)"
    rm -rf "$d"
}

# --- importing the county ---

# The village codes of a demo county, comma-separated.
villages_of() { # URL
    case $1 in
    sqlite:*) sqlite3 "${1#sqlite:}" "SELECT group_concat(code, ',') FROM regions WHERE level = 5" ;;
    *) psql -qAt "$1" -c "SELECT string_agg(code, ',') FROM regions WHERE level = 5" ;;
    esac
}

run_import_on() { # BACKEND URL
    local dir=$WORK/import-$1 port line
    port=$("$ROOT/scripts/free-port")
    mkdir -p "$dir"
    "$XZ" demo --data "$dir" --db "$2" --households 20 >"$dir/demo.log" 2>&1 ||
        die "xiangzhi demo failed; see $dir/demo.log"
    "$XZ" serve --data "$dir" --db "$2" --listen "127.0.0.1:$port" --access-log off \
        >"$dir/serve.log" 2>&1 &
    XZ_PID=$!
    wait_up "http://127.0.0.1:$port/healthz" "$XZ_PID" xiangzhi
    echo "# import on $1: $IMPORT_HOUSEHOLDS households in $IMPORT_FILES files through" \
        "POST /api/v1/households/import; load average at start: $(loadavg)"
    line=$(python3 "$ROOT/bench/county_import.py" --url "http://127.0.0.1:$port" \
        --accounts "$dir/demo-accounts.json" --villages "$(villages_of "$2")" \
        --households "$IMPORT_HOUSEHOLDS" --files "$IMPORT_FILES" --workdir "$dir") ||
        die "import failed: $line"
    echo "$1 import $line"
    echo "# load average at end: $(loadavg)"
    stop_xiangzhi
    rm -rf "$dir"
}

run_import() {
    local b
    for b in $BACKENDS; do
        case $b in
        sqlite) run_import_on sqlite "sqlite:$WORK/import-sqlite.db" ;;
        pg)
            PGDIR=$WORK/pg-import
            run_import_on pg "$("$ROOT/scripts/pgcluster.sh" start "$PGDIR" 2>>"$WORK/pg.log")"
            "$ROOT/scripts/pgcluster.sh" stop "$PGDIR" >/dev/null 2>&1
            PGDIR=
            ;;
        esac
    done
}

main() {
    local tool
    ninja -C "$BUILD" xiangzhi bench/bench_update >/dev/null || die "build failed"
    for tool in nginx wrk curl python3 sqlite3; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    make_workdir
    echo "# $(nproc) cores; source $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), binaries from $BUILD"
    case $WHICH in
    reads) run_reads ;;
    updates) run_updates ;;
    demo) run_demo ;;
    import) run_import ;;
    all) run_reads && run_updates && run_demo && run_import ;;
    *) die "usage: registry.sh [reads|updates|demo|import|all] [BUILD_DIR]" ;;
    esac
    [ "$UNVERIFIED" = 0 ] || die "some update runs failed verification (see above)"
}

main
