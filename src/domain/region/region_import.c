/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_import.c -- import of a region tree from CSV or
 * .xlsx, reading half: the sheet reader (domain/sheet) maps the header and
 * hands over each row; this file checks each row on its own and collects
 * problems. region_import_link.c checks rows against each other and the
 * database and inserts. Nothing is written unless every row is good
 * (DOMAIN.md §1: "nothing half-imported"). */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/region/region.h"
#include "domain/region/region_import_int.h"
#include "domain/region/region_int.h"

/* Accepted header texts per column; the first is the canonical one. */
static const char *const code_titles[] = { "代码",     "编码",           "区划代码",
                                           "区划编码", "统计用区划代码", NULL };
static const char *const name_titles[] = { "名称", "区划名称", NULL };
static const char *const parent_titles[] = { "上级代码", "上级编码", "上级区划代码", NULL };
static const char *const kind_titles[] = { "类型", "区划类型", NULL };
static const struct sheet_column columns[COL__COUNT] = {
    [COL_CODE] = { .titles = code_titles, .required = true },
    [COL_NAME] = { .titles = name_titles, .required = true },
    [COL_PARENT] = { .titles = parent_titles, .required = false },
    [COL_KIND] = { .titles = kind_titles, .required = false },
};
static const struct sheet_spec spec = { columns, COL__COUNT, REGION_IMPORT_MAX_ROWS };

const char *
import_col_title(const struct import *imp, enum import_col col)
{
    return imp->sheet.titles[col];
}

static const char *
field(const struct import *imp, enum import_col col)
{
    return imp->cur->cells[col];
}

static void
row_problem_err(struct import *imp, struct import_row *w, enum import_col col, const struct err *e)
{
    sheet_problem(&imp->rep->problems, w->row, import_col_title(imp, col), e->zh, e->en);
    w->bad = true;
}

static void
check_code(struct import *imp, struct import_row *w)
{
    const char *text = field(imp, COL_CODE);
    struct err e = ERR_INIT;

    if (region_code_parse(text, &w->level, &e) < 0) {
        w->level = 0;
        row_problem_err(imp, w, COL_CODE, &e);
        return;
    }
    snprintf(w->r.code, sizeof(w->r.code), "%s", text);
    w->r.level = w->level;
}

/* The parent's format and its place relative to the code; existence is checked
 * later against the whole file and the database. */
static void
check_parent(struct import *imp, struct import_row *w)
{
    const char *text = field(imp, COL_PARENT);
    const char *title = import_col_title(imp, COL_PARENT);
    struct err e = ERR_INIT;
    int plevel;

    w->parent_given = text[0] != '\0';
    if (!w->parent_given || w->level == 0)
        return;
    if (region_code_parse(text, &plevel, &e) < 0) {
        row_problem_err(imp, w, COL_PARENT, &e);
        return;
    }
    if (w->level == REGION_PROVINCE) {
        sheet_problem(&imp->rep->problems, w->row, title, "省级区划不能有上级",
                      "a province has no parent");
        w->bad = true;
    } else if (!region_parent_level_ok(w->level, plevel)) {
        sheet_problemf(&imp->rep->problems, w->row, title,
                       "上级 %s 是第 %d 级，本行是第 %d 级，层级不相邻",
                       "the parent %s is at level %d, this row at level %d: not adjacent", text,
                       plevel, w->level);
        w->bad = true;
    } else if (!region_in_scope(text, w->r.code)) {
        sheet_problemf(&imp->rep->problems, w->row, title, "上级 %s 与代码 %s 的前缀不一致",
                       "the parent %s does not share the prefix of %s", text, w->r.code);
        w->bad = true;
    } else {
        snprintf(w->r.parent_code, sizeof(w->r.parent_code), "%s", text);
    }
}

static void
check_name_kind(struct import *imp, struct import_row *w)
{
    const char *name = field(imp, COL_NAME);
    const char *kind = field(imp, COL_KIND);
    struct err e = ERR_INIT;

    if (region_name_check(name, "name", &e) < 0)
        row_problem_err(imp, w, COL_NAME, &e);
    else
        snprintf(w->r.name, sizeof(w->r.name), "%s", name);
    if (strlen(kind) >= sizeof(w->r.kind) || strcspn(kind, "\r\n") != strlen(kind)) {
        sheet_problem(&imp->rep->problems, w->row, import_col_title(imp, COL_KIND),
                      "类型最多 5 个汉字", "the type allows at most 5 Chinese characters");
        w->bad = true;
    } else {
        snprintf(w->r.kind, sizeof(w->r.kind), "%s", kind);
    }
}

static void
on_row(void *arg, const struct sheet_row *row)
{
    struct import *imp = arg;
    struct import_row *w;

    if (imp->nrows == imp->rows_cap) {
        imp->rows_cap = imp->rows_cap ? imp->rows_cap * 2 : 64;
        imp->rows = xrealloc(imp->rows, imp->rows_cap * sizeof(*imp->rows));
    }
    w = &imp->rows[imp->nrows++];
    memset(w, 0, sizeof(*w));
    w->row = row->row;
    imp->cur = row;
    check_code(imp, w);
    check_parent(imp, w);
    check_name_kind(imp, w);
    imp->cur = NULL;
}

static void
import_release(struct import *imp)
{
    free(imp->rows);
}

/* Stable by row, so each row's problems stay in the order they were found. */
static void
sort_problems(struct sheet_problems *l)
{
    struct sheet_problem tmp;
    size_t j;

    for (size_t i = 1; i < l->n; i++) {
        tmp = l->items[i];
        for (j = i; j > 0 && l->items[j - 1].row > tmp.row; j--)
            l->items[j] = l->items[j - 1];
        l->items[j] = tmp;
    }
}

/* The checks that need every row: an empty file, links, then the verdict. */
static int
import_finish(struct import *imp, struct db_conn *c, struct err *err)
{
    struct region_import_report *rep = imp->rep;
    int rc;

    rep->rows = imp->sheet.rows;
    if (imp->sheet.too_large)
        return err_set(err, ERR_TOO_LARGE, "file", "文件超过 %d 行",
                       "the file has more than %d rows", REGION_IMPORT_MAX_ROWS);
    if (!imp->sheet.fatal) {
        rc = import_check_links(imp, c, err);
        if (rc < 0)
            return rc;
    }
    if (rep->problems.n > 0)
        return err_set(err, ERR_INVALID, "file", "文件有 %zu 处问题，未导入任何区划",
                       "the file has %zu problems; nothing was imported", rep->problems.n);
    return import_insert_all(imp, c, err);
}

int
region_import_csv(struct db_conn *c, const char *data, size_t len,
                  struct region_import_report *report, struct err *err)
{
    struct import imp;
    int rc;

    memset(report, 0, sizeof(*report));
    memset(&imp, 0, sizeof(imp));
    imp.rep = report;
    sheet_read(&spec, data, len, on_row, &imp, &report->problems, &imp.sheet);
    rc = import_finish(&imp, c, err);
    sort_problems(&report->problems);
    import_release(&imp);
    return rc;
}

void
region_import_report_release(struct region_import_report *r)
{
    if (!r)
        return;
    sheet_problems_release(&r->problems);
    memset(r, 0, sizeof(*r));
}
