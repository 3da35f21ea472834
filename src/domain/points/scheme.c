/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/scheme.c -- schemes: the county template, a village's
 * adoption of it by its meeting's decision, and reading items. The SQL of
 * point_schemes, point_categories and point_items lives here. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/points/points_int.h"
#include "store/db.h"

#define SCHEME_COLUMNS                                                                             \
    "SELECT id, region_code, name, version, COALESCE(template_id, 0), cycle, point_fen,"           \
    " decision, adopted_on, status FROM point_schemes "
#define TEMPLATE_SQL                                                                               \
    SCHEME_COLUMNS "WHERE region_code = ? AND status = 'template'"                                 \
                   " ORDER BY version DESC LIMIT 1"

static void
read_scheme(struct db_stmt *s, void *row)
{
    struct point_scheme *out = row;

    memset(out, 0, sizeof(*out));
    out->id = db_col_i64(s, 0);
    db_col_copy(s, 1, out->region_code, sizeof(out->region_code));
    db_col_copy(s, 2, out->name, sizeof(out->name));
    out->version = db_col_i64(s, 3);
    out->template_id = db_col_i64(s, 4);
    db_col_copy(s, 5, out->cycle, sizeof(out->cycle));
    out->point_fen = db_col_i64(s, 6);
    db_col_copy(s, 7, out->decision, sizeof(out->decision));
    db_col_copy(s, 8, out->adopted_on, sizeof(out->adopted_on));
    db_col_copy(s, 9, out->status, sizeof(out->status));
}

/* The one scheme 'sql' finds (its parameter 'text', or 'id'). */
static int
scheme_query(struct db_conn *c, const char *sql, const char *text, int64_t id,
             struct point_scheme *out, struct err *err)
{
    return points_one(c, sql, text, id, read_scheme, out, POINTS_OBJ_SCHEME, err);
}

static int
insert_scheme(struct db_conn *c, const char *region, const char *name, int64_t version,
              int64_t template_id, const char *decision, const char *adopted_on, const char *status,
              int64_t *id, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO point_schemes (region_code, name, version, template_id,"
                        " decision, adopted_on, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        " RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, region, (size_t)-1);
    db_bind_text(s, 2, name, (size_t)-1);
    db_bind_i64(s, 3, version);
    if (template_id)
        db_bind_i64(s, 4, template_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, decision, (size_t)-1);
    db_bind_text(s, 6, adopted_on, (size_t)-1);
    db_bind_text(s, 7, status, (size_t)-1);
    db_bind_i64(s, 8, clock_now_ms());
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
}

/* The template's categories and items under scheme 'id'. */
static int
insert_template_items(struct db_conn *c, int64_t id, struct err *err)
{
    int rc = 0;

    for (size_t i = 0; rc >= 0 && i < points_template_ncategories; i++)
        rc =
            db_run(c, err,
                   "INSERT INTO point_categories (scheme_id, code, name, sort) VALUES (?, ?, ?, ?)",
                   "itti", id, points_template_categories[i].code,
                   points_template_categories[i].name, (int64_t)i);
    for (size_t i = 0; rc >= 0 && i < points_template_nitems; i++) {
        const struct template_item *t = &points_template_items[i];

        rc =
            db_run(c, err,
                   "INSERT INTO point_items (scheme_id, category_id, code, name, points, cycle_cap,"
                   " evidence_required, veto, sort) SELECT ?, id, ?, ?, ?, ?, ?, ?, ?"
                   " FROM point_categories WHERE scheme_id = ? AND code = ?",
                   "ittiiiiiit", id, t->code, t->name, (int64_t)t->points, (int64_t)t->cap,
                   (int64_t)t->evidence, (int64_t)t->veto, (int64_t)i, id, t->category);
    }
    return rc < 0 ? rc : 0;
}

int
points_template_ensure(struct db_conn *c, const char *county_code, struct point_scheme *out,
                       struct err *err)
{
    int64_t id;
    int rc = scheme_query(c, TEMPLATE_SQL, county_code, 0, out, err);

    if (rc != -ERR_NOT_FOUND)
        return rc;
    err_clear(err);
    rc = insert_scheme(c, county_code, "道德积分储蓄站（县级模板）", 1, 0, "", "", "template", &id,
                       err);
    if (rc == 0)
        rc = insert_template_items(c, id, err);
    return rc < 0 ? rc : scheme_query(c, TEMPLATE_SQL, county_code, 0, out, err);
}

int
points_scheme_by_id(struct db_conn *c, int64_t id, struct point_scheme *out, struct err *err)
{
    return scheme_query(c, SCHEME_COLUMNS "WHERE id = ?", NULL, id, out, err);
}

