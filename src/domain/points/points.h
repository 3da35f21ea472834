/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/points.h -- points (积分制, DOMAIN.md §2): schemes of
 * categories and items (a county template villages adopt by a villagers'
 * meeting decision), cycles, claims and their review, and the ledger.
 *
 * A claim moves  submitted -> reviewed -> approved -> publicised -> final,
 * or to rejected from submitted or reviewed; during publicity a villager may
 * object (publicised -> objected), and a re-review either upholds the claim
 * (objected -> final) or rejects it. Publicity lasts POINTS_PUBLICITY_DAYS (or
 * what points_set_publicity says) and
 * ends by points_finalise_due (the scheduler). Whoever reviews, approves or
 * re-reviews -- and a cadre entering a claim -- may never be of the claimed
 * household (ERR_CONFLICT). A forbidden transition is ERR_CONFLICT naming the
 * state the claim is in.
 *
 * The ledger is append-only: a claim becoming final writes one entry, a veto
 * item also an entry cancelling the cycle's gains so far, a correction a
 * reversal; each entry updates the household's balance and appends a leaf
 * (kind points.final) to the verifiable log in the same transaction. The leaf
 * commits to the entry's JSON record: {"id","household_id","village_code",
 * "cycle_id","item_id","claim_id","delta","reason","reversal_of","created_at"}.
 * Functions documented as jobs run inside the writer's transaction. */
#ifndef DOMAIN_POINTS_POINTS_H
#define DOMAIN_POINTS_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/auth/actor.h"
#include "domain/workflow/workflow.h"

struct db_conn;
struct domain_module;

#define POINTS_PUBLICITY_DAYS 7
#define POINTS_TEMPLATE_ITEMS 45

/* The module's permissions (module.c says which roles hold them). */
#define PERM_POINTS_READ "points.read"     /* points: schemes, claims, ledger, balances */
#define PERM_POINTS_CLAIM "points.claim"   /* declare or enter a claim */
#define PERM_POINTS_REVIEW "points.review" /* review, approve, re-review, correct */
#define PERM_POINTS_OBJECT "points.object" /* object to a claim during publicity */
#define PERM_POINTS_MANAGE "points.manage" /* adopt a scheme, open and close cycles */
#define PERM_POINTS_REDEEM "points.redeem" /* take a redemption at one's outlet */
#define PERM_POINTS_OUTLET "points.outlet" /* outlets, goods and stock */

/* The module as the platform sees it (module.c), and a claim's workflow
 * (flow.c: its states, steps and time limits). */
extern const struct domain_module points_module;
extern const struct workflow points_claims_flow;

struct point_scheme {
    int64_t id;
    char region_code[13];
    char name[200];
    int64_t version;
    int64_t template_id; /* 0 for a template */
    char cycle[8];       /* month, quarter, year */
    int64_t point_fen;
    char decision[800];
    char adopted_on[11];
    char status[10]; /* template, active, retired */
};

struct point_item {
    int64_t id;
    int64_t scheme_id;
    char category_code[16];
    char category_name[64];
    char code[16];
    char name[200];
    int64_t points;
    int64_t cycle_cap;
    bool evidence_required;
    bool veto;
};

struct point_cycle {
    int64_t id;
    char village_code[13];
    int64_t scheme_id;
    char starts_on[11];
    char ends_on[11];
    char status[8];
};

struct point_claim {
    int64_t id;
    int64_t household_id;
    char village_code[13];
    int64_t cycle_id;
    int64_t item_id;
    int64_t points;
    char source[8];
    char state[12];
    char note[800];
    char evidence[65];
    int64_t created_by;
    int64_t publicity_ends_at;
    int64_t entry_id;
    int64_t version;
    int64_t created_at;
    int64_t updated_at;
};

struct point_entry {
    int64_t id;
    int64_t household_id;
    char village_code[13];
    int64_t cycle_id, item_id, claim_id, reversal_of;
    int64_t redemption_id; /* a redemption's entry: its leaf is the redemption's (shop.h) */
    int64_t delta;
    char reason[400];
    int64_t tlog_index;
    int64_t created_at;
};

/* --- schemes (scheme.c) --- */

/* The county template of 济源's 道德积分储蓄站 (6 categories, 45 items) for
 * 'county_code', made once; *out its scheme. A job. */
