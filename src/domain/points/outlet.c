/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/outlet.c -- a village's outlets and their goods (shop.h):
 * who may keep them, who may see them. The SQL of point_outlets and
 * point_goods, save the stock taken by a redemption (redeem.c). */
#include "core/compat.h"

#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "domain/points/shop.h"
#include "store/db.h"

#define OUTLET_COLUMNS                                                                             \
    "SELECT id, village_code, kind, name, discount_pct, COALESCE(merchant_user_id, 0), active"     \
    " FROM point_outlets "
#define GOODS_COLUMNS                                                                              \
    "SELECT id, outlet_id, name, points, COALESCE(stock, -1), unit, active FROM point_goods "

static void
read_outlet(struct db_stmt *s, void *row)
{
    struct point_outlet *o = row;

    memset(o, 0, sizeof(*o));
    o->id = db_col_i64(s, 0);
    db_col_copy(s, 1, o->village_code, sizeof(o->village_code));
    db_col_copy(s, 2, o->kind, sizeof(o->kind));
    db_col_copy(s, 3, o->name, sizeof(o->name));
    o->discount_pct = db_col_i64(s, 4);
    o->merchant_user_id = db_col_i64(s, 5);
    o->active = db_col_i64(s, 6) != 0;
}

static void
read_goods(struct db_stmt *s, void *row)
{
    struct point_goods *g = row;

    memset(g, 0, sizeof(*g));
    g->id = db_col_i64(s, 0);
    g->outlet_id = db_col_i64(s, 1);
    db_col_copy(s, 2, g->name, sizeof(g->name));
    g->points = db_col_i64(s, 3);
    g->stock = db_col_i64(s, 4);
    db_col_copy(s, 5, g->unit, sizeof(g->unit));
    g->active = db_col_i64(s, 6) != 0;
}

int
points_outlet_get(struct db_conn *c, int64_t id, struct point_outlet *out, struct err *err)
{
    return points_one(c, OUTLET_COLUMNS "WHERE id = ?", NULL, id, read_outlet, out,
                      POINTS_OBJ_OUTLET, err);
}

int
points_goods_get(struct db_conn *c, int64_t id, struct point_goods *out, struct err *err)
{
    return points_one(c, GOODS_COLUMNS "WHERE id = ?", NULL, id, read_goods, out, POINTS_OBJ_GOODS,
                      err);
}

