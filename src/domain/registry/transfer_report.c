/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_report.c -- what both halves of a household import
 * share and that needs no database: releasing the plan and the report. Kept
 * apart so the parser can be fuzzed on its own. */
#include "core/compat.h"

#include <sodium.h>

#include "core/sbuf.h"
#include "domain/registry/transfer.h"
#include "domain/registry/transfer_int.h"
#include "domain/sheet/problems.h"

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
    sheet_problems_release(&r->problems);
    memset(r, 0, sizeof(*r));
}
