/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_principal.c -- the principal cache: hits only for the same
 * token, within PRINCIPAL_CACHE_MS, and never after an account change. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "api/principal_cache.h"
#include "core/crypto.h"
#include "domain/auth/auth.h"

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

/* The villager role the "my ..." routes and the points rules look for. */
Test(auth_villager, finds_the_role_by_village_and_household)
{
    struct principal p = { .user_id = 1, .nroles = 3 };
    struct err e = ERR_INIT;

    p.roles[0] = (struct auth_binding){ ROLE_VILLAGE_CADRE, "410183100201", 0 };
    p.roles[1] = (struct auth_binding){ ROLE_VILLAGER, "410183100202", 0 }; /* no household */
    p.roles[2] = (struct auth_binding){ ROLE_VILLAGER, "410183100201", 42 };
    cr_assert_eq(auth_villager(&p, NULL, 0), &p.roles[2]);
    cr_assert_eq(auth_villager(&p, "410183100201", 0), &p.roles[2]);
    cr_assert_eq(auth_villager(&p, "410183100201", 42), &p.roles[2]);
    cr_assert_null(auth_villager(&p, "410183100202", 0), "a villager role without a household");
    cr_assert_null(auth_villager(&p, NULL, 43));
    cr_assert_null(auth_villager(NULL, NULL, 0));
    cr_assert_eq(auth_own_villager(&p, &e), &p.roles[2]);
    p.nroles = 2;
    cr_assert_null(auth_own_villager(&p, &e));
    cr_assert_eq(e.code, ERR_NOT_FOUND);
    cr_assert_str_eq(e.field, "household_id");
}
