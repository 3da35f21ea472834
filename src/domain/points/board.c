/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/board.c -- lists for people (board.h): a village's claims,
 * the publicity board of a cycle with its red and black lists, and the annual
 * honours, all read from the claims and the ledger. */
#include "core/compat.h"

#include "core/clock.h"

#include <stdlib.h>
#include <time.h>

#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/board.h"
#include "domain/points/points_int.h"
#include "domain/region/region.h"
#include "store/db.h"

/* --- claims --- */

#define CLAIM_ROW_SQL                                                                              \
    "SELECT k.id, k.household_id, k.village_code, k.cycle_id, k.item_id, k.points, k.source,"      \
    " k.state, k.note, COALESCE(k.evidence, ''), COALESCE(k.created_by, 0),"                       \
    " COALESCE(k.publicity_ends_at, 0), COALESCE(k.entry_id, 0), k.version, k.created_at,"         \
    " k.updated_at, i.name, COALESCE((SELECT p.name FROM households h JOIN persons p"              \
    " ON p.id = h.head_person_id WHERE h.id = k.household_id), ''), i.code,"                       \
    " (SELECT h.household_no FROM households h WHERE h.id = k.household_id)"                       \
    " FROM point_claims k JOIN point_items i ON i.id = k.item_id"                                  \
    " WHERE k.village_code = ? AND (? = '' OR k.state = ?)"                                        \
    " AND (CAST(? AS BIGINT) = 0 OR k.household_id = ?)"                                           \
    " AND (CAST(? AS BIGINT) = 0 OR k.id < ?) ORDER BY k.id DESC LIMIT ?"

static bool
valid_state(const char *state)
{
    static const char *const states[] = { "submitted", "reviewed", "approved", "publicised",
                                          "objected",  "final",    "rejected" };

    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(state, states[i]) == 0)
            return true;
    return false;
}

/* Whose claims 'a' may list in the village: every household's (0), or a
 * villager's own. */
static int
list_scope(const struct actor *a, const char *village, int64_t *household, struct err *err)
{
    if (!a->who || auth_object_may(a->who, PERM_POINTS_READ, village, 0))
        return 0;
    const struct auth_binding *own = auth_villager(a->who, village, 0);

    if (!own)
        return points_not_found(err, POINTS_OBJ_VILLAGE);
    *household = own->household_id;
    return 0;
}

static void
read_claim_row(struct db_stmt *s, void *item)
{
    struct claim_row *r = item;

    points_read_claim(s, &r->claim);
    db_col_copy(s, 16, r->item_name, sizeof(r->item_name));
    db_col_copy(s, 17, r->household_name, sizeof(r->household_name));
    db_col_copy(s, 18, r->item_code, sizeof(r->item_code));
    db_col_copy(s, 19, r->household_no, sizeof(r->household_no));
}

