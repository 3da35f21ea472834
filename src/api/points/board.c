/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/board.c -- points read out for people over HTTP
 * (domain/points/board.h and the template editor of points.h): a village's
 * claims, its public board and honours, the reports by village, and the
 * county templates with their items. Decode, call the domain, encode. */
#include "core/compat.h"

#include <stdlib.h>

#include "api/api.h"
#include "api/call.h"
#include "api/points/points_api.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/board.h"

struct board_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    char region[13], state[16], category[16];
    int64_t household, before, next;
    int year, limit, evidence, veto;
    struct claim_row *claims;
    size_t nclaims;
    struct point_board board;
    struct honour_row *families, *courtyards;
    size_t nfamilies, ncourtyards;
    struct points_report report;
    struct point_scheme scheme, *schemes;
    size_t nschemes;
    struct point_item item, *items;
    size_t nitems;
};

static void
call_release(void *state)
{
    struct board_call *k = state;

    free(k->claims);
    points_board_free(&k->board);
    free(k->families);
    free(k->courtyards);
    points_report_free(&k->report);
    free(k->schemes);
    free(k->items);
    free(k);
}

/* The current year in China. */
static int
this_year(void)
{
    char iso[32];

    clock_iso8601(clock_now_ms() + 8 * 3600000LL, iso, sizeof(iso));
    return (int)strtol(iso, NULL, 10);
}

/* --- claims --- */

static void
claim_row_json(struct jsonw *w, const struct claim_row *r)
{
    const struct point_claim *k = &r->claim;

    jsonw_object(w);
    jsonw_kint(w, "id", k->id);
    jsonw_kint(w, "household_id", k->household_id);
    jsonw_kstr(w, "household_name", r->household_name);
    jsonw_kstr(w, "village_code", k->village_code);
    jsonw_kint(w, "cycle_id", k->cycle_id);
    jsonw_kint(w, "item_id", k->item_id);
    jsonw_kstr(w, "item_name", r->item_name);
    jsonw_kint(w, "points", k->points);
    jsonw_kstr(w, "source", k->source);
    jsonw_kstr(w, "state", k->state);
    jsonw_kstr(w, "note", k->note);
    jsonw_kstr(w, "evidence", k->evidence[0] ? k->evidence : NULL);
    jsonw_kref(w, "publicity_ends_at", k->publicity_ends_at);
    jsonw_kref(w, "entry_id", k->entry_id);
    jsonw_kint(w, "version", k->version);
    jsonw_kint(w, "created_at", k->created_at);
    jsonw_kint(w, "updated_at", k->updated_at);
    jsonw_end_object(w);
}

static int
claims_job(struct db_conn *c, void *arg, struct err *err)
{
    struct board_call *k = arg;

    return points_claims_list(c, &k->c.act.a, k->c.village, k->state, k->household, k->before,
                              k->limit, &k->claims, &k->nclaims, &k->next, err);
}

static int
render_claims(struct request *req, struct response *res, void *state)
{
    struct board_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "claims");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nclaims; i++)
        claim_row_json(&w, &k->claims[i]);
    jsonw_end_array(&w);
    jsonw_kref(&w, "next_before", k->next);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_claims(struct request *req, struct response *res)
{
    struct board_call *k = api_call_new(req, sizeof(*k));
    const char *state = request_query(req, "state");

    k->before = api_query_int(req, "before", 0);
    k->limit = (int)api_query_int(req, "limit", 50);
    k->household = api_query_int(req, "household_id", 0);
    snprintf(k->state, sizeof(k->state), "%s", state ? state : "");
    return api_read_owned(req, res, claims_job, k, render_claims, call_release);
}

