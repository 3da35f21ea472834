/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/members_cache.h -- the JSON of a household's members, kept between
 * requests: reading and rendering five or six persons was most of the work of
 * GET /api/v1/households/{id}. A household's members render the same whenever
 * its (id, created_at, members_version) do, because the database itself counts
 * every change to them (migration 0004), so an entry is never stale: a change
 * moves the count on and the old entry is simply not found again. Entries are
 * stored only from read snapshots (committed data) and hold only what every
 * reader of the household sees (masked ID and phone numbers). Bounded:
 * MEMBERS_CACHE_SLOTS entries, direct-mapped by household. Thread-safe. */
#ifndef API_MEMBERS_CACHE_H
#define API_MEMBERS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

#define MEMBERS_CACHE_SLOTS 8192

struct members_cache;

struct members_key {
    int64_t household_id;
    int64_t created_at;
    int64_t members_version;
};

struct members_cache *members_cache_new(void);
void members_cache_free(struct members_cache *mc); /* NULL ok */

/* Append the members JSON stored under 'k' to 'out'; false when there is none. */
bool members_cache_copy(struct members_cache *mc, const struct members_key *k, struct sbuf *out);
/* Store 'json' (len bytes, a JSON array) under 'k', replacing the slot's entry. */
void members_cache_put(struct members_cache *mc, const struct members_key *k, const char *json,
                       size_t len);

#endif
