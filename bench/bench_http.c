/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_http.c -- the HTTP client and helpers the load generators share
 * (see bench_http.h). One copy, so that bench_points and bench_update load the
 * server the same way and their figures stay comparable. Replies are read
 * without a JSON parser on the hot path: the load generator shares the
 * server's cores on a small machine. */
#include "core/compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "bench_http.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

#define REQ_BUF 4096 /* largest request sent */

/* --- arguments --- */

bool
http_target_parse(struct http_target *t, const char *url)
{
    const char *host = url && strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    const char *colon = host ? strchr(host, ':') : NULL;
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;

    if (!colon || (size_t)(colon - host) >= sizeof(t->host) || port < 1 || port > 65535 ||
        (*end && strcmp(end, "/") != 0)) {
        fprintf(stderr, "%s: --url must look like http://127.0.0.1:8080\n", bench_name);
        return false;
    }
    snprintf(t->host, sizeof(t->host), "%.*s", (int)(colon - host), host);
    t->port = (int)port;
    return true;
}

bool
bench_parse_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v < min || v > max) {
        fprintf(stderr, "%s: %s needs an integer in %ld..%ld\n", bench_name, flag, min, max);
        return false;
    }
    *out = v;
    return true;
}

/* --- HTTP/1.1 over one socket --- */

void
conn_init(struct conn *c, size_t cap)
{
    c->fd = -1;
    c->len = 0;
    c->cap = cap;
    c->buf = xmalloc(cap + 1);
}

void
conn_release(struct conn *c)
{
    conn_close(c);
    free(c->buf);
    c->buf = NULL;
    c->cap = 0;
    c->len = 0;
}

void
conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static int
conn_open(struct conn *c, const struct http_target *t)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)t->port) };
    struct timeval tv = { .tv_sec = t->timeout_s, .tv_usec = 0 };
    int one = 1;

    c->len = 0;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (inet_pton(AF_INET, t->host, &a.sin_addr) == 1 &&
        connect(c->fd, (struct sockaddr *)&a, sizeof(a)) == 0)
        return 0;
    close(c->fd);
    c->fd = -1;
    return -1;
}

static int
send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* True if 'line' (of 'len' bytes) starts with header 'name' (with its colon);
 * *value then points past the colon and any blanks. */
static bool
header_is(const char *line, size_t len, const char *name, const char **value)
{
    size_t n = strlen(name);

    if (len < n || strncasecmp(line, name, n) != 0)
        return false;
    *value = line + n;
    while (*value < line + len && (**value == ' ' || **value == '\t'))
        (*value)++;
    return true;
}

static void
parse_header(const char *line, size_t len, struct reply *r, long *clen)
{
    const char *v;

    if (header_is(line, len, "content-length:", &v))
        *clen = strtol(v, NULL, 10);
    else if (header_is(line, len, "connection:", &v))
        r->close = strncasecmp(v, "close", 5) == 0;
    else if (header_is(line, len, "set-cookie:", &v) && strncmp(v, "xz_session=", 11) == 0) {
        r->cookie = v;
        r->cookie_len = strcspn(v, ";\r");
    }
}

/* Status line and headers in buf[0, head); -1 unless a status below
 * STATUS_SLOTS (the callers count errors by status) and a Content-Length (this
 * server always sends one) are found. */
static int
parse_head(const char *buf, size_t head, struct reply *r, long *clen)
{
    const char *p = buf, *end = buf + head, *eol;

    *clen = -1;
    if (head < 12 || strncmp(buf, "HTTP/1.", 7) != 0)
        return -1;
    r->status = (int)strtol(buf + 9, NULL, 10);
    while (p < end) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            break;
        parse_header(p, (size_t)(eol - p), r, clen);
        p = eol + 1;
    }
    return r->status >= 100 && r->status < STATUS_SLOTS && *clen >= 0 ? 0 : -1;
}

/* Read one whole response. No pipelining, so the response is all there is. */
static int
read_reply(struct conn *c, struct reply *r)
{
    const char *eoh = NULL;
    long clen = -1;
    size_t head = 0;

    c->len = 0;
    while (!eoh || c->len < head + (size_t)clen) {
        ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c->len += (size_t)k;
        if (!eoh && (eoh = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
            head = (size_t)(eoh - c->buf) + 4;
            if (parse_head(c->buf, head, r, &clen) < 0 || head + (size_t)clen > c->cap)
                return -1;
        }
        if (c->len == c->cap && !eoh)
            return -1;
    }
    if (c->len != head + (size_t)clen)
        return -1;
    c->buf[c->len] = '\0';
    r->body = c->buf + head;
    r->body_len = (size_t)clen;
    return 0;
}

int
http_call(struct conn *c, const struct http_target *t, const struct http_req *q, struct reply *r)
{
    char req[REQ_BUF];
    size_t blen = q->body ? strlen(q->body) : 0;
    int n = snprintf(req, sizeof(req),
                     "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Length: %zu\r\n\r\n%s", q->method,
                     q->path, t->host, t->port, q->headers, blen, q->body ? q->body : "");

    *r = (struct reply){ 0 };
    if (n < 0 || (size_t)n >= sizeof(req))
        return -1;
    if (c->fd < 0 && conn_open(c, t) < 0)
        return -1;
    if (send_all(c->fd, req, (size_t)n) < 0 || read_reply(c, r) < 0) {
        conn_close(c);
        *r = (struct reply){ 0 };
        return -1;
    }
    if (r->close)
        conn_close(c); /* the body stays readable in c->buf */
    return 0;
}

/* --- reading replies without a parser --- */

/* The value of top-level member 'key' of a JSON object text: a pointer to its
 * first byte, or NULL. A scan that skips strings and nested values: parsing
 * every reply with jansson cost the load generator about half its CPU per
 * update, CPU taken from the server on a small machine. Where it matters, the
 * programs check what this scan found (bench_update's read-back at the end). */
static const char *
top_level_value(const char *p, const char *end, const char *key)
{
    size_t klen = strlen(key);
    int depth = 0;

    for (; p < end; p++) {
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == '"') {
            const char *s = ++p, *v;

            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            if (p >= end)
                return NULL;
            for (v = p + 1; v < end && *v == ' '; v++)
                continue;
            if (v == end || *v != ':')
                continue; /* a string value, not a key */
            for (v++; v < end && *v == ' '; v++)
                continue;
            if (depth == 1 && (size_t)(p - s) == klen && memcmp(s, key, klen) == 0)
                return v < end ? v : NULL;
        }
    }
    return NULL;
}

