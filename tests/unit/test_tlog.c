/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_tlog.c -- tlog/merkle and tlog/note against the public test
 * vectors in tests/data/tlog (copied from ../shared/testdata/tlog: the
 * transparency-dev/merkle proof cases and three signed notes), then against
 * proofs built here straight from RFC 9162's PATH and PROOF definitions for
 * every tree size up to 300 (past a 256-leaf tile), with every bit of every
 * proof, root and leaf flipped once. */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <jansson.h>
#include <sodium.h>

#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/receipt.h"

typedef unsigned char hash_t[TLOG_HASH_BYTES];

/* --- the vectors --- */

/* Base64 to bytes; *n is the decoded length (hashes of any length are kept so
 * the test can tell a strict length rejection from a verification failure). */
static bool
b64(const char *s, unsigned char *out, size_t cap, size_t *n)
{
    return sodium_base642bin(out, cap, s, strlen(s), NULL, n, NULL,
                             sodium_base64_VARIANT_ORIGINAL) == 0;
}

struct vcase {
    hash_t a, b; /* leaf and root, or root1 and root2 */
    hash_t proof[TLOG_MAX_PROOF];
    size_t nproof;
    bool all_32; /* every hash is 32 bytes: else a strict verifier refuses */
    bool want_err;
};

static void
load_hash(json_t *v, unsigned char *out, struct vcase *c)
{
    unsigned char buf[128];
    size_t n = 0;

    cr_assert(json_is_string(v) && b64(json_string_value(v), buf, sizeof(buf), &n));
    c->all_32 &= n == TLOG_HASH_BYTES;
    memcpy(out, buf, n < TLOG_HASH_BYTES ? n : TLOG_HASH_BYTES);
}

static void
load_case(json_t *j, const char *ka, const char *kb, struct vcase *c)
{
    json_t *proof = json_object_get(j, "proof"), *h;
    size_t i;

    memset(c, 0, sizeof(*c));
    c->all_32 = true;
    load_hash(json_object_get(j, ka), c->a, c);
    load_hash(json_object_get(j, kb), c->b, c);
    json_array_foreach (proof, i, h) {
        cr_assert_lt(i, TLOG_MAX_PROOF);
        load_hash(h, c->proof[i], c);
        c->nproof = i + 1;
    }
    c->want_err = json_is_true(json_object_get(j, "wantErr"));
}

static int inclusion_cases, consistency_cases, strict_refusals;

/* An unsigned 64-bit field of the JSON text: jansson stops at INT64_MAX and
 * some cases use 2^64 - 1. */
static uint64_t
u64_field(const char *text, const char *key)
{
    char pattern[32];
    const char *at;

    snprintf(pattern, sizeof(pattern), "\"%s\":", key);
    at = strstr(text, pattern);
    cr_assert(at, "no %s", key);
    return strtoull(at + strlen(pattern), NULL, 10);
}

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 65536);

    cr_assert(f && buf, "%s", path);
    cr_assert(fread(buf, 1, 65535, f) > 0, "%s: empty", path);
    fclose(f);
    return buf;
}

/* One vector: our answer must be wantErr's. The exception: a case that wants
 * success with hashes that are not 32 bytes (the "12-byte" case, roots like
 * "don't care") is refused, because our verifiers take only SHA-256 hashes; a
 * verifier that accepted a short root would accept what no log can produce. */
