/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/report.c -- the year's points by village, by category and
 * by month under a township or county (board.h), for the console's charts.
 * Everything is summed from the ledger: awarded and deducted are entries of
 * claims and corrections, redeemed the entries of redemptions. */
#include "core/compat.h"

#include "core/clock.h"

#include <stdlib.h>
#include <time.h>

#include "domain/auth/auth.h"
#include "domain/points/board.h"
#include "domain/points/points_int.h"
#include "domain/region/region.h"
#include "store/db.h"

#define SUMS                                                                                       \
    " COALESCE(SUM(CASE WHEN e.redemption_id IS NULL AND e.delta > 0 THEN e.delta ELSE 0 END), "   \
    "0),"                                                                                          \
    " COALESCE(SUM(CASE WHEN e.redemption_id IS NULL AND e.delta < 0 THEN -e.delta ELSE 0 END),"   \
    " 0), COALESCE(SUM(CASE WHEN e.redemption_id IS NULL THEN 0 ELSE -e.delta END), 0)"

struct report_query {
    char like[14];
    int64_t from, to;
};

static void
read_village(struct db_stmt *s, void *item)
{
    struct report_village *v = item;

    db_col_copy(s, 0, v->code, sizeof(v->code));
    db_col_copy(s, 1, v->name, sizeof(v->name));
}

/* What was read stays in 'r' on failure too: points_report frees it. */
static int
villages(struct db_conn *c, const struct report_query *q, struct points_report *r, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(*r->villages));
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT code, name FROM regions WHERE level = 5 AND valid_to IS NULL"
                        " AND code LIKE ? ORDER BY code LIMIT 5000",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, q->like, (size_t)-1);
    rc = db_read_rows(s, read_village, &rows, err);
    r->villages = db_rows_detach(&rows, &r->nvillages);
    return rc;
}

static struct report_village *
village_of(struct points_report *r, const char *code)
{
    for (size_t i = 0; i < r->nvillages; i++)
        if (strcmp(r->villages[i].code, code) == 0)
            return &r->villages[i];
    return NULL;
}

