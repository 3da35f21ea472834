/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_int.h -- shared by the halves of the household
 * import: the plan transfer_parse builds (transfer_import.c) and transfer_apply
 * inserts (transfer_apply.c); both fill the report's problem list
 * (domain/sheet/problems.h). Plain ID numbers and phones live in the plan only;
 * transfer_plan_free wipes them. Not for other modules. */
#ifndef DOMAIN_REGISTRY_TRANSFER_INT_H
#define DOMAIN_REGISTRY_TRANSFER_INT_H

#include <stddef.h>

#include "core/sbuf.h"
#include "domain/registry/transfer.h"

/* The columns of an import file (see the table in transfer.h). */
enum col {
    COL_VILLAGE,
    COL_HHNO,
    COL_ADDRESS,
    COL_NAME,
    COL_RELATION,
    COL_ID,
    COL_SEX,
    COL_BIRTH,
    COL_PHONE,
    COL__COUNT
};

struct plan_person {
    int row;
    int household; /* index into households; -1 when the row's place is bad */
    size_t name;   /* offsets into the pool */
    size_t relation;
    char id_number[19]; /* canonical, "" for none */
    char sex[2];
    char birth[11];
    char phone[12]; /* 11 digits, "" for none */
};

struct plan_household {
    int row;        /* its first row */
    size_t key;     /* pool offset of "VILLAGE|NUMBER": the code is 12 digits */
    size_t address; /* pool offset */
    int head_row;   /* row of its 户主; 0 for none yet */
};

/* Rows in file order; households in order of their first row. */
struct import_plan {
    struct plan_person *persons;
    size_t npersons, persons_cap;
    struct plan_household *households;
    size_t nhouseholds, households_cap;
    struct sbuf pool;            /* NUL-terminated strings */
    char titles[COL__COUNT][32]; /* header texts as in the file */
    int rows;
};

/* The pool string at 'off'; borrowed from the plan. */
static inline const char *
transfer_plan_str(const struct import_plan *pl, size_t off)
{
    return pl->pool.buf + off;
}

#endif