static int
check_vector(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    json_t *j;
    struct vcase c;
    char *text;
    bool ok;

    (void)st, (void)ftw;
    if (type != FTW_F || !strstr(path, ".json"))
        return 0;
    text = read_text(path);
    j = json_loads(text, JSON_DECODE_INT_AS_REAL, NULL);
    cr_assert(j, "%s: not JSON", path);
    if (strstr(path, "/inclusion/")) {
        load_case(j, "leafHash", "root", &c);
        ok = c.all_32 &&
             tlog_verify_inclusion(u64_field(text, "leafIdx"), u64_field(text, "treeSize"), c.a,
                                   c.proof[0], c.nproof, c.b);
        inclusion_cases++;
    } else {
        load_case(j, "root1", "root2", &c);
        ok = c.all_32 && tlog_verify_consistency(u64_field(text, "size1"), u64_field(text, "size2"),
                                                 c.a, c.b, c.proof[0], c.nproof);
        consistency_cases++;
    }
    free(text);
    if (!c.want_err && !c.all_32) {
        cr_assert(!ok, "%s: short hashes accepted", path);
        strict_refusals++;
    } else {
        cr_assert_eq(ok, !c.want_err, "%s: verified=%d, wantErr=%d", path, ok, c.want_err);
    }
    json_decref(j);
    return 0;
}

Test(vectors, every_proof_case_gives_the_expected_answer)
{
    cr_assert_eq(nftw(TEST_DATA_DIR "/tlog/inclusion", check_vector, 8, FTW_PHYS), 0);
    cr_assert_eq(nftw(TEST_DATA_DIR "/tlog/consistency", check_vector, 8, FTW_PHYS), 0);
    cr_assert_gt(inclusion_cases, 80);
    cr_assert_gt(consistency_cases, 80);
    cr_assert_eq(strict_refusals, 1, "expected exactly one short-hash refusal, got %d",
                 strict_refusals);
}

