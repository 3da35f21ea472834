/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/crypto.c -- see crypto.h. Nothing here invents cryptography: each
 * function is one libsodium call plus the checks and encodings the platform
 * fixes (key file, nonce layout, domain separation). Secrets that pass through
 * a stack buffer are wiped with sodium_memzero before returning. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include <pthread.h>
#include <sodium.h>

#include "core/crypto.h"

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KDF_CONTEXT "xiangzhi"
#define KDF_ID_SEAL 1
#define KDF_ID_LOOKUP 2

_Static_assert(CRYPTO_SEAL_OVERHEAD == NONCE_BYTES + TAG_BYTES, "seal layout");
_Static_assert(CRYPTO_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "seal key");
_Static_assert(CRYPTO_KEY_BYTES == crypto_kdf_KEYBYTES, "master key size");
_Static_assert(CRYPTO_KEY_BYTES >= crypto_generichash_KEYBYTES_MIN &&
                   CRYPTO_KEY_BYTES <= crypto_generichash_KEYBYTES_MAX,
               "lookup key size");
_Static_assert(CRYPTO_HASH_BYTES == crypto_hash_sha256_BYTES, "sha256 size");
_Static_assert(CRYPTO_PWHASH_MAX >= crypto_pwhash_STRBYTES, "password hash buffer");
_Static_assert(sizeof(KDF_CONTEXT) - 1 == crypto_kdf_CONTEXTBYTES, "kdf context");

static unsigned char fingerprint_key[crypto_shorthash_siphashx24_KEYBYTES];
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static void
make_fingerprint_key(void)
{
    randombytes_buf(fingerprint_key, sizeof(fingerprint_key));
}

int
crypto_init(void)
{
    /* 0 = initialised now, 1 = already initialised, -1 = failure. */
    if (sodium_init() < 0)
        return -ERR_INTERNAL;
    pthread_once(&fingerprint_once, make_fingerprint_key);
    return 0;
}

void
crypto_fingerprint(const void *data, size_t len, unsigned char out[CRYPTO_FINGERPRINT_BYTES])
{
    pthread_once(&fingerprint_once, make_fingerprint_key);
    crypto_shorthash_siphashx24(out, data, len, fingerprint_key);
}

