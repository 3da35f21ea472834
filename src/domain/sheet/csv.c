/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/csv.c -- a CSV file into records for the reader: libcsv
 * splits it (RFC 4180, strictly: an unbalanced quote or text after a closing
 * one stops the import at its record); a UTF-8 byte-order mark is skipped. */
#include "core/compat.h"

#include <csv.h>

#include "core/xalloc.h"
#include "domain/sheet/sheet_int.h"

#define BOM "\xef\xbb\xbf"

static void
on_field(void *data, size_t len, void *arg)
{
    reader_field(arg, data ? data : "", len);
}

static void
on_record(int term, void *arg)
{
    struct sheet_reader *r = arg;

    (void)term;
    r->record++;
    reader_record(r);
}

void
sheet_csv_read(struct sheet_reader *r, const char *data, size_t len)
{
    struct csv_parser p;
    size_t done;

    if (len >= 3 && memcmp(data, BOM, 3) == 0)
        data += 3, len -= 3;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        abort(); /* only fails on out-of-memory */
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    done = csv_parse(&p, data, len, on_field, on_record, r);
    if (done != len || csv_fini(&p, on_field, on_record, r) != 0)
        reader_fatal(r, r->record + 1, "CSV 格式错误(引号不配对或引号后有多余字符)",
                     "CSV syntax error (unbalanced quotes or text after a closing quote)");
    csv_free(&p);
}
