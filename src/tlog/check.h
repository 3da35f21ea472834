/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/check.h -- checking a whole stored log from its entries: every leaf
 * hash and every stored subtree hash recomputed, no hash row too many, every
 * kept checkpoint signed by the log's key with the root its size has; and a
 * leaf's entry against the record it commits to. `xiangzhi verify log` runs
 * these with each module's own record check. */
#ifndef TLOG_CHECK_H
#define TLOG_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "tlog/note.h"
#include "tlog/tlog.h"

struct db_conn;

struct tlog_check_report {
    uint64_t leaves;      /* entries checked */
    uint64_t hashes;      /* stored hashes checked */
    uint64_t checkpoints; /* checkpoints checked */
    char problem[256];    /* the first disagreement, "" if none */
};

/* Called every 65,536 leaves with the count so far (may be NULL). */
typedef void (*tlog_progress_fn)(uint64_t done, uint64_t total, void *arg);

/* Check the log on 'c' (one read transaction). Returns 0 when all agrees, 1
 * when something disagrees (described in r->problem), -ERR_* when the check
 * could not run. */
int tlog_check(struct db_conn *c, const struct tlog_vkey *key, struct tlog_check_report *r,
               tlog_progress_fn progress, void *arg, struct err *err);

/* Does 'entry' (a leaf, tlog.h v1) name 'kind' and 'ref' and commit, with
 * 'salt', to exactly 'record'? */
bool tlog_entry_commits_to(const char *entry, size_t len, const unsigned char salt[TLOG_SALT_BYTES],
                           const char *kind, const char *ref, const void *record,
                           size_t record_len);

#endif
