/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/cycle.c -- cycles: a village's quarter (or month, or year,
 * by its scheme) during which claims are made. The SQL of point_cycles. */
#include "core/compat.h"

#include <stdlib.h>

#include "core/clock.h"
#include "domain/points/points_int.h"
#include "store/db.h"

#define CYCLE_COLUMNS                                                                              \
    "SELECT id, village_code, scheme_id, starts_on, ends_on, status FROM point_cycles "

static void
read_cycle(struct db_stmt *s, void *row)
{
    struct point_cycle *out = row;

    memset(out, 0, sizeof(*out));
    out->id = db_col_i64(s, 0);
    db_col_copy(s, 1, out->village_code, sizeof(out->village_code));
    out->scheme_id = db_col_i64(s, 2);
    db_col_copy(s, 3, out->starts_on, sizeof(out->starts_on));
    db_col_copy(s, 4, out->ends_on, sizeof(out->ends_on));
    db_col_copy(s, 5, out->status, sizeof(out->status));
}

static int
cycle_query(struct db_conn *c, const char *sql, const char *text, int64_t id,
            struct point_cycle *out, struct err *err)
{
    return points_one(c, sql, text, id, read_cycle, out, POINTS_OBJ_CYCLE, err);
}

int
points_cycle_current(struct db_conn *c, const char *village, struct point_cycle *out,
                     struct err *err)
{
    return cycle_query(c, CYCLE_COLUMNS "WHERE village_code = ? AND status = 'open'", village, 0,
                       out, err);
}

static bool
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The cycle of 'kind' holding 'day': its first and last day. */
static int
cycle_bounds(const char *kind, const char *day, char starts[11], char ends[11], struct err *err)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d, first, last;

    if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 2000 || y > 2100 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return err_set(err, ERR_INVALID, "day", "日期应为 YYYY-MM-DD", "a day is YYYY-MM-DD");
    first = strcmp(kind, "year") == 0 ? 1 : strcmp(kind, "month") == 0 ? m : (m - 1) / 3 * 3 + 1;
    last = strcmp(kind, "year") == 0 ? 12 : strcmp(kind, "month") == 0 ? m : first + 2;
    snprintf(starts, 11, "%04d-%02d-01", y, first);
    snprintf(ends, 11, "%04d-%02d-%02d", y, last, mdays[last - 1] + (last == 2 && leap(y)));
    return 0;
}

int
points_cycle_open(struct db_conn *c, const struct actor *a, const char *village, const char *day,
                  struct point_cycle *out, struct err *err)
{
    struct point_scheme sc;
    char starts[11], ends[11];
    int rc = points_may(a, PERM_POINTS_MANAGE, village, 0, POINTS_OBJ_VILLAGE, err);

    if (rc == 0)
        rc = points_scheme_active(c, village, &sc, err);
    if (rc == 0)
        rc = cycle_bounds(sc.cycle, day, starts, ends, err);
    if (rc == 0 && points_cycle_current(c, village, out, err) == 0)
        return err_set(err, ERR_DUPLICATE, "village", "本村已有进行中的积分周期（%s 至 %s）",
                       "the village has an open cycle already (%s to %s)", out->starts_on,
                       out->ends_on);
    if (rc == 0 && err->code != ERR_NOT_FOUND)
        return -err->code;
    if (rc == 0) { /* a period closed by mistake opens again; a new one is made */
        err_clear(err);
        rc = db_run(c, err,
                    "UPDATE point_cycles SET status = 'open', closed_at = NULL"
                    " WHERE village_code = ? AND starts_on = ? AND status = 'closed'",
                    "tt", village, starts);
        if (rc >= 0 && db_changes(c) == 0)
            rc = db_run(c, err,
                        "INSERT INTO point_cycles (village_code, scheme_id, starts_on, ends_on,"
                        " status, opened_at) VALUES (?, ?, ?, ?, 'open', ?)",
                        "titti", village, sc.id, starts, ends, clock_now_ms());
    }
    if (rc >= 0)
        rc = points_cycle_current(c, village, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.cycle.open", out->id, village, starts, err);
    return rc < 0 ? rc : 0;
}

int
points_cycle_close(struct db_conn *c, const struct actor *a, int64_t cycle_id, struct err *err)
{
    struct point_cycle cy;
    int rc = cycle_query(c, CYCLE_COLUMNS "WHERE id = ?", NULL, cycle_id, &cy, err);

    if (rc == 0)
        rc = points_may(a, PERM_POINTS_MANAGE, cy.village_code, 0, POINTS_OBJ_CYCLE, err);
    if (rc == 0 && strcmp(cy.status, "open") != 0)
        rc = err_set(err, ERR_CONFLICT, "status", "该周期已结束", "the cycle is closed already");
    if (rc == 0)
        rc = db_run(c, err, "UPDATE point_cycles SET status = 'closed', closed_at = ? WHERE id = ?",
                    "ii", clock_now_ms(), cycle_id);
    if (rc >= 0)
        rc = points_audit(c, a, "points.cycle.close", cycle_id, cy.village_code, cy.starts_on, err);
    return rc < 0 ? rc : 0;
}

int
points_cycle_get(struct db_conn *c, int64_t id, struct point_cycle *out, struct err *err)
{
    return cycle_query(c, CYCLE_COLUMNS "WHERE id = ?", NULL, id, out, err);
}

int
points_cycle_latest(struct db_conn *c, const char *village, struct point_cycle *out,
                    struct err *err)
{
    return cycle_query(c, CYCLE_COLUMNS "WHERE village_code = ? ORDER BY starts_on DESC LIMIT 1",
                       village, 0, out, err);
}

/* The open cycles that ended before 'today' (YYYY-MM-DD), oldest first. */
static int
ended_cycles(struct db_conn *c, const char *today, struct point_cycle *out, size_t max, size_t *n,
             struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(
        c, CYCLE_COLUMNS "WHERE status = 'open' AND ends_on < ? ORDER BY id LIMIT 64", &s, err);

    *n = 0;
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, today, (size_t)-1);
    while (*n < max && (rc = db_step(s, err)) == 1)
        read_cycle(s, &out[(*n)++]);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
points_cycles_roll(struct db_conn *c, const char *today, int64_t *count, struct err *err)
{
    static const struct actor system = { 0 };
    struct point_cycle ended[64], next;
    size_t n;
    int rc = ended_cycles(c, today, ended, 64, &n, err);

    *count = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = points_cycle_close(c, &system, ended[i].id, err);
        if (rc == 0)
            rc = points_cycle_open(c, &system, ended[i].village_code, today, &next, err);
        if (rc == 0)
            (*count)++;
    }
    return rc;
}
