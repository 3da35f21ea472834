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

int64_t
wf_due_at(const struct workflow *wf, const char *state, int64_t now)
{
    const struct wf_deadline *d = wf_deadline_of(wf, state);

    return d ? now + (d->after ? d->after() : d->after_ms) : 0;
}

/* A record whose time limit (or its warning) came: read from its table. */
struct due {
    int64_t object_id;
    char region[13];
    int64_t state_at;
};

static void
read_due(struct db_stmt *s, void *row)
{
    struct due *d = row;

    d->object_id = db_col_i64(s, 0);
    db_col_copy(s, 1, d->region, sizeof(d->region));
    d->state_at = db_col_i64(s, 2);
}

/* Records of 'wf' in the limit's state since 'since' or longer, not yet
 * marked 'mark' (warned, late) for that stay, oldest first. */
static int
due_rows(struct db_conn *c, const struct workflow *wf, const struct wf_deadline *dl, int64_t since,
         const char *mark, struct db_rows *rows, struct err *err)
{
    char sql[512];
    struct db_stmt *s;
    int rc;

    snprintf(sql, sizeof(sql),
             "SELECT t.id, t.village_code, t.state_at FROM %s t WHERE t.state = ?"
             " AND t.state_at <= ? AND NOT EXISTS (SELECT 1 FROM wf_marks m WHERE"
             " m.module = ? AND m.thing = ? AND m.object_id = t.id AND m.state_at = t.state_at"
             " AND m.%s = 1) ORDER BY t.state_at LIMIT %d",
             wf->table, mark, BATCH);
    rc = db_prepare_built(c, sql, &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, dl->state, (size_t)-1);
    db_bind_i64(s, 2, since);
    db_bind_text(s, 3, wf->module, (size_t)-1);
    db_bind_text(s, 4, wf->thing, (size_t)-1);
    return db_read_rows(s, read_due, rows, err);
}

/* Told once: the record's stay in its state is marked warned or late. */
static int
set_mark(struct db_conn *c, const struct workflow *wf, const struct due *d, const char *mark,
         struct err *err)
{
    char sql[320];

    snprintf(sql, sizeof(sql),
             "INSERT INTO wf_marks (module, thing, object_id, state_at, %s) VALUES (?, ?, ?, ?, 1)"
             " ON CONFLICT (module, thing, object_id, state_at) DO UPDATE SET %s = 1",
             mark, mark);
    return db_run(c, err, sql, "ttii", wf->module, wf->thing, d->object_id, d->state_at) < 0
               ? -err->code
               : 0;
}

static int64_t
limit_ms(const struct wf_deadline *dl)
{
    return dl->after ? dl->after() : dl->after_ms;
}

static int
warn(struct db_conn *c, const struct workflow *wf, const struct wf_deadline *dl,
     const struct due *d, struct err *err)
{
    struct wf_record r = { .id = d->object_id };
    int rc = set_mark(c, wf, d, "warned", err);

    snprintf(r.region, sizeof(r.region), "%s", d->region);
    if (rc == 0 && dl->alert)
        rc = wf_alert(c, wf, &r, dl->alert, "warning", dl->title_zh, dl->title_en,
                      d->state_at + limit_ms(dl), err);
    return rc;
}

/* The limit is due: the system's step, or the record is late. */
static int
expire(struct db_conn *c, const struct workflow *wf, const struct wf_deadline *dl,
       const struct due *d, int64_t *stepped, struct err *err)
{
    const struct actor system = { 0 };
    struct wf_record r = { .id = d->object_id };
    int rc;

    snprintf(r.region, sizeof(r.region), "%s", d->region);
    if (dl->verb) {
        rc = wf_apply(c, &system, wf, d->object_id, dl->verb,
                      &(struct wf_input){ .note = dl->title_zh }, NULL, err);
        *stepped += rc == 0;
        return rc;
    }
    rc = set_mark(c, wf, d, "late", err);
    if (rc == 0)
        rc = wf_alert(c, wf, &r, dl->alert, "late", dl->title_zh, dl->title_en,
                      d->state_at + limit_ms(dl), err);
    return rc;
}

/* One limit in a savepoint of its own: a system step that fails (a record
 * its module no longer lets move) is undone alone, logged, marked late and
 * not retried. (Outside a transaction -- a test calling the job directly --
 * each statement stands alone anyway.) */
static int
expire_alone(struct db_conn *c, const struct workflow *wf, const struct wf_deadline *dl,
             const struct due *d, int64_t *stepped, struct err *err)
{
    struct err e = ERR_INIT;
    int rc;

    if (!db_in_transaction(c))
        return expire(c, wf, dl, d, stepped, err);
    rc = db_savepoint(c, "deadline", err);
    if (rc < 0)
        return rc;
    if (expire(c, wf, dl, d, stepped, &e) == 0)
        return db_savepoint_release(c, "deadline", err);
    log_error(NULL, "time limit of %s/%s %lld in '%s': %s (%s)", wf->module, wf->thing,
              (long long)d->object_id, dl->state, e.en, e.detail);
    rc = db_savepoint_rollback(c, "deadline", err);
    if (rc == 0)
        rc = set_mark(c, wf, d, "late", err);
    if (rc >= 0)
        rc = db_savepoint_release(c, "deadline", err);
    return rc < 0 ? rc : 0;
}

/* One declared limit: its warnings due, then its records due. */
static int
run_limit(struct db_conn *c, const struct workflow *wf, const struct wf_deadline *dl, int64_t now,
          int64_t *stepped, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(struct due));
    const struct due *d;
    int rc = 0;

    if (dl->warn_ms && dl->alert)
        rc = due_rows(c, wf, dl, now - dl->warn_ms, "warned", &rows, err);
    d = rows.items;
    for (size_t i = 0; rc == 0 && i < rows.n; i++)
        rc = warn(c, wf, dl, &d[i], err);
    rows.n = 0;
    if (rc == 0)
        rc = due_rows(c, wf, dl, now - limit_ms(dl), "late", &rows, err);
    d = rows.items;
    for (size_t i = 0; rc == 0 && i < rows.n; i++)
        rc = expire_alone(c, wf, dl, &d[i], stepped, err);
    db_rows_release(&rows);
    return rc;
}

int
wf_deadlines_run(struct db_conn *c, int64_t now, int64_t *stepped, struct err *err)
{
    int rc = 0;

    *stepped = 0;
    for (size_t i = 0; rc == 0 && i < wf_count(); i++) {
        const struct workflow *wf = wf_at(i);

        for (size_t j = 0; rc == 0 && j < wf->ndeadlines; j++)
            rc = run_limit(c, wf, &wf->deadlines[j], now, stepped, err);
    }
    return rc;
}

int
wf_deadlines_job(struct db_conn *c, void *arg, struct err *err)
{
    int64_t stepped = 0;

    (void)arg;
    return wf_deadlines_run(c, clock_now_ms(), &stepped, err);
}
