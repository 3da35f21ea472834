/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/ops.c -- operational endpoints: liveness, readiness, metrics, version,
 * and the durable write probe. */
#include "core/compat.h"

#include <errno.h>
#include <stdlib.h>

#include "api/api.h"
#include "core/xalloc.h"
#include "domain/ops/health.h"
#include "domain/ops/probe.h"

int
api_healthz(struct request *req, struct response *res)
{
    (void)req;
    return response_text(res, 200, "application/json; charset=utf-8", "{\"status\":\"ok\"}");
}

int
api_readyz(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    struct err e = ERR_INIT;

    if (health_ready(ctx->db, ctx->writer, &e) < 0)
        return response_error(res, req, &e);
    return response_text(res, 200, "application/json; charset=utf-8", "{\"status\":\"ready\"}");
}

int
api_metrics(struct request *req, struct response *res)
{
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_metrics_render(req, &res->body);
    return 0;
}

int
api_version(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    json_t *v = json_pack("{s:s, s:s, s:I}", "version", ctx->version, "backend", ctx->backend,
                          "started_at", (json_int_t)ctx->started_ms);
    int rc = response_json(res, 200, v);

    json_decref(v);
    return rc;
}

static json_t *
probe_json(const struct probe *p)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)p->id, "created_at",
                     (json_int_t)p->created_at, "request_id", p->request_id, "note", p->note,
                     "tlog_index", p->tlog_index < 0 ? json_null() : json_integer(p->tlog_index));
}

/* Lives from the handler until the writer has answered. */
struct probe_call {
    struct request *req;
    struct response *res;
    struct probe p;
};

static void
probe_done(void *arg, int rc, const struct err *e)
{
    struct probe_call *k = arg;

    if (rc < 0) {
        response_error(k->res, k->req, e);
    } else {
        json_t *v = probe_json(&k->p);

        response_json(k->res, 201, v);
        json_decref(v);
    }
    request_resume(k->req);
    free(k);
}

int
api_probe_create(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    struct probe_call *k = xcalloc(1, sizeof(*k));
    const char *note = json_string_value(json_object_get(req->body, "note"));
    struct err e = ERR_INIT;

    k->req = req;
    k->res = res;
    snprintf(k->p.request_id, sizeof(k->p.request_id), "%s", req->rid);
    snprintf(k->p.note, sizeof(k->p.note), "%s", note ? note : "");
    request_suspend(req); /* before submitting: the writer may answer at once */
    if (probe_submit(ctx->writer, &k->p, probe_done, k, &e) < 0) {
        response_error(res, req, &e);
        request_resume(req);
        free(k);
    }
    return HTTP_SUSPENDED;
}

int
api_probe_get(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    const char *id_text = request_param(req, "id");
    struct err e = ERR_INIT;
    struct probe p;
    char *end = NULL;
    long long id;
    json_t *v;

    errno = 0;
    id = strtoll(id_text, &end, 10);
    if (errno || !end || *end || id <= 0) {
        err_set(&e, ERR_INVALID, "id", "编号应为正整数", "id must be a positive integer");
        return response_error(res, req, &e);
    }
    if (probe_get(ctx->db, id, &p, &e) < 0)
        return response_error(res, req, &e);
    v = probe_json(&p);
    response_json(res, 200, v);
    json_decref(v);
    return 0;
}
