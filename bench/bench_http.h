/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_http.h -- what the HTTP load generators (bench_points, bench_update)
 * share, so that both measure the server through the same client: HTTP/1.1 over
 * plain sockets (one keep-alive connection per client thread, no pipelining; our
 * server always sends Content-Length), a scan for top-level JSON members instead
 * of a parser, the login session, latency samples and the flag parsers. Each
 * program defines bench_name, the prefix of its messages. A conn or a lat belongs
 * to one thread. */
#ifndef BENCH_BENCH_HTTP_H
#define BENCH_BENCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

#define STATUS_SLOTS 600 /* per-status error counters; slot 0 = transport error */

/* The program's name, prefixing every message ("bench_points"); each program
 * defines it. */
extern const char bench_name[];

/* The server under load. */
struct http_target {
    char host[64]; /* IPv4 literal */
    int port;      /* TCP port */
    int timeout_s; /* receive timeout, seconds */
};

/* One keep-alive connection and its receive buffer. */
struct conn {
    int fd;     /* -1 while closed */
    size_t len; /* bytes in buf */
    size_t cap; /* largest response accepted, headers included, bytes */
    char *buf;  /* cap + 1 bytes: +1 for the NUL after a body */
};

/* A parsed response; body and cookie are borrowed from the conn, valid until
 * its next request. */
struct reply {
    int status;         /* HTTP status, 0 on a transport error; < STATUS_SLOTS */
    bool close;         /* the server will close the connection */
    const char *body;   /* NUL-terminated */
    size_t body_len;    /* bytes */
    const char *cookie; /* "xz_session=..." value start in a Set-Cookie line, or NULL */
    size_t cookie_len;  /* bytes up to the ';' */
};

/* What to send; 'headers' are whole lines, each ending in CRLF. The request,
 * headers and body included, must fit in 4 KiB. */
struct http_req {
    const char *method;
    const char *path;
    const char *headers;
    const char *body; /* NULL for none */
};

/* The header lines a logged-in account sends. */
struct session {
    char get[512];  /* "Cookie: ...\r\n" */
    char post[768]; /* cookie, X-CSRF-Token and Content-Type lines */
};

/* An account of the demo's accounts file (demo-accounts.json). */
struct account {
    char password[256];
    char scope[16]; /* the region code it serves; "" if none */
};

/* Microsecond samples. */
struct lat {
    uint32_t *us; /* caller frees: lat_release() */
    size_t n;     /* samples in us */
    size_t cap;   /* entries allocated */
};

/* What lat_summarise() finds, in microseconds. */
struct lat_stats {
    double p50_us;
    double p99_us;
    double mean_us;
};

/* "http://A.B.C.D:PORT" (an IPv4 literal; loopback is the point) into t's host
 * and port; false, with a message, otherwise. */
bool http_target_parse(struct http_target *t, const char *url);

/* A closed connection whose responses may be up to 'cap' bytes. */
void conn_init(struct conn *c, size_t cap);
/* Closes c and frees its buffer; conn_init() makes it usable again. */
void conn_release(struct conn *c);
/* Closes the socket, if open; the last body stays readable. */
void conn_close(struct conn *c);

/* One request to 't' and its response, opening the connection if needed.
 * Returns 0, or -1 on a transport or protocol failure: the connection is then
 * closed (the next call reconnects) and r->status is 0. */
int http_call(struct conn *c, const struct http_target *t, const struct http_req *q,
              struct reply *r);

/* The whole-number top-level member 'key' of a reply's JSON object, or -1. */
int64_t reply_int(const struct reply *r, const char *key);
/* Is the top-level string member 'key' of a reply 'want' (no escapes)? */
bool reply_str_is(const struct reply *r, const char *key, const char *want);

/* The session cookie and CSRF token of a 201 login reply into 's'; -1 if the
 * reply lacks either or they do not fit. */
int session_take(struct session *s, const struct reply *r);
/* The password and scope of 'user' in the accounts file 'file'; -1, with a
 * message, if the file cannot be read or has no password for 'user'. */
int account_read(const char *file, const char *user, struct account *out);

void lat_add(struct lat *l, int64_t us); /* clamped to 0..UINT32_MAX */
void lat_append(struct lat *to, const struct lat *from);
/* Sorts l's samples; p50, p99 and mean into *st, all 0 if there are none. */
void lat_summarise(struct lat *l, struct lat_stats *st);
void lat_release(struct lat *l); /* back to all zeros */

/* A whole number in [min, max] into *out; false, with a message naming
 * 'flag', otherwise. */
bool bench_parse_long(const char *flag, const char *text, long min, long max, long *out);
/* CPU time (user + system) this process has used, in microseconds. */
int64_t bench_cpu_us(void);
/* One client's failed requests by status, added into 'sum'. */
void bench_errors_add(uint64_t sum[STATUS_SLOTS], const uint32_t errors[STATUS_SLOTS]);
/* Failed requests by status ('errors', summed over clients) as "409:3,0:1"
 * (status:count; 0 is a transport error), or "none", into sb. Returns their sum. */
uint64_t bench_error_summary(const uint64_t errors[STATUS_SLOTS], struct sbuf *sb);

#endif
