/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/note.c -- see note.h. Parsing follows golang.org/x/mod/sumdb/note's
 * Open: the signatures follow the last blank line; a signature by an unknown
 * key is skipped, one by the key that does not verify is an error. */
#include "core/compat.h"

#include <sodium.h>

#include "tlog/note.h"
#include "tlog/tlog_int.h"

#define COSIG_HEADER "cosignature/v1\n"
#define DASH "\xe2\x80\x94 " /* U+2014 EM DASH, space: starts a signature line */

static int
malformed(struct err *err, const char *zh, const char *en)
{
    return err_set(err, ERR_MALFORMED, "note", zh, en);
}

/* One UTF-8 sequence at s (n bytes left): its code point and length, or -1. */
static int
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
    int len = s[0] < 0x80             ? 1
              : (s[0] & 0xe0) == 0xc0 ? 2
              : (s[0] & 0xf0) == 0xe0 ? 3
              : (s[0] & 0xf8) == 0xf0 ? 4
                                      : 0;

    if (len == 0 || (size_t)len > n)
        return -1;
    *cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    if (*cp < min[len - 1] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        return -1;
    return len;
}

/* Go's unicode.IsSpace beyond ASCII. */
static bool
unicode_space(uint32_t cp)
{
    return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Valid UTF-8 without control characters; newlines only if 'lines'. */
static bool
clean_utf8(const char *s, size_t len, bool lines)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    int n;

    for (size_t i = 0; i < len; i += (size_t)n) {
        if ((n = utf8_next(p + i, len - i, &cp)) < 0)
            return false;
        if ((cp < 0x20 && !(lines && cp == '\n')) || cp == 0x7f)
            return false;
    }
    return true;
}

/* A key name: 1..TLOG_NAME_MAX bytes of UTF-8, no spaces, no '+'. */
static bool
name_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    int n;

    if (len == 0 || len > TLOG_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i += (size_t)n) {
        if ((n = utf8_next(p + i, len - i, &cp)) < 0)
            return false;
        if (cp <= 0x20 || cp == 0x7f || cp == '+' || unicode_space(cp))
            return false;
    }
    return true;
}

static uint32_t
key_id(const char *name, unsigned char alg, const unsigned char pub[32])
{
    crypto_hash_sha256_state st;
    unsigned char h[32];
    const unsigned char sep[2] = { '\n', alg };

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_update(&st, sep, 2);
    crypto_hash_sha256_update(&st, pub, 32);
    crypto_hash_sha256_final(&st, h);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

bool
tlog_b64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *got)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    const char *end;

    *got = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0' || !strchr(alphabet, s[i]))
            return false;
    return sodium_base642bin(out, cap, s, n, NULL, got, &end, sodium_base64_VARIANT_ORIGINAL) ==
               0 &&
           end == s + n;
}

/* Strict standard base64 of exactly 'want' bytes, or -1. */
static int
base64_exact(const char *s, size_t len, unsigned char *out, size_t want)
{
    size_t got = 0;

    return tlog_b64_decode(s, len, out, want, &got) && got == want ? 0 : -1;
}

/* "name+hex8+base64(...)" after an optional prefix: the name, the id and the
 * 33 key bytes (algorithm byte first). */
static int
split_key(const char *text, char *name, uint32_t *id, unsigned char key[33])
{
    const char *plus1 = strchr(text, '+'), *b64;
    char hex[9];

    /* A name has no '+': the first one ends it; 8 hex digits and a '+' follow. */
    if (!plus1 || !name_ok(text, (size_t)(plus1 - text)) || strlen(plus1) < 10 || plus1[9] != '+')
        return -1;
    memcpy(hex, plus1 + 1, 8);
    hex[8] = '\0';
    for (int i = 0; i < 8; i++)
        if (!strchr("0123456789abcdef", hex[i]))
            return -1;
    *id = (uint32_t)strtoul(hex, NULL, 16);
    snprintf(name, TLOG_NAME_MAX + 1, "%.*s", (int)(plus1 - text), text);
    b64 = plus1 + 10;
    if (base64_exact(b64, strlen(b64), key, 33) < 0 ||
        (key[0] != TLOG_ALG_ED25519 && key[0] != TLOG_ALG_COSIGNATURE))
        return -1;
    return 0;
}