static bool
valid_kind(const char *kind)
{
    static const char *const kinds[] = { "store", "service", "merchant", "bank" };

    for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

static int
check_name(const char *name, size_t max, struct err *err)
{
    size_t n = name ? strlen(name) : 0;

    if (n < 1 || n > max)
        return err_set(err, ERR_INVALID, "name", "名称须为 1 到 %zu 个字节",
                       "the name must be 1 to %zu bytes", max);
    return 0;
}

/* The account 'username' if it holds a merchant role in 'village'. */
static int
merchant_of(struct db_conn *c, const char *username, const char *village, int64_t *id,
            struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
                        " WHERE u.username = ? AND r.role = 'merchant' AND r.scope_code = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, username, (size_t)-1);
    db_bind_text(s, 2, village, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    if (rc == 0)
        return err_set(err, ERR_INVALID, "merchant_username", "本村没有这个商户账号",
                       "no merchant account of that name in this village");
    return rc < 0 ? rc : 0;
}

int
points_outlet_create(struct db_conn *c, const struct actor *a, const char *village,
                     const char *kind, const char *name, int64_t discount_pct,
                     const char *merchant_username, struct point_outlet *out, struct err *err)
{
    int64_t merchant = 0, id = 0;
    struct db_stmt *s;
    int rc = points_may(a, PERM_POINTS_OUTLET, village, 0, POINTS_OBJ_VILLAGE, err);

    if (rc == 0)
        rc = points_village_exists(c, village, err);
    if (rc == 0 && !valid_kind(kind))
        rc = err_set(err, ERR_INVALID, "kind", "类型须为 store、service、merchant 或 bank",
                     "kind must be store, service, merchant or bank");
    if (rc == 0)
        rc = check_name(name, 100, err);
    if (rc == 0 && (discount_pct < 0 || discount_pct > 100 ||
                    (discount_pct > 0 && strcmp(kind, "merchant") != 0)))
        rc = err_set(err, ERR_INVALID, "discount_pct", "折扣比例须在 0 到 100 之间，且只用于商户",
                     "discount_pct is 0 to 100, and only for a merchant");
    if (rc == 0 && merchant_username && merchant_username[0])
        rc = merchant_of(c, merchant_username, village, &merchant, err);
    if (rc < 0)
        return rc;
    rc = db_prepare(c,
                    "INSERT INTO point_outlets (village_code, kind, name, discount_pct,"
                    " merchant_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, village, (size_t)-1);
    db_bind_text(s, 2, kind, (size_t)-1);
    db_bind_text(s, 3, name, (size_t)-1);
    db_bind_i64(s, 4, discount_pct);
    if (merchant)
        db_bind_i64(s, 5, merchant);
    else
        db_bind_null(s, 5);
    db_bind_i64(s, 6, clock_now_ms());
    rc = db_step(s, err);
    if (rc == 1)
        id = db_col_i64(s, 0);
    db_reset(s);
    if (rc < 0)
        return rc;
    rc = points_outlet_get(c, id, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.outlet.create", id, village, name, err);
    return rc;
}

/* The outlets in 'outlets', their goods after them into *goods (both handed
 * to the caller; on failure both freed and empty). */
static int
with_goods(struct db_conn *c, struct db_rows *outlets, int rc, struct point_outlet **out, size_t *n,
           struct point_goods **goods, size_t *ngoods, struct err *err)
{
    struct db_rows g = DB_ROWS_INIT(sizeof(**goods));
    const struct point_outlet *o = outlets->items;

    for (size_t i = 0; rc == 0 && i < outlets->n; i++)
        rc = points_rows(c, GOODS_COLUMNS "WHERE outlet_id = ? ORDER BY id", NULL, o[i].id,
                         read_goods, &g, err);
    if (rc < 0) {
        db_rows_release(outlets);
        db_rows_release(&g);
    }
    *out = db_rows_detach(outlets, n);
    *goods = db_rows_detach(&g, ngoods);
    return rc;
}

int
points_outlets_of(struct db_conn *c, const struct actor *a, const char *village,
                  struct point_outlet **out, size_t *n, struct point_goods **goods, size_t *ngoods,
                  struct err *err)
{
    struct db_rows outlets = DB_ROWS_INIT(sizeof(**out));
    int rc = 0;

    if (a->who && !auth_object_may(a->who, PERM_POINTS_REDEEM, village, 0))
        rc = points_village_readable(a, village, err);
    if (rc == 0)
        rc = points_village_exists(c, village, err);
    if (rc == 0)
        rc = points_rows(c, OUTLET_COLUMNS "WHERE village_code = ? ORDER BY id", village, 0,
                         read_outlet, &outlets, err);
    return with_goods(c, &outlets, rc, out, n, goods, ngoods, err);
}

int
points_outlets_mine(struct db_conn *c, const struct actor *a, struct point_outlet **out, size_t *n,
                    struct point_goods **goods, size_t *ngoods, struct err *err)
{
    struct db_rows outlets = DB_ROWS_INIT(sizeof(**out));
    int rc = 0;

    for (int i = 0; a->who && rc == 0 && i < a->who->nroles; i++) {
        const struct auth_binding *b = &a->who->roles[i];

        if (b->role == ROLE_MERCHANT)
            rc = points_rows(c,
                             OUTLET_COLUMNS "WHERE merchant_user_id = ? AND active = 1 ORDER BY id",
                             NULL, a->who->user_id, read_outlet, &outlets, err);
        else if (b->role == ROLE_VILLAGE_CADRE)
            rc = points_rows(c,
                             OUTLET_COLUMNS
                             "WHERE village_code = ? AND active = 1 AND kind <> 'bank'"
                             " ORDER BY id",
                             b->scope, 0, read_outlet, &outlets, err);
    }
    return with_goods(c, &outlets, rc, out, n, goods, ngoods, err);
}

/* The outlet 'id' for a change by 'a' (points.outlet in its village) to
 * 'what' (the outlet, or goods of it). */
static int
outlet_for(struct db_conn *c, const struct actor *a, int64_t id, enum points_object what,
           struct point_outlet *o, struct err *err)
{
    int rc = points_outlet_get(c, id, o, err);

    if (rc == 0 && a->who && !auth_object_may(a->who, PERM_POINTS_OUTLET, o->village_code, 0) &&
        !auth_object_may(a->who, PERM_POINTS_READ, o->village_code, 0))
        return points_not_found(err, what);
    if (rc == 0)
        rc = points_may(a, PERM_POINTS_OUTLET, o->village_code, 0, what, err);
    return rc;
}

static int
check_goods(const char *name, int64_t points, int64_t stock, struct err *err)
{
    int rc = name ? check_name(name, 100, err) : 0;

    if (rc == 0 && (points < 1 || points > 1000000))
        rc = err_set(err, ERR_INVALID, "points", "所需积分须在 1 到 1000000 之间",
                     "points must be 1 to 1,000,000");
    if (rc == 0 && (stock < -1 || stock > 1000000000))
        rc = err_set(err, ERR_INVALID, "stock", "库存须为 0 到 10 亿，或不计库存",
                     "stock must be 0 to 10^9, or not counted");
    return rc;
}

int
points_goods_add(struct db_conn *c, const struct actor *a, int64_t outlet_id, const char *name,
                 int64_t points, int64_t stock, const char *unit, struct point_goods *out,
                 struct err *err)
{
    struct point_outlet o;
    struct db_stmt *s;
    int64_t id = 0;
    int rc = outlet_for(c, a, outlet_id, POINTS_OBJ_OUTLET, &o, err);

    if (rc == 0)
        rc = check_goods(name, points, stock, err);
    if (rc == 0 && unit && strlen(unit) > 20)
        rc = err_set(err, ERR_INVALID, "unit", "单位过长", "the unit is too long");
    if (rc == 0 && strcmp(o.kind, "bank") == 0)
        rc = err_set(err, ERR_INVALID, "outlet_id", "银行不兑换商品", "a bank takes no goods");
    if (rc < 0)
        return rc;
    rc = db_prepare(c,
                    "INSERT INTO point_goods (outlet_id, name, points, stock, unit, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, outlet_id);
    db_bind_text(s, 2, name, (size_t)-1);
    db_bind_i64(s, 3, points);
    if (stock >= 0)
        db_bind_i64(s, 4, stock);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, unit ? unit : "", (size_t)-1);
    db_bind_i64(s, 6, clock_now_ms());
    rc = db_step(s, err);
    if (rc == 1)
        id = db_col_i64(s, 0);
    db_reset(s);
    if (rc < 0)
        return rc;
    rc = points_goods_get(c, id, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.goods.create", id, o.village_code, name, err);
    return rc;
}

int
points_goods_update(struct db_conn *c, const struct actor *a, int64_t goods_id, const char *name,
                    int64_t points, int64_t restock, int active, struct point_goods *out,
                    struct err *err)
{
    struct point_outlet o;
    struct point_goods g;
    int rc = points_goods_get(c, goods_id, &g, err);

    if (rc == 0)
        rc = outlet_for(c, a, g.outlet_id, POINTS_OBJ_GOODS, &o, err);
    if (rc == 0)
        rc = check_goods(name, points ? points : g.points, g.stock, err);
    if (rc == 0 && (restock < 0 || restock > 1000000 || (restock && g.stock < 0)))
        rc = err_set(err, ERR_INVALID, "restock", "补货数量须为 1 到 100 万，且只用于计库存的商品",
                     "restock is 1 to 10^6, and only for goods with a stock");
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE point_goods SET name = COALESCE(?, name), points = ?,"
                    " stock = CASE WHEN stock IS NULL THEN NULL ELSE stock + ? END,"
                    " active = ?, updated_at = ? WHERE id = ?",
                    "tiiiii", name, points ? points : g.points, restock,
                    (int64_t)(active < 0 ? g.active : active != 0), clock_now_ms(), goods_id);
    if (rc < 0)
        return rc;
    rc = points_goods_get(c, goods_id, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.goods.update", goods_id, o.village_code,
                          restock ? "restock" : "change", err);
    return rc;
}
