/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/api.h -- the JSON API: one route table, thin handlers (decode, one
 * domain call, encode), the mapping of error codes to HTTP statuses, and the
 * authorisation hook every request passes. */
#ifndef API_API_H
#define API_API_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/http.h"

struct db;
struct writer;

/* What handlers reach the platform through; set up by 'serve'. */
struct api_ctx {
    struct db *db;
    struct writer *writer;
    const char *version;
    const char *backend; /* "sqlite" or "pg" */
    int64_t started_ms;
};

/* The route table (routes.c). */
extern const struct http_route api_routes[];
extern const size_t api_routes_count;

/* Permissions a route may require. */
#define PERM_PUBLIC "public" /* anyone, no login */
#define PERM_OPS "ops"       /* the operator: loopback callers until accounts exist (#3) */

/* ERR_* -> HTTP status (errmap.c). */
int api_status_of(int err_code);

/* The authorisation hook (authz.c): 0 to let 'req' run 'r', else -ERR_*. */
int api_authorize(struct request *req, const struct http_route *r, struct err *err);

/* Handlers (ops.c). */
int api_healthz(struct request *req, struct response *res);
int api_readyz(struct request *req, struct response *res);
int api_metrics(struct request *req, struct response *res);
int api_version(struct request *req, struct response *res);
int api_probe_create(struct request *req, struct response *res);
int api_probe_get(struct request *req, struct response *res);

#endif
