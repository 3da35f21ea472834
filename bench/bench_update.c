/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_update.c -- durable household updates over HTTP (issue #3).
 * Logs in once, in main, and shares the session cookie and CSRF token with N
 * client threads, each on its own keep-alive connection. Client i owns household
 * first_id + i: it reads the version once, then loops PUT /api/v1/households/{id}
 * for S seconds, taking the next version from each 200. The server answers a PUT
 * only after the commit that carried it, so every 200 is a durable, acknowledged
 * update. Afterwards each household is read back: its version must have grown by
 * exactly the updates acknowledged, else the run fails (verified=no). Prints one
 * line of key=value. Plain sockets and jansson; no HTTP library. */
#include "core/compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "core/clock.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

#define MAX_CLIENTS 1024
#define CONN_BUF 65536   /* largest response accepted, headers included */
#define REQ_BUF 4096     /* largest request sent */
#define STATUS_SLOTS 600 /* per-status error counters; slot 0 = transport error */
#define RECV_TIMEOUT_S 30

static const char usage[] =
    "usage: bench_update --url http://HOST:PORT [--clients N] [--seconds S]\n"
    "                    [--user NAME] (--password P | --accounts FILE) [--first-id ID]\n"
    "  Logs in as NAME (default admin; FILE is the demo's demo-accounts.json) and\n"
    "  has N clients update households ID..ID+N-1 for S seconds.\n"
    "  Defaults: 1 client, 5 seconds, first id 1.\n";

struct bench_opts {
    char host[64];        /* IPv4 literal */
    int port;             /* TCP port */
    const char *user;     /* account to log in as */
    const char *password; /* its password, or NULL to read it from 'accounts' */
    const char *accounts; /* demo-accounts.json, or NULL */
    long clients;         /* client threads */
    long seconds;         /* measured run length */
    long first_id;        /* household of client 0 */
};

/* What every client shares: read-only once the clients start, except 'stop'. */
struct bench {
    const struct bench_opts *o;
    char get_headers[512]; /* "Cookie: ...\r\n" */
    char put_headers[768]; /* cookie, X-CSRF-Token and Content-Type lines */
    pthread_barrier_t start;
    atomic_bool stop;
};

/* One keep-alive connection and its receive buffer. */
struct conn {
    int fd;                 /* -1 while closed */
    size_t len;             /* bytes in buf */
    char buf[CONN_BUF + 1]; /* +1 for the NUL after a body */
};

/* A parsed response; body and cookie are borrowed from the conn, valid until
 * its next request. */
struct reply {
    int status;         /* HTTP status, 0 on a transport error */
    bool close;         /* the server will close the connection */
    const char *body;   /* NUL-terminated */
    size_t body_len;    /* bytes */
    const char *cookie; /* "xz_session=..." value start in a Set-Cookie line, or NULL */
    size_t cookie_len;  /* bytes up to the ';' */
};

struct client {
    struct bench *b;
    pthread_t thread;
    int64_t id;                    /* the household this client owns */
    char no_json[128];             /* its household_no as a JSON string, sent back unchanged */
    int64_t version;               /* the version the next PUT names */
    int64_t first_version;         /* read before the run */
    int64_t final_version;         /* read after the run; -1 if unknown */
    int64_t end_us;                /* monotonic time the last PUT was answered */
    bool broken;                   /* the first read failed; the client did nothing */
    uint64_t ok;                   /* updates acknowledged with 200 */
    uint64_t unadvanced;           /* 200s whose version was not the one sent plus 1 */
    uint32_t errors[STATUS_SLOTS]; /* failed PUTs by status; [0] transport errors */
    uint32_t *lat_us;              /* latency of each PUT answered, microseconds */
    size_t nlat;                   /* entries used in lat_us */
    size_t lat_cap;                /* entries allocated */
    struct conn conn;
};

/* --- HTTP/1.1 over one socket --- */

static int
conn_open(struct conn *c, const struct bench_opts *o)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
    struct timeval tv = { .tv_sec = RECV_TIMEOUT_S, .tv_usec = 0 };
    int one = 1;

    c->len = 0;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (inet_pton(AF_INET, o->host, &a.sin_addr) == 1 &&
        connect(c->fd, (struct sockaddr *)&a, sizeof(a)) == 0)
        return 0;
    close(c->fd);
    c->fd = -1;
    return -1;
}

