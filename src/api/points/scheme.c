/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/scheme.c -- the county templates over HTTP: the list, one
 * scheme with its items, adding and changing a template's items (points.h).
 * Decode, call the domain, encode. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/decode.h"
#include "api/points/points_api.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/points.h"

/* A template item as the body gives it (routes.c's item schemas): a new one,
 * or a change, where what is absent is kept (cap, yes/no -1; name "";
 * points 0). */
struct item_request {
    char category[16];
    char name[200]; /* as the domain keeps it: longer is refused, never cut */
    int64_t points, cycle_cap;
    int evidence, veto;
};

#define ITEM_MEMBER(member, field, absent) API_MEMBER(struct item_request, member, field, absent)

static const struct api_member item_add_members[] = {
    ITEM_MEMBER(category, "category", 0),
    ITEM_MEMBER(name, "name", 0),
    ITEM_MEMBER(points, "points", 0),
    ITEM_MEMBER(cycle_cap, "cycle_cap", 0),
    ITEM_MEMBER(evidence, "evidence_required", 0),
    ITEM_MEMBER(veto, "veto", 0),
};
static const struct api_member item_change_members[] = {
    ITEM_MEMBER(name, "name", 0),
    ITEM_MEMBER(points, "points", 0),
    ITEM_MEMBER(cycle_cap, "cycle_cap", -1),
    ITEM_MEMBER(evidence, "evidence_required", -1),
    ITEM_MEMBER(veto, "veto", -1),
};

struct scheme_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    struct item_request in;
    struct point_scheme scheme, *schemes;
    size_t nschemes;
    struct point_item item, *items;
    size_t nitems;
};

static void
call_release(void *state)
{
    struct scheme_call *k = state;

    free(k->schemes);
    free(k->items);
    free(k);
}

static void
scheme_json(struct jsonw *w, const struct point_scheme *s)
{
    jsonw_kint(w, "id", s->id);
    jsonw_kstr(w, "region_code", s->region_code);
    jsonw_kstr(w, "name", s->name);
    jsonw_kint(w, "version", s->version);
    jsonw_kref(w, "template_id", s->template_id);
    jsonw_kstr(w, "cycle", s->cycle);
    jsonw_kint(w, "point_fen", s->point_fen);
    jsonw_kstr(w, "decision", s->decision);
    jsonw_kstr(w, "adopted_on", s->adopted_on);
    jsonw_kstr(w, "status", s->status);
}

static int
list_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;

    return points_templates(c, &k->c.act.a, &k->schemes, &k->nschemes, err);
}

static int
render_list(struct request *req, struct response *res, void *state)
{
    struct scheme_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "schemes");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nschemes; i++) {
        jsonw_object(&w);
        scheme_json(&w, &k->schemes[i]);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_schemes(struct request *req, struct response *res)
{
    return api_read_owned(req, res, list_job, api_call_new(req, sizeof(struct scheme_call)),
                          render_list, call_release);
}

static int
get_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;
    int rc = points_scheme_get(c, &k->c.act.a, k->c.id, &k->scheme, err);

    return rc == 0 ? points_items(c, k->c.id, &k->items, &k->nitems, err) : rc;
}

static int
render_scheme(struct request *req, struct response *res, void *state)
{
    struct scheme_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    scheme_json(&w, &k->scheme);
    jsonw_key(&w, "items");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nitems; i++)
        points_item_json(&w, &k->items[i]);
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_points_scheme_get(struct request *req, struct response *res)
{
    return api_read_owned(req, res, get_job, api_call_new(req, sizeof(struct scheme_call)),
                          render_scheme, call_release);
}

/* The domain's item from the request. */
static struct point_item
item_of(const struct item_request *in)
{
    struct point_item it = { .points = in->points,
                             .cycle_cap = in->cycle_cap,
                             .evidence_required = in->evidence > 0,
                             .veto = in->veto > 0 };

    snprintf(it.name, sizeof(it.name), "%s", in->name);
    return it;
}

static int
render_item(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    jsonw_init(&w, api_answer_body(req, res));
    points_item_json(&w, &((struct scheme_call *)state)->item);
    return 0;
}

static int
add_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;
    struct point_item in = item_of(&k->in);

    return points_item_add(c, &k->c.act.a, k->c.id, k->in.category, &in, &k->item, err);
}

int
api_points_item_create(struct request *req, struct response *res)
{
    struct scheme_call *k = api_call_new(req, sizeof(*k));

    return api_write_decoded(req, res, k, &k->in, item_add_members, ARRAY_LEN(item_add_members),
                             add_job, render_item, call_release);
}

static int
update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;
    struct point_item in = item_of(&k->in);

    return points_item_update(c, &k->c.act.a, k->c.id, &in, k->in.evidence, k->in.veto, &k->item,
                              err);
}

int
api_points_item_update(struct request *req, struct response *res)
{
    struct scheme_call *k = api_call_new(req, sizeof(*k));

    return api_write_decoded(req, res, k, &k->in, item_change_members,
                             ARRAY_LEN(item_change_members), update_job, render_item, call_release);
}
