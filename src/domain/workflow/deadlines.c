/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/deadlines.c -- time limits on states, for every module
 * at once: a record entering a state with a limit gets one row in
 * wf_deadlines; one scheduler job (wf_deadlines_job) warns when the warning is
 * due, and when the limit is due either takes the system's step (a publicity
 * window ends: the claim is final) or tells the roles the limit names that the
 * record is late. A record leaving the state takes its row with it. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/log.h"
#include "domain/workflow/workflow_int.h"
#include "store/db.h"

#define BATCH 256 /* rows a run takes; the next run takes the rest */

int
wf_alert(struct db_conn *c, const struct workflow *wf, const struct wf_record *r, unsigned roles,
         const char *kind, const char *zh, const char *en, int64_t due_at, struct err *err)
{
    int rc =
        db_run(c, err,
               "INSERT INTO alerts (module, thing, object_id, region_code, roles, kind,"
               " title_zh, title_en, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               due_at ? "ttititttii" : "ttititttin", wf->module, wf->thing, r->id, r->region,
               (int64_t)roles, kind, zh, en, clock_now_ms(), due_at);

    return rc < 0 ? rc : 0;
}

/* One statement a step: the new state's limit replaces the old one's (one
 * row a record), or the old one's goes; nothing when neither state has one. */
int
wf_deadline_enter(struct db_conn *c, const struct workflow *wf, const struct wf_record *r,
                  const char *from, const char *state, int64_t *due_at, struct err *err)
{
    const struct wf_deadline *d = wf_deadline_of(wf, state);
    bool had = from && from[0] && wf_deadline_of(wf, from);
    int64_t now = clock_now_ms();
    int rc = 0;

    *due_at = 0;
    if (!d && had)
        rc = db_run(c, err,
                    "DELETE FROM wf_deadlines WHERE module = ? AND thing = ? AND object_id = ?",
                    "tti", wf->module, wf->thing, r->id);
    if (!d)
        return rc < 0 ? rc : 0;
    *due_at = now + (d->after ? d->after() : d->after_ms);
    rc = db_run(c, err,
                "INSERT INTO wf_deadlines (module, thing, object_id, state, region_code, due_at,"
                " warn_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (module, thing, object_id)"
                " DO UPDATE SET state = excluded.state, region_code = excluded.region_code,"
                " due_at = excluded.due_at, warn_at = excluded.warn_at, warned = 0, late = 0",
                d->warn_ms ? "ttittii" : "ttittin", wf->module, wf->thing, r->id, state, r->region,
                *due_at, now + d->warn_ms);
    return rc < 0 ? rc : 0;
}

/* A row of wf_deadlines come due. */
struct due {
    int64_t id;
    char module[32];
    char thing[32];
    int64_t object_id;
    char state[WF_STATE_MAX];
    char region[13];
    int64_t due_at;
};

static void
read_due(struct db_stmt *s, void *row)
{
    struct due *d = row;

    d->id = db_col_i64(s, 0);
    db_col_copy(s, 1, d->module, sizeof(d->module));
    db_col_copy(s, 2, d->thing, sizeof(d->thing));
    d->object_id = db_col_i64(s, 3);
    db_col_copy(s, 4, d->state, sizeof(d->state));
    db_col_copy(s, 5, d->region, sizeof(d->region));
    d->due_at = db_col_i64(s, 6);
}

static int
due_rows(struct db_conn *c, const char *where, int64_t now, struct db_rows *rows, struct err *err)
{
    char sql[256];
    struct db_stmt *s;
    int rc;

    snprintf(sql, sizeof(sql),
             "SELECT id, module, thing, object_id, state, region_code, due_at FROM wf_deadlines"
             " WHERE %s ORDER BY id LIMIT %d",
             where, BATCH);
    rc = db_prepare_built(c, sql, &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, now);
    return db_read_rows(s, read_due, rows, err);
}