static void
conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
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

/* Status line and headers in buf[0, head); -1 unless a status and a
 * Content-Length (this server always sends one) are found. */
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
        ssize_t k = recv(c->fd, c->buf + c->len, CONN_BUF - c->len, 0);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c->len += (size_t)k;
        if (!eoh && (eoh = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
            head = (size_t)(eoh - c->buf) + 4;
            if (parse_head(c->buf, head, r, &clen) < 0 || head + (size_t)clen > CONN_BUF)
                return -1;
        }
        if (c->len == CONN_BUF && !eoh)
            return -1;
    }
    if (c->len != head + (size_t)clen)
        return -1;
    c->buf[c->len] = '\0';
    r->body = c->buf + head;
    r->body_len = (size_t)clen;
    return 0;
}

/* What to send; 'headers' are whole lines, each ending in CRLF. */
struct http_req {
    const char *method;
    const char *path;
    const char *headers;
    const char *body; /* NULL for none */
};

/* One request and its response, opening the connection if needed. Returns 0,
 * or -1 on a transport or protocol failure: the connection is then closed (the
 * next call reconnects) and r->status is 0. */
static int
http_call(struct conn *c, const struct bench_opts *o, const struct http_req *q, struct reply *r)
{
    char req[REQ_BUF];
    size_t blen = q->body ? strlen(q->body) : 0;
    int n = snprintf(req, sizeof(req),
                     "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Length: %zu\r\n\r\n%s", q->method,
                     q->path, o->host, o->port, q->headers, blen, q->body ? q->body : "");

    *r = (struct reply){ 0 };
    if (n < 0 || (size_t)n >= sizeof(req))
        return -1;
    if (c->fd < 0 && conn_open(c, o) < 0)
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

/* --- one client --- */

/* After a closing quote: for a key, its value if a whole number, else -1;
 * -2 if the string was not a key (no ':' follows). */
static int64_t
key_int(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    if (p == end || *p != ':')
        return -2;
    for (p++; p < end && *p == ' '; p++)
        continue;
    return p < end && *p >= '0' && *p <= '9' ? strtoll(p, NULL, 10) : -1;
}

/* The integer member 'key' of the top-level object of a JSON text; -1 if it
 * has none. A scan that skips strings and nested values: parsing the whole
 * reply with jansson cost the load generator about half its CPU per update,
 * CPU taken from the server on a small machine. fetch() still parses fully, and
 * the read-back at the end checks what this scan found. */
static int64_t
top_level_int(const char *p, const char *end, const char *key)
{
    size_t klen = strlen(key);
    int depth = 0;

    for (; p < end; p++) {
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == '"') {
            const char *s = ++p;

            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            if (p >= end)
                return -1;
            if (depth == 1 && (size_t)(p - s) == klen && memcmp(s, key, klen) == 0 &&
                key_int(p + 1, end) != -2)
                return key_int(p + 1, end);
        }
    }
    return -1;
}

/* GET the client's household: its version, and its number as a JSON literal. */
static int
fetch(struct client *cl, int64_t *version)
{
    char path[64];
    struct http_req q = { "GET", path, cl->b->get_headers, NULL };
    struct sbuf no = SBUF_INIT;
    struct reply r;
    json_t *j = NULL;
    const char *s;

    snprintf(path, sizeof(path), "/api/v1/households/%" PRId64, cl->id);
    if (http_call(&cl->conn, cl->b->o, &q, &r) < 0 || r.status != 200)
        return -1;
    j = json_loadb(r.body, r.body_len, 0, NULL);
    *version = json_is_integer(json_object_get(j, "version"))
                   ? (int64_t)json_integer_value(json_object_get(j, "version"))
                   : -1;
    s = json_string_value(json_object_get(j, "household_no"));
    if (s)
        sbuf_add_json_str(&no, s);
    snprintf(cl->no_json, sizeof(cl->no_json), "%s", no.buf);
    sbuf_release(&no);
    json_decref(j);
    return *version >= 0 && s ? 0 : -1;
}

