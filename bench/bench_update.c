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
    int fd;               /* -1 while closed */
    size_t len;           /* bytes in buf */
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
    int64_t id;             /* the household this client owns */
    char household_no[64];  /* sent back unchanged */
    int64_t version;        /* the version the next PUT names */
    int64_t first_version;  /* read before the run */
    int64_t final_version;  /* read after the run; -1 if unknown */
    bool broken;            /* the first read failed; the client did nothing */
    uint64_t ok;            /* updates acknowledged with 200 */
    uint64_t unadvanced;    /* 200s whose version was not the one sent plus 1 */
    uint32_t errors[STATUS_SLOTS];
    uint32_t *lat_us;       /* latency of each PUT answered, microseconds */
    size_t nlat, lat_cap;
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

/* The "version" of a household response body; -1 if it has none. */
static int64_t
body_version(const struct reply *r, json_t **out)
{
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    json_t *v = json_object_get(j, "version");
    int64_t version = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;

    if (out)
        *out = j;
    else
        json_decref(j);
    return version;
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
    *version = body_version(&r, &j);
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
             "{\"household_no\":%s,\"address\":\"bench %" PRId64 " #%" PRIu64 "\",\"version\":%" PRId64
             "}",
             cl->no_json, cl->id, seq, cl->version);
    t0 = clock_mono_us();
    http_call(&cl->conn, cl->b->o, &q, &r);
    if (r.status)
        record_latency(cl, clock_mono_us() - t0);
    v = r.status == 200 ? body_version(&r, NULL) : -1;
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
    json_array_foreach(all, i, a)
    {
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
    int rc;

    c->fd = -1;
    rc = http_call(c, b->o, &q, &r);
    if (rc == 0 && r.status != 201)
        fprintf(stderr, "bench_update: login as %s: HTTP %d %.*s\n", b->o->user, r.status,
                (int)(r.body_len > 300 ? 300 : r.body_len), r.body);
    else if (rc < 0)
        fprintf(stderr, "bench_update: login: cannot reach %s:%d\n", b->o->host, b->o->port);
    if (rc == 0 && r.status == 201 && take_session(b, &r) < 0)
        fprintf(stderr, "bench_update: login reply has no session cookie or csrf_token\n");
    rc = rc == 0 && r.status == 201 && r.cookie ? take_session(b, &r) : -1;
    conn_close(c);
    free(c);
    free(body);
    json_decref(cred);
    return rc;
}
