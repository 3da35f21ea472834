/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_import.c -- CSV import of a region tree, reading half:
 * libcsv splits the records, this file maps the header, checks each row on its
 * own and collects problems. region_import_link.c checks rows against each
 * other and the database and inserts. Nothing is written unless every row is
 * good (DOMAIN.md §1: "nothing half-imported"). */
#include "core/compat.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/region/region.h"
#include "domain/region/region_import_int.h"
#include "domain/region/region_int.h"

/* Accepted header texts per column; the first is the canonical one. */
static const char *const col_aliases[COL__COUNT][6] = {
    [COL_CODE] = { "代码", "编码", "区划代码", "区划编码", "统计用区划代码", NULL },
    [COL_NAME] = { "名称", "区划名称", NULL },
    [COL_PARENT] = { "上级代码", "上级编码", "上级区划代码", NULL },
    [COL_KIND] = { "类型", "区划类型", NULL },
};

const char *
import_col_title(const struct import *imp, enum import_col col)
{
    if (imp->col[col] < 0)
        return col_aliases[col][0];
    return imp->titles[imp->col[col]];
}

/* Trim ASCII blanks and U+3000 (the ideographic space) at both ends, in place. */
static size_t
trim(char *s, size_t len)
{
    size_t start = 0;

    for (;;) {
        if (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        else if (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
            len -= 3;
        else
            break;
    }
    for (;;) {
        if (start < len && (s[start] == ' ' || s[start] == '\t'))
            start++;
        else if (len - start >= 3 && memcmp(s + start, "\xe3\x80\x80", 3) == 0)
            start += 3;
        else
            break;
    }
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
    return len - start;
}

static void
on_field(void *data, size_t len, void *arg)
{
    struct import *imp = arg;
    struct import_field *f;

    if (imp->nfields == imp->fields_cap) {
        imp->fields_cap = imp->fields_cap ? imp->fields_cap * 2 : 8;
        imp->fields = xrealloc(imp->fields, imp->fields_cap * sizeof(*imp->fields));
    }
    f = &imp->fields[imp->nfields++];
    f->text = xmalloc(len + 1);
    if (len)
        memcpy(f->text, data, len);
    f->text[len] = '\0';
    f->len = trim(f->text, len);
}

static const char *
field(const struct import *imp, enum import_col col)
{
    int i = imp->col[col];

    return i >= 0 && (size_t)i < imp->nfields ? imp->fields[i].text : "";
}

static int
known_column(const char *title)
{
    for (int c = 0; c < COL__COUNT; c++)
        for (int a = 0; col_aliases[c][a]; a++)
            if (strcmp(title, col_aliases[c][a]) == 0)
                return c;
    return -1;
}

/* Map the header's columns; any problem here is fatal. */
static void
read_header(struct import *imp)
{
    int c;

    imp->titles = xcalloc(imp->nfields, sizeof(*imp->titles));
    imp->ntitles = imp->nfields;
    for (size_t i = 0; i < imp->nfields; i++) {
        if (!region_utf8_valid(imp->fields[i].text, imp->fields[i].len)) {
            sheet_problem(&imp->rep->problems, imp->record, "",
                          "表头不是有效的 UTF-8 文本（请把文件另存为 UTF-8）",
                          "the header is not valid UTF-8 (save the file as UTF-8)");
            imp->fatal = true;
            return;
        }
        sheet_copy_utf8(imp->titles[i], sizeof(imp->titles[i]), imp->fields[i].text);
        c = known_column(imp->fields[i].text);
        if (c >= 0 && imp->col[c] >= 0) {
            sheet_problemf(&imp->rep->problems, imp->record, imp->titles[i], "列“%s”重复",
                           "the column %s appears twice", imp->titles[i]);
            imp->fatal = true;
        } else if (c >= 0) {
            imp->col[c] = (int)i;
        }
    }
    for (c = COL_CODE; c <= COL_NAME; c++) {
        if (imp->col[c] < 0) {
            sheet_problemf(&imp->rep->problems, imp->record, col_aliases[c][0], "缺少“%s”列",
                           "the column %s is missing", col_aliases[c][0]);
            imp->fatal = true;
        }
    }
}

/* Report every field that is not UTF-8; true when all are. */
static bool
row_utf8_ok(struct import *imp)
{
    bool ok = true;

    for (size_t i = 0; i < imp->nfields; i++) {
        if (region_utf8_valid(imp->fields[i].text, imp->fields[i].len))
            continue;
        sheet_problem(&imp->rep->problems, imp->record, i < imp->ntitles ? imp->titles[i] : "",
                      "不是有效的 UTF-8 文本", "not valid UTF-8 text");
        ok = false;
    }
    return ok;
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
read_row(struct import *imp)
{
    struct import_row *w;

    if ((size_t)imp->rep->rows >= REGION_IMPORT_MAX_ROWS) {
        sheet_problemf(&imp->rep->problems, 0, "", "文件超过 %d 行",
                       "the file has more than %d rows", REGION_IMPORT_MAX_ROWS);
        imp->fatal = imp->too_large = true;
        return;
    }
    imp->rep->rows++;
    if (imp->nrows == imp->rows_cap) {
        imp->rows_cap = imp->rows_cap ? imp->rows_cap * 2 : 64;
        imp->rows = xrealloc(imp->rows, imp->rows_cap * sizeof(*imp->rows));
    }
    w = &imp->rows[imp->nrows++];
    memset(w, 0, sizeof(*w));
    w->row = imp->record;
    if (!row_utf8_ok(imp)) {
        w->bad = true;
        return;
    }
    check_code(imp, w);
    check_parent(imp, w);
    check_name_kind(imp, w);
}

static bool
record_blank(const struct import *imp)
{
    for (size_t i = 0; i < imp->nfields; i++)
        if (imp->fields[i].len)
            return false;
    return true;
}

static void
on_record(int term, void *arg)
{
    struct import *imp = arg;

    (void)term;
    imp->record++;
    if (!imp->fatal && !record_blank(imp)) {
        if (!imp->have_header) {
            imp->have_header = true;
            read_header(imp);
        } else {
            read_row(imp);
        }
    }
    for (size_t i = 0; i < imp->nfields; i++)
        free(imp->fields[i].text);
    imp->nfields = 0;
}

/* Split 'data' into records; a syntax error stops the import at its record. */
static void
read_csv(struct import *imp, const char *data, size_t len)
{
    struct csv_parser p;
    size_t done;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        abort(); /* only fails on out-of-memory */
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    done = csv_parse(&p, data, len, on_field, on_record, imp);
    if (done != len || csv_fini(&p, on_field, on_record, imp) != 0) {
        sheet_problem(&imp->rep->problems, imp->record + 1, "",
                      "CSV 格式错误（引号不配对或引号后有多余字符）",
                      "CSV syntax error (unbalanced quotes or text after a closing quote)");
        imp->fatal = true;
    }
    csv_free(&p);
    for (size_t i = 0; i < imp->nfields; i++)
        free(imp->fields[i].text);
    imp->nfields = 0;
}

static void
import_release(struct import *imp)
{
    free(imp->fields);
    free(imp->titles);
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

    if (!imp->fatal && rep->rows == 0)
        sheet_problem(&rep->problems, 0, "", imp->have_header ? "文件中没有数据行" : "文件为空",
                      imp->have_header ? "the file has no data rows" : "the file is empty");
    if (imp->too_large)
        return err_set(err, ERR_TOO_LARGE, "file", "文件超过 %d 行",
                       "the file has more than %d rows", REGION_IMPORT_MAX_ROWS);
    if (!imp->fatal) {
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
    for (int i = 0; i < COL__COUNT; i++)
        imp.col[i] = -1;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    read_csv(&imp, data, len);
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
