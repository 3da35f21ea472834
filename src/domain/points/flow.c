/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/flow.c -- a claim's way from submitted to final (DOMAIN.md
 * §2) as a workflow table (domain/workflow/workflow.h): its states, every step
 * with who may take it and what it needs, the time limits on its states, and
 * points' own rules for two steps: an objection only within the publicity
 * window; a claim becoming final writes its ledger entry (and a veto's). */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/points/points_int.h"
#include "domain/workflow/workflow.h"

#define DAY_MS (86400000LL)
#define R(role) AUTH_ROLE(role)
#define CADRES (R(ROLE_VILLAGE_CADRE) | R(ROLE_TOWNSHIP_STAFF))

static const struct wf_state states[] = {
    { "submitted", "已申报", "submitted", false }, { "reviewed", "已评议", "reviewed", false },
    { "approved", "已审批", "approved", false },   { "publicised", "公示中", "publicised", false },
    { "objected", "有异议", "objected", false },   { "final", "已生效", "final", true },
    { "rejected", "未通过", "rejected", true },
};

#define SCORE (WF_VERSIONED | WF_NOT_OWN)
#define NO_REASON                                                                                  \
    {                                                                                              \
        "note", 1, "不通过时需写明理由", "a rejection needs a reason"                              \
    }
#define FINDING                                                                                    \
    {                                                                                              \
        "note", 1, "复核需写明结论", "a re-review needs its finding"                               \
    }
#define OBJECTION                                                                                  \
    {                                                                                              \
        "reason", 2, "请写明异议理由", "give the objection's reason"                               \
    }

static const struct wf_transition transitions[] = {
    { "submitted",
      "review",
      "accept",
      true,
      "reviewed",
      PERM_POINTS_REVIEW,
      SCORE,
      { 0 },
      "评议",
      "review",
      0,
      NULL,
      NULL },
    { "submitted", "review", "accept", false, "rejected", PERM_POINTS_REVIEW, SCORE | WF_REASON,
      NO_REASON, "评议", "review", 0, NULL, NULL },
    { "reviewed",
      "approve",
      "accept",
      true,
      "approved",
      PERM_POINTS_REVIEW,
      SCORE,
      { 0 },
      "审批",
      "approve",
      0,
      NULL,
      NULL },
    { "reviewed", "approve", "accept", false, "rejected", PERM_POINTS_REVIEW, SCORE | WF_REASON,
      NO_REASON, "审批", "approve", 0, NULL, NULL },
    { "approved",
      "publicise",
      NULL,
      false,
      "publicised",
      PERM_POINTS_REVIEW,
      0,
      { 0 },
      "公示",
      "post on the board",
      0,
      NULL,
      NULL },
    { "publicised", "object", NULL, false, "objected", PERM_POINTS_OBJECT,
      WF_VILLAGE_WIDE | WF_REASON, OBJECTION, "提出异议", "object", CADRES | R(ROLE_SUPERVISOR),
      "积分申报有人提出异议，请复核", "an objection to a points claim awaits re-review" },
    { "publicised",
      "expire",
      NULL,
      false,
      "final",
      NULL,
      0,
      { 0 },
      "公示期满",
      "the publicity period ends",
      0,
      NULL,
      NULL },
    { "objected", "rereview", "uphold", true, "final", PERM_POINTS_REVIEW, SCORE | WF_REASON,
      FINDING, "复核", "re-review", 0, NULL, NULL },
    { "objected", "rereview", "uphold", false, "rejected", PERM_POINTS_REVIEW, SCORE | WF_REASON,
      FINDING, "复核", "re-review", 0, NULL, NULL },
};

/* The publicity and objection window (DOMAIN.md §11: 7 days), set once at
 * start before any thread reads it. */
static int64_t publicity_ms = (int64_t)POINTS_PUBLICITY_DAYS * DAY_MS;

void
points_set_publicity(int64_t seconds)
{
    publicity_ms = seconds * 1000;
}

static int64_t
publicity(void)
{
    return publicity_ms;
}

static const struct wf_deadline deadlines[] = {
    { "submitted", 7 * DAY_MS, NULL, 5 * DAY_MS, NULL, CADRES, "积分申报待评议",
      "a points claim waits for review" },
    { "reviewed", 7 * DAY_MS, NULL, 5 * DAY_MS, NULL, CADRES, "积分申报待审批",
      "a points claim waits for approval" },
    { "publicised", 0, publicity, 0, "expire", 0, "公示期满，积分生效",
      "the publicity period is over: the points are final" },
    { "objected", 7 * DAY_MS, NULL, 5 * DAY_MS, NULL, CADRES | R(ROLE_SUPERVISOR), "积分异议待复核",
      "an objection waits for re-review" },
};

/* An objection only while the board is up (the state alone says it is posted). */
static int
check(struct db_conn *c, const struct actor *a, const struct wf_step *st, struct err *err)
{
    struct point_claim k;
    int rc;

    (void)a;
    if (strcmp(st->t->verb, "object") != 0)
        return 0;
    rc = points_claim_load(c, st->rec.id, &k, err);
    if (rc == 0 && k.publicity_ends_at <= clock_now_ms())
        rc = err_set(err, ERR_CONFLICT, "state", "公示期已过", "the publicity period is over");
    return rc;
}

/* Posted: the window shown on the board. Final: the ledger entry. */
static int
apply(struct db_conn *c, const struct actor *a, const struct wf_step *st, struct err *err)
{
    (void)a;
    if (strcmp(st->t->to, "publicised") == 0)
        return db_run(c, err, "UPDATE point_claims SET publicity_ends_at = ? WHERE id = ?", "ii",
                      st->due_at, st->rec.id) < 0
                   ? -err->code
                   : 0;
    if (strcmp(st->t->to, "final") == 0)
        return points_claim_entry(c, st->rec.id, err);
    return 0;
}

const struct workflow points_claims_flow = {
    .module = "points",
    .thing = "claims",
    .audit = "points.claim",
    .title_zh = "积分申报",
    .title_en = "points claim",
    .table = "point_claims",
    .household = "household_id",
    .read_perm = PERM_POINTS_READ,
    .initial = "submitted",
    .states = states,
    .nstates = ARRAY_LEN(states),
    .transitions = transitions,
    .ntransitions = ARRAY_LEN(transitions),
    .deadlines = deadlines,
    .ndeadlines = ARRAY_LEN(deadlines),
    .check = check,
    .apply = apply,
};
