/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/sheets.c -- every module's spreadsheets over HTTP (domain/module.h,
 * struct module_sheet), three routes a sheet, one handler each for every
 * module:
 *
 *   POST /api/v1/<m>/sheets/<name>?<param>=X    import a CSV (UTF-8 or GBK) or
 *        .xlsx file: answered at once with a task; the file is read on the
 *        slow-work pool, then every row is written in ONE writer job through
 *        the module's own rules -- all rows or none, with a row-by-row report
 *   GET  /api/v1/<m>/sheets/<name>?<param>=X&format=csv|xlsx   export, audited
 *   GET  /api/v1/<m>/sheets/<name>/template?format=csv|xlsx    the empty file */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/module.h"
#include "api/render.h"
#include "api/sheets.h"
#include "api/tasks.h"
#include "api/upload.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"

#define SHEET_TYPES "text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *const formats[] = { "csv", "xlsx", NULL };

/* The query a sheet's route reads: where (the sheet's parameter), and the
 * format of a file it answers. */
static const struct json_schema *
sheet_query(const struct module_sheet *s, bool where, bool format)
{
    struct json_field *f = xcalloc(2, sizeof(*f));
    struct json_schema *q = xcalloc(1, sizeof(*q));
    size_t n = 0;

    if (where && s->param_kind == SHEET_PARAM_ID)
        f[n++] = (struct json_field){ s->param, JSON_KIND_INT, true, 1, INT64_MAX, NULL };
    else if (where)
        f[n++] = (struct json_field){ s->param, JSON_KIND_STRING, true, 2, 12, NULL };
    if (format)
        f[n++] = (struct json_field){ "format", JSON_KIND_STRING, false, 0, 4, formats };
    *q = (struct json_schema){ f, n };
    return q;
}

/* A route's path or summary, kept for the program's life. */
static const char *route_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
route_text(const char *fmt, ...)
{
    struct sbuf sb = SBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    return sbuf_detach(&sb, NULL);
}

size_t
api_sheet_route_count(const struct domain_module *m)
{
    size_t n = 0;

    for (size_t i = 0; i < m->nsheets; i++)
        n += (m->sheets[i].import_perm ? 2 : 0) + (m->sheets[i].export_perm ? 1 : 0);
    return n;
}

size_t
api_sheet_routes(const struct domain_module *m, struct http_route *table)
{
    size_t n = 0;

    for (size_t i = 0; i < m->nsheets; i++) {
        const struct module_sheet *s = &m->sheets[i];

        if (s->import_perm) {
            table[n] = (struct http_route){
                HTTP_POST,
                route_text("/api/v1/%s/sheets/%s", m->name, s->name),
                api_sheet_import,
                s->import_perm,
                NULL,
                route_text("import %s (%s) from CSV (UTF-8 or GBK) or .xlsx: all rows or"
                           " none, with a row-by-row report; answers a task",
                           s->title_en, s->title_zh),
                SHEET_TYPES,
                "202 TaskStarted",
                sheet_query(s, true, false)
            };
            api_route_bind(&table[n++], s);
            table[n] =
                (struct http_route){ HTTP_GET,
                                     route_text("/api/v1/%s/sheets/%s/template", m->name, s->name),
                                     api_sheet_template,
                                     s->import_perm,
                                     NULL,
                                     route_text("the empty file of %s (%s) to fill in", s->title_en,
                                                s->title_zh),
                                     NULL,
                                     "200 " SHEET_TYPES,
                                     sheet_query(s, false, true) };
            api_route_bind(&table[n++], s);
        }
        if (s->export_perm) {
            table[n] = (struct http_route){ HTTP_GET,
                                            route_text("/api/v1/%s/sheets/%s", m->name, s->name),
                                            api_sheet_export,
                                            s->export_perm,
                                            NULL,
                                            route_text("export %s (%s) as CSV or .xlsx",
                                                       s->title_en, s->title_zh),
                                            NULL,
                                            "200 " SHEET_TYPES,
                                            sheet_query(s, true, true) };
            api_route_bind(&table[n++], s);
        }
    }
    return n;
}

/* --- answers --- */

static enum sheet_format
format_asked(const struct request *req)
{
    const char *f = request_query(req, "format");

    return f && strcmp(f, "xlsx") == 0 ? SHEET_XLSX : SHEET_CSV;
}

void
api_sheet_answer(struct response *res, enum sheet_format fmt, const char *name, const char *data,
                 size_t len)
{
    struct sbuf cd = SBUF_INIT;

    res->status = 200;
    res->content_type = sheet_format_type(fmt);
    sbuf_add(&res->body, data, len);
    sbuf_addf(&cd, "attachment; filename=\"%s.%s\"", name, sheet_format_ext(fmt));
    response_header(res, "Content-Disposition", cd.buf);
    sbuf_release(&cd);
}

json_t *
api_import_failure(const struct err *e, json_t *report)
{
    return json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:o}", "error", "code", err_code_name(e->code),
                     "message", e->zh, "message_en", e->en, "field", e->field, "request_id", "",
                     "report", report);
}

