/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/receipt.c -- see receipt.h. */
#include "core/compat.h"

#include <sodium.h>

#include "tlog/receipt.h"
#include "tlog/tlog_int.h"

static const char header[] = "c2sp.org/tlog-proof@v1\n";

static void
add_b64(struct sbuf *out, const void *bytes, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = sbuf_room(out, cap);

    if (!b64)
        return;
    sodium_bin2base64(b64, cap, bytes, len, sodium_base64_VARIANT_ORIGINAL);
    sbuf_commit(out, strlen(b64));
}

void
tlog_receipt_format(const void *entry, size_t entry_len, uint64_t index, const unsigned char *proof,
                    size_t nproof, const char *note, size_t note_len, struct sbuf *out)
{
    sbuf_adds(out, header);
    sbuf_adds(out, "extra ");
    add_b64(out, entry, entry_len);
    sbuf_addf(out, "\nindex %llu\n", (unsigned long long)index);
    for (size_t i = 0; i < nproof; i++) {
        add_b64(out, proof + i * TLOG_HASH_BYTES, TLOG_HASH_BYTES);
        sbuf_addc(out, '\n');
    }
    sbuf_addc(out, '\n');
    sbuf_add(out, note, note_len);
}

static int
malformed(struct err *err, const char *zh, const char *en)
{
    return err_set(err, ERR_MALFORMED, "receipt", zh, en);
}

/* The next line of [*p, end) without "\n"; false at the end or without "\n". */
static bool
line(const char **p, const char *end, const char **s, size_t *n)
{
    const char *nl = *p < end ? memchr(*p, '\n', (size_t)(end - *p)) : NULL;

    if (!nl)
        return false;
    *s = *p;
    *n = (size_t)(nl - *p);
    *p = nl + 1;
    return true;
}

static bool
decimal(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;

    if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* The proof lines up to the blank line. */
static int
proof_lines(const char **p, const char *end, struct tlog_receipt *out, struct err *err)
{
    const char *s;
    size_t n, got;

    for (;;) {
        if (!line(p, end, &s, &n))
            return malformed(err, "收据缺少检查点", "the receipt has no checkpoint");
        if (n == 0)
            return 0;
        if (out->nproof == TLOG_MAX_PROOF ||
            !tlog_b64_decode(s, n, out->proof + out->nproof * TLOG_HASH_BYTES, TLOG_HASH_BYTES,
                             &got) ||
            got != TLOG_HASH_BYTES)
            return malformed(err, "收据中的证明行不对", "malformed proof line in the receipt");
        out->nproof++;
    }
}

int
tlog_receipt_parse(const char *text, size_t len, struct tlog_receipt *out, struct err *err)
{
    const char *p = text, *end = text + len, *s;
    size_t n;

    memset(out, 0, sizeof(*out));
    if (len > TLOG_RECEIPT_MAX || len < sizeof(header) - 1 ||
        memcmp(text, header, sizeof(header) - 1) != 0)
        return malformed(err, "不是 c2sp.org/tlog-proof@v1 收据",
                         "not a c2sp.org/tlog-proof@v1 receipt");
    p += sizeof(header) - 1;
    if (!line(&p, end, &s, &n))
        return malformed(err, "收据不完整", "the receipt is cut short");
    if (n >= 6 && memcmp(s, "extra ", 6) == 0) {
        if (!tlog_b64_decode(s + 6, n - 6, out->extra, sizeof(out->extra), &out->extra_len))
            return malformed(err, "收据的附加数据不对", "malformed extra data in the receipt");
        if (!line(&p, end, &s, &n))
            return malformed(err, "收据不完整", "the receipt is cut short");
    }
    if (n < 7 || memcmp(s, "index ", 6) != 0 || !decimal(s + 6, n - 6, &out->index))
        return malformed(err, "收据的序号行不对", "malformed index line in the receipt");
    if (proof_lines(&p, end, out, err) < 0)
        return -err->code;
    out->note = p;
    out->note_len = (size_t)(end - p);
    return out->note_len ? 0 : malformed(err, "收据缺少检查点", "the receipt has no checkpoint");
}

int
tlog_receipt_verify(const struct tlog_receipt *r, const struct tlog_vkey *key,
                    struct tlog_checkpoint *cp, struct err *err)
{
    unsigned char leaf[TLOG_HASH_BYTES];
    size_t tlen;
    int rc = tlog_note_verify(r->note, r->note_len, key, &tlen, err);

    if (rc == 0)
        rc = tlog_checkpoint_parse(r->note, tlen, cp, err);
    if (rc < 0)
        return rc;
    if (r->extra_len == 0)
        return err_set(err, ERR_INVALID, "receipt", "收据没有附带日志条目，无法离线核对",
                       "the receipt carries no log entry to check offline");
    tlog_leaf_hash(r->extra, r->extra_len, leaf);
    if (!tlog_verify_inclusion(r->index, cp->size, leaf, r->proof, r->nproof, cp->root))
        return err_set(err, ERR_INVALID, "proof", "包含证明不成立：这一条不在检查点的日志中",
                       "the inclusion proof fails: the entry is not in the checkpoint's log");
    return 0;
}
