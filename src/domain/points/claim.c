/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/claim.c -- claims through review, approval, publicity,
 * objections and re-review to the ledger (points.h). Every transition checks
 * the state it starts from and the version the caller read, writes one event
 * and one audit entry. The SQL of point_claims and point_claim_events. */
#include "core/compat.h"

#include <stdlib.h>

#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "store/db.h"

#define CLAIM_COLUMNS                                                                              \
    "SELECT id, household_id, village_code, cycle_id, item_id, points, source, state, note,"       \
    " COALESCE(evidence, ''), COALESCE(created_by, 0), COALESCE(publicity_ends_at, 0),"            \
    " COALESCE(entry_id, 0), version, created_at, updated_at FROM point_claims "

/* The publicity and objection window (DOMAIN.md §11: 7 days), set once at
 * start before any thread reads it. */
static int64_t publicity_ms = (int64_t)POINTS_PUBLICITY_DAYS * 86400000;

void
points_set_publicity(int64_t seconds)
{
    publicity_ms = seconds * 1000;
}

void
points_read_claim(struct db_stmt *s, void *row)
{
    struct point_claim *out = row;

    memset(out, 0, sizeof(*out));
    out->id = db_col_i64(s, 0);
    out->household_id = db_col_i64(s, 1);
    db_col_copy(s, 2, out->village_code, sizeof(out->village_code));
    out->cycle_id = db_col_i64(s, 3);
    out->item_id = db_col_i64(s, 4);
    out->points = db_col_i64(s, 5);
    db_col_copy(s, 6, out->source, sizeof(out->source));
    db_col_copy(s, 7, out->state, sizeof(out->state));
    db_col_copy(s, 8, out->note, sizeof(out->note));
    db_col_copy(s, 9, out->evidence, sizeof(out->evidence));
    out->created_by = db_col_i64(s, 10);
    out->publicity_ends_at = db_col_i64(s, 11);
    out->entry_id = db_col_i64(s, 12);
    out->version = db_col_i64(s, 13);
    out->created_at = db_col_i64(s, 14);
    out->updated_at = db_col_i64(s, 15);
}

static int
claim_load(struct db_conn *c, int64_t id, struct point_claim *out, struct err *err)
{
    return points_one(c, CLAIM_COLUMNS "WHERE id = ?", NULL, id, points_read_claim, out,
                      POINTS_OBJ_CLAIM, err);
}

int
points_claim_get(struct db_conn *c, const struct actor *a, int64_t claim_id,
                 struct point_claim *out, struct err *err)
{
    int rc = claim_load(c, claim_id, out, err);

    if (rc == 0 && a->who &&
        !auth_object_may(a->who, PERM_POINTS_READ, out->village_code, out->household_id))
        return points_not_found(err, POINTS_OBJ_CLAIM);
    return rc;
}

/* The claim 'id' for a change by 'a' holding 'perm', in state 'from' (a
 * forbidden transition names the state it is in). */
static int
claim_for(struct db_conn *c, const struct actor *a, int64_t id, const char *perm, const char *from,
          struct point_claim *out, struct err *err)
{
    int rc = points_claim_get(c, a, id, out, err);

    if (rc == 0)
        rc = points_may(a, perm, out->village_code, out->household_id, POINTS_OBJ_CLAIM, err);
    if (rc == 0 && strcmp(out->state, from) != 0)
        rc = err_set(err, ERR_CONFLICT, "state", "该申报当前为“%s”状态，不能进行此操作",
                     "the claim is '%s'; that step is not possible now", out->state);
    return rc;
}

static int
add_event(struct db_conn *c, const struct actor *a, int64_t claim_id, const char *from,
          const char *to, const char *note, struct err *err)
{
    int rc = db_run(c, err,
                    "INSERT INTO point_claim_events (claim_id, from_state, to_state, user_id, note,"
                    " at) VALUES (?, ?, ?, ?, ?, ?)",
                    a->who ? "ittiti" : "ittnti", claim_id, from, to,
                    a->who ? a->who->user_id : (int64_t)0, note ? note : "", clock_now_ms());

    return rc < 0 ? rc : 0;
}

