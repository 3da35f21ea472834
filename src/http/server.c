/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/server.c -- the libmicrohttpd glue. MHD calls on_request several times
 * per request: first with the headers (we match the route and check limits),
 * then with body chunks (we copy them up to the limit), then once with no data
 * (we decode, authorise and run the handler) -- and once more after a suspended
 * request is resumed. Responses are queued only on that last call, which keeps
 * keep-alive working. Errors found early are remembered and answered at the end,
 * except an oversize Content-Length, answered at once so the body is never read. */
#include "core/compat.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/http_int.h"
#include "http/static.h"

enum req_state { ST_HEADERS, ST_BODY, ST_SUSPENDED, ST_DONE };

#define LOG_SLOTS 64 /* I/O threads that get a buffer of their own */
#define LOG_FLUSH_BYTES 32768

/* One access-log buffer per I/O thread: a request appends without contention;
 * the buffer goes to the file in one write when it fills or a second has passed. */
struct log_slot {
    pthread_mutex_t lock; /* uncontended but for the final flush */
    struct sbuf buf;
    int64_t flushed_us;
    int64_t stamp_sec; /* the second 'stamp' shows */
    char stamp[24];    /* "2026-11-27T08:44:22." */
};

struct http_server {
    struct MHD_Daemon *d;
    struct http_options opt;
    struct http_metrics metrics;
    unsigned port;
    pthread_mutex_t file_lock; /* one writer to the log file at a time */
    _Atomic int nslots;
    _Atomic int64_t swept_us; /* when flush_quiet_slots last ran */
    struct log_slot slots[LOG_SLOTS];
    struct static_site *site; /* the web front end, or NULL */
};

static _Thread_local struct log_slot *thread_slot;
static _Thread_local const struct http_server *thread_slot_owner;

struct req_ctx {
    struct request req;
    struct response res;
    struct http_server *srv;
    struct MHD_Connection *conn;
    struct sbuf body;
    enum req_state state;
    struct err pending; /* an error found before the body ended */
    int route;          /* index, or -1 */
    int64_t start_us;
    char rid[24];
    char *target;           /* the request target as sent (owned), NULL if unseen */
    size_t target_len;      /* its bytes: a raw NUL may lie inside */
    const char *version_at; /* where MHD's version string must start (compared only) */
    bool started;           /* on_request has seen the request */
    bool is_static;         /* a GET/HEAD for the web front end's files */
    http_finish_fn finish;  /* set by request_resume_with; run once, then NULL */
    void *finish_arg;
};

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                          "object-src 'none'; "
                          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static unsigned
