/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_tlog.c -- the verifiable log's own costs (issue #5), on a real
 * database, each beside a baseline measured in the same run:
 *
 *   append  N leaves through tlog_append, BATCH per transaction, against the
 *           same entry bytes INSERTed into a bare two-column table (what any
 *           append-only table costs): leaves/s, bare rows/s and their ratio
 *   prove   SAMPLES inclusion proofs of random leaves in the whole tree, each in
 *           its own read transaction, against reading one stored hash by its
 *           key in the same way: median and p99 microseconds of each
 *
 * Prints one line of key=value per measurement. */
#include "core/compat.h"

#include <stdlib.h>
#include <time.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/migrate.h"
#include "tlog/tlog.h"

static const char usage[] = "usage: bench_tlog append --db URL [--leaves N] [--batch N]\n"
                            "       bench_tlog prove --db URL [--samples N]\n";

struct opts {
    const char *mode, *url;
    long leaves, batch, samples;
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
        fprintf(stderr, "bench_tlog: %s: %s\n", what, e->en);
        exit(1);
    }
}

/* One leaf as the log would take it: a probe-like record. */
static void
record_of(long i, char *ref, size_t rsize, char *rec, size_t csize, int *rlen)
{
    snprintf(ref, rsize, "probe/%ld", i);
    *rlen = snprintf(rec, csize, "{\"id\":%ld,\"created_at\":%lld,\"note\":\"bench\"}", i,
                     (long long)clock_now_ms());
}

static double
append_leaves(struct db_conn *c, const struct opts *o)
{
    struct err e = ERR_INIT;
    char ref[32], rec[128];
    int rlen;
    uint64_t index;
    double t0 = now_s();

    for (long done = 0; done < o->leaves;) {
        check(db_begin(c, &e), &e, "begin");
        for (long k = 0; k < o->batch && done < o->leaves; k++, done++) {
            record_of(done, ref, sizeof(ref), rec, sizeof(rec), &rlen);
            check(tlog_append(c,
                              &(struct tlog_record){ "ops.probe", ref, "000000000000",
                                                     clock_now_ms(), rec, (size_t)rlen },
                              &index, &e),
                  &e, "append");
        }
        check(db_commit(c, &e), &e, "commit");
    }
    return now_s() - t0;
}

/* The baseline: the same entry text, one row each, no tree. */
static double
append_bare(struct db_conn *c, const struct opts *o)
{
    struct err e = ERR_INIT;
    char entry[TLOG_ENTRY_MAX];
    double t0;
    int64_t base = 0;

    check(db_exec(c, "CREATE TABLE IF NOT EXISTS bench_bare (idx BIGINT PRIMARY KEY, entry BLOB)",
                  &e),
          &e, "create");
    check(db_query_i64(c, "SELECT COALESCE(MAX(idx) + 1, 0) FROM bench_bare", &base, &e), &e,
          "max");
    t0 = now_s();
    for (long done = 0; done < o->leaves;) {
        check(db_begin(c, &e), &e, "begin");
        for (long k = 0; k < o->batch && done < o->leaves; k++, done++) {
            int n =
                snprintf(entry, sizeof(entry),
                         "xiangzhi/leaf/v1\nkind ops.probe\nref probe/%ld\nregion 000000000000\n"
                         "time %lld\ncommit 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                         done, (long long)clock_now_ms());

            check(db_run(c, &e, "INSERT INTO bench_bare (idx, entry) VALUES (?, ?)", "ib",
                         base + done, (const void *)entry, (size_t)n),
                  &e, "insert");
        }
        check(db_commit(c, &e), &e, "commit");
    }
    return now_s() - t0;
}

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Median and p99 of 'n' timings, in microseconds. */
static void
report_us(const char *what, double *t, long n)
{
    qsort(t, (size_t)n, sizeof(*t), by_value);
    printf("%s median_us=%.1f p99_us=%.1f samples=%ld\n", what, t[n / 2] * 1e6,
           t[(long)((double)n * 0.99)] * 1e6, n);
}

static void
prove(struct db_conn *c, const struct opts *o)
{
    struct tlog_hashes h = tlog_db_hashes(c);
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES], one[TLOG_HASH_BYTES];
    double *tp = xmalloc((size_t)o->samples * sizeof(double)),
           *tr = xmalloc((size_t)o->samples * sizeof(double));
    struct err e = ERR_INIT;
    uint64_t size;
    size_t np;

    check(tlog_size(c, &size, &e), &e, "size");
    if (size == 0) {
        fprintf(stderr, "bench_tlog: the log is empty; run append first\n");
        exit(1);
    }
    srand(42);
    for (long i = 0; i < o->samples; i++) {
        uint64_t m = ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % size;
        double t0 = now_s();

        check(db_begin_read(c, &e), &e, "read");
        check(tlog_inclusion_proof(&h, m, size, proof, &np, &e), &e, "prove");
        db_end_read(c);
        tp[i] = now_s() - t0;
        t0 = now_s();
        check(db_begin_read(c, &e), &e, "read");
        check(h.read(h.ctx, 0, m, one, &e), &e, "read one");
        db_end_read(c);
        tr[i] = now_s() - t0;
    }
    printf("# tree size %llu, proof of %zu hashes\n", (unsigned long long)size, np);
    report_us("inclusion_proof", tp, o->samples);
    report_us("one_hash_read", tr, o->samples);
    free(tp);
    free(tr);
}

static int
parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){ .leaves = 100000, .batch = 1000, .samples = 10000 };
    if (argc < 2)
        return -1;
    o->mode = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            o->url = argv[i + 1];
        else if (strcmp(argv[i], "--leaves") == 0)
            o->leaves = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--batch") == 0)
            o->batch = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--samples") == 0)
            o->samples = strtol(argv[i + 1], NULL, 10);
        else
            return -1;
    }
    return o->url && o->leaves > 0 && o->batch > 0 && o->samples > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    struct opts o;
    struct db *db;
    struct db_conn *c;

    if (parse(argc, argv, &o) < 0) {
        fputs(usage, stderr);
        return 2;
    }
    check(crypto_init(), &e, "crypto");
    check(db_open(o.url, &dopt, &db, &e), &e, "open");
    check(migrate_apply(db, NULL, NULL, &e), &e, "migrate");
    c = db_acquire(db, &e);
    check(c ? 0 : -1, &e, "connect");
    if (strcmp(o.mode, "append") == 0) {
        double tl = append_leaves(c, &o), tb = append_bare(c, &o);

        printf("leaves=%ld batch=%ld leaves_per_s=%.0f bare_per_s=%.0f ratio=%.3f\n", o.leaves,
               o.batch, (double)o.leaves / tl, (double)o.leaves / tb, tb / tl);
    } else if (strcmp(o.mode, "prove") == 0) {
        prove(c, &o);
    } else {
        fputs(usage, stderr);
        return 2;
    }
    db_release(c);
    db_close(db);
    return 0;
}
