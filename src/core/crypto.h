/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/crypto.h -- thin wrappers over libsodium for what the platform keeps
 * secret (DESIGN.md §3-§4): sensitive columns sealed with XChaCha20-Poly1305,
 * keyed BLAKE2b lookup hashes for exact-match search of sealed values, argon2id
 * passwords, random tokens. Two subkeys are derived from one 32-byte master key
 * in DATA/keys/master.key; the master key itself is wiped after derivation.
 *
 *   sealed value   | nonce (24) | ciphertext (len) | tag (16) |
 *                  associated data = column name, e.g. "persons.id_number"
 *   lookup hash    BLAKE2b-256(key = lookup, msg = domain || 0x00 || value)
 *   subkeys        crypto_kdf_derive_from_key(ctx "xiangzhi", id 1 = seal, 2 = lookup)
 *
 * Every function here is thread-safe once crypto_init() has returned 0. */
#ifndef CORE_CRYPTO_H
#define CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CRYPTO_KEY_BYTES 32
#define CRYPTO_HASH_BYTES 32
#define CRYPTO_SEAL_OVERHEAD 40 /* 24-byte nonce + 16-byte tag */
#define CRYPTO_TOKEN_CHARS 43   /* 32 random bytes, base64url without padding */
#define CRYPTO_PWHASH_MAX 128   /* >= crypto_pwhash_STRBYTES */
#define CRYPTO_PASSWORD_MAX 128 /* longest password accepted, in bytes */

struct crypto_keys {
    unsigned char seal[CRYPTO_KEY_BYTES];   /* XChaCha20-Poly1305 key for columns */
    unsigned char lookup[CRYPTO_KEY_BYTES]; /* BLAKE2b key for lookup hashes */
};

/* Initialise libsodium (sodium_init). Idempotent and safe to call from several
 * threads. Returns 0, or -ERR_INTERNAL when libsodium cannot start (no entropy). */
int crypto_init(void);

/* Read DATA/keys/master.key (exactly 32 raw bytes) and derive 'out'. Refuses a
 * file that is not a regular file or that grants any permission to group or
 * others (-ERR_UNSAFE_CONFIG); a missing or unreadable file is -ERR_IO, a file
 * of the wrong size -ERR_INVALID (field "master_key"). Calls crypto_init(). On
 * failure 'out' is zeroed. The caller should sodium_memzero 'out' when done. */
int crypto_load_keys(const char *data_dir, struct crypto_keys *out, struct err *err);

/* Seal 'len' bytes of 'plain' under k->seal with a fresh random nonce. 'out'
 * receives nonce || ciphertext || tag, exactly len + CRYPTO_SEAL_OVERHEAD bytes,
 * and must not overlap 'plain'. 'ad' (NUL-terminated, the column name) is bound
 * as associated data, so a value cannot be moved to another column. 'plain' may
 * be NULL when len is 0. Cannot fail. */
void crypto_seal(const struct crypto_keys *k, const char *ad, const void *plain, size_t len,
                 unsigned char *out);

/* Open what crypto_seal made. 'out' needs in_len - CRYPTO_SEAL_OVERHEAD bytes
 * (may be NULL when that is 0) and must not overlap 'in'; *out_len is set on
 * success. Short or tampered input, a wrong key or a wrong 'ad' all return
 * -ERR_INTERNAL ("无法解密 / cannot decrypt"), and then 'out' holds nothing
 * meaningful (libsodium writes no plaintext for a forgery). */
int crypto_open(const struct crypto_keys *k, const char *ad, const unsigned char *in, size_t in_len,
                unsigned char *out, size_t *out_len, struct err *err);

/* Keyed BLAKE2b-256 of domain || 0x00 || value under k->lookup: equal inputs give
 * equal hashes, so a sealed column can carry an indexed hash for exact matches.
 * 'domain' (e.g. "id_number") keeps hashes of different kinds of value apart.
 * Normalise 'value' first (idnum_parse, phone_parse); the hash is byte-exact. */
void crypto_lookup_hash(const struct crypto_keys *k, const char *domain, const char *value,
                        unsigned char out[CRYPTO_HASH_BYTES]);

/* 32 random bytes as base64url without padding: 43 chars of [A-Za-z0-9_-] and a
 * NUL. For session ids, API tokens, CSRF tokens. */
void crypto_random_token(char out[CRYPTO_TOKEN_CHARS + 1]);

/* 'n' uniformly random decimal digits and a NUL into out[n + 1]: codes a person
 * may have to type (a one-time pay code). */
void crypto_random_digits(char *out, size_t n);

/* SHA-256 (libsodium crypto_hash_sha256). Not for passwords. */
void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES]);

/* A fast keyed 128-bit fingerprint (SipHash-2-4-128) of 'data' under a random
 * key made once per process: for finding a secret in memory (the principal
 * cache, keyed by session token) without keeping the secret itself. Never
 * stored: the key dies with the process. */
#define CRYPTO_FINGERPRINT_BYTES 16
void crypto_fingerprint(const void *data, size_t len, unsigned char out[CRYPTO_FINGERPRINT_BYTES]);

/* argon2id string hash of 'password' (OPSLIMIT/MEMLIMIT_INTERACTIVE): "$argon2id$..."
 * NUL-terminated in 'out'. Slow (tens of ms, 64 MiB): never call it on an HTTP
 * I/O thread. A password over CRYPTO_PASSWORD_MAX bytes is -ERR_INVALID (field
 * "password"); running out of memory is -ERR_INTERNAL. */
int crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_MAX], struct err *err);

/* True when 'password' matches 'hash' (from crypto_password_hash). False for a
 * NULL or malformed hash and for over-long passwords. As slow as hashing. */
bool crypto_password_verify(const char *hash, const char *password);

/* Constant-time comparison of 'len' bytes; true when equal (and when len is 0). */
bool crypto_equal(const void *a, const void *b, size_t len);

#endif
