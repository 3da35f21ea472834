/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer.h -- bulk import of households and persons from the
 * spreadsheets cadres already keep, and export of the roster (DOMAIN.md §1:
 * "validation report per row, nothing half-imported"). An import is three steps:
 * decode the upload to UTF-8, parse and validate every row without the database
 * (a plan), then apply the plan as one writer job through household_create and
 * person_add, so scope checks, sealing and auditing stay in household.c and
 * person.c. Any refused row fails the whole job and the writer rolls it back.
 * An export never carries a plain ID number or phone, only their masks.
 *
 * Import file (CSV, one row per person; the header is row 1; header texts in
 * Chinese, any order, unknown columns ignored, blank records skipped):
 *
 *   | column (aliases)                  | rule                                          |
 *   |-----------------------------------|-----------------------------------------------|
 *   | 村代码 村编码 行政区划代码         | required; 12-digit village (level 5) code      |
 *   | 户号                              | required; 1-32 characters                     |
 *   | 地址                              | optional; 0-100 characters; first row wins    |
 *   | 姓名                              | required; 1-32 characters                     |
 *   | 与户主关系 关系                    | optional; "户主" marks the head (one per 户)   |
 *   | 身份证号 身份证号码 公民身份号码    | optional; idnum_parse, unique in the file     |
 *   | 性别                              | 男/女; needed without an ID number            |
 *   | 出生日期                          | YYYY-MM-DD or YYYY/M/D; needed without an ID  |
 *   | 手机号 手机号码 联系电话           | optional; phone_parse                         |
 *
 * Rows with the same (村代码, 户号) form one household. */
#ifndef DOMAIN_REGISTRY_TRANSFER_H
#define DOMAIN_REGISTRY_TRANSFER_H

#include <stddef.h>

#include "core/err.h"
#include "domain/registry/household.h"
#include "domain/sheet/problems.h"
#include "domain/sheet/sheet.h"
#include "domain/sheet/writer.h"

struct db_conn;

#define TRANSFER_MAX_ROWS 200000 /* data rows in one file; then ERR_TOO_LARGE */

struct import_report {
    int rows;       /* data rows in the file */
    int households; /* parse: distinct households in the file; apply: inserted (0 on failure) */
    int persons;    /* parse: persons in the file; apply: inserted (0 on failure) */
    struct sheet_problems problems; /* in row order; transfer_report_release */
};

struct import_plan; /* opaque: the parsed, validated rows */

/* Parse and validate every row of 'utf8' (see the table above) without touching
 * the database. 'report' is overwritten (rows, households, persons as found in
 * the file; problems in row order, at most SHEET_MAX_PROBLEMS, the last of them
 * then at row 0 saying more were left out; rows are still counted). Problems:
 * missing required cells, bad village code, bad ID number (15-digit legacy
 * numbers are converted), ID sex or birth date contradicting the 性别/出生日期
 * cells, bad phone or date, the same ID number twice in the file, a second 户主
 * in a household, a cell too long, CSV syntax. Returns 0 with *plan (caller
 * frees with transfer_plan_free), or -ERR_INVALID when the report lists
 * problems (an empty file or a header alone gives a row-0 problem),
 * -ERR_TOO_LARGE over TRANSFER_MAX_ROWS rows; *plan is NULL then. 'progress'
 * (may be NULL) gets total = rows (first an estimate from the line count) and
 * done = rows checked. Thread-safe for distinct arguments. */
int transfer_parse(const char *utf8, size_t len, struct import_plan **plan,
                   struct import_report *report, struct import_progress *progress, struct err *err);

/* Writer job: insert 'plan' in file order through household_create and
 * person_add acting as 'a'. Runs in the caller's transaction and must not be
 * called outside one. A row the database refuses (village missing or outside the
 * caller's scope, household number already used in that village, ID number
 * already registered) becomes a problem in 'report' with its row and column;
 * the rest of the plan is still tried so the report is complete, and the
 * function returns -ERR_INVALID: the caller must roll the WHOLE transaction
 * back. Other database failures return their -ERR_* at once. 'report' is reset
 * first (so a writer may run the job twice); on success households and persons
 * count what was inserted. 'progress' (may be NULL): total = rows, done = rows
 * inserted. The plan is only read. */
int transfer_apply(struct db_conn *c, const struct actor *a, const struct import_plan *plan,
                   struct import_report *report, struct import_progress *progress, struct err *err);

/* Free 'plan', wiping the plain ID numbers and phones it holds. NULL ok. */
void transfer_plan_free(struct import_plan *plan);
/* Free the problems and zero 'r'. NULL ok. */
void transfer_report_release(struct import_report *r);

/* Every household the caller may read matching 'f' (household_list, paged
 * through to the end from f->after_id; f->limit is ignored), one row per member:
 * 村代码, 户号, 地址, 姓名, 与户主关系, 性别 (男/女), 出生日期, 身份证号 and 手机号
 * -- the last two MASKED (410183********1234, 138****1234), never plain.
 * As a sheet_writer writes it (sheet/writer.h): CSV, or .xlsx with the sheet 户籍. On success *out
 * is malloc'd (caller frees) and *len its size; on failure *out is NULL. Errors: those of
 * household_list/household_members, ERR_IO when the XLSX file cannot be written or read. */
int transfer_export(struct db_conn *c, const struct actor *a, const struct household_filter *f,
                    enum sheet_format fmt, char **out, size_t *len, struct err *err);

#endif
