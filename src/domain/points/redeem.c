/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/redeem.c -- one-time pay codes and redemptions (shop.h):
 * the pay code used, the stock taken, the balance checked, the redemption, its
 * ledger entry and its log leaf, all in the writer's one transaction. The SQL
 * of point_paycodes and point_redemptions. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/points_int.h"
#include "domain/points/shop.h"
#include "store/db.h"
#include "tlog/check.h"
#include "tlog/tlog.h"

static void
code_hash(const char *code, char hex[2 * CRYPTO_HASH_BYTES + 1])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char h[CRYPTO_HASH_BYTES];

    crypto_sha256(code, strlen(code), h);
    for (size_t i = 0; i < sizeof(h); i++) {
        hex[2 * i] = digits[h[i] >> 4];
        hex[2 * i + 1] = digits[h[i] & 15];
    }
    hex[2 * sizeof(h)] = '\0';
}

int
points_paycode_new(struct db_conn *c, const struct actor *a, char *code, size_t size,
                   int64_t *expires_at, struct err *err)
{
    char hex[2 * CRYPTO_HASH_BYTES + 1];
    const struct auth_binding *own = auth_own_villager(a->who, err);
    int64_t household = own ? own->household_id : 0, now = clock_now_ms();
    int rc;

    if (!own)
        return -err->code;
    if (size < POINTS_PAYCODE_CHARS + 1)
        return err_code_set(err, ERR_INTERNAL, NULL);
    memcpy(code, "XZ", 2);
    crypto_random_digits(code + 2, POINTS_PAYCODE_CHARS - 2);
    code_hash(code, hex);
    *expires_at = now + POINTS_PAYCODE_TTL_MS;
    rc = db_run(c, err, "DELETE FROM point_paycodes WHERE expires_at < ?", "i", now - 86400000LL);
    if (rc >= 0)
        rc = db_run(c, err,
                    "INSERT INTO point_paycodes (code_hash, household_id, user_id, expires_at)"
                    " VALUES (?, ?, ?, ?)",
                    "tiii", hex, household, a->who->user_id, *expires_at);
    return rc < 0 ? rc : 0;
}

