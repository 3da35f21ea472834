/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/ops/health.c -- see health.h. */
#include "core/compat.h"

#include "domain/ops/health.h"
#include "store/db.h"
#include "store/writer.h"

int
health_ready(struct db *db, struct writer *w, struct err *err)
{
    struct writer_stats st;
    struct db_conn *c = db_acquire(db, err);
    int64_t one = 0;
    int rc;

    if (!c)
        return -err->code;
    rc = db_query_i64(c, "SELECT 1", &one, err);
    db_release(c);
    if (rc < 0)
        return err_set(err, ERR_UNAVAILABLE, NULL, "数据库没有响应",
                       "the database does not answer");
    writer_get_stats(w, &st);
    if (st.queue_depth * 4 > st.queue_max * 3)
        return err_code_set(err, ERR_BUSY, NULL);
    return 0;
}
