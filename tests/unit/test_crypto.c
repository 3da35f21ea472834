/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_crypto.c -- core/crypto: the key file rules, sealing (round
 * trips, every kind of tampering, column binding), lookup hashes, tokens, SHA-256
 * and passwords. Known-answer values were computed independently with Python's
 * hashlib.blake2b / sha256 from the formats documented in crypto.h. */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <sys/stat.h>

#include "core/crypto.h"

#define AD_ID "persons.id_number"

/* A temp DATA dir with keys/; removed again by drop_data_dir. */
struct data_dir {
    char root[64];
    char keys[96];
    char key[128];
};

static void
make_data_dir(struct data_dir *d)
{
    snprintf(d->root, sizeof(d->root), "/tmp/xz-crypto-XXXXXX");
    cr_assert_not_null(mkdtemp(d->root));
    snprintf(d->keys, sizeof(d->keys), "%s/keys", d->root);
    snprintf(d->key, sizeof(d->key), "%s/master.key", d->keys);
    cr_assert_eq(mkdir(d->keys, 0700), 0);
}

static void
drop_data_dir(struct data_dir *d)
{
    unlink(d->key);
    rmdir(d->key); /* when a test made it a directory */
    rmdir(d->keys);
    rmdir(d->root);
}

static void
write_key(const struct data_dir *d, const unsigned char *bytes, size_t n, mode_t mode)
{
    FILE *f = fopen(d->key, "wb");

    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(d->key, mode), 0);
}

/* Keys from master key bytes 0, 1, ..., 31 (+ 'bump' on every byte). */
static void
load_test_keys(struct crypto_keys *k, unsigned char bump)
{
    struct data_dir d;
    unsigned char master[CRYPTO_KEY_BYTES];
    struct err e = ERR_INIT;

    for (size_t i = 0; i < sizeof(master); i++)
        master[i] = (unsigned char)(i + bump);
    make_data_dir(&d);
    write_key(&d, master, sizeof(master), 0600);
    cr_assert_eq(crypto_load_keys(d.root, k, &e), 0, "%s", e.en);
    drop_data_dir(&d);
}

static void
hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int
load_expect_fail(const unsigned char *bytes, size_t n, mode_t mode, struct err *e)
{
    struct data_dir d;
    struct crypto_keys k;
    int rc;

    make_data_dir(&d);
    if (bytes)
        write_key(&d, bytes, n, mode);
    memset(&k, 0xAA, sizeof(k));
    rc = crypto_load_keys(d.root, &k, e);
    drop_data_dir(&d);
    for (size_t i = 0; rc < 0 && i < sizeof(k.seal); i++)
        cr_assert_eq(k.seal[i] | k.lookup[i], 0, "keys not zeroed on failure");
    return rc;
}

Test(crypto_keys, derivation_matches_the_documented_kdf)
{
    struct crypto_keys k;
    char h[2 * CRYPTO_KEY_BYTES + 1];

    load_test_keys(&k, 0);
    hex(k.seal, sizeof(k.seal), h);
    cr_assert_str_eq(h, "8f9dd4857ee05a309cdc2a5d9f0222539ddc49cceda876c3ab4b4824b3d81a01");
    hex(k.lookup, sizeof(k.lookup), h);
    cr_assert_str_eq(h, "c4f304d672123a5c1cb85d684200e3376c8d32eede1b2cbe557413da4247ff20");
}

Test(crypto_keys, missing_file_is_io)
{
    struct err e = ERR_INIT;

    cr_assert_eq(load_expect_fail(NULL, 0, 0, &e), -ERR_IO);
    cr_assert_eq(e.code, ERR_IO);
    cr_assert_str_eq(e.field, "master_key");
}

Test(crypto_keys, wrong_sizes_are_refused)
{
    unsigned char bytes[CRYPTO_KEY_BYTES + 1] = { 0 };
    struct err e = ERR_INIT;

    cr_assert_eq(load_expect_fail(bytes, 0, 0600, &e), -ERR_INVALID);
    cr_assert_eq(load_expect_fail(bytes, CRYPTO_KEY_BYTES - 1, 0600, &e), -ERR_INVALID);
    cr_assert_eq(load_expect_fail(bytes, CRYPTO_KEY_BYTES + 1, 0600, &e), -ERR_INVALID);
    cr_assert(strstr(e.en, "exactly 32 bytes"), "%s", e.en);
}

