/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_principal.c -- the principal cache: hits only for the same
 * token, within PRINCIPAL_CACHE_MS, and never after an account change. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "api/principal_cache.h"
#include "core/crypto.h"

static void
key_of(const char *token, unsigned char key[CRYPTO_FINGERPRINT_BYTES])
{
    crypto_fingerprint(token, strlen(token), key);
}

static struct principal
someone(int64_t id)
{
    struct principal p = { .user_id = id, .nroles = 1 };

    snprintf(p.username, sizeof(p.username), "user%" PRId64, id);
    return p;
}

Test(principal_cache, remembers_only_the_same_token_for_a_moment)
{
    struct principal_cache *pc = principal_cache_new();
    unsigned char a[CRYPTO_FINGERPRINT_BYTES], b[CRYPTO_FINGERPRINT_BYTES];
    struct principal p = someone(7), out;

    cr_assert_eq(crypto_init(), 0);
    key_of("token-a", a);
    key_of("token-b", b);
    cr_assert_not(principal_cache_get(pc, a, 1000, &out));
    principal_cache_put(pc, a, principal_cache_generation(pc), 1000, &p);
    cr_assert(principal_cache_get(pc, a, 1000 + PRINCIPAL_CACHE_MS - 1, &out));
    cr_assert_eq(out.user_id, 7);
    cr_assert_str_eq(out.username, "user7");
    cr_assert_not(principal_cache_get(pc, b, 1000, &out), "another token must miss");
    cr_assert_not(principal_cache_get(pc, a, 1000 + PRINCIPAL_CACHE_MS, &out), "too old");
    cr_assert_not(principal_cache_get(pc, a, 999, &out), "clock went back");
    principal_cache_free(pc);
}

Test(principal_cache, forget_all_drops_entries_and_late_puts)
{
    struct principal_cache *pc = principal_cache_new();
    unsigned char a[CRYPTO_FINGERPRINT_BYTES];
    struct principal p = someone(3), out;
    uint64_t before;

    cr_assert_eq(crypto_init(), 0);
    key_of("token-a", a);
    principal_cache_put(pc, a, principal_cache_generation(pc), 1000, &p);
    principal_cache_forget_all(pc);
    cr_assert_not(principal_cache_get(pc, a, 1000, &out));
    /* A lookup that began before a change must not store what it read. */
    before = principal_cache_generation(pc);
    principal_cache_forget_all(pc);
    principal_cache_put(pc, a, before, 1000, &p);
    cr_assert_not(principal_cache_get(pc, a, 1000, &out));
    principal_cache_put(pc, a, principal_cache_generation(pc), 1000, &p);
    cr_assert(principal_cache_get(pc, a, 1000, &out));
    principal_cache_free(pc);
}

Test(principal_cache, fingerprints_differ_per_token)
{
    unsigned char a[CRYPTO_FINGERPRINT_BYTES], b[CRYPTO_FINGERPRINT_BYTES];

    cr_assert_eq(crypto_init(), 0);
    key_of("token-a", a);
    key_of("token-a", b);
    cr_assert_eq(memcmp(a, b, sizeof(a)), 0);
    key_of("token-b", b);
    cr_assert_neq(memcmp(a, b, sizeof(a)), 0);
}
