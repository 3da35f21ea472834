/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/claim.c -- claims: their submission (its rules: the open
 * cycle, the village's items, caps, evidence, nobody claiming for their own
 * household), and each step through review, approval, publicity, objections
 * and re-review, taken by the workflow engine on the table in flow.c; a claim
 * becoming final writes its ledger entry. The SQL of point_claims. */
#include "core/compat.h"

#include <stdlib.h>

#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "domain/workflow/workflow.h"
#include "store/db.h"

#define CLAIM_COLUMNS                                                                              \
    "SELECT id, household_id, village_code, cycle_id, item_id, points, source, state, note,"       \
    " COALESCE(evidence, ''), COALESCE(created_by, 0), COALESCE(publicity_ends_at, 0),"            \
    " COALESCE(entry_id, 0), version, created_at, updated_at FROM point_claims "

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

int
points_claim_load(struct db_conn *c, int64_t id, void *out, struct err *err)
{
    return points_one(c, CLAIM_COLUMNS "WHERE id = ?", NULL, id, points_read_claim, out,
                      POINTS_OBJ_CLAIM, err);
}

int
points_claim_get(struct db_conn *c, const struct actor *a, int64_t claim_id,
                 struct point_claim *out, struct err *err)
{
    int rc = points_claim_load(c, claim_id, out, err);

    if (rc == 0 && a->who &&
        !auth_object_may(a->who, PERM_POINTS_READ, out->village_code, out->household_id))
        return points_not_found(err, POINTS_OBJ_CLAIM);
    return rc;
}

/* Step 'verb' on the claim (flow.c's table) and the claim as it is after. */
static int
step(struct db_conn *c, const struct actor *a, int64_t id, const char *verb,
     const struct wf_input *in, struct point_claim *out, struct err *err)
{
    int rc = wf_apply(c, a, &points_claims_flow, id, verb, in, NULL, err);

    return rc < 0 ? rc : points_claim_load(c, id, out, err);
}

/* --- submit --- */

static bool
is_self(const struct actor *a, int64_t household)
{
    return household && auth_villager(a->who, NULL, household);
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
                       " points, source, state, note, evidence, created_by, created_at, updated_at,"
                       " state_at) VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?)"
                       " RETURNING id",
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
        db_bind_i64(s, 12, now);
        rc = db_step(s, err);
        if (rc == 1)
            id = db_col_i64(s, 0);
        db_reset(s);
        rc = rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
    }
    if (rc == 0) {
        struct wf_record rec = { .id = id, .household_id = household_id };

        snprintf(rec.region, sizeof(rec.region), "%s", village);
        rc = wf_created(c, a, &points_claims_flow, &rec, note, err);
    }
    if (rc == 0)
        rc = points_audit(c, a, "points.claim.submitted", id, village, it.name, err);
    return rc < 0 ? rc : points_claim_load(c, id, out, err);
}

/* --- the steps (flow.c) --- */

int
points_claim_review(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                    bool accept, const char *note, struct point_claim *out, struct err *err)
{
    return step(c, a, claim_id, "review",
                &(struct wf_input){ .version = version, .choice = accept, .note = note }, out, err);
}

int
points_claim_approve(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                     bool accept, const char *note, struct point_claim *out, struct err *err)
{
    return step(c, a, claim_id, "approve",
                &(struct wf_input){ .version = version, .choice = accept, .note = note }, out, err);
}

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
        rc = wf_apply(c, a, &points_claims_flow, ids[i], "publicise", &(struct wf_input){ 0 }, NULL,
                      err);
        *count += rc == 0;
    }
    return rc < 0 ? rc : 0;
}

int
points_claim_object(struct db_conn *c, const struct actor *a, int64_t claim_id, const char *reason,
                    struct point_claim *out, struct err *err)
{
    /* Any household of the village may object (the board is public to it),
     * and the supervision committee; not only the claimant (WF_VILLAGE_WIDE). */
    return step(c, a, claim_id, "object", &(struct wf_input){ .note = reason }, out, err);
}

/* The claim's entry (and a veto's cancelling entry): the claim became final. */
int
points_claim_entry(struct db_conn *c, int64_t claim_id, struct err *err)
{
    struct point_claim k;
    struct point_item it;
    struct point_entry e = { 0 };
    int rc = points_claim_load(c, claim_id, &k, err);

    if (rc == 0)
        rc = points_item_get(c, k.item_id, &it, err);
    if (rc < 0)
        return rc;
    e = (struct point_entry){ .household_id = k.household_id,
                              .cycle_id = k.cycle_id,
                              .item_id = k.item_id,
                              .claim_id = k.id,
                              .delta = k.points };
    snprintf(e.village_code, sizeof(e.village_code), "%s", k.village_code);
    snprintf(e.reason, sizeof(e.reason), "%s", it.name);
    rc = points_entry_add(c, &e, err);
    if (rc == 0 && it.veto)
        rc = points_veto(c, &k, &it, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE point_claims SET entry_id = ? WHERE id = ?", "ii", e.id, k.id) <
                     0
                 ? -err->code
                 : 0;
    return rc;
}

int
points_claim_rereview(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                      bool uphold, const char *note, struct point_claim *out, struct err *err)
{
    return step(c, a, claim_id, "rereview",
                &(struct wf_input){ .version = version, .choice = uphold, .note = note }, out, err);
}

int
points_finalise_due(struct db_conn *c, int64_t now_ms, int64_t *count, struct err *err)
{
    return wf_deadlines_run(c, now_ms, count, err);
}

int
points_cycles_job(struct db_conn *c, void *arg, struct err *err)
{
    char iso[32], today[11];
    int64_t count;

    (void)arg;
    clock_iso8601(clock_now_ms() + 8 * 3600000LL, iso, sizeof(iso)); /* the day in China */
    snprintf(today, sizeof(today), "%.10s", iso);
    return points_cycles_roll(c, today, &count, err);
}

int
points_claim_events(struct db_conn *c, const struct actor *a, int64_t claim_id,
                    struct wf_event **out, size_t *n, struct err *err)
{
    struct point_claim k;
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    int rc = points_claim_get(c, a, claim_id, &k, err);

    if (rc == 0)
        rc = wf_history(c, &points_claims_flow, claim_id, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}
