/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_import_int.h -- the state of one import, shared by
 * the reading half (region_import.c: CSV records, per-row checks) and the linking
 * half (region_import_link.c: duplicates, parents, the all-or-nothing insert). */
#ifndef DOMAIN_REGION_IMPORT_INT_H
#define DOMAIN_REGION_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/region/region.h"
#include "domain/sheet/sheet.h"

struct db_conn;

enum import_col { COL_CODE, COL_NAME, COL_PARENT, COL_KIND, COL__COUNT };

struct import_row {
    int row;           /* record number, header = 1 */
    int level;         /* from the code; 0 when the code is bad */
    bool bad;          /* has a problem of its own */
    bool dup;          /* repeats an earlier row's code */
    bool parent_given; /* the file names the parent (r.parent_code stays "" when
                          that parent is malformed or misplaced) */
    struct region r;
};

struct import {
    struct region_import_report *rep; /* problems go to rep->problems */
    struct sheet_read sheet;          /* what reading found: titles, rows, fatal */
    const struct sheet_row *cur;      /* the row being checked */
    struct import_row *rows;
    size_t nrows;
    size_t rows_cap;
};

/* The header text of known column 'col', or its canonical name when absent. */
const char *import_col_title(const struct import *imp, enum import_col col);

/* Cross-row checks against the file and the database; fills each good row's
 * parent_code. < 0 only on a database error. */
int import_check_links(struct import *imp, struct db_conn *c, struct err *err);
/* Insert every row, parents first, all or nothing. */
int import_insert_all(struct import *imp, struct db_conn *c, struct err *err);

#endif