static int
village_households(struct db_conn *c, const struct report_query *q, struct points_report *r,
                   struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT village_code, COUNT(*) FROM households WHERE status = 'active'"
                        " AND village_code LIKE ? GROUP BY village_code",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, q->like, (size_t)-1);
    while ((rc = db_step(s, err)) == 1) {
        struct report_village *v = village_of(r, db_col_text(s, 0, NULL));

        if (v)
            v->households = db_col_i64(s, 1);
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static void
bind_query(struct db_stmt *s, const struct report_query *q)
{
    db_bind_text(s, 1, q->like, (size_t)-1);
    db_bind_i64(s, 2, q->from);
    db_bind_i64(s, 3, q->to);
}

static int
village_sums(struct db_conn *c, const struct report_query *q, struct points_report *r,
             struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT e.village_code, COUNT(DISTINCT CASE WHEN e.redemption_id IS NULL"
                        " THEN e.household_id END)," SUMS " FROM point_entries e"
                        " WHERE e.village_code LIKE ? AND e.created_at >= ? AND e.created_at < ?"
                        " GROUP BY e.village_code",
                        &s, err);

    if (rc < 0)
        return rc;
    bind_query(s, q);
    while ((rc = db_step(s, err)) == 1) {
        struct report_village *v = village_of(r, db_col_text(s, 0, NULL));

        if (!v)
            continue;
        v->participating = db_col_i64(s, 1);
        v->awarded = db_col_i64(s, 2);
        v->deducted = db_col_i64(s, 3);
        v->redeemed = db_col_i64(s, 4);
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static void
read_category(struct db_stmt *s, void *item)
{
    struct report_category *g = item;

    db_col_copy(s, 0, g->code, sizeof(g->code));
    db_col_copy(s, 1, g->name, sizeof(g->name));
    g->awarded = db_col_i64(s, 2);
    g->deducted = db_col_i64(s, 3);
}

/* What was read stays in 'r' on failure too, as for villages. */
static int
category_sums(struct db_conn *c, const struct report_query *q, struct points_report *r,
              struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(*r->categories));
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT g.code, MIN(g.name)," SUMS " FROM point_entries e"
                        " JOIN point_items i ON i.id = e.item_id"
                        " JOIN point_categories g ON g.id = i.category_id"
                        " WHERE e.village_code LIKE ? AND e.created_at >= ? AND e.created_at < ?"
                        " GROUP BY g.code ORDER BY MIN(g.sort), g.code",
                        &s, err);

    if (rc < 0)
        return rc;
    bind_query(s, q);
    rc = db_read_rows(s, read_category, &rows, err);
    r->categories = db_rows_detach(&rows, &r->ncategories);
    return rc;
}

/* By day in China, folded into months here (portable SQL has no month). */
static int
month_sums(struct db_conn *c, const struct report_query *q, struct points_report *r,
           struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT (e.created_at + 28800000) / 86400000," SUMS " FROM point_entries e"
                        " WHERE e.village_code LIKE ? AND e.created_at >= ? AND e.created_at < ?"
                        " GROUP BY (e.created_at + 28800000) / 86400000",
                        &s, err);

    if (rc < 0)
        return rc;
    bind_query(s, q);
    while ((rc = db_step(s, err)) == 1) {
        time_t day = (time_t)db_col_i64(s, 0) * 86400;
        struct tm tm;

        gmtime_r(&day, &tm);
        r->month_awarded[tm.tm_mon] += db_col_i64(s, 1);
        r->month_redeemed[tm.tm_mon] += db_col_i64(s, 3);
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
points_report(struct db_conn *c, const struct actor *a, const char *region, int year,
              struct points_report *out, struct err *err)
{
    struct report_query q;
    struct region reg;
    int rc = region_get(c, region, &reg, err);

    memset(out, 0, sizeof(*out));
    if (rc == -ERR_NOT_FOUND ||
        (rc == 0 && a->who && !auth_object_may(a->who, PERM_POINTS_READ, region, 0)))
        rc = points_not_found(err, POINTS_OBJ_REGION);
    if (rc == 0 && (year < 2000 || year > 2100))
        rc = err_set(err, ERR_INVALID, "year", "年份须在 2000 到 2100 之间",
                     "the year must be 2000 to 2100");
    if (rc < 0)
        return rc;
    snprintf(q.like, sizeof(q.like), "%.*s%%", (int)region_scope_len(reg.level), region);
    q.from = clock_year_start_china(year);
    q.to = clock_year_start_china(year + 1);
    rc = villages(c, &q, out, err);
    if (rc == 0)
        rc = village_households(c, &q, out, err);
    if (rc == 0)
        rc = village_sums(c, &q, out, err);
    if (rc == 0)
        rc = category_sums(c, &q, out, err);
    if (rc == 0)
        rc = month_sums(c, &q, out, err);
    if (rc < 0)
        points_report_free(out);
    return rc;
}

void
points_report_free(struct points_report *r)
{
    free(r->villages);
    free(r->categories);
    memset(r, 0, sizeof(*r));
}

/* --- the dashboard's figures (module.c's tiles) --- */

/* One number of 'sql', whose parameters are the scope's like, from, to. */
static int
tile_number(struct db_conn *c, const char *sql, const struct tile_scope *q, int64_t *out,
            struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    *out = 0;
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, q->like, (size_t)-1);
    db_bind_i64(s, 2, q->from_ms);
    db_bind_i64(s, 3, q->to_ms);
    rc = db_step(s, err);
    if (rc == 1)
        *out = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

#define IN_SCOPE " village_code LIKE ? AND created_at >= ? AND created_at < ?"

int
points_tile_households(struct db_conn *c, const struct tile_scope *q, int64_t *out, struct err *err)
{
    return tile_number(c,
                       "SELECT COUNT(DISTINCT household_id) FROM point_entries WHERE" IN_SCOPE
                       " AND redemption_id IS NULL",
                       q, out, err);
}

int
points_tile_awarded(struct db_conn *c, const struct tile_scope *q, int64_t *out, struct err *err)
{
    return tile_number(c,
                       "SELECT COALESCE(SUM(delta), 0) FROM point_entries WHERE" IN_SCOPE
                       " AND redemption_id IS NULL AND delta > 0",
                       q, out, err);
}

int
points_tile_redeemed(struct db_conn *c, const struct tile_scope *q, int64_t *out, struct err *err)
{
    return tile_number(c,
                       "SELECT COALESCE(-SUM(delta), 0) FROM point_entries WHERE" IN_SCOPE
                       " AND redemption_id IS NOT NULL",
                       q, out, err);
}

int
points_tile_open_claims(struct db_conn *c, const struct tile_scope *q, int64_t *out,
                        struct err *err)
{
    return tile_number(c,
                       "SELECT COUNT(*) FROM point_claims WHERE" IN_SCOPE
                       " AND state NOT IN ('final', 'rejected')",
                       q, out, err);
}
