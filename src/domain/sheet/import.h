/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/import.h -- a module's spreadsheet import, the same for
 * every module (DOMAIN.md §1: "validation report per row, nothing
 * half-imported"): the file is read into a plan off the writer (sheet.h: the
 * header mapped, cells trimmed), then one writer job hands each row to the
 * module's own function, which writes it through the module's rules as a
 * form would. A row the module refuses becomes a problem of the report at
 * its row and in the column its error names; the other rows are still tried,
 * so the report is complete, and then the whole import is undone. */
#ifndef DOMAIN_SHEET_IMPORT_H
#define DOMAIN_SHEET_IMPORT_H

#include "core/err.h"
#include "domain/sheet/sheet.h"

struct actor; /* the caller, handed through to the module (auth/actor.h) */
struct db_conn;

struct sheet_import_report {
    int rows;                       /* data rows in the file */
    int imported;                   /* rows written; 0 when the import failed */
    struct sheet_problems problems; /* in row order */
};

struct sheet_plan; /* opaque: the rows read */

/* One row, written by the module where 'target' says (a scheme's id, a
 * village's code: the import's query parameter, unchecked). Returns 0, or
 * -ERR_* with 'err' naming the field at fault (a column's field, sheet.h). */
typedef int (*sheet_import_fn)(struct db_conn *c, const struct actor *a, const char *target,
                               const struct sheet_row *row, struct err *err);

/* Read 'data' (UTF-8 CSV or .xlsx: sheet_decode) by 'spec'. 'report' is
 * overwritten; 'progress' (may be NULL) gets total = rows. Returns 0 with
 * *plan (sheet_plan_free), or -ERR_INVALID when the report lists problems
 * (an empty file is one), -ERR_TOO_LARGE past spec->max_rows; *plan NULL. */
int sheet_plan_read(const struct sheet_spec *spec, const char *data, size_t len,
                    struct sheet_plan **plan, struct sheet_import_report *report,
                    struct import_progress *progress, struct err *err);

/* Writer job: each row of 'plan' through 'fn' in its own savepoint. A row
 * refused for what it holds (invalid, not found, a duplicate, a state, a
 * scope) is a problem at its row, in the column whose field the error names
 * ("" for the row); other failures stop at once. Returns 0, or -ERR_INVALID
 * when any row was refused: the caller must roll the whole transaction back.
 * 'report' is reset first, so a writer may run the job twice; 'progress'
 * done = rows tried. */
int sheet_plan_apply(struct db_conn *c, const struct actor *a, const struct sheet_plan *plan,
                     sheet_import_fn fn, const char *target, struct sheet_import_report *report,
                     struct import_progress *progress, struct err *err);

void sheet_plan_free(struct sheet_plan *plan);
void sheet_import_report_release(struct sheet_import_report *r);

#endif
