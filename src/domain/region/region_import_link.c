/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_import_link.c -- CSV import of a region tree, linking
 * half: duplicate codes within the file and against the database, each row's
 * parent found in the file or the database (or derived from the code), then the
 * insert, parents first, all or nothing. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/region/region.h"
#include "domain/region/region_import_int.h"
#include "domain/region/region_int.h"

/* The rows with a well-formed code, sorted by code (then row). */
struct code_index {
    struct import_row **rows;
    size_t n;
};

static int
cmp_code(const void *a, const void *b)
{
    const struct import_row *x = *(struct import_row *const *)a;
    const struct import_row *y = *(struct import_row *const *)b;
    int c = strcmp(x->r.code, y->r.code);

    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static void
index_build(struct code_index *ix, struct import *imp)
{
    ix->rows = xcalloc(imp->nrows ? imp->nrows : 1, sizeof(*ix->rows));
    ix->n = 0;
    for (size_t i = 0; i < imp->nrows; i++)
        if (imp->rows[i].level > 0)
            ix->rows[ix->n++] = &imp->rows[i];
    qsort(ix->rows, ix->n, sizeof(*ix->rows), cmp_code);
}

static bool
index_has(const struct code_index *ix, const char *code)
{
    size_t lo = 0, hi = ix->n, mid;
    int c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(ix->rows[mid]->r.code, code);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Report each repeat of a code against its first row. */
static void
mark_duplicates(struct import *imp, const struct code_index *ix)
{
    const struct import_row *first = NULL;

    for (size_t i = 0; i < ix->n; i++) {
        struct import_row *w = ix->rows[i];

        if (!first || strcmp(first->r.code, w->r.code) != 0) {
            first = w;
            continue;
        }
        w->dup = true;
        sheet_problemf(&imp->rep->problems, w->row, import_col_title(imp, COL_CODE),
                       "代码 %s 与第 %d 行重复", "code %s repeats row %d", w->r.code, first->row);
    }
}

/* 'code' cut to its first 'digits' digits, zero-filled to 12. */
static void
prefix_code(char out[13], const char *code, size_t digits)
{
    memset(out, '0', REGION_CODE_LEN);
    memcpy(out, code, digits);
    out[REGION_CODE_LEN] = '\0';
}

/* Where the parent of a row without one may be: a county's city, else its
 * province (省直辖县级行政区划); otherwise the level just above. */
static size_t
derive_parents(const struct import_row *w, char cand[2][13])
{
    prefix_code(cand[0], w->r.code, region_scope_len(w->level - 1));
    if (w->level != REGION_COUNTY)
        return 1;
    prefix_code(cand[1], w->r.code, region_scope_len(REGION_PROVINCE));
    return 2;
}

/* 1 when 'code' is in the file or the database, 0 when in neither. */
static int
parent_exists(const struct code_index *ix, struct db_conn *c, const char *code, struct err *err)
{
    if (index_has(ix, code))
        return 1;
    return region_lookup(c, code, NULL, err);
}

static int
resolve_parent(struct import *imp, const struct code_index *ix, struct import_row *w,
               struct db_conn *c, struct err *err)
{
    char cand[2][13];
    size_t ncand = 1;
    int rc;

    if (w->level == REGION_PROVINCE || (w->parent_given && !w->r.parent_code[0]))
        return 0; /* no parent, or a malformed one already reported */
    if (w->parent_given)
        snprintf(cand[0], sizeof(cand[0]), "%s", w->r.parent_code);
    else
        ncand = derive_parents(w, cand);
    for (size_t i = 0; i < ncand; i++) {
        rc = parent_exists(ix, c, cand[i], err);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            memcpy(w->r.parent_code, cand[i], sizeof(w->r.parent_code));
            return 0;
        }
    }
    sheet_problemf(&imp->rep->problems, w->row, import_col_title(imp, COL_PARENT),
                   "上级区划 %s 在文件和数据库中都不存在",
                   "the parent region %s is in neither the file nor the database", cand[0]);
    return 0;
}

static int
check_row_links(struct import *imp, const struct code_index *ix, struct import_row *w,
                struct db_conn *c, struct err *err)
{
    int rc;

    rc = region_lookup(c, w->r.code, NULL, err);
    if (rc < 0)
        return rc;
    if (rc == 1)
        sheet_problemf(&imp->rep->problems, w->row, import_col_title(imp, COL_CODE),
                       "代码 %s 在数据库中已存在", "code %s already exists in the database",
                       w->r.code);
    return resolve_parent(imp, ix, w, c, err);
}

int
import_check_links(struct import *imp, struct db_conn *c, struct err *err)
{
    struct code_index ix;
    int rc = 0;

    index_build(&ix, imp);
    mark_duplicates(imp, &ix);
    for (size_t i = 0; i < imp->nrows && rc == 0; i++) {
        struct import_row *w = &imp->rows[i];

        if (w->level > 0 && !w->dup)
            rc = check_row_links(imp, &ix, w, c, err);
    }
    free(ix.rows);
    return rc;
}

static int
cmp_level(const void *a, const void *b)
{
    const struct import_row *x = *(struct import_row *const *)a;
    const struct import_row *y = *(struct import_row *const *)b;

    if (x->level != y->level)
        return x->level - y->level;
    return (x->row > y->row) - (x->row < y->row);
}

/* region_atomic body: every row, parents first. A failure here means the
 * database changed under the checks (or a check is missing): report the row. */
static int
insert_rows(struct db_conn *c, void *arg, struct err *err)
{
    struct import *imp = arg;
    struct import_row **order = xcalloc(imp->nrows ? imp->nrows : 1, sizeof(*order));
    struct err e = ERR_INIT;
    int rc = 0;

    for (size_t i = 0; i < imp->nrows; i++)
        order[i] = &imp->rows[i];
    qsort(order, imp->nrows, sizeof(*order), cmp_level);
    for (size_t i = 0; i < imp->nrows && rc == 0; i++) {
        rc = region_insert(c, &order[i]->r, &e);
        if (rc < 0) {
            sheet_problem(&imp->rep->problems, order[i]->row, "", e.zh, e.en);
            if (err)
                *err = e;
        }
    }
    free(order);
    return rc;
}

int
import_insert_all(struct import *imp, struct db_conn *c, struct err *err)
{
    int rc = region_atomic(c, insert_rows, imp, err);

    imp->rep->inserted = rc < 0 ? 0 : (int)imp->nrows;
    return rc;
}
