/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_writer.c -- group commit: a failing job is rolled back alone
 * while its batch-mates commit; a full queue refuses with ERR_BUSY; stopping
 * drains the queue; results arrive only after the commit. The backend comes
 * from XIANGZHI_TEST_DB ("sqlite", the default, or a postgresql:// URL). */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>

#include "store/db.h"
#include "store/writer.h"

static struct db *db;
static char sql_create[128], sql_insert[128], sql_count[128], sql_drop[128];
static char sqlite_path[64];

/* Each Criterion test runs in its own process: one table per process. */
static void
setup(void)
{
    const char *url = getenv("XIANGZHI_TEST_DB");
    struct db_options opt = DB_OPTIONS_DEFAULT;
    char url_buf[128];
    struct err e = ERR_INIT;
    struct db_conn *c;
    int pid = (int)getpid();

    if (!url || strcmp(url, "sqlite") == 0) {
        snprintf(sqlite_path, sizeof(sqlite_path), "/tmp/xz-writer-%d.db", pid);
        snprintf(url_buf, sizeof(url_buf), "sqlite:%s", sqlite_path);
        url = url_buf;
    }
    snprintf(sql_create, sizeof(sql_create),
             "CREATE TABLE wt_%d (k BIGINT PRIMARY KEY, v TEXT NOT NULL)", pid);
    snprintf(sql_insert, sizeof(sql_insert), "INSERT INTO wt_%d (k, v) VALUES (?, ?)", pid);
    snprintf(sql_count, sizeof(sql_count), "SELECT COUNT(*) FROM wt_%d", pid);
    snprintf(sql_drop, sizeof(sql_drop), "DROP TABLE IF EXISTS wt_%d", pid);
    cr_assert_eq(db_open(url, &opt, &db, &e), 0, "%s", e.en);
    c = db_acquire(db, &e);
    cr_assert_not_null(c);
    db_exec(c, sql_drop, NULL);
    cr_assert_eq(db_exec(c, sql_create, &e), 0, "%s", e.en);
    db_release(c);
}

static void
teardown(void)
{
    struct db_conn *c = db_acquire(db, NULL);

    db_exec(c, sql_drop, NULL);
    db_release(c);
    db_close(db);
    if (sqlite_path[0]) {
        char p[80];

        unlink(sqlite_path);
        snprintf(p, sizeof(p), "%s-wal", sqlite_path);
        unlink(p);
        snprintf(p, sizeof(p), "%s-shm", sqlite_path);
        unlink(p);
    }
}

static int64_t
count_rows(void)
{
    struct err e = ERR_INIT;
    struct db_conn *c = db_acquire(db, &e);
    int64_t n = -1;

    cr_assert_eq(db_query_i64(c, sql_count, &n, &e), 0, "%s", e.en);
    db_release(c);
    return n;
}

/* A job inserting key 'k'; keys 1000+ also insert k+1 first, so a duplicate
 * failure has something of its own to roll back. */
static int
insert_job(struct db_conn *c, void *arg, struct err *err)
{
    int64_t k = (int64_t)(intptr_t)arg;
    struct db_stmt *s;
    int rc;

    for (int64_t key = k >= 1000 ? k + 1 : k; key >= k; key--) {
        rc = db_prepare(c, sql_insert, &s, err);
        if (rc < 0)
            return rc;
        db_bind_i64(s, 1, key);
        db_bind_text(s, 2, "值", (size_t)-1);
        rc = db_step(s, err);
        db_reset(s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The gate: a job that holds the writer thread until the test opens it, so that
 * the jobs queued meanwhile form one batch. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_open, gate_entered;

static int
gate_job(struct db_conn *c, void *arg, struct err *err)
{
    (void)c;
    (void)arg;
    (void)err;
    pthread_mutex_lock(&gate_lock);
    gate_entered = true;
    pthread_cond_broadcast(&gate_cond);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    return 0;
}

static void
wait_gate_entered(void)
{
    pthread_mutex_lock(&gate_lock);
    while (!gate_entered)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

static void
open_gate(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = true;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

struct result {
    _Atomic int calls;
    int rc;
    int code;
    int64_t rows_seen; /* rows visible to another connection when answered */
};

static void
record_done(void *arg, int rc, const struct err *e)
{
    struct result *r = arg;

    r->rc = rc;
    r->code = rc < 0 ? e->code : 0;
    r->rows_seen = count_rows();
    atomic_fetch_add(&r->calls, 1);
}

static void
noop_done(void *arg, int rc, const struct err *e)
{
    (void)arg;
    (void)rc;
    (void)e;
}

TestSuite(writer, .init = setup, .fini = teardown, .timeout = 60);

Test(writer, failing_job_leaves_batch_mates_committed)
{
    struct writer_options opt = { 64, 64, false };
    struct result r[4] = { 0 };
    struct writer_stats st;
    struct writer *w;
    struct err e = ERR_INIT;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    cr_assert_eq(writer_submit(w, gate_job, NULL, noop_done, NULL, &e), 0);
    wait_gate_entered();
    cr_assert_eq(writer_submit(w, insert_job, (void *)1, record_done, &r[0], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)1000, record_done, &r[1], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)1, record_done, &r[2], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)2, record_done, &r[3], &e), 0);
    open_gate();
    writer_stop(w);
    cr_assert_eq(r[0].rc, 0);
    cr_assert_eq(r[1].rc, 0, "keys 1000 and 1001 are new");
    cr_assert_eq(r[2].rc, -ERR_DUPLICATE);
    cr_assert_eq(r[2].code, ERR_DUPLICATE);
    cr_assert_eq(r[3].rc, 0);
    cr_assert_eq(count_rows(), 4, "1, 1000, 1001 and 2 committed; the duplicate alone failed");
    writer_get_stats(w, &st);
    cr_assert_eq(st.batches, 2, "the gate's batch, then one batch of four");
    cr_assert_eq(st.batch_hist[2], 1, "one batch of 3..4 jobs");
    cr_assert_eq(st.jobs_ok, 4);
    cr_assert_eq(st.jobs_failed, 1);
    cr_assert_eq(st.reruns, 1, "the failing batch was run again with savepoints");
    writer_free(w);
}

Test(writer, failing_job_rolls_back_its_own_partial_writes)
{
    struct writer_options opt = { 64, 64, false };
    struct result r[3] = { 0 };
    struct writer *w;
    struct err e = ERR_INIT;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    cr_assert_eq(writer_submit(w, gate_job, NULL, noop_done, NULL, &e), 0);
    wait_gate_entered();
    cr_assert_eq(writer_submit(w, insert_job, (void *)1000, record_done, &r[0], &e), 0);
    /* 2000 inserts 2001 and 2000; then 2001 inserts 2002 and collides on 2001. */
    cr_assert_eq(writer_submit(w, insert_job, (void *)2000, record_done, &r[1], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)2001, record_done, &r[2], &e), 0);
    open_gate();
    writer_stop(w);
    cr_assert_eq(r[0].rc, 0);
    cr_assert_eq(r[1].rc, 0);
    cr_assert_eq(r[2].rc, -ERR_DUPLICATE, "2001 exists, so its insert of 2002 is undone too");
    cr_assert_eq(count_rows(), 4, "1000, 1001, 2000, 2001 -- not 2002");
    writer_free(w);
}

Test(writer, full_queue_answers_busy)
{
    struct writer_options opt = { 2, 8, false };
    struct result r[2] = { 0 };
    struct writer *w;
    struct err e = ERR_INIT;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    cr_assert_eq(writer_submit(w, gate_job, NULL, noop_done, NULL, &e), 0);
    wait_gate_entered(); /* the gate left the queue: two free slots */
    cr_assert_eq(writer_submit(w, insert_job, (void *)1, record_done, &r[0], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)2, record_done, &r[1], &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)3, noop_done, NULL, &e), -ERR_BUSY);
    cr_assert_eq(e.code, ERR_BUSY);
    open_gate();
    writer_stop(w);
    cr_assert_eq(atomic_load(&r[0].calls) + atomic_load(&r[1].calls), 2);
    cr_assert_eq(count_rows(), 2);
    writer_free(w);
}