Test(vectors, empty_tree_root)
{
    hash_t root, want;
    size_t n;

    tlog_root_of(NULL, 0, root);
    cr_assert(b64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", want, sizeof(want), &n));
    cr_assert_eq(memcmp(root, want, 32), 0);
}

/* --- signed notes --- */

static char *
slurp(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf = malloc(TLOG_NOTE_MAX + 1);

    snprintf(path, sizeof(path), TEST_DATA_DIR "/tlog/%s", name);
    f = fopen(path, "rb");
    cr_assert(f && buf, "%s", path);
    *len = fread(buf, 1, TLOG_NOTE_MAX, f);
    fclose(f);
    return buf;
}

static const struct {
    const char *file, *vkey;
} notes[] = {
    { "c2sp-example.note",
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k" },
    { "peterneumann.note", "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW" },
    { "sumgolang-6476701.note",
      "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8" },
};

Test(notes, the_three_published_notes_verify_and_tampered_twins_do_not)
{
    for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
        struct tlog_vkey k;
        struct err e = ERR_INIT;
        size_t len, tlen = 0;
        char *note = slurp(notes[i].file, &len);

        cr_assert_eq(tlog_vkey_parse(notes[i].vkey, &k, &e), 0, "%s: %s", notes[i].vkey, e.en);
        cr_assert_eq(tlog_note_verify(note, len, &k, &tlen, &e), 0, "%s: %s", notes[i].file, e.en);
        cr_assert(tlen > 0 && tlen < len && note[tlen - 1] == '\n');
        note[0] ^= 0x01; /* one bit of the text */
        cr_assert_eq(tlog_note_verify(note, len, &k, &tlen, &e), -ERR_INVALID, "%s", notes[i].file);
        note[0] ^= 0x01;
        k.pub[5] ^= 0x10; /* the right name and id, the wrong key */
        cr_assert_lt(tlog_note_verify(note, len, &k, &tlen, &e), 0);
        free(note);
    }
}

Test(notes, the_golang_checkpoint_parses)
{
    struct tlog_checkpoint c;
    struct tlog_vkey k;
    struct err e = ERR_INIT;
    size_t len, tlen;
    char *note = slurp("sumgolang-6476701.note", &len);

    cr_assert_eq(tlog_vkey_parse(notes[2].vkey, &k, &e), 0);
    cr_assert_eq(tlog_note_verify(note, len, &k, &tlen, &e), 0);
    cr_assert_eq(tlog_checkpoint_parse(note, tlen, &c, &e), 0, "%s", e.en);
    cr_assert_str_eq(c.origin, "go.sum database tree");
    cr_assert_eq(c.size, 6476701);
    cr_assert_eq(c.extensions_len, 0);
    free(note);
}

Test(notes, sign_then_verify_round_trip_with_keys_in_text)
{
    struct tlog_skey sk, sk2;
    struct tlog_vkey vk;
    struct tlog_checkpoint c = { .origin = "xiangzhi.example/410183", .size = 42 };
    struct sbuf text = SBUF_INIT, note = SBUF_INIT, vtext = SBUF_INIT, stext = SBUF_INIT;
    struct err e = ERR_INIT;
    size_t tlen;

    cr_assert_eq(tlog_skey_generate("xiangzhi.example/410183", &sk, &e), 0);
    tlog_skey_format(&sk, &stext);
    tlog_vkey_format(&sk.v, &vtext);
    cr_assert_eq(tlog_skey_parse(stext.buf, &sk2, &e), 0, "%s", e.en);
    cr_assert_eq(memcmp(sk.sk, sk2.sk, 64), 0);
    cr_assert_eq(tlog_vkey_parse(vtext.buf, &vk, &e), 0, "%s", e.en);
    memset(c.root, 0xab, sizeof(c.root));
    tlog_checkpoint_format(&c, &text);
    cr_assert_eq(tlog_note_sign(text.buf, text.len, &sk2, &note, &e), 0);
    cr_assert_eq(tlog_note_verify(note.buf, note.len, &vk, &tlen, &e), 0, "%s", e.en);
    cr_assert_eq(tlen, text.len);
    for (size_t bit = 0; bit < note.len * 8; bit++) { /* any flipped bit is refused */
        note.buf[bit / 8] ^= (char)(1 << bit % 8);
        cr_assert_lt(tlog_note_verify(note.buf, note.len, &vk, &tlen, &e), 0, "bit %zu", bit);
        note.buf[bit / 8] ^= (char)(1 << bit % 8);
    }
    sbuf_release(&text), sbuf_release(&note), sbuf_release(&vtext), sbuf_release(&stext);
}

Test(notes, malformed_keys_notes_and_checkpoints_are_refused)
{
    static const char *bad_keys[] = {
        "",
        "+",
        "name",
        "name+530d903a",
        "na me+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
    };
    static const char *bad_cps[] = {
        "",
        "origin\n",
        "origin\n12\n",
        "origin\n012\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
        "origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
        "origin\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "ori\x01gin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    };
    static const char *bad_notes[] = {
        "",
        "text\n",
        "text\n\n",
        "text\n\n\xe2\x80\x94 example.com/foo\n",
        "text\n\n- example.com/foo "
        "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQ"
        "M=\n",
        "te\x01xt\n\n\xe2\x80\x94 a AAAAAAA=\n",
    };
    struct tlog_vkey k;
    struct tlog_checkpoint c;
    struct err e = ERR_INIT;
    size_t tlen;

    for (size_t i = 0; i < sizeof(bad_keys) / sizeof(*bad_keys); i++)
        cr_assert_eq(tlog_vkey_parse(bad_keys[i], &k, &e), -ERR_INVALID, "key %zu", i);
    for (size_t i = 0; i < sizeof(bad_cps) / sizeof(*bad_cps); i++)
        cr_assert_eq(tlog_checkpoint_parse(bad_cps[i], strlen(bad_cps[i]), &c, &e), -ERR_MALFORMED,
                     "checkpoint %zu", i);
    cr_assert_eq(tlog_vkey_parse(notes[0].vkey, &k, &e), 0);
    for (size_t i = 0; i < sizeof(bad_notes) / sizeof(*bad_notes); i++)
        cr_assert_lt(tlog_note_verify(bad_notes[i], strlen(bad_notes[i]), &k, &tlen, &e), 0,
                     "note %zu", i);
}

/* --- proofs of our own trees, from the RFC's definitions --- */

#define MAX_LEAVES 300

static hash_t leaves[MAX_LEAVES];
static hash_t roots[MAX_LEAVES + 1]; /* roots[n]: the tree of the first n leaves */

static void
make_leaves(void)
{
    for (int i = 0; i < MAX_LEAVES; i++) {
        char entry[32];
        int n = snprintf(entry, sizeof(entry), "entry %d", i);

        tlog_leaf_hash((const unsigned char *)entry, (size_t)n, leaves[i]);
    }
    for (int n = 0; n <= MAX_LEAVES; n++)
        tlog_root_of(leaves[0], (uint64_t)n, roots[n]);
}

/* MTH(D[lo:lo+n]), remembered: the proofs below ask for the same subtrees often. */
static hash_t sub_roots[MAX_LEAVES][MAX_LEAVES + 1];
static bool sub_known[MAX_LEAVES][MAX_LEAVES + 1];

static void
subtree(uint64_t lo, uint64_t n, unsigned char *out)
{
    if (!sub_known[lo][n]) {
        tlog_root_of(leaves[lo], n, sub_roots[lo][n]);
        sub_known[lo][n] = true;
    }
    memcpy(out, sub_roots[lo][n], TLOG_HASH_BYTES);
}

static uint64_t
split(uint64_t n)
{
    uint64_t k = 1;

    while (k << 1 < n)
        k <<= 1;
    return k;
}

/* RFC 9162 §2.1.3.1 PATH(m, D[lo:lo+n]), appended to proof[*np]. */
static void
path(uint64_t m, uint64_t lo, uint64_t n, hash_t *proof, size_t *np)
{
    uint64_t k;

    if (n <= 1)
        return;
    k = split(n);
    if (m < k) {
        path(m, lo, k, proof, np);
        subtree(lo + k, n - k, proof[(*np)++]);
    } else {
        path(m - k, lo + k, n - k, proof, np);
        subtree(lo, k, proof[(*np)++]);
    }
}

/* RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:lo+n], b). */
static void
subproof(uint64_t m, uint64_t lo, uint64_t n, bool b, hash_t *proof, size_t *np)
{
    uint64_t k;

    if (m == n) {
        if (!b)
            subtree(lo, n, proof[(*np)++]);
        return;
    }
    k = split(n);
    if (m <= k) {
        subproof(m, lo, k, b, proof, np);
        subtree(lo + k, n - k, proof[(*np)++]);
    } else {
        subproof(m - k, lo + k, n - k, false, proof, np);
        subtree(lo, k, proof[(*np)++]);
    }
}

/* Flip each bit of 'buf' in turn: 'still_ok' must say no every time. */
#define EVERY_BIT_BREAKS(buf, len, still_ok, what)                                                 \
    for (size_t bit_ = 0; bit_ < (len)*8; bit_++) {                                                \
        ((unsigned char *)(buf))[bit_ / 8] ^= (unsigned char)(1u << bit_ % 8);                     \
        cr_assert(!(still_ok), "%s: bit %zu flipped and still verified", what, bit_);              \
        ((unsigned char *)(buf))[bit_ / 8] ^= (unsigned char)(1u << bit_ % 8);                     \
    }

Test(own_trees, every_inclusion_proof_up_to_300_verifies_and_any_flip_fails)
{
    hash_t proof[TLOG_MAX_PROOF], root, leaf;

    make_leaves();
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        memcpy(root, roots[n], sizeof(root));
        for (uint64_t m = 0; m < n; m++) {
            size_t np = 0;

            path(m, 0, n, proof, &np);
            memcpy(leaf, leaves[m], sizeof(leaf));
            cr_assert(tlog_verify_inclusion(m, n, leaf, proof[0], np, root), "%lu in %lu",
                      (unsigned long)m, (unsigned long)n);
            cr_assert(!tlog_verify_inclusion(m + 1, n, leaf, proof[0], np, root));
            if (np)
                cr_assert(!tlog_verify_inclusion(m, n, leaf, proof[0], np - 1, root));
            /* Every bit, for trees around the tile boundary and a sample elsewhere. */
            if ((n >= 254 && n <= 258 && m % 17 == 0) || (n <= 9)) {
                EVERY_BIT_BREAKS(proof, np * TLOG_HASH_BYTES,
                                 tlog_verify_inclusion(m, n, leaf, proof[0], np, root), "proof");
                EVERY_BIT_BREAKS(root, TLOG_HASH_BYTES,
                                 tlog_verify_inclusion(m, n, leaf, proof[0], np, root), "root");
                EVERY_BIT_BREAKS(leaf, TLOG_HASH_BYTES,
                                 tlog_verify_inclusion(m, n, leaf, proof[0], np, root), "leaf");
            }
        }
    }
}