int points_template_ensure(struct db_conn *c, const char *county_code, struct point_scheme *out,
                           struct err *err);
/* Adopt template 'template_id' for 'village' as a new version of the village's
 * scheme (the previous one retired), recording the meeting's 'decision' and
 * date 'adopted_on' (YYYY-MM-DD). Needs points.manage there. A job. */
int points_scheme_adopt(struct db_conn *c, const struct actor *a, int64_t template_id,
                        const char *village, const char *decision, const char *adopted_on,
                        struct point_scheme *out, struct err *err);
/* The village's active scheme (ERR_NOT_FOUND when it has adopted none). */
int points_scheme_active(struct db_conn *c, const char *village, struct point_scheme *out,
                         struct err *err);
/* Any scheme by id, unchecked. */
int points_scheme_by_id(struct db_conn *c, int64_t id, struct point_scheme *out, struct err *err);
/* The county templates 'a' may see (a scope inside their county). *out malloc'd. */
int points_templates(struct db_conn *c, const struct actor *a, struct point_scheme **out, size_t *n,
                     struct err *err);
/* Scheme 'id' if 'a' may read it (a template of their county, a village's of
 * a village they see). */
int points_scheme_get(struct db_conn *c, const struct actor *a, int64_t id,
                      struct point_scheme *out, struct err *err);
/* A new item of template 'scheme_id' in category 'category' (its code, e.g.
 * "mei"); needs points.manage over the template's county. A village changes
 * its items by adopting the edited template anew (a new version). A job. */
int points_item_add(struct db_conn *c, const struct actor *a, int64_t scheme_id,
                    const char *category, const struct point_item *in, struct point_item *out,
                    struct err *err);
/* Change item 'id' of a template: 'in' carries the new name (or ""), points (0
 * keeps), cycle_cap (-1 keeps); 'evidence', 'veto' -1 keep. A job. */
int points_item_update(struct db_conn *c, const struct actor *a, int64_t id,
                       const struct point_item *in, int evidence, int veto, struct point_item *out,
                       struct err *err);
/* The items of scheme 'scheme_id', by category; *out malloc'd. */
int points_items(struct db_conn *c, int64_t scheme_id, struct point_item **out, size_t *n,
                 struct err *err);
int points_item_get(struct db_conn *c, int64_t id, struct point_item *out, struct err *err);
/* Item 'code' of scheme 'scheme_id' (ERR_NOT_FOUND naming an item when none). */
int points_item_by_code(struct db_conn *c, int64_t scheme_id, const char *code,
                        struct point_item *out, struct err *err);

/* --- cycles (cycle.c) --- */

/* Open the village's cycle holding day 'day' (YYYY-MM-DD; its quarter, month or
 * year by the scheme), or open again that cycle if it was closed;
 * ERR_DUPLICATE if the village has an open cycle. Needs points.manage. A job. */
int points_cycle_open(struct db_conn *c, const struct actor *a, const char *village,
                      const char *day, struct point_cycle *out, struct err *err);
/* Close it: no new claims; claims in flight may still become final. A job. */
int points_cycle_close(struct db_conn *c, const struct actor *a, int64_t cycle_id, struct err *err);
/* The village's open cycle (ERR_NOT_FOUND when none). */
int points_cycle_current(struct db_conn *c, const char *village, struct point_cycle *out,
                         struct err *err);

int points_cycle_get(struct db_conn *c, int64_t id, struct point_cycle *out, struct err *err);
/* The village's newest cycle, open or closed (ERR_NOT_FOUND when none). */
int points_cycle_latest(struct db_conn *c, const char *village, struct point_cycle *out,
                        struct err *err);
/* Cycles on schedule: every open cycle that ended before 'today' (YYYY-MM-DD,
 * China) is closed and the village's cycle holding today opened; *count how
 * many rolled. A job (the scheduler's, as the system). */
int points_cycles_roll(struct db_conn *c, const char *today, int64_t *count, struct err *err);

/* --- claims (claim.c) --- */

/* A new claim on item 'item_id' for 'household_id' in the village's open cycle:
 * by the household itself (a villager: source self), by a cadre (source
 * cadre; never for the cadre's own household), or by another module of the
 * platform -- a volunteer sign-in, a customs-reform report -- acting as the
 * system (an actor without 'who': source module). Evidence ('evidence', an
 * attachment's SHA-256 or NULL) is required where the item says so; the
 * item's per-cycle cap counts claims not rejected. A job. */
