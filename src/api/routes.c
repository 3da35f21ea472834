/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/routes.c -- every endpoint, one row each: method, path, handler, the
 * permission it needs, the body it accepts. The router, the docs and the tests
 * all read this table. */
#include "core/compat.h"

#include "api/api.h"
#include "domain/ops/probe.h"

static const struct json_field probe_fields[] = {
    { "note", JSON_KIND_STRING, false, 0, PROBE_NOTE_CHARS },
};
static const struct json_schema probe_schema = { probe_fields, ARRAY_LEN(probe_fields) };

const struct http_route api_routes[] = {
    { HTTP_GET, "/healthz", api_healthz, PERM_PUBLIC, NULL, "liveness: the process answers" },
    { HTTP_GET, "/readyz", api_readyz, PERM_PUBLIC, NULL,
      "readiness: the database answers and the writer has room" },
    { HTTP_GET, "/metrics", api_metrics, PERM_OPS, NULL, "Prometheus metrics" },
    { HTTP_GET, "/api/v1/version", api_version, PERM_PUBLIC, NULL, "version and backend" },
    { HTTP_POST, "/api/v1/ops/probe", api_probe_create, PERM_OPS, &probe_schema,
      "record a durable write probe through the group-commit writer" },
    { HTTP_GET, "/api/v1/ops/probe/{id}", api_probe_get, PERM_OPS, NULL,
      "read a write probe back" },
};

const size_t api_routes_count = ARRAY_LEN(api_routes);
