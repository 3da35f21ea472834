/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/identity/roles.c -- the roles there are: their names in the API
 * and the database, their Chinese titles, and the level of region each is
 * bound to. What a role may do is auth's table (domain/auth/policy.c). */
#include "core/compat.h"

#include "domain/identity/principal.h"
#include "domain/region/region.h"

struct role_info {
    const char *name;
    const char *title_zh;
    int scope_level;
};

static const struct role_info roles[ROLE__COUNT] = {
    [ROLE_COUNTY_ADMIN] = { "county_admin", "县级管理员", REGION_COUNTY },
    [ROLE_TOWNSHIP_STAFF] = { "township_staff", "乡镇工作人员", REGION_TOWNSHIP },
    [ROLE_VILLAGE_CADRE] = { "village_cadre", "村两委干部", REGION_VILLAGE },
    [ROLE_SUPERVISOR] = { "supervisor", "村务监督委员会", REGION_VILLAGE },
    [ROLE_MEDIATOR] = { "mediator", "调解员", REGION_VILLAGE },
    [ROLE_PARTY_MEMBER] = { "party_member", "党员", REGION_VILLAGE },
    [ROLE_AGENT] = { "agent", "代办员", REGION_VILLAGE },
    [ROLE_MERCHANT] = { "merchant", "商户", REGION_VILLAGE },
    [ROLE_VILLAGER] = { "villager", "村民", REGION_VILLAGE },
    [ROLE_AUDITOR] = { "auditor", "审计员", REGION_COUNTY },
};

const char *
role_name(int role)
{
    return role > ROLE_NONE && role < ROLE__COUNT ? roles[role].name : "";
}

const char *
role_title_zh(int role)
{
    return role > ROLE_NONE && role < ROLE__COUNT ? roles[role].title_zh : "";
}

int
role_parse(const char *name)
{
    for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++)
        if (strcmp(roles[r].name, name) == 0)
            return r;
    return ROLE_NONE;
}

int
role_scope_level(int role)
{
    return role > ROLE_NONE && role < ROLE__COUNT ? roles[role].scope_level : 0;
}
