#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/points.sh -- the points benchmarks of issue #6, each beside a baseline
# measured in the same session:
#   api     per backend, one demo county and one server: bench_points claims
#           (claims taken to final through the API by CLIENTS clients: enter,
#           review, approve, post the board, object, uphold on re-review) and
#           bench_update (durable PUT /api/v1/households/{id}, issue #3) at the
#           same client count, alternately, RUNS x SECS each; then, on the same
#           database, bench_points redeem (1-point goods at the village store
#           for households with points) and bench_update alternately. Medians,
#           and the ratio of API writes/s to updates/s. Before the redemptions,
#           unmeasured claims runs ("fill", FILL_SECS each) top up the
#           households' points until they cover RUNS x SECS of redemptions at
#           the rate a 1-s trial shows (x1.3), so that no run starves.
#   verify  a demo county plus LEDGER_ENTRIES (1M) ledger entries appended
#           through points_entry_add (bench_ledger), then `xiangzhi verify
#           points`, `xiangzhi verify log` (the log and every module's records,
#           points included) and the bare SQL sum per household, alternately,
#           RUNS times; medians and ratios
#
#   bench/points.sh [api|verify|all] [BUILD_DIR]   default: all, <repo>/build
#   env: RUNS (3), SECS (5), CLIENTS (64), BACKENDS ("sqlite pg"),
#        VERIFY_BACKENDS ("sqlite pg"), DEMO_HOUSEHOLDS_SQLITE (100000),
#        DEMO_HOUSEHOLDS_PG (20000), FILL_SECS (10), LEDGER_ENTRIES (1000000)
#
# Load generators and servers share the machine's cores, as in bench/registry.sh.
# A run counts only what the server acknowledged; afterwards the database must
# hold exactly that many more final claims (or redemptions), else the script
# fails at the end; `xiangzhi verify points` runs after each backend's block.
# Data lives on a real disk; PostgreSQL is a throw-away cluster from
# scripts/pgcluster.sh. Servers stop and the work dir goes on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHICH=${1:-all}
BUILD=${2:-$ROOT/build}
RUNS=${RUNS:-3}
SECS=${SECS:-5}
CLIENTS=${CLIENTS:-64}
BACKENDS=${BACKENDS:-"sqlite pg"}
VERIFY_BACKENDS=${VERIFY_BACKENDS:-"sqlite pg"}
DEMO_HOUSEHOLDS_SQLITE=${DEMO_HOUSEHOLDS_SQLITE:-100000}
DEMO_HOUSEHOLDS_PG=${DEMO_HOUSEHOLDS_PG:-20000}
FILL_SECS=${FILL_SECS:-10}
LEDGER_ENTRIES=${LEDGER_ENTRIES:-1000000}
XZ=$BUILD/xiangzhi
BPOINTS=$BUILD/bench/bench_points
BUPDATE=$BUILD/bench/bench_update
BLEDGER=$BUILD/bench/bench_ledger
WORK=
T=
PGDIR=
XZ_PID=
FAILED=0

stop_xiangzhi() {
    [ -n "$XZ_PID" ] && kill -TERM "$XZ_PID" 2>/dev/null && wait "$XZ_PID" 2>/dev/null
    XZ_PID=
}

cleanup() {
    set +e
    stop_xiangzhi
    [ -n "$PGDIR" ] && "$ROOT/scripts/pgcluster.sh" stop "$PGDIR" >/dev/null 2>&1
    [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# One value from the database at URL.
sql() { # URL QUERY
    case $1 in
    sqlite:*) sqlite3 -cmd '.timeout 10000' "${1#sqlite:}" "$2" ;;
    *) psql -qAt "$1" -c "$2" ;;
    esac
}

# A database for BACKEND: a file in DIR, or a fresh PostgreSQL cluster in
# PGDIR (set by the caller: this runs in a subshell).
db_url() { # BACKEND DIR
    case $1 in
    sqlite) echo "sqlite:$2/x.db" ;;
    pg)
        "$ROOT/scripts/pgcluster.sh" start "$PGDIR" 2>>"$WORK/pg.log" ||
            die "cannot start PostgreSQL: $(tail -5 "$WORK/pg.log")"
        ;;
    *) die "unknown backend '$1'" ;;
    esac
}

drop_db() { # BACKEND
    if [ "$1" = pg ] && [ -n "$PGDIR" ]; then
        "$ROOT/scripts/pgcluster.sh" stop "$PGDIR" >/dev/null 2>&1
        PGDIR=
    fi
}

