/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/call.c -- see call.h. */
#include "core/compat.h"

#include <errno.h>

#include "api/api.h"
#include "api/call.h"
#include "core/log.h"
#include "core/workpool.h"
#include "core/xalloc.h"

int
api_read(struct request *req, struct response *res, domain_job_fn job, void *state,
         api_render_fn render)
{
    struct api_ctx *ctx = req->app;
    struct err e = ERR_INIT;

    if (domain_read(ctx->db, job, state, &e) < 0)
        return response_error(res, req, &e);
    return render(req, res, state);
}

struct write_call {
    struct request *req;
    struct response *res;
    api_render_fn render;
    void *state;
    api_prepare_fn prepare;
    domain_job_fn job;
    api_release_fn release; /* frees 'state' */
    int rc;                 /* the job's result, once committed or failed */
    struct err e;           /* its error when rc < 0 */
};

/* Back on a server thread: answer, and free the call. */
static void
finish_write(struct request *req, struct response *res, void *arg)
{
    struct write_call *k = arg;

    if (k->rc < 0)
        response_error(res, req, &k->e);
    else
        k->render(req, res, k->state);
    k->release(k->state);
    free(k);
}

/* On the writer's thread after the commit (or on a failure before queueing):
 * only note the outcome; the response is built by the resumed request. */
static void
write_done(void *arg, int rc, const struct err *e)
{
    struct write_call *k = arg;

    k->rc = rc;
    if (rc < 0 && e)
        k->e = *e;
    request_resume_with(k->req, finish_write, k);
}

int
api_write_owned(struct request *req, struct response *res, domain_job_fn job, void *state,
                api_render_fn render, api_release_fn release)
{
    struct api_ctx *ctx = req->app;
    struct write_call *k = xmalloc(sizeof(*k));
    struct err e = ERR_INIT;

    *k = (struct write_call){ req, res, render, state, NULL, NULL, release, 0, ERR_INIT };
    request_suspend(req); /* before submitting: the writer may answer at once */
    if (domain_write(ctx->writer, job, state, write_done, k, &e) < 0) {
        response_error(res, req, &e);
        request_resume(req);
        release(state);
        free(k);
    }
    return HTTP_SUSPENDED;
}

int
api_write(struct request *req, struct response *res, domain_job_fn job, void *state,
          api_render_fn render)
{
    return api_write_owned(req, res, job, state, render, free);
}

/* On the slow-work pool. */
static void
slow_work(void *arg)
{
    struct write_call *k = arg;
    struct api_ctx *ctx = k->req->app;
    struct err e = ERR_INIT;

    if (k->prepare(k->req, k->state, &e) < 0 ||
        domain_write(ctx->writer, k->job, k->state, write_done, k, &e) < 0)
        write_done(k, -e.code, &e);
}

int
api_slow_write(struct request *req, struct response *res, api_prepare_fn prepare, domain_job_fn job,
               void *state, api_render_fn render)
{
    struct api_ctx *ctx = req->app;
    struct write_call *k = xmalloc(sizeof(*k));
    struct err e = ERR_INIT;

    *k = (struct write_call){ req, res, render, state, prepare, job, free, 0, ERR_INIT };
    request_suspend(req);
    if (workpool_submit(ctx->slow, slow_work, k, &e) < 0)
        write_done(k, -e.code, &e);
    return HTTP_SUSPENDED;
}

int
api_fail(struct request *req, struct response *res, int code, const char *field, const char *zh,
         const char *en)
{
    struct err e = ERR_INIT;

    err_set_text(&e, code, field, zh, en);
    return response_error(res, req, &e);
}

const struct principal *
api_principal(const struct request *req)
{
    return req->auth;
}

void
api_actor_init(struct api_actor *x, struct request *req)
{
    memset(&x->who, 0, sizeof(x->who));
    if (api_principal(req))
        x->who = *api_principal(req);
    snprintf(x->rid, sizeof(x->rid), "%s", req->rid);
    x->a = (struct actor){ &x->who, x->rid, ((struct api_ctx *)req->app)->keys };
}

const char *
api_str(const struct request *req, const char *key)
{
    return json_string_value(json_object_get(req->body, key));
}

int64_t
api_int(const struct request *req, const char *key, int64_t fallback)
{
    json_t *v = json_object_get(req->body, key);

    return json_is_integer(v) ? (int64_t)json_integer_value(v) : fallback;
}

int64_t
api_param_id(const struct request *req, const char *name)
{
    const char *text = request_param(req, name);
    char *end = NULL;
    long long v;

    if (!text)
        return 0;
    errno = 0;
    v = strtoll(text, &end, 10);
    return errno || !end || *end || v <= 0 ? 0 : v;
}

int
api_json(struct response *res, int status, json_t *v)
{
    int rc;

    if (!v) { /* a json_pack format and its arguments disagree: a bug, never a blank 200 */
        log_error(NULL, "api_json: the response could not be built");
        return response_text(res, 500, "application/json; charset=utf-8",
                             "{\"error\":{\"code\":\"internal\",\"message\":"
                             "\"服务器内部错误 / internal server error\",\"field\":\"\"}}");
    }
    rc = response_json(res, status, v);

    json_decref(v);
    return rc;
}
