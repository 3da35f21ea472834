/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/http_int.h -- private to src/http: metrics storage shared by the server
 * and the Prometheus renderer. Counters are relaxed atomics split into shards, one
 * per I/O thread as far as they go, so threads do not fight over cache lines; a
 * scrape sums the shards and reads a slightly torn but monotone picture. */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "http/http.h"

#define METRIC_STATUSES 20 /* see status_slot() in metrics.c; the last is "other" */
#define METRIC_BUCKETS 14  /* latency buckets, the last is +Inf */

struct route_metrics {
    _Atomic uint64_t by_status[METRIC_STATUSES];
    _Atomic uint64_t latency[METRIC_BUCKETS]; /* not cumulative */
    _Atomic uint64_t latency_us_sum;
};

#define METRIC_SHARDS 8

struct in_flight_shard {
    _Atomic int64_t n; /* may go negative in one shard, the sum never does */
    char pad[64 - sizeof(int64_t)];
};

struct http_metrics {
    size_t nroutes;
    struct route_metrics *routes[METRIC_SHARDS]; /* nroutes + 1 each: last is "unmatched" */
    struct in_flight_shard in_flight[METRIC_SHARDS];
};

/* The calling thread's shard, fixed at its first call. */
int metrics_shard(void);
void metrics_in_flight_add(struct http_metrics *m, int delta);
int64_t metrics_in_flight(const struct http_metrics *m);

void metrics_init(struct http_metrics *m, size_t nroutes);
void metrics_release(struct http_metrics *m);
/* 'route' = -1 for requests that matched no route. */
void metrics_observe(struct http_metrics *m, int route, int status, int64_t micros);
void metrics_render(const struct http_metrics *m, const struct http_route *routes,
                    struct sbuf *out);

/* target.c: the request target as sent ('n' bytes, not NUL-terminated). */
/* Does it hold a control character, raw or percent-encoded? */
bool target_has_control(const char *t, size_t n);
/* Its path (up to '?') for the access log: bytes that are not printable ASCII,
 * space, '"' and '\\' as %XX. */
void target_log_path(struct sbuf *b, const char *t, size_t n);

/* encode.c: gzip and ETags for dynamic answers. */
/* query.c: the route's declared query parameters, each checked; 0 or -ERR_*. */
int query_check(const struct request *req, const struct json_schema *s, struct err *err);
bool encode_worth_gzip(const struct response *res);
/* 'n' bytes of 'in' gzipped, appended to 'out'; -1 when zlib refuses. */
int encode_gzip(const char *in, size_t n, struct sbuf *out);
/* A strong ETag of the body: "<20 hex of its SHA-256>". */
void encode_etag(const char *body, size_t n, char out[24]);

/* response.c */
int response_error_status(struct response *res, const struct request *req, const struct err *e,
                          int status);
#endif
