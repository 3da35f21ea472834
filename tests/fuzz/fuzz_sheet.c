/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_sheet.c -- libFuzzer target for domain/sheet, the reader of
 * every import: the input is read as it arrives (CSV, or a ZIP archive when it
 * starts like one), and -- so that mutations reach the XML rather than dying at
 * a ZIP checksum -- split at "\n==\n" into a sheet, shared strings and styles
 * that are packed here into a workbook with libzip and read again. Beyond "no
 * crash, no leak, no UB": every cell handed over is valid UTF-8, no more rows
 * than the spec allows are handed over, every problem text is valid UTF-8.
 * Built by scripts/fuzz.sh, not by meson. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/json.h"
#include "domain/sheet/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const a_titles[] = { "姓名", "name", NULL };
static const char *const b_titles[] = { "村代码", "code", NULL };
static const char *const c_titles[] = { "出生日期", "date", NULL };
static const struct sheet_column columns[] = { { .titles = a_titles, .required = true },
                                               { .titles = b_titles, .required = false },
                                               { .titles = c_titles, .required = false } };
static const struct sheet_spec spec = { columns, ARRAY_LEN(columns), 50 };

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_sheet: %s\n", what);
    abort();
}

static bool
utf8_ok(const char *s)
{
    json_t *v = json_string(s);

    json_decref(v);
    return v != NULL;
}

static void
on_row(void *arg, const struct sheet_row *row)
{
    int *rows = arg;

    if (++*rows > spec.max_rows)
        fail("more rows handed over than the spec allows");
    for (size_t c = 0; c < spec.ncolumns; c++)
        if (!row->cells[c] || !utf8_ok(row->cells[c]))
            fail("a cell handed over is not UTF-8 text");
}

static void
read_once(const char *data, size_t len)
{
    struct sheet_problems p = { 0 };
    struct sheet_read out;
    int rows = 0;

    sheet_read(&spec, data, len, on_row, &rows, &p, &out);
    for (size_t i = 0; i < p.n; i++)
        if (!utf8_ok(p.items[i].column) || !utf8_ok(p.items[i].reason_zh) ||
            !utf8_ok(p.items[i].reason_en))
            fail("a problem's text is not UTF-8");
    if (rows > out.rows)
        fail("more rows handed over than read");
    sheet_problems_release(&p);
}

/* The parts packed into a workbook, its bytes into *out (malloc'd). */
static size_t
pack(const char *const *names, const char *const *parts, const size_t *lens, size_t n, char **out)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *z;
    zip_stat_t st;
    size_t got = 0;

    *out = NULL;
    zip_error_init(&zerr);
    src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    if (!src || !(z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr)))
        abort();
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *part = zip_source_buffer(z, parts[i], lens[i], 0);

        if (!part || zip_file_add(z, names[i], part, ZIP_FL_OVERWRITE) < 0)
            abort();
    }
    if (zip_close(z) < 0 || zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
        abort();
    *out = malloc(st.size ? st.size : 1);
    if (*out && zip_source_read(src, *out, st.size) == (zip_int64_t)st.size)
        got = st.size;
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&zerr);
    return got;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                         "xl/styles.xml" };
    const char *parts[3] = { "", "", "" }, *p = (const char *)data, *end = p + size;
    size_t lens[3] = { 0, 0, 0 }, n = 0;
    char *book;
    size_t len;

    read_once((const char *)data, size);
    while (n < 3) {
        const char *cut = memmem(p, (size_t)(end - p), "\n==\n", 4);

        parts[n] = p;
        lens[n] = (size_t)((cut ? cut : end) - p);
        n++;
        if (!cut)
            break;
        p = cut + 4;
    }
    len = pack(names, parts, lens, n, &book);
    if (len)
        read_once(book, len);
    free(book);
    return 0;
}