int64_t
reply_int(const struct reply *r, const char *key)
{
    const char *v = top_level_value(r->body, r->body + r->body_len, key);

    return v && *v >= '0' && *v <= '9' ? strtoll(v, NULL, 10) : -1;
}

bool
reply_str_is(const struct reply *r, const char *key, const char *want)
{
    const char *v = top_level_value(r->body, r->body + r->body_len, key);
    size_t n = strlen(want);

    return v && *v == '"' && strncmp(v + 1, want, n) == 0 && v[1 + n] == '"';
}

/* --- login --- */

int
session_take(struct session *s, const struct reply *r)
{
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    const char *csrf = json_string_value(json_object_get(j, "csrf_token"));
    int n = -1;

    if (csrf && r->cookie) {
        snprintf(s->get, sizeof(s->get), "Cookie: %.*s\r\n", (int)r->cookie_len, r->cookie);
        n = snprintf(s->post, sizeof(s->post),
                     "Cookie: %.*s\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\n",
                     (int)r->cookie_len, r->cookie, csrf);
    }
    json_decref(j);
    return n > 0 && (size_t)n < sizeof(s->post) ? 0 : -1;
}

int
account_read(const char *file, const char *user, struct account *out)
{
    json_error_t jerr;
    json_t *all = json_load_file(file, 0, &jerr), *a;
    size_t i;
    int rc = -1;

    if (!all)
        fprintf(stderr, "%s: %s: %s\n", bench_name, file, jerr.text);
    json_array_foreach (all, i, a) {
        const char *name = json_string_value(json_object_get(a, "username"));
        const char *p = json_string_value(json_object_get(a, "password"));
        const char *s = json_string_value(json_object_get(a, "scope"));

        if (name && p && strcmp(name, user) == 0 && rc < 0) {
            snprintf(out->scope, sizeof(out->scope), "%s", s ? s : "");
            rc =
                snprintf(out->password, sizeof(out->password), "%s", p) < (int)sizeof(out->password)
                    ? 0
                    : -1;
        }
    }
    json_decref(all);
    if (all && rc < 0)
        fprintf(stderr, "%s: no password for '%s' in %s\n", bench_name, user, file);
    return rc;
}

/* --- measuring --- */

void
lat_add(struct lat *l, int64_t us)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4096;
        l->us = xrealloc(l->us, l->cap * sizeof(*l->us));
    }
    l->us[l->n++] = us > UINT32_MAX ? UINT32_MAX : us < 0 ? 0 : (uint32_t)us;
}

void
lat_append(struct lat *to, const struct lat *from)
{
    if (!from->n)
        return;
    if (to->cap < to->n + from->n) {
        to->cap = to->n + from->n;
        to->us = xrealloc(to->us, to->cap * sizeof(*to->us));
    }
    memcpy(to->us + to->n, from->us, from->n * sizeof(*to->us));
    to->n += from->n;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

void
lat_summarise(struct lat *l, struct lat_stats *st)
{
    double sum = 0;

    *st = (struct lat_stats){ 0 };
    if (!l->n)
        return;
    qsort(l->us, l->n, sizeof(*l->us), cmp_u32);
    for (size_t i = 0; i < l->n; i++)
        sum += l->us[i];
    st->p50_us = l->us[(l->n - 1) / 2];
    st->p99_us = l->us[(size_t)((double)(l->n - 1) * 0.99)];
    st->mean_us = sum / (double)l->n;
}

void
lat_release(struct lat *l)
{
    free(l->us);
    *l = (struct lat){ 0 };
}

int64_t
bench_cpu_us(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

void
bench_errors_add(uint64_t sum[STATUS_SLOTS], const uint32_t errors[STATUS_SLOTS])
{
    for (int s = 0; s < STATUS_SLOTS; s++)
        sum[s] += errors[s];
}

uint64_t
bench_error_summary(const uint64_t errors[STATUS_SLOTS], struct sbuf *sb)
{
    uint64_t total = 0;

    for (int s = 0; s < STATUS_SLOTS; s++) {
        if (errors[s])
            sbuf_addf(sb, "%s%d:%" PRIu64, total ? "," : "", s, errors[s]);
        total += errors[s];
    }
    if (!total)
        sbuf_adds(sb, "none");
    return total;
}
