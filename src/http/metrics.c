/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/metrics.c -- request counters by route and status and a latency
 * histogram per route, rendered in the Prometheus text format (version 0.0.4). */
#include "core/compat.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "http/http_int.h"

static const int statuses[METRIC_STATUSES - 1] = { 200, 201, 204, 301, 304, 400, 401, 403, 404, 405,
                                                   409, 413, 415, 422, 429, 431, 500, 503, 0 };
static const double bounds_s[METRIC_BUCKETS - 1] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                     0.005,  0.01,    0.025,  0.05,  0.1,
                                                     0.25,   0.5,     1.0 };

void
metrics_init(struct http_metrics *m, size_t nroutes)
{
    m->nroutes = nroutes;
    for (int i = 0; i < METRIC_SHARDS; i++) {
        m->routes[i] = xcalloc(nroutes + 1, sizeof(*m->routes[i]));
        atomic_init(&m->in_flight[i].n, 0);
    }
}

void
metrics_release(struct http_metrics *m)
{
    for (int i = 0; i < METRIC_SHARDS; i++) {
        free(m->routes[i]);
        m->routes[i] = NULL;
    }
}

int
metrics_shard(void)
{
    static _Atomic int next;
    static _Thread_local int shard = -1;

    if (shard < 0)
        shard = atomic_fetch_add(&next, 1) % METRIC_SHARDS;
    return shard;
}

void
metrics_in_flight_add(struct http_metrics *m, int delta)
{
    atomic_fetch_add_explicit(&m->in_flight[metrics_shard()].n, delta, memory_order_relaxed);
}

int64_t
metrics_in_flight(const struct http_metrics *m)
{
    int64_t sum = 0;

    for (int i = 0; i < METRIC_SHARDS; i++)
        sum += atomic_load_explicit(&m->in_flight[i].n, memory_order_relaxed);
    return sum;
}

/* Sum of one counter over the shards. */
#define SHARD_SUM(m, route, field) shard_sum(m, route, offsetof(struct route_metrics, field))

static uint64_t
shard_sum(const struct http_metrics *m, size_t route, size_t offset)
{
    uint64_t sum = 0;

    for (int i = 0; i < METRIC_SHARDS; i++) {
        const char *base = (const char *)&m->routes[i][route];

        sum += atomic_load_explicit((const _Atomic uint64_t *)(const void *)(base + offset),
                                    memory_order_relaxed);
    }
    return sum;
}

static int
status_slot(int status)
{
    for (int i = 0; i < METRIC_STATUSES - 1 && statuses[i]; i++)
        if (statuses[i] == status)
            return i;
    return METRIC_STATUSES - 1;
}

void
metrics_observe(struct http_metrics *m, int route, int status, int64_t micros)
{
    struct route_metrics *r = &m->routes[metrics_shard()][route < 0 ? m->nroutes : (size_t)route];
    int b = 0;

    while (b < METRIC_BUCKETS - 1 && (double)micros > bounds_s[b] * 1e6)
        b++;
    atomic_fetch_add_explicit(&r->by_status[status_slot(status)], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->latency_us_sum, (uint64_t)(micros < 0 ? 0 : micros),
                              memory_order_relaxed);
}

static void
label(struct sbuf *out, const struct http_route *routes, size_t i, size_t n)
{
    if (i == n)
        sbuf_adds(out, "route=\"unmatched\"");
    else
        sbuf_addf(out, "method=\"%s\",route=\"%s\"", http_method_name(routes[i].method),
                  routes[i].pattern);
}

static void
render_counts(const struct http_metrics *m, const struct http_route *routes, struct sbuf *out)
{
    sbuf_adds(out, "# HELP xiangzhi_http_requests_total HTTP requests by route and status.\n"
                   "# TYPE xiangzhi_http_requests_total counter\n");
    for (size_t i = 0; i <= m->nroutes; i++) {
        for (int s = 0; s < METRIC_STATUSES; s++) {
            uint64_t v = SHARD_SUM(m, i, by_status[s]);

            if (!v)
                continue;
            sbuf_adds(out, "xiangzhi_http_requests_total{");
            label(out, routes, i, m->nroutes);
            if (s == METRIC_STATUSES - 1 || !statuses[s])
                sbuf_addf(out, ",status=\"other\"} %" PRIu64 "\n", v);
            else
                sbuf_addf(out, ",status=\"%d\"} %" PRIu64 "\n", statuses[s], v);
        }
    }
}

static void
render_latency(const struct http_metrics *m, const struct http_route *routes, struct sbuf *out)
{
    sbuf_adds(out, "# HELP xiangzhi_http_request_duration_seconds Time from request to "
                   "response queued.\n"
                   "# TYPE xiangzhi_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= m->nroutes; i++) {
        uint64_t cum = 0;

        for (int b = 0; b < METRIC_BUCKETS; b++)
            cum += SHARD_SUM(m, i, latency[b]);
        if (!cum)
            continue;
        cum = 0;
        for (int b = 0; b < METRIC_BUCKETS; b++) {
            cum += SHARD_SUM(m, i, latency[b]);
            sbuf_adds(out, "xiangzhi_http_request_duration_seconds_bucket{");
            label(out, routes, i, m->nroutes);
            if (b < METRIC_BUCKETS - 1)
                sbuf_addf(out, ",le=\"%g\"} %" PRIu64 "\n", bounds_s[b], cum);
            else
                sbuf_addf(out, ",le=\"+Inf\"} %" PRIu64 "\n", cum);
        }
        sbuf_adds(out, "xiangzhi_http_request_duration_seconds_sum{");
        label(out, routes, i, m->nroutes);
        sbuf_addf(out, "} %.6f\n", (double)SHARD_SUM(m, i, latency_us_sum) / 1e6);
        sbuf_adds(out, "xiangzhi_http_request_duration_seconds_count{");
        label(out, routes, i, m->nroutes);
        sbuf_addf(out, "} %" PRIu64 "\n", cum);
    }
}

void
metrics_render(const struct http_metrics *m, const struct http_route *routes, struct sbuf *out)
{
    render_counts(m, routes, out);
    render_latency(m, routes, out);
    sbuf_addf(out,
              "# HELP xiangzhi_http_in_flight Requests being handled now.\n"
              "# TYPE xiangzhi_http_in_flight gauge\nxiangzhi_http_in_flight %" PRId64 "\n",
              metrics_in_flight(m));
}
