/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/tasks.h -- long jobs (imports) that a client follows by polling: a
 * small in-memory table of tasks, each with its owner, progress and result. A
 * task lives in this process only; if the server restarts, a running import is
 * simply not committed (it commits in one transaction at its end). */
#ifndef API_TASKS_H
#define API_TASKS_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/registry/transfer.h"

enum task_state { TASK_RUNNING, TASK_DONE, TASK_FAILED };

struct task;

/* A new running task for 'owner'; NULL with ERR_BUSY when every slot holds a
 * running task. Finished tasks are recycled oldest first. */
struct task *task_new(int64_t owner, const char *kind, struct err *err);
int64_t task_id(const struct task *t);
struct import_progress *task_progress(struct task *t);
/* Finish: 'result' (stolen) is what the client gets. */
void task_finish(struct task *t, enum task_state state, json_t *result);
/* The task as JSON for its owner, or NULL when there is no such task of theirs. */
json_t *task_json(int64_t id, int64_t owner);

#endif
