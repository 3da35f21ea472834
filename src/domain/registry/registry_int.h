/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/registry_int.h -- shared inside the registry module. */
#ifndef DOMAIN_REGISTRY_INT_H
#define DOMAIN_REGISTRY_INT_H

#include "domain/registry/household.h"

struct db_stmt;

/* The columns every household query selects, and the reader for them. */
#define HH_FIELDS                                                                                  \
    "id, village_code, group_id, household_no, address, head_person_id, status, version,"          \
    " created_at, updated_at, members_version"
#define HH_COLUMNS "SELECT " HH_FIELDS " FROM households "
void registry_read_household(struct db_stmt *s, struct household *h);
/* The columns every person query selects (in this order, any table alias
 * prefixed by the caller's SQL), and the reader for them. */
#define PERSON_FIELDS                                                                              \
    "id, household_id, village_code, name, sex, birth_date, relation, id_mask, phone_mask, flags," \
    " status, version"
void registry_read_person(struct db_stmt *s, struct person *p);

int registry_not_found(struct err *err);
/* Household 'id' if the caller may read it (else ERR_NOT_FOUND) and use 'perm'
 * on it (else ERR_FORBIDDEN). */
int registry_household_for(struct db_conn *c, const struct actor *a, int64_t id, const char *perm,
                           struct household *out, struct err *err);
int registry_audit(struct db_conn *c, const struct actor *a, const char *action, const char *type,
                   int64_t id, const char *region, const char *purpose, struct err *err);

#endif
