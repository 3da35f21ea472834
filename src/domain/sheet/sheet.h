/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/sheet.h -- reading a spreadsheet a cadre fills in, once for
 * every import: a CSV file (UTF-8; the caller converts GBK first) or an Excel
 * .xlsx workbook (its first sheet), told apart by their first bytes. The first
 * non-blank row is the header: each declared column is found by any of the
 * titles it accepts (a column given twice, or a required one missing, stops
 * the import); then every non-blank row is handed to the caller with its cells
 * in the declared order, trimmed of blanks and U+3000. A file that cannot be
 * read as a whole, a cell that is not UTF-8, too many rows: each is a problem
 * of the row-by-row report (problems.h), never a crash. */
#ifndef DOMAIN_SHEET_SHEET_H
#define DOMAIN_SHEET_SHEET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/sheet/problems.h"

#define SHEET_MAX_COLUMNS 16 /* declared columns of one sheet */
#define SHEET_TITLE_BYTES 32 /* a header text kept for the report */

struct sheet_column {
    const char *const *titles; /* accepted header texts, the first the canonical one;
                                  NULL-terminated */
    bool required;             /* the header must have it */
    const char *field;         /* the request field it feeds: an error naming that field is
                                  reported in this column (a module's sheets); may be NULL */
    bool out_only;             /* written by an export, not read by an import nor in the
                                  template (a name beside the code the import reads) */
};

/* Rows; written by the import, read by another thread for a progress bar. */
struct import_progress {
    _Atomic int total;
    _Atomic int done;
};

struct sheet_spec {
    const struct sheet_column *columns;
    size_t ncolumns; /* at most SHEET_MAX_COLUMNS */
    int max_rows;    /* data rows of one file; more is a problem that stops the import */
};

/* One data row: cells[i] is the declared column i's text, "" when the file has
 * no such column or the cell is empty. Valid during the callback only. */
struct sheet_row {
    int row; /* the spreadsheet row (the header is row 1 unless rows above are blank) */
    const char *const *cells;
};

typedef void (*sheet_row_fn)(void *arg, const struct sheet_row *row);

/* What reading found, besides the rows handed over and the problems listed. */
struct sheet_read {
    int rows;       /* data rows read (a row with a non-UTF-8 cell counts, unhanded) */
    bool header;    /* a header row was found */
    bool fatal;     /* the file, its header or its size stops the import */
    bool too_large; /* more than max_rows data rows */
    /* Each declared column's header text as in the file (its canonical title
     * when absent): what the report names. */
    char titles[SHEET_MAX_COLUMNS][SHEET_TITLE_BYTES];
};

/* Turn the uploaded bytes into UTF-8 (an .xlsx workbook is copied as it is). 'charset' is what the
 * client declared
 * ("utf-8", "gbk", "gb18030", "gb2312", "cp936", case-insensitive; NULL or "" =
 * utf-8). A BOM is dropped; a UTF-8 BOM means UTF-8 whatever was declared.
 * Declared UTF-8 but not valid UTF-8 -> ERR_INVALID, field "charset", saying
 * the file looks like GBK (Excel in China saves CSV as GBK) and to declare
 * charset=gbk. The GBK family is decoded with iconv from GB18030 (a superset);
 * bytes that don't decode -> ERR_INVALID (field "charset") with the byte
 * offset. UTF-16 files and NUL bytes are refused the same way; an unknown
 * charset is ERR_INVALID. On success *out is malloc'd (caller frees),
 * NUL-terminated, *out_len excludes the NUL; on failure *out is NULL.
 * Thread-safe. */
int sheet_decode(const char *data, size_t len, const char *charset, char **out, size_t *out_len,
                 struct err *err);

/* Is 'data' an .xlsx workbook (a ZIP archive) rather than CSV text? */
bool sheet_is_xlsx(const char *data, size_t len);

/* Read 'data' by 'spec', calling 'on_row' for each data row (stopping at the
 * first fatal problem); problems go to 'problems', the rest to 'out'. */
void sheet_read(const struct sheet_spec *spec, const char *data, size_t len, sheet_row_fn on_row,
                void *arg, struct sheet_problems *problems, struct sheet_read *out);

#endif
