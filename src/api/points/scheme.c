/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/scheme.c -- the county templates over HTTP: the list, one
 * scheme with its items, adding and changing a template's items (points.h).
 * Decode, call the domain, encode. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/points/points_api.h"
#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/points/points.h"

struct scheme_call {
    struct api_call c; /* first: the caller, {code}, {id} */
    char category[16];
    int evidence, veto;
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

static void
item_from_body(const struct request *req, struct point_item *it, bool adding)
{
    const char *name = api_str(req, "name");
    json_t *evidence = json_object_get(req->body, "evidence_required");
    json_t *veto = json_object_get(req->body, "veto");

    snprintf(it->name, sizeof(it->name), "%s", name ? name : "");
    it->points = api_int(req, "points", 0);
    it->cycle_cap = api_int(req, "cycle_cap", adding ? 0 : -1);
    it->evidence_required = json_is_true(evidence);
    it->veto = json_is_true(veto);
}

static int
render_item_status(struct response *res, int status, const struct point_item *it)
{
    struct jsonw w;

    jsonw_init(&w, response_json_body(res, status));
    points_item_json(&w, it);
    return 0;
}

static int
render_new_item(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_item_status(res, 201, &((struct scheme_call *)state)->item);
}

static int
render_item(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_item_status(res, 200, &((struct scheme_call *)state)->item);
}

static int
add_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;
    struct point_item in = k->item;

    return points_item_add(c, &k->c.act.a, k->c.id, k->category, &in, &k->item, err);
}

int
api_points_item_create(struct request *req, struct response *res)
{
    struct scheme_call *k = api_call_new(req, sizeof(*k));
    const char *category = api_str(req, "category");

    item_from_body(req, &k->item, true);
    snprintf(k->category, sizeof(k->category), "%s", category ? category : "");
    return api_write_owned(req, res, add_job, k, render_new_item, call_release);
}

static int
update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct scheme_call *k = arg;
    struct point_item in = k->item;

    return points_item_update(c, &k->c.act.a, k->c.id, &in, k->evidence, k->veto, &k->item, err);
}

int
api_points_item_update(struct request *req, struct response *res)
{
    struct scheme_call *k = api_call_new(req, sizeof(*k));
    json_t *evidence = json_object_get(req->body, "evidence_required");
    json_t *veto = json_object_get(req->body, "veto");

    item_from_body(req, &k->item, false);
    k->evidence = evidence ? json_is_true(evidence) : -1;
    k->veto = veto ? json_is_true(veto) : -1;
    return api_write_owned(req, res, update_job, k, render_item, call_release);
}