/* Move the claim from its state to 'to' if nobody changed it since 'version';
 * 'publicity_ends' is set when non-zero, 'entry' when non-zero. */
static int
move(struct db_conn *c, const struct actor *a, struct point_claim *k, int64_t version,
     const char *to, const char *note, struct err *err)
{
    char from[12];
    int rc = db_run(c, err,
                    "UPDATE point_claims SET state = ?, version = version + 1, updated_at = ?,"
                    " publicity_ends_at = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT)"
                    " ELSE publicity_ends_at END,"
                    " entry_id = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT)"
                    " ELSE entry_id END"
                    " WHERE id = ? AND version = ? AND state = ?",
                    "tiiiiiiit", to, clock_now_ms(), k->publicity_ends_at, k->publicity_ends_at,
                    k->entry_id, k->entry_id, k->id, version, k->state);

    if (rc >= 0 && db_changes(c) != 1)
        return err_set(err, ERR_CONFLICT, "version", "该申报已被他人修改，请刷新后再试",
                       "someone else changed the claim; reload and try again");
    if (rc < 0)
        return rc;
    snprintf(from, sizeof(from), "%s", k->state);
    snprintf(k->state, sizeof(k->state), "%s", to);
    k->version = version + 1;
    rc = add_event(c, a, k->id, from, to, note, err);
    if (rc == 0) {
        char action[40];

        snprintf(action, sizeof(action), "points.claim.%s", to);
        rc = points_audit(c, a, action, k->id, k->village_code, note, err);
    }
    return rc;
}

/* --- submit --- */

static bool
is_self(const struct actor *a, int64_t household)
{
    for (int i = 0; a->who && i < a->who->nroles; i++)
        if (a->who->roles[i].role == ROLE_VILLAGER && a->who->roles[i].household_id == household)
            return true;
    return false;
}

/* The household's village, if the actor may claim for it. */
static int
claim_place(struct db_conn *c, const struct actor *a, int64_t household, char village[13],
            struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, "SELECT village_code FROM households WHERE id = ? AND status = 'active'",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household);
    rc = db_step(s, err);
    if (rc == 1)
        db_col_copy(s, 0, village, 13);
    db_reset(s);
    if (rc == 0)
        return points_not_found(err, POINTS_OBJ_HOUSEHOLD);
    return rc < 0 ? rc
                  : points_may(a, PERM_POINTS_CLAIM, village, household, POINTS_OBJ_HOUSEHOLD, err);
}

/* The item's cap per household and cycle, counting claims not rejected. */
static int
within_cap(struct db_conn *c, const struct point_item *it, int64_t household, int64_t cycle,
           struct err *err)
{
    struct db_stmt *s;
    int64_t used = 0;
    int rc;

    if (it->cycle_cap <= 0)
        return 0;
    rc = db_prepare(c,
                    "SELECT COALESCE(SUM(ABS(points)), 0) FROM point_claims WHERE household_id = ?"
                    " AND cycle_id = ? AND item_id = ? AND state <> 'rejected'",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household);
    db_bind_i64(s, 2, cycle);
    db_bind_i64(s, 3, it->id);
    rc = db_step(s, err);
    if (rc == 1)
        used = db_col_i64(s, 0);
    db_reset(s);
    if (rc < 0)
        return rc;
    if (used + (it->points < 0 ? -it->points : it->points) > it->cycle_cap)
        return err_set(err, ERR_CONFLICT, "item_id", "本周期该项目已达上限（%lld 分）",
                       "the item's cap for this cycle is reached (%lld points)",
                       (long long)it->cycle_cap);
    return 0;
}

static bool
evidence_ok(const char *e)
{
    return e && strlen(e) == 64 && strspn(e, "0123456789abcdef") == 64;
}

/* What the claim may be, before it is written. */
/* An item not of the village's current scheme: of an earlier version of it,
 * or of somewhere else -- which is answered as an item that does not exist. */
