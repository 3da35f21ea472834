#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/lib.sh -- what the benchmark scripts share: sourced by http.sh,
# registry.sh and tlog.sh after they set ROOT, BUILD, WORK (a work dir, may be
# set later by make_workdir), THREADS, CONNECTIONS and DURATION. Each script
# keeps its own cleanup trap.

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# A directory on a real disk: TMPDIR (or /tmp) unless it is tmpfs, else under
# the build dir (an fsync on tmpfs is free and would flatter every write).
make_workdir() { # NAME
    local base=${TMPDIR:-/tmp}
    case $(stat -f -c %T "$base") in
    tmpfs | ramfs) base=$BUILD ;;
    esac
    WORK=$(mktemp -d "$base/xz-$1-bench.XXXXXX")
    chmod 755 "$WORK" # the postgres user must reach a cluster inside it
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
        kill -0 "$2" 2>/dev/null || die "$3 exited; see ${WORK:-its log}"
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
        sleep 0.1
    done
    die "$3 did not answer on $1"
}

# nginx with 2 workers in DIR on PORT, its server block holding LOCATIONS and
# answering /healthz with the same 15 bytes as xiangzhi; sets NGINX_PID.
start_nginx_in() { # DIR PORT [LOCATIONS]
    local d=$1
    mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOC
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
        listen 127.0.0.1:$2;
        location = /healthz {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
        ${3:-}
    }
}
EOC
    nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf" &
    NGINX_PID=$!
    wait_up "http://127.0.0.1:$2/healthz" "$NGINX_PID" nginx
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
    grep -q 'Socket errors' "$out" && echo "${0##*/}: warning: $(grep 'Socket errors' "$out")" >&2
    printf '%s %s %s %s\n' "$(awk '/^Requests\/sec:/ {print $2}' "$out")" \
        "$(quantile_us "$out" 50%)" "$(quantile_us "$out" 99%)" \
        "$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '/ requests in / {
            printf "%.1f", d / hz * 1e6 / $1 }' "$out")"
}
