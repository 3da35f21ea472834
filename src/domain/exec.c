/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/exec.c -- see exec.h. */
#include "core/compat.h"

#include "domain/exec.h"
#include "store/db.h"
#include "store/writer.h"

int
domain_read(struct db *db, domain_job_fn fn, void *arg, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    int rc;

    if (!c)
        return -err->code;
    rc = db_begin_read(c, err); /* one snapshot for all of fn's statements */
    if (rc == 0)
        rc = fn(c, arg, err);
    db_end_read(c);
    db_release(c);
    return rc;
}

int
domain_write(struct writer *w, domain_job_fn fn, void *arg, domain_done_fn done, void *done_arg,
             struct err *err)
{
    return writer_submit(w, fn, arg, done, done_arg, err);
}

int
domain_write_wait(struct writer *w, domain_job_fn fn, void *arg, struct err *err)
{
    return writer_call(w, fn, arg, err);
}
