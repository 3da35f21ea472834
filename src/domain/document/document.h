/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/document/document.h -- a paper a record prints as (DOMAIN.md:
 * "paper documents print with their QR"): a title, labelled fields, at most
 * one table, and the leaf of the verifiable log the record is, so the page
 * carries the QR code of its receipt and a short fingerprint of that leaf --
 * whoever holds the paper can check it against the public log. A module
 * declares its documents (domain/module.h, struct module_document) and fills
 * one of these; the API and one print page do the rest for every module. */
#ifndef DOMAIN_DOCUMENT_DOCUMENT_H
#define DOMAIN_DOCUMENT_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

#define DOC_MAX_COLUMNS 8

struct doc_text {
    size_t zh, en; /* offsets into the document's pool; the same when one text serves both */
};

struct document {
    struct doc_text title;
    struct sbuf pool; /* every text, NUL-terminated */
    struct doc_text *labels;
    size_t *values; /* field i: labels[i], pool + values[i] */
    size_t nfields, fields_cap;
    struct doc_text columns[DOC_MAX_COLUMNS];
    size_t ncolumns;
    size_t *cells; /* the table, row by row, ncolumns a row */
    size_t ncells, cells_cap;
    int64_t tlog_index; /* the record's leaf; -1 when it has none */
    int64_t issued_at;  /* epoch ms */
};

#define DOCUMENT_INIT                                                                              \
    {                                                                                              \
        .pool = SBUF_INIT, .tlog_index = -1                                                        \
    }

void document_title(struct document *d, const char *zh, const char *en);
/* A labelled field; the value in the language of neither (a name, a number). */
void document_field(struct document *d, const char *zh, const char *en, const char *value);
void document_fieldf(struct document *d, const char *zh, const char *en, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The table's column headings, before any cell. */
void document_column(struct document *d, const char *zh, const char *en);
/* The next cell, row after row. */
void document_cell(struct document *d, const char *value);
void document_cellf(struct document *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A text of the pool in the language asked for. */
const char *document_text(const struct document *d, struct doc_text t, int en);
const char *document_value(const struct document *d, size_t off);
void document_release(struct document *d);

#endif