static void
record_latency(struct client *cl, int64_t us)
{
    if (cl->nlat == cl->lat_cap) {
        cl->lat_cap = cl->lat_cap ? cl->lat_cap * 2 : 4096;
        cl->lat_us = xrealloc(cl->lat_us, cl->lat_cap * sizeof(*cl->lat_us));
    }
    cl->lat_us[cl->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* One PUT naming the version last seen. A 200 must carry the next version; a
 * 409 (nobody else writes this household, so it should not happen) re-reads. */
static void
one_update(struct client *cl, uint64_t seq)
{
    char path[64], body[256];
    struct http_req q = { "PUT", path, cl->b->put_headers, body };
    struct reply r;
    int64_t t0, v;

    snprintf(path, sizeof(path), "/api/v1/households/%" PRId64, cl->id);
    snprintf(body, sizeof(body),
             "{\"household_no\":%s,\"address\":\"bench %" PRId64 " #%" PRIu64
             "\",\"version\":%" PRId64 "}",
             cl->no_json, cl->id, seq, cl->version);
    t0 = clock_mono_us();
    http_call(&cl->conn, cl->b->o, &q, &r);
    if (r.status)
        record_latency(cl, clock_mono_us() - t0);
    v = r.status == 200 ? top_level_int(r.body, r.body + r.body_len, "version") : -1;
    if (v >= 0) {
        cl->ok++;
        cl->unadvanced += v != cl->version + 1;
        cl->version = v;
        return;
    }
    cl->errors[r.status]++; /* a 200 without a version counts under 200 */
    if (r.status == 409)
        fetch(cl, &cl->version);
}

static void *
client_main(void *arg)
{
    struct client *cl = arg;
    struct bench *b = cl->b;
    uint64_t seq = 0;
    int64_t v;

    cl->conn.fd = -1;
    cl->broken = fetch(cl, &cl->first_version) < 0;
    cl->version = cl->first_version;
    pthread_barrier_wait(&b->start);
    while (!cl->broken && !atomic_load_explicit(&b->stop, memory_order_relaxed))
        one_update(cl, ++seq);
    cl->end_us = clock_mono_us();
    cl->final_version = !cl->broken && fetch(cl, &v) == 0 ? v : -1;
    conn_close(&cl->conn);
    return NULL;
}

/* --- setup: credentials, login, arguments --- */

/* The password of 'user' in the demo's accounts file into 'out'. */
static int
read_password(const char *file, const char *user, char *out, size_t size)
{
    json_error_t jerr;
    json_t *all = json_load_file(file, 0, &jerr), *a;
    size_t i;
    int rc = -1;

    if (!all)
        fprintf(stderr, "bench_update: %s: %s\n", file, jerr.text);
    json_array_foreach (all, i, a) {
        const char *name = json_string_value(json_object_get(a, "username"));
        const char *pw = json_string_value(json_object_get(a, "password"));

        if (name && pw && strcmp(name, user) == 0 && rc < 0)
            rc = snprintf(out, size, "%s", pw) < (int)size ? 0 : -1;
    }
    json_decref(all);
    if (all && rc < 0)
        fprintf(stderr, "bench_update: no password for '%s' in %s\n", user, file);
    return rc;
}

/* The session cookie and CSRF token from a 201 login reply into the shared headers. */
static int
take_session(struct bench *b, const struct reply *r)
{
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    const char *csrf = json_string_value(json_object_get(j, "csrf_token"));
    int n = -1;

    if (csrf && r->cookie) {
        snprintf(b->get_headers, sizeof(b->get_headers), "Cookie: %.*s\r\n", (int)r->cookie_len,
                 r->cookie);
        n = snprintf(b->put_headers, sizeof(b->put_headers),
                     "Cookie: %.*s\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\n",
                     (int)r->cookie_len, r->cookie, csrf);
    }
    json_decref(j);
    return n > 0 && (size_t)n < sizeof(b->put_headers) ? 0 : -1;
}

static int
login(struct bench *b, const char *password)
{
    struct conn *c = xmalloc(sizeof(*c));
    json_t *cred = json_pack("{s:s, s:s}", "username", b->o->user, "password", password);
    char *body = json_dumps(cred, JSON_COMPACT);
    struct http_req q = { "POST", "/api/v1/session", "Content-Type: application/json\r\n", body };
    struct reply r;
    int rc = -1;

    c->fd = -1;
    if (http_call(c, b->o, &q, &r) < 0)
        fprintf(stderr, "bench_update: login: no answer from %s:%d\n", b->o->host, b->o->port);
    else if (r.status != 201)
        fprintf(stderr, "bench_update: login as %s: HTTP %d %.*s\n", b->o->user, r.status,
                (int)(r.body_len > 300 ? 300 : r.body_len), r.body);
    else if (take_session(b, &r) < 0)
        fprintf(stderr, "bench_update: login reply has no session cookie or csrf_token\n");
    else
        rc = 0;
    conn_close(c);
    free(c);
    free(body);
    json_decref(cred);
    return rc;
}

/* "http://A.B.C.D:PORT" (an IPv4 literal; loopback is the point) into o. */
static bool
parse_url(struct bench_opts *o, const char *url)
{
    const char *host = url && strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    const char *colon = host ? strchr(host, ':') : NULL;
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;

    if (!colon || (size_t)(colon - host) >= sizeof(o->host) || port < 1 || port > 65535 ||
        (*end && strcmp(end, "/") != 0)) {
        fprintf(stderr, "bench_update: --url must look like http://127.0.0.1:8080\n");
        return false;
    }
    snprintf(o->host, sizeof(o->host), "%.*s", (int)(colon - host), host);
    o->port = (int)port;
    return true;
}

/* A whole number in [min, max] into *out; false (with a message) otherwise. */
static bool
parse_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v < min || v > max) {
        fprintf(stderr, "bench_update: %s needs an integer in %ld..%ld\n", flag, min, max);
        return false;
    }
    *out = v;
    return true;
}

