/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/http.h -- the HTTP server on libmicrohttpd (epoll, a thread pool sized
 * to the cores) and the request/response types handlers see. One declarative
 * route table comes from the API layer; this layer matches routes, enforces the
 * limits (body, headers, JSON depth and string length, unknown fields), decodes
 * JSON bodies, checks the caller's permission through a hook, adds security
 * headers and a request id to every response, keeps metrics and the access log.
 * It knows nothing about the database: write handlers suspend their request with
 * request_suspend and resume it from any thread when their work has committed. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "core/json.h"
#include "core/sbuf.h"

struct request;
struct response;
struct http_server;

enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_PUT = 1 << 3,
    HTTP_PATCH = 1 << 4,
    HTTP_DELETE = 1 << 5,
};

/* A handler fills 'res' and returns 0, or returns HTTP_SUSPENDED after calling
 * request_suspend; then whoever finishes the work fills 'res' and calls
 * request_resume exactly once. */
#define HTTP_SUSPENDED 1
typedef int (*http_handler_fn)(struct request *req, struct response *res);

struct http_route {
    unsigned method;     /* one enum http_method; GET routes also answer HEAD */
    const char *pattern; /* "/api/v1/households/{id}": {name} is one segment; a last
                          * segment {name*} takes the rest of the path, '/' included */
    http_handler_fn handler;
    const char *perm;               /* permission the caller needs; checked by the hook */
    const struct json_schema *body; /* JSON object schema; NULL = the route takes no body */
    const char *summary_en;         /* one line for docs */
    const char *raw_type;           /* a non-JSON body of this media type ("text/csv"),
                                       up to limits.max_upload bytes; NULL = none */
    /* What success answers: its status, then what it carries -- the name of a
     * schema of docs/openapi.yaml ("201 Claim"), a media type ("200 text/plain"),
     * or nothing ("204"). The API tests hold every 2xx to it. */
    const char *answer;
    /* The query parameters it reads, checked before the handler runs (kinds,
     * ranges, values; a bad one is a 400 naming it); others are ignored. */
    const struct json_schema *query;
};

#define HTTP_MAX_PARAMS 4

struct request {
    const char *rid; /* request id, also sent as X-Request-Id */
    unsigned method;
    const char *path;               /* decoded path, borrowed from MHD */
    const struct http_route *route; /* NULL until matched */
    const char *param_names[HTTP_MAX_PARAMS];
    char *param_values[HTTP_MAX_PARAMS]; /* owned by the request */
    int nparams;
    json_t *body;    /* validated body, or NULL; owned by the request */
    const char *raw; /* raw body of a raw_type route (NUL-terminated), or NULL */
    size_t raw_len;
    char charset[24];     /* charset= of a raw body's Content-Type, lower case, or "" */
    bool en;              /* answer in English (from Accept-Language) */
    char remote[64];      /* client address, numeric */
    bool remote_loopback; /* from 127.0.0.0/8 or ::1 */
    void *app;            /* the API layer's context, from http_options */
    void *auth;           /* the API layer's caller identity; freed by request_done */
    void *priv;           /* private to the server */
};

#define HTTP_MAX_EXTRA_HEADERS 6

struct response {
    int status;
    struct sbuf body;
    const char *content_type;  /* static string */
    const char *cache_control; /* static string; NULL = "no-store" */
    const char *hdr_names[HTTP_MAX_EXTRA_HEADERS];
    char *hdr_values[HTTP_MAX_EXTRA_HEADERS]; /* owned */
    int nhdrs;
};

/* Hooks from the layers above. */
typedef int (*http_authorize_fn)(struct request *req, const struct http_route *r, struct err *err);
typedef int (*http_status_fn)(int err_code);

/* What a request may hold. libmicrohttpd refuses itself, with its own page,
 * a request head over its per-connection pool (twice max_headers: 16 KiB); up
 * to that every refusal is ours, in the JSON shape. */
struct http_limits {
    size_t max_body;         /* bytes of a JSON body */
    size_t max_upload;       /* bytes of a raw upload (raw_type routes) */
    size_t max_headers;      /* bytes of all request header lines */
    size_t max_target;       /* bytes of the request target (path and query) */
    unsigned max_header_num; /* request header lines */
    struct json_limits json;
    unsigned conn_timeout; /* seconds of silence before a connection is closed */
    unsigned max_conns;    /* connections at once */
};

