/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/problems.c -- the problem list of a spreadsheet import, once
 * for the region and the household imports (see problems.h). Needs no database,
 * so the CSV parsers that fill it can be fuzzed on their own. */
#include "core/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "domain/sheet/problems.h"

void
sheet_copy_utf8(char *dst, size_t size, const char *src)
{
    size_t n, lead, want;
    unsigned char c;

    snprintf(dst, size, "%s", src);
    n = strlen(dst);
    if (n == strlen(src) || n == 0)
        return;
    lead = n - 1;
    while (lead > 0 && ((unsigned char)dst[lead] & 0xC0) == 0x80)
        lead--;
    c = (unsigned char)dst[lead];
    want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (lead + want > n)
        dst[lead] = '\0';
}

void
sheet_problem(struct sheet_problems *l, int row, const char *column, const char *zh, const char *en)
{
    struct sheet_problem *p;

    l->total++;
    if (l->full)
        return;
    if (l->n + 1 >= SHEET_MAX_PROBLEMS) {
        l->full = true;
        row = 0; /* about the file as a whole */
        column = "";
        zh = "问题过多，其余未列出";
        en = "too many problems; the rest are not listed";
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    p = &l->items[l->n++];
    p->row = row;
    sheet_copy_utf8(p->column, sizeof(p->column), column);
    sheet_copy_utf8(p->reason_zh, sizeof(p->reason_zh), zh);
    sheet_copy_utf8(p->reason_en, sizeof(p->reason_en), en);
}

void
sheet_problemf(struct sheet_problems *l, int row, const char *column, const char *zh_fmt,
               const char *en_fmt, ...)
{
    struct err e = ERR_INIT;
    va_list ap;

    va_start(ap, en_fmt);
    err_setv(&e, ERR_INVALID, NULL, zh_fmt, en_fmt, ap);
    va_end(ap);
    sheet_problem(l, row, column, e.zh, e.en);
}

void
sheet_problems_release(struct sheet_problems *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof(*l));
}
