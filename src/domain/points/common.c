/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/common.c -- what every points action checks: scope, the
 * conflict-of-interest rule, and the audit entry. */
#include "core/compat.h"

#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "store/db.h"

int
points_not_found(struct err *err, enum points_object what)
{
    static const struct {
        const char *zh, *en, *field;
    } objects[POINTS_OBJ__COUNT] = {
        [POINTS_OBJ_VILLAGE] = { "找不到该村或不在您的管辖范围内", "no such village in your scope",
                                 "code" },
        [POINTS_OBJ_REGION] = { "找不到该区划或不在您的管辖范围内", "no such region in your scope",
                                "region" },
        [POINTS_OBJ_HOUSEHOLD] = { "找不到该户或不在您的管辖范围内",
                                   "no such household in your scope", "household_id" },
        [POINTS_OBJ_CLAIM] = { "找不到该积分申报或不在您的管辖范围内",
                               "no such points claim in your scope", "id" },
        [POINTS_OBJ_CYCLE] = { "找不到该积分周期或不在您的管辖范围内",
                               "no such points cycle in your scope", "cycle_id" },
        [POINTS_OBJ_ENTRY] = { "找不到该积分记录或不在您的管辖范围内",
                               "no such points entry in your scope", "id" },
        [POINTS_OBJ_OUTLET] = { "找不到该兑换点或不在您的管辖范围内",
                                "no such outlet in your scope", "outlet_id" },
        [POINTS_OBJ_GOODS] = { "找不到该商品或不在您的管辖范围内", "no such goods in your scope",
                               "goods_id" },
        [POINTS_OBJ_SCHEME] = { "找不到该积分方案或不在您的管辖范围内",
                                "no such points scheme in your scope", "id" },
        [POINTS_OBJ_ITEM] = { "找不到该积分项目或不在您的管辖范围内",
                              "no such points item in your scope", "item_id" },
        [POINTS_OBJ_REDEMPTION] = { "找不到该兑换记录或不在您的管辖范围内",
                                    "no such redemption in your scope", "id" },
        [POINTS_OBJ_STATEMENT] = { "找不到该积分证明或不在您的管辖范围内",
                                   "no such points statement in your scope", "id" },
    };

    if (what < 0 || what >= POINTS_OBJ__COUNT)
        return err_code_set(err, ERR_NOT_FOUND, NULL);
    return err_set_text(err, ERR_NOT_FOUND, objects[what].field, objects[what].zh,
                        objects[what].en);
}

/* Does 'who' see the village's points (a villager sees their own village's)? */
static bool
sees(const struct principal *who, const char *village, int64_t household)
{
    return auth_object_may(who, PERM_POINTS_READ, village, household) ||
           (household == 0 && auth_villager(who, village, 0));
}

/* The one parameter of points_one and points_rows. */
static void
bind_one(struct db_stmt *s, const char *text, int64_t id)
{
    if (text)
        db_bind_text(s, 1, text, (size_t)-1);
    else
        db_bind_i64(s, 1, id);
}

int
points_one(struct db_conn *c, const char *sql, const char *text, int64_t id, points_read_fn read,
           void *out, enum points_object what, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    bind_one(s, text, id);
    rc = db_read_one(s, read, out, err);
    if (rc == 0)
        return points_not_found(err, what);
    return rc < 0 ? rc : 0;
}

int
points_rows(struct db_conn *c, const char *sql, const char *text, int64_t id, points_read_fn read,
            struct db_rows *rows, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    bind_one(s, text, id);
    return db_read_rows(s, read, rows, err);
}

int
points_may(const struct actor *a, const char *perm, const char *village, int64_t household,
           enum points_object what, struct err *err)
{
    if (!a->who) /* the system: the scheduler and the CLI */
        return 0;
    if (auth_object_may(a->who, perm, village, household))
        return 0;
    if (!sees(a->who, village, household))
        return points_not_found(err, what);
    return err_code_set(err, ERR_FORBIDDEN, NULL);
}

int
points_not_own(struct db_conn *c, const struct actor *a, int64_t household, struct err *err)
{
    bool own = false;
    int rc = a->who ? auth_own_household(c, a->who, household, &own, err) : 0;

    if (rc == 0 && own)
        rc = err_set(err, ERR_CONFLICT, "household_id", "不能为本人家庭评分或审核",
                     "nobody may score or review their own household");
    return rc;
}

int
points_audit(struct db_conn *c, const struct actor *a, const char *action, int64_t id,
             const char *village, const char *note, struct err *err)
{
    char oid[24];

    snprintf(oid, sizeof(oid), "%" PRId64, id);
    return audit_record(c,
                        &(struct audit_entry){
                            .who = a->who,
                            .role = a->who ? auth_acting_role(a->who, PERM_POINTS_READ) : ROLE_NONE,
                            .action = action,
                            .object_type = "points",
                            .object_id = oid,
                            .region_code = village,
                            .result = "ok",
                            .request_id = a->request_id,
                            .detail = note },
                        err);
}

int
points_village_readable(const struct actor *a, const char *village, struct err *err)
{
    if (!a->who || sees(a->who, village, 0))
        return 0;
    return points_not_found(err, POINTS_OBJ_VILLAGE);
}

int
points_village_exists(struct db_conn *c, const char *village, struct err *err)
{
    int rc = db_run(c, err, "SELECT code FROM regions WHERE code = ? AND level = 5", "t", village);

    return rc == 1 ? 0 : rc < 0 ? rc : points_not_found(err, POINTS_OBJ_VILLAGE);
}

int
points_household_name(struct db_conn *c, int64_t household_id, char village[13], char *name,
                      size_t size, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT h.village_code, COALESCE(p.name, h.household_no) FROM households h"
                        " LEFT JOIN persons p ON p.id = h.head_person_id WHERE h.id = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household_id);
    rc = db_step(s, err);
    if (rc == 1) {
        db_col_copy(s, 0, village, 13);
        db_col_copy(s, 1, name, size);
    }
    db_reset(s);
    if (rc == 0)
        return points_not_found(err, POINTS_OBJ_HOUSEHOLD);
    return rc < 0 ? rc : 0;
}