Test(crypto_keys, group_or_other_permissions_are_refused)
{
    static const mode_t bad[] = { 0644, 0640, 0604, 0620, 0602, 0610 };
    unsigned char bytes[CRYPTO_KEY_BYTES] = { 1 };

    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct err e = ERR_INIT;

        cr_assert_eq(load_expect_fail(bytes, sizeof(bytes), bad[i], &e), -ERR_UNSAFE_CONFIG,
                     "mode %o accepted", (unsigned)bad[i]);
        cr_assert(strstr(e.en, "chmod 600"), "%s", e.en);
    }
}

Test(crypto_keys, owner_only_modes_are_accepted)
{
    struct data_dir d;
    struct crypto_keys k;
    unsigned char bytes[CRYPTO_KEY_BYTES] = { 1 };
    struct err e = ERR_INIT;

    make_data_dir(&d);
    write_key(&d, bytes, sizeof(bytes), 0400);
    cr_assert_eq(crypto_load_keys(d.root, &k, &e), 0, "%s", e.en);
    cr_assert_eq(e.code, ERR_OK, "err touched on success");
    drop_data_dir(&d);
}

Test(crypto_keys, a_directory_is_refused)
{
    struct data_dir d;
    struct crypto_keys k;
    struct err e = ERR_INIT;

    make_data_dir(&d);
    cr_assert_eq(mkdir(d.key, 0700), 0);
    cr_assert_eq(crypto_load_keys(d.root, &k, &e), -ERR_UNSAFE_CONFIG);
    drop_data_dir(&d);
}

static void
round_trip(const struct crypto_keys *k, const unsigned char *plain, size_t len)
{
    unsigned char *sealed = malloc(len + CRYPTO_SEAL_OVERHEAD);
    unsigned char *back = malloc(len + 1);
    size_t back_len = len + 99;
    struct err e = ERR_INIT;

    cr_assert(sealed && back);
    crypto_seal(k, AD_ID, plain, len, sealed);
    cr_assert_eq(crypto_open(k, AD_ID, sealed, len + CRYPTO_SEAL_OVERHEAD, back, &back_len, &e), 0,
                 "len %zu: %s", len, e.en);
    cr_assert_eq(back_len, len);
    cr_assert_eq(memcmp(back, plain, len), 0, "len %zu differs", len);
    if (len > 0)
        cr_assert_neq(memcmp(sealed + 24, plain, len), 0, "len %zu stored in clear", len);
    free(sealed);
    free(back);
}

Test(crypto_seal, round_trips_empty_short_and_long_values)
{
    static const size_t lens[] = { 0, 1, 18, 63, 64, 65, 1000, 100000 };
    unsigned char *plain = malloc(100000);
    struct crypto_keys k;

    cr_assert_not_null(plain);
    for (size_t i = 0; i < 100000; i++)
        plain[i] = (unsigned char)(i * 7 + 3);
    load_test_keys(&k, 0);
    for (size_t i = 0; i < ARRAY_LEN(lens); i++)
        round_trip(&k, plain, lens[i]);
    free(plain);
}

Test(crypto_seal, empty_value_may_be_null)
{
    unsigned char sealed[CRYPTO_SEAL_OVERHEAD];
    unsigned char back[1];
    size_t back_len = 7;
    struct crypto_keys k;
    struct err e = ERR_INIT;

    load_test_keys(&k, 0);
    crypto_seal(&k, AD_ID, NULL, 0, sealed);
    cr_assert_eq(crypto_open(&k, AD_ID, sealed, sizeof(sealed), back, &back_len, &e), 0);
    cr_assert_eq(back_len, 0);
}

/* Flip one bit in every byte of nonce, ciphertext and tag, one at a time. */
Test(crypto_seal, tampering_with_any_byte_fails)
{
    static const char plain[] = "11010519491231002X";
    unsigned char sealed[sizeof(plain) - 1 + CRYPTO_SEAL_OVERHEAD];
    unsigned char back[sizeof(sealed)];
    struct crypto_keys k;

    load_test_keys(&k, 0);
    crypto_seal(&k, AD_ID, plain, sizeof(plain) - 1, sealed);
    for (size_t i = 0; i < sizeof(sealed); i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            struct err e = ERR_INIT;
            size_t n = 0;

            sealed[i] ^= (unsigned char)(1u << bit);
            cr_assert_eq(crypto_open(&k, AD_ID, sealed, sizeof(sealed), back, &n, &e),
                         -ERR_INTERNAL, "flip of byte %zu bit %d accepted", i, bit);
            cr_assert_str_eq(e.zh, "无法解密");
            cr_assert_str_eq(e.en, "cannot decrypt");
            sealed[i] ^= (unsigned char)(1u << bit);
        }
    }
}

