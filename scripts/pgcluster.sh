#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scripts/pgcluster.sh -- a throw-away PostgreSQL 15 cluster for tests (DESIGN.md §4:
# the test script starts its own server on a free port, never assumes one).
#
#   pgcluster.sh start DIR        initdb in DIR, start on 127.0.0.1:<free port>, create
#                                 database xiangzhi_test; prints its URL and nothing else
#   pgcluster.sh createdb DIR NAME  create an empty database; prints its URL
#   pgcluster.sh url DIR          print the URL of xiangzhi_test again
#   pgcluster.sh stop DIR         stop the server and remove DIR (idempotent)
#   pgcluster.sh crash DIR        stop the server at once (-m immediate: no checkpoint,
#                                 as a power cut or a killed postmaster leaves it)
#   pgcluster.sh restart DIR      start it again on the same port (crash recovery runs)
#
# Auth is 'trust' for the superuser 'xiangzhi' on loopback only. fsync, full_page_writes
# and synchronous_commit stay on: the backend refuses a server that could lose writes.
# Run as root (as CI does), the server runs as 'postgres', which must be able to reach
# DIR (every parent directory searchable by it). Diagnostics go to stderr and DIR/log.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_NAME=xiangzhi
MARK=.xiangzhi-pgcluster

die() {
    echo "pgcluster: $*" >&2
    exit 1
}

# Run a server-side command as the cluster owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    "$(dirname "$0")/free-port"
}

url_for() { # DIR DBNAME
    echo "postgresql://$PGUSER_NAME@127.0.0.1:$(cat "$1/port")/$2"
}

pg_start() { # DIR PORT
    sockdir=$1
    [ ${#sockdir} -le 80 ] || sockdir= # a socket path over 107 bytes stops the server
    as_owner "$PGBIN/pg_ctl" -D "$1/data" -w -t 60 -l "$1/log" -o \
        "-c listen_addresses=127.0.0.1 -p $2 -c unix_socket_directories='$sockdir' \
         -c fsync=on -c full_page_writes=on -c synchronous_commit=on \
         -c max_connections=200 -c shared_buffers=16MB" start >&2
}

# Try to start on a fresh port; another process may grab it first, so retry.
start_server() { # DIR
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        if pg_start "$1" "$port"; then
            echo "$port" >"$1/port"
            return 0
        fi
    done
    die "could not start PostgreSQL; see $1/log"
}

cmd_start() { # DIR
    dir=$1
    [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ] && die "$dir exists and is not empty"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    touch "$dir/$MARK"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" ||
            die "user postgres cannot reach $dir; use a directory under /tmp"
    fi
    as_owner "$PGBIN/initdb" -D "$dir/data" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1 || die "initdb failed; see $dir/initdb.log"
    # Loopback TCP only, trust; no other host may connect.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$dir/hba"
    as_owner cp "$dir/hba" "$dir/data/pg_hba.conf"
    start_server "$dir"
    "$PGBIN/createdb" -h 127.0.0.1 -p "$(cat "$dir/port")" -U "$PGUSER_NAME" xiangzhi_test >&2 ||
        die "createdb xiangzhi_test failed"
    url_for "$dir" xiangzhi_test
}

cmd_createdb() { # DIR NAME
    [ -f "$1/port" ] || die "$1 is not a running cluster"
    case $2 in
    '' | [!a-z_]* | *[!a-z0-9_]*) die "database name must match [a-z_][a-z0-9_]*" ;;
    esac
    "$PGBIN/createdb" -h 127.0.0.1 -p "$(cat "$1/port")" -U "$PGUSER_NAME" "$2" >&2 ||
        die "createdb $2 failed"
    url_for "$1" "$2"
}

cmd_stop() { # DIR
    [ -e "$1" ] || return 0
    [ -f "$1/$MARK" ] || die "$1 was not made by pgcluster.sh; not removing it"
    if [ -f "$1/data/postmaster.pid" ]; then
        as_owner "$PGBIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >&2 || true
    fi
    rm -rf "$1"
}

[ $# -ge 2 ] || die "usage: pgcluster.sh start|stop|crash|restart|url DIR | createdb DIR NAME"
case $1 in
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
crash) as_owner "$PGBIN/pg_ctl" -D "$2/data" -m immediate -w -t 60 stop >&2 ;;
restart) [ -f "$2/port" ] || die "$2 is not a cluster"; pg_start "$2" "$(cat "$2/port")" ||
    die "could not restart PostgreSQL; see $2/log" ;;
url) [ -f "$2/port" ] || die "$2 is not a running cluster"; url_for "$2" xiangzhi_test ;;
createdb) [ $# -eq 3 ] || die "usage: pgcluster.sh createdb DIR NAME"; cmd_createdb "$2" "$3" ;;
*) die "unknown command '$1'" ;;
esac