static int
warn(struct db_conn *c, const struct due *d, struct err *err)
{
    const struct workflow *wf = wf_find(d->module, d->thing);
    const struct wf_deadline *dl = wf ? wf_deadline_of(wf, d->state) : NULL;
    struct wf_record r = { .id = d->object_id };
    int rc = db_run(c, err, "UPDATE wf_deadlines SET warned = 1 WHERE id = ?", "i", d->id);

    snprintf(r.region, sizeof(r.region), "%s", d->region);
    if (rc >= 0 && dl && dl->alert)
        rc = wf_alert(c, wf, &r, dl->alert, "warning", dl->title_zh, dl->title_en, d->due_at, err);
    return rc < 0 ? rc : 0;
}

/* The limit is due: the system's step, or the record is late. */
static int
expire(struct db_conn *c, const struct due *d, int64_t *stepped, struct err *err)
{
    const struct workflow *wf = wf_find(d->module, d->thing);
    const struct wf_deadline *dl = wf ? wf_deadline_of(wf, d->state) : NULL;
    const struct actor system = { 0 };
    struct wf_record r = { .id = d->object_id };
    int rc;

    snprintf(r.region, sizeof(r.region), "%s", d->region);
    if (!dl) /* a table that changed since: the limit is no more */
        return db_run(c, err, "DELETE FROM wf_deadlines WHERE id = ?", "i", d->id) < 0 ? -err->code
                                                                                       : 0;
    if (dl->verb) {
        rc = wf_apply(c, &system, wf, d->object_id, dl->verb,
                      &(struct wf_input){ .note = dl->title_zh }, NULL, err);
        *stepped += rc == 0;
        return rc;
    }
    rc = db_run(c, err, "UPDATE wf_deadlines SET late = 1 WHERE id = ?", "i", d->id);
    if (rc >= 0)
        rc = wf_alert(c, wf, &r, dl->alert, "late", dl->title_zh, dl->title_en, d->due_at, err);
    return rc < 0 ? rc : 0;
}

/* One limit in a savepoint of its own: a system step that fails (a record
 * its module no longer lets move) is undone alone, logged, and not retried.
 * (Outside a transaction -- a test calling the job directly -- each statement
 * stands alone anyway.) */
static int
expire_alone(struct db_conn *c, const struct due *d, int64_t *stepped, struct err *err)
{
    struct err e = ERR_INIT;
    int rc;

    if (!db_in_transaction(c))
        return expire(c, d, stepped, err);
    rc = db_savepoint(c, "deadline", err);
    if (rc < 0)
        return rc;
    if (expire(c, d, stepped, &e) == 0)
        return db_savepoint_release(c, "deadline", err);
    log_error(NULL, "time limit of %s/%s %lld in '%s': %s (%s)", d->module, d->thing,
              (long long)d->object_id, d->state, e.en, e.detail);
    rc = db_savepoint_rollback(c, "deadline", err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE wf_deadlines SET late = 1 WHERE id = ?", "i", d->id);
    if (rc >= 0)
        rc = db_savepoint_release(c, "deadline", err);
    return rc < 0 ? rc : 0;
}

int
wf_deadlines_run(struct db_conn *c, int64_t now, int64_t *stepped, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(struct due));
    const struct due *d;
    int rc = due_rows(c, "warned = 0 AND warn_at IS NOT NULL AND warn_at <= ?", now, &rows, err);

    *stepped = 0;
    d = rows.items;
    for (size_t i = 0; rc == 0 && i < rows.n; i++)
        rc = warn(c, &d[i], err);
    rows.n = 0;
    if (rc == 0)
        rc = due_rows(c, "late = 0 AND due_at <= ?", now, &rows, err);
    d = rows.items;
    for (size_t i = 0; rc == 0 && i < rows.n; i++)
        rc = expire_alone(c, &d[i], stepped, err);
    db_rows_release(&rows);
    return rc;
}

int
wf_deadlines_job(struct db_conn *c, void *arg, struct err *err)
{
    int64_t stepped = 0;

    (void)arg;
    return wf_deadlines_run(c, clock_now_ms(), &stepped, err);
}
