/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_writer.c -- the group-commit writer alone, driven from C (issue #2).
 * N producer threads each loop writer_call() with a job that INSERTs one row
 * (RETURNING its id); writer_call returns only after the commit carrying the job,
 * so every counted job is a durable, acknowledged write. At the end the rows of
 * this run are counted back and must equal the jobs acknowledged. Prints one line
 * of key=value: durable commits per second, transactions, mean batch size. */
#include "core/compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/writer.h"

#define MAX_PRODUCERS 4096

static const char usage[] =
    "usage: bench_writer --db URL [--producers N] [--seconds S | --jobs N]\n"
    "                    [--batch-max N] [--queue-max N]\n"
    "  URL is sqlite:PATH or postgresql://...; the schema is migrated and the table\n"
    "  bench_writer_rows created if missing. Defaults: 1 producer, 5 seconds.\n";

static const char create_sqlite[] =
    "CREATE TABLE IF NOT EXISTS bench_writer_rows ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, run BIGINT NOT NULL, producer BIGINT NOT NULL,"
    " seq BIGINT NOT NULL, created_at BIGINT NOT NULL, payload TEXT NOT NULL)";
static const char create_pg[] =
    "CREATE TABLE IF NOT EXISTS bench_writer_rows ("
    " id BIGSERIAL PRIMARY KEY, run BIGINT NOT NULL, producer BIGINT NOT NULL,"
    " seq BIGINT NOT NULL, created_at BIGINT NOT NULL, payload TEXT NOT NULL)";
static const char insert_sql[] =
    "INSERT INTO bench_writer_rows (run, producer, seq, created_at, payload)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char count_sql[] = "SELECT count(*) FROM bench_writer_rows WHERE run = ?";
static const char payload[] = "a durable row written through the group-commit writer";

struct bench_opts {
    const char *url;
    long producers; /* threads calling writer_call */
    long seconds;   /* run length; ignored when jobs > 0 */
    long jobs;      /* total jobs to run, 0 = run for 'seconds' */
    long batch_max; /* writer option */
    long queue_max; /* writer option */
};

struct bench {
    struct writer *w;
    int64_t run;           /* tags this run's rows */
    atomic_bool stop;      /* set when 'seconds' are up */
    atomic_long jobs_left; /* used when opts.jobs > 0 */
    bool by_count;
};

struct producer {
    struct bench *b;
    pthread_t thread;
    int64_t id;
    uint64_t ok;         /* jobs acknowledged as committed */
    uint64_t failed;     /* jobs answered with an error */
    struct err last_err; /* the last failure, for the report */
};

/* The job's argument: what to insert, and the id the INSERT returned. */
struct row {
    int64_t run;
    int64_t producer;
    int64_t seq;
    int64_t id;
};

/* Runs on the writer thread, inside the batch's transaction and its own savepoint. */
static int
insert_row(struct db_conn *c, void *arg, struct err *err)
{
    struct row *r = arg;
    struct db_stmt *s = NULL;
    int rc = db_prepare(c, insert_sql, &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, r->run);
    db_bind_i64(s, 2, r->producer);
    db_bind_i64(s, 3, r->seq);
    db_bind_i64(s, 4, clock_now_ms());
    db_bind_text(s, 5, payload, sizeof(payload) - 1);
    rc = db_step(s, err);
    if (rc == 1)
        r->id = db_col_i64(s, 0);
    db_reset(s);
    if (rc == 0)
        return err_set(err, ERR_INTERNAL, NULL, "INSERT 未返回 id", "INSERT returned no id");
    return rc < 0 ? rc : 0;
}

static bool
take_job(struct bench *b)
{
    if (!b->by_count)
        return !atomic_load_explicit(&b->stop, memory_order_relaxed);
    return atomic_fetch_sub_explicit(&b->jobs_left, 1, memory_order_relaxed) > 0;
}

static void *
producer_main(void *arg)
{
    struct producer *p = arg;
    struct row r = { .run = p->b->run, .producer = p->id };
    struct err e = ERR_INIT;

    while (take_job(p->b)) {
        r.seq++;
        r.id = 0;
        if (writer_call(p->b->w, insert_row, &r, &e) == 0 && r.id > 0) {
            p->ok++;
        } else {
            p->failed++;
            p->last_err = e;
        }
    }
    return NULL;
}

/* A whole number in [min, max] into *out; false (with a message) otherwise. */
static bool
parse_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v < min || v > max) {
        fprintf(stderr, "bench_writer: %s needs an integer in %ld..%ld\n", flag, min, max);
        return false;
    }
    *out = v;
    return true;
}

/* One flag and its value; false on an unknown flag or a bad value. */
static bool
parse_flag(struct bench_opts *o, const char *flag, const char *val)
{
    if (strcmp(flag, "--db") == 0 && val) {
        o->url = val;
        return true;
    }
    if (strcmp(flag, "--producers") == 0)
        return parse_long(flag, val, 1, MAX_PRODUCERS, &o->producers);
    if (strcmp(flag, "--seconds") == 0)
        return parse_long(flag, val, 1, 3600, &o->seconds);
    if (strcmp(flag, "--jobs") == 0)
        return parse_long(flag, val, 1, 100000000, &o->jobs);
    if (strcmp(flag, "--batch-max") == 0)
        return parse_long(flag, val, 1, 1000000, &o->batch_max);
    if (strcmp(flag, "--queue-max") == 0)
        return parse_long(flag, val, 1, 1000000, &o->queue_max);
    fprintf(stderr, "bench_writer: unknown or incomplete option '%s'\n%s", flag, usage);
    return false;
}

