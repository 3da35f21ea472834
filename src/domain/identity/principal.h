/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/identity/principal.h -- who a caller is, as plain data: the
 * roles there are, a role bound to a region (and a villager's household),
 * and the authenticated caller holding up to AUTH_MAX_ROLES of them. Below
 * both auth (which decides what a caller may do) and audit (which records
 * who did it), so that neither needs the other to name a person. */
#ifndef DOMAIN_IDENTITY_PRINCIPAL_H
#define DOMAIN_IDENTITY_PRINCIPAL_H

#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_NONE = 0,
    ROLE_COUNTY_ADMIN,   /* 县级管理员 */
    ROLE_TOWNSHIP_STAFF, /* 乡镇工作人员 */
    ROLE_VILLAGE_CADRE,  /* 村两委干部 */
    ROLE_SUPERVISOR,     /* 村务监督委员会 */
    ROLE_MEDIATOR,       /* 调解员 */
    ROLE_PARTY_MEMBER,   /* 党员 */
    ROLE_AGENT,          /* 代办员 */
    ROLE_MERCHANT,       /* 商户 */
    ROLE_VILLAGER,       /* 村民(户) */
    ROLE_AUDITOR,        /* 审计员 */
    ROLE__COUNT
};

#define AUTH_MAX_ROLES 8

struct auth_binding {
    int role;             /* enum role */
    char scope[13];       /* region code the role covers */
    int64_t household_id; /* a villager's household; 0 otherwise */
};

/* The authenticated caller. Plain data: copied freely. */
struct principal {
    int64_t user_id;
    char username[40];
    char display_name[100];
    struct auth_binding roles[AUTH_MAX_ROLES];
    int nroles;
    bool via_token; /* API token: no cookie, no CSRF */
    bool must_change_password;
    char csrf[48]; /* the session's CSRF token; "" for API tokens */
    unsigned char session_hash[32];
    int64_t last_seen_at; /* epoch ms, sessions only */
    int64_t expires_at;   /* epoch ms: the session's or the token's end */
};

const char *role_name(int role);     /* "county_admin"; "" for unknown */
const char *role_title_zh(int role); /* 县级管理员 */
int role_parse(const char *name);    /* ROLE_NONE when unknown */
/* Region level (3 county, 4 township, 5 village) a role's scope must have. */
int role_scope_level(int role);

#endif