Test(crypto_seal, truncated_or_extended_input_fails)
{
    static const char plain[] = "13812345678";
    unsigned char sealed[sizeof(plain) - 1 + CRYPTO_SEAL_OVERHEAD + 1];
    unsigned char back[sizeof(sealed)];
    size_t full = sizeof(sealed) - 1, n;
    struct crypto_keys k;
    struct err e = ERR_INIT;

    load_test_keys(&k, 0);
    crypto_seal(&k, "persons.phone", plain, sizeof(plain) - 1, sealed);
    sealed[full] = 0;
    for (size_t len = 0; len < full; len++)
        cr_assert_eq(crypto_open(&k, "persons.phone", sealed, len, back, &n, &e), -ERR_INTERNAL,
                     "truncated to %zu accepted", len);
    cr_assert_eq(crypto_open(&k, "persons.phone", sealed, full + 1, back, &n, &e), -ERR_INTERNAL);
    cr_assert_eq(crypto_open(&k, "persons.phone", sealed, full, back, &n, &e), 0);
}

Test(crypto_seal, wrong_column_or_key_fails)
{
    static const char plain[] = "410183199001011234";
    unsigned char sealed[sizeof(plain) - 1 + CRYPTO_SEAL_OVERHEAD];
    unsigned char back[sizeof(sealed)];
    struct crypto_keys k, other;
    struct err e = ERR_INIT;
    size_t n;

    load_test_keys(&k, 0);
    load_test_keys(&other, 1);
    crypto_seal(&k, AD_ID, plain, sizeof(plain) - 1, sealed);
    cr_assert_eq(crypto_open(&k, "persons.phone", sealed, sizeof(sealed), back, &n, &e),
                 -ERR_INTERNAL);
    cr_assert_eq(crypto_open(&k, "persons.id_numbe", sealed, sizeof(sealed), back, &n, &e),
                 -ERR_INTERNAL);
    cr_assert_eq(crypto_open(&k, "", sealed, sizeof(sealed), back, &n, &e), -ERR_INTERNAL);
    cr_assert_eq(crypto_open(&other, AD_ID, sealed, sizeof(sealed), back, &n, &e), -ERR_INTERNAL);
    cr_assert_eq(crypto_open(&k, AD_ID, sealed, sizeof(sealed), back, &n, &e), 0);
}

Test(crypto_seal, every_seal_uses_a_fresh_nonce)
{
    unsigned char a[5 + CRYPTO_SEAL_OVERHEAD], b[sizeof(a)];
    struct crypto_keys k;

    load_test_keys(&k, 0);
    crypto_seal(&k, AD_ID, "hello", 5, a);
    crypto_seal(&k, AD_ID, "hello", 5, b);
    cr_assert_neq(memcmp(a, b, 24), 0, "nonce repeated");
    cr_assert_neq(memcmp(a + 24, b + 24, sizeof(a) - 24), 0, "ciphertext repeated");
}

Test(crypto_lookup, known_answer_and_deterministic)
{
    unsigned char h1[CRYPTO_HASH_BYTES], h2[CRYPTO_HASH_BYTES];
    char x[2 * CRYPTO_HASH_BYTES + 1];
    struct crypto_keys k;

    load_test_keys(&k, 0);
    crypto_lookup_hash(&k, "id_number", "11010519491231002X", h1);
    crypto_lookup_hash(&k, "id_number", "11010519491231002X", h2);
    cr_assert_eq(memcmp(h1, h2, sizeof(h1)), 0);
    hex(h1, sizeof(h1), x);
    cr_assert_str_eq(x, "e7804965a9aee7a3993eec7791d2b422c10d595a21c7d92a7a57936464a260c1");
}