Test(own_trees, every_consistency_proof_up_to_300_verifies_and_any_flip_fails)
{
    hash_t proof[TLOG_MAX_PROOF], r1, r2;

    make_leaves();
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        memcpy(r2, roots[n], sizeof(r2));
        for (uint64_t m = 1; m <= n; m++) {
            size_t np = 0;

            memcpy(r1, roots[m], sizeof(r1));
            if (m < n)
                subproof(m, 0, n, true, proof, &np);
            cr_assert(tlog_verify_consistency(m, n, r1, r2, proof[0], np), "%lu -> %lu",
                      (unsigned long)m, (unsigned long)n);
            if (m < n) {
                cr_assert(!tlog_verify_consistency(m, n, r2, r1, proof[0], np));
            }
            if ((n >= 254 && n <= 258 && m % 13 == 1) || n <= 9) {
                EVERY_BIT_BREAKS(proof, np * TLOG_HASH_BYTES,
                                 tlog_verify_consistency(m, n, r1, r2, proof[0], np), "proof");
                EVERY_BIT_BREAKS(r1, TLOG_HASH_BYTES,
                                 tlog_verify_consistency(m, n, r1, r2, proof[0], np), "root1");
                EVERY_BIT_BREAKS(r2, TLOG_HASH_BYTES,
                                 tlog_verify_consistency(m, n, r1, r2, proof[0], np), "root2");
            }
        }
    }
}

