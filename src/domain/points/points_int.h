/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/points_int.h -- shared inside the points module. */
#ifndef DOMAIN_POINTS_INT_H
#define DOMAIN_POINTS_INT_H

#include "domain/auth/auth.h"
#include "domain/module.h"
#include "domain/points/points.h"
#include "core/sbuf.h"
#include "store/db.h"

struct template_category {
    const char *code, *name;
};

struct template_item {
    const char *category, *code, *name;
    int points, cap;
    bool evidence, veto;
};

extern const struct template_category points_template_categories[];
extern const size_t points_template_ncategories;
extern const struct template_item points_template_items[];
extern const size_t points_template_nitems;

/* What points looks up, as a not-found answer names it. A row that is missing
 * and one out of the caller's scope get the same answer, word for word, so
 * that nobody learns what exists in other villages (issue #12): each lookup
 * and each scope check names the object it guards with one of these. */
enum points_object {
    POINTS_OBJ_VILLAGE,
    POINTS_OBJ_REGION,
    POINTS_OBJ_HOUSEHOLD,
    POINTS_OBJ_CLAIM,
    POINTS_OBJ_CYCLE,
    POINTS_OBJ_ENTRY,
    POINTS_OBJ_OUTLET,
    POINTS_OBJ_GOODS,
    POINTS_OBJ_SCHEME,
    POINTS_OBJ_ITEM,
    POINTS_OBJ_REDEMPTION,
    POINTS_OBJ_STATEMENT,
    POINTS_OBJ__COUNT
};

/* Read the one row 'sql' finds into 'out' with 'read'; its one parameter is
 * 'text', or 'id' when text is NULL. ERR_NOT_FOUND names 'what' when there is
 * no row. */
typedef db_read_fn points_read_fn;
int points_one(struct db_conn *c, const char *sql, const char *text, int64_t id,
               points_read_fn read, void *out, enum points_object what, struct err *err);
/* Every row 'sql' finds (its one parameter as for points_one), each read with
 * 'read' into a new item of 'rows' (added to what it holds). */
int points_rows(struct db_conn *c, const char *sql, const char *text, int64_t id,
                points_read_fn read, struct db_rows *rows, struct err *err);
/* Not found (or out of scope: the same words), naming 'what'. */
int points_not_found(struct err *err, enum points_object what);
/* May 'a' use 'perm' on 'what' in the village (and household, 0 for none)?
 * ERR_FORBIDDEN when it sees the object but may not act on it, ERR_NOT_FOUND
 * naming 'what' when it sees nothing. */
int points_may(const struct actor *a, const char *perm, const char *village, int64_t household,
               enum points_object what, struct err *err);
/* ERR_CONFLICT when the actor belongs to 'household' (own account or a
 * villager role): the scorer may never be the beneficiary. */
int points_not_own(struct db_conn *c, const struct actor *a, int64_t household, struct err *err);
/* Audit one points action (in the same transaction). */
int points_audit(struct db_conn *c, const struct actor *a, const char *action, int64_t id,
                 const char *village, const char *note, struct err *err);

/* 0 when 'village' is a village, else ERR_NOT_FOUND. */
int points_village_exists(struct db_conn *c, const char *village, struct err *err);
/* The household's village and name (its head's, else its number). */
int points_household_name(struct db_conn *c, int64_t household_id, char village[13], char *name,
                          size_t size, struct err *err);
/* The household's balance, unchecked (0 before its first entry). */
int points_balance_raw(struct db_conn *c, int64_t household_id, int64_t *balance, struct err *err);

/* A claim row of columns id, household_id, village_code, cycle_id, item_id,
 * points, source, state, note, evidence, created_by, publicity_ends_at,
 * entry_id, version, created_at, updated_at (claim.c). */
void points_read_claim(struct db_stmt *s, void *row);

/* Every bank statement against its leaf (statement.c): 0, 1 with 'problem'. */
/* The dashboard's figures (report.c): households with points in the
 * year (an entry of a claim or a correction), points awarded, points redeemed, claims of the year
 * not yet final. */
int points_tile_households(struct db_conn *c, const struct tile_scope *q, int64_t *out,
                           struct err *err);
int points_tile_awarded(struct db_conn *c, const struct tile_scope *q, int64_t *out,
                        struct err *err);
int points_tile_redeemed(struct db_conn *c, const struct tile_scope *q, int64_t *out,
                         struct err *err);
int points_tile_open_claims(struct db_conn *c, const struct tile_scope *q, int64_t *out,
                            struct err *err);

/* Every redemption against its leaf (redeem.c): 0, 1 with 'problem'. */
int points_check_redemptions(struct db_conn *c, int64_t *count, char *problem, size_t psize,
                             struct err *err);
int points_check_statements(struct db_conn *c, int64_t *count, char *problem, size_t psize,
                            struct err *err);

/* The ledger (ledger.c): one entry, its balance and its log leaf -- the
 * entry's own record ("points.final"). */
int points_entry_add(struct db_conn *c, struct point_entry *e, struct err *err);
/* The same in two steps, for an entry another record commits to (a
 * redemption's): the entry and its balance, with e->id and the log index its
 * leaf must take (e->tlog_index); then that leaf, made by the caller. */
int points_entry_insert(struct db_conn *c, struct point_entry *e, struct err *err);
int points_entry_seal(struct db_conn *c, const struct point_entry *e, const char *kind,
                      const char *ref, const struct sbuf *record, struct err *err);
/* A veto item became final for claim 'k': cancel the household's net gain of
 * the cycle so far (an entry of its negative), if any. */
int points_veto(struct db_conn *c, const struct point_claim *k, const struct point_item *it,
                struct err *err);

/* The claim became final: its ledger entry (and a veto's), its entry_id. A job. */
int points_claim_entry(struct db_conn *c, int64_t claim_id, struct err *err);

#endif
