/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/alerts.h -- the inbox: alerts the workflows send
 * (workflow.h: a step's notice, a time limit's warning, a record gone late),
 * each addressed to roles in a region. A caller sees an alert when one of
 * their roles is addressed and that role's scope holds the alert's region: a
 * township's staff see what is late in every village of the township. Each
 * reader marks their own alerts read. */
#ifndef DOMAIN_WORKFLOW_ALERTS_H
#define DOMAIN_WORKFLOW_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/auth/actor.h"

struct db_conn;

struct alert {
    int64_t id;
    char module[32];
    char thing[32];
    int64_t object_id;
    char region[13];
    char region_name[100]; /* the village's name */
    char kind[12];         /* notice, warning, late */
    char title_zh[200];
    char title_en[200];
    int64_t created_at;
    int64_t due_at; /* 0: none */
    bool read;
};

/* The caller's alerts, newest first, older than 'before' (0: the newest),
 * at most 'limit' (1..200), only the unread ones if asked; *out malloc'd (the
 * caller frees it), *n of them. */
int alerts_list(struct db_conn *c, const struct actor *a, bool unread_only, int64_t before,
                int limit, struct alert **out, size_t *n, struct err *err);
/* How many of the caller's alerts are unread. */
int alerts_unread(struct db_conn *c, const struct actor *a, int64_t *count, struct err *err);
/* Mark one of the caller's alerts read (ERR_NOT_FOUND for one not theirs), or
 * all of them when 'id' is 0. A job. */
int alerts_mark_read(struct db_conn *c, const struct actor *a, int64_t id, struct err *err);

#endif
