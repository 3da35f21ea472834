/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/editor.c -- editing the county template (points.h): its
 * items added and changed by the county; villages take the changes by adopting
 * the template anew, which records their meeting's decision as a new version.
 * A village's own scheme is never edited in place. */
#include "core/compat.h"

#include <stdlib.h>

#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "store/db.h"

/* Does 'a' act inside the county of 'code' (the template's region)? */
static bool
in_county(const struct actor *a, const char *code)
{
    if (!a->who)
        return true;
    for (int i = 0; i < a->who->nroles; i++)
        if (strncmp(a->who->roles[i].scope, code, 6) == 0 &&
            auth_binding_may(&a->who->roles[i], PERM_POINTS_MANAGE))
            return true;
    return false;
}

static void
read_scheme_id(struct db_stmt *s, void *item)
{
    struct point_scheme *sc = item;

    sc->id = db_col_i64(s, 0);
}

int
points_templates(struct db_conn *c, const struct actor *a, struct point_scheme **out, size_t *n,
                 struct err *err)
{
    struct db_rows ids = DB_ROWS_INIT(sizeof(**out));
    struct point_scheme *all;
    size_t nall;
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT id FROM point_schemes WHERE status = 'template' ORDER BY"
                        " region_code, version DESC",
                        &s, err);

    *out = NULL, *n = 0;
    if (rc < 0)
        return rc;
    rc = db_read_rows(s, read_scheme_id, &ids, err);
    all = db_rows_detach(&ids, &nall);
    for (size_t i = 0; rc == 0 && i < nall; i++) {
        rc = points_scheme_by_id(c, all[i].id, &all[*n], err);
        if (rc == 0 && in_county(a, all[*n].region_code))
            (*n)++;
    }
    if (rc < 0) {
        free(all);
        *n = 0;
        return rc;
    }
    *out = all;
    return 0;
}

int
points_scheme_get(struct db_conn *c, const struct actor *a, int64_t id, struct point_scheme *out,
                  struct err *err)
{
    int rc = points_scheme_by_id(c, id, out, err);

    if (rc == 0 && strcmp(out->status, "template") == 0)
        return in_county(a, out->region_code) ? 0 : points_not_found(err, POINTS_OBJ_SCHEME);
    if (rc == 0 && points_village_readable(a, out->region_code, err) < 0)
        return points_not_found(err, POINTS_OBJ_SCHEME);
    return rc;
}

/* Template 'scheme_id' for a change by 'a': the county's points.manage. */
static int
template_for(struct db_conn *c, const struct actor *a, int64_t scheme_id, struct point_scheme *sc,
             struct err *err)
{
    int rc = points_scheme_get(c, a, scheme_id, sc, err);

    if (rc == 0 && strcmp(sc->status, "template") != 0)
        rc = err_set(err, ERR_CONFLICT, "scheme_id",
                     "村的方案不能直接修改：请修改县级模板后由村民（代表）会议重新采用",
                     "a village's scheme is not edited in place: edit the template and let "
                     "the villagers' meeting adopt it anew");
    if (rc == 0 && a->who && !auth_object_may(a->who, PERM_POINTS_MANAGE, sc->region_code, 0))
        rc = err_set(err, ERR_FORBIDDEN, "scheme_id", "县级模板只能由县里修改",
                     "only the county edits its template");
    return rc;
}

static int
check_item(const struct point_item *in, bool adding, struct err *err)
{
    size_t n = strlen(in->name);

    if ((adding || n) && (n < 2 || n > 200))
        return err_set(err, ERR_INVALID, "name", "项目名称须为 2 到 200 个字节",
                       "an item's name is 2 to 200 bytes");
    if ((adding || in->points) && (in->points == 0 || in->points < -1000 || in->points > 1000))
        return err_set(err, ERR_INVALID, "points", "分值须在 -1000 到 1000 之间且不为 0",
                       "points are -1000 to 1000, not 0");
    if (in->cycle_cap < (adding ? 0 : -1) || in->cycle_cap > 10000)
        return err_set(err, ERR_INVALID, "cycle_cap", "周期上限须在 0 到 10000 之间",
                       "the cycle cap is 0 to 10000");
    return 0;
}

