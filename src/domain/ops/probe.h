/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/ops/probe.h -- the write probe: an operator (or a load balancer, or
 * the crash test) records a small row through the group-commit writer and gets
 * its id back only after the commit. It proves end to end that the platform
 * accepts durable writes, and lets anyone check later that an acknowledged write
 * is still there. Each probe is a leaf of the verifiable log (kind ops.probe),
 * committed with it. */
#ifndef DOMAIN_OPS_PROBE_H
#define DOMAIN_OPS_PROBE_H

#include <stdint.h>

#include "core/err.h"
#include "store/writer.h"

struct db;
struct db_conn;

#define PROBE_NOTE_CHARS 200

struct probe {
    int64_t id;                          /* set by the store */
    int64_t created_at;                  /* epoch ms, set by the store */
    char request_id[32];                 /* the request that wrote it */
    char note[PROBE_NOTE_CHARS * 4 + 1]; /* UTF-8, at most PROBE_NOTE_CHARS characters */
    int64_t tlog_index;                  /* its leaf in the verifiable log; -1 for
                                          * probes written before the log existed */
};

/* Queue 'p' (note and request_id filled in) for the writer. On commit 'p' gets
 * its id and created_at and 'done' runs with rc 0. 'p' must live until 'done'. */
int probe_submit(struct writer *w, struct probe *p, writer_done_fn done, void *arg,
                 struct err *err);

/* Read probe 'id' into *out: ERR_NOT_FOUND when absent. */
int probe_get(struct db *db, int64_t id, struct probe *out, struct err *err);

/* Every logged probe against the leaf it committed with, and no probe leaf
 * without its probe (`xiangzhi verify log`). Returns 0 when all agree, 1 with
 * 'problem' describing the first disagreement, -ERR_* if it could not check. */
int probe_check_log(struct db_conn *c, int64_t *checked, char *problem, size_t psize,
                    struct err *err);

/* How many probes are stored. */
int probe_count(struct db *db, int64_t *out, struct err *err);

#endif
