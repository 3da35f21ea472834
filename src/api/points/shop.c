/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/shop.c -- spending points over HTTP (domain/points/shop.h):
 * outlets and goods, a villager's one-time pay code (with its QR code), the
 * redemptions a merchant takes, and statements for a bank. The rules are the
 * domain's; these only decode and encode. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/points/points_api.h"
#include "core/jsonw.h"
#include "core/qr.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/shop.h"

struct shop_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    char kind[10], name[200], username[64], unit[32], paycode[32];
    int64_t n1, n2, n3;
    int flag;
    struct redeem_request redeem;
    struct point_outlet outlet, *outlets;
    struct point_goods goods, *goods_list;
    size_t noutlets, ngoods;
    struct point_redemption redemption, *redemptions;
    size_t nredemptions;
    struct point_statement statement;
    struct point_entry *entries;
    size_t nentries;
    char code[POINTS_PAYCODE_CHARS + 1];
    int64_t expires_at;
    struct sbuf svg;
};

static void
call_release(void *state)
{
    struct shop_call *k = state;

    free(k->outlets);
    free(k->goods_list);
    free(k->redemptions);
    free(k->entries);
    sbuf_release(&k->svg);
    free(k);
}

static void
copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* --- JSON --- */

static void
goods_json(struct jsonw *w, const struct point_goods *g)
{
    jsonw_object(w);
    jsonw_kint(w, "id", g->id);
    jsonw_kint(w, "outlet_id", g->outlet_id);
    jsonw_kstr(w, "name", g->name);
    jsonw_kint(w, "points", g->points);
    jsonw_key(w, "stock");
    if (g->stock < 0)
        jsonw_null(w);
    else
        jsonw_int(w, g->stock);
    jsonw_kstr(w, "unit", g->unit);
    jsonw_key(w, "active");
    jsonw_bool(w, g->active);
    jsonw_end_object(w);
}

static void
outlet_json(struct jsonw *w, const struct point_outlet *o, const struct point_goods *goods,
            size_t ngoods)
{
    jsonw_object(w);
    jsonw_kint(w, "id", o->id);
    jsonw_kstr(w, "village_code", o->village_code);
    jsonw_kstr(w, "kind", o->kind);
    jsonw_kstr(w, "name", o->name);
    jsonw_kint(w, "discount_pct", o->discount_pct);
    jsonw_kref(w, "merchant_user_id", o->merchant_user_id);
    jsonw_key(w, "active");
    jsonw_bool(w, o->active);
    jsonw_key(w, "goods");
    jsonw_array(w);
    for (size_t i = 0; i < ngoods; i++)
        if (goods[i].outlet_id == o->id)
            goods_json(w, &goods[i]);
    jsonw_end_array(w);
    jsonw_end_object(w);
}

static void
redemption_json(struct jsonw *w, const struct point_redemption *r, bool with_balance)
{
    jsonw_object(w);
    jsonw_kint(w, "id", r->id);
    jsonw_kint(w, "household_id", r->household_id);
    jsonw_kstr(w, "household_name", r->household_name);
    jsonw_kstr(w, "village_code", r->village_code);
    jsonw_kint(w, "outlet_id", r->outlet_id);
    jsonw_kstr(w, "outlet_name", r->outlet_name);
    jsonw_kref(w, "goods_id", r->goods_id);
    jsonw_kstr(w, "goods_name", r->goods_name);
    jsonw_kint(w, "quantity", r->quantity);
    jsonw_kint(w, "points", r->points);
    jsonw_kint(w, "cash_fen", r->cash_fen);
    jsonw_kint(w, "amount_fen", r->amount_fen);
    if (with_balance)
        jsonw_kint(w, "balance", r->balance);
    jsonw_kref(w, "entry_id", r->entry_id);
    jsonw_kint(w, "tlog_index", r->tlog_index);
    jsonw_kint(w, "created_at", r->created_at);
    jsonw_end_object(w);
}

/* --- outlets --- */

static int
render_outlets(struct request *req, struct response *res, void *state)
{
    struct shop_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "outlets");
    jsonw_array(&w);
    for (size_t i = 0; i < k->noutlets; i++)
        outlet_json(&w, &k->outlets[i], k->goods_list, k->ngoods);
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