/* One flag and its value; false on an unknown flag or a bad value. */
static bool
parse_flag(struct bench_opts *o, const char *flag, const char *val)
{
    if (strcmp(flag, "--url") == 0)
        return parse_url(o, val);
    if (strcmp(flag, "--clients") == 0)
        return parse_long(flag, val, 1, MAX_CLIENTS, &o->clients);
    if (strcmp(flag, "--seconds") == 0)
        return parse_long(flag, val, 1, 3600, &o->seconds);
    if (strcmp(flag, "--first-id") == 0)
        return parse_long(flag, val, 1, INT32_MAX, &o->first_id);
    if (val && strcmp(flag, "--user") == 0)
        o->user = val;
    else if (val && strcmp(flag, "--password") == 0)
        o->password = val;
    else if (val && strcmp(flag, "--accounts") == 0)
        o->accounts = val;
    else {
        fprintf(stderr, "bench_update: unknown or incomplete option '%s'\n%s", flag, usage);
        return false;
    }
    return true;
}

static bool
parse_args(int argc, char **argv, struct bench_opts *o)
{
    *o = (struct bench_opts){ .user = "admin", .clients = 1, .seconds = 5, .first_id = 1 };
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        }
        if (!parse_flag(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
            return false;
    }
    if (!o->port || (!o->password && !o->accounts)) {
        fprintf(stderr, "bench_update: --url and --password or --accounts are required\n%s", usage);
        return false;
    }
    return true;
}

/* --- the run --- */

/* Start the clients, let them all read their household, then time S seconds of
 * updates. Returns the microseconds from the start to the last PUT answered. */
