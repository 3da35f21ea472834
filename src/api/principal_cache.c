/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/principal_cache.c -- see principal_cache.h. A fixed table of
 * direct-mapped slots in locked shards: keys are keyed fingerprints of the
 * tokens (crypto_fingerprint), so their bytes are uniformly spread and pick
 * the shard and slot, and the tokens themselves are not kept. Forgetting
 * everything is one atomic increment of the generation every entry carries. */
#include "core/compat.h"

#include <pthread.h>
#include <stdatomic.h>

#include "api/principal_cache.h"
#include "core/crypto.h"
#include "core/xalloc.h"

#define SHARDS 16
#define SLOTS 64 /* per shard: 1,024 callers remembered at once */

struct entry {
    bool used;
    unsigned char key[CRYPTO_FINGERPRINT_BYTES];
    uint64_t generation;
    int64_t stored_at;
    struct principal p;
};

struct shard {
    pthread_mutex_t lock;
    struct entry slots[SLOTS];
};

struct principal_cache {
    _Atomic uint64_t generation;
    struct shard shards[SHARDS];
};

struct principal_cache *
principal_cache_new(void)
{
    struct principal_cache *pc = xcalloc(1, sizeof(*pc));

    atomic_init(&pc->generation, 1);
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&pc->shards[i].lock, NULL);
    return pc;
}

void
principal_cache_free(struct principal_cache *pc)
{
    if (!pc)
        return;
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_destroy(&pc->shards[i].lock);
    free(pc);
}

uint64_t
principal_cache_generation(struct principal_cache *pc)
{
    return atomic_load(&pc->generation);
}

static struct shard *
shard_of(struct principal_cache *pc, const unsigned char key[CRYPTO_FINGERPRINT_BYTES])
{
    return &pc->shards[key[0] % SHARDS];
}

static struct entry *
slot_of(struct shard *sh, const unsigned char key[CRYPTO_FINGERPRINT_BYTES])
{
    return &sh->slots[key[1] % SLOTS];
}

bool
principal_cache_get(struct principal_cache *pc, const unsigned char key[CRYPTO_FINGERPRINT_BYTES],
                    int64_t now, struct principal *out)
{
    struct shard *sh = shard_of(pc, key);
    struct entry *e = slot_of(sh, key);
    bool hit;

    pthread_mutex_lock(&sh->lock);
    hit = e->used && e->generation == atomic_load(&pc->generation) &&
          now - e->stored_at < PRINCIPAL_CACHE_MS && now >= e->stored_at &&
          crypto_equal(e->key, key, sizeof(e->key));
    if (hit)
        *out = e->p;
    pthread_mutex_unlock(&sh->lock);
    return hit;
}

void
principal_cache_put(struct principal_cache *pc, const unsigned char key[CRYPTO_FINGERPRINT_BYTES],
                    uint64_t generation, int64_t now, const struct principal *p)
{
    struct shard *sh = shard_of(pc, key);
    struct entry *e = slot_of(sh, key);

    pthread_mutex_lock(&sh->lock);
    if (generation == atomic_load(&pc->generation)) {
        e->used = true;
        memcpy(e->key, key, sizeof(e->key));
        e->generation = generation;
        e->stored_at = now;
        e->p = *p;
    }
    pthread_mutex_unlock(&sh->lock);
}

void
principal_cache_forget_all(struct principal_cache *pc)
{
    atomic_fetch_add(&pc->generation, 1);
}