# A demo county of N households in DIR on URL.
make_demo() { # DIR URL N
    mkdir -p "$1"
    /usr/bin/time -f '%e' -o "$1/demo.time" "$XZ" demo --data "$1" --db "$2" --households "$3" \
        >"$1/demo.log" 2>&1 || die "xiangzhi demo failed: $(tail -3 "$1/demo.log")"
}

start_xiangzhi() { # DIR URL PORT
    "$XZ" serve --data "$1" --db "$2" --listen "127.0.0.1:$3" --access-log "$1/access.log" \
        >"$1/serve.log" 2>&1 &
    XZ_PID=$!
    wait_up "http://127.0.0.1:$3/healthz" "$XZ_PID" xiangzhi
}

village_of() { # ACCOUNTS_JSON USER
    python3 -c 'import json, sys
print(next(a["scope"] for a in json.load(open(sys.argv[1])) if a["username"] == sys.argv[2]))' \
        "$1" "$2"
}

# --- api: claims and redemptions ---

# Households of VILLAGE no claim has touched yet (a claims run walks each
# client's households in turn, so the next run starts on fresh ones).
fresh_households() { # URL VILLAGE FILE
    sql "$1" "SELECT id FROM households WHERE village_code = '$2' AND status = 'active'
        AND id NOT IN (SELECT household_id FROM point_claims) ORDER BY id LIMIT 20000" >"$3"
    [ "$(wc -l <"$3")" -ge "$CLIENTS" ] ||
        die "village $2 has only $(wc -l <"$3") untouched households; raise DEMO_HOUSEHOLDS_*"
}

households_with_points() { # URL VILLAGE FILE
    sql "$1" "SELECT household_id FROM point_balances WHERE village_code = '$2' AND balance > 0
        ORDER BY household_id" >"$3"
}

count_finals() { sql "$1" "SELECT count(*) FROM point_claims WHERE state = 'final'"; }
count_redemptions() { sql "$1" "SELECT count(*) FROM point_redemptions"; }
village_points() { sql "$1" "SELECT COALESCE(SUM(balance), 0) FROM point_balances WHERE village_code = '$2'"; }

# One bench_points run; prints its line and checks the database gained exactly
# what it acknowledged. Appends the line to FILE.
points_run() { # LABEL MODE URL PORT DIR VILLAGE SECS FILE
    local label=$1 mode=$2 url=$3 port=$4 dir=$5 village=$6 secs=$7 out=$8 hh before after line
    hh=$WORK/households.txt
    if [ "$mode" = claims ]; then
        fresh_households "$url" "$village" "$hh"
        before=$(count_finals "$url")
    else
        households_with_points "$url" "$village" "$hh"
        before=$(count_redemptions "$url")
    fi
    line=$("$BPOINTS" "$mode" --url "http://127.0.0.1:$port" --accounts "$dir/demo-accounts.json" \
        --households "$hh" --clients "$CLIENTS" --seconds "$secs" 2>"$WORK/bench_points.err") ||
        { [ -n "$line" ] || die "bench_points failed: $(cat "$WORK/bench_points.err")"; FAILED=1; }
    [ "$mode" = claims ] && after=$(count_finals "$url") || after=$(count_redemptions "$url")
    local acked
    acked=$(field "$line" "$([ "$mode" = claims ] && echo finals || echo redemptions)")
    if [ "$((after - before))" != "$acked" ]; then
        echo "points.sh: $label: $acked acknowledged but the database gained $((after - before))" >&2
        FAILED=1
        line="$line db_check=FAILED"
    else
        line="$line db_check=ok"
    fi
    [ "$(field "$line" exhausted_clients)" = 0 ] ||
        echo "points.sh: warning: $label: $(field "$line" exhausted_clients) clients ran out of households" >&2
    echo "$label $line"
    echo "$line" >>"$out"
}

update_run() { # LABEL PORT DIR FILE
    local line
    if ! line=$("$BUPDATE" --url "http://127.0.0.1:$2" --accounts "$3/demo-accounts.json" \
        --clients "$CLIENTS" --seconds "$SECS" 2>"$WORK/bench_update.err"); then
        [ -n "$line" ] || die "bench_update failed: $(cat "$WORK/bench_update.err")"
        FAILED=1
    fi
    echo "$1 update $line"
    echo "$line" >>"$4"
}

