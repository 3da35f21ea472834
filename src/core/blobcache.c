/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/blobcache.c -- see blobcache.h. */
#include "core/compat.h"

#include <pthread.h>

#include "core/blobcache.h"
#include "core/xalloc.h"

#define SHARDS 32

struct slot {
    struct blob_key key;
    char *data; /* NULL = empty */
    size_t len;
};

struct shard {
    pthread_mutex_t lock;
    struct slot *slots;
};

struct blob_cache {
    size_t per_shard;
    struct shard shards[SHARDS];
};

struct blob_cache *
blob_cache_new(size_t slots)
{
    struct blob_cache *bc = xcalloc(1, sizeof(*bc));

    bc->per_shard = slots / SHARDS ? slots / SHARDS : 1;
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&bc->shards[i].lock, NULL);
        bc->shards[i].slots = xcalloc(bc->per_shard, sizeof(struct slot));
    }
    return bc;
}

void
blob_cache_free(struct blob_cache *bc)
{
    if (!bc)
        return;
    for (int i = 0; i < SHARDS; i++) {
        for (size_t j = 0; j < bc->per_shard; j++)
            free(bc->shards[i].slots[j].data);
        free(bc->shards[i].slots);
        pthread_mutex_destroy(&bc->shards[i].lock);
    }
    free(bc);
}

/* Consecutive first keys land in different shards, then different slots; the
 * second part spreads keys that share the first; the third (a version) does
 * not move an entry, so a newer version replaces the older in its slot. */
static struct shard *
shard_of(struct blob_cache *bc, const struct blob_key *k)
{
    return &bc->shards[(uint64_t)k->a % SHARDS];
}

static struct slot *
slot_of(struct blob_cache *bc, struct shard *sh, const struct blob_key *k)
{
    uint64_t h = (uint64_t)k->a / SHARDS + (uint64_t)k->b * 0x9E3779B97F4A7C15u;

    return &sh->slots[h % bc->per_shard];
}

static bool
same_key(const struct blob_key *x, const struct blob_key *y)
{
    return x->a == y->a && x->b == y->b && x->c == y->c;
}

bool
blob_cache_copy(struct blob_cache *bc, const struct blob_key *k, struct sbuf *out)
{
    struct shard *sh = shard_of(bc, k);
    struct slot *s = slot_of(bc, sh, k);
    bool hit;

    pthread_mutex_lock(&sh->lock);
    hit = s->data && same_key(&s->key, k);
    if (hit)
        sbuf_add(out, s->data, s->len);
    pthread_mutex_unlock(&sh->lock);
    return hit;
}

void
blob_cache_put(struct blob_cache *bc, const struct blob_key *k, const void *data, size_t len)
{
    struct shard *sh = shard_of(bc, k);
    struct slot *s = slot_of(bc, sh, k);
    char *copy = xmalloc(len + 1);
    char *old;

    memcpy(copy, data, len);
    copy[len] = '\0';
    pthread_mutex_lock(&sh->lock);
    old = s->data;
    s->key = *k;
    s->data = copy;
    s->len = len;
    pthread_mutex_unlock(&sh->lock);
    free(old);
}