#define HTTP_LIMITS_DEFAULT                                                                        \
    {                                                                                              \
        1024 * 1024, 64 * 1024 * 1024, 8 * 1024, 8 * 1024, 100, JSON_LIMITS_DEFAULT, 30, 4096      \
    }

struct http_options {
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" */
    unsigned threads;   /* I/O threads; 0 = number of cores */
    struct http_limits limits;
    const struct http_route *routes;
    size_t nroutes;
    http_authorize_fn authorize;
    http_status_fn status_of; /* ERR_* -> HTTP status (api/errmap.c) */
    void *app;
    FILE *access_log; /* NULL = no access log */
    /* Called when a request ends, to free req->auth; may be NULL. */
    void (*request_done)(struct request *req);
    /* Appends further metrics (the writer's) to a scrape; may be NULL. */
    void (*metrics_extra)(struct sbuf *out, void *ctx);
    void *metrics_ctx;
    /* The web front end's built files (http/static.h); NULL = the API only. */
    const char *web_dir;
};

int http_start(const struct http_options *opt, struct http_server **out, struct err *err);
/* Stop accepting new connections; requests in flight go on. */
void http_quiesce(struct http_server *s);
/* Wait until no request is in flight or 'timeout_ms' passes; returns the number left. */
int http_wait_idle(struct http_server *s, int timeout_ms);
/* Close every connection, join the threads, free 's'. No request may be suspended. */
void http_stop(struct http_server *s);
/* True when the web front end's files are being served (http_options.web_dir). */
bool http_serves_web(const struct http_server *s);
/* The port actually bound (useful with port 0). */
unsigned http_port(const struct http_server *s);

/* Request helpers. */
const char *request_param(const struct request *req, const char *name);  /* borrowed or NULL */
const char *request_query(const struct request *req, const char *name);  /* borrowed or NULL */
const char *request_header(const struct request *req, const char *name); /* borrowed or NULL */
const char *request_cookie(const struct request *req, const char *name); /* borrowed or NULL */
void request_suspend(struct request *req);
void request_resume(struct request *req); /* thread-safe; once per suspend */
/* Resume and have 'finish' fill the response on a server thread before it is
 * sent, so that work after a commit (rendering JSON, freeing) leaves the
 * thread that resumed (the writer). 'finish' runs exactly once, also when the
 * client went away meanwhile (its response is then dropped). */
typedef void (*http_finish_fn)(struct request *req, struct response *res, void *arg);
void request_resume_with(struct request *req, http_finish_fn finish, void *arg);

/* Response helpers: all return 0 so handlers can 'return response_...'. */
int response_json(struct response *res, int status, const json_t *v);
int response_text(struct response *res, int status, const char *content_type, const char *body);
/* A JSON body the handler writes itself (core/jsonw.h): sets the status and
 * content type, empties the body and returns it. */
struct sbuf *response_json_body(struct response *res, int status);
/* Any other body, written by the handler: text or bytes of 'content_type'. */
struct sbuf *response_body(struct response *res, int status, const char *content_type);
int response_error(struct response *res, const struct request *req, const struct err *e);
void response_header(struct response *res, const char *name, const char *value);
/* Free what a response holds (body, extra headers); for a response the caller
 * made itself (the server releases its own). */
void response_release(struct response *res);

/* Metrics: Prometheus text of the server serving 'req' (and metrics_extra),
 * appended to 'out'. */
void http_metrics_render(const struct request *req, struct sbuf *out);

/* Routing, exposed for tests: index of the route matching (method, path) in
 * 'routes', -1 for no path match, -2 for a path match with another method
 * (*allowed gets the methods that do match). Parameters go into 'req'. */
int http_route_match(const struct http_route *routes, size_t n, unsigned method, const char *path,
                     struct request *req, unsigned *allowed);
void request_clear_params(struct request *req);

/* Accept-Language: true when English is preferred over Chinese. */
bool http_prefers_english(const char *accept_language);
const char *http_method_name(unsigned method);

#endif
