/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/blobcache.h -- a bounded, thread-safe cache of byte strings under a
 * key of three integers, for renderings that never go stale because their key
 * changes whenever their content would (a household's members by its version,
 * a full log tile by its position). Direct-mapped: each key has one slot, and
 * a new entry replaces whatever held it; slots are spread over locked shards
 * so that readers of different keys rarely meet. */
#ifndef CORE_BLOBCACHE_H
#define CORE_BLOBCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

struct blob_cache;

struct blob_key {
    int64_t a, b, c;
};

/* A cache of 'slots' entries (a multiple of 32). */
struct blob_cache *blob_cache_new(size_t slots);
void blob_cache_free(struct blob_cache *bc); /* NULL ok */

/* Append the bytes stored under 'k' to 'out'; false when there are none. */
bool blob_cache_copy(struct blob_cache *bc, const struct blob_key *k, struct sbuf *out);
/* Store a copy of 'data' (len bytes) under 'k', replacing the slot's entry. */
void blob_cache_put(struct blob_cache *bc, const struct blob_key *k, const void *data, size_t len);

#endif
