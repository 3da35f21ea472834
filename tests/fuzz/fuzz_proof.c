/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_proof.c -- libFuzzer target for tlog/merkle's verifiers. The
 * input is two sizes (8 bytes each, big-endian), two 32-byte hashes, then up to
 * TLOG_MAX_PROOF proof hashes; it goes through both the inclusion and the
 * consistency verifier. Beyond "no crash, no UB": whatever verifies stops
 * verifying when one bit of its root is flipped. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_proof: %s\n", what);
    abort();
}

static uint64_t
be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char a[TLOG_HASH_BYTES], b[TLOG_HASH_BYTES];
    const unsigned char *proof;
    uint64_t s1, s2;
    size_t nproof;

    if (size < 16 + 2 * TLOG_HASH_BYTES)
        return 0;
    s1 = be64(data);
    s2 = be64(data + 8);
    memcpy(a, data + 16, TLOG_HASH_BYTES);
    memcpy(b, data + 16 + TLOG_HASH_BYTES, TLOG_HASH_BYTES);
    proof = data + 16 + 2 * TLOG_HASH_BYTES;
    nproof = (size - 16 - 2 * TLOG_HASH_BYTES) / TLOG_HASH_BYTES;
    if (nproof > TLOG_MAX_PROOF)
        nproof = TLOG_MAX_PROOF;
    if (tlog_verify_inclusion(s1, s2, a, proof, nproof, b)) {
        b[0] ^= 1;
        if (tlog_verify_inclusion(s1, s2, a, proof, nproof, b))
            fail("inclusion verified against two roots");
        b[0] ^= 1;
    }
    if (tlog_verify_consistency(s1, s2, a, b, proof, nproof)) {
        b[31] ^= 0x80;
        if (tlog_verify_consistency(s1, s2, a, b, proof, nproof))
            fail("consistency verified against two new roots");
    }
    return 0;
}
