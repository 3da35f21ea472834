/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/merkle.c -- see merkle.h. SHA-256 is OpenSSL's (DESIGN.md §3: several
 * times libsodium's speed here); libsodium only compares in constant time. The
 * two verifiers follow the numbered steps of RFC 9162 §2.1.3.2 and §2.1.4.2;
 * the comments give the step. */
#include "core/compat.h"

#include <openssl/sha.h>
#include <sodium.h>

#include "core/xalloc.h"
#include "tlog/merkle.h"

void
tlog_leaf_hash(const unsigned char *entry, size_t len, unsigned char out[TLOG_HASH_BYTES])
{
    unsigned char small[512], *buf = len < sizeof(small) ? small : xmalloc(len + 1);

    buf[0] = 0x00;
    memcpy(buf + 1, entry, len);
    SHA256(buf, len + 1, out);
    if (buf != small)
        free(buf);
}

void
tlog_node_hash(const unsigned char left[TLOG_HASH_BYTES],
               const unsigned char right[TLOG_HASH_BYTES], unsigned char out[TLOG_HASH_BYTES])
{
    unsigned char buf[1 + 2 * TLOG_HASH_BYTES];

    buf[0] = 0x01;
    memcpy(buf + 1, left, TLOG_HASH_BYTES);
    memcpy(buf + 1 + TLOG_HASH_BYTES, right, TLOG_HASH_BYTES);
    SHA256(buf, sizeof(buf), out);
}

/* The largest power of two smaller than n (n >= 2): the RFC's split point k. */
static uint64_t
split_point(uint64_t n)
{
    uint64_t k = 1;

    while (k << 1 < n)
        k <<= 1;
    return k;
}

void
tlog_root_of(const unsigned char *leaves, uint64_t n, unsigned char out[TLOG_HASH_BYTES])
{
    unsigned char left[TLOG_HASH_BYTES], right[TLOG_HASH_BYTES];
    uint64_t k;

    if (n == 0) {
        SHA256((const unsigned char *)"", 0, out);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves, TLOG_HASH_BYTES);
        return;
    }
    k = split_point(n);
    tlog_root_of(leaves, k, left);
    tlog_root_of(leaves + k * TLOG_HASH_BYTES, n - k, right);
    tlog_node_hash(left, right, out);
}

/* The complete subtrees of [lo, lo+n), left to right: a power of two each. */
int
tlog_subtree_hash(const struct tlog_hashes *h, uint64_t lo, uint64_t n,
                  unsigned char out[TLOG_HASH_BYTES], struct err *err)
{
    unsigned char parts[64][TLOG_HASH_BYTES];
    int np = 0, rc;

    if (n == 0)
        return err_set(err, ERR_INTERNAL, "", "空子树没有哈希", "an empty subtree has no hash");
    do {
        int level = 63 - __builtin_clzll(n); /* the largest power of two in n */

        if ((rc = h->read(h->ctx, level, lo >> level, parts[np++], err)) < 0)
            return rc;
        lo += (uint64_t)1 << level;
        n -= (uint64_t)1 << level;
    } while (n > 0 && np < 64);
    memcpy(out, parts[np - 1], TLOG_HASH_BYTES); /* fold from the right */
    for (int i = np - 2; i >= 0; i--)
        tlog_node_hash(parts[i], out, out);
    return 0;
}

int
tlog_tree_hash(const struct tlog_hashes *h, uint64_t size, unsigned char out[TLOG_HASH_BYTES],
               struct err *err)
{
    if (size == 0) {
        tlog_root_of(NULL, 0, out);
        return 0;
    }
    return tlog_subtree_hash(h, 0, size, out, err);
}

/* PATH(m, D[lo:lo+n]): hashes appended leaf side first. */
static int
path(const struct tlog_hashes *h, uint64_t m, uint64_t lo, uint64_t n, unsigned char *proof,
     size_t *np, struct err *err)
{
    uint64_t k;
    int rc;

    if (n <= 1)
        return 0;
    k = split_point(n);
    if (m < k)
        rc = path(h, m, lo, k, proof, np, err);
    else
        rc = path(h, m - k, lo + k, n - k, proof, np, err);
    if (rc < 0)
        return rc;
    rc = m < k ? tlog_subtree_hash(h, lo + k, n - k, proof + *np * TLOG_HASH_BYTES, err)
               : tlog_subtree_hash(h, lo, k, proof + *np * TLOG_HASH_BYTES, err);
    (*np)++;
    return rc;
}

int
tlog_inclusion_proof(const struct tlog_hashes *h, uint64_t index, uint64_t size,
                     unsigned char *proof, size_t *nproof, struct err *err)
{
    *nproof = 0;
    if (index >= size)
        return err_set(err, ERR_INVALID, "index", "序号超出了树的大小",
                       "the index is not below the tree size");
    return path(h, index, 0, size, proof, nproof, err);
}

