/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/rows.c -- rows read into one growing array (db.h: struct db_rows),
 * written once here rather than as a grow-an-array loop at every reader. The
 * capacity lives with the array, so several statements may add to it in turn. */
#include "core/compat.h"

#include "core/xalloc.h"
#include "store/db.h"

void *
db_rows_push(struct db_rows *r)
{
    void *item;

    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->items = xrealloc(r->items, r->cap * r->size);
    }
    item = (char *)r->items + r->n++ * r->size;
    memset(item, 0, r->size);
    return item;
}

void
db_rows_release(struct db_rows *r)
{
    free(r->items);
    r->items = NULL;
    r->n = r->cap = 0;
}

void *
db_rows_detach(struct db_rows *r, size_t *n)
{
    void *items = r->items;

    *n = r->n;
    r->items = NULL;
    r->n = r->cap = 0;
    return items;
}

int
db_read_rows(struct db_stmt *s, db_read_fn read, struct db_rows *r, struct err *err)
{
    int rc;

    while ((rc = db_step(s, err)) == 1)
        read(s, db_rows_push(r));
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
db_read_one(struct db_stmt *s, db_read_fn read, void *out, struct err *err)
{
    int rc = db_step(s, err);

    if (rc == 1)
        read(s, out);
    db_reset(s);
    return rc;
}
