/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/claims.c -- points over HTTP (domain/points/points.h): a village's
 * scheme, items and open cycle; claims and each step of their review; posting
 * the board; a household's balance and entries, and the caller's own. Every
 * rule and scope check is the domain's; these only decode and encode. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/decode.h"
#include "api/points/points_api.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/points.h"

/* What each write's body holds (routes.c's schemas): a member a field. */
struct claim_request {
    int64_t household_id, item_id;
    char note[4 * 200 + 1];
    char evidence[65];
};
struct adopt_request {
    int64_t template_id;
    char decision[4 * 200 + 1];
    char adopted_on[11];
};
struct cycle_request {
    char day[11];
};
struct reverse_request {
    char reason[4 * 200 + 1];
};

static const struct api_member claim_members[] = {
    API_MEMBER(struct claim_request, household_id, "household_id", 0),
    API_MEMBER(struct claim_request, item_id, "item_id", 0),
    API_MEMBER(struct claim_request, note, "note", 0),
    API_MEMBER(struct claim_request, evidence, "evidence", 0),
};
static const struct api_member adopt_members[] = {
    API_MEMBER(struct adopt_request, template_id, "template_id", 0),
    API_MEMBER(struct adopt_request, decision, "decision", 0),
    API_MEMBER(struct adopt_request, adopted_on, "adopted_on", 0),
};
static const struct api_member cycle_members[] = {
    API_MEMBER(struct cycle_request, day, "day", 0),
};
static const struct api_member reverse_members[] = {
    API_MEMBER(struct reverse_request, reason, "reason", 0),
};

struct points_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    union {
        struct claim_request claim;
        struct adopt_request adopt;
        struct cycle_request cycle;
        struct reverse_request reverse;
    } in;
    int64_t household_id; /* whose entries */
    int64_t count, balance;
    struct point_claim claim;
    struct point_scheme scheme;
    struct point_cycle cycle;
    bool has_cycle;
    struct point_item *items;
    struct point_entry *entries;
    size_t nitems, nentries;
    struct wf_event *events;
    size_t nevents;
};

static void
call_release(void *state)
{
    struct points_call *k = state;

    free(k->items);
    free(k->entries);
    free(k->events);
    free(k);
}

/* A write: its body decoded into k->in by 'members', then 'job'. */
static int
write_decoded(struct request *req, struct response *res, const struct api_member *members, size_t n,
              domain_job_fn job, api_render_fn render)
{
    struct points_call *k = api_call_new(req, sizeof(*k));

    return api_write_decoded(req, res, k, &k->in, members, n, job, render, call_release);
}

/* --- JSON --- */

static void
claim_fields(struct jsonw *w, const struct point_claim *k)
{
    jsonw_kint(w, "id", k->id);
    jsonw_kint(w, "household_id", k->household_id);
    jsonw_kstr(w, "village_code", k->village_code);
    jsonw_kint(w, "cycle_id", k->cycle_id);
    jsonw_kint(w, "item_id", k->item_id);
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
}

void
points_claim_json(struct jsonw *w, const void *claim)
{
    jsonw_object(w);
    claim_fields(w, claim);
    jsonw_end_object(w);
}

static int
render_claim(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    jsonw_init(&w, api_answer_body(req, res));
    points_claim_json(&w, &((struct points_call *)state)->claim);
    return 0;
}

void
points_item_json(struct jsonw *w, const struct point_item *it)
{
    jsonw_object(w);
    jsonw_kint(w, "id", it->id);
    jsonw_kstr(w, "category", it->category_code);
    jsonw_kstr(w, "category_name", it->category_name);
    jsonw_kstr(w, "code", it->code);
    jsonw_kstr(w, "name", it->name);
    jsonw_kint(w, "points", it->points);
    jsonw_kint(w, "cycle_cap", it->cycle_cap);
    jsonw_key(w, "evidence_required");
    jsonw_bool(w, it->evidence_required);
    jsonw_key(w, "veto");
    jsonw_bool(w, it->veto);
    jsonw_end_object(w);
}

void
points_entries_json(struct jsonw *w, const struct point_entry *entries, size_t n)
{
    jsonw_key(w, "entries");
    jsonw_array(w);
    for (size_t i = 0; i < n; i++) {
        const struct point_entry *e = &entries[i];

        jsonw_object(w);
        jsonw_kint(w, "id", e->id);
        jsonw_kint(w, "delta", e->delta);
        jsonw_kstr(w, "reason", e->reason);
        jsonw_kref(w, "claim_id", e->claim_id);
        jsonw_kref(w, "reversal_of", e->reversal_of);
        jsonw_kref(w, "redemption_id", e->redemption_id);
        jsonw_kint(w, "tlog_index", e->tlog_index);
        jsonw_kint(w, "created_at", e->created_at);
        jsonw_end_object(w);
    }
    jsonw_end_array(w);
}

