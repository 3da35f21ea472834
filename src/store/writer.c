/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/writer.c -- see writer.h. The queue is a fixed ring, so memory is
 * bounded by queue_max whatever the load. */
#include "core/compat.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/writer.h"

struct job {
    writer_run_fn run;
    void *run_arg;
    writer_done_fn done;
    void *done_arg;
    int rc;
    struct err err;
};

struct writer {
    struct db *db;
    struct writer_options opt;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct job *ring; /* queue_max slots */
    int head;         /* next job to take */
    int count;        /* jobs queued */
    bool stopping;
    bool joined;
    struct writer_stats stats; /* under 'lock' */
};

int
writer_submit(struct writer *w, writer_run_fn run, void *run_arg, writer_done_fn done,
              void *done_arg, struct err *err)
{
    struct job *j;

    pthread_mutex_lock(&w->lock);
    if (w->stopping) {
        pthread_mutex_unlock(&w->lock);
        return err_set(err, ERR_UNAVAILABLE, NULL, "服务正在停止", "the server is shutting down");
    }
    if (w->count >= w->opt.queue_max) {
        pthread_mutex_unlock(&w->lock);
        return err_code_set(err, ERR_BUSY, NULL);
    }
    j = &w->ring[(w->head + w->count) % w->opt.queue_max];
    j->run = run;
    j->run_arg = run_arg;
    j->done = done;
    j->done_arg = done_arg;
    w->count++;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

/* Run one job in its own savepoint. Returns < 0 only when the transaction
 * itself is broken (the savepoint could not be made or undone), with why in
 * 'e'. */
static int
run_job(struct db_conn *c, struct job *j, struct err *e)
{
    err_clear(&j->err);
    if (db_savepoint(c, "job", e) < 0) {
        j->err = *e;
        return j->rc = -e->code;
    }
    j->rc = j->run(c, j->run_arg, &j->err);
    if (j->rc < 0) {
        if (j->err.code == ERR_OK)
            err_code_set(&j->err, ERR_INTERNAL, NULL);
        if (db_savepoint_rollback(c, "job", e) < 0)
            return -e->code;
    }
    return db_savepoint_release(c, "job", e) < 0 ? -e->code : 0;
}

/* Every job in the batch fails with 'e'. */
static void
fail_all(struct job *jobs, int n, const struct err *e)
{
    for (int i = 0; i < n; i++) {
        jobs[i].rc = -e->code;
        jobs[i].err = *e;
    }
}

/* The batch's transaction was undone before its commit: nothing was saved.
 * A lost connection is the client's to try again (503 and Retry-After); any
 * other cause is the database's. 'cause' keeps its detail for the log. */
static void
fail_undone(struct db_conn *c, struct job *jobs, int n, const struct err *cause)
{
    struct err e = ERR_INIT;

    if (db_conn_broken(c) || cause->code == ERR_UNAVAILABLE)
        err_set(&e, ERR_UNAVAILABLE, NULL, "与数据库的连接中断,未保存任何内容,请稍后重试",
                "the connection to the database was lost; nothing was saved; try again shortly");
    else
        err_set(&e, ERR_DB, NULL, "写入事务失败,未保存任何内容",
                "the write transaction failed; nothing was saved");
    err_detail(&e, "%s", cause->detail[0] ? cause->detail : cause->en);
    fail_all(jobs, n, &e);
}

/* A failed COMMIT on a lost connection may have committed or not: the
 * answer must not claim either. */
static void
commit_or_fail(struct db_conn *c, struct job *jobs, int n)
{
    struct err e = ERR_INIT;

    if (db_commit(c, &e) == 0)
        return;
    log_error(NULL, "writer commit failed: %s (%s)", e.en, e.detail);
    if (!db_conn_broken(c)) {
        fail_undone(c, jobs, n, &e);
        return;
    }
    err_set(&e, ERR_UNAVAILABLE, NULL, "提交时与数据库的连接中断,无法确认是否已保存,请查看后再重试",
            "the connection to the database was lost during the commit; whether it was saved "
            "is unknown: look before trying again");
    fail_all(jobs, n, &e);
}

/* The fast path: every job straight into one transaction, no savepoints (each
 * costs a statement, and on PostgreSQL a round trip). Returns false when a job
 * failed: the transaction is rolled back and the batch must be run again with
 * savepoints -- unless it held one job, whose failure is then simply its own.
 * 'undo' (the tests' rerun_always) rolls back a batch that succeeded too and
 * returns false: every job then runs a second time. */
static bool
run_optimistic(struct db_conn *c, struct job *jobs, int n, bool undo)
{
    struct err e = ERR_INIT;

    if (db_begin(c, &e) < 0) {
        fail_undone(c, jobs, n, &e);
        return true;
    }
    for (int i = 0; i < n; i++) {
        err_clear(&jobs[i].err);
        jobs[i].rc = jobs[i].run(c, jobs[i].run_arg, &jobs[i].err);
        if (jobs[i].rc < 0) {
            if (jobs[i].err.code == ERR_OK)
                err_code_set(&jobs[i].err, ERR_INTERNAL, NULL);
            db_rollback(c);
            if (!db_conn_broken(c))
                return n == 1; /* the job's own failure: the others run again without it */
            e = jobs[i].err;
            fail_undone(c, jobs, n, &e);
            return true;
        }
    }
    if (undo) {
        db_rollback(c);
        return false;
    }
    commit_or_fail(c, jobs, n);
    return true;
}

/* The careful path, after a failure: each job in its own savepoint, so a
 * failing job is undone alone and its batch-mates still commit. */
static void
run_isolated(struct db_conn *c, struct job *jobs, int n)
{
    struct err e = ERR_INIT;
    int i;

    if (db_begin(c, &e) < 0) {
        fail_undone(c, jobs, n, &e);
        return;
    }
    for (i = 0; i < n; i++)
        if (run_job(c, &jobs[i], &e) < 0)
            break;
    if (i < n) {
        db_rollback(c);
        fail_undone(c, jobs, n, &e);
        return;
    }
    commit_or_fail(c, jobs, n);
}

static void
run_batch(struct writer *w, struct db_conn *c, struct job *jobs, int n)
{
    if (run_optimistic(c, jobs, n, w->opt.rerun_always))
        return;
    pthread_mutex_lock(&w->lock);
    w->stats.reruns++;
    pthread_mutex_unlock(&w->lock);
    run_isolated(c, jobs, n);
}

static int
bucket_of(int n)
{
    int b = 0;

    while (b < WRITER_BATCH_BUCKETS - 1 && n > (1 << b))
        b++;
    return b;
}

static void
account(struct writer *w, const struct job *jobs, int n)
{
    pthread_mutex_lock(&w->lock);
    w->stats.batches++;
    w->stats.batch_hist[bucket_of(n)]++;
    w->stats.batch_jobs_sum += (uint64_t)n;
    for (int i = 0; i < n; i++) {
        if (jobs[i].rc == 0)
            w->stats.jobs_ok++;
        else
            w->stats.jobs_failed++;
    }
    pthread_mutex_unlock(&w->lock);
}

/* Copy up to batch_max queued jobs out of the ring; 0 means stop. */
static int
take_batch(struct writer *w, struct job *batch)
{
    int n;

    pthread_mutex_lock(&w->lock);
    while (w->count == 0 && !w->stopping)
        pthread_cond_wait(&w->wake, &w->lock);
    n = w->count < w->opt.batch_max ? w->count : w->opt.batch_max;
    for (int i = 0; i < n; i++)
        batch[i] = w->ring[(w->head + i) % w->opt.queue_max];
    w->head = (w->head + n) % w->opt.queue_max;
    w->count -= n;
    pthread_mutex_unlock(&w->lock);
    return n;
}

static void *
writer_main(void *arg)
{
    struct writer *w = arg;
    struct job *batch = xcalloc((size_t)w->opt.batch_max, sizeof(*batch));
    struct db_conn *c = NULL;
    struct err e = ERR_INIT;
    int n;

    while ((n = take_batch(w, batch)) > 0) {
        if (!c)
            c = db_acquire(w->db, &e);
        if (c)
            run_batch(w, c, batch, n);
        else
            fail_all(batch, n, &e);
        account(w, batch, n);
        for (int i = 0; i < n; i++)
            batch[i].done(batch[i].done_arg, batch[i].rc, &batch[i].err);
        if (c && db_conn_broken(c)) {
            db_release(c); /* a broken connection is closed, not pooled */
            c = NULL;
        }
    }
    db_release(c);
    free(batch);
    return NULL;
}

int
writer_start(struct db *db, const struct writer_options *opt, struct writer **out, struct err *err)
{
    static const struct writer_options defaults = WRITER_OPTIONS_DEFAULT;
    struct writer *w = xcalloc(1, sizeof(*w));

    w->db = db;
    w->opt = opt ? *opt : defaults;
    if (w->opt.queue_max < 1)
        w->opt.queue_max = 1;
    if (w->opt.batch_max < 1)
        w->opt.batch_max = 1;
    w->ring = xcalloc((size_t)w->opt.queue_max, sizeof(*w->ring));
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        free(w->ring);
        free(w);
        return err_set(err, ERR_INTERNAL, NULL, "无法启动写入线程",
                       "cannot start the writer thread");
    }
    *out = w;
    return 0;
}

