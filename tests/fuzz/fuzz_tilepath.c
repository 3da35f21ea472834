/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_tilepath.c -- libFuzzer target for tlog/tile.c: the input, as
 * a string, goes through tlog_tile_path_parse. Beyond "no crash, no UB": what
 * parses is in range (level -1..63, width 1..256) and formats back to exactly
 * the input, so every tile has one path; every refusal is ERR_NOT_FOUND with
 * both messages. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/tlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_tilepath: %s\n", what);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct sbuf back = SBUF_INIT;
    struct err e = ERR_INIT;
    uint64_t n;
    int level, width;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (tlog_tile_path_parse(text, &level, &n, &width, &e) == 0) {
        if (level < -1 || level > 63 || width < 1 || width > TLOG_TILE_WIDTH)
            fail("parsed values out of range");
        tlog_tile_path_format(level, n, width, &back);
        if (strcmp(back.buf, text) != 0)
            fail("a parsed path does not format back to itself");
    } else if (e.code != ERR_NOT_FOUND || !e.zh[0] || !e.en[0]) {
        fail("refusal without ERR_NOT_FOUND and both messages");
    }
    sbuf_release(&back);
    free(text);
    return 0;
}
