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

int
api_read_owned(struct request *req, struct response *res, domain_job_fn job, void *state,
               api_render_fn render, api_release_fn release)
{
    int rc = api_read(req, res, job, state, render);

    release(state);
    return rc;
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
    struct sbuf answer;     /* rerun_check: the answer after the last run */
    int runs;
};

static size_t
count_of(const char *s, char c)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == c;
    return n;
}

/* Do two answers have one shape? The same members, arrays as long, strings
 * with as many elements ('<') and lines: ids, times and random codes may
 * differ between two runs of a job, a doubled part may not. */
static bool
same_shape(const json_t *a, const json_t *b)
{
    const char *key;
    json_t *v;

    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_string(a))
        return count_of(json_string_value(a), '<') == count_of(json_string_value(b), '<') &&
               count_of(json_string_value(a), '\n') == count_of(json_string_value(b), '\n');
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_shape(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    if (!json_is_object(a))
        return true;
    if (json_object_size(a) != json_object_size(b))
        return false;
    json_object_foreach ((json_t *)(uintptr_t)a, key, v)
        if (!json_object_get(b, key) || !same_shape(v, json_object_get(b, key)))
            return false;
    return true;
}

/* Two rendered answers alike: JSON of one shape, or other text of as many lines. */
static bool
alike(const struct sbuf *x, const struct sbuf *y)
{
    json_t *a = json_loadb(x->buf, x->len, 0, NULL), *b = json_loadb(y->buf, y->len, 0, NULL);
    bool same =
        a && b ? same_shape(a, b) : !a && !b && count_of(x->buf, '\n') == count_of(y->buf, '\n');

    json_decref(a);
    json_decref(b);
    return same;
}

/* The job as the writer runs it (maybe twice: a batch run again). Under
 * rerun_check the answer after each successful run must be like the last one's. */
static int
write_job(struct db_conn *c, void *arg, struct err *err)
{
    struct write_call *k = arg;
    struct api_ctx *ctx = k->req->app;
    struct response now = { 0 };
    int rc = k->job(c, k->state, err);

    if (rc < 0 || !ctx->rerun_check)
        return rc;
    sbuf_init(&now.body, 0);
    k->render(k->req, &now, k->state);
    if (k->runs++ && !alike(&k->answer, &now.body))
        log_error(k->req->rid, "rerun: %s %s answered otherwise the second time: %.300s | %.300s",
                  http_method_name(k->req->method), k->req->path, k->answer.buf, now.body.buf);
    sbuf_release(&k->answer);
    k->answer = now.body;
    now.body = (struct sbuf)SBUF_INIT;
    response_release(&now);
    return rc;
}

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
    sbuf_release(&k->answer);
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

    *k = (struct write_call){
        req, res, render, state, NULL, job, release, 0, ERR_INIT, SBUF_INIT, 0
    };
    request_suspend(req); /* before submitting: the writer may answer at once */
    if (domain_write(ctx->writer, write_job, k, write_done, k, &e) < 0) {
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
        domain_write(ctx->writer, write_job, k, write_done, k, &e) < 0)
        write_done(k, -e.code, &e);
}

int
api_slow_write(struct request *req, struct response *res, api_prepare_fn prepare, domain_job_fn job,
               void *state, api_render_fn render)
{
    struct api_ctx *ctx = req->app;
    struct write_call *k = xmalloc(sizeof(*k));
    struct err e = ERR_INIT;

    *k = (struct write_call){
        req, res, render, state, prepare, job, free, 0, ERR_INIT, SBUF_INIT, 0
    };
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

int64_t
api_query_int(const struct request *req, const char *name, int64_t fallback)
{
    const char *v = request_query(req, name);

    return v && *v ? strtoll(v, NULL, 10) : fallback;
}

void *
api_call_new(struct request *req, size_t size)
{
    struct api_call *k = xcalloc(1, size);
    const char *code = request_param(req, "code");

    api_actor_init(&k->act, req);
    snprintf(k->village, sizeof(k->village), "%s", code ? code : "");
    k->id = api_param_id(req, "id");
    return k;
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

int
api_answer_status(const struct request *req)
{
    const char *a = req->route ? req->route->answer : NULL;
    long status = a ? strtol(a, NULL, 10) : 0;

    return status >= 200 && status < 300 ? (int)status : 200;
}

struct sbuf *
api_answer_body(const struct request *req, struct response *res)
{
    return response_json_body(res, api_answer_status(req));
}