int
tlog_vkey_parse(const char *text, struct tlog_vkey *out, struct err *err)
{
    unsigned char key[33];

    memset(out, 0, sizeof(*out));
    if (strlen(text) > 2 * TLOG_NAME_MAX || split_key(text, out->name, &out->id, key) < 0)
        return err_set(err, ERR_INVALID, "vkey", "验证密钥格式不对（应为 名称+哈希+base64）",
                       "a verifier key is name+hash+base64 (Ed25519)");
    memcpy(out->pub, key + 1, 32);
    out->alg = key[0];
    if (key_id(out->name, out->alg, out->pub) != out->id)
        return err_set(err, ERR_INVALID, "vkey", "验证密钥的哈希与密钥不符",
                       "the verifier key's hash does not match the key");
    return 0;
}

static void
add_key_text(struct sbuf *out, const struct tlog_vkey *k, const unsigned char *key32)
{
    unsigned char key[33];
    char b64[sodium_base64_ENCODED_LEN(33, sodium_base64_VARIANT_ORIGINAL)];

    key[0] = k->alg;
    memcpy(key + 1, key32, 32);
    sodium_bin2base64(b64, sizeof(b64), key, 33, sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(out, "%s+%08x+%s", k->name, k->id, b64);
    sodium_memzero(key, sizeof(key));
    sodium_memzero(b64, sizeof(b64));
}

void
tlog_vkey_format(const struct tlog_vkey *k, struct sbuf *out)
{
    add_key_text(out, k, k->pub);
}

int
tlog_skey_parse(const char *text, struct tlog_skey *out, struct err *err)
{
    static const char prefix[] = "PRIVATE+KEY+";
    unsigned char key[33], pub[32];
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (strncmp(text, prefix, sizeof(prefix) - 1) != 0 || strlen(text) > 2 * TLOG_NAME_MAX ||
        split_key(text + sizeof(prefix) - 1, out->v.name, &out->v.id, key) < 0)
        rc = err_set(err, ERR_INVALID, "skey",
                     "签名密钥格式不对（应为 PRIVATE+KEY+名称+哈希+base64）",
                     "a signer key is PRIVATE+KEY+name+hash+base64 (Ed25519)");
    if (rc == 0) {
        crypto_sign_seed_keypair(pub, out->sk, key + 1);
        memcpy(out->v.pub, pub, 32);
        out->v.alg = key[0];
        if (key_id(out->v.name, out->v.alg, pub) != out->v.id)
            rc = err_set(err, ERR_INVALID, "skey", "签名密钥的哈希与密钥不符",
                         "the signer key's hash does not match the key");
    }
    sodium_memzero(key, sizeof(key));
    return rc;
}

void
tlog_skey_format(const struct tlog_skey *k, struct sbuf *out)
{
    sbuf_adds(out, "PRIVATE+KEY+");
    add_key_text(out, &k->v, k->sk); /* the first 32 bytes are the seed */
}

int
tlog_skey_generate(const char *name, struct tlog_skey *out, struct err *err)
{
    return tlog_skey_generate_alg(name, TLOG_ALG_ED25519, out, err);
}

int
tlog_skey_generate_alg(const char *name, unsigned char alg, struct tlog_skey *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!name_ok(name, strlen(name)))
        return err_set(err, ERR_INVALID, "name", "密钥名称不能为空，且不能含空格或加号",
                       "a key name must be non-empty, without spaces or '+'");
    snprintf(out->v.name, sizeof(out->v.name), "%s", name);
    crypto_sign_keypair(out->v.pub, out->sk);
    out->v.alg = alg;
    out->v.id = key_id(name, alg, out->v.pub);
    return 0;
}

/* Text: non-empty, clean UTF-8 lines, each ending in "\n". */
static bool
text_ok(const char *text, size_t len)
{
    return len > 0 && text[len - 1] == '\n' && clean_utf8(text, len, true);
}

/* Does the signature verify over 'text' ('key' a log's key) or over the
 * cosignature message of 'text' ('key' a witness's: blob holds the time)? */
static bool
signature_ok(const unsigned char *blob, size_t got, const char *text, size_t text_len,
             const struct tlog_vkey *key, uint64_t *time)
{
    struct sbuf m = SBUF_INIT;
    bool ok;

    if (key->alg == TLOG_ALG_ED25519)
        return got == 4 + 64 && crypto_sign_verify_detached(blob + 4, (const unsigned char *)text,
                                                            text_len, key->pub) == 0;
    if (got != 4 + 8 + 64)
        return false;
    *time = 0;
    for (int i = 0; i < 8; i++)
        *time = *time << 8 | blob[4 + i];
    sbuf_addf(&m, COSIG_HEADER "time %llu\n", (unsigned long long)*time);
    sbuf_add(&m, text, text_len);
    ok = *time <= INT64_MAX &&
         crypto_sign_verify_detached(blob + 12, (const unsigned char *)m.buf, m.len, key->pub) == 0;
    sbuf_release(&m);
    return ok;
}

