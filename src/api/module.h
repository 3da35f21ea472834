/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/module.h -- a module over HTTP: its domain declarations
 * (domain/module.h) and its routes, declared beside its handlers
 * (src/api/<m>/routes.c). The module list (src/modules.txt) is compiled into
 * api_modules[]; the route table of the whole platform -- core's, then each
 * module's in the list's order -- is what the server, 'xiangzhi routes', the
 * access matrix and docs/openapi.yaml all read. */
#ifndef API_MODULE_H
#define API_MODULE_H

#include <stddef.h>

#include "domain/module.h"
#include "http/http.h"

struct jsonw;
struct db_conn;

/* A workflow of the module (domain/workflow/workflow.h) over HTTP: its
 * transition routes are made from its table (workflow.c); after a step the
 * record is read with 'read' (unchecked: the step checked the caller) into
 * 'size' bytes and answered as 'json' writes it. */
struct api_workflow {
    const struct workflow *wf;
    size_t size;
    int (*read)(struct db_conn *c, int64_t id, void *out, struct err *err);
    void (*json)(struct jsonw *w, const void *record);
    const char *answer; /* what a step answers: "200 Claim" (http_route.answer) */
};

struct api_module {
    const struct domain_module *domain;
    const struct http_route *routes; /* every route under /api/v1/<name>/ */
    size_t nroutes;
    const struct api_workflow *workflows; /* each gets its transition routes */
    size_t nworkflows;
};

/* The module list, in order (generated from src/modules.txt). */
extern const struct api_module *const api_modules[];
extern const size_t api_modules_count;

/* Register every module below the API (domain_module_register) with the
 * platform's settings ('s' may be NULL): once at start, before any thread. */
void api_modules_init(const struct module_settings *s);

/* The whole route table: core's rows (routes.c), then each module's. Built on
 * the first call (api_modules_init makes that call); the same table after. */
const struct http_route *api_route_table(size_t *n);

/* The module named 'name', or NULL. */
const struct api_module *api_module_named(const char *name);

/* A generated route's meaning (a workflow's step, a document, a sheet),
 * bound when its row is made, while the table is built, and found by its
 * one handler: NULL for a route never bound (a bug). */
void api_route_bind(const struct http_route *route, const void *what);
const void *api_route_bound(const struct request *req);

/* Workflows over HTTP (workflow.c): how many transition routes 'aw' has, and
 * writing them into 'table' (room for them is the caller's); the handler of
 * them all; GET /api/v1/workflows. */
size_t api_workflow_route_count(const struct api_workflow *aw);
size_t api_workflow_routes(const struct api_workflow *aw, struct http_route *table);
int api_wf_step(struct request *req, struct response *res);
/* Printable documents over HTTP (documents.c): writing module 'm''s document
 * routes into 'table' (room for m->ndocuments is the caller's); their handler. */
size_t api_document_routes(const struct domain_module *m, struct http_route *table);
int api_document_get(struct request *req, struct response *res);
int api_workflows(struct request *req, struct response *res);

#endif
