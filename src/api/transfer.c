/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/transfer.c -- households in and out of the spreadsheets cadres keep.
 * An import is a CSV upload (UTF-8 or GBK, as Excel in China saves it) answered
 * at once with a task to poll; the file is decoded and every row checked on the
 * slow-work pool, then written in ONE writer transaction: all rows or none, with
 * a row-by-row report. An export (CSV or .xlsx) is masked and audited. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/render.h"
#include "api/sheets.h"
#include "api/tasks.h"
#include "api/upload.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/sheet/sheet.h"

struct import_call {
    struct api_upload up; /* first */
    struct import_plan *plan;
    struct import_report report;
};

static json_t *
import_report(const void *state)
{
    const struct import_report *r = &((const struct import_call *)state)->report;

    return json_pack("{s:i, s:i, s:i, s:o}", "rows", r->rows, "households", r->households,
                     "persons", r->persons, "problems", render_problems(&r->problems));
}

static int
import_parse(void *state, const char *utf8, size_t len, struct import_progress *progress,
             struct err *err)
{
    struct import_call *k = state;

    return transfer_parse(utf8, len, &k->plan, &k->report, progress, err);
}

static int
import_apply(struct db_conn *c, void *arg, struct err *err)
{
    struct import_call *k = arg;

    return transfer_apply(c, &k->up.act.a, k->plan, &k->report, task_progress(k->up.task), err);
}

static void
import_release(void *state)
{
    struct import_call *k = state;

    transfer_plan_free(k->plan);
    transfer_report_release(&k->report);
}

int
api_household_import(struct request *req, struct response *res)
{
    static const struct api_import_ops ops = { "household.import", import_parse, import_apply,
                                               import_report, import_release };

    return api_import_start(req, res, xcalloc(1, sizeof(struct import_call)), &ops);
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