/* Check one signature line (without its "\n") against 'key': 1 verified, 0 by
 * another key, -1 malformed, -2 claims the key but does not verify. */
static int
check_line(const char *line, size_t len, const char *text, size_t text_len,
           const struct tlog_vkey *key, uint64_t *time)
{
    unsigned char blob[4 + 8 + 64];
    const char *space;
    size_t nlen, b64len, got = 0;

    if (len < sizeof(DASH) - 1 || memcmp(line, DASH, sizeof(DASH) - 1) != 0)
        return -1;
    line += sizeof(DASH) - 1;
    len -= sizeof(DASH) - 1;
    space = memchr(line, ' ', len);
    if (!space || !name_ok(line, (size_t)(space - line)))
        return -1;
    nlen = (size_t)(space - line);
    b64len = len - nlen - 1;
    if (!tlog_b64_decode(space + 1, b64len, blob, sizeof(blob), &got) || got < 5)
        return -1;
    if (nlen != strlen(key->name) || memcmp(line, key->name, nlen) != 0 ||
        ((uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3]) !=
            key->id)
        return 0;
    return signature_ok(blob, got, text, text_len, key, time) ? 1 : -2;
}

/* The start of the signature block: just after the last "\n\n"; NULL if none. */
static const char *
signatures_start(const char *note, size_t len)
{
    for (size_t i = len; i >= 2; i--)
        if (note[i - 1] == '\n' && note[i - 2] == '\n')
            return note + i;
    return NULL;
}

/* The one verifier of both kinds of signature line (see check_line). */
static int
verify_lines(const char *note, size_t len, const struct tlog_vkey *key, size_t *text_len,
             uint64_t *time, struct err *err)
{
    const char *sigs = len <= TLOG_NOTE_MAX ? signatures_start(note, len) : NULL, *p, *nl;
    size_t tlen;
    int found = 0, nsigs = 0, rc;

    if (!sigs || !text_ok(note, (size_t)(sigs - note) - 1) ||
        !clean_utf8(sigs, len - (size_t)(sigs - note), true) || note[len - 1] != '\n' ||
        sigs == note + len)
        return malformed(err, "签名文本格式不对", "malformed signed note");
    tlen = (size_t)(sigs - note) - 1;
    for (p = sigs; p < note + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(note + len - p));
        if (++nsigs > TLOG_NOTE_MAX_SIGS)
            return malformed(err, "签名行太多", "too many signatures");
        rc = check_line(p, (size_t)(nl - p), note, tlen, key, time);
        if (rc == -1)
            return malformed(err, "签名行格式不对", "malformed signature line");
        if (rc == -2)
            return err_set(err, ERR_INVALID, "signature", "签名无效：内容可能被改动过",
                           "invalid signature: the note may have been changed");
        found |= rc;
    }
    if (!found)
        return err_set(err, ERR_INVALID, "signature", "没有该密钥的签名",
                       "the note carries no signature by that key");
    *text_len = tlen;
    return 0;
}

int
tlog_note_verify(const char *note, size_t len, const struct tlog_vkey *key, size_t *text_len,
                 struct err *err)
{
    uint64_t unused;

    if (key->alg != TLOG_ALG_ED25519)
        return err_set(err, ERR_INVALID, "vkey", "这不是日志的密钥", "that is not a log's key");
    return verify_lines(note, len, key, text_len, &unused, err);
}

int
tlog_cosignature_verify(const char *note, size_t len, const struct tlog_vkey *witness,
                        uint64_t *time, size_t *text_len, struct err *err)
{
    if (witness->alg != TLOG_ALG_COSIGNATURE)
        return err_set(err, ERR_INVALID, "vkey", "这不是见证方的密钥",
                       "that is not a witness's key");
    return verify_lines(note, len, witness, text_len, time, err);
}

int
tlog_cosignature_line(const char *note, size_t len, const struct tlog_vkey *witness,
                      struct sbuf *line, uint64_t *time, size_t *text_len, struct err *err)
{
    const char *p, *nl;
    int rc = tlog_cosignature_verify(note, len, witness, time, text_len, err);

    for (p = note + *text_len + 1; rc == 0 && p < note + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(note + len - p));
        if (check_line(p, (size_t)(nl - p), note, *text_len, witness, time) == 1) {
            sbuf_add(line, p, (size_t)(nl - p) + 1);
            return 0;
        }
    }
    return rc;
}

