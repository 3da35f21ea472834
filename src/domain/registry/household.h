/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/household.h -- households (户) and persons (DOMAIN.md §1).
 * Every function checks the caller's scope through the permission table: an
 * object outside the caller's scope is reported as not found, a visible object
 * the caller may not change as forbidden. ID numbers and phones are stored only
 * encrypted (crypto_seal), found by keyed hash and shown by mask; the one way to
 * see a plain value is person_reveal, which needs a purpose and is audited in the
 * same transaction. Every change is audited in its own transaction. Functions
 * documented as jobs run inside the writer's transaction. */
#ifndef DOMAIN_REGISTRY_HOUSEHOLD_H
#define DOMAIN_REGISTRY_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/err.h"
#include "domain/auth/actor.h"

struct db_conn;
struct principal;

struct household {
    int64_t id;
    char village_code[13];
    int64_t group_id; /* 0 = none */
    char household_no[33];
    char address[400];
    int64_t head_person_id; /* 0 = none yet */
    char status[12];        /* active, moved_out, dissolved */
    int64_t version;        /* for optimistic updates */
    int64_t created_at;
    int64_t updated_at;
    /* Counts changes to the members, kept by the database itself (migration
     * 0004): the members are the same whenever (id, created_at,
     * members_version) are, so a rendering of them may be reused. */
    int64_t members_version;
};

struct person {
    int64_t id;
    int64_t household_id;
    char village_code[13];
    char name[100];
    char sex[2]; /* "M" / "F" */
    char birth_date[11];
    char relation[40]; /* 户主 配偶 子女 ... */
    char id_mask[19];  /* 410183********1234 */
    char phone_mask[12];
    int64_t flags;
    char status[12];
    int64_t version;
};

/* Input for a new or changed person; id_number and phone are validated here. */
struct person_input {
    char name[100];
    char relation[40];
    char id_number[24]; /* as typed; "" when unknown (then sex and birth_date are needed) */
    char sex[2];
    char birth_date[11];
    char phone[24]; /* as typed; "" for none */
    int64_t flags;
};

/* Jobs. */
int household_create(struct db_conn *c, const struct actor *a, struct household *h,
                     struct err *err);
/* Change address, group and household number; 'h->version' must match (else ERR_CONFLICT). */
int household_update(struct db_conn *c, const struct actor *a, struct household *h,
                     struct err *err);
/* Move to another village (both in the caller's scope); the history is kept.
 * Household numbers are per village: 'new_no' gives the number in the new
 * village (NULL or "" keeps the old one, which must then be free there). */
int household_move(struct db_conn *c, const struct actor *a, int64_t id, const char *to_village,
                   const char *new_no, const char *reason, struct household *out, struct err *err);
int person_add(struct db_conn *c, const struct actor *a, int64_t household_id,
               const struct person_input *in, struct person *out, struct err *err);
/* Change a person's name, relation, phone ("" keeps it, "-" removes it), flags
 * and status (active, moved_out, deceased); 'version' must match. */
int person_update(struct db_conn *c, const struct actor *a, int64_t person_id, int64_t version,
                  const struct person_input *in, const char *status, struct person *out,
                  struct err *err);
/* Reveal a person's "id_number" or "phone" for 'purpose' (5-200 characters); audited. */
int person_reveal(struct db_conn *c, const struct actor *a, int64_t person_id, const char *field,
                  const char *purpose, char *out, size_t out_size, struct err *err);

/* Reads. */
int household_get(struct db_conn *c, const struct actor *a, int64_t id, struct household *out,
                  struct err *err);
/* Members of household 'h' (as household_get or household_list returned it,
 * so already scope-checked; checked again in memory); *out malloc'd. */
int household_members(struct db_conn *c, const struct actor *a, const struct household *h,
                      struct person **out, size_t *n, struct err *err);

struct household_filter {
    const char *region;    /* a region code: households in it (must be in scope); NULL = all */
    const char *name;      /* households with a member whose name starts with this; NULL */
    const char *id_number; /* exact ID number of a member; NULL */
    int64_t after_id;      /* paging: ids greater than this */
    int limit;             /* 1..200 */
};

/* Households the caller may read matching 'f', ordered by id; *out malloc'd. */
int household_list(struct db_conn *c, const struct actor *a, const struct household_filter *f,
                   struct household **out, size_t *n, struct err *err);

/* A person as a list shows it: with the household's number. */
struct person_row {
    struct person p;
    char household_no[33];
};

/* Persons of the households the caller may read, matching 'f' (region, name
 * prefix, exact ID number), ordered by person id ('after_id' pages by it);
 * *out malloc'd. */
int person_list(struct db_conn *c, const struct actor *a, const struct household_filter *f,
                struct person_row **out, size_t *n, struct err *err);

#endif
