/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/upload.c -- see upload.h. */
#include "core/compat.h"

#include <sodium.h>

#include "api/api.h"
#include "api/sheets.h"
#include "api/tasks.h"
#include "api/upload.h"
#include "core/workpool.h"
#include "core/xalloc.h"

static void
upload_free(struct api_upload *up)
{
    up->ops->release(up);
    sodium_memzero(up->data, up->len);
    free(up->data);
    free(up);
}

/* On the slow-work pool. */
static void
import_work(void *arg)
{
    struct api_upload *up = arg;
    const struct api_import_ops *ops = up->ops;
    struct err e = ERR_INIT;
    char *utf8 = NULL;
    size_t len = 0;
    int rc = sheet_decode(up->data, up->len, up->charset, &utf8, &len, &e);

    if (rc == 0)
        rc = ops->parse(up, utf8, len, task_progress(up->task), &e);
    free(utf8);
    if (rc == 0)
        rc = domain_write_wait(up->ctx->writer, ops->apply, up, &e);
    if (rc == 0)
        task_finish(up->task, TASK_DONE, ops->report(up));
    else
        task_finish(up->task, TASK_FAILED, api_import_failure(&e, ops->report(up)));
    upload_free(up);
}

int
api_import_start(struct request *req, struct response *res, struct api_upload *up,
                 const struct api_import_ops *ops)
{
    struct api_ctx *ctx = req->app;
    struct err e = ERR_INIT;
    int64_t id;

    api_actor_init(&up->act, req);
    up->ops = ops;
    up->ctx = ctx;
    snprintf(up->charset, sizeof(up->charset), "%s", req->charset);
    up->data = xmalloc(req->raw_len + 1);
    memcpy(up->data, req->raw, req->raw_len);
    up->len = req->raw_len;
    up->task = task_new(up->act.who.user_id, ops->kind, &e);
    id = up->task ? task_id(up->task) : 0; /* once submitted, up belongs to the worker */
    if (!up->task || workpool_submit(ctx->slow, import_work, up, &e) < 0) {
        if (up->task)
            task_finish(up->task, TASK_FAILED, NULL);
        upload_free(up);
        return response_error(res, req, &e);
    }
    response_header(res, "Location", "/api/v1/tasks");
    return api_json(res, 202,
                    json_pack("{s:I, s:s}", "task_id", (json_int_t)id, "state", "running"));
}
