/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/workpool.c -- see workpool.h. A fixed ring of tasks under one mutex. */
#include "core/compat.h"

#include <pthread.h>

#include "core/workpool.h"
#include "core/xalloc.h"

struct task {
    workpool_fn fn;
    void *arg;
};

struct workpool {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct task *ring;
    int queue_max, head, count, nthreads;
    bool stopping;
    pthread_t *threads;
};

static void *
worker(void *arg)
{
    struct workpool *p = arg;
    struct task t;

    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->count == 0 && !p->stopping)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->count == 0) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        t = p->ring[p->head];
        p->head = (p->head + 1) % p->queue_max;
        p->count--;
        pthread_mutex_unlock(&p->lock);
        t.fn(t.arg);
    }
}

int
workpool_start(int threads, int queue_max, struct workpool **out, struct err *err)
{
    struct workpool *p = xcalloc(1, sizeof(*p));

    p->queue_max = queue_max > 0 ? queue_max : 1;
    p->ring = xcalloc((size_t)p->queue_max, sizeof(*p->ring));
    p->threads = xcalloc((size_t)(threads > 0 ? threads : 1), sizeof(*p->threads));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    for (p->nthreads = 0; p->nthreads < (threads > 0 ? threads : 1); p->nthreads++) {
        if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0) {
            workpool_stop(p);
            return err_set(err, ERR_INTERNAL, NULL, "无法启动工作线程",
                           "cannot start worker threads");
        }
    }
    *out = p;
    return 0;
}

int
workpool_submit(struct workpool *p, workpool_fn fn, void *arg, struct err *err)
{
    int rc = 0;

    pthread_mutex_lock(&p->lock);
    if (p->stopping)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "服务正在停止", "the server is shutting down");
    else if (p->count == p->queue_max)
        rc = err_code_set(err, ERR_BUSY, NULL);
    if (rc == 0) {
        p->ring[(p->head + p->count) % p->queue_max] = (struct task){ fn, arg };
        p->count++;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void
workpool_stop(struct workpool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->threads);
    free(p->ring);
    free(p);
}
