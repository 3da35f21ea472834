/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/regions.c -- the region tree: public to read (the portal shows the
 * county, its townships and villages), the county admin's to change; villager
 * groups and grids for those who read households. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/render.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/region/region.h"

struct region_call {
    char code[13];
    struct region r;
    struct region *kids;
    size_t nkids;
    struct region_unit *units;
    size_t nunits;
};

static json_t *
region_json(const struct region *r)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s}", "code", r->code, "name", r->name, "level",
                          r->level, "kind", r->kind, "parent_code", r->parent_code);

    json_object_set_new(o, "valid_to", r->valid_to ? json_integer(r->valid_to) : json_null());
    json_object_set_new(o, "successor_code",
                        r->successor_code[0] ? json_string(r->successor_code) : json_null());
    return o;
}

static int
region_job(struct db_conn *c, void *arg, struct err *err)
{
    struct region_call *k = arg;
    int rc = region_get(c, k->code, &k->r, err);

    return rc < 0 ? rc : region_children(c, k->code, false, &k->kids, &k->nkids, err);
}

static int
render_region(struct request *req, struct response *res, void *state)
{
    struct region_call *k = state;
    json_t *o = region_json(&k->r), *kids = json_array();

    (void)req;
    for (size_t i = 0; i < k->nkids; i++)
        json_array_append_new(kids, region_json(&k->kids[i]));
    json_object_set_new(o, "children", kids);
    free(k->kids);
    return api_json(res, 200, o);
}

int
api_region_get(struct request *req, struct response *res)
{
    struct region_call k = { 0 };

    snprintf(k.code, sizeof(k.code), "%s", request_param(req, "code"));
    return api_read(req, res, region_job, &k, render_region);
}

static int
units_job(struct db_conn *c, void *arg, struct err *err)
{
    struct region_call *k = arg;

    return region_units(c, k->code, &k->units, &k->nunits, err);
}

static int
render_units(struct request *req, struct response *res, void *state)
{
    struct region_call *k = state;
    json_t *a = json_array();

    (void)req;
    for (size_t i = 0; i < k->nunits; i++)
        json_array_append_new(a, json_pack("{s:I, s:s, s:i, s:s}", "id", (json_int_t)k->units[i].id,
                                           "kind", k->units[i].kind, "number", k->units[i].number,
                                           "name", k->units[i].name));
    free(k->units);
    return api_json(res, 200, json_pack("{s:o}", "items", a));
}

int
api_region_units(struct request *req, struct response *res)
{
    struct region_call k = { 0 };

    snprintf(k.code, sizeof(k.code), "%s", request_param(req, "code"));
    if (!auth_object_may(api_principal(req), PERM_HOUSEHOLD_READ, k.code, 0))
        return api_fail(req, res, ERR_NOT_FOUND, "code", "不在您的管辖范围内", "not in your scope");
    return api_read(req, res, units_job, &k, render_units);
}

struct import_call {
    struct principal who;
    char rid[24];
    struct region_import_report report;
    size_t len;
    char csv[]; /* the file, NUL-terminated */
};

/* Rows with problems are an answer, not a failure: nothing was inserted and the
 * report says why, so the job succeeds and the render picks the status. */
static int
import_job(struct db_conn *c, void *arg, struct err *err)
{
    struct import_call *k = arg;
    int rc;

    region_import_report_release(&k->report); /* the writer may run a job twice */
    rc = region_import_csv(c, k->csv, k->len, &k->report, err);
    if (rc == -ERR_INVALID && k->report.problems.n > 0)
        return 0;
    if (rc < 0)
        return rc;
    return audit_record(c,
                        &(struct audit_entry){ .who = &k->who,
                                               .role = ROLE_COUNTY_ADMIN,
                                               .action = "region.import",
                                               .object_type = "region",
                                               .region_code = k->who.roles[0].scope,
                                               .result = "ok",
                                               .request_id = k->rid },
                        err);
}

static json_t *
report_json(const struct region_import_report *r)
{
    return json_pack("{s:i, s:i, s:o}", "rows", r->rows, "inserted", r->inserted, "problems",
                     render_problems(&r->problems));
}

static int
render_import(struct request *req, struct response *res, void *state)
{
    struct import_call *k = state;
    json_t *report = report_json(&k->report);
    bool bad = k->report.problems.n > 0;

    if (!bad)
        return api_json(res, 201, report);
    return api_json(res, 422,
                    json_pack("{s:{s:s, s:s, s:s, s:s}, s:o}", "error", "code", "invalid",
                              "message",
                              req->en ? "some rows are invalid; nothing was imported"
                                      : "部分行有错误,全部未导入",
                              "field", "csv", "request_id", req->rid, "report", report));
}

static void
release_import(void *state)
{
    struct import_call *k = state;

    region_import_report_release(&k->report);
    free(k);
}

int
api_region_import(struct request *req, struct response *res)
{
    const char *csv = api_str(req, "csv");
    size_t len = strlen(csv);
    struct import_call *k = xcalloc(1, sizeof(*k) + len + 1);

    k->who = *api_principal(req);
    snprintf(k->rid, sizeof(k->rid), "%s", req->rid);
    memcpy(k->csv, csv, len);
    k->len = len;
    return api_write_owned(req, res, import_job, k, render_import, release_import);
}