/* The household a pay code stands for, using the code up. */
static int
paycode_use(struct db_conn *c, const char *code, int64_t *household, struct err *err)
{
    char hex[2 * CRYPTO_HASH_BYTES + 1];
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc;

    if (strlen(code) != POINTS_PAYCODE_CHARS)
        return err_set(err, ERR_INVALID, "paycode", "付款码格式不对", "that is not a pay code");
    code_hash(code, hex);
    rc = db_prepare(c,
                    "UPDATE point_paycodes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL"
                    " AND expires_at >= ? RETURNING household_id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, now);
    db_bind_text(s, 2, hex, (size_t)-1);
    db_bind_i64(s, 3, now);
    rc = db_step(s, err);
    if (rc == 1)
        *household = db_col_i64(s, 0);
    db_reset(s);
    if (rc == 0)
        return err_set(err, ERR_CONFLICT, "paycode", "付款码无效、已过期或已使用，请让村民刷新",
                       "the pay code is unknown, expired or used; ask for a fresh one");
    return rc < 0 ? rc : 0;
}

/* The outlet, checked for 'a': points.redeem in its village, a merchant only
 * at their own outlet, and never a bank. */
static int
outlet_to_redeem_at(struct db_conn *c, const struct actor *a, int64_t id, struct point_outlet *o,
                    struct err *err)
{
    int rc = points_outlet_get(c, id, o, err);

    if (rc == 0)
        rc = points_may(a, PERM_POINTS_REDEEM, o->village_code, 0, POINTS_OBJ_OUTLET, err);
    if (rc == 0 && a->who && o->merchant_user_id != a->who->user_id &&
        !auth_object_may(a->who, PERM_POINTS_OUTLET, o->village_code, 0))
        rc = err_set(err, ERR_FORBIDDEN, "outlet_id", "只能在自己的兑换点收积分",
                     "you may take points only at your own outlet");
    if (rc == 0 && (!o->active || strcmp(o->kind, "bank") == 0))
        rc = err_set(err, ERR_CONFLICT, "outlet_id", "该兑换点已停用或不收积分",
                     "that outlet is closed or takes no points");
    return rc;
}

/* Whose points: a pay code, or a household a cadre names at the store. A
 * named household the caller may not see is answered exactly as one that
 * does not exist: its village is judged only after that. */
static int
redeeming_household(struct db_conn *c, const struct actor *a, const struct redeem_request *r,
                    const struct point_outlet *o, struct point_redemption *out, struct err *err)
{
    bool by_code = r->paycode && r->paycode[0];
    char village[13] = "";
    int rc;

    if (by_code)
        rc = paycode_use(c, r->paycode, &out->household_id, err);
    else if (r->household_id && (!a->who || auth_role_may(a->who, PERM_HOUSEHOLD_READ)))
        rc = (out->household_id = r->household_id, 0);
    else
        rc = err_set(err, ERR_INVALID, "paycode", "请扫描村民的付款码",
                     "scan the villager's pay code");
    if (rc == 0)
        rc = points_household_name(c, out->household_id, village, out->household_name,
                                   sizeof(out->household_name), err);
    if (rc == 0 && !by_code && a->who &&
        !auth_object_may(a->who, PERM_HOUSEHOLD_READ, village, out->household_id))
        rc = points_not_found(err, POINTS_OBJ_HOUSEHOLD);
    if (rc == 0 && strcmp(village, o->village_code) != 0)
        rc = err_set(err, ERR_CONFLICT, "paycode", "该户不是本村村民，不能在此兑换",
                     "that household is not of this outlet's village");
    if (rc == 0)
        rc = points_not_own(c, a, out->household_id, err);
    return rc;
}

/* The goods taken off the stock (the UPDATE refuses to go below zero), or a
 * merchant's bill: how many points it costs. */
static int
price(struct db_conn *c, const struct redeem_request *r, const struct point_outlet *o,
      int64_t point_fen, struct point_redemption *out, int64_t *cost, struct err *err)
{
    struct point_goods g;
    int rc;

    if (!r->goods_id) {
        if (strcmp(o->kind, "merchant") != 0 || o->discount_pct <= 0)
            return err_set(err, ERR_INVALID, "goods_id", "请选择兑换的商品或服务",
                           "choose the goods or service");
        if (r->amount_fen < 1 || r->amount_fen > 100000000)
            return err_set(err, ERR_INVALID, "amount_fen", "消费金额须在 0.01 到 100 万元之间",
                           "the bill must be ¥0.01 to ¥1,000,000");
        *cost = r->amount_fen * o->discount_pct / 100 / point_fen;
        if (*cost < 1)
            return err_set(err, ERR_INVALID, "amount_fen", "金额太小，抵扣不到 1 积分",
                           "the bill is too small for one point of discount");
        out->quantity = 1;
        out->amount_fen = r->amount_fen;
        snprintf(out->goods_name, sizeof(out->goods_name), "消费抵扣 %" PRId64 "%%",
                 o->discount_pct);
        return 0;
    }
    out->quantity = r->quantity ? r->quantity : 1;
    if (out->quantity < 1 || out->quantity > POINTS_REDEEM_MAX_QTY)
        return err_set(err, ERR_INVALID, "quantity", "数量须在 1 到 %d 之间",
                       "the quantity must be 1 to %d", POINTS_REDEEM_MAX_QTY);
    rc = points_goods_get(c, r->goods_id, &g, err);
    if (rc == 0 && (g.outlet_id != o->id || !g.active))
        rc = points_not_found(err, POINTS_OBJ_GOODS);
    if (rc < 0)
        return rc;
    out->goods_id = g.id;
    snprintf(out->goods_name, sizeof(out->goods_name), "%s", g.name);
    *cost = g.points * out->quantity;
    if (g.stock < 0)
        return 0;
    rc = db_run(c, err, "UPDATE point_goods SET stock = stock - ? WHERE id = ? AND stock >= ?",
                "iii", out->quantity, g.id, out->quantity);
    if (rc >= 0 && db_changes(c) == 0)
        return err_set(err, ERR_CONFLICT, "stock", "库存不足（剩余 %" PRId64 "）",
                       "not enough in stock (%" PRId64 " left)", g.stock);
    return rc < 0 ? rc : 0;
}

/* How many of 'cost' points the household pays, and the cash for the rest. */
static int
settle(struct db_conn *c, const struct redeem_request *r, int64_t cost, int64_t point_fen,
       struct point_redemption *out, struct err *err)
{
    int64_t balance = 0;
    int rc = points_balance_raw(c, out->household_id, &balance, err);

    if (rc < 0)
        return rc;
    out->points = cost;
    if (balance >= cost)
        return 0;
    if (!r->allow_cash || balance <= 0)
        return err_set(err, ERR_CONFLICT, "points", "积分不足：余额 %" PRId64 "，需要 %" PRId64,
                       "not enough points: the balance is %" PRId64 ", %" PRId64 " needed", balance,
                       cost);
    out->points = balance;
    out->cash_fen = (cost - balance) * point_fen;
    return 0;
}

static int
insert_redemption(struct db_conn *c, const struct actor *a, struct point_redemption *out,
                  struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO point_redemptions (household_id, village_code, outlet_id,"
                        " goods_id, goods_name, quantity, points, cash_fen, amount_fen,"
                        " operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    out->created_at = clock_now_ms();
    out->operator_id = a->who ? a->who->user_id : 0;
    db_bind_i64(s, 1, out->household_id);
    db_bind_text(s, 2, out->village_code, (size_t)-1);
    db_bind_i64(s, 3, out->outlet_id);
    if (out->goods_id)
        db_bind_i64(s, 4, out->goods_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, out->goods_name, (size_t)-1);
    db_bind_i64(s, 6, out->quantity);
    db_bind_i64(s, 7, out->points);
    db_bind_i64(s, 8, out->cash_fen);
    db_bind_i64(s, 9, out->amount_fen);
    if (out->operator_id)
        db_bind_i64(s, 10, out->operator_id);
    else
        db_bind_null(s, 10);
    db_bind_i64(s, 11, out->created_at);
    rc = db_step(s, err);
    if (rc == 1)
        out->id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
}

static int points_redemption_record(struct db_conn *c, int64_t id, int64_t entry_id,
                                    struct sbuf *out, struct err *err);

/* The leaf of redemption 'id', whose ledger entry 'e' is: the redemption's
 * record commits to the entry. */
static int
redemption_leaf(struct db_conn *c, int64_t id, const struct point_entry *e, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    int rc = points_redemption_record(c, id, e->id, &record, err);

    sbuf_addf(&ref, "points/redemption/%lld", (long long)id);
    if (rc == 0)
        rc = points_entry_seal(c, e, "points.redeem", ref.buf, &record, err);
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

/* The redemption's ledger entry, sealed by the redemption's leaf. */
static int
redemption_entry(struct db_conn *c, struct point_redemption *out, struct err *err)
{
    struct point_entry e = { .household_id = out->household_id,
                             .delta = -out->points,
                             .redemption_id = out->id };
    int rc;

    snprintf(e.village_code, sizeof(e.village_code), "%s", out->village_code);
    snprintf(e.reason, sizeof(e.reason), "兑换：%.150s ×%" PRId64 "（%.150s）", out->goods_name,
             out->quantity, out->outlet_name);
    rc = points_entry_insert(c, &e, err);
    if (rc == 0)
        rc = redemption_leaf(c, out->id, &e, err);
    out->entry_id = e.id;
    out->tlog_index = e.tlog_index;
    if (rc == 0)
        rc = points_balance_raw(c, out->household_id, &out->balance, err);
    return rc;
}

int
points_redeem(struct db_conn *c, const struct actor *a, const struct redeem_request *r,
              struct point_redemption *out, struct err *err)
{
    struct point_outlet o;
    struct point_scheme scheme;
    int64_t cost = 0;
    int rc = outlet_to_redeem_at(c, a, r->outlet_id, &o, err);

    memset(out, 0, sizeof(*out));
    if (rc == 0)
        rc = points_scheme_active(c, o.village_code, &scheme, err);
    if (rc < 0)
        return rc;
    out->outlet_id = o.id;
    snprintf(out->outlet_name, sizeof(out->outlet_name), "%s", o.name);
    snprintf(out->village_code, sizeof(out->village_code), "%s", o.village_code);
    rc = redeeming_household(c, a, r, &o, out, err);
    if (rc == 0)
        rc = price(c, r, &o, scheme.point_fen > 0 ? scheme.point_fen : 100, out, &cost, err);
    if (rc == 0)
        rc = settle(c, r, cost, scheme.point_fen > 0 ? scheme.point_fen : 100, out, err);
    if (rc == 0)
        rc = insert_redemption(c, a, out, err);
    if (rc == 0)
        rc = redemption_entry(c, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.redeem", out->id, out->village_code, out->goods_name, err);
    return rc;
}

#define REDEMPTION_COLUMNS                                                                         \
    "SELECT r.id, r.household_id, r.village_code, r.outlet_id, o.name, COALESCE(r.goods_id, 0),"   \
    " r.goods_name, r.quantity, r.points, r.cash_fen, r.amount_fen, COALESCE(r.operator_id, 0),"   \
    " r.created_at, COALESCE(e.id, 0), COALESCE(e.tlog_index, 0),"                                 \
    " COALESCE((SELECT p.name FROM households h JOIN persons p ON p.id = h.head_person_id"         \
    " WHERE h.id = r.household_id), '')"                                                           \
    " FROM point_redemptions r JOIN point_outlets o ON o.id = r.outlet_id"                         \
    " LEFT JOIN point_entries e ON e.redemption_id = r.id "

static void
read_redemption(struct db_stmt *s, void *row)
{
    struct point_redemption *r = row;

    memset(r, 0, sizeof(*r));
    r->id = db_col_i64(s, 0);
    r->household_id = db_col_i64(s, 1);
    db_col_copy(s, 2, r->village_code, sizeof(r->village_code));
    r->outlet_id = db_col_i64(s, 3);
    db_col_copy(s, 4, r->outlet_name, sizeof(r->outlet_name));
    r->goods_id = db_col_i64(s, 5);
    db_col_copy(s, 6, r->goods_name, sizeof(r->goods_name));
    r->quantity = db_col_i64(s, 7);
    r->points = db_col_i64(s, 8);
    r->cash_fen = db_col_i64(s, 9);
    r->amount_fen = db_col_i64(s, 10);
    r->operator_id = db_col_i64(s, 11);
    r->created_at = db_col_i64(s, 12);
    r->entry_id = db_col_i64(s, 13);
    r->tlog_index = db_col_i64(s, 14);
    db_col_copy(s, 15, r->household_name, sizeof(r->household_name));
}

/* May 'a' read the redemptions of the household, or of the outlet? */
static int
may_list(struct db_conn *c, const struct actor *a, int64_t household_id, int64_t outlet_id,
         struct err *err)
{
    struct point_outlet o;
    char village[13] = "", name[100];
    int rc;

    if (household_id) {
        rc = points_household_name(c, household_id, village, name, sizeof(name), err);
        return rc == 0 ? points_may(a, PERM_POINTS_READ, village, household_id,
                                    POINTS_OBJ_HOUSEHOLD, err)
                       : rc;
    }
    rc = points_outlet_get(c, outlet_id, &o, err);
    if (rc == 0 && a->who && o.merchant_user_id != a->who->user_id &&
        !auth_object_may(a->who, PERM_POINTS_READ, o.village_code, 0))
        rc = points_not_found(err, POINTS_OBJ_OUTLET);
    return rc;
}

int
points_redemptions(struct db_conn *c, const struct actor *a, int64_t household_id,
                   int64_t outlet_id, int limit, struct point_redemption **out, size_t *n,
                   struct err *err)
{
    struct db_stmt *s;
    int rc = may_list(c, a, household_id, outlet_id, err);

    *out = NULL;
    *n = 0;
    if (rc < 0)
        return rc;
    if (limit < 1 || limit > 200)
        limit = 50;
    rc = db_prepare(c,
                    household_id ? REDEMPTION_COLUMNS "WHERE r.household_id = ? ORDER BY r.id DESC"
                                                      " LIMIT ?"
                                 : REDEMPTION_COLUMNS "WHERE r.outlet_id = ? ORDER BY r.id DESC"
                                                      " LIMIT ?",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household_id ? household_id : outlet_id);
    db_bind_i64(s, 2, limit);
    *out = xcalloc((size_t)limit, sizeof(**out));
    while ((rc = db_step(s, err)) == 1)
        read_redemption(s, &(*out)[(*n)++]);
    db_reset(s);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc < 0 ? rc : 0;
}

/* What the redemption's leaf commits to (shop.h), with its entry's id. */
static int
points_redemption_record(struct db_conn *c, int64_t id, int64_t entry_id, struct sbuf *out,
                         struct err *err)
{
    struct point_redemption r;
    struct jsonw w;
    int rc = points_one(c, REDEMPTION_COLUMNS "WHERE r.id = ?", NULL, id, read_redemption, &r,
                        POINTS_OBJ_REDEMPTION, err);

    if (rc < 0)
        return rc;
    jsonw_init(&w, out);
    jsonw_object(&w);
    jsonw_kint(&w, "id", r.id);
    jsonw_kint(&w, "household_id", r.household_id);
    jsonw_kstr(&w, "village_code", r.village_code);
    jsonw_kint(&w, "outlet_id", r.outlet_id);
    jsonw_kref(&w, "goods_id", r.goods_id);
    jsonw_kstr(&w, "goods_name", r.goods_name);
    jsonw_kint(&w, "quantity", r.quantity);
    jsonw_kint(&w, "points", r.points);
    jsonw_kint(&w, "cash_fen", r.cash_fen);
    jsonw_kint(&w, "amount_fen", r.amount_fen);
    jsonw_kref(&w, "operator_id", r.operator_id);
    jsonw_kint(&w, "entry_id", entry_id);
    jsonw_kint(&w, "created_at", r.created_at);
    jsonw_end_object(&w);
    return 0;
}

/* A redemption with its entry and that entry's leaf, for the check. */
struct redemption_leaf_row {
    int64_t id, entry_id, tlog_index;
    struct sbuf leaf;
    unsigned char salt[TLOG_SALT_BYTES];
    bool has_leaf;
};

static void
read_redemption_leaf(struct db_stmt *s, void *item)
{
    struct redemption_leaf_row *r = item;
    const void *leaf, *salt;
    size_t llen = 0, slen = 0;

    r->id = db_col_i64(s, 0);
    r->entry_id = db_col_i64(s, 1);
    r->tlog_index = db_col_i64(s, 2);
    r->leaf = (struct sbuf)SBUF_INIT;
    leaf = db_col_blob(s, 3, &llen);
    salt = db_col_blob(s, 4, &slen);
    r->has_leaf = leaf && salt && slen == TLOG_SALT_BYTES;
    if (r->has_leaf) {
        sbuf_add(&r->leaf, leaf, llen);
        memcpy(r->salt, salt, TLOG_SALT_BYTES);
    }
}

/* One redemption against its leaf: 0, 1 with 'problem', or -ERR_*. */
static int
check_redemption(struct db_conn *c, const struct redemption_leaf_row *r, char *problem,
                 size_t psize, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    int rc = r->has_leaf ? points_redemption_record(c, r->id, r->entry_id, &record, err) : 0;

    sbuf_addf(&ref, "points/redemption/%lld", (long long)r->id);
    if (rc == 0 &&
        (!r->has_leaf || !tlog_entry_commits_to(r->leaf.buf, r->leaf.len, r->salt, "points.redeem",
                                                ref.buf, record.buf, record.len))) {
        snprintf(problem, psize, "points redemption %lld differs from its log leaf %lld",
                 (long long)r->id, (long long)r->tlog_index);
        rc = 1;
    }
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

int
points_check_redemptions(struct db_conn *c, int64_t *count, char *problem, size_t psize,
                         struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(struct redemption_leaf_row));
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT r.id, e.id, e.tlog_index, t.entry, t.salt FROM point_redemptions r"
                        " JOIN point_entries e ON e.redemption_id = r.id"
                        " LEFT JOIN tlog_entries t ON t.idx = e.tlog_index ORDER BY r.id",
                        &s, err);

    *count = 0;
    if (rc == 0)
        rc = db_read_rows(s, read_redemption_leaf, &rows, err);
    for (size_t i = 0; i < rows.n; i++) {
        struct redemption_leaf_row *r = (struct redemption_leaf_row *)rows.items + i;

        if (rc == 0) {
            (*count)++;
            rc = check_redemption(c, r, problem, psize, err);
        }
        sbuf_release(&r->leaf);
    }
    db_rows_release(&rows);
    return rc;
}
