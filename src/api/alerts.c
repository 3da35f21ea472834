/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/alerts.c -- the caller's inbox over HTTP (domain/workflow/alerts.h):
 * the alerts addressed to their roles in their scope, how many are unread,
 * and marking them read. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/workflow/alerts.h"

struct alerts_call {
    struct api_actor act;
    bool unread_only;
    int64_t before, id, count;
    int limit;
    struct alert *items;
    size_t n;
};

static int
list_job(struct db_conn *c, void *arg, struct err *err)
{
    struct alerts_call *k = arg;
    int rc = alerts_list(c, &k->act.a, k->unread_only, k->before, k->limit, &k->items, &k->n, err);

    return rc == 0 ? alerts_unread(c, &k->act.a, &k->count, err) : rc;
}

static int
render_list(struct request *req, struct response *res, void *state)
{
    struct alerts_call *k = state;
    const struct alert *a = k->items;
    struct jsonw w;

    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kint(&w, "unread", k->count);
    jsonw_key(&w, "items");
    jsonw_array(&w);
    for (size_t i = 0; i < k->n; i++) {
        jsonw_object(&w);
        jsonw_kint(&w, "id", a[i].id);
        jsonw_kstr(&w, "module", a[i].module);
        jsonw_kstr(&w, "thing", a[i].thing);
        jsonw_kint(&w, "object_id", a[i].object_id);
        jsonw_kstr(&w, "region_code", a[i].region);
        jsonw_kstr(&w, "region_name", a[i].region_name);
        jsonw_kstr(&w, "kind", a[i].kind);
        jsonw_kstr(&w, "title", req->en ? a[i].title_en : a[i].title_zh);
        jsonw_kint(&w, "created_at", a[i].created_at);
        jsonw_kref(&w, "due_at", a[i].due_at);
        jsonw_key(&w, "read");
        jsonw_bool(&w, a[i].read);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_kref(&w, "next_before", k->n ? a[k->n - 1].id : 0);
    jsonw_end_object(&w);
    return 0;
}

int
api_alerts_list(struct request *req, struct response *res)
{
    struct alerts_call k = { 0 };
    int rc;

    api_actor_init(&k.act, req);
    k.unread_only = api_query_int(req, "unread", 0) != 0;
    k.before = api_query_int(req, "before", 0);
    k.limit = (int)api_query_int(req, "limit", 50);
    rc = api_read(req, res, list_job, &k, render_list);
    free(k.items);
    return rc;
}

static int
unread_job(struct db_conn *c, void *arg, struct err *err)
{
    struct alerts_call *k = arg;

    return alerts_unread(c, &k->act.a, &k->count, err);
}

static int
render_unread(struct request *req, struct response *res, void *state)
{
    (void)req;
    return api_json(res, 200,
                    json_pack("{s:I}", "unread", (json_int_t)((struct alerts_call *)state)->count));
}

int
api_alerts_unread(struct request *req, struct response *res)
{
    struct alerts_call k = { 0 };

    api_actor_init(&k.act, req);
    return api_read(req, res, unread_job, &k, render_unread);
}

static int
read_job(struct db_conn *c, void *arg, struct err *err)
{
    struct alerts_call *k = arg;
    int rc = alerts_mark_read(c, &k->act.a, k->id, err);

    return rc == 0 ? alerts_unread(c, &k->act.a, &k->count, err) : rc;
}

/* POST /api/v1/alerts/{id}/read, and /api/v1/alerts/read for all of them. */
int
api_alerts_read(struct request *req, struct response *res)
{
    struct alerts_call *k = xcalloc(1, sizeof(*k));

    api_actor_init(&k->act, req);
    k->id = request_param(req, "id") ? api_param_id(req, "id") : 0;
    if (request_param(req, "id") && !k->id) {
        free(k);
        return api_fail(req, res, ERR_NOT_FOUND, "id", "找不到该提醒", "no such alert");
    }
    return api_write(req, res, read_job, k, render_unread);
}