/* The canonical titles of the columns a template or an export writes. */
static size_t
titles_of(const struct module_sheet *s, bool template, const char **titles)
{
    size_t n = 0;

    for (size_t i = 0; i < s->spec->ncolumns; i++)
        if (!template || !s->spec->columns[i].out_only)
            titles[n++] = s->spec->columns[i].titles[0];
    return n;
}

int
api_sheet_template(struct request *req, struct response *res)
{
    const struct module_sheet *s = api_route_bound(req);
    const char *titles[SHEET_MAX_COLUMNS];
    enum sheet_format fmt = format_asked(req);
    struct sheet_writer w;
    struct err e = ERR_INIT;
    char *out = NULL;
    size_t len = 0;
    int rc = sheet_writer_open(&w, fmt, s->title_zh, titles, NULL, titles_of(s, true, titles), &e);

    if (rc == 0)
        rc = sheet_writer_finish(&w, &out, &len, &e);
    sheet_writer_release(&w);
    if (rc < 0)
        return response_error(res, req, &e);
    api_sheet_answer(res, fmt, s->name, out, len);
    free(out);
    return 0;
}

/* --- import --- */

struct import_call {
    struct api_upload up; /* first */
    const struct module_sheet *s;
    char target[24];
    struct sheet_plan *plan;
    struct sheet_import_report report;
};

static json_t *
import_report(const void *state)
{
    const struct sheet_import_report *r = &((const struct import_call *)state)->report;

    return json_pack("{s:i, s:i, s:o}", "rows", r->rows, "imported", r->imported, "problems",
                     render_problems(&r->problems));
}

static int
import_parse(void *state, const char *utf8, size_t len, struct import_progress *progress,
             struct err *err)
{
    struct import_call *k = state;

    return sheet_plan_read(k->s->spec, utf8, len, &k->plan, &k->report, progress, err);
}

static int
import_apply(struct db_conn *c, void *arg, struct err *err)
{
    struct import_call *k = arg;

    return sheet_plan_apply(c, &k->up.act.a, k->plan, k->s->import_row, k->target, &k->report,
                            task_progress(k->up.task), err);
}

static void
import_release(void *state)
{
    struct import_call *k = state;

    sheet_plan_free(k->plan);
    sheet_import_report_release(&k->report);
}

int
api_sheet_import(struct request *req, struct response *res)
{
    static const struct api_import_ops ops = { "sheet.import", import_parse, import_apply,
                                               import_report, import_release };
    struct import_call *k = xcalloc(1, sizeof(*k));

    k->s = api_route_bound(req);
    snprintf(k->target, sizeof(k->target), "%s", request_query(req, k->s->param));
    return api_import_start(req, res, &k->up, &ops);
}

/* --- export --- */

struct export_call {
    struct api_actor act;
    struct request *req;
    struct response *res;
    const struct module_sheet *s;
    char target[24];
    enum sheet_format fmt;
    char *out;
    size_t len;
};

static int
export_job(struct db_conn *c, void *arg, struct err *err)
{
    struct export_call *k = arg;
    const char *titles[SHEET_MAX_COLUMNS];
    struct sheet_writer w;
    int rc = sheet_writer_open(&w, k->fmt, k->s->title_zh, titles, NULL,
                               titles_of(k->s, false, titles), err);

    if (rc == 0)
        rc = k->s->export_rows(c, &k->act.a, k->target, &w, err);
    if (rc == 0)
        rc = sheet_writer_finish(&w, &k->out, &k->len, err);
    sheet_writer_release(&w);
    return rc;
}

static int
export_audit_job(struct db_conn *c, void *arg, struct err *err)
{
    struct export_call *k = arg;
    const struct principal *who = &k->act.who;
    char action[64];

    snprintf(action, sizeof(action), "%s.export", k->s->name);
    return audit_record(c,
                        &(struct audit_entry){ .who = who,
                                               .role = auth_acting_role(who, k->s->export_perm),
                                               .action = action,
                                               .object_type = "sheet",
                                               .object_id = k->target,
                                               .region_code = k->s->param_kind == SHEET_PARAM_REGION
                                                                  ? k->target
                                                                  : who->roles[0].scope,
                                               .result = "ok",
                                               .request_id = k->act.rid,
                                               .detail = sheet_format_ext(k->fmt) },
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
        api_sheet_answer(k->res, k->fmt, k->s->name, k->out, k->len);
    free(k->out);
    request_resume(k->req);
    free(k);
}

int
api_sheet_export(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    struct export_call *k = xcalloc(1, sizeof(*k));
    struct err e = ERR_INIT;

    api_actor_init(&k->act, req);
    k->req = req;
    k->res = res;
    k->s = api_route_bound(req);
    snprintf(k->target, sizeof(k->target), "%s", request_query(req, k->s->param));
    k->fmt = format_asked(req);
    request_suspend(req);
    if (workpool_submit(ctx->slow, export_work, k, &e) < 0) {
        response_error(res, req, &e);
        request_resume(req);
        free(k);
    }
    return HTTP_SUSPENDED;
}