static int
item_elsewhere(struct db_conn *c, const char *village, const struct point_item *it, struct err *err)
{
    struct point_scheme sc;
    int rc = points_scheme_by_id(c, it->scheme_id, &sc, err);

    if (rc < 0 && rc != -ERR_NOT_FOUND)
        return rc;
    if (rc < 0 || strcmp(sc.region_code, village) != 0)
        return points_not_found(err, POINTS_OBJ_ITEM);
    return err_set(err, ERR_INVALID, "item_id", "该项目不属于本村现行方案",
                   "the item is not in the village's scheme");
}

static int
check_claim(struct db_conn *c, const struct actor *a, int64_t household, const char *village,
            const struct point_item *it, const char *evidence, struct point_cycle *cy,
            struct err *err)
{
    bool self = is_self(a, household);
    int rc = points_cycle_current(c, village, cy, err);

    if (rc == -ERR_NOT_FOUND)
        return err_set(err, ERR_CONFLICT, "cycle", "本村没有进行中的积分周期",
                       "the village has no open points cycle");
    if (rc == 0 && it->scheme_id != cy->scheme_id)
        rc = item_elsewhere(c, village, it, err);
    if (rc == 0 && self && it->points < 0)
        rc = err_set(err, ERR_INVALID, "item_id", "扣分项由村干部录入",
                     "deductions are entered by the village cadres");
    if (rc == 0 && !self)
        rc = points_not_own(c, a, household, err);
    if (rc == 0 && it->evidence_required && !evidence_ok(evidence))
        rc = err_set(err, ERR_INVALID, "evidence", "该项目需要附上照片等证明",
                     "the item needs evidence (a photo)");
    if (rc == 0 && evidence && evidence[0] && !evidence_ok(evidence))
        rc = err_set(err, ERR_INVALID, "evidence", "证明应为附件的 SHA-256",
                     "evidence is an attachment's SHA-256");
    return rc == 0 ? within_cap(c, it, household, cy->id, err) : rc;
}

int
points_claim_submit(struct db_conn *c, const struct actor *a, int64_t household_id, int64_t item_id,
                    const char *note, const char *evidence, struct point_claim *out,
                    struct err *err)
{
    struct point_item it;
    struct point_cycle cy;
    char village[13];
    int64_t now = clock_now_ms(), id = 0;
    int rc = claim_place(c, a, household_id, village, err);

    if (rc == 0)
        rc = points_item_get(c, item_id, &it, err);
    if (rc == 0)
        rc = check_claim(c, a, household_id, village, &it, evidence, &cy, err);
    if (rc == 0) {
        struct db_stmt *s;

        rc =
            db_prepare(c,
                       "INSERT INTO point_claims (household_id, village_code, cycle_id, item_id,"
                       " points, source, state, note, evidence, created_by, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?) RETURNING id",
                       &s, err);
        if (rc < 0)
            return rc;
        db_bind_i64(s, 1, household_id);
        db_bind_text(s, 2, village, (size_t)-1);
        db_bind_i64(s, 3, cy.id);
        db_bind_i64(s, 4, item_id);
        db_bind_i64(s, 5, it.points);
        db_bind_text(s, 6,
                     is_self(a, household_id) ? "self"
                     : a->who                 ? "cadre"
                                              : "module",
                     (size_t)-1);
        db_bind_text(s, 7, note ? note : "", (size_t)-1);
        db_bind_text(s, 8, evidence && evidence[0] ? evidence : NULL, (size_t)-1);
        if (a->who && a->who->user_id) /* the demo builder and the system have no account */
            db_bind_i64(s, 9, a->who->user_id);
        else
            db_bind_null(s, 9);
        db_bind_i64(s, 10, now);
        db_bind_i64(s, 11, now);
        rc = db_step(s, err);
        if (rc == 1)
            id = db_col_i64(s, 0);
        db_reset(s);
        rc = rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
    }
    if (rc == 0)
        rc = add_event(c, a, id, "", "submitted", note, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.claim.submitted", id, village, it.name, err);
    return rc < 0 ? rc : claim_load(c, id, out, err);
}

/* --- review, approval --- */

/* A scorer's step from 'from': to 'yes' when 'accept', else rejected. */
static int
score(struct db_conn *c, const struct actor *a, int64_t id, int64_t version, const char *from,
      bool accept, const char *yes, const char *note, struct point_claim *out, struct err *err)
{
    int rc = claim_for(c, a, id, PERM_POINTS_REVIEW, from, out, err);

    if (rc == 0)
        rc = points_not_own(c, a, out->household_id, err);
    if (rc == 0 && !accept && (!note || !note[0]))
        rc = err_set(err, ERR_INVALID, "note", "不通过时需写明理由", "a rejection needs a reason");
    return rc < 0 ? rc : move(c, a, out, version, accept ? yes : "rejected", note, err);
}

int
points_claim_review(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                    bool accept, const char *note, struct point_claim *out, struct err *err)
{
    return score(c, a, claim_id, version, "submitted", accept, "reviewed", note, out, err);
}

int
points_claim_approve(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                     bool accept, const char *note, struct point_claim *out, struct err *err)
{
    return score(c, a, claim_id, version, "reviewed", accept, "approved", note, out, err);
}

/* --- publicity, objections, final --- */

int
points_publicise(struct db_conn *c, const struct actor *a, const char *village, int64_t *count,
                 struct err *err)
{
    struct db_stmt *s;
    int64_t ids[512];
    size_t n = 0;
    int rc = points_may(a, PERM_POINTS_REVIEW, village, 0, POINTS_OBJ_VILLAGE, err);