/* The caller's own household's claims (a villager). */
int
api_points_my_claims(struct request *req, struct response *res)
{
    struct err e = ERR_INIT;
    const struct auth_binding *own = auth_own_villager(api_principal(req), &e);
    struct board_call *k;

    if (!own)
        return response_error(res, req, &e);
    k = api_call_new(req, sizeof(*k));
    snprintf(k->c.village, sizeof(k->c.village), "%s", own->scope);
    k->household = own->household_id;
    k->limit = 100;
    return api_read_owned(req, res, claims_job, k, render_claims, call_release);
}

/* --- the board and honours (public) --- */

static int
board_job(struct db_conn *c, void *arg, struct err *err)
{
    struct board_call *k = arg;

    return points_board(c, k->c.village, k->c.id, &k->board, err);
}

static void
board_lines_json(struct jsonw *w, const struct point_board *b, int64_t household)
{
    jsonw_key(w, "entries");
    jsonw_array(w);
    for (size_t i = 0; i < b->nlines; i++) {
        if (b->lines[i].household_id != household)
            continue;
        jsonw_object(w);
        jsonw_kstr(w, "item_name", b->lines[i].item_name);
        jsonw_kint(w, "delta", b->lines[i].points);
        jsonw_kstr(w, "state", b->lines[i].state);
        jsonw_end_object(w);
    }
    jsonw_end_array(w);
}

static void
board_lists_json(struct jsonw *w, const struct point_board *b)
{
    size_t red = 0;

    jsonw_key(w, "red");
    jsonw_array(w);
    for (size_t i = 0; i < b->nhouseholds && red < POINTS_BOARD_RED; i++) {
        if (b->households[i].total <= 0 || b->households[i].deducted)
            continue;
        jsonw_object(w);
        jsonw_kint(w, "household_id", b->households[i].household_id);
        jsonw_kstr(w, "name", b->households[i].name);
        jsonw_kint(w, "total", b->households[i].total);
        jsonw_end_object(w);
        red++;
    }
    jsonw_end_array(w);
    jsonw_key(w, "black");
    jsonw_array(w);
    for (size_t i = 0; i < b->nhouseholds; i++) {
        if (!b->households[i].deducted)
            continue;
        jsonw_object(w);
        jsonw_kint(w, "household_id", b->households[i].household_id);
        jsonw_kstr(w, "name", b->households[i].name);
        jsonw_kint(w, "total", b->households[i].total);
        jsonw_kstr(w, "reason", b->households[i].reason);
        jsonw_end_object(w);
    }
    jsonw_end_array(w);
}

static int
render_board(struct request *req, struct response *res, void *state)
{
    const struct point_board *b = &((struct board_call *)state)->board;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "village_code", b->village_code);
    jsonw_kstr(&w, "village_name", b->village_name);
    jsonw_key(&w, "cycle");
    if (b->has_cycle) {
        jsonw_object(&w);
        jsonw_kint(&w, "id", b->cycle.id);
        jsonw_kstr(&w, "starts_on", b->cycle.starts_on);
        jsonw_kstr(&w, "ends_on", b->cycle.ends_on);
        jsonw_kstr(&w, "status", b->cycle.status);
        jsonw_end_object(&w);
    } else {
        jsonw_null(&w);
    }
    jsonw_key(&w, "households");
    jsonw_array(&w);
    for (size_t i = 0; i < b->nhouseholds; i++) {
        jsonw_object(&w);
        jsonw_kint(&w, "household_id", b->households[i].household_id);
        jsonw_kstr(&w, "name", b->households[i].name);
        jsonw_kint(&w, "total", b->households[i].total);
        board_lines_json(&w, b, b->households[i].household_id);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    board_lists_json(&w, b);
    jsonw_end_object(&w);
    res->cache_control = "public, max-age=30";
    return 0;
}

int
api_points_board(struct request *req, struct response *res)
{
    struct board_call *k = api_call_new(req, sizeof(*k));

    k->c.id = api_query_int(req, "cycle_id", 0);
    return api_read_owned(req, res, board_job, k, render_board, call_release);
}