/* --- our producers give the RFC's proofs --- */

static int reads;

static int
read_array(void *ctx, int level, uint64_t index, unsigned char out[TLOG_HASH_BYTES],
           struct err *err)
{
    uint64_t lo = index << level, n = (uint64_t)1 << level;

    (void)ctx;
    if (lo + n > MAX_LEAVES)
        return err_set(err, ERR_INTERNAL, "", "越界", "out of range");
    reads++;
    subtree(lo, n, out);
    return 0;
}

Test(own_trees, produced_proofs_and_roots_are_the_rfc_ones)
{
    const struct tlog_hashes h = { read_array, NULL };
    hash_t want[TLOG_MAX_PROOF], got[TLOG_MAX_PROOF], root;
    struct err e = ERR_INIT;
    int max_reads = 0;
    size_t ng;

    make_leaves();
    for (uint64_t n = 0; n <= MAX_LEAVES; n++) {
        cr_assert_eq(tlog_tree_hash(&h, n, root, &e), 0);
        cr_assert_eq(memcmp(root, roots[n], TLOG_HASH_BYTES), 0, "root of %lu", (unsigned long)n);
        for (uint64_t m = 0; m < n; m++) {
            size_t nw = 0;

            path(m, 0, n, want, &nw);
            reads = 0;
            cr_assert_eq(tlog_inclusion_proof(&h, m, n, got[0], &ng, &e), 0);
            max_reads = reads > max_reads ? reads : max_reads;
            cr_assert(ng == nw && memcmp(got, want, nw * TLOG_HASH_BYTES) == 0,
                      "inclusion %lu in %lu", (unsigned long)m, (unsigned long)n);
            nw = ng = 0;
            subproof(m + 1, 0, n, true, want, &nw);
            cr_assert_eq(tlog_consistency_proof(&h, m + 1, n, got[0], &ng, &e), 0);
            cr_assert(ng == nw && memcmp(got, want, nw * TLOG_HASH_BYTES) == 0,
                      "consistency %lu -> %lu", (unsigned long)m + 1, (unsigned long)n);
        }
    }
    /* O(log^2 n) reads at most: 9 levels, each at most 9 subtrees. */
    cr_assert_leq(max_reads, 81, "an inclusion proof read %d hashes", max_reads);
    cr_assert_eq(tlog_inclusion_proof(&h, 5, 5, got[0], &ng, &e), -ERR_INVALID);
    cr_assert_eq(tlog_consistency_proof(&h, 0, 5, got[0], &ng, &e), -ERR_INVALID);
    cr_assert_eq(tlog_consistency_proof(&h, 6, 5, got[0], &ng, &e), -ERR_INVALID);
}

