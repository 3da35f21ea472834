/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/alerts.c -- see alerts.h. Which alerts are a caller's is
 * one SQL condition built from their roles: (roles & role) <> 0 and the
 * region's first digits those of the role's scope, for each role. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sbuf.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "domain/workflow/alerts.h"
#include "store/db.h"

#define ALERT_COLUMNS                                                                              \
    "SELECT a.id, a.module, a.thing, a.object_id, a.region_code, COALESCE(g.name, ''), a.kind,"    \
    " a.title_zh, a.title_en, a.created_at, COALESCE(a.due_at, 0),"                                \
    " CASE WHEN r.alert_id IS NULL THEN 0 ELSE 1 END FROM alerts a"                                \
    " LEFT JOIN regions g ON g.code = a.region_code"                                               \
    " LEFT JOIN alert_reads r ON r.alert_id = a.id AND r.user_id = ? "

/* The caller's condition, and how many roles it binds (2 values each). */
static int
mine(const struct principal *p, struct sbuf *where)
{
    int n = 0;

    sbuf_adds(where, "(");
    for (int i = 0; i < p->nroles; i++) {
        sbuf_adds(where, n ? " OR " : "");
        sbuf_adds(where, "((a.roles & ?) <> 0 AND substr(a.region_code, 1, ?) = ?)");
        n++;
    }
    sbuf_adds(where, n ? ")" : "1 = 0)");
    return n;
}

/* Bind the caller's roles from parameter 'at' on; returns the next one. */
static int
bind_mine(struct db_stmt *s, const struct principal *p, int at)
{
    for (int i = 0; i < p->nroles; i++) {
        int level = 0;
        size_t len;

        region_code_parse(p->roles[i].scope, &level, NULL);
        len = region_scope_len(level);
        db_bind_i64(s, at++, (int64_t)AUTH_ROLE(p->roles[i].role));
        db_bind_i64(s, at++, (int64_t)len);
        db_bind_text(s, at++, p->roles[i].scope, len);
    }
    return at;
}

static void
read_alert(struct db_stmt *s, void *row)
{
    struct alert *a = row;

    a->id = db_col_i64(s, 0);
    db_col_copy(s, 1, a->module, sizeof(a->module));
    db_col_copy(s, 2, a->thing, sizeof(a->thing));
    a->object_id = db_col_i64(s, 3);
    db_col_copy(s, 4, a->region, sizeof(a->region));
    db_col_copy(s, 5, a->region_name, sizeof(a->region_name));
    db_col_copy(s, 6, a->kind, sizeof(a->kind));
    db_col_copy(s, 7, a->title_zh, sizeof(a->title_zh));
    db_col_copy(s, 8, a->title_en, sizeof(a->title_en));
    a->created_at = db_col_i64(s, 9);
    a->due_at = db_col_i64(s, 10);
    a->read = db_col_i64(s, 11) != 0;
}

int
alerts_list(struct db_conn *c, const struct actor *a, bool unread_only, int64_t before, int limit,
            struct alert **out, size_t *n, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(struct alert));
    struct sbuf sql = SBUF_INIT;
    struct db_stmt *s;
    int rc, at;

    *out = NULL;
    *n = 0;
    if (!a->who)
        return 0;
    sbuf_adds(&sql, ALERT_COLUMNS "WHERE ");
    mine(a->who, &sql);
    sbuf_addf(&sql, "%s AND a.id < ? ORDER BY a.id DESC LIMIT ?",
              unread_only ? " AND r.alert_id IS NULL" : "");
    rc = db_prepare_built(c, sql.buf, &s, err);
    sbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, a->who->user_id);
    at = bind_mine(s, a->who, 2);
    db_bind_i64(s, at++, before > 0 ? before : INT64_MAX);
    db_bind_i64(s, at, limit < 1 || limit > 200 ? 50 : limit);
    rc = db_read_rows(s, read_alert, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}

int
alerts_unread(struct db_conn *c, const struct actor *a, int64_t *count, struct err *err)
{
    struct sbuf sql = SBUF_INIT;
    struct db_stmt *s;
    int rc;

    *count = 0;
    if (!a->who)
        return 0;
    sbuf_adds(&sql, "SELECT COUNT(*) FROM alerts a LEFT JOIN alert_reads r ON r.alert_id = a.id"
                    " AND r.user_id = ? WHERE r.alert_id IS NULL AND ");
    mine(a->who, &sql);
    rc = db_prepare_built(c, sql.buf, &s, err);
    sbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, a->who->user_id);
    bind_mine(s, a->who, 2);
    rc = db_step(s, err);
    if (rc == 1)
        *count = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* Mark the caller's unread alerts read: 'id' alone, or all (0). */
int
alerts_mark_read(struct db_conn *c, const struct actor *a, int64_t id, struct err *err)
{
    struct sbuf sql = SBUF_INIT;
    struct db_stmt *s;
    int rc, at;

    if (!a->who)
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    sbuf_adds(&sql, "INSERT INTO alert_reads (alert_id, user_id, read_at)"
                    " SELECT a.id, ?, ? FROM alerts a WHERE ");
    mine(a->who, &sql);
    sbuf_adds(&sql, id ? " AND a.id = ?" : "");
    sbuf_adds(&sql, " AND NOT EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = a.id"
                    " AND r.user_id = ?)");
    rc = db_prepare_built(c, sql.buf, &s, err);
    sbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, a->who->user_id);
    db_bind_i64(s, 2, clock_now_ms());
    at = bind_mine(s, a->who, 3);
    if (id)
        db_bind_i64(s, at++, id);
    db_bind_i64(s, at, a->who->user_id);
    rc = db_step(s, err);
    db_reset(s);
    if (rc < 0)
        return rc;
    if (id && db_changes(c) == 0 &&
        db_run(c, err, "SELECT alert_id FROM alert_reads WHERE alert_id = ? AND user_id = ?", "ii",
               id, a->who->user_id) != 1)
        return err_set(err, ERR_NOT_FOUND, "id", "找不到该提醒", "no such alert");
    return 0;
}
