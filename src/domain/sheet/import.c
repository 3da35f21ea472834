/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/import.c -- see import.h. The plan keeps every row's cells
 * in one pool (offsets, so the pool may grow); applying it opens a savepoint
 * a row, so a row PostgreSQL refuses mid-statement does not abort the rest of
 * the report. */
#include "core/compat.h"

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/sheet/import.h"
#include "store/db.h"

struct sheet_plan {
    const struct sheet_spec *spec;
    struct sbuf pool;
    size_t *cells; /* spec->ncolumns offsets a row */
    int *rownos;   /* each row's spreadsheet row */
    size_t nrows, cap;
    char titles[SHEET_MAX_COLUMNS][SHEET_TITLE_BYTES];
};

static void
on_row(void *arg, const struct sheet_row *row)
{
    struct sheet_plan *pl = arg;
    size_t nc = pl->spec->ncolumns;

    if (pl->nrows == pl->cap) {
        pl->cap = pl->cap ? pl->cap * 2 : 64;
        pl->cells = xrealloc(pl->cells, pl->cap * nc * sizeof(*pl->cells));
        pl->rownos = xrealloc(pl->rownos, pl->cap * sizeof(*pl->rownos));
    }
    for (size_t i = 0; i < nc; i++) {
        pl->cells[pl->nrows * nc + i] = pl->pool.len;
        sbuf_adds(&pl->pool, row->cells[i]);
        sbuf_addc(&pl->pool, '\0');
    }
    pl->rownos[pl->nrows++] = row->row;
}

static int
nothing_imported(int problems, struct err *err)
{
    return err_set(err, ERR_INVALID, "file", "文件有 %d 处问题，未导入任何数据",
                   "the file has %d problems; nothing was imported", problems);
}

int
sheet_plan_read(const struct sheet_spec *spec, const char *data, size_t len,
                struct sheet_plan **plan, struct sheet_import_report *report,
                struct import_progress *progress, struct err *err)
{
    struct sheet_plan *pl = xcalloc(1, sizeof(*pl));
    struct sheet_read rd;

    *plan = NULL;
    memset(report, 0, sizeof(*report));
    pl->spec = spec;
    sbuf_init(&pl->pool, 0);
    sheet_read(spec, data, len, on_row, pl, &report->problems, &rd);
    report->rows = rd.rows;
    memcpy(pl->titles, rd.titles, sizeof(pl->titles));
    if (progress) {
        atomic_store(&progress->total, rd.rows);
        atomic_store(&progress->done, 0);
    }
    if (rd.too_large || report->problems.total > 0 || pl->pool.failed) {
        sheet_plan_free(pl);
        if (rd.too_large)
            return err_set(err, ERR_TOO_LARGE, "file", "文件超过 %d 行",
                           "the file has more than %d rows", spec->max_rows);
        return nothing_imported(report->problems.total, err);
    }
    *plan = pl;
    return 0;
}

/* Is 'code' about what the row holds (a problem of the report) rather than
 * the import as a whole (the database, a bug)? */
static bool
row_error(int code)
{
    switch (code) {
    case ERR_INVALID:
    case ERR_NOT_FOUND:
    case ERR_CONFLICT:
    case ERR_DUPLICATE:
    case ERR_REFERENCE:
    case ERR_CONSTRAINT:
    case ERR_FORBIDDEN:
    case ERR_TOO_LARGE:
        return true;
    default:
        return false;
    }
}

/* The file's header text of the column 'field' names, "" for none. */
static const char *
column_of(const struct sheet_plan *pl, const char *field)
{
    for (size_t i = 0; field[0] && i < pl->spec->ncolumns; i++)
        if (pl->spec->columns[i].field && strcmp(pl->spec->columns[i].field, field) == 0)
            return pl->titles[i];
    return "";
}

/* Row 'i' through 'fn' in a savepoint: 0 written, 1 refused (reported), < 0 stop. */
static int
apply_row(struct db_conn *c, const struct actor *a, const struct sheet_plan *pl, size_t i,
          sheet_import_fn fn, const char *target, struct sheet_import_report *r, struct err *err)
{
    size_t nc = pl->spec->ncolumns;
    const char *cells[SHEET_MAX_COLUMNS];
    struct sheet_row row = { pl->rownos[i], cells };
    struct err e = ERR_INIT;
    int rc;

    for (size_t j = 0; j < nc; j++)
        cells[j] = pl->pool.buf + pl->cells[i * nc + j];
    if (db_savepoint(c, "sheet_row", err) < 0)
        return -err->code;
    rc = fn(c, a, target, &row, &e);
    if (rc == 0)
        return db_savepoint_release(c, "sheet_row", err) < 0 ? -err->code : 0;
    if (db_savepoint_rollback(c, "sheet_row", err) < 0)
        return -err->code;
    if (!row_error(e.code)) {
        *err = e;
        return rc;
    }
    sheet_problem(&r->problems, row.row, column_of(pl, e.field), e.zh, e.en);
    return 1;
}

int
sheet_plan_apply(struct db_conn *c, const struct actor *a, const struct sheet_plan *plan,
                 sheet_import_fn fn, const char *target, struct sheet_import_report *report,
                 struct import_progress *progress, struct err *err)
{
    int rc = 0, written = 0;

    sheet_problems_release(&report->problems);
    report->rows = (int)plan->nrows;
    report->imported = 0;
    for (size_t i = 0; i < plan->nrows; i++) {
        rc = apply_row(c, a, plan, i, fn, target, report, err);
        if (rc < 0)
            return rc;
        written += rc == 0;
        if (progress)
            atomic_store(&progress->done, (int)i + 1);
    }
    if (report->problems.total > 0)
        return nothing_imported(report->problems.total, err);
    report->imported = written;
    return 0;
}

void
sheet_plan_free(struct sheet_plan *plan)
{
    if (!plan)
        return;
    sbuf_release(&plan->pool);
    free(plan->cells);
    free(plan->rownos);
    free(plan);
}

void
sheet_import_report_release(struct sheet_import_report *r)
{
    if (!r)
        return;
    sheet_problems_release(&r->problems);
    memset(r, 0, sizeof(*r));
}
