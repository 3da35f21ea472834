/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/transfer.c -- households in and out of the spreadsheets cadres keep.
 * An import is a CSV upload (UTF-8 or GBK, as Excel in China saves it) answered
 * at once with a task to poll; the file is decoded and every row checked on the
 * slow-work pool, then written in ONE writer transaction: all rows or none, with
 * a row-by-row report. An export (CSV or .xlsx) is masked and audited. */
#include "core/compat.h"

#include <sodium.h>

#include "api/api.h"
#include "api/call.h"
#include "api/render.h"
#include "api/sheets.h"
#include "api/tasks.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/sheet/sheet.h"

struct import_call {
    struct principal who;
    char rid[24];
    struct actor a;
    struct api_ctx *ctx;
    struct task *task;
    char charset[24];
    struct import_plan *plan;
    struct import_report report;
    size_t len;
    char data[]; /* the upload */
};

static json_t *
report_json(const struct import_report *r)
{
    return json_pack("{s:i, s:i, s:i, s:o}", "rows", r->rows, "households", r->households,
                     "persons", r->persons, "problems", render_problems(&r->problems));
}

static int
apply_job(struct db_conn *c, void *arg, struct err *err)
{
    struct import_call *k = arg;

    return transfer_apply(c, &k->a, k->plan, &k->report, task_progress(k->task), err);
}

/* On the slow-work pool. */
static void
import_work(void *arg)
{
    struct import_call *k = arg;
    struct err e = ERR_INIT;
    char *utf8 = NULL;
    size_t len = 0;
    int rc = sheet_decode(k->data, k->len, k->charset, &utf8, &len, &e);

    if (rc == 0)
        rc = transfer_parse(utf8, len, &k->plan, &k->report, task_progress(k->task), &e);
    free(utf8);
    if (rc == 0)
        rc = domain_write_wait(k->ctx->writer, apply_job, k, &e);
    if (rc == 0)
        task_finish(k->task, TASK_DONE, report_json(&k->report));
    else
        task_finish(k->task, TASK_FAILED, api_import_failure(&e, report_json(&k->report)));
    transfer_plan_free(k->plan);
    transfer_report_release(&k->report);
    sodium_memzero(k->data, k->len);
    free(k);
}

int
api_household_import(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    struct import_call *k = xcalloc(1, sizeof(*k) + req->raw_len + 1);
    struct err e = ERR_INIT;
    int64_t id;

    k->who = *api_principal(req);
    snprintf(k->rid, sizeof(k->rid), "%s", req->rid);
    k->a = (struct actor){ &k->who, k->rid, ctx->keys };
    k->ctx = ctx;
    snprintf(k->charset, sizeof(k->charset), "%s", req->charset);
    memcpy(k->data, req->raw, req->raw_len);
    k->len = req->raw_len;
    k->task = task_new(k->who.user_id, "household.import", &e);
    id = k->task ? task_id(k->task) : 0; /* once submitted, k belongs to the worker */
    if (!k->task || workpool_submit(ctx->slow, import_work, k, &e) < 0) {
        if (k->task)
            task_finish(k->task, TASK_FAILED, NULL);
        free(k);
        return response_error(res, req, &e);
    }
    response_header(res, "Location", "/api/v1/tasks");
    return api_json(res, 202,
                    json_pack("{s:I, s:s}", "task_id", (json_int_t)id, "state", "running"));
}

int
api_task_get(struct request *req, struct response *res)
{
    json_t *t = task_json(api_param_id(req, "id"), api_principal(req)->user_id);

    if (!t)
        return api_fail(req, res, ERR_NOT_FOUND, "id", "找不到该任务", "no such task");
    return api_json(res, 200, t);
}

struct export_call {
    struct request *req;
    struct response *res;
    struct principal who;
    char rid[24];
    struct actor a;
    char region[13];
    enum sheet_format fmt;
    struct household_filter f;
    char *out;
    size_t len;
    int64_t rows;
};

static int
export_job(struct db_conn *c, void *arg, struct err *err)
{
    struct export_call *k = arg;

    return transfer_export(c, &k->a, &k->f, k->fmt, &k->out, &k->len, err);
}

static int
export_audit_job(struct db_conn *c, void *arg, struct err *err)
{
    struct export_call *k = arg;

    return audit_record(
        c,
        &(struct audit_entry){ .who = &k->who,
                               .role = auth_acting_role(&k->who, PERM_HOUSEHOLD_READ),
                               .action = "household.export",
                               .object_type = "household",
                               .region_code = k->region[0] ? k->region : k->who.roles[0].scope,
                               .result = "ok",
                               .request_id = k->rid,
                               .detail = k->fmt == SHEET_XLSX ? "xlsx" : "csv" },
        err);
}

/* On the slow-work pool: a county's export can take seconds. */
static void
export_work(void *arg)
{
    struct export_call *k = arg;
    struct api_ctx *ctx = k->req->app;
    struct err e = ERR_INIT;

    if (domain_read(ctx->db, export_job, k, &e) < 0 ||
        domain_write_wait(ctx->writer, export_audit_job, k, &e) < 0)
        response_error(k->res, k->req, &e);
    else
        api_sheet_answer(k->res, k->fmt, "households", k->out, k->len);
    free(k->out);
    request_resume(k->req);
    free(k);
}

int
api_household_export(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    const char *format = request_query(req, "format"), *region = request_query(req, "region");
    struct export_call *k;
    struct err e = ERR_INIT;

    k = xcalloc(1, sizeof(*k));
    *k = (struct export_call){ .req = req, .res = res, .who = *api_principal(req) };
    snprintf(k->rid, sizeof(k->rid), "%s", req->rid);
    snprintf(k->region, sizeof(k->region), "%s", region ? region : "");
    k->a = (struct actor){ &k->who, k->rid, ctx->keys };
    k->fmt = format && strcmp(format, "xlsx") == 0 ? SHEET_XLSX : SHEET_CSV;
    k->f = (struct household_filter){ .region = k->region, .limit = 200 };
    request_suspend(req);
    if (workpool_submit(ctx->slow, export_work, k, &e) < 0) {
        response_error(res, req, &e);
        request_resume(req);
        free(k);
    }
    return HTTP_SUSPENDED;
}
