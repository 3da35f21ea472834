/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/throttle.c -- see throttle.h. A fixed table hashed by address;
 * memory stays bounded under any number of addresses. A colliding address takes
 * the slot over, so an attacker cycling thousands of addresses is slowed by the
 * per-account lock rather than by this table. */
#include "core/compat.h"

#include <pthread.h>

#include "domain/auth/throttle.h"

#define SLOTS 4096

struct slot {
    uint64_t addr_hash;
    int64_t window_start;
    int failures;
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t
hash_addr(const char *addr)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *addr; addr++)
        h = (h ^ (unsigned char)*addr) * 1099511628211ULL;
    return h;
}

static struct slot *
slot_for(uint64_t h, int64_t now)
{
    struct slot *s = &table[h % SLOTS];

    if (s->addr_hash != h || now - s->window_start > THROTTLE_WINDOW_MS)
        *s = (struct slot){ h, now, 0 };
    return s;
}

bool
throttle_allows(const char *addr, int64_t now)
{
    bool ok;

    pthread_mutex_lock(&lock);
    ok = slot_for(hash_addr(addr), now)->failures < THROTTLE_MAX;
    pthread_mutex_unlock(&lock);
    return ok;
}

void
throttle_failed(const char *addr, int64_t now)
{
    pthread_mutex_lock(&lock);
    slot_for(hash_addr(addr), now)->failures++;
    pthread_mutex_unlock(&lock);
}
