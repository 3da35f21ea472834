/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/document/document.c -- see document.h. */
#include "core/compat.h"

#include <stdarg.h>

#include "core/xalloc.h"
#include "domain/document/document.h"

static size_t
keep(struct document *d, const char *s)
{
    size_t at = d->pool.len;

    sbuf_adds(&d->pool, s ? s : "");
    sbuf_addc(&d->pool, '\0');
    return at;
}

static struct doc_text
keep_both(struct document *d, const char *zh, const char *en)
{
    size_t z = keep(d, zh);

    return (struct doc_text){ z, en && strcmp(en, zh) != 0 ? keep(d, en) : z };
}

void
document_title(struct document *d, const char *zh, const char *en)
{
    d->title = keep_both(d, zh, en);
}

void
document_field(struct document *d, const char *zh, const char *en, const char *value)
{
    if (d->nfields == d->fields_cap) {
        d->fields_cap = d->fields_cap ? d->fields_cap * 2 : 16;
        d->labels = xrealloc(d->labels, d->fields_cap * sizeof(*d->labels));
        d->values = xrealloc(d->values, d->fields_cap * sizeof(*d->values));
    }
    d->labels[d->nfields] = keep_both(d, zh, en);
    d->values[d->nfields++] = keep(d, value);
}

void
document_fieldf(struct document *d, const char *zh, const char *en, const char *fmt, ...)
{
    struct sbuf v = SBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(&v, fmt, ap);
    va_end(ap);
    document_field(d, zh, en, v.buf ? v.buf : "");
    sbuf_release(&v);
}

void
document_column(struct document *d, const char *zh, const char *en)
{
    INVARIANT(d->ncolumns < DOC_MAX_COLUMNS && d->ncells == 0);
    d->columns[d->ncolumns++] = keep_both(d, zh, en);
}

void
document_cell(struct document *d, const char *value)
{
    INVARIANT(d->ncolumns > 0);
    if (d->ncells == d->cells_cap) {
        d->cells_cap = d->cells_cap ? d->cells_cap * 2 : 64;
        d->cells = xrealloc(d->cells, d->cells_cap * sizeof(*d->cells));
    }
    d->cells[d->ncells++] = keep(d, value);
}

void
document_cellf(struct document *d, const char *fmt, ...)
{
    struct sbuf v = SBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(&v, fmt, ap);
    va_end(ap);
    document_cell(d, v.buf ? v.buf : "");
    sbuf_release(&v);
}

const char *
document_text(const struct document *d, struct doc_text t, int en)
{
    return d->pool.buf + (en ? t.en : t.zh);
}

const char *
document_value(const struct document *d, size_t off)
{
    return d->pool.buf + off;
}

void
document_release(struct document *d)
{
    sbuf_release(&d->pool);
    free(d->labels);
    free(d->values);
    free(d->cells);
    *d = (struct document)DOCUMENT_INIT;
}
