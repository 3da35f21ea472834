/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/principal_cache.h -- who a session cookie or API token belongs to,
 * remembered for a moment so that a burst of requests from one browser or
 * integration costs one database lookup, not one each. Entries live
 * PRINCIPAL_CACHE_MS at most; any change to accounts, sessions or tokens made
 * through this server forgets them all at once (principal_cache_forget_all,
 * called after the commit), so logout, disabling an account or revoking a
 * token take effect on the next request. A change made by another process (the
 * `xiangzhi user` CLI) shows within PRINCIPAL_CACHE_MS. */
#ifndef API_PRINCIPAL_CACHE_H
#define API_PRINCIPAL_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/crypto.h"
#include "domain/auth/auth.h"

#define PRINCIPAL_CACHE_MS 2000

struct principal_cache;

struct principal_cache *principal_cache_new(void);
void principal_cache_free(struct principal_cache *pc); /* NULL ok */

/* The generation to pass to principal_cache_put: read it before the lookup
 * whose result will be remembered. */
uint64_t principal_cache_generation(struct principal_cache *pc);
/* Copy the principal remembered under 'key' (crypto_fingerprint of the token) into
 * *out when it is younger than PRINCIPAL_CACHE_MS and was not forgotten. */
bool principal_cache_get(struct principal_cache *pc,
                         const unsigned char key[CRYPTO_FINGERPRINT_BYTES], int64_t now,
                         struct principal *out);
/* Remember 'p' under 'key', unless the cache was cleared since 'generation'. */
void principal_cache_put(struct principal_cache *pc,
                         const unsigned char key[CRYPTO_FINGERPRINT_BYTES], uint64_t generation,
                         int64_t now, const struct principal *p);
/* Forget everything (an account, session or token changed). Thread-safe, as all. */
void principal_cache_forget_all(struct principal_cache *pc);

#endif
