/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/writer.h -- group commit (DESIGN.md §1). One thread per database owns
 * the write connection. Producers (HTTP handlers, the scheduler, the CLI) queue
 * jobs; the writer takes every pending job and runs them all in ONE transaction --
 * a failing job rolled back alone (by savepoints) while its batch-mates still
 * commit -- then commits once (one fsync for the batch) and only then reports
 * each job's own result. A job is acknowledged only after the
 * commit that carries it has returned: an acknowledged write is durable.
 *
 * The queue is bounded: when it is full, writer_submit fails with ERR_BUSY and the
 * caller answers 503 with Retry-After. writer_stop drains: every job already
 * queued runs and is answered before the thread exits. */
#ifndef STORE_WRITER_H
#define STORE_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct db;
struct db_conn;
struct writer;

/* Runs on the writer thread inside an open transaction. Must not begin, commit
 * or roll back. Returns 0 or -ERR_* with 'err' set; on failure everything it
 * wrote is rolled back. A batch first runs without savepoints; if a job fails,
 * the whole batch is rolled back and run again with one savepoint per job. So
 * 'run' may be called twice for one job: it must have no effect outside the
 * transaction other than filling its own outputs. */
typedef int (*writer_run_fn)(struct db_conn *c, void *arg, struct err *err);
/* Runs on the writer thread after the batch's commit (rc 0) or failure (rc < 0,
 * 'err' says why). Must be quick: it delays the next batch. */
typedef void (*writer_done_fn)(void *arg, int rc, const struct err *err);

struct writer_options {
    int queue_max;     /* jobs waiting at most; then ERR_BUSY */
    int batch_max;     /* jobs in one transaction at most */
    bool rerun_always; /* tests: every batch runs, is undone and runs again (one job at a
                          time), so every job runs twice and must answer the same */
};

#define WRITER_OPTIONS_DEFAULT                                                                     \
    {                                                                                              \
        4096, 512, false                                                                           \
    }
#define WRITER_BATCH_BUCKETS 11 /* 1,2,4,...,512,+Inf */

struct writer_stats {
    uint64_t batches;                          /* transactions committed or failed */
    uint64_t reruns;                           /* batches run again with a savepoint per job */
    uint64_t jobs_ok;                          /* jobs acknowledged as committed */
    uint64_t jobs_failed;                      /* jobs answered with an error */
    uint64_t batch_hist[WRITER_BATCH_BUCKETS]; /* batches by size, not cumulative */
    uint64_t batch_jobs_sum;                   /* jobs over all batches */
    int queue_depth;                           /* jobs waiting now */
    int queue_max;                             /* the bound on queue_depth */
};

/* Start the writer thread on its own connection from 'db'. */
int writer_start(struct db *db, const struct writer_options *opt, struct writer **out,
                 struct err *err);

/* Queue a job: run(conn, run_arg) on the writer thread, then done(done_arg, ...).
 * Thread-safe. ERR_BUSY when the queue is full, ERR_UNAVAILABLE once
 * writer_stop has begun; then 'done' is never called. Otherwise 'done' is called
 * exactly once, on the writer thread. */
int writer_submit(struct writer *w, writer_run_fn run, void *run_arg, writer_done_fn done,
                  void *done_arg, struct err *err);

/* Submit and wait for the result: for callers that may block (CLI, scheduler,
 * benchmarks). Never call from the writer thread. */
int writer_call(struct writer *w, writer_run_fn run, void *arg, struct err *err);

/* Stop taking jobs (writer_submit then fails with ERR_UNAVAILABLE), run and
 * answer every queued job, and join the thread. 'w' stays valid. NULL ok. */
void writer_stop(struct writer *w);
/* Free a stopped writer. NULL ok. */
void writer_free(struct writer *w);

void writer_get_stats(struct writer *w, struct writer_stats *out);

#endif
