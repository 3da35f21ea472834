/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/problems.h -- the row-by-row problem list of a spreadsheet
 * import (DOMAIN.md §1: "validation report per row, nothing half-imported"),
 * kept once for every import that reports to a cadre which cell to fix: the
 * region tree (region/region_import.c) and the household roster
 * (registry/transfer_*.c). Each entry has both languages; texts are cut at a
 * UTF-8 character boundary; the list stops at SHEET_MAX_PROBLEMS. */
#ifndef DOMAIN_SHEET_PROBLEMS_H
#define DOMAIN_SHEET_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>

#define SHEET_MAX_PROBLEMS 1000 /* entries listed, the last saying more were left out */

struct sheet_problem {
    int row;             /* spreadsheet row: header = 1; 0 for the file as a whole */
    char column[32];     /* the column's header text as in the file, "" for the whole row */
    char reason_zh[160]; /* Simplified Chinese */
    char reason_en[160]; /* English */
};

/* A zeroed struct is an empty list. Not thread-safe. */
struct sheet_problems {
    struct sheet_problem *items; /* malloc'd, in the order added; NULL when n is 0 */
    size_t n;                    /* entries listed, at most SHEET_MAX_PROBLEMS */
    size_t cap;                  /* private */
    bool full;                   /* the last entry says more were left out */
    int total;                   /* problems found, listed or not */
};

/* Append a problem at 'row' in 'column' ("" for the whole row), copying the
 * texts (cut at a character boundary). 'total' always grows; the entry that
 * would reach SHEET_MAX_PROBLEMS is replaced by one at row 0, column "", saying
 * "问题过多，其余未列出" / "too many problems; the rest are not listed", and
 * later ones are dropped. Keeps no pointer into its arguments. */
void sheet_problem(struct sheet_problems *l, int row, const char *column, const char *zh,
                   const char *en);
/* The same with the two formats of err_set (core/err.h): both take the same
 * arguments, in the same order. */
void sheet_problemf(struct sheet_problems *l, int row, const char *column, const char *zh_fmt,
                    const char *en_fmt, ...);
/* Free the entries and zero 'l'. NULL ok. */
void sheet_problems_release(struct sheet_problems *l);

/* snprintf(dst, size, "%s", src) that never leaves half a UTF-8 character at
 * the cut. 'size' must be > 0. */
void sheet_copy_utf8(char *dst, size_t size, const char *src);

#endif