/* --- receipts --- */

/* A signed checkpoint of the first n leaves, by 'key'. */
static void
checkpoint_note(const struct tlog_skey *key, uint64_t n, struct sbuf *note)
{
    struct tlog_checkpoint cp = { .size = n, .extensions = "" };
    struct sbuf text = SBUF_INIT;
    struct err e = ERR_INIT;

    snprintf(cp.origin, sizeof(cp.origin), "%s", key->v.name);
    memcpy(cp.root, roots[n], TLOG_HASH_BYTES);
    tlog_checkpoint_format(&cp, &text);
    cr_assert_eq(tlog_note_sign(text.buf, text.len, key, note, &e), 0);
    sbuf_release(&text);
}

Test(receipts, format_parse_verify_and_every_flipped_bit_fails)
{
    struct tlog_skey key;
    struct tlog_receipt *r = malloc(sizeof(*r));
    struct tlog_checkpoint cp;
    struct sbuf note = SBUF_INIT, text = SBUF_INIT;
    struct err e = ERR_INIT;
    hash_t proof[TLOG_MAX_PROOF];
    char entry[32];
    size_t np = 0;
    const uint64_t n = 300, m = 257;
    int len = snprintf(entry, sizeof(entry), "entry %d", (int)m);

    make_leaves();
    cr_assert_eq(tlog_skey_generate("xiangzhi.example/410183", &key, &e), 0);
    checkpoint_note(&key, n, &note);
    path(m, 0, n, proof, &np);
    tlog_receipt_format(entry, (size_t)len, m, proof[0], np, note.buf, note.len, &text);
    cr_assert_eq(tlog_receipt_parse(text.buf, text.len, r, &e), 0, "%s", e.en);
    cr_assert(r->index == m && r->nproof == np && r->extra_len == (size_t)len);
    cr_assert_eq(tlog_receipt_verify(r, &key.v, &cp, &e), 0, "%s", e.en);
    cr_assert_eq(cp.size, n);
    for (size_t bit = 0; bit < text.len * 8; bit++) {
        text.buf[bit / 8] ^= (char)(1 << bit % 8);
        cr_assert(tlog_receipt_parse(text.buf, text.len, r, &e) < 0 ||
                      tlog_receipt_verify(r, &key.v, &cp, &e) < 0,
                  "bit %zu flipped and the receipt still verified", bit);
        text.buf[bit / 8] ^= (char)(1 << bit % 8);
    }
    free(r);
    sbuf_release(&note);
    sbuf_release(&text);
}

Test(receipts, malformed_receipts_are_refused)
{
    static const char *bad[] = {
        "",
        "c2sp.org/tlog-proof@v1\n",
        "c2sp.org/tlog-proof@v2\nindex 0\n\nx\n",
        "c2sp.org/tlog-proof@v1\nindex 01\n\nx\n",
        "c2sp.org/tlog-proof@v1\nindex -1\n\nx\n",
        "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\nx\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n",
        "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\nx\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n\n",
        "c2sp.org/tlog-proof@v1\nindex\n\nx\n",
    };
    struct tlog_receipt *r = malloc(sizeof(*r));
    struct err e = ERR_INIT;

    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        cr_assert_eq(tlog_receipt_parse(bad[i], strlen(bad[i]), r, &e), -ERR_MALFORMED,
                     "receipt %zu", i);
    free(r);
}