static int
outlets_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_outlets_of(c, &k->c.act.a, k->c.village, &k->outlets, &k->noutlets,
                             &k->goods_list, &k->ngoods, err);
}

static int
mine_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_outlets_mine(c, &k->c.act.a, &k->outlets, &k->noutlets, &k->goods_list,
                               &k->ngoods, err);
}

int
api_points_outlets(struct request *req, struct response *res)
{
    return api_read_owned(req, res, outlets_job, api_call_new(req, sizeof(struct shop_call)),
                          render_outlets, call_release);
}

int
api_points_outlets_mine(struct request *req, struct response *res)
{
    return api_read_owned(req, res, mine_job, api_call_new(req, sizeof(struct shop_call)),
                          render_outlets, call_release);
}

static int
outlet_create_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_outlet_create(c, &k->c.act.a, k->c.village, k->kind, k->name, k->n1,
                                k->username[0] ? k->username : NULL, &k->outlet, err);
}

static int
render_outlet(struct request *req, struct response *res, void *state)
{
    struct shop_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 201));
    outlet_json(&w, &k->outlet, NULL, 0);
    return 0;
}

int
api_points_outlet_create(struct request *req, struct response *res)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));

    copy_str(k->kind, sizeof(k->kind), api_str(req, "kind"));
    copy_str(k->name, sizeof(k->name), api_str(req, "name"));
    copy_str(k->username, sizeof(k->username), api_str(req, "merchant_username"));
    k->n1 = api_int(req, "discount_pct", 0);
    return api_write_owned(req, res, outlet_create_job, k, render_outlet, call_release);
}

/* --- goods --- */

static int
render_goods_status(struct response *res, int status, const struct point_goods *g)
{
    struct jsonw w;

    jsonw_init(&w, response_json_body(res, status));
    goods_json(&w, g);
    return 0;
}

static int
render_new_goods(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_goods_status(res, 201, &((struct shop_call *)state)->goods);
}

static int
render_goods(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_goods_status(res, 200, &((struct shop_call *)state)->goods);
}

static int
goods_add_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_goods_add(c, &k->c.act.a, k->c.id, k->name, k->n1, k->n2, k->unit, &k->goods,
                            err);
}

int
api_points_goods_create(struct request *req, struct response *res)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));

    copy_str(k->name, sizeof(k->name), api_str(req, "name"));
    copy_str(k->unit, sizeof(k->unit), api_str(req, "unit"));
    k->n1 = api_int(req, "points", 0);
    k->n2 = api_int(req, "stock", -1);
    return api_write_owned(req, res, goods_add_job, k, render_new_goods, call_release);
}

static int
goods_update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_goods_update(c, &k->c.act.a, k->c.id, k->name[0] ? k->name : NULL, k->n1, k->n2,
                               k->flag, &k->goods, err);
}

int
api_points_goods_update(struct request *req, struct response *res)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));
    json_t *active = json_object_get(req->body, "active");

    copy_str(k->name, sizeof(k->name), api_str(req, "name"));
    k->n1 = api_int(req, "points", 0);
    k->n2 = api_int(req, "restock", 0);
    k->flag = active ? json_is_true(active) : -1;
    return api_write_owned(req, res, goods_update_job, k, render_goods, call_release);
}

/* --- pay codes --- */

static int
paycode_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;
    int rc = points_paycode_new(c, &k->c.act.a, k->code, sizeof(k->code), &k->expires_at, err);

    sbuf_reset(&k->svg); /* a job may run twice: this run's code alone */
    return rc == 0 ? qr_svg(k->code, strlen(k->code), &k->svg, err) : rc;
}

static int
render_paycode(struct request *req, struct response *res, void *state)
{
    struct shop_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 201));
    jsonw_object(&w);
    jsonw_kstr(&w, "code", k->code);
    jsonw_kint(&w, "expires_at", k->expires_at);
    jsonw_kstr(&w, "svg", k->svg.buf);
    jsonw_end_object(&w);
    res->cache_control = "no-store";
    return 0;
}

int
api_points_paycode(struct request *req, struct response *res)
{
    return api_write_owned(req, res, paycode_job, api_call_new(req, sizeof(struct shop_call)),
                           render_paycode, call_release);
}

/* --- redemptions --- */

static int
redeem_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_redeem(c, &k->c.act.a, &k->redeem, &k->redemption, err);
}

