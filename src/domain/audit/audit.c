/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/audit/audit.c -- see audit.h. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/audit/audit.h"
#include "domain/identity/principal.h"
#include "store/db.h"

static const char *
or_empty(const char *s)
{
    return s ? s : "";
}

int
audit_record(struct db_conn *c, const struct audit_entry *e, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO audit_log (at, user_id, username, role, action, object_type,"
                        " object_id, region_code, result, request_id, purpose, detail)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, clock_now_ms());
    if (e->who)
        db_bind_i64(s, 2, e->who->user_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, e->who ? e->who->username : "system", (size_t)-1);
    db_bind_text(s, 4, role_name(e->role), (size_t)-1);
    db_bind_text(s, 5, e->action, (size_t)-1);
    db_bind_text(s, 6, or_empty(e->object_type), (size_t)-1);
    db_bind_text(s, 7, or_empty(e->object_id), (size_t)-1);
    db_bind_text(s, 8, or_empty(e->region_code), (size_t)-1);
    db_bind_text(s, 9, e->result, (size_t)-1);
    db_bind_text(s, 10, or_empty(e->request_id), (size_t)-1);
    db_bind_text(s, 11, or_empty(e->purpose), (size_t)-1);
    db_bind_text(s, 12, or_empty(e->detail), (size_t)-1);
    rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static void
read_row(struct db_stmt *s, void *item)
{
    struct audit_row *r = item;

    r->id = db_col_i64(s, 0);
    r->at = db_col_i64(s, 1);
    r->user_id = db_col_is_null(s, 2) ? 0 : db_col_i64(s, 2);
    db_col_copy(s, 3, r->username, sizeof(r->username));
    db_col_copy(s, 4, r->role, sizeof(r->role));
    db_col_copy(s, 5, r->action, sizeof(r->action));
    db_col_copy(s, 6, r->object_type, sizeof(r->object_type));
    db_col_copy(s, 7, r->object_id, sizeof(r->object_id));
    db_col_copy(s, 8, r->region_code, sizeof(r->region_code));
    db_col_copy(s, 9, r->result, sizeof(r->result));
    db_col_copy(s, 10, r->request_id, sizeof(r->request_id));
    db_col_copy(s, 11, r->purpose, sizeof(r->purpose));
    db_col_copy(s, 12, r->detail, sizeof(r->detail));
}

/* Up to AUDIT_SCOPES region prefixes; unused slots match nothing. */
#define AUDIT_SCOPES 4

static void
bind_query(struct db_stmt *s, const struct audit_query *q)
{
    char like[AUDIT_SCOPES][16];
    int i;

    for (i = 0; i < AUDIT_SCOPES; i++) {
        if ((size_t)i < q->nscopes)
            snprintf(like[i], sizeof(like[i]), "%s%%", q->scopes[i]);
        else
            snprintf(like[i], sizeof(like[i]), "-");
        db_bind_text(s, i + 1, like[i], (size_t)-1);
    }
    db_bind_text(s, 5, or_empty(q->object_type), (size_t)-1);
    db_bind_text(s, 6, or_empty(q->object_type), (size_t)-1);
    db_bind_text(s, 7, or_empty(q->object_id), (size_t)-1);
    db_bind_text(s, 8, or_empty(q->object_id), (size_t)-1);
    db_bind_i64(s, 9, q->before_id > 0 ? q->before_id : INT64_MAX);
    db_bind_i64(s, 10, q->limit < 1 || q->limit > 200 ? 50 : q->limit);
}

int
audit_list(struct db_conn *c, const struct audit_query *q, struct audit_row **rows, size_t *n,
           struct err *err)
{
    struct db_rows found = DB_ROWS_INIT(sizeof(**rows));
    struct db_stmt *s;
    int rc;

    *rows = NULL;
    *n = 0;
    if (q->nscopes == 0 || q->nscopes > AUDIT_SCOPES)
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    rc = db_prepare(c,
                    "SELECT id, at, user_id, username, role, action, object_type, object_id,"
                    " region_code, result, request_id, purpose, detail FROM audit_log"
                    " WHERE (region_code LIKE ? OR region_code LIKE ? OR region_code LIKE ?"
                    " OR region_code LIKE ?)"
                    " AND (? = '' OR object_type = ?) AND (? = '' OR object_id = ?)"
                    " AND id < ? ORDER BY id DESC LIMIT ?",
                    &s, err);
    if (rc < 0)
        return rc;
    bind_query(s, q);
    rc = db_read_rows(s, read_row, &found, err);
    if (rc < 0)
        db_rows_release(&found);
    *rows = db_rows_detach(&found, n);
    return rc;
}