parse_method(const char *m)
{
    static const struct {
        const char *name;
        unsigned value;
    } methods[] = { { "GET", HTTP_GET }, { "HEAD", HTTP_HEAD },   { "POST", HTTP_POST },
                    { "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE } };

    for (size_t i = 0; i < ARRAY_LEN(methods); i++)
        if (strcmp(m, methods[i].name) == 0)
            return methods[i].value;
    return 0;
}

/* Dotted quad without inet_ntop's sprintf; 'out' holds at least 16 bytes. */
static void
format_ipv4(uint32_t a, char *out)
{
    char buf[24];
    size_t n = 0;

    for (int shift = 24; shift >= 0; shift -= 8) {
        const char *d = sbuf_int_digits(buf, (a >> shift) & 0xff);
        size_t len = strlen(d);

        memcpy(out + n, d, len);
        n += len;
        out[n++] = shift ? '.' : '\0';
    }
}

static void
client_address(struct req_ctx *x)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(x->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(x->req.remote, sizeof(x->req.remote), "-");
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

        format_ipv4(ntohl(in->sin_addr.s_addr), x->req.remote);
        x->req.remote_loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

        inet_ntop(AF_INET6, &in6->sin6_addr, x->req.remote, sizeof(x->req.remote));
        x->req.remote_loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
}

struct header_count {
    size_t bytes;
    unsigned lines;
};

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct header_count *n = cls;

    (void)kind;
    n->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
    n->lines++;
    return MHD_YES;
}

/* 16 hex digits from a per-thread counter that starts at a random point: unique
 * in practice across threads and restarts, and no shared counter to contend on. */
static void
next_request_id(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    static _Thread_local uint64_t counter;
    uint64_t v;

    if (counter == 0)
        randombytes_buf(&counter, sizeof(counter));
    v = counter++;
    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    out[16] = '\0';
}

static struct req_ctx *
ctx_new(struct http_server *s, struct MHD_Connection *conn)
{
    struct req_ctx *x = xcalloc(1, sizeof(*x));

    x->srv = s;
    x->conn = conn;
    x->start_us = clock_mono_us();
    x->route = -1;
    next_request_id(x->rid);
    x->req.rid = x->rid;
    x->req.app = s->opt.app;
    x->req.priv = x;
    sbuf_init(&x->body, s->opt.limits.max_body);
    sbuf_init(&x->res.body, 0);
    client_address(x);
    metrics_in_flight_add(&s->metrics, 1);
    return x;
}

/* MHD's first sight of a request (its URI log callback): the target as sent,
 * before the query is split off and the rest decoded in place. 'uri' ends
 * where MHD cut off the version; a raw NUL inside the target ends it sooner,
 * which on_request sees from where the version string starts. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req_ctx *x = ctx_new(cls, conn);

    if (uri) {
        x->target_len = strlen(uri);
        x->target = xstrndup(uri, x->target_len);
        x->version_at = uri + x->target_len + 1;
    }
    return x;
}

/* The headers are in: the rest of what a request is. */
static void
ctx_start(struct req_ctx *x, const char *url, const char *method, const char *version)
{
    x->started = true;
    x->req.method = parse_method(method);
    x->req.path = url;
    x->req.en = http_prefers_english(request_header(&x->req, "Accept-Language"));
    if (x->version_at && version != x->version_at)
        x->target_len = SIZE_MAX; /* cut by a raw NUL: refused by check_head */
}

const char *
request_header(const struct request *req, const char *name)
{
    const struct req_ctx *x = req->priv;

    return MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, name);
}

const char *
request_cookie(const struct request *req, const char *name)
{
    const struct req_ctx *x = req->priv;

    return MHD_lookup_connection_value(x->conn, MHD_COOKIE_KIND, name);
}