static int64_t
drive(struct bench *b, struct client *cs)
{
    long n = b->o->clients;
    struct timespec ts = { .tv_sec = b->o->seconds, .tv_nsec = 0 };
    int64_t t0, end = 0;

    pthread_barrier_init(&b->start, NULL, (unsigned)n + 1);
    for (long i = 0; i < n; i++) {
        cs[i].b = b;
        cs[i].id = b->o->first_id + i;
        if (pthread_create(&cs[i].thread, NULL, client_main, &cs[i]) != 0) {
            fprintf(stderr, "bench_update: cannot start client %ld\n", i + 1);
            exit(1); /* the others wait at the barrier for it */
        }
    }
    pthread_barrier_wait(&b->start);
    t0 = clock_mono_us();
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
    atomic_store(&b->stop, true);
    for (long i = 0; i < n; i++) {
        pthread_join(cs[i].thread, NULL);
        end = cs[i].end_us > end ? cs[i].end_us : end;
    }
    pthread_barrier_destroy(&b->start);
    return end - t0;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Latency quantiles over every client's PUTs: p50, p99 and the mean, in µs. */
static void
latencies(const struct client *cs, long n, double out[3])
{
    size_t total = 0, k = 0;
    uint32_t *all;
    double sum = 0;

    for (long i = 0; i < n; i++)
        total += cs[i].nlat;
    out[0] = out[1] = out[2] = 0;
    if (!total)
        return;
    all = xmalloc(total * sizeof(*all));
    for (long i = 0; i < n; i++) {
        memcpy(all + k, cs[i].lat_us, cs[i].nlat * sizeof(*all));
        k += cs[i].nlat;
    }
    qsort(all, total, sizeof(*all), cmp_u32);
    for (size_t i = 0; i < total; i++)
        sum += all[i];
    out[0] = all[(total - 1) / 2];
    out[1] = all[(size_t)((double)(total - 1) * 0.99)];
    out[2] = sum / (double)total;
    free(all);
}

/* Failed PUTs as "409:3,0:1" (status:count; 0 is a transport error), or "none". */
static uint64_t
error_summary(const struct client *cs, long n, struct sbuf *sb)
{
    uint64_t total = 0;

    for (int s = 0; s < STATUS_SLOTS; s++) {
        uint64_t c = 0;

        for (long i = 0; i < n; i++)
            c += cs[i].errors[s];
        if (c)
            sbuf_addf(sb, "%s%d:%" PRIu64, total ? "," : "", s, c);
        total += c;
    }
    if (!total)
        sbuf_adds(sb, "none");
    return total;
}

/* CPU time (user + system) this process has used, in microseconds. */
static int64_t
self_cpu_us(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

/* Print the key=value line; true when every household's version grew by exactly
 * the updates acknowledged for it and every client ran. 'cpu_us' is the load
 * generator's own CPU time over the run, reported per update. */
static bool
report(const struct bench_opts *o, const struct client *cs, int64_t elapsed_us, int64_t cpu_us)
{
    struct sbuf errs = SBUF_INIT;
    double secs = (double)elapsed_us / 1e6, lat[3];
    uint64_t ok = 0, unadvanced = 0, errors = error_summary(cs, o->clients, &errs);
    long broken = 0, mismatched = 0;

    for (long i = 0; i < o->clients; i++) {
        ok += cs[i].ok;
        unadvanced += cs[i].unadvanced;
        broken += cs[i].broken;
        mismatched +=
            !cs[i].broken && cs[i].final_version - cs[i].first_version != (int64_t)cs[i].ok;
    }
    latencies(cs, o->clients, lat);
    printf("clients=%ld seconds=%.3f updates=%" PRIu64 " updates_per_s=%.1f errors=%" PRIu64
           " error_statuses=%s p50_us=%.0f p99_us=%.0f mean_us=%.0f unadvanced=%" PRIu64
           " broken_clients=%ld mismatched=%ld client_cpu_us_per_update=%.1f verified=%s\n",
           o->clients, secs, ok, secs > 0 ? (double)ok / secs : 0.0, errors, errs.buf, lat[0],
           lat[1], lat[2], unadvanced, broken, mismatched, ok ? (double)cpu_us / (double)ok : 0.0,
           broken || mismatched || unadvanced ? "no" : "yes");
    sbuf_release(&errs);
    return !broken && !mismatched && !unadvanced;
}

int
main(int argc, char **argv)
{
    struct bench_opts o;
    struct bench b = { 0 };
    struct client *cs = NULL;
    char pw[256];
    int64_t cpu, elapsed;
    bool verified;

    if (!parse_args(argc, argv, &o))
        return 2;
    if (!o.password && read_password(o.accounts, o.user, pw, sizeof(pw)) < 0)
        return 1;
    b.o = &o;
    atomic_init(&b.stop, false);
    if (login(&b, o.password ? o.password : pw) < 0)
        return 1;
    cs = xcalloc((size_t)o.clients, sizeof(*cs));
    cpu = self_cpu_us(); /* counts the clients' two reads each, too: a few ms */
    elapsed = drive(&b, cs);
    verified = report(&o, cs, elapsed, self_cpu_us() - cpu);
    if (!verified)
        fprintf(stderr, "bench_update: verification failed: the versions read back do not match"
                        " the updates acknowledged\n");
    for (long i = 0; i < o.clients; i++)
        free(cs[i].lat_us);
    free(cs);
    return verified ? 0 : 1;
}
