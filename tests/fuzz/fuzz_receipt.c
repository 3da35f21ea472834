/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_receipt.c -- libFuzzer target for tlog/receipt.c: the input
 * goes through tlog_receipt_parse and, when it parses, tlog_receipt_verify
 * against a fixed key. Beyond "no crash, no UB": a parsed receipt with an entry
 * formats back to exactly its input (one text per receipt); every failure
 * carries a code and both messages. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_receipt: %s\n", what);
    abort();
}

static void
check_err(const struct err *e)
{
    if (e->code == ERR_OK || !e->zh[0] || !e->en[0])
        fail("failure without a code or both messages");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tlog_receipt r;
    static struct tlog_vkey key;
    static bool ready;
    struct tlog_checkpoint cp;
    struct sbuf back = SBUF_INIT;
    struct err e = ERR_INIT;

    if (!ready) {
        if (tlog_vkey_parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
                            &key, NULL) < 0)
            fail("setup");
        ready = true;
    }
    if (tlog_receipt_parse((const char *)data, size, &r, &e) < 0) {
        check_err(&e);
        return 0;
    }
    if (r.extra_len) {
        tlog_receipt_format(r.extra, r.extra_len, r.index, r.proof, r.nproof, r.note, r.note_len,
                            &back);
        if (back.len != size || memcmp(back.buf, data, size) != 0)
            fail("a parsed receipt does not format back to its text");
    }
    err_clear(&e);
    if (tlog_receipt_verify(&r, &key, &cp, &e) < 0)
        check_err(&e);
    sbuf_release(&back);
    return 0;
}
