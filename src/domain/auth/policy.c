/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/policy.c -- the permission table: which roles hold each
 * permission. Everything that decides access reads this one table. */
#include "core/compat.h"

#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "store/db.h"

#define R(role) AUTH_ROLE(role)

/* The table: core's rows here, each module's added at start (auth_rules_add).
 * A villager listed here acts only on their own household. */
static const struct auth_rule rules[] = {
    { PERM_REGION_WRITE, R(ROLE_COUNTY_ADMIN) },
    { PERM_HOUSEHOLD_READ, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) |
                               R(ROLE_SUPERVISOR) | R(ROLE_AUDITOR) | R(ROLE_VILLAGER) },
    { PERM_HOUSEHOLD_WRITE, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) },
    { PERM_PERSON_REVEAL, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) },
    { PERM_AUDIT_READ, R(ROLE_COUNTY_ADMIN) | R(ROLE_SUPERVISOR) | R(ROLE_AUDITOR) },
    { PERM_USER_ADMIN, R(ROLE_COUNTY_ADMIN) },
};

#define MAX_RULE_SETS 32

static struct {
    const struct auth_rule *rules;
    size_t n;
} sets[MAX_RULE_SETS] = { { rules, ARRAY_LEN(rules) } };
static int nsets = 1;

void
auth_rules_add(const struct auth_rule *more, size_t n)
{
    for (int i = 0; i < nsets; i++)
        if (sets[i].rules == more)
            return;
    INVARIANT(nsets < MAX_RULE_SETS);
    sets[nsets].rules = more;
    sets[nsets++].n = n;
}

const char *
auth_perm_name(size_t i)
{
    for (int s = 0; s < nsets; s++) {
        if (i < sets[s].n)
            return sets[s].rules[i].perm;
        i -= sets[s].n;
    }
    return NULL;
}

static const struct auth_rule *
rule_for(const char *perm)
{
    for (int s = 0; s < nsets; s++)
        for (size_t i = 0; i < sets[s].n; i++)
            if (strcmp(sets[s].rules[i].perm, perm) == 0)
                return &sets[s].rules[i];
    return NULL;
}

bool
auth_perm_known(const char *perm)
{
    return strcmp(perm, PERM_PUBLIC) == 0 || strcmp(perm, PERM_OPS) == 0 ||
           strcmp(perm, PERM_SELF) == 0 || rule_for(perm) != NULL;
}

static bool
binding_holds(const struct auth_binding *b, const struct auth_rule *rule)
{
    return b->role > ROLE_NONE && b->role < ROLE__COUNT && (rule->roles & R(b->role));
}

bool
auth_binding_may(const struct auth_binding *b, const char *perm)
{
    const struct auth_rule *rule = rule_for(perm);

    return rule && binding_holds(b, rule);
}

bool
auth_role_may(const struct principal *p, const char *perm)
{
    const struct auth_rule *rule = rule_for(perm);

    if (strcmp(perm, PERM_SELF) == 0)
        return p->user_id > 0;
    for (int i = 0; rule && i < p->nroles; i++)
        if (binding_holds(&p->roles[i], rule))
            return true;
    return false;
}

static bool
binding_covers(const struct auth_binding *b, const char *region_code, int64_t household_id)
{
    if (!region_in_scope(b->scope, region_code))
        return false;
    return b->role != ROLE_VILLAGER || (household_id && household_id == b->household_id);
}

bool
auth_object_may(const struct principal *p, const char *perm, const char *region_code,
                int64_t household_id)
{
    const struct auth_rule *rule = rule_for(perm);

    for (int i = 0; rule && i < p->nroles; i++)
        if (binding_holds(&p->roles[i], rule) &&
            binding_covers(&p->roles[i], region_code, household_id))
            return true;
    return false;
}

bool
auth_village_may(const struct principal *p, const char *perm, const char *region_code)
{
    const struct auth_rule *rule = rule_for(perm);

    for (int i = 0; rule && i < p->nroles; i++)
        if (binding_holds(&p->roles[i], rule) && region_in_scope(p->roles[i].scope, region_code))
            return true;
    return false;
}

int
auth_own_household(struct db_conn *c, const struct principal *p, int64_t household_id, bool *own,
                   struct err *err)
{
    int rc = 0;

    *own = false;
    for (int i = 0; i < p->nroles; i++)
        if (p->roles[i].household_id && p->roles[i].household_id == household_id)
            *own = true;
    if (!*own && household_id)
        rc = db_run(c, err, "SELECT household_id FROM users WHERE id = ? AND household_id = ?",
                    "ii", p->user_id, household_id);
    if (rc == 1)
        *own = true;
    return rc < 0 ? rc : 0;
}

const struct auth_binding *
auth_villager(const struct principal *p, const char *village, int64_t household)
{
    for (int i = 0; p && i < p->nroles; i++) {
        const struct auth_binding *b = &p->roles[i];

        if (b->role == ROLE_VILLAGER && b->household_id &&
            (!village || strcmp(b->scope, village) == 0) &&
            (!household || b->household_id == household))
            return b;
    }
    return NULL;
}

const struct auth_binding *
auth_own_villager(const struct principal *p, struct err *err)
{
    const struct auth_binding *own = auth_villager(p, NULL, 0);

    if (!own)
        err_set(err, ERR_NOT_FOUND, "household_id", "您的账号没有关联的家庭",
                "your account belongs to no household");
    return own;
}

int
auth_acting_role(const struct principal *p, const char *perm)
{
    const struct auth_rule *rule = rule_for(perm);

    for (int i = 0; rule && i < p->nroles; i++)
        if (binding_holds(&p->roles[i], rule))
            return p->roles[i].role;
    return p->nroles ? p->roles[0].role : ROLE_NONE;
}

int
auth_filters(const struct principal *p, const char *perm, struct auth_filter *out, int max)
{
    const struct auth_rule *rule = rule_for(perm);
    int n = 0;

    for (int i = 0; rule && i < p->nroles && n < max; i++) {
        if (!binding_holds(&p->roles[i], rule))
            continue;
        snprintf(out[n].scope, sizeof(out[n].scope), "%s", p->roles[i].scope);
        out[n].household_id = p->roles[i].role == ROLE_VILLAGER ? p->roles[i].household_id : 0;
        if (p->roles[i].role == ROLE_VILLAGER && !out[n].household_id)
            continue; /* a villager without a household sees nothing */
        n++;
    }
    return n;
}
