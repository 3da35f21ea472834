/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/sheet_int.h -- private to sheet/: the reader that both
 * formats feed, a record at a time (reader.c), and the two formats
 * (csv.c: libcsv; xlsx.c: libzip and expat). */
#ifndef DOMAIN_SHEET_SHEET_INT_H
#define DOMAIN_SHEET_SHEET_INT_H

#include "core/sbuf.h"
#include "domain/sheet/sheet.h"

struct sheet_reader {
    const struct sheet_spec *spec;
    sheet_row_fn on_row;
    void *arg;
    struct sheet_problems *problems;
    struct sheet_read *out;
    struct sbuf fields; /* the current record's fields, each NUL-terminated */
    size_t *off;        /* their offsets */
    size_t nfields, off_cap;
    int record;                 /* the spreadsheet row of the current record */
    int col[SHEET_MAX_COLUMNS]; /* field index of each declared column; -1 when absent */
};

/* Add a field to the current record (trimmed here). */
void reader_field(struct sheet_reader *r, const char *data, size_t len);
/* The current record (row r->record) is complete: the header or a data row. */
void reader_record(struct sheet_reader *r);
/* A problem with the file as a whole at 'row': it stops the import. */
void reader_fatal(struct sheet_reader *r, int row, const char *zh, const char *en);

void sheet_csv_read(struct sheet_reader *r, const char *data, size_t len);
void sheet_xlsx_read(struct sheet_reader *r, const char *data, size_t len);

#endif
