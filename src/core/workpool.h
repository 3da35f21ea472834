/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/workpool.h -- a few threads for slow work that must leave the HTTP I/O
 * threads (DESIGN.md §3: a handler blocking 2 ms caps the server at ~940 req/s):
 * argon2id password checks (~50 ms), file imports, report builds. Bounded queue;
 * a full queue refuses with ERR_BUSY. */
#ifndef CORE_WORKPOOL_H
#define CORE_WORKPOOL_H

#include "core/err.h"

struct workpool;
typedef void (*workpool_fn)(void *arg);

/* 'threads' workers, at most 'queue_max' tasks waiting. */
int workpool_start(int threads, int queue_max, struct workpool **out, struct err *err);
/* Run fn(arg) on a worker. Thread-safe. ERR_BUSY when full, ERR_UNAVAILABLE when
 * stopping; then fn is never called. */
int workpool_submit(struct workpool *p, workpool_fn fn, void *arg, struct err *err);
/* Finish every queued task, join the workers, free 'p'. NULL ok. */
void workpool_stop(struct workpool *p);

#endif