/* SUBPROOF(m, D[lo:lo+n], b). */
static int
subproof(const struct tlog_hashes *h, uint64_t m, uint64_t lo, uint64_t n, bool b,
         unsigned char *proof, size_t *np, struct err *err)
{
    uint64_t k;
    int rc;

    if (m == n) {
        if (b)
            return 0;
        return tlog_subtree_hash(h, lo, n, proof + (*np)++ * TLOG_HASH_BYTES, err);
    }
    k = split_point(n);
    if (m <= k)
        rc = subproof(h, m, lo, k, b, proof, np, err);
    else
        rc = subproof(h, m - k, lo + k, n - k, false, proof, np, err);
    if (rc < 0)
        return rc;
    rc = m <= k ? tlog_subtree_hash(h, lo + k, n - k, proof + *np * TLOG_HASH_BYTES, err)
                : tlog_subtree_hash(h, lo, k, proof + *np * TLOG_HASH_BYTES, err);
    (*np)++;
    return rc;
}

int
tlog_consistency_proof(const struct tlog_hashes *h, uint64_t size1, uint64_t size2,
                       unsigned char *proof, size_t *nproof, struct err *err)
{
    *nproof = 0;
    if (size1 == 0 || size1 > size2)
        return err_set(err, ERR_INVALID, "old", "旧树大小应在 1 和新树大小之间",
                       "the old size must be between 1 and the new size");
    return subproof(h, size1, 0, size2, true, proof, nproof, err);
}

static bool
same_hash(const unsigned char a[TLOG_HASH_BYTES], const unsigned char b[TLOG_HASH_BYTES])
{
    return sodium_memcmp(a, b, TLOG_HASH_BYTES) == 0;
}

/* Right-shift fn and sn together until LSB(fn) is set or fn is 0. */
static void
shift_to_set_bit(uint64_t *fn, uint64_t *sn)
{
    while (!(*fn & 1) && *fn != 0) {
        *fn >>= 1;
        *sn >>= 1;
    }
}

bool
tlog_verify_inclusion(uint64_t index, uint64_t size, const unsigned char leaf[TLOG_HASH_BYTES],
                      const unsigned char *proof, size_t nproof,
                      const unsigned char root[TLOG_HASH_BYTES])
{
    unsigned char r[TLOG_HASH_BYTES];
    uint64_t fn, sn;

    if (index >= size) /* 1 */
        return false;
    fn = index; /* 2 */
    sn = size - 1;
    memcpy(r, leaf, TLOG_HASH_BYTES);     /* 3 */
    for (size_t i = 0; i < nproof; i++) { /* 4 */
        if (sn == 0)                      /* 4a */
            return false;
        if ((fn & 1) || fn == sn) { /* 4b */
            tlog_node_hash(proof + i * TLOG_HASH_BYTES, r, r);
            if (!(fn & 1))
                shift_to_set_bit(&fn, &sn);
        } else {
            tlog_node_hash(r, proof + i * TLOG_HASH_BYTES, r);
        }
        fn >>= 1; /* 4c */
        sn >>= 1;
    }
    return sn == 0 && same_hash(r, root); /* 5 */
}

/* The RFC's steps 2-7 for 0 < size1 < size2 and a non-empty proof. */
static bool
consistency_path(uint64_t size1, uint64_t size2, const unsigned char root1[TLOG_HASH_BYTES],
                 const unsigned char root2[TLOG_HASH_BYTES], const unsigned char *proof,
                 size_t nproof)
{
    unsigned char fr[TLOG_HASH_BYTES], sr[TLOG_HASH_BYTES];
    /* 2: a power-of-two first tree is itself the path's first node. */
    bool prepend = (size1 & (size1 - 1)) == 0;
    uint64_t fn = size1 - 1, sn = size2 - 1; /* 3 */
    size_t i = prepend ? 0 : 1;

    while (fn & 1) { /* 4 */
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, prepend ? root1 : proof, TLOG_HASH_BYTES); /* 5 */
    memcpy(sr, fr, TLOG_HASH_BYTES);
    for (; i < nproof; i++) { /* 6 */
        if (sn == 0)          /* 6a */
            return false;
        if ((fn & 1) || fn == sn) { /* 6b */
            tlog_node_hash(proof + i * TLOG_HASH_BYTES, fr, fr);
            tlog_node_hash(proof + i * TLOG_HASH_BYTES, sr, sr);
            if (!(fn & 1))
                shift_to_set_bit(&fn, &sn);
        } else {
            tlog_node_hash(sr, proof + i * TLOG_HASH_BYTES, sr);
        }
        fn >>= 1; /* 6c */
        sn >>= 1;
    }
    return same_hash(fr, root1) && same_hash(sr, root2) && sn == 0; /* 7 */
}

bool
tlog_verify_consistency(uint64_t size1, uint64_t size2, const unsigned char root1[TLOG_HASH_BYTES],
                        const unsigned char root2[TLOG_HASH_BYTES], const unsigned char *proof,
                        size_t nproof)
{
    unsigned char empty[TLOG_HASH_BYTES];

    if (size1 > size2)
        return false;
    if (size1 == size2)
        return nproof == 0 && same_hash(root1, root2);
    if (size1 == 0) {
        tlog_root_of(NULL, 0, empty);
        return nproof == 0 && same_hash(root1, empty);
    }
    if (nproof == 0) /* 1 */
        return false;
    return consistency_path(size1, size2, root1, root2, proof, nproof);
}