void
writer_stop(struct writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    if (!w->joined)
        pthread_join(w->thread, NULL); /* take_batch returns 0 only once the ring is empty */
    w->joined = true;
}

void
writer_free(struct writer *w)
{
    if (!w)
        return;
    writer_stop(w);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w->ring);
    free(w);
}

void
writer_get_stats(struct writer *w, struct writer_stats *out)
{
    pthread_mutex_lock(&w->lock);
    *out = w->stats;
    out->queue_depth = w->count;
    out->queue_max = w->opt.queue_max;
    pthread_mutex_unlock(&w->lock);
}

/* writer_call: a stack-allocated rendezvous between the caller and the writer. */
struct call {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool finished;
    int rc;
    struct err err;
};

static void
call_done(void *arg, int rc, const struct err *err)
{
    struct call *k = arg;

    pthread_mutex_lock(&k->lock);
    k->rc = rc;
    k->err = *err;
    k->finished = true;
    pthread_cond_signal(&k->cond);
    pthread_mutex_unlock(&k->lock);
}

int
writer_call(struct writer *w, writer_run_fn run, void *arg, struct err *err)
{
    struct call k = { .finished = false };
    int rc;

    pthread_mutex_init(&k.lock, NULL);
    pthread_cond_init(&k.cond, NULL);
    rc = writer_submit(w, run, arg, call_done, &k, err);
    if (rc == 0) {
        pthread_mutex_lock(&k.lock);
        while (!k.finished)
            pthread_cond_wait(&k.cond, &k.lock);
        pthread_mutex_unlock(&k.lock);
        rc = k.rc;
        if (rc < 0 && err)
            *err = k.err;
    }
    pthread_mutex_destroy(&k.lock);
    pthread_cond_destroy(&k.cond);
    return rc;
}