static void
entries_json(struct jsonw *w, const struct points_call *k)
{
    jsonw_kint(w, "household_id", k->household_id);
    jsonw_kint(w, "balance", k->balance);
    points_entries_json(w, k->entries, k->nentries);
}

/* --- a village's scheme --- */

static int
village_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;
    int rc = points_village_readable(&k->c.act.a, k->c.village, err);

    if (rc == 0)
        rc = points_scheme_active(c, k->c.village, &k->scheme, err);
    if (rc == 0)
        rc = points_items(c, k->scheme.id, &k->items, &k->nitems, err);
    if (rc == 0) {
        k->has_cycle = points_cycle_current(c, k->c.village, &k->cycle, err) == 0;
        err_clear(err);
    }
    return rc;
}

static int
render_village(struct request *req, struct response *res, void *state)
{
    struct points_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "village_code", k->c.village);
    jsonw_key(&w, "scheme");
    jsonw_object(&w);
    jsonw_kint(&w, "id", k->scheme.id);
    jsonw_kstr(&w, "name", k->scheme.name);
    jsonw_kint(&w, "version", k->scheme.version);
    jsonw_kref(&w, "template_id", k->scheme.template_id);
    jsonw_kstr(&w, "decision", k->scheme.decision);
    jsonw_kstr(&w, "adopted_on", k->scheme.adopted_on);
    jsonw_kstr(&w, "cycle", k->scheme.cycle);
    jsonw_kint(&w, "point_fen", k->scheme.point_fen);
    jsonw_end_object(&w);
    jsonw_key(&w, "cycle");
    if (k->has_cycle) {
        jsonw_object(&w);
        jsonw_kint(&w, "id", k->cycle.id);
        jsonw_kstr(&w, "starts_on", k->cycle.starts_on);
        jsonw_kstr(&w, "ends_on", k->cycle.ends_on);
        jsonw_end_object(&w);
    } else {
        jsonw_null(&w);
    }
    jsonw_key(&w, "items");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nitems; i++)
        points_item_json(&w, &k->items[i]);
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_village(struct request *req, struct response *res)
{
    return api_read_owned(req, res, village_job, api_call_new(req, sizeof(struct points_call)),
                          render_village, call_release);
}

/* --- claims --- */

static int
submit_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    const struct claim_request *in = &k->in.claim;

    return points_claim_submit(c, &k->c.act.a, in->household_id, in->item_id, in->note,
                               in->evidence[0] ? in->evidence : NULL, &k->claim, err);
}

int
api_points_claim_create(struct request *req, struct response *res)
{
    return write_decoded(req, res, claim_members, ARRAY_LEN(claim_members), submit_job,
                         render_claim);
}

static int
get_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;
    int rc = points_claim_get(c, &k->c.act.a, k->c.id, &k->claim, err);

    return rc == 0 ? points_claim_events(c, &k->c.act.a, k->c.id, &k->events, &k->nevents, err)
                   : rc;
}

/* One claim and its history: who moved it, and why (an objection's reason). */
static int
render_claim_history(struct request *req, struct response *res, void *state)
{
    struct points_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    claim_fields(&w, &k->claim);
    jsonw_key(&w, "history");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nevents; i++) {
        jsonw_object(&w);
        jsonw_kstr(&w, "from", k->events[i].from);
        jsonw_kstr(&w, "to", k->events[i].to);
        jsonw_kstr(&w, "verb", k->events[i].verb);
        jsonw_kstr(&w, "by", k->events[i].by);
        jsonw_kstr(&w, "note", k->events[i].note);
        jsonw_kint(&w, "at", k->events[i].at);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_claim_get(struct request *req, struct response *res)
{
    return api_read_owned(req, res, get_job, api_call_new(req, sizeof(struct points_call)),
                          render_claim_history, call_release);
}

static int
publicise_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    return points_publicise(c, &k->c.act.a, k->c.village, &k->count, err);
}

static int
render_count(struct request *req, struct response *res, void *state)
{
    (void)req;
    return api_json(
        res, 200,
        json_pack("{s:I}", "publicised", (json_int_t)((struct points_call *)state)->count));
}