/* A code for the next item of the category: its code and a number. */
static int
next_code(struct db_conn *c, int64_t scheme_id, const char *category, char code[16],
          int64_t *category_id, struct err *err)
{
    int64_t count = 0;
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT g.id, (SELECT COUNT(*) FROM point_items i WHERE i.category_id ="
                        " g.id) FROM point_categories g WHERE g.scheme_id = ? AND g.code = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, scheme_id);
    db_bind_text(s, 2, category, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1) {
        *category_id = db_col_i64(s, 0);
        count = db_col_i64(s, 1);
    }
    db_reset(s);
    if (rc == 0)
        return err_set(err, ERR_INVALID, "category", "没有这个类别", "no such category");
    for (int64_t k = count + 1; rc == 1; k++) {
        snprintf(code, 16, "%.8s%02d", category, (int)(k % 100));
        rc = db_run(c, err, "SELECT id FROM point_items WHERE scheme_id = ? AND code = ?", "it",
                    scheme_id, code);
        if (k > count + 100)
            return err_code_set(err, ERR_CONFLICT, NULL);
    }
    return rc < 0 ? rc : 0;
}

static int
insert_item(struct db_conn *c, int64_t scheme_id, int64_t category_id, const char *code,
            const struct point_item *in, int64_t *id, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO point_items (scheme_id, category_id, code, name, points,"
                        " cycle_cap, evidence_required, veto, sort) VALUES (?, ?, ?, ?, ?, ?, ?,"
                        " ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM point_items WHERE"
                        " scheme_id = ?)) RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, scheme_id);
    db_bind_i64(s, 2, category_id);
    db_bind_text(s, 3, code, (size_t)-1);
    db_bind_text(s, 4, in->name, (size_t)-1);
    db_bind_i64(s, 5, in->points);
    db_bind_i64(s, 6, in->cycle_cap);
    db_bind_i64(s, 7, in->evidence_required);
    db_bind_i64(s, 8, in->veto);
    db_bind_i64(s, 9, scheme_id);
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
}

int
points_item_add(struct db_conn *c, const struct actor *a, int64_t scheme_id, const char *category,
                const struct point_item *in, struct point_item *out, struct err *err)
{
    struct point_scheme sc;
    int64_t category_id = 0, id = 0;
    char code[16];
    int rc = template_for(c, a, scheme_id, &sc, err);

    if (rc == 0)
        rc = check_item(in, true, err);
    if (rc == 0)
        rc = next_code(c, scheme_id, category ? category : "", code, &category_id, err);
    if (rc == 0)
        rc = insert_item(c, scheme_id, category_id, code, in, &id, err);
    if (rc == 0)
        rc = points_item_get(c, id, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.item.add", id, sc.region_code, in->name, err);
    return rc;
}

int
points_item_update(struct db_conn *c, const struct actor *a, int64_t id,
                   const struct point_item *in, int evidence, int veto, struct point_item *out,
                   struct err *err)
{
    struct point_scheme sc;
    struct point_item cur;
    int rc = points_item_get(c, id, &cur, err);

    if (rc == 0)
        rc = template_for(c, a, cur.scheme_id, &sc, err);
    if (rc == 0)
        rc = check_item(in, false, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE point_items SET name = ?, points = ?, cycle_cap = ?,"
                    " evidence_required = ?, veto = ? WHERE id = ?",
                    "tiiiii", in->name[0] ? in->name : cur.name,
                    in->points ? in->points : cur.points,
                    in->cycle_cap >= 0 ? in->cycle_cap : cur.cycle_cap,
                    (int64_t)(evidence < 0 ? cur.evidence_required : evidence != 0),
                    (int64_t)(veto < 0 ? cur.veto : veto != 0), id);
    if (rc < 0)
        return rc;
    rc = points_item_get(c, id, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.item.update", id, sc.region_code, out->name, err);
    return rc;
}
