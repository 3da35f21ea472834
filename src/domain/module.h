/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/module.h -- what a domain module declares, in one place beside its
 * code (src/domain/<m>/module.c), as Redis keeps its commands in one table and
 * git its builtins: the permissions and the roles that hold them, the jobs the
 * scheduler runs, the checks of 'xiangzhi verify', the kinds of log leaf it
 * appends. The platform walks these declarations (src/modules.txt names the
 * modules; src/api/module.h adds routes); nothing below a module knows it. */
#ifndef DOMAIN_MODULE_H
#define DOMAIN_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/auth/auth.h"
#include "domain/document/document.h"
#include "domain/exec.h"
#include "domain/sheet/import.h"
#include "domain/sheet/writer.h"
#include "domain/workflow/workflow.h"

/* Work the scheduler runs through the writer every 'every_s' seconds. */
struct module_job {
    const char *name;
    int every_s;
    domain_job_fn run; /* its 'arg' is NULL */
};

/* A check of 'xiangzhi verify': 0 when the module's records agree (with how
 * many it checked in *checked), 1 with the first disagreement in 'problem',
 * -ERR_* when it could not check. Runs on one read snapshot. */
typedef int (*module_check_fn)(struct db_conn *c, int64_t *checked, char *problem, size_t psize,
                               struct err *err);

struct module_check {
    const char *what_zh; /* what it counts: "积分记录" */
    const char *what_en; /* "points entries" */
    module_check_fn run;
};

/* A kind of leaf the module appends to the verifiable log (tlog.h's format):
 * the documentation of its record, and what 'verify log' accepts. */
struct module_kind {
    const char *kind;   /* "points.final": "<module>.<what>" */
    int version;        /* of the record's bytes */
    const char *record; /* what the committed bytes are */
    const char *ref;    /* the pseudonymous reference: "points/entry/<id>" */
};

/* A paper one of the module's records prints as (document.h): GET
 * /api/v1/<module>/documents/<kind>/{id}, and the print page. 'render' fills
 * 'doc' for record 'id' as 'a' may see it -- one it may not see is not found,
 * as one that does not exist -- and names the record's log leaf. */
struct module_document {
    const char *kind;     /* "statement" */
    const char *title_zh; /* "积分证明" */
    const char *title_en; /* "points statement" */
    const char *perm;     /* the route's permission; the record's scope is render's to check */
    int (*render)(struct db_conn *c, const struct actor *a, int64_t id, struct document *doc,
                  struct err *err);
};

/* A spreadsheet of the module's records (sheet/import.h, sheet/writer.h):
 * POST /api/v1/<module>/sheets/<name>?<param>=X imports a CSV (UTF-8 or GBK)
 * or .xlsx file as a task with the row-by-row report, every row or none;
 * GET the same exports the rows the caller may read as CSV or .xlsx
 * (audited); GET .../template is the empty file to fill in. 'param' names
 * where the rows go or come from -- a record's id or a region's code -- and
 * is handed to the module's functions as given. */
enum sheet_param { SHEET_PARAM_ID, SHEET_PARAM_REGION };

struct module_sheet {
    const char *name;     /* "items": the route's last segment, the file's name */
    const char *title_zh; /* "积分项目": the .xlsx sheet's name */
    const char *title_en;
    const struct sheet_spec *spec; /* its columns: what an import reads, an export writes */
    const char *param;             /* the query parameter saying where: "scheme" */
    enum sheet_param param_kind;
    const char *import_perm; /* NULL: not imported */
    const char *export_perm; /* NULL: not exported */
    sheet_import_fn import_row;
    /* Every row 'a' may read where 'target' says, through sheet_writer_row. */
    int (*export_rows)(struct db_conn *c, const struct actor *a, const char *target,
                       struct sheet_writer *w, struct err *err);
};

/* Where and when a dashboard's figures are summed: a region (its codes are
 * those LIKE 'like') and a year in China [from_ms, to_ms). */
struct tile_scope {
    const char *region;
    char like[14];
    int year;
    int64_t from_ms, to_ms;
};

/* A figure of the module on the dashboards (GET /api/v1/dashboard, the
 * console's overview): one number for a region and a year, summed from the
 * module's own records by 'value'. Shown to whoever holds 'perm' over the
 * region (a villager's permissions, which cover one household, do not). */
struct module_tile {
    const char *name;     /* "awarded": the key under the module */
    const char *title_zh; /* "发放积分" */
    const char *title_en;
    const char *unit_zh; /* "分" */
    const char *unit_en;
    const char *perm;
    int (*value)(struct db_conn *c, const struct tile_scope *q, int64_t *out, struct err *err);
};

/* Settings of the whole platform a module may take (serve's flags). */
struct module_settings {
    int64_t publicity_s; /* publicity and objection windows: a trial may shorten them */
};

struct domain_module {
    const char *name; /* "points": its folders, its URL segment, its migrations */
    const char *title_zh;
    const char *title_en;
    const struct auth_rule *perms; /* its permissions and the roles holding them */
    size_t nperms;
    const struct module_job *jobs;
    size_t njobs;
    const struct module_check *checks;
    size_t nchecks;
    const struct module_kind *kinds;
    size_t nkinds;
    const struct workflow *const *workflows; /* its records' state machines */
    size_t nworkflows;
    const struct module_document *documents; /* papers its records print as */
    size_t ndocuments;
    const struct module_sheet *sheets; /* spreadsheets its records come in and go out as */
    size_t nsheets;
    const struct module_tile *tiles; /* its figures on the dashboards */
    size_t ntiles;
    void (*configure)(const struct module_settings *s); /* may be NULL */
    /* The demo county's year of the module's activity ('xiangzhi demo'),
     * made through its own rules; 'villages' are the demo's villages of
     * 'county'. Run in one transaction after the registry. May be NULL. */
    int (*demo)(struct db_conn *c, char (*villages)[13], size_t nvillages, const char *county,
                struct err *err);
};

/* Make 'm' known below it: its permissions to auth, its workflows to the
 * engine's registry (checked: a broken table stops the program), the settings
 * to the module ('s' may be NULL: the defaults). Once per module at start,
 * before any thread reads them (idempotent). */
void domain_module_register(const struct domain_module *m, const struct module_settings *s);

#endif
