/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/writer.h -- writing a spreadsheet a cadre opens, once for
 * every export and template: CSV (UTF-8 with a BOM so Excel reads it, CRLF,
 * RFC 4180 quoting) or an .xlsx workbook (libxlsxwriter: one sheet, a bold
 * frozen header, set column widths, every cell a string). A cell a
 * spreadsheet would run as a formula (= + - @ TAB CR first) is written so it
 * stays text: with a leading ' in CSV, as a string cell in .xlsx. */
#ifndef DOMAIN_SHEET_WRITER_H
#define DOMAIN_SHEET_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/sbuf.h"

enum sheet_format { SHEET_CSV, SHEET_XLSX };

struct sheet_writer {
    enum sheet_format fmt;
    size_t ncols;
    struct sbuf csv;
    void *wb, *ws, *bold; /* libxlsxwriter's, kept out of this header */
    unsigned row;         /* next .xlsx row */
    long rows;            /* data rows written */
    bool too_large;       /* past the .xlsx row limit */
    bool failed;          /* libxlsxwriter refused a cell */
    int fd;               /* the .xlsx temp file, -1 for none */
    char path[32];
};

/* Start a file of 'ncols' columns headed 'titles' ('widths' in characters,
 * for .xlsx; NULL: 14 each), its one sheet named 'sheet_name'. */
int sheet_writer_open(struct sheet_writer *w, enum sheet_format fmt, const char *sheet_name,
                      const char *const *titles, const double *widths, size_t ncols,
                      struct err *err);
/* The next data row: 'ncols' cells, NULL for an empty one. A row past the
 * .xlsx limit is dropped and sheet_writer_finish says so. */
void sheet_writer_row(struct sheet_writer *w, const char *const *cells);
/* The file: *out malloc'd (caller frees), *len its size. ERR_TOO_LARGE past
 * the .xlsx limit, ERR_IO when the workbook cannot be written or read back. */
int sheet_writer_finish(struct sheet_writer *w, char **out, size_t *len, struct err *err);
/* Free what is left (the temp file is gone by then). Safe after a failed open. */
void sheet_writer_release(struct sheet_writer *w);

/* The media type and file extension of 'fmt'. */
const char *sheet_format_type(enum sheet_format fmt);
const char *sheet_format_ext(enum sheet_format fmt);

#endif
