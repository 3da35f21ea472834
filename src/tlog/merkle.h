/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/merkle.h -- RFC 6962 / RFC 9162 Merkle tree hashing and the
 * verification of inclusion and consistency proofs, exactly as the RFCs state
 * them, so that proofs we hand out check with anyone's verifier and theirs with
 * ours. Hashes are SHA-256, 32 bytes; a proof is nproof such hashes, back to back. The
 * verifiers are strict: every hash they are given must be 32 bytes (callers
 * decode and check the length before calling). No allocation, no state. */
#ifndef TLOG_MERKLE_H
#define TLOG_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TLOG_HASH_BYTES 32
/* Enough proof hashes for any tree of up to 2^63 leaves. */
#define TLOG_MAX_PROOF 64

/* SHA-256(0x00 || entry): the hash of one log entry (a leaf). */
void tlog_leaf_hash(const unsigned char *entry, size_t len, unsigned char out[TLOG_HASH_BYTES]);
/* SHA-256(0x01 || left || right): an interior node. 'out' may alias an input. */
void tlog_node_hash(const unsigned char left[TLOG_HASH_BYTES],
                    const unsigned char right[TLOG_HASH_BYTES], unsigned char out[TLOG_HASH_BYTES]);
/* The root of the tree over 'n' leaf hashes (n * 32 bytes) (SHA-256 of "" when n is 0), the
 * RFC's MTH() computed directly. For tests and whole-log checks: O(n) time,
 * O(log n) stack. */
void tlog_root_of(const unsigned char *leaves, uint64_t n, unsigned char out[TLOG_HASH_BYTES]);

/* Where the hashes of complete subtrees come from (the database, a file, an
 * array): 'read' puts into 'out' the hash of the complete subtree of 2^level
 * leaves starting at leaf index << level, returning 0 or -ERR_*. */
struct tlog_hashes {
    int (*read)(void *ctx, int level, uint64_t index, unsigned char out[TLOG_HASH_BYTES],
                struct err *err);
    void *ctx;
};

/* MTH(D[lo : lo+n]) for n >= 1 and lo a multiple of the largest power of two
 * below n (every subtree the RFC's recursion visits is one): one read per
 * complete subtree of the range, at most log2(n) + 1. */
int tlog_subtree_hash(const struct tlog_hashes *h, uint64_t lo, uint64_t n,
                      unsigned char out[TLOG_HASH_BYTES], struct err *err);
/* The root of the tree of 'size' leaves (the empty tree's root for 0). */
int tlog_tree_hash(const struct tlog_hashes *h, uint64_t size, unsigned char out[TLOG_HASH_BYTES],
                   struct err *err);
/* RFC 9162 §2.1.3.1: the inclusion proof of leaf 'index' in the tree of
 * 'size' leaves, into 'proof' (room for TLOG_MAX_PROOF hashes); *nproof its
 * length. -ERR_INVALID if index >= size. */
int tlog_inclusion_proof(const struct tlog_hashes *h, uint64_t index, uint64_t size,
                         unsigned char *proof, size_t *nproof, struct err *err);
/* RFC 9162 §2.1.4.1: the consistency proof from 'size1' to 'size2' leaves.
 * -ERR_INVALID unless 0 < size1 <= size2 (equal sizes give an empty proof). */
int tlog_consistency_proof(const struct tlog_hashes *h, uint64_t size1, uint64_t size2,
                           unsigned char *proof, size_t *nproof, struct err *err);

/* Does 'proof' (nproof hashes) prove that 'leaf' is entry 'index' of the tree of
 * 'size' leaves with root 'root'? (RFC 9162 §2.1.3.2.) */
bool tlog_verify_inclusion(uint64_t index, uint64_t size, const unsigned char leaf[TLOG_HASH_BYTES],
                           const unsigned char *proof, size_t nproof,
                           const unsigned char root[TLOG_HASH_BYTES]);

/* Does 'proof' prove that the tree of 'size1' leaves with root 'root1' is a
 * prefix of the tree of 'size2' leaves with root 'root2'? (RFC 9162 §2.1.4.2.)
 * Equal sizes need an empty proof and equal roots; from the empty tree (size1 0)
 * the proof must be empty and root1 the empty tree's root. */
bool tlog_verify_consistency(uint64_t size1, uint64_t size2,
                             const unsigned char root1[TLOG_HASH_BYTES],
                             const unsigned char root2[TLOG_HASH_BYTES], const unsigned char *proof,
                             size_t nproof);

#endif
