/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/engine.c -- one step of a record, all-or-nothing in the
 * caller's transaction (workflow.h says the order). The SQL reads and writes
 * the record's table by the names its module declares: id, state, version,
 * village_code, updated_at, and the household column if any. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/workflow/workflow.h"
#include "domain/workflow/workflow_int.h"
#include "store/db.h"

int
wf_not_found(const struct workflow *wf, struct err *err)
{
    char zh[ERR_MSG_MAX], en[ERR_MSG_MAX];

    snprintf(zh, sizeof(zh), "找不到该%s或不在您的管辖范围内", wf->title_zh);
    snprintf(en, sizeof(en), "no such %s in your scope", wf->title_en);
    return err_set_text(err, ERR_NOT_FOUND, "id", zh, en);
}

static void
read_record(struct db_stmt *s, void *out)
{
    struct wf_record *r = out;

    r->id = db_col_i64(s, 0);
    db_col_copy(s, 1, r->state, sizeof(r->state));
    r->version = db_col_i64(s, 2);
    db_col_copy(s, 3, r->region, sizeof(r->region));
    r->household_id = db_col_i64(s, 4);
}

/* The record. */
static int
load(struct db_conn *c, const struct workflow *wf, int64_t id, struct wf_record *r, struct err *err)
{
    char sql[256];
    struct db_stmt *s;
    int rc;

    memset(r, 0, sizeof(*r));
    snprintf(sql, sizeof(sql), "SELECT id, state, version, village_code, %s FROM %s WHERE id = ?",
             wf->household ? wf->household : "0", wf->table);
    rc = db_prepare_built(c, sql, &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, id);
    rc = db_read_one(s, read_record, r, err);
    if (rc == 0)
        return wf_not_found(wf, err);
    return rc < 0 ? rc : 0;
}

/* Who took the record's last step (0: the system or nobody), for a step that
 * needs somebody else: read only then. */
static int
load_last_user(struct db_conn *c, const struct workflow *wf, int64_t id, int64_t *user,
               struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT COALESCE(user_id, 0) FROM wf_events WHERE module = ? AND thing = ?"
                        " AND object_id = ? ORDER BY id DESC LIMIT 1",
                        &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, wf->module, (size_t)-1);
    db_bind_text(s, 2, wf->thing, (size_t)-1);
    db_bind_i64(s, 3, id);
    *user = 0;
    rc = db_step(s, err);
    if (rc == 1)
        *user = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* The first row of 'verb': the verb's permission and needs (wf_validate makes
 * every row of a verb agree on them). */
static const struct wf_transition *
verb_row(const struct workflow *wf, const char *verb)
{
    for (size_t i = 0; i < wf->ntransitions; i++)
        if (strcmp(wf->transitions[i].verb, verb) == 0)
            return &wf->transitions[i];
    return NULL;
}

static bool
may(const struct principal *p, const char *perm, bool village_wide, const struct wf_record *r)
{
    return village_wide ? auth_village_may(p, perm, r->region)
                        : auth_object_may(p, perm, r->region, r->household_id);
}

/* May 'a' take 'verb' on the record? A person the record is hidden from is
 * told it does not exist; one who sees it but may not act, forbidden. */
static int
allowed(const struct actor *a, const struct workflow *wf, const struct wf_transition *v,
        const struct wf_record *r, struct err *err)
{
    bool wide = v->needs & WF_VILLAGE_WIDE;

    if (!a->who)
        return 0;
    if (v->perm && may(a->who, v->perm, wide, r))
        return 0;
    if (may(a->who, wf->read_perm, false, r) || (wide && may(a->who, wf->read_perm, true, r)))
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    return wf_not_found(wf, err);
}

/* The row of 'verb' leaving the record's state for the caller's choice;
 * ERR_CONFLICT naming the state when there is none, or for a stale version. */