/* Open 'path' and check it is a private regular file of exactly the key size. */
static int
open_master(const char *path, int *fd_out, struct err *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

    if (fd < 0)
        return err_set(err, ERR_IO, "master_key", "无法打开主密钥文件 %s:%s",
                       "cannot open the master key file %s: %s", path, strerror(errno));
    *fd_out = fd;
    if (fstat(fd, &st) < 0)
        return err_set(err, ERR_IO, "master_key", "无法读取主密钥文件 %s:%s",
                       "cannot stat the master key file %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)))
        return err_set(err, ERR_UNSAFE_CONFIG, "master_key",
                       "主密钥文件 %s 必须是仅属主可读的普通文件(chmod 600)",
                       "the master key file %s must be a regular file only its owner can "
                       "read (chmod 600)",
                       path);
    if (st.st_size != CRYPTO_KEY_BYTES)
        return err_set(err, ERR_INVALID, "master_key", "主密钥文件 %s 必须恰好 %d 字节",
                       "the master key file %s must hold exactly %d bytes", path, CRYPTO_KEY_BYTES);
    return 0;
}

/* Read exactly CRYPTO_KEY_BYTES from 'fd'; a file that shrank since fstat fails. */
static int
read_master(int fd, const char *path, unsigned char *key, struct err *err)
{
    size_t got = 0;

    while (got < CRYPTO_KEY_BYTES) {
        ssize_t n = read(fd, key + got, CRYPTO_KEY_BYTES - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return err_set(err, ERR_IO, "master_key", "无法读取主密钥文件 %s:%s",
                           "cannot read the master key file %s: %s", path, strerror(errno));
        if (n == 0)
            return err_set(err, ERR_INVALID, "master_key", "主密钥文件 %s 必须恰好 %d 字节",
                           "the master key file %s must hold exactly %d bytes", path,
                           CRYPTO_KEY_BYTES);
        got += (size_t)n;
    }
    return 0;
}

int
crypto_load_keys(const char *data_dir, struct crypto_keys *out, struct err *err)
{
    unsigned char master[CRYPTO_KEY_BYTES];
    char path[PATH_MAX];
    int fd = -1;
    int rc;

    sodium_memzero(out, sizeof(*out));
    if (crypto_init() < 0)
        return err_set_text(err, ERR_INTERNAL, NULL, "加密库无法初始化",
                            "the crypto library cannot start");
    rc = snprintf(path, sizeof(path), "%s/keys/master.key", data_dir);
    if (rc < 0 || (size_t)rc >= sizeof(path))
        return err_set_text(err, ERR_IO, "master_key", "数据目录路径过长",
                            "the data directory path is too long");
    rc = open_master(path, &fd, err);
    if (rc == 0)
        rc = read_master(fd, path, master, err);
    if (rc == 0) {
        crypto_kdf_derive_from_key(out->seal, sizeof(out->seal), KDF_ID_SEAL, KDF_CONTEXT, master);
        crypto_kdf_derive_from_key(out->lookup, sizeof(out->lookup), KDF_ID_LOOKUP, KDF_CONTEXT,
                                   master);
    }
    if (fd >= 0)
        close(fd);
    sodium_memzero(master, sizeof(master));
    return rc;
}

void
crypto_seal(const struct crypto_keys *k, const char *ad, const void *plain, size_t len,
            unsigned char *out)
{
    randombytes_buf(out, NONCE_BYTES);
    /* Only fails for messages over crypto_aead_..._MESSAGEBYTES_MAX (~256 GiB). */
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE_BYTES, NULL, plain, len,
                                               (const unsigned char *)ad, strlen(ad), NULL, out,
                                               k->seal);
}

int
crypto_open(const struct crypto_keys *k, const char *ad, const unsigned char *in, size_t in_len,
            unsigned char *out, size_t *out_len, struct err *err)
{
    unsigned long long n = 0;

    if (in_len < CRYPTO_SEAL_OVERHEAD ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(out, &n, NULL, in + NONCE_BYTES,
                                                   in_len - NONCE_BYTES, (const unsigned char *)ad,
                                                   strlen(ad), in, k->seal) != 0)
        return err_set_text(err, ERR_INTERNAL, NULL, "无法解密", "cannot decrypt");
    *out_len = (size_t)n;
    return 0;
}

void
crypto_lookup_hash(const struct crypto_keys *k, const char *domain, const char *value,
                   unsigned char out[CRYPTO_HASH_BYTES])
{
    static const unsigned char sep = 0;
    crypto_generichash_state st;

    crypto_generichash_init(&st, k->lookup, sizeof(k->lookup), CRYPTO_HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain));
    crypto_generichash_update(&st, &sep, 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, out, CRYPTO_HASH_BYTES);
    sodium_memzero(&st, sizeof(st));
}

void
crypto_random_digits(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('0' + randombytes_uniform(10));
    out[n] = '\0';
}

void
crypto_random_token(char out[CRYPTO_TOKEN_CHARS + 1])
{
    unsigned char raw[32];

    _Static_assert(
        sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
            CRYPTO_TOKEN_CHARS + 1,
        "token length");
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
    crypto_hash_sha256(out, data, len);
}

int
crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_MAX], struct err *err)
{
    size_t len = strnlen(password, CRYPTO_PASSWORD_MAX + 1);

    if (len > CRYPTO_PASSWORD_MAX)
        return err_set(err, ERR_INVALID, "password", "密码不能超过 %d 字节",
                       "the password must not exceed %d bytes", CRYPTO_PASSWORD_MAX);
    if (crypto_pwhash_str_alg(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set_text(err, ERR_INTERNAL, NULL, "无法计算密码哈希(内存不足)",
                            "cannot hash the password (out of memory)");
    return 0;
}

bool
crypto_password_verify(const char *hash, const char *password)
{
    size_t len;

    if (!hash || !password || strnlen(hash, CRYPTO_PWHASH_MAX) == CRYPTO_PWHASH_MAX)
        return false;
    len = strnlen(password, CRYPTO_PASSWORD_MAX + 1);
    if (len > CRYPTO_PASSWORD_MAX)
        return false;
    return crypto_pwhash_str_verify(hash, password, len) == 0;
}

bool
crypto_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}
