/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_report.c -- what both halves of a household import
 * share and that needs no database: the problem list they fill, and releasing
 * the plan and the report. Kept apart so the parser can be fuzzed on its own. */
#include "core/compat.h"

#include <sodium.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/registry/transfer.h"
#include "domain/registry/transfer_int.h"

void
transfer_copy_utf8(char *dst, size_t size, const char *src)
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
transfer_problem(struct transfer_sink *k, int row, const char *column, const char *zh,
                 const char *en)
{
    struct import_report *rep = k->rep;
    struct import_problem *p;

    k->total++;
    if (k->full)
        return;
    if (rep->nproblems + 1 >= TRANSFER_MAX_PROBLEMS) {
        k->full = true;
        column = "";
        zh = "问题过多，其余未列出";
        en = "too many problems; the rest are not listed";
    }
    if (rep->nproblems == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 16;
        rep->problems = xrealloc(rep->problems, k->cap * sizeof(*rep->problems));
    }
    p = &rep->problems[rep->nproblems++];
    p->row = row;
    transfer_copy_utf8(p->column, sizeof(p->column), column);
    transfer_copy_utf8(p->reason_zh, sizeof(p->reason_zh), zh);
    transfer_copy_utf8(p->reason_en, sizeof(p->reason_en), en);
}

void
transfer_problemf(struct transfer_sink *k, int row, const char *column, const char *zh_fmt,
                  const char *en_fmt, ...)
{
    struct err e = ERR_INIT;
    va_list ap;

    va_start(ap, en_fmt);
    err_setv(&e, ERR_INVALID, NULL, zh_fmt, en_fmt, ap);
    va_end(ap);
    transfer_problem(k, row, column, e.zh, e.en);
}

void
transfer_plan_free(struct import_plan *plan)
{
    if (!plan)
        return;
    if (plan->persons)
        sodium_memzero(plan->persons, plan->persons_cap * sizeof(*plan->persons));
    free(plan->persons);
    free(plan->households);
    sbuf_release(&plan->pool);
    free(plan);
}

void
transfer_report_release(struct import_report *r)
{
    if (!r)
        return;
    free(r->problems);
    memset(r, 0, sizeof(*r));
}
