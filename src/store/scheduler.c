/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/scheduler.c -- see scheduler.h. One thread sleeps on a condition
 * variable until the next job is due or it is told to stop. */
#include "core/compat.h"

#include <pthread.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/scheduler.h"

struct sched_job {
    const char *name;
    int64_t every_ms;
    int64_t due_ms;
    writer_run_fn run;
    void *arg;
};

struct scheduler {
    struct writer *w;
    struct sched_job jobs[SCHEDULER_MAX_JOBS];
    int njobs;
    pthread_t thread;
    bool running;
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

struct scheduler *
scheduler_new(struct writer *w)
{
    struct scheduler *s = xcalloc(1, sizeof(*s));
    pthread_condattr_t ca;

    s->w = w;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}

static int64_t
mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
scheduler_every(struct scheduler *s, const char *name, int seconds, writer_run_fn run, void *arg,
                struct err *err)
{
    if (s->running || s->njobs == SCHEDULER_MAX_JOBS || seconds < 1)
        return err_set(err, ERR_INTERNAL, "", "无法安排定时任务 %s", "cannot schedule job %s",
                       name);
    s->jobs[s->njobs++] = (struct sched_job){ name, (int64_t)seconds * 1000, 0, run, arg };
    return 0;
}

/* Run every due job (unlocked: a job may take a while); the earliest next time. */
static int64_t
run_due(struct scheduler *s)
{
    int64_t now = mono_ms(), next = now + 60000;

    for (int i = 0; i < s->njobs; i++) {
        struct sched_job *j = &s->jobs[i];
        struct err e = ERR_INIT;

        if (j->due_ms <= now) {
            if (writer_call(s->w, j->run, j->arg, &e) < 0 && e.code != ERR_UNAVAILABLE)
                log_warn(NULL, "scheduled job %s failed: %s (%s)", j->name, e.en, e.detail);
            j->due_ms = mono_ms() + j->every_ms;
        }
        if (j->due_ms < next)
            next = j->due_ms;
    }
    return next;
}

static void *
scheduler_main(void *arg)
{
    struct scheduler *s = arg;
    int64_t next;

    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        next = run_due(s);
        pthread_mutex_lock(&s->mu);
        while (!s->stop && mono_ms() < next) {
            struct timespec ts = { next / 1000, (next % 1000) * 1000000 };

            pthread_cond_timedwait(&s->cv, &s->mu, &ts);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int
scheduler_start(struct scheduler *s, struct err *err)
{
    int64_t now = mono_ms();

    for (int i = 0; i < s->njobs; i++)
        s->jobs[i].due_ms = now + s->jobs[i].every_ms;
    if (pthread_create(&s->thread, NULL, scheduler_main, s) != 0)
        return err_set(err, ERR_INTERNAL, "", "无法启动定时任务线程",
                       "cannot start the scheduler thread");
    s->running = true;
    return 0;
}

void
scheduler_free(struct scheduler *s)
{
    if (!s)
        return;
    if (s->running) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
    }
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