const char *
request_query(const struct request *req, const char *name)
{
    const struct req_ctx *x = req->priv;

    return MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* "text/csv; charset=GBK" -> "gbk" into 'out' (lower case, quotes dropped). */
static void
parse_charset(const char *ct, char *out, size_t size)
{
    const char *p = ct ? strcasestr(ct, "charset=") : NULL;
    size_t n = 0;

    out[0] = '\0';
    if (!p)
        return;
    for (p += 8; *p && *p != ';' && *p != ' ' && n + 1 < size; p++)
        if (*p != '"')
            out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    out[n] = '\0';
}

/* Is Content-Type 'ct' the media type 'want' -- or one of them, when 'want'
 * lists several separated by blanks? A 'want' ending in a '*' subtype
 * ("image/" "*") takes any subtype: the route judges the bytes. */
static bool
is_one_type(const char *ct, const char *want, size_t n)
{
    if (n > 2 && memcmp(want + n - 2, "/*", 2) == 0) /* "image/", then any subtype */
        return ct && strncasecmp(ct, want, n - 1) == 0 && strcspn(ct + n - 1, "; ") > 0;
    return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool
is_type(const char *ct, const char *want)
{
    while (*want) {
        size_t n = strcspn(want, " ");

        if (n && is_one_type(ct, want, n))
            return true;
        want += n + (want[n] == ' ');
    }
    return false;
}

/* The body the route takes: its media type and size limit. */
static void
check_body_headers(struct req_ctx *x, const struct http_route *r)
{
    const struct http_options *o = &x->srv->opt;
    const char *cl = request_header(&x->req, "Content-Length");
    const char *ct = request_header(&x->req, "Content-Type");
    size_t max = r->raw_type ? o->limits.max_upload : o->limits.max_body;

    x->body.limit = max;
    if (cl && strtoull(cl, NULL, 10) > max)
        err_set(&x->pending, ERR_TOO_LARGE, NULL, "请求内容超过 %zu 字节",
                "the body is over %zu bytes", max);
    else if (r->raw_type && !is_type(ct, r->raw_type))
        err_set(&x->pending, ERR_UNSUPPORTED_MEDIA, "Content-Type", "请求内容类型应为 %s",
                "Content-Type must be %s", r->raw_type);
    else if (r->body && !is_type(ct, "application/json"))
        err_set(&x->pending, ERR_UNSUPPORTED_MEDIA, "Content-Type",
                "请求内容类型应为 application/json", "Content-Type must be application/json");
    parse_charset(ct, x->req.charset, sizeof(x->req.charset));
}

/* A GET or HEAD no API route took, outside /api/: for the web front end. */
static bool
is_web_request(const struct req_ctx *x)
{
    return x->srv->site && (x->req.method == HTTP_GET || x->req.method == HTTP_HEAD) &&
           strncmp(x->req.path, "/api/", 5) != 0;
}

/* The request line and header lines within their limits, and a target with
 * no control character in it, raw or encoded. Sets x->pending on failure. */
static void
check_head(struct req_ctx *x)
{
    const struct http_limits *l = &x->srv->opt.limits;
    struct header_count n = { 0, 0 };

    MHD_get_connection_values(x->conn, MHD_HEADER_KIND, count_header, &n);
    if (x->target_len == SIZE_MAX || (x->target && target_has_control(x->target, x->target_len)))
        err_set(&x->pending, ERR_INVALID, "path", "请求地址含有控制字符(如 %%00)",
                "the request address holds a control character (such as %%00)");
    else if (x->target_len > l->max_target)
        err_set(&x->pending, ERR_URI_TOO_LONG, "path", "请求地址超过 %zu 字节",
                "the request address is over %zu bytes", l->max_target);
    else if (n.bytes > l->max_headers)
        err_set(&x->pending, ERR_HEADER_TOO_LARGE, NULL, "请求头超过 %zu 字节",
                "the request headers are over %zu bytes", l->max_headers);
    else if (n.lines > l->max_header_num)
        err_set(&x->pending, ERR_HEADER_TOO_LARGE, NULL, "请求头超过 %u 行",
                "the request has over %u header lines", l->max_header_num);
}

/* Checks that need only the headers, the caller's identity included, so that a
 * refused upload is never read. Sets x->pending on failure. */
static void
check_headers(struct req_ctx *x, unsigned *allowed)
{
    const struct http_options *o = &x->srv->opt;

    check_head(x);
    if (x->pending.code != ERR_OK)
        return;
    x->route =
        http_route_match(o->routes, o->nroutes, x->req.method, x->req.path, &x->req, allowed);
    if (x->route == -1 && is_web_request(x)) {
        x->is_static = true;
        return;
    }
    if (x->route == -1) {
        err_code_set(&x->pending, ERR_NOT_FOUND, NULL);
        return;
    }
    if (x->route == -2) {
        err_code_set(&x->pending, ERR_METHOD, NULL);
        x->route = -1;
        return;
    }
    x->req.route = &o->routes[x->route];
    check_body_headers(x, x->req.route);
    if (x->pending.code == ERR_OK)
        o->authorize(&x->req, x->req.route, &x->pending);
}

static void
add_common_headers(struct MHD_Response *r, const struct req_ctx *x, const char *cache_control)
{
    MHD_add_response_header(r, "X-Request-Id", x->rid);
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", cache_control);
}

/* A cacheable answer (its handler set a Cache-Control) gets an ETag, and a 304
 * when the client has it already; a text answer worth it goes gzipped when
 * the client takes gzip. */
static void
encode_answer(struct req_ctx *x)
{
    struct response *res = &x->res;
    struct sbuf gz = SBUF_INIT;

    if (res->status == 200 && res->cache_control && x->req.method & (HTTP_GET | HTTP_HEAD)) {
        const char *inm = request_header(&x->req, "If-None-Match");
        char etag[24], weak[28];

        /* Weak: the same ETag names the plain and the gzipped body. */
        encode_etag(res->body.buf, res->body.len, etag);
        snprintf(weak, sizeof weak, "W/%s", etag);
        response_header(res, "ETag", weak);
        if (inm && strstr(inm, etag)) {
            res->status = 304;
            sbuf_reset(&res->body);
            return;
        }
    }
    if (!encode_worth_gzip(res))
        return;
    response_header(res, "Vary", "Accept-Encoding");
    if (!static_accepts_gzip(request_header(&x->req, "Accept-Encoding")) ||
        encode_gzip(res->body.buf, res->body.len, &gz) < 0) {
        sbuf_release(&gz);
        return;
    }
    sbuf_release(&res->body);
    res->body = gz;
    response_header(res, "Content-Encoding", "gzip");
}

static enum MHD_Result
queue(struct req_ctx *x)
{
    struct response *res = &x->res;
    struct MHD_Response *r;
    enum MHD_Result ret;
    size_t len;
    char *buf;

    if (res->body.failed) {
        struct err e = ERR_INIT;

        err_code_set(&e, ERR_INTERNAL, NULL);
        response_error_status(res, &x->req, &e, 500);
    }
    encode_answer(x);
    buf = sbuf_detach(&res->body, &len);
    r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    add_common_headers(r, x, res->cache_control ? res->cache_control : "no-store");
    if (res->content_type)
        MHD_add_response_header(r, "Content-Type", res->content_type);
    for (int i = 0; i < res->nhdrs; i++)
        MHD_add_response_header(r, res->hdr_names[i], res->hdr_values[i]);
    ret = MHD_queue_response(x->conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    x->state = ST_DONE;
    return ret;
}

int
response_error(struct response *res, const struct request *req, const struct err *e)
{
    const struct req_ctx *x = req->priv;

    if (e->detail[0]) /* what a library said: the operator's, with the request id */
        log_warn(req->rid, "%s: %s", err_code_name(e->code), e->detail);
    return response_error_status(res, req, e, x->srv->opt.status_of(e->code));
}

static enum MHD_Result
answer_error(struct req_ctx *x, const struct err *e)
{
    response_error(&x->res, &x->req, e);
    return queue(x);
}

static void
allow_header(struct req_ctx *x, unsigned allowed)
{
    struct sbuf sb = SBUF_INIT;

    for (unsigned m = HTTP_GET; m <= HTTP_DELETE; m <<= 1)
        if (allowed & m)
            sbuf_addf(&sb, "%s%s", sb.len ? ", " : "", http_method_name(m));
    if (allowed & HTTP_GET)
        sbuf_adds(&sb, ", HEAD");
    response_header(&x->res, "Allow", sb.buf);
    sbuf_release(&sb);
}

/* The body has arrived: decode it, authorise, run the handler. */
static enum MHD_Result
dispatch(struct req_ctx *x)
{
    const struct http_options *o = &x->srv->opt;
    const struct http_route *r = &o->routes[x->route];
    struct err e = ERR_INIT;
    int rc;

    if (query_check(&x->req, r->query, &e) < 0)
        return answer_error(x, &e);
    if (r->body) {
        x->req.body = json_decode_limited(x->body.buf, x->body.len, &o->limits.json, &e);
        if (!x->req.body || json_validate(x->req.body, r->body, &e) < 0)
            return answer_error(x, &e);
    } else if (r->raw_type) {
        x->req.raw = x->body.buf; /* sbuf keeps it NUL-terminated */
        x->req.raw_len = x->body.len;
    } else if (x->body.len) {
        err_set(&e, ERR_INVALID, NULL, "此接口不接受请求内容", "this route takes no body");
        return answer_error(x, &e);
    }
    rc = r->handler(&x->req, &x->res);
    if (rc == HTTP_SUSPENDED)
        return MHD_YES;
    return queue(x);
}

static enum MHD_Result
on_body(struct req_ctx *x, const char *data, size_t *size)
{
    if (x->pending.code == ERR_OK) {
        sbuf_add(&x->body, data, *size);
        if (x->body.failed)
            err_set(&x->pending, ERR_TOO_LARGE, NULL, "请求内容超过 %zu 字节",
                    "the body is over %zu bytes", x->body.limit);
    }
    *size = 0; /* consumed (or discarded once over the limit) */
    return MHD_YES;
}

/* Refuse at once only what is too big to be worth reading. A small body is read
 * and dropped first: closing on unread bytes makes the kernel reset the
 * connection, which can swallow our answer before the client reads it. */
static bool
answer_before_body(struct req_ctx *x)
{
    const char *cl = request_header(&x->req, "Content-Length");

    if (x->pending.code == ERR_OK)
        return false;
    return x->pending.code == ERR_TOO_LARGE || (cl && strtoull(cl, NULL, 10) > 1024 * 1024);
}

/* A file of the web front end (http/static.h), sent from its fd. */
static enum MHD_Result
serve_static(struct req_ctx *x)
{
    struct static_file f;
    struct MHD_Response *r;
    struct err e = ERR_INIT;
    enum MHD_Result ret;

    if (x->body.len) {
        err_set(&e, ERR_INVALID, NULL, "此请求不接受请求内容", "this request takes no body");
        return answer_error(x, &e);
    }
    if (static_lookup(x->srv->site, x->req.path, request_header(&x->req, "Accept-Encoding"),
                      request_header(&x->req, "If-None-Match"), &f) < 0) {
        err_code_set(&e, ERR_NOT_FOUND, NULL);
        return answer_error(x, &e);
    }
    r = f.not_modified ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
                       : MHD_create_response_from_fd64(f.size, f.fd);
    if (!r) {
        close(f.fd);
        err_code_set(&e, ERR_INTERNAL, NULL);
        return answer_error(x, &e);
    }
    add_common_headers(r, x, f.cache_control);
    MHD_add_response_header(r, "Content-Type", f.content_type);
    MHD_add_response_header(r, "ETag", f.etag);
    if (f.gzip)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    if (f.compressible)
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    x->res.status = f.not_modified ? 304 : 200;
    ret = MHD_queue_response(x->conn, (unsigned)x->res.status, r);
    MHD_destroy_response(r);
    x->state = ST_DONE;
    return ret;
}

/* The deferred part of a resumed request, on this server thread. */
static void
run_finish(struct req_ctx *x)
{
    http_finish_fn fn = x->finish;

    x->finish = NULL;
    if (fn)
        fn(&x->req, &x->res, x->finish_arg);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct req_ctx *x = *con_cls;
    unsigned allowed = 0;

    if (!x) /* MHD calls on_uri first; this is only a guard */
        *con_cls = x = ctx_new(cls, conn);
    if (!x->started) {
        ctx_start(x, url, method, version);
        check_headers(x, &allowed);
        if (x->pending.code == ERR_METHOD)
            allow_header(x, allowed);
        x->state = ST_BODY;
        if (answer_before_body(x))
            return answer_error(x, &x->pending); /* refused: the body is never read */
        return MHD_YES;
    }
    if (x->state == ST_SUSPENDED) { /* resumed: the handler's work is finished */
        run_finish(x);
        return queue(x);
    }
    if (x->state == ST_DONE) {
        *upload_size = 0; /* answered early: drop whatever still arrives */
        return MHD_YES;
    }
    if (*upload_size)
        return on_body(x, upload_data, upload_size);
    if (x->pending.code != ERR_OK)
        return answer_error(x, &x->pending);
    if (x->is_static)
        return serve_static(x);
    return dispatch(x);
}

void
request_suspend(struct request *req)
{
    struct req_ctx *x = req->priv;

    x->state = ST_SUSPENDED;
    MHD_suspend_connection(x->conn);
}

void
request_resume_with(struct request *req, http_finish_fn finish, void *arg)
{
    struct req_ctx *x = req->priv;

    x->finish = finish;
    x->finish_arg = arg;
    MHD_resume_connection(x->conn);
}

void
request_resume(struct request *req)
{
    struct req_ctx *x = req->priv;

    MHD_resume_connection(x->conn);
}

static void
flush_slot(struct http_server *s, struct log_slot *ls)
{
    if (ls->buf.len == 0)
        return;
    pthread_mutex_lock(&s->file_lock);
    fwrite(ls->buf.buf, 1, ls->buf.len, s->opt.access_log);
    fflush(s->opt.access_log);
    pthread_mutex_unlock(&s->file_lock);
    sbuf_reset(&ls->buf);
}

static struct log_slot *
my_slot(struct http_server *s)
{
    int i;

    if (thread_slot_owner == s)
        return thread_slot;
    i = atomic_fetch_add(&s->nslots, 1);
    if (i >= LOG_SLOTS)
        i = i % LOG_SLOTS; /* more threads than slots: share, still correct under the lock */
    thread_slot = &s->slots[i];
    thread_slot_owner = s;
    return thread_slot;
}

/* One access-log line, assembled without printf (it runs for every request):
 * TIME rid=ID ADDRESS "METHOD PATH" STATUS MICROSus. PATH is what the client
 * asked for, undecoded, with anything but printable ASCII as %XX, so a request
 * can neither forge log lines nor hide what it asked for. */
static void
append_log_line(struct sbuf *b, const char *stamp, int millis, const struct req_ctx *x,
                int64_t micros)
{
    char ms[4] = { (char)('0' + millis / 100), (char)('0' + millis / 10 % 10),
                   (char)('0' + millis % 10), 'Z' };

    sbuf_adds(b, stamp);
    sbuf_add(b, ms, sizeof(ms));
    sbuf_add(b, " rid=", 5);
    sbuf_adds(b, x->rid);
    sbuf_addc(b, ' ');
    sbuf_adds(b, x->req.remote);
    sbuf_add(b, " \"", 2);
    sbuf_adds(b, x->started ? http_method_name(x->req.method) : "-"); /* unseen: MHD refused it */
    sbuf_addc(b, ' ');
    if (x->target) /* up to a raw NUL, escaped */
        target_log_path(b, x->target, strlen(x->target));
    sbuf_add(b, "\" ", 2);
    sbuf_add_int(b, x->res.status);
    sbuf_addc(b, ' ');
    sbuf_add_int(b, micros);
    sbuf_add(b, "us\n", 3);
}

/* Another thread's lines wait in its buffer until it serves again; so, once a
 * second, whoever logs writes out the other buffers too (those not in use). */
static void
flush_quiet_slots(struct http_server *s, int64_t mono)
{
    int64_t last = atomic_load_explicit(&s->swept_us, memory_order_relaxed);
    int n = atomic_load(&s->nslots);

    if (mono - last < 1000000 || !atomic_compare_exchange_strong(&s->swept_us, &last, mono))
        return;
    for (int i = 0; i < n && i < LOG_SLOTS; i++) {
        struct log_slot *ls = &s->slots[i];

        if (pthread_mutex_trylock(&ls->lock) != 0)
            continue;
        flush_slot(s, ls);
        pthread_mutex_unlock(&ls->lock);
    }
}

static void
access_log(struct http_server *s, const struct req_ctx *x, int64_t micros)
{
    struct log_slot *ls = my_slot(s);
    int64_t now_ms = clock_now_ms(), mono = clock_mono_us();

    pthread_mutex_lock(&ls->lock);
    if (now_ms / 1000 != ls->stamp_sec) {
        clock_iso8601(now_ms, ls->stamp, sizeof(ls->stamp));
        ls->stamp[20] = '\0'; /* keep "YYYY-MM-DDTHH:MM:SS." */
        ls->stamp_sec = now_ms / 1000;
    }
    append_log_line(&ls->buf, ls->stamp, (int)(now_ms % 1000), x, micros);
    if (ls->buf.len > LOG_FLUSH_BYTES || mono - ls->flushed_us > 1000000) {
        flush_slot(s, ls);
        ls->flushed_us = mono;
    }
    pthread_mutex_unlock(&ls->lock);
    flush_quiet_slots(s, mono);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct req_ctx *x = *con_cls;
    int64_t micros;

    (void)conn;
    if (!x)
        return;
    run_finish(x);   /* the client left while suspended: the finisher still frees its state */
    if (!x->started) /* MHD refused the request head itself (malformed or too large) */
        x->res.status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 400;
    else if (x->state != ST_DONE)
        x->res.status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
    micros = clock_mono_us() - x->start_us;
    metrics_observe(&s->metrics, x->route, x->res.status, micros);
    if (s->opt.access_log)
        access_log(s, x, micros);
    metrics_in_flight_add(&s->metrics, -1);
    if (s->opt.request_done)
        s->opt.request_done(&x->req);
    request_clear_params(&x->req);
    json_decref(x->req.body);
    free(x->target);
    sbuf_release(&x->body);
    response_release(&x->res);
    free(x);
    *con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_warn(NULL, "http: %s", line);
}

/* "host:port" or "[v6]:port" into a socket address. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6, struct err *err)
{
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *ai = NULL;
    const char *colon = strrchr(listen, ':');
    char host[128];
    size_t hl;

    if (!colon || colon == listen || !colon[1])
        goto bad;
    hl = (size_t)(colon - listen);
    if (listen[0] == '[' && colon[-1] == ']') {
        listen++;
        hl -= 2;
    }
    if (hl >= sizeof(host))
        goto bad;
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
        goto bad;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    return 0;
bad:
    return err_set(err, ERR_INVALID, "listen", "监听地址应为 地址:端口,例如 127.0.0.1:8080",
                   "the listen address must be ADDR:PORT, e.g. 127.0.0.1:8080");
}

static unsigned
pool_size(unsigned wanted)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (wanted)
        return wanted;
    return n > 0 ? (unsigned)n : 1;
}

int
http_start(const struct http_options *opt, struct http_server **out, struct err *err)
{
    struct http_server *s;
    struct sockaddr_storage ss;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
                     MHD_USE_TURBO | MHD_USE_ERROR_LOG;
    bool v6 = false;

    if (parse_listen(opt->listen, &ss, &v6, err) < 0)
        return -err->code;
    if (v6)
        flags |= MHD_USE_IPv6;
    s = xcalloc(1, sizeof(*s));
    s->opt = *opt;
    pthread_mutex_init(&s->file_lock, NULL);
    for (int i = 0; i < LOG_SLOTS; i++)
        pthread_mutex_init(&s->slots[i].lock, NULL);
    metrics_init(&s->metrics, opt->nroutes);
    if (opt->web_dir && static_open(opt->web_dir, &s->site, err) < 0) {
        log_warn(NULL, "%s; serving the API only", err->en);
        err_clear(err);
    }
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        pool_size(opt->threads), MHD_OPTION_CONNECTION_TIMEOUT, opt->limits.conn_timeout,
        MHD_OPTION_CONNECTION_LIMIT, opt->limits.max_conns, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(opt->limits.max_headers * 2), MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_END);
    if (!s->d) {
        metrics_release(&s->metrics);
        static_close(s->site);
        free(s);
        return err_set(err, ERR_IO, "listen", "无法在 %s 上监听(端口被占用?)",
                       "cannot listen on %s (port in use?)", opt->listen);
    }
    info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return 0;
}

bool
http_serves_web(const struct http_server *s)
{
    return s->site != NULL;
}

unsigned
http_port(const struct http_server *s)
{
    return s->port;
}

void
http_quiesce(struct http_server *s)
{
    MHD_socket fd = MHD_quiesce_daemon(s->d);

    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

int
http_wait_idle(struct http_server *s, int timeout_ms)
{
    int64_t deadline = clock_mono_us() + (int64_t)timeout_ms * 1000;
    int64_t left;

    while ((left = metrics_in_flight(&s->metrics)) > 0 && clock_mono_us() < deadline)
        usleep(2000);
    return (int)left;
}

void
http_stop(struct http_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);
    for (int i = 0; i < LOG_SLOTS; i++) {
        if (s->opt.access_log)
            flush_slot(s, &s->slots[i]);
        sbuf_release(&s->slots[i].buf);
        pthread_mutex_destroy(&s->slots[i].lock);
    }
    metrics_release(&s->metrics);
    static_close(s->site);
    pthread_mutex_destroy(&s->file_lock);
    free(s);
}

void
http_metrics_render(const struct request *req, struct sbuf *out)
{
    const struct req_ctx *x = req->priv;
    struct http_server *s = x->srv;

    metrics_render(&s->metrics, s->opt.routes, out);
    if (s->opt.metrics_extra)
        s->opt.metrics_extra(out, s->opt.metrics_ctx);
}
