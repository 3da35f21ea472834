/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_update.c -- durable household updates over HTTP (issue #3).
 * Logs in once, in main, and shares the session cookie and CSRF token with N
 * client threads, each on its own keep-alive connection. Client i owns household
 * first_id + i: it reads the version once, then loops PUT /api/v1/households/{id}
 * for S seconds, taking the next version from each 200. The server answers a PUT
 * only after the commit that carried it, so every 200 is a durable, acknowledged
 * update. Afterwards each household is read back: its version must have grown by
 * exactly the updates acknowledged, else the run fails (verified=no). Prints one
 * line of key=value. The HTTP client is the one in bench_http.c, shared with
 * bench_points; no HTTP library. */
#include "core/compat.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

#include "bench_http.h"
#include "core/clock.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

#define MAX_CLIENTS 1024
#define CONN_BUF 65536    /* largest response accepted, headers included */
#define RECV_TIMEOUT_S 30 /* seconds a reply may take */

static const char usage[] =
    "usage: bench_update --url http://HOST:PORT [--clients N] [--seconds S]\n"
    "                    [--user NAME] (--password P | --accounts FILE) [--first-id ID]\n"
    "  Logs in as NAME (default admin; FILE is the demo's demo-accounts.json) and\n"
    "  has N clients update households ID..ID+N-1 for S seconds.\n"
    "  Defaults: 1 client, 5 seconds, first id 1.\n";

struct bench_opts {
    struct http_target target; /* the server */
    const char *user;          /* account to log in as */
    const char *password;      /* its password, or NULL to read it from 'accounts' */
    const char *accounts;      /* demo-accounts.json, or NULL */
    long clients;              /* client threads */
    long seconds;              /* measured run length */
    long first_id;             /* household of client 0 */
};

/* What every client shares: read-only once the clients start, except 'stop'. */
struct bench {
    const struct bench_opts *o;
    struct session session; /* the logged-in account's header lines */
    pthread_barrier_t start;
    atomic_bool stop;
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
    struct lat lat;                /* latency of each PUT answered */
    struct conn conn;
};

/* --- one client --- */

/* GET the client's household: its version, and its number as a JSON literal. */
static int
fetch(struct client *cl, int64_t *version)
{
    char path[64];
    struct http_req q = { "GET", path, cl->b->session.get, NULL };
    struct sbuf no = SBUF_INIT;
    struct reply r;
    json_t *j = NULL;
    const char *s;

    snprintf(path, sizeof(path), "/api/v1/households/%" PRId64, cl->id);
    if (http_call(&cl->conn, &cl->b->o->target, &q, &r) < 0 || r.status != 200)
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

/* One PUT naming the version last seen. A 200 must carry the next version; a
 * 409 (nobody else writes this household, so it should not happen) re-reads. */
static void
one_update(struct client *cl, uint64_t seq)
{
    char path[64], body[256];
    struct http_req q = { "PUT", path, cl->b->session.post, body };
    struct reply r;
    int64_t t0, v;

    snprintf(path, sizeof(path), "/api/v1/households/%" PRId64, cl->id);
    snprintf(body, sizeof(body),
             "{\"household_no\":%s,\"address\":\"bench %" PRId64 " #%" PRIu64
             "\",\"version\":%" PRId64 "}",
             cl->no_json, cl->id, seq, cl->version);
    t0 = clock_mono_us();
    http_call(&cl->conn, &cl->b->o->target, &q, &r);
    if (r.status)
        lat_add(&cl->lat, clock_mono_us() - t0);
    /* The scan is checked by the read-back at the end, which parses fully. */
    v = r.status == 200 ? reply_int(&r, "version") : -1;
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

    conn_init(&cl->conn, CONN_BUF);
    cl->broken = fetch(cl, &cl->first_version) < 0;
    cl->version = cl->first_version;
    pthread_barrier_wait(&b->start);
    while (!cl->broken && !atomic_load_explicit(&b->stop, memory_order_relaxed))
        one_update(cl, ++seq);
    cl->end_us = clock_mono_us();
    cl->final_version = !cl->broken && fetch(cl, &v) == 0 ? v : -1;
    conn_release(&cl->conn);
    return NULL;
}

/* --- setup: credentials, login, arguments --- */

static int
login(struct bench *b, const char *password)
{
    struct conn c;
    json_t *cred = json_pack("{s:s, s:s}", "username", b->o->user, "password", password);
    char *body = json_dumps(cred, JSON_COMPACT);
    struct http_req q = { "POST", "/api/v1/session", "Content-Type: application/json\r\n", body };
    struct reply r;
    int rc = -1;

    conn_init(&c, CONN_BUF);
    if (http_call(&c, &b->o->target, &q, &r) < 0)
        fprintf(stderr, "bench_update: login: no answer from %s:%d\n", b->o->target.host,
                b->o->target.port);
    else if (r.status != 201)
        fprintf(stderr, "bench_update: login as %s: HTTP %d %.*s\n", b->o->user, r.status,
                (int)(r.body_len > 300 ? 300 : r.body_len), r.body);
    else if (session_take(&b->session, &r) < 0)
        fprintf(stderr, "bench_update: login reply has no session cookie or csrf_token\n");
    else
        rc = 0;
    conn_release(&c);
    free(body);
    json_decref(cred);
    return rc;
}

/* One flag and its value; false on an unknown flag or a bad value. */
static bool
parse_flag(struct bench_opts *o, const char *flag, const char *val)
{
    if (strcmp(flag, "--url") == 0)
        return http_target_parse(&o->target, val);
    if (strcmp(flag, "--clients") == 0)
        return bench_parse_long(flag, val, 1, MAX_CLIENTS, &o->clients);
    if (strcmp(flag, "--seconds") == 0)
        return bench_parse_long(flag, val, 1, 3600, &o->seconds);
    if (strcmp(flag, "--first-id") == 0)
        return bench_parse_long(flag, val, 1, INT32_MAX, &o->first_id);
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
    *o = (struct bench_opts){ .target.timeout_s = RECV_TIMEOUT_S,
                              .user = "admin",
                              .clients = 1,
                              .seconds = 5,
                              .first_id = 1 };
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        }
        if (!parse_flag(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
            return false;
    }
    if (!o->target.port || (!o->password && !o->accounts)) {
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

/* The sums over every client; lat holds every client's samples. */
struct totals {
    uint64_t ok;
    uint64_t unadvanced;
    long broken;
    long mismatched;
    uint64_t errors[STATUS_SLOTS];
    struct lat lat;
};

static void
sum_up(const struct client *cs, long n, struct totals *t)
{
    *t = (struct totals){ 0 };
    for (long i = 0; i < n; i++) {
        t->ok += cs[i].ok;
        t->unadvanced += cs[i].unadvanced;
        t->broken += cs[i].broken;
        t->mismatched +=
            !cs[i].broken && cs[i].final_version - cs[i].first_version != (int64_t)cs[i].ok;
        bench_errors_add(t->errors, cs[i].errors);
        lat_append(&t->lat, &cs[i].lat);
    }
}

/* Print the key=value line; true when every household's version grew by exactly
 * the updates acknowledged for it and every client ran. 'cpu_us' is the load
 * generator's own CPU time over the run, reported per update. */
static bool
report(const struct bench_opts *o, const struct client *cs, int64_t elapsed_us, int64_t cpu_us)
{
    struct sbuf errs = SBUF_INIT;
    double secs = (double)elapsed_us / 1e6;
    struct lat_stats lat;
    struct totals t;
    uint64_t errors;
    bool verified;

    sum_up(cs, o->clients, &t);
    errors = bench_error_summary(t.errors, &errs);
    lat_summarise(&t.lat, &lat);
    verified = !t.broken && !t.mismatched && !t.unadvanced;
    printf("clients=%ld seconds=%.3f updates=%" PRIu64 " updates_per_s=%.1f errors=%" PRIu64
           " error_statuses=%s p50_us=%.0f p99_us=%.0f mean_us=%.0f unadvanced=%" PRIu64
           " broken_clients=%ld mismatched=%ld client_cpu_us_per_update=%.1f verified=%s\n",
           o->clients, secs, t.ok, secs > 0 ? (double)t.ok / secs : 0.0, errors, errs.buf,
           lat.p50_us, lat.p99_us, lat.mean_us, t.unadvanced, t.broken, t.mismatched,
           t.ok ? (double)cpu_us / (double)t.ok : 0.0, verified ? "yes" : "no");
    sbuf_release(&errs);
    lat_release(&t.lat);
    return verified;
}

const char bench_name[] = "bench_update";

int
main(int argc, char **argv)
{
    struct bench_opts o;
    struct bench b = { 0 };
    struct client *cs = NULL;
    struct account acct;
    int64_t cpu, elapsed;
    bool verified;

    if (!parse_args(argc, argv, &o))
        return 2;
    if (!o.password && account_read(o.accounts, o.user, &acct) < 0)
        return 1;
    b.o = &o;
    atomic_init(&b.stop, false);
    if (login(&b, o.password ? o.password : acct.password) < 0)
        return 1;
    cs = xcalloc((size_t)o.clients, sizeof(*cs));
    cpu = bench_cpu_us(); /* counts the clients' two reads each, too: a few ms */
    elapsed = drive(&b, cs);
    verified = report(&o, cs, elapsed, bench_cpu_us() - cpu);
    if (!verified)
        fprintf(stderr, "bench_update: verification failed: the versions read back do not match"
                        " the updates acknowledged\n");
    for (long i = 0; i < o.clients; i++)
        lat_release(&cs[i].lat);
    free(cs);
    return verified ? 0 : 1;
}