static bool
parse_args(int argc, char **argv, struct bench_opts *o)
{
    struct writer_options wdef = WRITER_OPTIONS_DEFAULT;

    *o = (struct bench_opts){
        .producers = 1, .seconds = 5, .batch_max = wdef.batch_max, .queue_max = wdef.queue_max
    };
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        }
        if (!parse_flag(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
            return false;
    }
    if (!o->url)
        fprintf(stderr, "bench_writer: --db is required\n%s", usage);
    return o->url != NULL;
}

/* Migrate, then create the benchmark's table with this backend's key syntax. */
static int
prepare_schema(struct db *db, struct err *err)
{
    bool pg = strcmp(db_backend(db), "pg") == 0;
    struct db_conn *c;
    int rc = migrate_apply(db, NULL, NULL, err);

    if (rc < 0)
        return rc;
    c = db_acquire(db, err);
    if (!c)
        return -err->code;
    rc = db_exec(c, pg ? create_pg : create_sqlite, err);
    db_release(c);
    return rc;
}

/* Rows this run left in the table: must equal the jobs acknowledged. */
static int
count_rows(struct db *db, int64_t run, int64_t *n, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    struct db_stmt *s = NULL;
    int rc;

    if (!c)
        return -err->code;
    rc = db_prepare(c, count_sql, &s, err);
    if (rc == 0) {
        db_bind_i64(s, 1, run);
        rc = db_step(s, err);
        *n = rc == 1 ? db_col_i64(s, 0) : -1;
        db_reset(s);
    }
    db_release(c);
    return rc < 0 ? rc : 0;
}

/* Start the producers, wait for the time or the job count, join them all.
 * Returns the elapsed wall time in microseconds, up to the last join. */
static int64_t
drive(struct bench *b, struct producer *ps, long n, long seconds)
{
    int64_t t0 = clock_mono_us();
    long started = 0;

    for (; started < n; started++) {
        ps[started] = (struct producer){ .b = b, .id = started + 1, .last_err = ERR_INIT };
        if (pthread_create(&ps[started].thread, NULL, producer_main, &ps[started]) != 0) {
            fprintf(stderr, "bench_writer: cannot start producer %ld\n", started + 1);
            atomic_store(&b->stop, true);
            atomic_store(&b->jobs_left, 0);
            break;
        }
    }
    if (!b->by_count) {
        struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };

        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            continue;
        atomic_store(&b->stop, true);
    }
    for (long i = 0; i < started; i++)
        pthread_join(ps[i].thread, NULL);
    return clock_mono_us() - t0;
}

static void
report(const struct bench_opts *o, struct db *db, const struct producer *ps, int64_t elapsed_us,
       int64_t rows)
{
    const struct producer *failing = NULL;
    struct writer_stats st;
    double secs = (double)elapsed_us / 1e6;
    uint64_t ok = 0;
    uint64_t failed = 0;

    writer_get_stats(ps[0].b->w, &st);
    for (long i = 0; i < o->producers; i++) {
        ok += ps[i].ok;
        failed += ps[i].failed;
        if (ps[i].failed)
            failing = &ps[i];
    }
    if (failing)
        fprintf(stderr, "bench_writer: a job failed: %s\n", failing->last_err.en);
    printf("backend=%s producers=%ld seconds=%.3f jobs_ok=%" PRIu64 " jobs_failed=%" PRIu64
           " rows=%" PRId64 " commits_per_s=%.1f transactions=%" PRIu64 " mean_batch=%.2f"
           " mean_latency_us=%.0f\n",
           db_backend(db), o->producers, secs, ok, failed, rows, secs > 0 ? ok / secs : 0.0,
           st.batches, st.batches ? (double)st.batch_jobs_sum / (double)st.batches : 0.0,
           ok ? (double)elapsed_us * (double)o->producers / (double)ok : 0.0);
}

static int
run(const struct bench_opts *o, struct db *db, struct err *err)
{
    struct writer_options wopt = { (int)o->queue_max, (int)o->batch_max, false };
    struct producer *ps = xcalloc((size_t)o->producers, sizeof(*ps));
    struct bench b = { .run = clock_now_ms(), .by_count = o->jobs > 0 };
    int64_t elapsed, rows = -1;
    uint64_t ok = 0;
    int rc;

    atomic_init(&b.stop, false);
    atomic_init(&b.jobs_left, o->jobs);
    rc = writer_start(db, &wopt, &b.w, err);
    if (rc < 0)
        goto out;
    elapsed = drive(&b, ps, o->producers, o->seconds);
    writer_stop(b.w);
    rc = count_rows(db, b.run, &rows, err);
    if (rc < 0)
        goto out;
    report(o, db, ps, elapsed, rows);
    for (long i = 0; i < o->producers; i++)
        ok += ps[i].ok;
    if ((uint64_t)rows != ok)
        rc = err_set(err, ERR_INTERNAL, NULL, "表中有 %" PRId64 " 行,确认了 %" PRIu64 " 个任务",
                     "%" PRId64 " rows but %" PRIu64 " jobs acknowledged", rows, ok);
out:
    writer_free(b.w);
    free(ps);
    return rc;
}

int
main(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct bench_opts o;
    struct err e = ERR_INIT;
    struct db *db = NULL;
    int rc;

    if (!parse_args(argc, argv, &o))
        return 2;
    dopt.pool_size = 2; /* the writer's connection and one for setup and the count */
    rc = db_open(o.url, &dopt, &db, &e);
    if (rc == 0)
        rc = prepare_schema(db, &e);
    if (rc == 0)
        rc = run(&o, db, &e);
    if (rc < 0)
        fprintf(stderr, "bench_writer: %s\n", e.en);
    db_close(db);
    return rc < 0 ? 1 : 0;
}
