/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/exec.h -- how a caller above the domain runs domain work: reads on a
 * pooled connection of the caller's thread, writes as jobs through the
 * group-commit writer. The API layer uses this instead of reaching into
 * src/store; 'struct db_conn' stays opaque to it. */
#ifndef DOMAIN_EXEC_H
#define DOMAIN_EXEC_H

#include "core/err.h"

struct db;
struct db_conn;
struct writer;

/* A unit of domain work on a connection (for writes: inside the writer's
 * transaction; may run twice, see store/writer.h). */
typedef int (*domain_job_fn)(struct db_conn *c, void *arg, struct err *err);
typedef void (*domain_done_fn)(void *arg, int rc, const struct err *err);

/* Run 'fn' now on a pooled connection, inside one read-only snapshot (a read). */
int domain_read(struct db *db, domain_job_fn fn, void *arg, struct err *err);
/* Queue 'fn' for the writer; 'done' runs after the commit (see writer_submit). */
int domain_write(struct writer *w, domain_job_fn fn, void *arg, domain_done_fn done, void *done_arg,
                 struct err *err);
/* Queue and wait (CLI, tests). */
int domain_write_wait(struct writer *w, domain_job_fn fn, void *arg, struct err *err);

#endif
