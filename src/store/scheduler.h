/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/scheduler.h -- the scheduler thread (DESIGN.md §1): jobs that run
 * through the writer every so many seconds -- checkpoint signing now; closing
 * publicity windows, overdue alerts and reports later. A job that fails is
 * logged and tried again at its next time; a slow job delays only itself. */
#ifndef STORE_SCHEDULER_H
#define STORE_SCHEDULER_H

#include "core/err.h"
#include "store/writer.h"

struct scheduler;

#define SCHEDULER_MAX_JOBS 16

/* A scheduler submitting to 'w'; no thread runs until scheduler_start. */
struct scheduler *scheduler_new(struct writer *w);
/* Run 'run(conn, arg)' through the writer every 'seconds' (the first time
 * 'seconds' after start). 'name' (static) names it in the log. Before start only. */
int scheduler_every(struct scheduler *s, const char *name, int seconds, writer_run_fn run,
                    void *arg, struct err *err);
int scheduler_start(struct scheduler *s, struct err *err);
/* Stop the thread (waits for a job in progress) and free. Before writer_stop. NULL ok. */
void scheduler_free(struct scheduler *s);

#endif