    *count = 0;
    if (rc < 0)
        return rc;
    rc = db_prepare(c,
                    "SELECT id FROM point_claims WHERE village_code = ? AND state = 'approved'"
                    " ORDER BY id LIMIT 512",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, village, (size_t)-1);
    while ((rc = db_step(s, err)) == 1)
        ids[n++] = db_col_i64(s, 0);
    db_reset(s);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct point_claim k;

        rc = claim_load(c, ids[i], &k, err);
        k.publicity_ends_at = clock_now_ms() + publicity_ms;
        if (rc == 0)
            rc = move(c, a, &k, k.version, "publicised", "", err);
        *count += rc == 0;
    }
    return rc < 0 ? rc : 0;
}

static bool
villager_of(const struct principal *who, const char *village)
{
    for (int i = 0; i < who->nroles; i++)
        if (who->roles[i].role == ROLE_VILLAGER && strcmp(who->roles[i].scope, village) == 0)
            return true;
    return false;
}

int
points_claim_object(struct db_conn *c, const struct actor *a, int64_t claim_id, const char *reason,
                    struct point_claim *out, struct err *err)
{
    /* Any household of the village may object (the board is public to it),
     * and the supervision committee; not only the claimant. */
    int rc = claim_load(c, claim_id, out, err);

    if (rc == 0 && a->who && !auth_object_may(a->who, PERM_POINTS_OBJECT, out->village_code, 0) &&
        !villager_of(a->who, out->village_code))
        rc = points_may(a, PERM_POINTS_OBJECT, out->village_code, out->household_id,
                        POINTS_OBJ_CLAIM, err);
    if (rc == 0 && strcmp(out->state, "publicised") != 0)
        rc = err_set(err, ERR_CONFLICT, "state", "只能在公示期内提出异议",
                     "objections are possible during publicity only");
    if (rc == 0 && out->publicity_ends_at <= clock_now_ms())
        rc = err_set(err, ERR_CONFLICT, "state", "公示期已过", "the publicity period is over");
    if (rc == 0 && (!reason || strlen(reason) < 2))
        rc = err_set(err, ERR_INVALID, "reason", "请写明异议理由", "give the objection's reason");
    return rc < 0 ? rc : move(c, a, out, out->version, "objected", reason, err);
}