int
points_claims_list(struct db_conn *c, const struct actor *a, const char *village, const char *state,
                   int64_t household, int64_t before, int limit, struct claim_row **out, size_t *n,
                   int64_t *next, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int64_t own = 0;
    int rc = points_village_exists(c, village, err);

    if (rc == 0)
        rc = list_scope(a, village, &own, err);

    *out = NULL, *n = 0, *next = 0;
    if (rc == 0 && state && state[0] && !valid_state(state))
        rc = err_set(err, ERR_INVALID, "state", "没有这种申报状态", "no such claim state");
    if (rc == 0 && own && household && household != own)
        rc = points_not_found(err, POINTS_OBJ_HOUSEHOLD);
    if (rc == 0)
        rc = db_prepare(c, CLAIM_ROW_SQL, &s, err);
    if (rc < 0)
        return rc;
    if (limit < 1 || limit > 200)
        limit = 50;
    household = own ? own : household;
    db_bind_text(s, 1, village, (size_t)-1);
    db_bind_text(s, 2, state ? state : "", (size_t)-1);
    db_bind_text(s, 3, state ? state : "", (size_t)-1);
    db_bind_i64(s, 4, household);
    db_bind_i64(s, 5, household);
    db_bind_i64(s, 6, before);
    db_bind_i64(s, 7, before);
    db_bind_i64(s, 8, limit + 1);
    rc = db_read_rows(s, read_claim_row, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    if (*n > (size_t)limit)
        *next = (*out)[--(*n) - 1].claim.id;
    return rc;
}

/* --- the board --- */

static int
board_cycle(struct db_conn *c, const char *village, int64_t cycle_id, struct point_board *b,
            struct err *err)
{
    int rc;

    if (cycle_id) {
        rc = points_cycle_get(c, cycle_id, &b->cycle, err);
        if (rc == 0 && strcmp(b->cycle.village_code, village) != 0)
            rc = points_not_found(err, POINTS_OBJ_CYCLE);
        b->has_cycle = rc == 0;
        return rc;
    }
    rc = points_cycle_current(c, village, &b->cycle, err);
    if (rc == -ERR_NOT_FOUND) {
        err_clear(err);
        rc = points_cycle_latest(c, village, &b->cycle, err);
    }
    if (rc == -ERR_NOT_FOUND) { /* no cycle yet: an empty board */
        err_clear(err);
        return 0;
    }
    b->has_cycle = rc == 0;
    return rc;
}

static void
read_total(struct db_stmt *s, void *item)
{
    struct board_household *h = item;

    h->household_id = db_col_i64(s, 0);
    db_col_copy(s, 1, h->name, sizeof(h->name));
    h->total = db_col_i64(s, 2);
    h->deducted = db_col_i64(s, 3) < 0;
    db_col_copy(s, 4, h->reason, sizeof(h->reason));
}

/* Final totals of the cycle per household (redemptions are not of a cycle).
 * What was read stays in 'b' on failure too: points_board frees it. */
static int
board_totals(struct db_conn *c, struct point_board *b, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(*b->households));
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT e.household_id, COALESCE((SELECT p.name FROM households h JOIN"
                        " persons p ON p.id = h.head_person_id WHERE h.id = e.household_id), ''),"
                        " SUM(e.delta), MIN(e.delta), MIN(CASE WHEN e.delta < 0 THEN e.reason END)"
                        " FROM point_entries e WHERE e.cycle_id = ? AND e.redemption_id IS NULL"
                        " GROUP BY e.household_id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, b->cycle.id);
    rc = db_read_rows(s, read_total, &rows, err);
    b->households = db_rows_detach(&rows, &b->nhouseholds);
    return rc;
}

static void
read_line(struct db_stmt *s, void *item)
{
    struct board_line *l = item;

    l->household_id = db_col_i64(s, 0);
    db_col_copy(s, 1, l->item_name, sizeof(l->item_name));
    l->points = db_col_i64(s, 2);
    db_col_copy(s, 3, l->state, sizeof(l->state));
}

/* The cycle's claims on the board: publicised, objected or final. What was
 * read stays in 'b' on failure too, as for board_totals. */
static int
board_lines(struct db_conn *c, struct point_board *b, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(*b->lines));
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT k.household_id, i.name, k.points, k.state FROM point_claims k"
                        " JOIN point_items i ON i.id = k.item_id WHERE k.cycle_id = ?"
                        " AND k.state IN ('publicised', 'objected', 'final')"
                        " ORDER BY k.household_id, k.id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, b->cycle.id);
    rc = db_read_rows(s, read_line, &rows, err);
    b->lines = db_rows_detach(&rows, &b->nlines);
    return rc;
}

/* Households with claims on the board but nothing final yet get a row too. */
static int
board_pending(struct db_conn *c, struct point_board *b, struct err *err)
{
    for (size_t i = 0; i < b->nlines; i++) {
        bool found = false;
        char village[13];

        for (size_t j = 0; j < b->nhouseholds && !found; j++)
            found = b->households[j].household_id == b->lines[i].household_id;
        if (found)
            continue;
        b->households = xrealloc(b->households, (b->nhouseholds + 1) * sizeof(*b->households));
        memset(&b->households[b->nhouseholds], 0, sizeof(*b->households));
        b->households[b->nhouseholds].household_id = b->lines[i].household_id;
        if (points_household_name(c, b->lines[i].household_id, village,
                                  b->households[b->nhouseholds].name, sizeof(b->households[0].name),
                                  err) < 0)
            return -err->code;
        b->nhouseholds++;
    }
    return 0;
}

static int
by_total(const void *x, const void *y)
{
    const struct board_household *a = x, *b = y;

    if (a->total != b->total)
        return a->total < b->total ? 1 : -1;
    return a->household_id < b->household_id ? -1 : a->household_id > b->household_id;
}

int
points_board(struct db_conn *c, const char *village, int64_t cycle_id, struct point_board *out,
             struct err *err)
{
    struct region r;
    int rc = region_get(c, village, &r, err);

    memset(out, 0, sizeof(*out));
    snprintf(out->village_code, sizeof(out->village_code), "%s", village);
    if (rc == 0 && r.level != REGION_VILLAGE)
        rc = points_not_found(err, POINTS_OBJ_VILLAGE);
    if (rc == 0) {
        snprintf(out->village_name, sizeof(out->village_name), "%s", r.name);
        rc = board_cycle(c, village, cycle_id, out, err);
    }
    if (rc == 0 && out->has_cycle)
        rc = board_totals(c, out, err);
    if (rc == 0 && out->has_cycle)
        rc = board_lines(c, out, err);
    if (rc == 0)
        rc = board_pending(c, out, err);
    if (rc < 0) {
        points_board_free(out);
        return rc;
    }
    qsort(out->households, out->nhouseholds, sizeof(*out->households), by_total);
    return 0;
}

void
points_board_free(struct point_board *b)
{
    free(b->households);
    free(b->lines);
    b->households = NULL;
    b->lines = NULL;
    b->nhouseholds = b->nlines = 0;
}

/* --- honours --- */

/* The first millisecond of 'year' in China. */
static void
read_honour(struct db_stmt *s, void *item)
{
    struct honour_row *h = item;

    h->household_id = db_col_i64(s, 0);
    db_col_copy(s, 1, h->name, sizeof(h->name));
    h->total = db_col_i64(s, 2);
}

static int
honour_rows(struct db_conn *c, const char *sql, const char *village, int year, int limit,
            struct honour_row **out, size_t *n, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    *out = NULL, *n = 0;
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, village, (size_t)-1);
    db_bind_i64(s, 2, clock_year_start_china(year));
    db_bind_i64(s, 3, clock_year_start_china(year + 1));
    db_bind_i64(s, 4, limit);
    rc = db_read_rows(s, read_honour, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}

int
points_honours(struct db_conn *c, const char *village, int year, struct honour_row **families,
               size_t *nfamilies, struct honour_row **courtyards, size_t *ncourtyards,
               struct err *err)
{
    int rc;

    *families = *courtyards = NULL, *nfamilies = *ncourtyards = 0;
    if (year < 2000 || year > 2100)
        return err_set(err, ERR_INVALID, "year", "年份须在 2000 到 2100 之间",
                       "the year must be 2000 to 2100");
    rc = points_village_exists(c, village, err);
    if (rc == 0)
        rc = honour_rows(c,
                         "SELECT e.household_id, COALESCE((SELECT p.name FROM households h JOIN"
                         " persons p ON p.id = h.head_person_id WHERE h.id = e.household_id), ''),"
                         " SUM(e.delta) FROM point_entries e WHERE e.village_code = ?"
                         " AND e.redemption_id IS NULL AND e.created_at >= ? AND e.created_at < ?"
                         " GROUP BY e.household_id HAVING MIN(e.delta) > 0"
                         " ORDER BY SUM(e.delta) DESC, e.household_id LIMIT ?",
                         village, year, POINTS_HONOUR_FAMILIES, families, nfamilies, err);
    if (rc == 0)
        rc = honour_rows(c,
                         "SELECT e.household_id, COALESCE((SELECT p.name FROM households h JOIN"
                         " persons p ON p.id = h.head_person_id WHERE h.id = e.household_id),"
                         " ''), SUM(e.delta) FROM point_entries e JOIN point_items i"
                         " ON i.id = e.item_id JOIN point_categories g ON g.id = i.category_id"
                         " WHERE e.village_code = ? AND g.code = 'mei' AND e.created_at >= ?"
                         " AND e.created_at < ? GROUP BY e.household_id HAVING SUM(e.delta) > 0"
                         " ORDER BY SUM(e.delta) DESC, e.household_id LIMIT ?",
                         village, year, POINTS_HONOUR_COURTYARDS, courtyards, ncourtyards, err);
    if (rc < 0) {
        free(*families);
        *families = NULL, *nfamilies = 0;
    }
    return rc;
}