static int
honours_job(struct db_conn *c, void *arg, struct err *err)
{
    struct board_call *k = arg;

    return points_honours(c, k->c.village, k->year, &k->families, &k->nfamilies, &k->courtyards,
                          &k->ncourtyards, err);
}

static void
honours_json(struct jsonw *w, const char *key, const struct honour_row *rows, size_t n)
{
    jsonw_key(w, key);
    jsonw_array(w);
    for (size_t i = 0; i < n; i++) {
        jsonw_object(w);
        jsonw_kint(w, "household_id", rows[i].household_id);
        jsonw_kstr(w, "name", rows[i].name);
        jsonw_kint(w, "total", rows[i].total);
        jsonw_end_object(w);
    }
    jsonw_end_array(w);
}

static int
render_honours(struct request *req, struct response *res, void *state)
{
    struct board_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "village_code", k->c.village);
    jsonw_kint(&w, "year", k->year);
    honours_json(&w, "families", k->families, k->nfamilies);
    honours_json(&w, "courtyards", k->courtyards, k->ncourtyards);
    jsonw_end_object(&w);
    res->cache_control = "public, max-age=300";
    return 0;
}

int
api_points_honours(struct request *req, struct response *res)
{
    struct board_call *k = api_call_new(req, sizeof(*k));

    k->year = (int)api_query_int(req, "year", this_year());
    return api_read_owned(req, res, honours_job, k, render_honours, call_release);
}

/* --- reports --- */

static int
report_job(struct db_conn *c, void *arg, struct err *err)
{
    struct board_call *k = arg;

    return points_report(c, &k->c.act.a, k->region, k->year, &k->report, err);
}

static void
report_villages_json(struct jsonw *w, const struct points_report *r)
{
    jsonw_key(w, "villages");
    jsonw_array(w);
    for (size_t i = 0; i < r->nvillages; i++) {
        const struct report_village *v = &r->villages[i];

        jsonw_object(w);
        jsonw_kstr(w, "code", v->code);
        jsonw_kstr(w, "name", v->name);
        jsonw_kint(w, "households", v->households);
        jsonw_kint(w, "participating", v->participating);
        jsonw_kint(w, "awarded", v->awarded);
        jsonw_kint(w, "deducted", v->deducted);
        jsonw_kint(w, "redeemed", v->redeemed);
        jsonw_end_object(w);
    }
    jsonw_end_array(w);
}

static int
render_report(struct request *req, struct response *res, void *state)
{
    struct board_call *k = state;
    const struct points_report *r = &k->report;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "region_code", k->region);
    jsonw_kint(&w, "year", k->year);
    report_villages_json(&w, r);
    jsonw_key(&w, "categories");
    jsonw_array(&w);
    for (size_t i = 0; i < r->ncategories; i++) {
        jsonw_object(&w);
        jsonw_kstr(&w, "category", r->categories[i].code);
        jsonw_kstr(&w, "name", r->categories[i].name);
        jsonw_kint(&w, "awarded", r->categories[i].awarded);
        jsonw_kint(&w, "deducted", r->categories[i].deducted);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_key(&w, "months");
    jsonw_array(&w);
    for (int m = 0; m < 12; m++) {
        char month[16];

        snprintf(month, sizeof(month), "%04d-%02d", k->year % 10000, m + 1);
        jsonw_object(&w);
        jsonw_kstr(&w, "month", month);
        jsonw_kint(&w, "awarded", r->month_awarded[m]);
        jsonw_kint(&w, "redeemed", r->month_redeemed[m]);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_report(struct request *req, struct response *res)
{
    struct board_call *k = api_call_new(req, sizeof(*k));
    const char *region = request_query(req, "region");

    k->year = (int)api_query_int(req, "year", this_year());
    snprintf(k->region, sizeof(k->region), "%s", region);
    return api_read_owned(req, res, report_job, k, render_report, call_release);
}