static int
render_redemption(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 201));
    redemption_json(&w, &((struct shop_call *)state)->redemption, true);
    return 0;
}

int
api_points_redeem(struct request *req, struct response *res)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));

    copy_str(k->paycode, sizeof(k->paycode), api_str(req, "paycode"));
    k->redeem = (struct redeem_request){ .outlet_id = api_int(req, "outlet_id", 0),
                                         .goods_id = api_int(req, "goods_id", 0),
                                         .quantity = api_int(req, "quantity", 1),
                                         .amount_fen = api_int(req, "amount_fen", 0),
                                         .paycode = k->paycode,
                                         .household_id = api_int(req, "household_id", 0),
                                         .allow_cash = json_is_true(
                                             json_object_get(req->body, "allow_cash")) };
    return api_write_owned(req, res, redeem_job, k, render_redemption, call_release);
}

static int
redemptions_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_redemptions(c, &k->c.act.a, k->n1, k->n2, 50, &k->redemptions, &k->nredemptions,
                              err);
}

static int
render_redemptions(struct request *req, struct response *res, void *state)
{
    struct shop_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "redemptions");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nredemptions; i++)
        redemption_json(&w, &k->redemptions[i], false);
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

static int
redemptions_of(struct request *req, struct response *res, int64_t household, int64_t outlet)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));
    int rc;

    k->n1 = household;
    k->n2 = outlet;
    rc = api_read(req, res, redemptions_job, k, render_redemptions);
    call_release(k);
    return rc;
}

int
api_points_my_redemptions(struct request *req, struct response *res)
{
    struct err e = ERR_INIT;
    const struct auth_binding *own = auth_own_villager(api_principal(req), &e);

    return own ? redemptions_of(req, res, own->household_id, 0) : response_error(res, req, &e);
}

int
api_points_household_redemptions(struct request *req, struct response *res)
{
    return redemptions_of(req, res, api_param_id(req, "id"), 0);
}

int
api_points_outlet_redemptions(struct request *req, struct response *res)
{
    return redemptions_of(req, res, 0, api_param_id(req, "id"));
}

/* --- statements for a bank --- */

static int
statement_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;
    int64_t balance;
    int rc = points_statement_issue(c, &k->c.act.a, k->n1, k->n2, &k->statement, err);

    free(k->entries); /* a job may run twice: this run's entries alone */
    k->entries = NULL;
    k->nentries = 0;
    if (rc == 0)
        rc = points_entries_of(c, &k->c.act.a, k->n1, 50, &k->entries, &k->nentries, &balance, err);
    return rc;
}

static int
render_statement(struct request *req, struct response *res, void *state)
{
    struct shop_call *k = state;
    const struct point_statement *st = &k->statement;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 201));
    jsonw_object(&w);
    jsonw_kint(&w, "id", st->id);
    jsonw_kint(&w, "household_id", st->household_id);
    jsonw_kstr(&w, "household_name", st->household_name);
    jsonw_kstr(&w, "village_code", st->village_code);
    jsonw_kstr(&w, "village_name", st->village_name);
    jsonw_kint(&w, "outlet_id", st->outlet_id);
    jsonw_kstr(&w, "outlet_name", st->outlet_name);
    jsonw_kint(&w, "balance", st->balance);
    jsonw_kint(&w, "earned", st->earned);
    jsonw_kint(&w, "deducted", st->deducted);
    jsonw_kint(&w, "redeemed", st->redeemed);
    jsonw_kint(&w, "entries_count", st->entries);
    jsonw_kint(&w, "tlog_index", st->tlog_index);
    jsonw_kint(&w, "issued_at", st->issued_at);
    points_entries_json(&w, k->entries, k->nentries);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_statement(struct request *req, struct response *res)
{
    struct err e = ERR_INIT; /* a villager asks for their own household's */
    const struct auth_binding *own = auth_own_villager(api_principal(req), &e);
    int64_t household = api_int(req, "household_id", own ? own->household_id : 0);
    struct shop_call *k;

    if (!household)
        return response_error(res, req, &e);
    k = api_call_new(req, sizeof(*k));
    k->n1 = household;
    k->n2 = api_int(req, "outlet_id", 0);
    return api_write_owned(req, res, statement_job, k, render_statement, call_release);
}