/* --- cosignatures (C2SP tlog-cosignature/v1, Ed25519) --- */

Test(cosignatures, a_witness_cosigns_a_checkpoint_and_any_flip_fails)
{
    struct tlog_skey log, witness, again;
    struct tlog_vkey wv;
    struct sbuf note = SBUF_INIT, text = SBUF_INIT, wtext = SBUF_INIT;
    struct tlog_checkpoint cp = { .origin = "xiangzhi.example/410183",
                                  .size = 7,
                                  .extensions = "" };
    struct err e = ERR_INIT;
    uint64_t time = 0;
    size_t tlen;

    cr_assert_eq(tlog_skey_generate("xiangzhi.example/410183", &log, &e), 0);
    cr_assert_eq(tlog_skey_generate_alg("witness.example/w1", TLOG_ALG_COSIGNATURE, &witness, &e),
                 0);
    tlog_vkey_format(&witness.v, &wtext);
    cr_assert(strstr(wtext.buf, "+B"), "a witness key starts with 0x04: %s", wtext.buf);
    cr_assert_eq(tlog_vkey_parse(wtext.buf, &wv, &e), 0, "%s", e.en);
    cr_assert_eq(wv.alg, TLOG_ALG_COSIGNATURE);
    sbuf_reset(&wtext);
    tlog_skey_format(&witness, &wtext);
    cr_assert_eq(tlog_skey_parse(wtext.buf, &again, &e), 0);
    cr_assert_eq(memcmp(again.sk, witness.sk, 64), 0);
    memset(cp.root, 7, sizeof(cp.root));
    tlog_checkpoint_format(&cp, &text);
    cr_assert_eq(tlog_note_sign(text.buf, text.len, &log, &note, &e), 0);
    cr_assert_eq(tlog_cosign(text.buf, text.len, &witness, 1795790000, &note, &e), 0);
    cr_assert_eq(tlog_note_verify(note.buf, note.len, &log.v, &tlen, &e), 0, "%s", e.en);
    cr_assert_eq(tlog_cosignature_verify(note.buf, note.len, &wv, &time, &tlen, &e), 0, "%s", e.en);
    cr_assert_eq(time, 1795790000);
    cr_assert_eq(tlen, text.len);
    /* Keys are not interchangeable: a log key is no witness, nor the reverse. */
    cr_assert_lt(tlog_cosignature_verify(note.buf, note.len, &log.v, &time, &tlen, &e), 0);
    cr_assert_lt(tlog_note_verify(note.buf, note.len, &wv, &tlen, &e), 0);
    cr_assert_lt(tlog_note_sign(text.buf, text.len, &witness, &wtext, &e), 0);
    cr_assert_lt(tlog_cosign(text.buf, text.len, &log, 1, &wtext, &e), 0);
    /* Any bit of the checkpoint text or of the witness's line (the last); the
     * log's own line may change without touching the cosignature. */
    size_t wline = note.len - 1;
    while (note.buf[wline - 1] != '\n')
        wline--;
    for (size_t bit = 0; bit < note.len * 8; bit++) {
        if (bit / 8 >= text.len && bit / 8 < wline)
            continue;
        note.buf[bit / 8] ^= (char)(1 << bit % 8);
        cr_assert_lt(tlog_cosignature_verify(note.buf, note.len, &wv, &time, &tlen, &e), 0,
                     "bit %zu flipped and the cosignature still verified", bit);
        note.buf[bit / 8] ^= (char)(1 << bit % 8);
    }
    sbuf_release(&note);
    sbuf_release(&text);
    sbuf_release(&wtext);
}