static int
pick(const struct workflow *wf, const struct wf_transition *v, const struct wf_input *in,
     const struct wf_record *r, const struct wf_transition **out, struct err *err)
{
    const struct wf_state *st = wf_state_named(wf, r->state);

    *out = NULL;
    for (size_t i = 0; i < wf->ntransitions && !*out; i++) {
        const struct wf_transition *t = &wf->transitions[i];

        if (strcmp(t->verb, v->verb) == 0 && strcmp(t->from, r->state) == 0 &&
            (!t->choice || t->when == in->choice))
            *out = t;
    }
    if (!*out) {
        char zh[ERR_MSG_MAX], en[ERR_MSG_MAX];

        snprintf(zh, sizeof(zh), "该%s当前为“%s”状态，不能%s", wf->title_zh,
                 st ? st->title_zh : r->state, v->title_zh);
        snprintf(en, sizeof(en), "the %s is '%s'; %s is not possible now", wf->title_en, r->state,
                 v->title_en);
        return err_set_text(err, ERR_CONFLICT, "state", zh, en);
    }
    if ((v->needs & WF_VERSIONED) && in->version != r->version)
        return wf_changed(wf, err);
    return 0;
}

int
wf_changed(const struct workflow *wf, struct err *err)
{
    char zh[ERR_MSG_MAX], en[ERR_MSG_MAX];

    snprintf(zh, sizeof(zh), "该%s已被他人修改，请刷新后再试", wf->title_zh);
    snprintf(en, sizeof(en), "someone else changed the %s; reload and try again", wf->title_en);
    return err_set_text(err, ERR_CONFLICT, "version", zh, en);
}

