/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/dashboard.c -- GET /api/v1/dashboard?region=CODE&year=YYYY: every
 * module's figures (domain/module.h, struct module_tile) for a region the
 * caller's roles cover and a year in China -- each figure only for whoever
 * holds its permission over the region. A region outside every role's scope
 * is not found, as one that does not exist. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/module.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/region/region.h"

struct tile_value {
    const struct domain_module *m;
    const struct module_tile *t;
    int64_t value;
};

struct dash_call {
    struct api_call c; /* first */
    struct tile_scope q;
    char region[13];
    char name[200];
    struct tile_value *tiles;
    size_t ntiles;
};

static void
call_release(void *state)
{
    struct dash_call *k = state;

    free(k->tiles);
    free(k);
}

static bool
covers(const struct principal *who, const char *region)
{
    for (int i = 0; who && i < who->nroles; i++)
        if (region_in_scope(who->roles[i].scope, region))
            return true;
    return false;
}

static int
dashboard_job(struct db_conn *c, void *arg, struct err *err)
{
    struct dash_call *k = arg;
    const struct principal *who = k->c.act.a.who;
    struct region reg;
    size_t cap = 0;
    int rc = region_get(c, k->region, &reg, err);

    if (rc == -ERR_NOT_FOUND || (rc == 0 && !covers(who, k->region)))
        return err_set(err, ERR_NOT_FOUND, "region", "找不到该地区", "no such region");
    if (rc < 0)
        return rc;
    snprintf(k->name, sizeof(k->name), "%s", reg.name);
    snprintf(k->q.like, sizeof(k->q.like), "%.*s%%", (int)region_scope_len(reg.level), k->region);
    k->ntiles = 0; /* a read runs once, but start clean */
    for (size_t i = 0; i < api_modules_count; i++)
        cap += api_modules[i]->domain->ntiles;
    k->tiles = xrealloc(k->tiles, (cap ? cap : 1) * sizeof(*k->tiles));
    for (size_t i = 0; rc == 0 && i < api_modules_count; i++) {
        const struct domain_module *m = api_modules[i]->domain;

        for (size_t j = 0; rc == 0 && j < m->ntiles; j++) {
            struct tile_value *v = &k->tiles[k->ntiles];

            if (!auth_object_may(who, m->tiles[j].perm, k->region, 0))
                continue;
            *v = (struct tile_value){ m, &m->tiles[j], 0 };
            rc = m->tiles[j].value(c, &k->q, &v->value, err);
            k->ntiles += rc == 0;
        }
    }
    return rc;
}

static int
render_dashboard(struct request *req, struct response *res, void *state)
{
    struct dash_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "region", k->region);
    jsonw_kstr(&w, "name", k->name);
    jsonw_kint(&w, "year", k->q.year);
    jsonw_key(&w, "tiles");
    jsonw_array(&w);
    for (size_t i = 0; i < k->ntiles; i++) {
        const struct tile_value *v = &k->tiles[i];

        jsonw_object(&w);
        jsonw_kstr(&w, "module", v->m->name);
        jsonw_kstr(&w, "name", v->t->name);
        jsonw_kstr(&w, "title_zh", v->t->title_zh);
        jsonw_kstr(&w, "title_en", v->t->title_en);
        jsonw_kstr(&w, "unit_zh", v->t->unit_zh);
        jsonw_kstr(&w, "unit_en", v->t->unit_en);
        jsonw_kint(&w, "value", v->value);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

int
api_dashboard(struct request *req, struct response *res)
{
    struct dash_call *k = api_call_new(req, sizeof(*k));
    const char *region = request_query(req, "region");
    const struct principal *who = k->c.act.a.who;

    snprintf(k->region, sizeof(k->region), "%s",
             region && *region    ? region
             : who && who->nroles ? who->roles[0].scope
                                  : "");
    k->q.region = k->region;
    k->q.year = (int)api_query_int(req, "year", clock_year_china(clock_now_ms()));
    k->q.from_ms = clock_year_start_china(k->q.year);
    k->q.to_ms = clock_year_start_china(k->q.year + 1);
    return api_read_owned(req, res, dashboard_job, k, render_dashboard, call_release);
}
