/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/auth.h -- who may do what, where (DESIGN.md §6). A user holds one
 * or more roles, each bound to a region scope (a county, township or village code)
 * and, for a villager, to a household. One table (policy.c) says which roles hold
 * each permission; the same table answers the route-level question (may this role
 * call the route at all?) and the object-level one (may this caller touch an
 * object in that village / of that household?). */
#ifndef DOMAIN_AUTH_H
#define DOMAIN_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/identity/principal.h"

/* Permissions named in the route table. */
#define PERM_PUBLIC "public"                   /* anyone, no login */
#define PERM_OPS "ops"                         /* the machine itself (loopback) */
#define PERM_SELF "self"                       /* any logged-in user, on their own account */
#define PERM_REGION_WRITE "region.write"       /* edit the region tree */
#define PERM_HOUSEHOLD_READ "household.read"   /* households and persons, masked */
#define PERM_HOUSEHOLD_WRITE "household.write" /* create, edit, move */
#define PERM_PERSON_REVEAL "person.reveal"     /* unmask a sensitive value, with a purpose */
#define PERM_AUDIT_READ "audit.read"           /* the audit log */
#define PERM_USER_ADMIN "user.admin"           /* accounts and roles */
/* A module's own permissions are declared beside its code (domain/module.h)
 * and added to the table at start (auth_rules_add). */

/* One row of the permission table: which roles hold 'perm'. */
#define AUTH_ROLE(role) (1u << (role))
struct auth_rule {
    const char *perm;
    unsigned roles; /* AUTH_ROLE(...) bits */
};
/* Add a module's rows to the table: at start, before any thread reads it.
 * Adding the same rows again changes nothing. */
void auth_rules_add(const struct auth_rule *rules, size_t n);

/* The i-th permission a role can hold ("household.read"...); NULL past the last. */
const char *auth_perm_name(size_t i);
/* Is 'perm' a permission the table knows (or public/ops/self)? */
bool auth_perm_known(const char *perm);
/* Does the one role binding 'b' hold 'perm' (from the table)? */
bool auth_binding_may(const struct auth_binding *b, const char *perm);
/* Route level: does some role of 'p' hold 'perm'? */
bool auth_role_may(const struct principal *p, const char *perm);
/* Object level: may 'p' use 'perm' on an object in village 'region_code' that
 * belongs to 'household_id' (0 for objects of no household)? A villager's
 * binding covers only its own household. */
bool auth_object_may(const struct principal *p, const char *perm, const char *region_code,
                     int64_t household_id);
/* Village level: may 'p' use 'perm' on something of village 'region_code' as
 * a whole -- any role holding it whose scope holds the village, a villager's
 * too (a villager may object to any claim of their village's board)? */
bool auth_village_may(const struct principal *p, const char *perm, const char *region_code);
/* Is 'household_id' the caller's own -- a villager role's, or the household
 * their account belongs to (users.household_id)? Into *own; 0 or -ERR_*. Used
 * where nobody may act on their own household's matter. */
struct db_conn;
int auth_own_household(struct db_conn *c, const struct principal *p, int64_t household_id,
                       bool *own, struct err *err);
/* The caller's first villager role with a household -- in 'village' unless
 * NULL, of 'household' unless 0 -- or NULL (also when 'p' is NULL). */
const struct auth_binding *auth_villager(const struct principal *p, const char *village,
                                         int64_t household);
/* The caller's own household as a villager (the first such role), or NULL
 * with 'err' set: a 404 naming household_id, "your account belongs to no
 * household". For the routes about "my" points, claims, redemptions. */
const struct auth_binding *auth_own_villager(const struct principal *p, struct err *err);
/* The first role of 'p' holding 'perm' (for the audit log), or ROLE_NONE. */
int auth_acting_role(const struct principal *p, const char *perm);

/* Where 'p' may list objects under 'perm': region scopes and, for villagers,
 * households. Returns how many filters were written (at most 'max'). A list
 * shows an object when any filter matches it. */
struct auth_filter {
    char scope[13];       /* region code prefix source */
    int64_t household_id; /* 0 = the whole scope */
};
int auth_filters(const struct principal *p, const char *perm, struct auth_filter *out, int max);

#endif
