/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/log.c -- the log in the database (tlog.h): appending a leaf with its
 * complete-subtree hashes, reading them back for proofs, entries and tiles. All
 * SQL of tlog_entries and tlog_hashes lives here. */
#include "core/compat.h"

#include <openssl/sha.h>
#include <sodium.h>

#include "store/db.h"
#include "tlog/tlog.h"

static int
bad_leaf(struct err *err, const char *what)
{
    return err_set(err, ERR_INTERNAL, "", "日志叶子的字段不合规：%s",
                   "a log leaf field breaks the encoding: %s", what);
}

/* A kind: [a-z0-9._]; a ref ('ref'): also [A-Z/-]. */
static bool
token_ok(const char *s, size_t max, bool ref)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              (ref && ((*s >= 'A' && *s <= 'Z') || *s == '/' || *s == '-'))))
            return false;
    return true;
}

static bool
region_ok(const char *s)
{
    return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

void
tlog_commitment(const unsigned char salt[TLOG_SALT_BYTES], const void *record, size_t len,
                unsigned char out[TLOG_HASH_BYTES])
{
    static const char tag[] = "xiangzhi/commit/v1\n";
    struct sbuf b = SBUF_INIT;

    sbuf_add(&b, tag, sizeof(tag) - 1);
    sbuf_add(&b, salt, TLOG_SALT_BYTES);
    sbuf_add(&b, record, len);
    SHA256((const unsigned char *)b.buf, b.len, out);
    sbuf_release(&b);
}

/* The entry text of 'r' with a fresh salt (tlog.h, version 1). */
static int
encode_entry(const struct tlog_record *r, struct sbuf *entry, unsigned char salt[TLOG_SALT_BYTES],
             struct err *err)
{
    unsigned char commit[TLOG_HASH_BYTES];
    char b64[sodium_base64_ENCODED_LEN(TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL)];

    if (!token_ok(r->kind, 32, false))
        return bad_leaf(err, "kind");
    if (!token_ok(r->ref, 64, true))
        return bad_leaf(err, "ref");
    if (!region_ok(r->region))
        return bad_leaf(err, "region");
    randombytes_buf(salt, TLOG_SALT_BYTES);
    tlog_commitment(salt, r->record, r->record_len, commit);
    sodium_bin2base64(b64, sizeof(b64), commit, sizeof(commit), sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(entry, "xiangzhi/leaf/v1\nkind %s\nref %s\nregion %s\ntime %lld\ncommit %s\n",
              r->kind, r->ref, r->region, (long long)r->time_ms, b64);
    return 0;
}

int
tlog_size(struct db_conn *c, uint64_t *size, struct err *err)
{
    int64_t n = 0;
    int rc = db_query_i64(c, "SELECT COALESCE(MAX(idx) + 1, 0) FROM tlog_entries", &n, err);

    *size = (uint64_t)n;
    return rc;
}

static int
read_hash(void *ctx, int level, uint64_t index, unsigned char out[TLOG_HASH_BYTES], struct err *err)
{
    struct db_stmt *s;
    const void *h;
    size_t len = 0;
    int rc = db_prepare(ctx, "SELECT hash FROM tlog_hashes WHERE level = ? AND idx = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, level);
    db_bind_i64(s, 2, (int64_t)index);
    rc = db_step(s, err);
    if (rc == 1 && (h = db_col_blob(s, 0, &len)) != NULL && len == TLOG_HASH_BYTES) {
        memcpy(out, h, TLOG_HASH_BYTES);
        rc = 0;
    } else if (rc >= 0) {
        rc =
            err_set(err, ERR_NOT_FOUND, "size", "日志还没有这么长", "the log is not that long yet");
    }
    db_reset(s);
    return rc;
}

struct tlog_hashes
tlog_db_hashes(struct db_conn *c)
{
    return (struct tlog_hashes){ read_hash, c };
}

static int
insert_hash(struct db_conn *c, int level, uint64_t index, const unsigned char *hash,
            struct err *err)
{
    int rc = db_run(c, err, "INSERT INTO tlog_hashes (level, idx, hash) VALUES (?, ?, ?)", "iib",
                    (int64_t)level, (int64_t)index, (const void *)hash, (size_t)TLOG_HASH_BYTES);

    return rc < 0 ? rc : 0;
}

/* The leaf's hash at level 0, then each subtree the leaf completes: while the
 * node is a right child, hash it with its left sibling one level up. */
static int
insert_hashes(struct db_conn *c, uint64_t index, const unsigned char leaf[TLOG_HASH_BYTES],
              struct err *err)
{
    unsigned char h[TLOG_HASH_BYTES], left[TLOG_HASH_BYTES];
    int level = 0, rc;

    memcpy(h, leaf, TLOG_HASH_BYTES);
    if ((rc = insert_hash(c, 0, index, h, err)) < 0)
        return rc;
    for (; index & 1; index >>= 1) {
        if ((rc = read_hash(c, level, index - 1, left, err)) < 0)
            return rc;
        tlog_node_hash(left, h, h);
        if ((rc = insert_hash(c, ++level, index >> 1, h, err)) < 0)
            return rc;
    }
    return 0;
}

int
tlog_append(struct db_conn *c, const struct tlog_record *r, uint64_t *index, struct err *err)
{
    unsigned char salt[TLOG_SALT_BYTES], leaf[TLOG_HASH_BYTES];
    struct sbuf entry = SBUF_INIT;
    int rc = encode_entry(r, &entry, salt, err);

    if (rc == 0)
        rc = tlog_size(c, index, err);
    if (rc == 0)
        rc = db_run(
            c, err,
            "INSERT INTO tlog_entries (idx, entry, salt, kind, ref, region_code, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            "ibbttti", (int64_t)*index, (const void *)entry.buf, entry.len, (const void *)salt,
            (size_t)TLOG_SALT_BYTES, r->kind, r->ref, r->region, r->time_ms);
    if (rc >= 0) {
        tlog_leaf_hash((const unsigned char *)entry.buf, entry.len, leaf);
        rc = insert_hashes(c, *index, leaf, err);
    }
    sbuf_release(&entry);
    sodium_memzero(salt, sizeof(salt));
    return rc < 0 ? rc : 0;
}

int
tlog_entry(struct db_conn *c, uint64_t index, struct sbuf *entry,
           unsigned char salt[TLOG_SALT_BYTES], struct err *err)
{
    struct db_stmt *s;
    const void *e, *sa;
    size_t elen = 0, slen = 0;
    int rc = db_prepare(c, "SELECT entry, salt FROM tlog_entries WHERE idx = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, (int64_t)index);
    rc = db_step(s, err);
    if (rc == 1 && (e = db_col_blob(s, 0, &elen)) && (sa = db_col_blob(s, 1, &slen)) &&
        slen == TLOG_SALT_BYTES) {
        sbuf_add(entry, e, elen);
        memcpy(salt, sa, TLOG_SALT_BYTES);
        rc = 0;
    } else if (rc >= 0) {
        rc = err_set(err, ERR_NOT_FOUND, "index", "日志中没有这一条", "no such log entry");
    }
    db_reset(s);
    return rc;
}

/* Rows [first, first + width) of one level of hashes, or of the entries as a
 * bundle (level -1: each entry after its big-endian 16-bit length). */
static int
read_range(struct db_conn *c, int level, uint64_t first, int width, struct sbuf *out,
           struct err *err)
{
    struct db_stmt *s;
    const unsigned char *v;
    size_t len = 0;
    int rc, got = 0;

    rc = level < 0 ? db_prepare(c,
                                "SELECT entry FROM tlog_entries WHERE idx >= ? AND idx < ?"
                                " ORDER BY idx",
                                &s, err)
                   : db_prepare(c,
                                "SELECT hash FROM tlog_hashes WHERE level = ? AND idx >= ?"
                                " AND idx < ? ORDER BY idx",
                                &s, err);
    if (rc < 0)
        return rc;
    if (level >= 0)
        db_bind_i64(s, 1, level);
    db_bind_i64(s, level < 0 ? 1 : 2, (int64_t)first);
    db_bind_i64(s, level < 0 ? 2 : 3, (int64_t)(first + (uint64_t)width));
    while ((rc = db_step(s, err)) == 1) {
        v = db_col_blob(s, 0, &len);
        if (level < 0) {
            sbuf_addc(out, (char)(len >> 8));
            sbuf_addc(out, (char)(len & 0xff));
        }
        sbuf_add(out, v, len);
        got++;
    }
    db_reset(s);
    if (rc < 0)
        return rc;
    return got == width ? 0
                        : err_set(err, ERR_NOT_FOUND, "tile", "日志还没有这么长",
                                  "the log is not that long yet");
}

int
tlog_tile(struct db_conn *c, int level, uint64_t n, int width, struct sbuf *out, struct err *err)
{
    /* Tile level L holds the hashes of Merkle level 8L. */
    if (width < 1 || width > TLOG_TILE_WIDTH || level > 63 || n > (UINT64_MAX >> 9))
        return err_set(err, ERR_NOT_FOUND, "tile", "没有这个瓦片", "no such tile");
    return read_range(c, level < 0 ? -1 : level * 8, n * TLOG_TILE_WIDTH, width, out, err);
}