int
tlog_cosign(const char *text, size_t len, const struct tlog_skey *witness, uint64_t time,
            struct sbuf *line, struct err *err)
{
    unsigned char blob[4 + 8 + 64];
    char b64[sodium_base64_ENCODED_LEN(sizeof(blob), sodium_base64_VARIANT_ORIGINAL)];
    struct sbuf m = SBUF_INIT;

    if (!text_ok(text, len) || len > TLOG_NOTE_MAX || witness->v.alg != TLOG_ALG_COSIGNATURE ||
        time > INT64_MAX)
        return err_set(err, ERR_INVALID, "note", "无法为此见证", "cannot cosign this");
    for (int i = 0; i < 4; i++)
        blob[i] = (unsigned char)(witness->v.id >> (24 - 8 * i));
    for (int i = 0; i < 8; i++)
        blob[4 + i] = (unsigned char)(time >> (56 - 8 * i));
    sbuf_addf(&m, COSIG_HEADER "time %llu\n", (unsigned long long)time);
    sbuf_add(&m, text, len);
    crypto_sign_detached(blob + 12, NULL, (const unsigned char *)m.buf, m.len, witness->sk);
    sbuf_release(&m);
    sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(line, DASH "%s %s\n", witness->v.name, b64);
    return 0;
}

int
tlog_note_sign(const char *text, size_t len, const struct tlog_skey *key, struct sbuf *out,
               struct err *err)
{
    unsigned char blob[4 + 64];
    char b64[sodium_base64_ENCODED_LEN(sizeof(blob), sodium_base64_VARIANT_ORIGINAL)];

    if (!text_ok(text, len) || len > TLOG_NOTE_MAX || key->v.alg != TLOG_ALG_ED25519)
        return err_set(err, ERR_INVALID, "note", "签名文本应为若干行，每行以换行结尾",
                       "note text must be lines, each ending in a newline");
    blob[0] = (unsigned char)(key->v.id >> 24);
    blob[1] = (unsigned char)(key->v.id >> 16);
    blob[2] = (unsigned char)(key->v.id >> 8);
    blob[3] = (unsigned char)key->v.id;
    crypto_sign_detached(blob + 4, NULL, (const unsigned char *)text, len, key->sk);
    sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
    sbuf_add(out, text, len);
    sbuf_addf(out, "\n" DASH "%s %s\n", key->v.name, b64);
    return 0;
}

/* The next line of [*p, end) without its "\n"; false if there is no "\n". */
static bool
next_line(const char **p, const char *end, const char **line, size_t *len)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));

    if (!nl)
        return false;
    *line = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return true;
}

/* A tree size: decimal, no sign, no leading zero (but "0"), fits in 63 bits. */
static bool
parse_size(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;

    if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return v <= INT64_MAX;
}

int
tlog_checkpoint_parse(const char *text, size_t len, struct tlog_checkpoint *out, struct err *err)
{
    const char *p = text, *end = text + len, *line;
    size_t n;

    memset(out, 0, sizeof(*out));
    if (!text_ok(text, len) || !next_line(&p, end, &line, &n) || n == 0 || n > TLOG_NAME_MAX)
        return malformed(err, "检查点的来源行不对", "malformed checkpoint origin");
    snprintf(out->origin, sizeof(out->origin), "%.*s", (int)n, line);
    if (!next_line(&p, end, &line, &n) || !parse_size(line, n, &out->size))
        return malformed(err, "检查点的树大小不对", "malformed checkpoint tree size");
    if (!next_line(&p, end, &line, &n) || base64_exact(line, n, out->root, TLOG_HASH_BYTES) < 0)
        return malformed(err, "检查点的根哈希不对", "malformed checkpoint root hash");
    out->extensions = p;
    out->extensions_len = (size_t)(end - p);
    while (p < end)
        if (!next_line(&p, end, &line, &n) || n == 0)
            return malformed(err, "检查点的扩展行不对", "malformed checkpoint extension line");
    return 0;
}

void
tlog_checkpoint_format(const struct tlog_checkpoint *c, struct sbuf *out)
{
    char b64[sodium_base64_ENCODED_LEN(TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(b64, sizeof(b64), c->root, TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(out, "%s\n%llu\n%s\n", c->origin, (unsigned long long)c->size, b64);
    if (c->extensions_len)
        sbuf_add(out, c->extensions, c->extensions_len);
}
