/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/audit/audit.h -- the append-only audit log: every mutation and every
 * reveal of a sensitive value, with who, acting as which role, what, on which
 * object in which place, when, the result, the request id and the stated
 * purpose. Rows are written inside the transaction of the change they record, so
 * there is never a change without its entry. The database refuses UPDATE and
 * DELETE on the table (migration 0003). */
#ifndef DOMAIN_AUDIT_H
#define DOMAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct db_conn;
struct principal;

struct audit_entry {
    const struct principal *who; /* NULL for the system (CLI, scheduler) */
    int role;                    /* enum role the caller acted as */
    const char *action;          /* "household.create", "person.reveal" ... */
    const char *object_type;     /* "household", "person", "user" ... */
    const char *object_id;
    const char *region_code; /* the object's village (or wider) code */
    const char *result;      /* "ok", "denied", "failed" */
    const char *request_id;
    const char *purpose; /* required for reveals */
    const char *detail;  /* short, never a sensitive value */
};

/* Append 'e' in the caller's transaction. NULL strings are stored as "". */
int audit_record(struct db_conn *c, const struct audit_entry *e, struct err *err);

struct audit_row {
    int64_t id;
    int64_t at;
    int64_t user_id;
    char username[40];
    char role[24];
    char action[48];
    char object_type[24];
    char object_id[32];
    char region_code[13];
    char result[8];
    char request_id[24];
    char purpose[400];
    char detail[400];
};

struct audit_query {
    const char *const *scopes; /* region code prefixes the reader may see */
    size_t nscopes;
    const char *object_type; /* NULL = any */
    const char *object_id;   /* NULL = any */
    int64_t before_id;       /* 0 = newest first from the top */
    int limit;               /* 1..200 */
};

/* Newest first. *rows is malloc'd (caller frees), *n its length. */
int audit_list(struct db_conn *c, const struct audit_query *q, struct audit_row **rows, size_t *n,
               struct err *err);

#endif
