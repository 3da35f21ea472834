/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/members_cache.c -- see members_cache.h. Slots are spread over locked
 * shards so that readers of different households rarely meet. */
#include "core/compat.h"

#include <pthread.h>

#include "api/members_cache.h"
#include "core/xalloc.h"

#define SHARDS 32
#define SLOTS_PER_SHARD (MEMBERS_CACHE_SLOTS / SHARDS)

struct slot {
    struct members_key key;
    char *json; /* NULL = empty */
    size_t len;
};

struct shard {
    pthread_mutex_t lock;
    struct slot slots[SLOTS_PER_SHARD];
};

struct members_cache {
    struct shard shards[SHARDS];
};

struct members_cache *
members_cache_new(void)
{
    struct members_cache *mc = xcalloc(1, sizeof(*mc));

    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&mc->shards[i].lock, NULL);
    return mc;
}

void
members_cache_free(struct members_cache *mc)
{
    if (!mc)
        return;
    for (int i = 0; i < SHARDS; i++) {
        for (int j = 0; j < SLOTS_PER_SHARD; j++)
            free(mc->shards[i].slots[j].json);
        pthread_mutex_destroy(&mc->shards[i].lock);
    }
    free(mc);
}

/* Consecutive households land in different shards, then different slots. */
static struct shard *
shard_of(struct members_cache *mc, int64_t id)
{
    return &mc->shards[(uint64_t)id % SHARDS];
}

static struct slot *
slot_of(struct shard *sh, int64_t id)
{
    return &sh->slots[((uint64_t)id / SHARDS) % SLOTS_PER_SHARD];
}

static bool
same_key(const struct members_key *a, const struct members_key *b)
{
    return a->household_id == b->household_id && a->created_at == b->created_at &&
           a->members_version == b->members_version;
}

bool
members_cache_copy(struct members_cache *mc, const struct members_key *k, struct sbuf *out)
{
    struct shard *sh = shard_of(mc, k->household_id);
    struct slot *s = slot_of(sh, k->household_id);
    bool hit;

    pthread_mutex_lock(&sh->lock);
    hit = s->json && same_key(&s->key, k);
    if (hit)
        sbuf_add(out, s->json, s->len);
    pthread_mutex_unlock(&sh->lock);
    return hit;
}

void
members_cache_put(struct members_cache *mc, const struct members_key *k, const char *json,
                  size_t len)
{
    struct shard *sh = shard_of(mc, k->household_id);
    struct slot *s = slot_of(sh, k->household_id);
    char *copy = xmalloc(len + 1);
    char *old;

    memcpy(copy, json, len);
    copy[len] = '\0';
    pthread_mutex_lock(&sh->lock);
    old = s->json;
    s->key = *k;
    s->json = copy;
    s->len = len;
    pthread_mutex_unlock(&sh->lock);
    free(old);
}
