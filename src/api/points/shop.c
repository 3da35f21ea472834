/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/shop.c -- spending points over HTTP (domain/points/shop.h):
 * outlets and goods, a villager's one-time pay code (with its QR code), the
 * redemptions a merchant takes, and statements for a bank. The rules are the
 * domain's; these only decode and encode. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/decode.h"
#include "api/points/points_api.h"
#include "core/jsonw.h"
#include "core/qr.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/shop.h"

/* What each write's body holds (routes.c's schemas): a member a field. */
struct outlet_request {
    char kind[11];
    char name[4 * 50 + 1];
    char merchant_username[4 * 40 + 1];
    int64_t discount_pct;
};
struct goods_request {
    char name[4 * 50 + 1];
    char unit[4 * 10 + 1];
    int64_t points, stock; /* stock -1: not counted */
};
struct goods_change {
    char name[4 * 50 + 1]; /* "" keeps it */
    int64_t points;        /* 0 keeps it */
    int64_t restock;
    int active; /* -1 keeps it */
};
struct redeem_body {
    int64_t outlet_id, goods_id, quantity, amount_fen, household_id;
    char paycode[4 * 32 + 1];
    bool allow_cash;
};
struct statement_request {
    int64_t household_id; /* 0: the caller's own */
    int64_t outlet_id;
};

static const struct api_member outlet_members[] = {
    API_MEMBER(struct outlet_request, kind, "kind", 0),
    API_MEMBER(struct outlet_request, name, "name", 0),
    API_MEMBER(struct outlet_request, merchant_username, "merchant_username", 0),
    API_MEMBER(struct outlet_request, discount_pct, "discount_pct", 0),
};
static const struct api_member goods_members[] = {
    API_MEMBER(struct goods_request, name, "name", 0),
    API_MEMBER(struct goods_request, unit, "unit", 0),
    API_MEMBER(struct goods_request, points, "points", 0),
    API_MEMBER(struct goods_request, stock, "stock", -1),
};
static const struct api_member goods_change_members[] = {
    API_MEMBER(struct goods_change, name, "name", 0),
    API_MEMBER(struct goods_change, points, "points", 0),
    API_MEMBER(struct goods_change, restock, "restock", 0),
    API_MEMBER(struct goods_change, active, "active", -1),
};
static const struct api_member redeem_members[] = {
    API_MEMBER(struct redeem_body, outlet_id, "outlet_id", 0),
    API_MEMBER(struct redeem_body, goods_id, "goods_id", 0),
    API_MEMBER(struct redeem_body, quantity, "quantity", 1),
    API_MEMBER(struct redeem_body, amount_fen, "amount_fen", 0),
    API_MEMBER(struct redeem_body, household_id, "household_id", 0),
    API_MEMBER(struct redeem_body, paycode, "paycode", 0),
    API_MEMBER(struct redeem_body, allow_cash, "allow_cash", 0),
};
static const struct api_member statement_members[] = {
    API_MEMBER(struct statement_request, household_id, "household_id", 0),
    API_MEMBER(struct statement_request, outlet_id, "outlet_id", 0),
};

struct shop_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    union {
        struct outlet_request outlet;
        struct goods_request goods;
        struct goods_change goods_change;
        struct redeem_body redeem;
        struct statement_request statement;
    } in;
    int64_t of_household, of_outlet; /* whose redemptions, statement */
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

/* A write: its body decoded into k->in by 'members', then 'job'. */
static int
write_decoded(struct request *req, struct response *res, const struct api_member *members, size_t n,
              domain_job_fn job, api_render_fn render)
{
    struct shop_call *k = api_call_new(req, sizeof(*k));

    return api_write_decoded(req, res, k, &k->in, members, n, job, render, call_release);
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

    const struct outlet_request *in = &k->in.outlet;

    return points_outlet_create(c, &k->c.act.a, k->c.village, in->kind, in->name, in->discount_pct,
                                in->merchant_username[0] ? in->merchant_username : NULL, &k->outlet,
                                err);
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
    return write_decoded(req, res, outlet_members, ARRAY_LEN(outlet_members), outlet_create_job,
                         render_outlet);
}

/* --- goods --- */

static int
render_goods(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    jsonw_init(&w, api_answer_body(req, res));
    goods_json(&w, &((struct shop_call *)state)->goods);
    return 0;
}

static int
goods_add_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    const struct goods_request *in = &k->in.goods;

    return points_goods_add(c, &k->c.act.a, k->c.id, in->name, in->points, in->stock, in->unit,
                            &k->goods, err);
}

int
api_points_goods_create(struct request *req, struct response *res)
{
    return write_decoded(req, res, goods_members, ARRAY_LEN(goods_members), goods_add_job,
                         render_goods);
}

static int
goods_update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    const struct goods_change *in = &k->in.goods_change;

    return points_goods_update(c, &k->c.act.a, k->c.id, in->name[0] ? in->name : NULL, in->points,
                               in->restock, in->active, &k->goods, err);
}

int
api_points_goods_update(struct request *req, struct response *res)
{
    return write_decoded(req, res, goods_change_members, ARRAY_LEN(goods_change_members),
                         goods_update_job, render_goods);
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
    const struct redeem_body *in = &k->in.redeem;

    k->redeem = (struct redeem_request){ .outlet_id = in->outlet_id,
                                         .goods_id = in->goods_id,
                                         .quantity = in->quantity,
                                         .amount_fen = in->amount_fen,
                                         .paycode = in->paycode,
                                         .household_id = in->household_id,
                                         .allow_cash = in->allow_cash };
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
    return write_decoded(req, res, redeem_members, ARRAY_LEN(redeem_members), redeem_job,
                         render_redemption);
}

static int
redemptions_job(struct db_conn *c, void *arg, struct err *err)
{
    struct shop_call *k = arg;

    return points_redemptions(c, &k->c.act.a, k->of_household, k->of_outlet, 50, &k->redemptions,
                              &k->nredemptions, err);
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

    k->of_household = household;
    k->of_outlet = outlet;
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
    int rc = points_statement_issue(c, &k->c.act.a, k->of_household, k->in.statement.outlet_id,
                                    &k->statement, err);

    free(k->entries); /* a job may run twice: this run's entries alone */
    k->entries = NULL;
    k->nentries = 0;
    if (rc == 0)
        rc = points_entries_of(c, &k->c.act.a, k->of_household, 50, &k->entries, &k->nentries,
                               &balance, err);
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
    struct err e = ERR_INIT;
    struct shop_call *k = api_call_new(req, sizeof(*k));
    const struct auth_binding *own;

    if (api_decode(req, statement_members, ARRAY_LEN(statement_members), &k->in, &e) < 0) {
        call_release(k);
        return response_error(res, req, &e);
    }
    k->of_household = k->in.statement.household_id;
    if (!k->of_household) { /* a villager asks for their own household's */
        own = auth_own_villager(api_principal(req), &e);
        if (!own) {
            call_release(k);
            return response_error(res, req, &e);
        }
        k->of_household = own->household_id;
    }
    return api_write_owned(req, res, statement_job, k, render_statement, call_release);
}