int
api_points_publicise(struct request *req, struct response *res)
{
    return api_write_owned(req, res, publicise_job, api_call_new(req, sizeof(struct points_call)),
                           render_count, call_release);
}

/* --- balances and entries --- */

static int
entries_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    return points_entries_of(c, &k->c.act.a, k->household_id, 20, &k->entries, &k->nentries,
                             &k->balance, err);
}

static int
render_entries(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    entries_json(&w, state);
    jsonw_end_object(&w);
    return 0;
}

static int
entries_for(struct request *req, struct response *res, int64_t household)
{
    struct points_call *k = api_call_new(req, sizeof(*k));

    k->household_id = household;
    return api_read_owned(req, res, entries_job, k, render_entries, call_release);
}

int
api_points_household(struct request *req, struct response *res)
{
    return entries_for(req, res, api_param_id(req, "id"));
}

/* The caller's own household: a villager's (GET /api/v1/points/me). */
int
api_points_me(struct request *req, struct response *res)
{
    struct err e = ERR_INIT;
    const struct auth_binding *own = auth_own_villager(api_principal(req), &e);

    return own ? entries_for(req, res, own->household_id) : response_error(res, req, &e);
}

/* --- schemes, cycles, corrections --- */

static int
adopt_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    const struct adopt_request *in = &k->in.adopt;

    return points_scheme_adopt(c, &k->c.act.a, in->template_id, k->c.village, in->decision,
                               in->adopted_on, &k->scheme, err);
}

static int
render_scheme(struct request *req, struct response *res, void *state)
{
    struct points_call *k = state;

    (void)req;
    return api_json(res, 201,
                    json_pack("{s:I, s:s, s:I, s:I, s:s, s:s}", "id", (json_int_t)k->scheme.id,
                              "village_code", k->scheme.region_code, "version",
                              (json_int_t)k->scheme.version, "template_id",
                              (json_int_t)k->scheme.template_id, "decision", k->scheme.decision,
                              "adopted_on", k->scheme.adopted_on));
}

/* The village's meeting adopts a template (a new version of its scheme). */
int
api_points_adopt(struct request *req, struct response *res)
{
    return write_decoded(req, res, adopt_members, ARRAY_LEN(adopt_members), adopt_job,
                         render_scheme);
}

static int
cycle_open_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    return points_cycle_open(c, &k->c.act.a, k->c.village, k->in.cycle.day, &k->cycle, err);
}

static int
render_cycle(struct request *req, struct response *res, void *state)
{
    struct points_call *k = state;

    (void)req;
    return api_json(res, 201,
                    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)k->cycle.id, "village_code",
                              k->cycle.village_code, "starts_on", k->cycle.starts_on, "ends_on",
                              k->cycle.ends_on));
}

int
api_points_cycle_open(struct request *req, struct response *res)
{
    return write_decoded(req, res, cycle_members, ARRAY_LEN(cycle_members), cycle_open_job,
                         render_cycle);
}

static int
cycle_close_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    return points_cycle_close(c, &k->c.act.a, k->c.id, err);
}

static int
render_ok(struct request *req, struct response *res, void *state)
{
    (void)req, (void)state;
    return response_text(res, 200, "application/json; charset=utf-8", "{\"ok\":true}");
}

int
api_points_cycle_close(struct request *req, struct response *res)
{
    return api_write_owned(req, res, cycle_close_job, api_call_new(req, sizeof(struct points_call)),
                           render_ok, call_release);
}

static int
reverse_job(struct db_conn *c, void *arg, struct err *err)
{
    struct points_call *k = arg;

    if (!k->entries) /* a job may run twice: the one entry again */
        k->entries = xcalloc(1, sizeof(*k->entries));
    k->nentries = 1;
    return points_reverse(c, &k->c.act.a, k->c.id, k->in.reverse.reason, k->entries, err);
}

static int
render_reversal(struct request *req, struct response *res, void *state)
{
    const struct point_entry *e = ((struct points_call *)state)->entries;

    (void)req;
    return api_json(res, 201,
                    json_pack("{s:I, s:I, s:I, s:s, s:I, s:I}", "id", (json_int_t)e->id,
                              "household_id", (json_int_t)e->household_id, "delta",
                              (json_int_t)e->delta, "reason", e->reason, "reversal_of",
                              (json_int_t)e->reversal_of, "tlog_index", (json_int_t)e->tlog_index));
}

/* A correction: the entry reversed by an entry of its negative. */
int
api_points_reverse(struct request *req, struct response *res)
{
    return write_decoded(req, res, reverse_members, ARRAY_LEN(reverse_members), reverse_job,
                         render_reversal);
}