col() { # FILE KEY -> one value per line
    while read -r l; do field "$l" "$2"; done <"$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# Top up the village's points until they cover RUNS x SECS redemptions at the
# rate of a 1-s trial, x1.3 (x2.6 if some trial clients ran out of points).
fill_points() { # URL PORT DIR VILLAGE
    local trial rate need have i=0 f=1.3
    trial=$WORK/trial.runs
    : >"$trial"
    points_run "  trial(1s)" redeem "$1" "$2" "$3" "$4" 1 "$trial" >/dev/null 2>&1
    rate=$(col "$trial" redemptions_per_s)
    [ "$(col "$trial" exhausted_clients)" = 0 ] || f=2.6
    need=$(awk -v r="$rate" -v n="$RUNS" -v s="$SECS" -v f="$f" \
        'BEGIN { printf "%d", r * n * s * f }')
    have=$(village_points "$1" "$4")
    echo "# redemption trial: $rate/s ($(col "$trial" exhausted_clients) clients ran dry);" \
        "points needed ~$need, in the village $have"
    while [ "$have" -lt "$need" ] && [ "$i" -lt 20 ]; do
        i=$((i + 1))
        points_run "  fill $i" claims "$1" "$2" "$3" "$4" "$FILL_SECS" "$WORK/fill.runs" \
            >"$WORK/fill.out"
        sed 's/ error_statuses.*//' "$WORK/fill.out"
        have=$(village_points "$1" "$4")
        echo "#   points in the village now $have"
    done
}

summary() { # BACKEND WHAT MAIN_FILE UPDATE_FILE
    local m u
    if [ "$2" = claims ]; then
        printf '%-6s claims  median finals_per_s=%s writes_per_s=%s chain_p50_ms=%s p50_us=%s (finals/s runs: %s; writes/s runs: %s)\n' \
            "$1" "$(col "$3" finals_per_s | median)" "$(col "$3" writes_per_s | median)" \
            "$(col "$3" chain_p50_ms | median)" "$(col "$3" p50_us | median)" \
            "$(col "$3" finals_per_s | paste -sd' ')" "$(col "$3" writes_per_s | paste -sd' ')"
    else
        printf '%-6s redeem  median redemptions_per_s=%s p50_us=%s short_409=%s (runs: %s)\n' \
            "$1" "$(col "$3" redemptions_per_s | median)" "$(col "$3" p50_us | median)" \
            "$(col "$3" short_409 | paste -sd/)" "$(col "$3" redemptions_per_s | paste -sd' ')"
    fi
    u=$(col "$4" updates_per_s | median)
    m=$(col "$3" writes_per_s | median)
    printf '%-6s update  median updates_per_s=%s p50_us=%s (runs: %s)\n' "$1" "$u" \
        "$(col "$4" p50_us | median)" "$(col "$4" updates_per_s | paste -sd' ')"
    printf '%-6s %s: API writes/s / updates/s = %s' "$1" "$2" "$(ratio "$m" "$u")"
    if [ "$2" = claims ]; then
        printf '; finals/s / updates/s = %s\n' "$(ratio "$(col "$3" finals_per_s | median)" "$u")"
    else
        printf '\n'
    fi
}

run_api_on() { # BACKEND
    local b=$1 dir=$WORK/api-$1 url port village n i
    [ "$b" = pg ] && n=$DEMO_HOUSEHOLDS_PG || n=$DEMO_HOUSEHOLDS_SQLITE
    mkdir -p "$dir"
    [ "$b" = pg ] && PGDIR=$dir/pg
    url=$(db_url "$b" "$dir")
    make_demo "$dir" "$url" "$n"
    village=$(village_of "$dir/demo-accounts.json" cun1)
    echo "# $b: demo of $n households in $(cat "$dir/demo.time") s; village $village has" \
        "$(sql "$url" "SELECT count(*) FROM households WHERE village_code = '$village'") households"
    port=$("$ROOT/scripts/free-port")
    start_xiangzhi "$dir" "$url" "$port"
    echo "# $b claims: bench_points claims and bench_update, --clients $CLIENTS --seconds $SECS," \
        "alternating, $RUNS rounds; load average at start: $(loadavg)"
    : >"$WORK/claims-$b.runs"
    : >"$WORK/upd-claims-$b.runs"
    for i in $(seq "$RUNS"); do
        points_run "run $i $b claims" claims "$url" "$port" "$dir" "$village" "$SECS" \
            "$WORK/claims-$b.runs"
        update_run "run $i $b" "$port" "$dir" "$WORK/upd-claims-$b.runs"
    done
    summary "$b" claims "$WORK/claims-$b.runs" "$WORK/upd-claims-$b.runs"
    echo "# load average at end: $(loadavg)"
    fill_points "$url" "$port" "$dir" "$village"
    echo "# $b redemptions: bench_points redeem and bench_update, --clients $CLIENTS" \
        "--seconds $SECS, alternating, $RUNS rounds; load average at start: $(loadavg)"
    : >"$WORK/redeem-$b.runs"
    : >"$WORK/upd-redeem-$b.runs"
    for i in $(seq "$RUNS"); do
        points_run "run $i $b redeem" redeem "$url" "$port" "$dir" "$village" "$SECS" \
            "$WORK/redeem-$b.runs"
        update_run "run $i $b" "$port" "$dir" "$WORK/upd-redeem-$b.runs"
    done
    summary "$b" redemptions "$WORK/redeem-$b.runs" "$WORK/upd-redeem-$b.runs"
    echo "# load average at end: $(loadavg)"
    stop_xiangzhi
    "$XZ" verify points --db "$url" --data "$dir" >"$dir/verify.log" 2>&1 ||
        { echo "points.sh: xiangzhi verify points failed on $b: $(tail -3 "$dir/verify.log")" >&2; FAILED=1; }
    echo "# $b: xiangzhi verify points: $(grep -c '✓' "$dir/verify.log") ok;" \
        "$(sql "$url" "SELECT count(*) FROM point_entries") entries," \
        "$(count_finals "$url") final claims, $(count_redemptions "$url") redemptions"
    drop_db "$b"
    rm -rf "$dir"
}

run_api() {
    local b
    for b in $BACKENDS; do
        run_api_on "$b"
    done
}

# --- verify: a ledger of LEDGER_ENTRIES entries ---

# Wall seconds of a command into T, its output kept in FILE.
timed() { # FILE CMD...
    local f=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$@" >"$f" 2>&1 || { echo "points.sh: failed: $* (see below)" >&2; tail -5 "$f" >&2; FAILED=1; }
    t1=$(date +%s.%N)
    T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

run_verify_on() { # BACKEND
    local b=$1 dir=$WORK/verify-$1 url i name line
    mkdir -p "$dir"
    [ "$b" = pg ] && PGDIR=$dir/pg
    url=$(db_url "$b" "$dir")
    make_demo "$dir" "$url" 2000
    echo "# $b: appending $LEDGER_ENTRIES entries with bench_ledger (1,000 per transaction," \
        "1,000 households); load average $(loadavg)"
    line=$("$BLEDGER" --db "$url" --entries "$LEDGER_ENTRIES") || die "bench_ledger failed"
    echo "$b ledger $line"
    echo "# $b: $(sql "$url" "SELECT count(*) FROM point_entries") entries," \
        "$(sql "$url" "SELECT count(*) FROM tlog_entries") log leaves$(
            [ "$b" = sqlite ] && echo ", $(du -m "${url#sqlite:}" | cut -f1) MB of SQLite")"
    echo "# verify points, verify log, SQL sum per household: alternating, $RUNS rounds;" \
        "load average at start: $(loadavg)"
    for name in points log sql; do : >"$WORK/verify-$b-$name.runs"; done
    for i in $(seq "$RUNS"); do
        for name in points log sql; do
            case $name in
            sql) timed "$WORK/out" sql "$url" \
                "SELECT household_id, SUM(delta) FROM point_entries GROUP BY 1" ;;
            *) timed "$WORK/out" "$XZ" verify "$name" --db "$url" --data "$dir" ;;
            esac
            echo "run $i $b $name seconds=$T"
            echo "$T" >>"$WORK/verify-$b-$name.runs"
        done
    done
    local p l s
    p=$(median <"$WORK/verify-$b-points.runs")
    l=$(median <"$WORK/verify-$b-log.runs")
    s=$(median <"$WORK/verify-$b-sql.runs")
    echo "$b median verify_points_s=$p verify_log_s=$l sql_sum_s=$s" \
        "points/log=$(ratio "$p" "$l") points/sql=$(ratio "$p" "$s")"
    echo "# load average at end: $(loadavg)"
    drop_db "$b"
    rm -rf "$dir"
}

run_verify() {
    local b
    for b in $VERIFY_BACKENDS; do
        run_verify_on "$b"
    done
}

main() {
    local tool
    ninja -C "$BUILD" xiangzhi bench/bench_points bench/bench_update bench/bench_ledger \
        >/dev/null || die "build failed"
    for tool in curl python3 sqlite3; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    make_workdir points
    echo "# $(nproc) cores; source $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo '(src modified)')," \
        "binaries from $BUILD; load average $(loadavg)"
    case $WHICH in
    api) run_api ;;
    verify) run_verify ;;
    all) run_api && run_verify ;;
    *) die "usage: points.sh [api|verify|all] [BUILD_DIR]" ;;
    esac
    [ "$FAILED" = 0 ] || die "some runs failed their checks (see above)"
}

main