int points_claim_submit(struct db_conn *c, const struct actor *a, int64_t household_id,
                        int64_t item_id, const char *note, const char *evidence,
                        struct point_claim *out, struct err *err);
/* The review group's view: 'accept' moves submitted -> reviewed, else rejected. */
int points_claim_review(struct db_conn *c, const struct actor *a, int64_t claim_id, int64_t version,
                        bool accept, const char *note, struct point_claim *out, struct err *err);
/* The village committee's approval: reviewed -> approved, else rejected. */
int points_claim_approve(struct db_conn *c, const struct actor *a, int64_t claim_id,
                         int64_t version, bool accept, const char *note, struct point_claim *out,
                         struct err *err);
/* The publicity window in seconds (POINTS_PUBLICITY_DAYS unless set, e.g. for
 * a trial or a test); call once at start, before any claim is posted. */
void points_set_publicity(int64_t seconds);
/* The demo county's year of points (demo.c): templates adopted, four
 * quarters of claims in every state, outlets and redemptions. */
int points_demo(struct db_conn *c, char (*villages)[13], size_t nvillages, const char *county,
                struct err *err);
/* Post every approved claim of the village to the board: approved ->
 * publicised until the publicity window has passed; *count how many. A job. */
int points_publicise(struct db_conn *c, const struct actor *a, const char *village, int64_t *count,
                     struct err *err);
/* A villager's objection during publicity: publicised -> objected. */
int points_claim_object(struct db_conn *c, const struct actor *a, int64_t claim_id,
                        const char *reason, struct point_claim *out, struct err *err);
/* Re-review of an objection: 'uphold' makes it final (with its entry), else rejected. */
int points_claim_rereview(struct db_conn *c, const struct actor *a, int64_t claim_id,
                          int64_t version, bool uphold, const char *note, struct point_claim *out,
                          struct err *err);
/* Time limits due by 'now_ms' (the workflow engine's, wf_deadlines_run):
 * publicity windows that ended make their claims final; *count how many. A job
 * (the scheduler's, as the system). */
int points_finalise_due(struct db_conn *c, int64_t now_ms, int64_t *count, struct err *err);
/* The cycles rolled on schedule (points_cycles_roll) today, as a writer job
 * for the scheduler (arg unused). */
int points_cycles_job(struct db_conn *c, void *arg, struct err *err);
int points_claim_get(struct db_conn *c, const struct actor *a, int64_t claim_id,
                     struct point_claim *out, struct err *err);
/* The claim 'id', unchecked: for after a step the engine checked. */
int points_claim_load(struct db_conn *c, int64_t id, void *out, struct err *err);

/* The claim's history, oldest first (readable where the claim is): who moved
 * it where, and why (an objection's reason, a reviewer's note); *out malloc'd. */
int points_claim_events(struct db_conn *c, const struct actor *a, int64_t claim_id,
                        struct wf_event **out, size_t *n, struct err *err);

/* --- ledger (ledger.c) --- */

/* Reverse entry 'entry_id' (a correction; needs points.review). A job. */
int points_reverse(struct db_conn *c, const struct actor *a, int64_t entry_id, const char *reason,
                   struct point_entry *out, struct err *err);
/* The household's balance (0 before its first entry). */
int points_balance(struct db_conn *c, const struct actor *a, int64_t household_id, int64_t *balance,
                   struct err *err);
/* The household's newest 'limit' entries (newest first) and its balance;
 * *out malloc'd. Needs points.read on the household. */
int points_entries_of(struct db_conn *c, const struct actor *a, int64_t household_id, int limit,
                      struct point_entry **out, size_t *n, int64_t *balance, struct err *err);
/* May 'a' read the village's scheme, cycle and board? (Villagers of the village
 * may, the board being public to it.) 0, or ERR_NOT_FOUND. */
int points_village_readable(const struct actor *a, const char *village, struct err *err);
/* Every balance recomputed from the entries: 0 when all agree, 1 with
 * 'problem' set, -ERR_* if it could not check (`xiangzhi verify --points`). */
int points_check_ledger(struct db_conn *c, int64_t *entries, char *problem, size_t psize,
                        struct err *err);

#endif