static void *
stop_thread(void *arg)
{
    writer_stop(arg);
    return NULL;
}

Test(writer, stop_drains_the_queue_then_refuses)
{
    struct writer_options opt = { 256, 16, false };
    struct result r[100] = { 0 };
    struct writer *w;
    struct err e = ERR_INIT;
    pthread_t t;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    cr_assert_eq(writer_submit(w, gate_job, NULL, noop_done, NULL, &e), 0);
    wait_gate_entered();
    for (intptr_t i = 0; i < 100; i++)
        cr_assert_eq(writer_submit(w, insert_job, (void *)(i + 1), record_done, &r[i], &e), 0);
    pthread_create(&t, NULL, stop_thread, w);
    usleep(20000);
    cr_assert_eq(writer_submit(w, insert_job, (void *)500, noop_done, NULL, &e), -ERR_UNAVAILABLE,
                 "no new work once stopping");
    open_gate();
    pthread_join(t, NULL);
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(atomic_load(&r[i].calls), 1, "job %d answered once", i);
        cr_assert_eq(r[i].rc, 0);
    }
    cr_assert_eq(count_rows(), 100);
    writer_free(w);
}

Test(writer, answered_only_after_commit)
{
    struct writer_options opt = WRITER_OPTIONS_DEFAULT;
    struct result r = { 0 };
    struct writer *w;
    struct err e = ERR_INIT;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    cr_assert_eq(writer_submit(w, insert_job, (void *)7, record_done, &r, &e), 0);
    writer_stop(w);
    cr_assert_eq(r.rc, 0);
    cr_assert_eq(r.rows_seen, 1, "another connection sees the row when the job is answered");
    writer_free(w);
}

struct producer {
    struct writer *w;
    int base;
    int ok;
};

static void *
produce(void *arg)
{
    struct producer *p = arg;

    for (int i = 0; i < 50; i++)
        if (writer_call(p->w, insert_job, (void *)(intptr_t)(p->base + i), NULL) == 0)
            p->ok++;
    return NULL;
}

Test(writer, concurrent_callers_share_batches)
{
    struct writer_options opt = WRITER_OPTIONS_DEFAULT;
    struct producer p[8];
    pthread_t t[8];
    struct writer_stats st;
    struct writer *w;
    struct err e = ERR_INIT;

    cr_assert_eq(writer_start(db, &opt, &w, &e), 0);
    for (int i = 0; i < 8; i++) {
        p[i] = (struct producer){ w, 1 + i * 100, 0 }; /* keys below 1000: one row each */
        pthread_create(&t[i], NULL, produce, &p[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(p[i].ok, 50);
    }
    cr_assert_eq(writer_call(w, insert_job, (void *)1, &e), -ERR_DUPLICATE);
    writer_stop(w);
    writer_get_stats(w, &st);
    cr_assert_eq(count_rows(), 400);
    cr_assert_eq(st.jobs_ok, 400);
    cr_assert_leq(st.batches, 401);
    writer_free(w);
}
