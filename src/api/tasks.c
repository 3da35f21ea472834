/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/tasks.c -- see tasks.h. */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>

#include "api/tasks.h"
#include "core/clock.h"

#define TASKS_MAX 64

struct task {
    int64_t id; /* 0 = free slot */
    int64_t owner;
    int64_t created_ms;
    char kind[24];
    enum task_state state;
    struct import_progress progress;
    json_t *result;
};

static struct task table[TASKS_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A free slot, else the oldest finished one; NULL if all are running. */
static struct task *
pick_slot(void)
{
    struct task *best = NULL;

    for (int i = 0; i < TASKS_MAX; i++) {
        if (table[i].id == 0)
            return &table[i];
        if (table[i].state != TASK_RUNNING && (!best || table[i].created_ms < best->created_ms))
            best = &table[i];
    }
    return best;
}

struct task *
task_new(int64_t owner, const char *kind, struct err *err)
{
    struct task *t;

    pthread_mutex_lock(&lock);
    t = pick_slot();
    if (t) {
        json_decref(t->result);
        memset(t, 0, sizeof(*t));
        t->id = (int64_t)(randombytes_random() & 0x3fffffff) + 1; /* not guessable in order */
        t->owner = owner;
        t->created_ms = clock_now_ms();
        snprintf(t->kind, sizeof(t->kind), "%s", kind);
        t->state = TASK_RUNNING;
    }
    pthread_mutex_unlock(&lock);
    if (!t)
        err_set(err, ERR_BUSY, NULL, "同时进行的任务过多,请稍后再试",
                "too many jobs are running; try again shortly");
    return t;
}

int64_t
task_id(const struct task *t)
{
    return t->id;
}

struct import_progress *
task_progress(struct task *t)
{
    return &t->progress;
}

void
task_finish(struct task *t, enum task_state state, json_t *result)
{
    pthread_mutex_lock(&lock);
    t->state = state;
    t->result = result;
    pthread_mutex_unlock(&lock);
}

json_t *
task_json(int64_t id, int64_t owner)
{
    static const char *states[] = { "running", "done", "failed" };
    json_t *o = NULL;

    pthread_mutex_lock(&lock);
    for (int i = 0; i < TASKS_MAX; i++) {
        struct task *t = &table[i];

        if (t->id != id || t->owner != owner)
            continue;
        o = json_pack("{s:I, s:s, s:s, s:I, s:{s:i, s:i}}", "id", (json_int_t)t->id, "kind",
                      t->kind, "state", states[t->state], "created_at", (json_int_t)t->created_ms,
                      "progress", "total", atomic_load(&t->progress.total), "done",
                      atomic_load(&t->progress.done));
        if (t->result)
            json_object_set(o, "result", t->result);
        break;
    }
    pthread_mutex_unlock(&lock);
    return o;
}
