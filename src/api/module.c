/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/module.c -- see module.h. */
#include "core/compat.h"

#include "api/api.h"
#include "api/module.h"
#include "api/sheets.h"
#include "core/xalloc.h"

#define MAX_BOUND 1024

static struct http_route *table;
static size_t table_len;

/* Generated routes and what each stands for. */
static struct {
    const struct http_route *route;
    const void *what;
} bound[MAX_BOUND];
static size_t nbound;

void
api_route_bind(const struct http_route *route, const void *what)
{
    INVARIANT(nbound < MAX_BOUND);
    bound[nbound++].route = route;
    bound[nbound - 1].what = what;
}

const void *
api_route_bound(const struct request *req)
{
    for (size_t i = 0; i < nbound; i++)
        if (bound[i].route == req->route)
            return bound[i].what;
    return NULL;
}

/* Core's routes, then each module's: its own, its workflows', its documents', its
 * sheets'. */
static void
build_table(void)
{
    size_t n = api_core_routes_count;

    for (size_t m = 0; m < api_modules_count; m++) {
        n += api_modules[m]->nroutes + api_modules[m]->domain->ndocuments +
             api_sheet_route_count(api_modules[m]->domain);
        for (size_t w = 0; w < api_modules[m]->nworkflows; w++)
            n += api_workflow_route_count(&api_modules[m]->workflows[w]);
    }
    table = xcalloc(n, sizeof(*table));
    memcpy(table, api_core_routes, api_core_routes_count * sizeof(*table));
    table_len = api_core_routes_count;
    for (size_t m = 0; m < api_modules_count; m++) {
        const struct api_module *am = api_modules[m];

        memcpy(table + table_len, am->routes, am->nroutes * sizeof(*table));
        table_len += am->nroutes;
        for (size_t w = 0; w < am->nworkflows; w++)
            table_len += api_workflow_routes(&am->workflows[w], table + table_len);
        table_len += api_document_routes(am->domain, table + table_len);
        table_len += api_sheet_routes(am->domain, table + table_len);
    }
    INVARIANT(table_len == n);
}

void
api_modules_init(const struct module_settings *s)
{
    for (size_t m = 0; m < api_modules_count; m++)
        domain_module_register(api_modules[m]->domain, s);
    if (!table)
        build_table();
}

const struct http_route *
api_route_table(size_t *n)
{
    if (!table)
        api_modules_init(NULL);
    *n = table_len;
    return table;
}

const struct api_module *
api_module_named(const char *name)
{
    for (size_t m = 0; m < api_modules_count; m++)
        if (strcmp(api_modules[m]->domain->name, name) == 0)
            return api_modules[m];
    return NULL;
}
