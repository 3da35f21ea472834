/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_csv.c -- libFuzzer target for the household CSV import's
 * untrusted-input half: charset decoding (the first byte picks the declared
 * charset) and row parsing/validation. Neither touches the database. */
#include "core/compat.h"

#include "core/err.h"
#include "domain/registry/transfer.h"
#include "domain/sheet/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *charsets[] = { "utf-8", "gbk", "gb18030", "" };
    struct import_report report = { 0 };
    struct import_progress progress = { 0 };
    struct import_plan *plan = NULL;
    struct err e = ERR_INIT;
    char *utf8 = NULL;
    size_t len = 0;

    if (size < 1)
        return 0;
    if (sheet_decode((const char *)data + 1, size - 1, charsets[data[0] % 4], &utf8, &len, &e) ==
        0) {
        transfer_parse(utf8, len, &plan, &report, &progress, &e);
        transfer_plan_free(plan);
        transfer_report_release(&report);
        free(utf8);
    }
    return 0;
}