Test(crypto_lookup, separated_by_key_domain_and_value)
{
    unsigned char base[CRYPTO_HASH_BYTES], h[CRYPTO_HASH_BYTES];
    struct crypto_keys k, other;

    load_test_keys(&k, 0);
    load_test_keys(&other, 1);
    crypto_lookup_hash(&k, "phone", "13812345678", base);
    crypto_lookup_hash(&other, "phone", "13812345678", h);
    cr_assert_neq(memcmp(base, h, sizeof(h)), 0, "key does not matter");
    crypto_lookup_hash(&k, "id_number", "13812345678", h);
    cr_assert_neq(memcmp(base, h, sizeof(h)), 0, "domain does not matter");
    crypto_lookup_hash(&k, "phone", "13812345679", h);
    cr_assert_neq(memcmp(base, h, sizeof(h)), 0, "value does not matter");
    /* The 0x00 separator: "ab"+"c" must not collide with "a"+"bc". */
    crypto_lookup_hash(&k, "ab", "c", base);
    crypto_lookup_hash(&k, "a", "bc", h);
    cr_assert_neq(memcmp(base, h, sizeof(h)), 0, "domain and value run together");
}

Test(crypto_token, base64url_43_chars_and_unique)
{
    char toks[64][CRYPTO_TOKEN_CHARS + 1];

    cr_assert_eq(crypto_init(), 0);
    for (int i = 0; i < 64; i++) {
        memset(toks[i], '!', sizeof(toks[i]));
        crypto_random_token(toks[i]);
        cr_assert_eq(strlen(toks[i]), CRYPTO_TOKEN_CHARS);
        cr_assert_eq(strspn(toks[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_"),
                     CRYPTO_TOKEN_CHARS, "bad char in %s", toks[i]);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(toks[i], toks[j]);
    }
}

Test(crypto_sha256, known_answers)
{
    unsigned char h[CRYPTO_HASH_BYTES];
    char x[2 * CRYPTO_HASH_BYTES + 1];

    crypto_sha256("abc", 3, h);
    hex(h, sizeof(h), x);
    cr_assert_str_eq(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    crypto_sha256("", 0, h);
    hex(h, sizeof(h), x);
    cr_assert_str_eq(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(crypto_password, hash_and_verify)
{
    char h1[CRYPTO_PWHASH_MAX], h2[CRYPTO_PWHASH_MAX];
    struct err e = ERR_INIT;

    cr_assert_eq(crypto_init(), 0);
    cr_assert_eq(crypto_password_hash("乡治 correct horse", h1, &e), 0, "%s", e.en);
    cr_assert_eq(strncmp(h1, "$argon2id$", 10), 0, "%s", h1);
    cr_assert(crypto_password_verify(h1, "乡治 correct horse"));
    cr_assert_not(crypto_password_verify(h1, "乡治 correct hors"));
    cr_assert_not(crypto_password_verify(h1, ""));
    cr_assert_eq(crypto_password_hash("乡治 correct horse", h2, &e), 0);
    cr_assert_str_neq(h1, h2, "no salt");
    cr_assert(crypto_password_verify(h2, "乡治 correct horse"));
    cr_assert_not(crypto_password_verify(NULL, "x"));
    cr_assert_not(crypto_password_verify("$argon2id$garbage", "x"));
    cr_assert_not(crypto_password_verify("", ""));
}

Test(crypto_password, length_limit)
{
    char pw[CRYPTO_PASSWORD_MAX + 2];
    char h[CRYPTO_PWHASH_MAX];
    struct err e = ERR_INIT;

    cr_assert_eq(crypto_init(), 0);
    memset(pw, 'p', sizeof(pw) - 1);
    pw[CRYPTO_PASSWORD_MAX] = '\0';
    cr_assert_eq(crypto_password_hash(pw, h, &e), 0, "128 bytes refused: %s", e.en);
    cr_assert(crypto_password_verify(h, pw));
    pw[CRYPTO_PASSWORD_MAX] = 'p';
    pw[CRYPTO_PASSWORD_MAX + 1] = '\0';
    cr_assert_not(crypto_password_verify(h, pw), "129 bytes verified");
    cr_assert_eq(crypto_password_hash(pw, h, &e), -ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_str_eq(e.field, "password");
    cr_assert(strstr(e.en, "128 bytes"), "%s", e.en);
}

Test(crypto_equal, constant_time_compare)
{
    unsigned char a[33], b[33];

    for (size_t i = 0; i < sizeof(a); i++)
        a[i] = b[i] = (unsigned char)i;
    cr_assert(crypto_equal(a, b, sizeof(a)));
    b[32] ^= 1;
    cr_assert_not(crypto_equal(a, b, sizeof(a)));
    cr_assert(crypto_equal(a, b, 32));
    b[0] ^= 0x80;
    cr_assert_not(crypto_equal(a, b, 32));
    cr_assert(crypto_equal(a, b, 0));
}