/* Copy the template's categories and items under the new scheme 'id'. */
static int
copy_items(struct db_conn *c, int64_t from, int64_t id, struct err *err)
{
    int rc = db_run(c, err,
                    "INSERT INTO point_categories (scheme_id, code, name, sort)"
                    " SELECT ?, code, name, sort FROM point_categories WHERE scheme_id = ?",
                    "ii", id, from);

    if (rc >= 0)
        rc =
            db_run(c, err,
                   "INSERT INTO point_items (scheme_id, category_id, code, name, points, cycle_cap,"
                   " evidence_required, veto, sort) SELECT ?, nc.id, i.code, i.name, i.points,"
                   " i.cycle_cap, i.evidence_required, i.veto, i.sort FROM point_items i"
                   " JOIN point_categories oc ON oc.id = i.category_id"
                   " JOIN point_categories nc ON nc.scheme_id = ? AND nc.code = oc.code"
                   " WHERE i.scheme_id = ?",
                   "iii", id, id, from);
    return rc < 0 ? rc : 0;
}

static bool
date_ok(const char *d)
{
    return d && strlen(d) == 10 && d[4] == '-' && d[7] == '-' && strspn(d, "0123456789-") == 10;
}

int
points_scheme_adopt(struct db_conn *c, const struct actor *a, int64_t template_id,
                    const char *village, const char *decision, const char *adopted_on,
                    struct point_scheme *out, struct err *err)
{
    struct point_scheme tpl;
    int64_t version = 0, id;
    int rc = points_may(a, PERM_POINTS_MANAGE, village, 0, POINTS_OBJ_VILLAGE, err);

    if (rc == 0 &&
        db_run(c, err, "SELECT code FROM regions WHERE code = ? AND level = 5", "t", village) == 0)
        rc = points_not_found(err, POINTS_OBJ_VILLAGE);
    if (rc == 0 && (!decision || !decision[0] || !date_ok(adopted_on)))
        rc = err_set(err, ERR_INVALID, "decision", "需写明村民（代表）会议的决议和日期",
                     "give the villagers' meeting's decision and its date (YYYY-MM-DD)");
    if (rc == 0)
        rc = points_scheme_by_id(c, template_id, &tpl, err);
    if (rc == 0 && strcmp(tpl.status, "template") != 0)
        rc = err_set(err, ERR_INVALID, "template_id", "这不是县级模板", "that is not a template");
    if (rc == 0) {
        struct point_scheme cur;

        if (points_scheme_active(c, village, &cur, err) == 0)
            version = cur.version;
        err_clear(err);
        rc = db_run(c, err,
                    "UPDATE point_schemes SET status = 'retired' WHERE region_code = ?"
                    " AND status = 'active'",
                    "t", village);
    }
    if (rc >= 0)
        rc = insert_scheme(c, village, tpl.name, version + 1, tpl.id, decision, adopted_on,
                           "active", &id, err);
    if (rc == 0)
        rc = copy_items(c, tpl.id, id, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.scheme.adopt", id, village, decision, err);
    return rc < 0 ? rc : points_scheme_by_id(c, id, out, err);
}

int
points_scheme_active(struct db_conn *c, const char *village, struct point_scheme *out,
                     struct err *err)
{
    return scheme_query(c, SCHEME_COLUMNS "WHERE region_code = ? AND status = 'active'", village, 0,
                        out, err);
}

#define ITEM_COLUMNS                                                                               \
    "SELECT i.id, i.scheme_id, c.code, c.name, i.code, i.name, i.points, i.cycle_cap,"             \
    " i.evidence_required, i.veto FROM point_items i JOIN point_categories c"                      \
    " ON c.id = i.category_id "

static void
read_item(struct db_stmt *s, void *row)
{
    struct point_item *out = row;

    memset(out, 0, sizeof(*out));
    out->id = db_col_i64(s, 0);
    out->scheme_id = db_col_i64(s, 1);
    db_col_copy(s, 2, out->category_code, sizeof(out->category_code));
    db_col_copy(s, 3, out->category_name, sizeof(out->category_name));
    db_col_copy(s, 4, out->code, sizeof(out->code));
    db_col_copy(s, 5, out->name, sizeof(out->name));
    out->points = db_col_i64(s, 6);
    out->cycle_cap = db_col_i64(s, 7);
    out->evidence_required = db_col_i64(s, 8) != 0;
    out->veto = db_col_i64(s, 9) != 0;
}

int
points_items(struct db_conn *c, int64_t scheme_id, struct point_item **out, size_t *n,
             struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    int rc = points_rows(c, ITEM_COLUMNS "WHERE i.scheme_id = ? ORDER BY c.sort, i.sort", NULL,
                         scheme_id, read_item, &rows, err);

    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}

int
points_item_by_code(struct db_conn *c, int64_t scheme_id, const char *code, struct point_item *out,
                    struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, ITEM_COLUMNS "WHERE i.scheme_id = ? AND i.code = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, scheme_id);
    db_bind_text(s, 2, code, (size_t)-1);
    rc = db_read_one(s, read_item, out, err);
    return rc == 1 ? 0 : rc < 0 ? rc : points_not_found(err, POINTS_OBJ_ITEM);
}

int
points_item_get(struct db_conn *c, int64_t id, struct point_item *out, struct err *err)
{
    return points_one(c, ITEM_COLUMNS "WHERE i.id = ?", NULL, id, read_item, out, POINTS_OBJ_ITEM,
                      err);
}
