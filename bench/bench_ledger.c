/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_ledger.c -- a big points ledger for timing `xiangzhi verify
 * points` (issue #6). Opens a database that has households (a demo county, or
 * `xiangzhi init` and one household) with the store API and appends N entries
 * through the domain's own points_entry_add, BATCH per transaction: each entry
 * its row, its household's balance and its leaf in the verifiable log, exactly
 * as a claim becoming final writes them. The entries go to the first
 * HOUSEHOLDS households in turn, +1 point each (a credit never reads the
 * balance first). Prints one line of key=value. Not safe beside a running
 * server: its writer would contend for the log's next index. */
#include "core/compat.h"

#include <stdlib.h>
#include <time.h>

#include "core/crypto.h"
#include "core/xalloc.h"
#include "domain/points/points_int.h"
#include "store/db.h"
#include "store/migrate.h"

static const char usage[] =
    "usage: bench_ledger --db URL [--entries N] [--batch N] [--households N]\n"
    "  Appends N (1000000) ledger entries, BATCH (1000) per transaction, spread over\n"
    "  the first HOUSEHOLDS (1000) households of the database.\n";

struct opts {
    const char *url;
    long entries;
    long batch;
    long households;
};

/* A household the entries go to. */
struct target {
    int64_t id;
    char village[13];
};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(int rc, const struct err *e, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "bench_ledger: %s: %s\n", what, e->en);
        exit(1);
    }
}

/* The first 'max' active households, by id; how many there are. */
static size_t
targets(struct db_conn *c, struct target *out, size_t max)
{
    struct err e = ERR_INIT;
    struct db_stmt *s;
    size_t n = 0;
    int rc;

    check(db_prepare(c,
                     "SELECT id, village_code FROM households WHERE status = 'active'"
                     " ORDER BY id LIMIT ?",
                     &s, &e),
          &e, "households");
    db_bind_i64(s, 1, (int64_t)max);
    while (n < max && (rc = db_step(s, &e)) == 1) {
        out[n].id = db_col_i64(s, 0);
        db_col_copy(s, 1, out[n].village, sizeof(out[n].village));
        n++;
    }
    db_reset(s);
    check(rc < 0 ? rc : 0, &e, "households");
    return n;
}

static double
add_entries(struct db_conn *c, const struct opts *o, const struct target *t, size_t nt)
{
    struct err e = ERR_INIT;
    double t0 = now_s();

    for (long done = 0; done < o->entries;) {
        check(db_begin(c, &e), &e, "begin");
        for (long k = 0; k < o->batch && done < o->entries; k++, done++) {
            struct point_entry pe = { .household_id = t[(size_t)done % nt].id, .delta = 1 };

            snprintf(pe.village_code, sizeof(pe.village_code), "%s", t[(size_t)done % nt].village);
            snprintf(pe.reason, sizeof(pe.reason), "压测记录 %ld", done);
            check(points_entry_add(c, &pe, &e), &e, "entry");
        }
        check(db_commit(c, &e), &e, "commit");
    }
    return now_s() - t0;
}

static int
parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){ .entries = 1000000, .batch = 1000, .households = 1000 };
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            o->url = argv[i + 1];
        else if (strcmp(argv[i], "--entries") == 0)
            o->entries = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--batch") == 0)
            o->batch = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--households") == 0)
            o->households = strtol(argv[i + 1], NULL, 10);
        else
            return -1;
    }
    return o->url && o->entries > 0 && o->batch > 0 && o->households > 0 && argc % 2 == 1 ? 0 : -1;
}

int
main(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    struct target *t;
    struct opts o;
    struct db *db;
    struct db_conn *c;
    size_t nt;
    double secs;

    if (parse(argc, argv, &o) < 0) {
        fputs(usage, stderr);
        return 2;
    }
    check(crypto_init(), &e, "crypto");
    check(db_open(o.url, &dopt, &db, &e), &e, "open");
    check(migrate_apply(db, NULL, NULL, &e), &e, "migrate");
    c = db_acquire(db, &e);
    check(c ? 0 : -1, &e, "connect");
    t = xcalloc((size_t)o.households, sizeof(*t));
    nt = targets(c, t, (size_t)o.households);
    if (nt == 0) {
        fprintf(stderr, "bench_ledger: the database has no households\n");
        return 1;
    }
    secs = add_entries(c, &o, t, nt);
    printf("entries=%ld batch=%ld households=%zu seconds=%.1f entries_per_s=%.0f\n", o.entries,
           o.batch, nt, secs, (double)o.entries / secs);
    free(t);
    db_release(c);
    db_close(db);
    return 0;
}