static bool
is_sha256(const char *s)
{
    size_t n = 0;

    for (; s && *s && n < 65; s++, n++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return n == 64;
}

/* What the step needs besides the permission. */
static int
needs(struct db_conn *c, const struct actor *a, const struct wf_step *st, struct err *err)
{
    const struct wf_transition *t = st->t;
    int64_t last = 0;
    bool own = false;
    int rc = 0;

    if ((t->needs & WF_REASON) && wf_chars(st->in->note) < t->reason.min_chars)
        return err_set_text(err, ERR_INVALID, t->reason.field, t->reason.zh, t->reason.en);
    if ((t->needs & WF_EVIDENCE) && !is_sha256(st->in->evidence))
        return err_set(err, ERR_INVALID, "evidence", "这一步需要附上照片等证明",
                       "this step needs evidence (a photo)");
    if (!a->who)
        return 0;
    if (t->needs & WF_OTHER_PERSON)
        rc = load_last_user(c, st->wf, st->rec.id, &last, err);
    if (rc < 0)
        return rc;
    if ((t->needs & WF_OTHER_PERSON) && last == a->who->user_id)
        return err_set(err, ERR_CONFLICT, "state", "这一步须由上一步以外的人办理",
                       "this step needs somebody other than who took the last one");
    if (t->needs & WF_NOT_OWN)
        rc = auth_own_household(c, a->who, st->rec.household_id, &own, err);
    if (rc == 0 && own)
        rc = err_set(err, ERR_CONFLICT, "household_id", "经办人不能办理本人家庭的事项",
                     "nobody may act on their own household's matter");
    return rc;
}

/* The state and version move on, if nobody changed the record meanwhile;
 * state_at, from which the new state's time limit counts, with them. */
static int
move(struct db_conn *c, const struct workflow *wf, const struct wf_record *r, const char *to,
     struct err *err)
{
    char sql[256];
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc;

    snprintf(sql, sizeof(sql),
             "UPDATE %s SET state = ?, version = version + 1, updated_at = ?, state_at = ?"
             " WHERE id = ? AND version = ? AND state = ?",
             wf->table);
    rc = db_prepare_built(c, sql, &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, to, (size_t)-1);
    db_bind_i64(s, 2, now);
    db_bind_i64(s, 3, now);
    db_bind_i64(s, 4, r->id);
    db_bind_i64(s, 5, r->version);
    db_bind_text(s, 6, r->state, (size_t)-1);
    rc = db_step(s, err);
    db_reset(s);
    if (rc >= 0 && db_changes(c) != 1)
        return wf_changed(wf, err);
    return rc < 0 ? rc : 0;
}

static int
history(struct db_conn *c, const struct actor *a, const struct workflow *wf, int64_t id,
        const char *from, const char *to, const char *verb, const char *note, struct err *err)
{
    int64_t user = a->who ? a->who->user_id : 0;
    int rc = db_run(c, err,
                    "INSERT INTO wf_events (module, thing, object_id, from_state, to_state, verb,"
                    " user_id, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    user ? "ttitttiti" : "ttitttnti", wf->module, wf->thing, id, from, to, verb,
                    user, note ? note : "", clock_now_ms());

    return rc < 0 ? rc : 0;
}

static int
audit(struct db_conn *c, const struct actor *a, const struct workflow *wf,
      const struct wf_record *r, const char *to, const char *perm, const char *note,
      struct err *err)
{
    char action[64], oid[24];

    snprintf(action, sizeof(action), "%s.%s", wf->audit, to);
    snprintf(oid, sizeof(oid), "%" PRId64, r->id);
    return audit_record(
        c,
        &(struct audit_entry){ .who = a->who,
                               .role = a->who ? auth_acting_role(a->who, perm) : ROLE_NONE,
                               .action = action,
                               .object_type = wf->module,
                               .object_id = oid,
                               .region_code = r->region,
                               .result = "ok",
                               .request_id = a->request_id,
                               .detail = note },
        err);
}

/* The record entered 'to': after the step's checks and the state's change,
 * its time limit, the module's side effects, the history, the audit entry and
 * the alerts. */
static int
entered(struct db_conn *c, const struct actor *a, struct wf_step *st, struct err *err)
{
    const struct wf_transition *t = st->t;
    int rc = 0;

    st->due_at = wf_due_at(st->wf, t->to, clock_now_ms());
    if (st->wf->apply)
        rc = st->wf->apply(c, a, st, err);
    if (rc == 0)
        rc = history(c, a, st->wf, st->rec.id, st->rec.state, t->to, t->verb, st->in->note, err);
    if (rc == 0)
        rc = audit(c, a, st->wf, &st->rec, t->to, t->perm ? t->perm : st->wf->read_perm,
                   st->in->note, err);
    if (rc == 0 && t->notify)
        rc = wf_alert(c, st->wf, &st->rec, t->notify, "notice", t->notice_zh, t->notice_en, 0, err);
    return rc;
}

int
wf_apply(struct db_conn *c, const struct actor *a, const struct workflow *wf, int64_t id,
         const char *verb, const struct wf_input *in, struct wf_record *out, struct err *err)
{
    const struct wf_transition *v = verb_row(wf, verb);
    struct wf_step st = { .wf = wf, .in = in };
    int rc = v ? load(c, wf, id, &st.rec, err) : err_code_set(err, ERR_INTERNAL, NULL);

    if (rc == 0)
        rc = allowed(a, wf, v, &st.rec, err);
    if (rc == 0)
        rc = pick(wf, v, in, &st.rec, &st.t, err);
    if (rc == 0)
        rc = needs(c, a, &st, err);
    if (rc == 0 && wf->check)
        rc = wf->check(c, a, &st, err);
    if (rc == 0)
        rc = move(c, wf, &st.rec, st.t->to, err);
    if (rc == 0)
        rc = entered(c, a, &st, err);
    if (rc == 0 && out) {
        *out = st.rec;
        snprintf(out->state, sizeof(out->state), "%s", st.t->to);
        out->version = st.rec.version + 1;
        out->last_user = a->who ? a->who->user_id : 0;
    }
    return rc;
}

int
wf_created(struct db_conn *c, const struct actor *a, const struct workflow *wf,
           const struct wf_record *rec, const char *note, struct err *err)
{
    return history(c, a, wf, rec->id, "", wf->initial, "create", note, err);
}

static void
read_event(struct db_stmt *s, void *row)
{
    struct wf_event *e = row;

    db_col_copy(s, 0, e->from, sizeof(e->from));
    db_col_copy(s, 1, e->to, sizeof(e->to));
    db_col_copy(s, 2, e->verb, sizeof(e->verb));
    db_col_copy(s, 3, e->by, sizeof(e->by));
    db_col_copy(s, 4, e->note, sizeof(e->note));
    e->at = db_col_i64(s, 5);
}

int
wf_history(struct db_conn *c, const struct workflow *wf, int64_t id, struct db_rows *events,
           struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT e.from_state, e.to_state, e.verb, COALESCE(u.display_name, ''),"
                        " e.note, e.at FROM wf_events e LEFT JOIN users u ON u.id = e.user_id"
                        " WHERE e.module = ? AND e.thing = ? AND e.object_id = ? ORDER BY e.id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, wf->module, (size_t)-1);
    db_bind_text(s, 2, wf->thing, (size_t)-1);
    db_bind_i64(s, 3, id);
    return db_read_rows(s, read_event, events, err);
}