/* The claim's entry (and a veto's cancelling entry), then final. */
static int
make_final(struct db_conn *c, const struct actor *a, struct point_claim *k, int64_t version,
           const char *note, struct err *err)
{
    struct point_item it;
    struct point_entry e = { .household_id = k->household_id,
                             .cycle_id = k->cycle_id,
                             .item_id = k->item_id,
                             .claim_id = k->id,
                             .delta = k->points };
    int rc = points_item_get(c, k->item_id, &it, err);

    snprintf(e.village_code, sizeof(e.village_code), "%s", k->village_code);
    snprintf(e.reason, sizeof(e.reason), "%s", it.name);
    if (rc == 0)
        rc = points_entry_add(c, &e, err);
    if (rc == 0 && it.veto)
        rc = points_veto(c, k, &it, err);
    k->entry_id = e.id;
    return rc < 0 ? rc : move(c, a, k, version, "final", note, err);
}

int
points_claim_rereview(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                      bool uphold, const char *note, struct point_claim *out, struct err *err)
{
    int rc = claim_for(c, a, claim_id, PERM_POINTS_REVIEW, "objected", out, err);

    if (rc == 0)
        rc = points_not_own(c, a, out->household_id, err);
    if (rc == 0 && (!note || !note[0]))
        rc = err_set(err, ERR_INVALID, "note", "复核需写明结论", "a re-review needs its finding");
    if (rc < 0)
        return rc;
    return uphold ? make_final(c, a, out, version, note, err)
                  : move(c, a, out, version, "rejected", note, err);
}

int
points_finalise_due(struct db_conn *c, int64_t now_ms, int64_t *count, struct err *err)
{
    const struct actor system = { 0 };
    struct db_stmt *s;
    int64_t ids[512];
    size_t n = 0;
    int rc = db_prepare(c,
                        "SELECT id FROM point_claims WHERE state = 'publicised'"
                        " AND publicity_ends_at <= ? ORDER BY id LIMIT 512",
                        &s, err);

    *count = 0;
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, now_ms);
    while ((rc = db_step(s, err)) == 1)
        ids[n++] = db_col_i64(s, 0);
    db_reset(s);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct point_claim k;

        rc = claim_load(c, ids[i], &k, err);
        if (rc == 0)
            rc = make_final(c, &system, &k, k.version, "公示期满", err);
        *count += rc == 0;
    }
    return rc < 0 ? rc : 0;
}

int
points_finalise_job(struct db_conn *c, void *arg, struct err *err)
{
    char iso[32], today[11];
    int64_t count, now = clock_now_ms();
    int rc = points_finalise_due(c, now, &count, err);

    (void)arg;
    clock_iso8601(now + 8 * 3600000LL, iso, sizeof(iso)); /* the day in China */
    snprintf(today, sizeof(today), "%.10s", iso);
    return rc < 0 ? rc : points_cycles_roll(c, today, &count, err);
}

static void
read_event(struct db_stmt *s, void *row)
{
    struct claim_event *e = row;

    memset(e, 0, sizeof(*e));
    db_col_copy(s, 0, e->from, sizeof(e->from));
    db_col_copy(s, 1, e->to, sizeof(e->to));
    db_col_copy(s, 2, e->by, sizeof(e->by));
    db_col_copy(s, 3, e->note, sizeof(e->note));
    e->at = db_col_i64(s, 4);
}

int
points_claim_events(struct db_conn *c, const struct actor *a, int64_t claim_id,
                    struct claim_event **out, size_t *n, struct err *err)
{
    struct point_claim k;
    int rc = points_claim_get(c, a, claim_id, &k, err);

    *out = NULL, *n = 0;
    if (rc == 0)
        rc = points_rows(c,
                         "SELECT e.from_state, e.to_state, COALESCE(u.display_name, ''), e.note,"
                         " e.at FROM point_claim_events e LEFT JOIN users u ON u.id = e.user_id"
                         " WHERE e.claim_id = ? ORDER BY e.id",
                         NULL, claim_id, read_event, sizeof(**out), (void **)out, n, err);
    if (rc < 0) {
        free(*out);
        *out = NULL, *n = 0;
    }
    return rc;
}
