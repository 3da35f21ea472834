/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/reader.c -- see sheet.h: the part both formats share. Each
 * record arrives as fields; blank records are skipped; the first is the
 * header, mapped to the declared columns by their accepted titles; each later
 * one is a data row, its cells handed over in the declared order. */
#include "core/compat.h"

#include "core/json.h"
#include "core/xalloc.h"
#include "domain/sheet/sheet_int.h"

/* Trim ASCII blanks and U+3000 (the ideographic space) at both ends. */
static const char *
trim(const char *s, size_t *len)
{
    for (;;) {
        if (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
            (*len)--;
        else if (*len >= 3 && memcmp(s + *len - 3, "\xe3\x80\x80", 3) == 0)
            *len -= 3;
        else if (*len > 0 && (s[0] == ' ' || s[0] == '\t'))
            s++, (*len)--;
        else if (*len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
            s += 3, *len -= 3;
        else
            return s;
    }
}

void
reader_field(struct sheet_reader *r, const char *data, size_t len)
{
    const char *s = trim(data, &len);

    if (r->nfields == r->off_cap) {
        r->off_cap = r->off_cap ? r->off_cap * 2 : 16;
        r->off = xrealloc(r->off, r->off_cap * sizeof(*r->off));
    }
    r->off[r->nfields++] = r->fields.len;
    sbuf_add(&r->fields, s, len);
    sbuf_addc(&r->fields, '\0');
}

void
reader_fatal(struct sheet_reader *r, int row, const char *zh, const char *en)
{
    sheet_problem(r->problems, row, "", zh, en);
    r->out->fatal = true;
}

static const char *
field(const struct sheet_reader *r, size_t i)
{
    return r->fields.buf + r->off[i];
}

static bool
utf8_ok(const char *s)
{
    json_t *v = json_string(s); /* jansson checks UTF-8 */

    json_decref(v);
    return v != NULL;
}

static int
declared_column(const struct sheet_spec *spec, const char *title)
{
    for (size_t c = 0; c < spec->ncolumns; c++)
        for (const char *const *t = spec->columns[c].titles; *t; t++)
            if (strcmp(title, *t) == 0)
                return (int)c;
    return -1;
}

/* The header: each declared column found once; a problem here is fatal. */
static void
map_header(struct sheet_reader *r)
{
    const struct sheet_spec *spec = r->spec;
    struct sheet_read *out = r->out;

    out->header = true;
    for (size_t i = 0; i < r->nfields; i++) {
        const char *title = field(r, i);
        int c;

        if (!utf8_ok(title)) {
            reader_fatal(r, r->record, "表头不是有效的 UTF-8 文本(请把文件另存为 UTF-8)",
                         "the header is not valid UTF-8 (save the file as UTF-8)");
            return;
        }
        c = declared_column(spec, title);
        if (c >= 0 && r->col[c] >= 0) {
            sheet_problemf(r->problems, r->record, title, "列“%s”重复",
                           "the column %s appears twice", title);
            out->fatal = true;
        } else if (c >= 0) {
            r->col[c] = (int)i;
            sheet_copy_utf8(out->titles[c], sizeof(out->titles[c]), title);
        }
    }
    for (size_t c = 0; c < spec->ncolumns; c++)
        if (r->col[c] < 0 && spec->columns[c].required) {
            sheet_problemf(r->problems, r->record, out->titles[c], "缺少“%s”列",
                           "the column %s is missing", out->titles[c]);
            out->fatal = true;
        }
}

/* A data row: every cell UTF-8 (else each bad one listed and the row not
 * handed over), then the caller's. */
static void
data_row(struct sheet_reader *r)
{
    const struct sheet_spec *spec = r->spec;
    const char *cells[SHEET_MAX_COLUMNS];
    bool ok = true;

    if (r->out->rows >= spec->max_rows) {
        sheet_problemf(r->problems, 0, "", "文件超过 %d 行", "the file has more than %d rows",
                       spec->max_rows);
        r->out->fatal = r->out->too_large = true;
        return;
    }
    r->out->rows++;
    for (size_t c = 0; c < spec->ncolumns; c++) {
        int i = r->col[c];

        cells[c] = i >= 0 && (size_t)i < r->nfields ? field(r, (size_t)i) : "";
        if (!utf8_ok(cells[c])) {
            sheet_problem(r->problems, r->record, r->out->titles[c],
                          "不是有效的 UTF-8 文本(请把文件另存为 UTF-8)",
                          "not valid UTF-8 text (save the file as UTF-8)");
            ok = false;
        }
    }
    if (ok)
        r->on_row(r->arg, &(struct sheet_row){ r->record, cells });
}

void
reader_record(struct sheet_reader *r)
{
    bool blank = true;

    for (size_t i = 0; i < r->nfields && blank; i++)
        blank = field(r, i)[0] == '\0';
    if (!r->out->fatal && !blank) {
        if (!r->out->header)
            map_header(r);
        else
            data_row(r);
    }
    r->nfields = 0;
    sbuf_reset(&r->fields);
}

bool
sheet_is_xlsx(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

void
sheet_read(const struct sheet_spec *spec, const char *data, size_t len, sheet_row_fn on_row,
           void *arg, struct sheet_problems *problems, struct sheet_read *out)
{
    struct sheet_reader r = { .spec = spec,
                              .on_row = on_row,
                              .arg = arg,
                              .problems = problems,
                              .out = out,
                              .fields = SBUF_INIT };

    INVARIANT(spec->ncolumns <= SHEET_MAX_COLUMNS);
    memset(out, 0, sizeof(*out));
    for (size_t c = 0; c < spec->ncolumns; c++) {
        r.col[c] = -1;
        sheet_copy_utf8(out->titles[c], sizeof(out->titles[c]), spec->columns[c].titles[0]);
    }
    if (sheet_is_xlsx(data, len))
        sheet_xlsx_read(&r, data, len);
    else
        sheet_csv_read(&r, data, len);
    if (!out->fatal && out->rows == 0)
        sheet_problem(problems, 0, "", out->header ? "文件中没有数据行" : "文件为空",
                      out->header ? "the file has no data rows" : "the file is empty");
    if (out->rows == 0)
        out->fatal = true;
    sbuf_release(&r.fields);
    free(r.off);
}
