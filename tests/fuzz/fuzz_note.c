/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_note.c -- libFuzzer target for tlog/note: the input is read
 * as a signed note (against the C2SP example key and a key of our own), as a
 * checkpoint and as verifier and signer keys. Beyond "no crash, no UB": a
 * verified note's text is a prefix ending in "\n"; a parsed checkpoint formats
 * back to exactly its input; a parsed verifier key formats back to its input;
 * every failure carries both messages. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_note: %s\n", what);
    abort();
}

static void
check_err(const struct err *e)
{
    if (e->code == ERR_OK || !e->zh[0] || !e->en[0])
        fail("failure without a code or both messages");
}

static void
note_as_note(const char *text, size_t size, const struct tlog_vkey *k)
{
    struct err e = ERR_INIT;
    size_t tlen = 0;

    if (tlog_note_verify(text, size, k, &tlen, &e) == 0) {
        if (tlen == 0 || tlen >= size || text[tlen - 1] != '\n')
            fail("verified text is not a proper prefix ending in a newline");
    } else {
        check_err(&e);
    }
}

static void
note_as_checkpoint(const char *text, size_t size)
{
    struct tlog_checkpoint c;
    struct sbuf back = SBUF_INIT;
    struct err e = ERR_INIT;

    if (tlog_checkpoint_parse(text, size, &c, &e) == 0) {
        tlog_checkpoint_format(&c, &back);
        if (back.len != size || memcmp(back.buf, text, size) != 0)
            fail("a parsed checkpoint does not format back to its text");
    } else {
        check_err(&e);
    }
    sbuf_release(&back);
}

static void
note_as_keys(const char *text)
{
    struct tlog_vkey v;
    struct tlog_skey s;
    struct sbuf back = SBUF_INIT;
    struct err e = ERR_INIT;

    if (tlog_vkey_parse(text, &v, &e) == 0) {
        tlog_vkey_format(&v, &back);
        if (strcmp(back.buf, text) != 0)
            fail("a parsed verifier key does not format back to its text");
    } else {
        check_err(&e);
    }
    err_clear(&e);
    if (tlog_skey_parse(text, &s, &e) != 0)
        check_err(&e);
    sbuf_release(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tlog_vkey example, own;
    static bool ready;
    char *text = malloc(size + 1);

    if (!ready) {
        struct tlog_skey sk;

        if (tlog_vkey_parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
                            &example, NULL) < 0 ||
            tlog_skey_generate("xiangzhi.example/410183", &sk, NULL) < 0)
            fail("setup");
        own = sk.v;
        ready = true;
    }
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    note_as_note(text, size, &example);
    note_as_note(text, size, &own);
    note_as_checkpoint(text, size);
    note_as_keys(text);
    free(text);
    return 0;
}
