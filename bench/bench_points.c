/* SPDX-License-Identifier: Apache-2.0 */
/* bench/bench_points.c -- points claims and redemptions over HTTP (issue #6).
 * Logs in once per account, in main -- the village cadre (cun1) and the
 * supervisor (jiandu1) -- and shares both sessions with N client threads, each
 * on its own keep-alive connection and with its own households (the i-th of
 * every N in --households). Two modes:
 *
 *   claims  each client takes claims to final through the API: the cadre enters
 *           a claim, reviews and approves it, posts the village's board; the
 *           supervisor objects; the cadre's re-review upholds it (state final,
 *           with its ledger entry). Through the API that is the path to final:
 *           the ordinary one ends when the 7-day publicity closes (scheduler).
 *           Items: the village's positive items without evidence, each claimed
 *           up to its cap per cycle, household after household.
 *   redeem  each client redeems 1-point goods at the village store (made once,
 *           named "压测 1 分") for its households in turn; a 409 (not enough
 *           points) retires that household for the run.
 *
 * Every write is answered after the group commit that carried it, so every
 * 2xx is durable. Prints one line of key=value. The HTTP client is the one in
 * bench_http.c, shared with bench_update; jansson only for the setup. */
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
#define MAX_ITEMS 128
#define CONN_BUF 262144   /* largest response accepted, headers included */
#define RECV_TIMEOUT_S 60 /* seconds a reply may take */
#define PUBLICISE_TRIES 5 /* posts of the board before an objection gives up */
#define GOODS_NAME "压测 1 分"

static const char usage[] =
    "usage: bench_points claims|redeem --url http://HOST:PORT --accounts FILE\n"
    "                    --households FILE [--clients N] [--seconds S]\n"
    "                    [--cadre NAME] [--supervisor NAME]\n"
    "  FILE (accounts) is the demo's demo-accounts.json; the village is the cadre's\n"
    "  scope. --households holds household ids of that village, one a line; client i\n"
    "  takes the i-th of every N. Defaults: 1 client, 5 seconds, cun1, jiandu1.\n";

struct bench_opts {
    const char *mode;          /* "claims" or "redeem" */
    struct http_target target; /* the server */
    const char *accounts;      /* demo-accounts.json */
    const char *households;    /* file of household ids */
    const char *cadre;         /* the village cadre's account */
    const char *supervisor;    /* the supervisor's account (claims) */
    long clients;              /* client threads */
    long seconds;              /* measured run length */
};

/* A claimable item and how many claims of it one household may make per cycle. */
struct item_slot {
    int64_t id;
    int64_t per_cycle;
};

/* What every client shares: read-only once the clients start, except 'stop'. */
struct bench {
    const struct bench_opts *o;
    char village[16];
    struct session cadre;
    struct session supervisor;
    struct item_slot items[MAX_ITEMS];
    size_t nitems;
    int64_t *households;
    size_t nhouseholds;
    int64_t outlet; /* the village store (redeem) */
    int64_t goods;  /* its 1-point goods (redeem) */
    pthread_barrier_t start;
    atomic_bool stop;
};

struct client {
    struct bench *b;
    pthread_t thread;
    long index;    /* 0..N-1: its households are index, index + N, ... */
    size_t hh;     /* claims: the household it is at (0 = its first); redeem: next one */
    size_t item;   /* claims: the item it is at */
    int64_t taken; /* claims: claims of that item for that household so far */
    bool *spent;   /* redeem: its households out of points */
    size_t nspent; /* how many of them */
    bool exhausted;
    int64_t end_us;       /* monotonic time its last request was answered */
    uint64_t writes;      /* 2xx answers to POSTs */
    uint64_t finals;      /* claims: re-reviews answered final with an entry */
    uint64_t redemptions; /* redeem: 201s with an entry */
    uint64_t caps;        /* claims: submissions refused (409) by a cap */
    uint64_t retries;     /* claims: objections refused (409) before the board covered them */
    uint64_t abandoned;   /* claims cut off by the end of the run (or PUBLICISE_TRIES) */
    uint64_t short_409;   /* redeem: refused for want of points */
    uint64_t bad;         /* 2xx answers without what they must carry */
    uint32_t errors[STATUS_SLOTS];
    struct lat req;   /* every write */
    struct lat chain; /* claims: submit to final */
    struct conn conn;
};

/* --- one client --- */

static bool
stopping(const struct client *cl)
{
    return atomic_load_explicit(&cl->b->stop, memory_order_relaxed);
}

/* POST 'body' to 'path' as 's'; counts a 2xx as a write, anything else under
 * its status. Returns the status (0 on a transport error). */
static int
post(struct client *cl, const struct session *s, const char *path, const char *body,
     struct reply *r)
{
    struct http_req q = { "POST", path, s->post, body };
    int64_t t0 = clock_mono_us();

    http_call(&cl->conn, &cl->b->o->target, &q, r);
    cl->end_us = clock_mono_us();
    if (r->status)
        lat_add(&cl->req, cl->end_us - t0);
    if (r->status >= 200 && r->status < 300)
        cl->writes++;
    else
        cl->errors[r->status]++;
    return r->status;
}

/* The household and item of the client's next claim, or false when it has
 * claimed every item of every household it owns up to the caps. */
static bool
next_slot(struct client *cl, int64_t *household, int64_t *item)
{
    const struct bench *b = cl->b;

    while (cl->item < b->nitems && cl->taken >= b->items[cl->item].per_cycle) {
        cl->item++;
        cl->taken = 0;
    }
    if (cl->item == b->nitems) {
        cl->hh++;
        cl->item = 0;
        cl->taken = 0;
    }
    if ((size_t)cl->index + cl->hh * (size_t)b->o->clients >= b->nhouseholds)
        return false;
    *household = b->households[(size_t)cl->index + cl->hh * (size_t)b->o->clients];
    *item = b->items[cl->item].id;
    return true;
}

/* Submit a claim; its id and version, or 0 (a cap: the slot is skipped). */
static int64_t
submit(struct client *cl, int64_t *version)
{
    char body[128];
    int64_t household, item, id;
    struct reply r;

    if (!next_slot(cl, &household, &item)) {
        cl->exhausted = true;
        return 0;
    }
    snprintf(body, sizeof(body), "{\"household_id\":%" PRId64 ",\"item_id\":%" PRId64 "}",
             household, item);
    if (post(cl, &cl->b->cadre, "/api/v1/points/claims", body, &r) == 409) {
        cl->caps++;
        cl->taken = INT64_MAX; /* full already: the next item */
        return 0;
    }
    cl->taken++;
    id = r.status == 201 ? reply_int(&r, "id") : -1;
    *version = r.status == 201 ? reply_int(&r, "version") : -1;
    if (r.status == 201 && (id <= 0 || *version <= 0))
        cl->bad++;
    return id > 0 && *version > 0 ? id : 0;
}

/* A scorer's step on claim 'id': the new version, or -1. */
static int64_t
step(struct client *cl, int64_t id, const char *what, const char *doc, int64_t version)
{
    char path[96], body[256];
    struct reply r;

    snprintf(path, sizeof(path), "/api/v1/points/claims/%" PRId64 "/%s", id, what);
    snprintf(body, sizeof(body), "{\"version\":%" PRId64 ",%s}", version, doc);
    if (post(cl, &cl->b->cadre, path, body, &r) != 200)
        return -1;
    version = reply_int(&r, "version");
    if (strcmp(what, "rereview") == 0 &&
        (!reply_str_is(&r, "state", "final") || reply_int(&r, "entry_id") <= 0))
        version = -1;
    cl->bad += version < 0;
    return version;
}

/* Post the board, then object to claim 'id' as the supervisor; a 409 means the
 * board did not cover it yet, so post again. The claim's version, or -1. */
static int64_t
publicise_and_object(struct client *cl, int64_t id)
{
    char path[96];
    struct reply r;

    for (int i = 0; i < PUBLICISE_TRIES && !stopping(cl); i++) {
        snprintf(path, sizeof(path), "/api/v1/points/villages/%s/publicise", cl->b->village);
        if (post(cl, &cl->b->cadre, path, "{}", &r) != 200)
            return -1;
        if (stopping(cl))
            return -1;
        snprintf(path, sizeof(path), "/api/v1/points/claims/%" PRId64 "/object", id);
        if (post(cl, &cl->b->supervisor, path, "{\"reason\":\"压测异议\"}", &r) == 200)
            return reply_int(&r, "version");
        if (r.status != 409)
            return -1;
        cl->retries++;
    }
    return -1;
}

/* One claim from entry to final. */
static void
one_claim(struct client *cl)
{
    int64_t t0 = clock_mono_us(), v = -1, id = submit(cl, &v);

    if (id <= 0)
        return;
    if (!stopping(cl))
        v = step(cl, id, "review", "\"accept\":true,\"note\":\"属实\"", v);
    if (v > 0 && !stopping(cl))
        v = step(cl, id, "approve", "\"accept\":true,\"note\":\"同意\"", v);
    v = v > 0 && !stopping(cl) ? publicise_and_object(cl, id) : -1;
    if (v > 0 && !stopping(cl))
        v = step(cl, id, "rereview", "\"uphold\":true,\"note\":\"核实无误\"", v);
    else
        v = -1;
    if (v > 0) {
        cl->finals++;
        lat_add(&cl->chain, clock_mono_us() - t0);
    } else {
        cl->abandoned++;
    }
}

/* One redemption for the client's next household with points left. */
static void
one_redemption(struct client *cl)
{
    const struct bench *b = cl->b;
    char body[160];
    struct reply r;
    size_t k;

    for (k = 0; k < cl->nspent && cl->spent[cl->hh % cl->nspent]; k++)
        cl->hh++;
    if (k == cl->nspent) {
        cl->exhausted = true;
        return;
    }
    k = cl->hh++ % cl->nspent;
    snprintf(body, sizeof(body),
             "{\"outlet_id\":%" PRId64 ",\"goods_id\":%" PRId64 ",\"household_id\":%" PRId64 "}",
             b->outlet, b->goods, b->households[(size_t)cl->index + k * (size_t)b->o->clients]);
    if (post(cl, &b->cadre, "/api/v1/points/redemptions", body, &r) == 201) {
        bool ok = reply_int(&r, "id") > 0 && reply_int(&r, "entry_id") > 0;

        cl->redemptions += ok;
        cl->bad += !ok;
    } else if (r.status == 409) {
        cl->short_409++;
        cl->spent[k] = true;
    }
}

static void *
client_main(void *arg)
{
    struct client *cl = arg;
    struct bench *b = cl->b;
    bool claims = strcmp(b->o->mode, "claims") == 0;

    conn_init(&cl->conn, CONN_BUF);
    cl->nspent =
        (b->nhouseholds - (size_t)cl->index + (size_t)b->o->clients - 1) / (size_t)b->o->clients;
    cl->spent = xcalloc(cl->nspent + 1, sizeof(*cl->spent));
    pthread_barrier_wait(&b->start);
    while (!cl->exhausted && !stopping(cl)) {
        if (claims)
            one_claim(cl);
        else
            one_redemption(cl);
    }
    conn_release(&cl->conn);
    return NULL;
}

/* --- setup: credentials, login, the village's items and store --- */

/* A one-off request on a fresh connection; the reply's body parsed (caller
 * decrefs), or NULL unless the status is 'want'. */
static json_t *
call_once(const struct bench_opts *o, const struct http_req *q, int want, struct session *login)
{
    struct conn c;
    struct reply r;
    json_t *j = NULL;

    conn_init(&c, CONN_BUF);
    if (http_call(&c, &o->target, q, &r) < 0)
        fprintf(stderr, "bench_points: %s %s: no answer\n", q->method, q->path);
    else if (r.status != want)
        fprintf(stderr, "bench_points: %s %s: HTTP %d %.*s\n", q->method, q->path, r.status,
                (int)(r.body_len > 300 ? 300 : r.body_len), r.body);
    else if (login && session_take(login, &r) < 0)
        fprintf(stderr, "bench_points: login reply has no session cookie or csrf_token\n");
    else
        j = json_loadb(r.body, r.body_len, 0, NULL);
    conn_release(&c);
    return j;
}

/* Log in as 'user' into 's'; its account (scope) into 'acct'. */
static int
login(const struct bench_opts *o, const char *user, struct session *s, struct account *acct)
{
    json_t *cred, *j;
    char *body;

    if (account_read(o->accounts, user, acct) < 0)
        return -1;
    cred = json_pack("{s:s, s:s}", "username", user, "password", acct->password);
    body = json_dumps(cred, JSON_COMPACT);
    j = call_once(
        o,
        &(struct http_req){ "POST", "/api/v1/session", "Content-Type: application/json\r\n", body },
        201, s);
    free(body);
    json_decref(cred);
    json_decref(j);
    return j ? 0 : -1;
}

/* The village's positive items that need no evidence, with their caps. */
static int
load_items(struct bench *b)
{
    char path[96];
    json_t *v, *it;
    size_t i;

    snprintf(path, sizeof(path), "/api/v1/points/villages/%s", b->village);
    v = call_once(b->o, &(struct http_req){ "GET", path, b->cadre.get, NULL }, 200, NULL);
    json_array_foreach (json_object_get(v, "items"), i, it) {
        json_int_t pts = json_integer_value(json_object_get(it, "points"));
        json_int_t cap = json_integer_value(json_object_get(it, "cycle_cap"));

        if (pts <= 0 || json_is_true(json_object_get(it, "evidence_required")) ||
            b->nitems == MAX_ITEMS)
            continue;
        b->items[b->nitems].id = json_integer_value(json_object_get(it, "id"));
        b->items[b->nitems++].per_cycle = cap > 0 ? cap / pts : 1000000;
    }
    json_decref(v);
    if (!b->nitems)
        fprintf(stderr, "bench_points: village %s has no claimable items\n", b->village);
    return b->nitems ? 0 : -1;
}

/* The id of the 1-point goods in outlet 'o', or 0. */
static int64_t
goods_of(json_t *o)
{
    json_t *g;
    size_t i;

    json_array_foreach (json_object_get(o, "goods"), i, g) {
        const char *name = json_string_value(json_object_get(g, "name"));

        if (name && strcmp(name, GOODS_NAME) == 0)
            return json_integer_value(json_object_get(g, "id"));
    }
    return 0;
}

/* The village store and its 1-point goods, made the first time. */
static int
load_store(struct bench *b)
{
    char path[96];
    json_t *all, *o, *g;
    size_t i;

    snprintf(path, sizeof(path), "/api/v1/points/villages/%s/outlets", b->village);
    all = call_once(b->o, &(struct http_req){ "GET", path, b->cadre.get, NULL }, 200, NULL);
    json_array_foreach (json_object_get(all, "outlets"), i, o) {
        const char *kind = json_string_value(json_object_get(o, "kind"));

        if (!b->outlet && kind && strcmp(kind, "store") == 0) {
            b->outlet = json_integer_value(json_object_get(o, "id"));
            b->goods = goods_of(o);
        }
    }
    json_decref(all);
    if (!b->outlet || b->goods)
        return b->outlet ? 0 : -1;
    snprintf(path, sizeof(path), "/api/v1/points/outlets/%" PRId64 "/goods", b->outlet);
    g = call_once(b->o,
                  &(struct http_req){ "POST", path, b->cadre.post,
                                      "{\"name\":\"" GOODS_NAME "\",\"points\":1,"
                                      "\"stock\":100000000}" },
                  201, NULL);
    b->goods = json_integer_value(json_object_get(g, "id"));
    json_decref(g);
    return b->goods > 0 ? 0 : -1;
}

static int
load_households(struct bench *b, const char *file)
{
    FILE *f = fopen(file, "r");
    size_t cap = 0;
    long long id;

    if (!f) {
        fprintf(stderr, "bench_points: %s: %s\n", file, strerror(errno));
        return -1;
    }
    while (fscanf(f, "%lld", &id) == 1) {
        if (b->nhouseholds == cap) {
            cap = cap ? cap * 2 : 1024;
            b->households = xrealloc(b->households, cap * sizeof(*b->households));
        }
        b->households[b->nhouseholds++] = id;
    }
    fclose(f);
    if (b->nhouseholds < (size_t)b->o->clients)
        fprintf(stderr, "bench_points: %s: %zu households for %ld clients\n", file, b->nhouseholds,
                b->o->clients);
    return b->nhouseholds >= (size_t)b->o->clients ? 0 : -1;
}

static int
setup(struct bench *b)
{
    struct account cadre, supervisor;

    if (load_households(b, b->o->households) < 0 || login(b->o, b->o->cadre, &b->cadre, &cadre) < 0)
        return -1;
    snprintf(b->village, sizeof(b->village), "%s", cadre.scope); /* the cadre's village */
    if (strcmp(b->o->mode, "redeem") == 0)
        return load_store(b);
    if (login(b->o, b->o->supervisor, &b->supervisor, &supervisor) < 0)
        return -1;
    return load_items(b);
}

/* --- arguments --- */

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
    if (val && strcmp(flag, "--accounts") == 0)
        o->accounts = val;
    else if (val && strcmp(flag, "--households") == 0)
        o->households = val;
    else if (val && strcmp(flag, "--cadre") == 0)
        o->cadre = val;
    else if (val && strcmp(flag, "--supervisor") == 0)
        o->supervisor = val;
    else {
        fprintf(stderr, "bench_points: unknown or incomplete option '%s'\n%s", flag, usage);
        return false;
    }
    return true;
}

static bool
parse_args(int argc, char **argv, struct bench_opts *o)
{
    *o = (struct bench_opts){ .target.timeout_s = RECV_TIMEOUT_S,
                              .cadre = "cun1",
                              .supervisor = "jiandu1",
                              .clients = 1,
                              .seconds = 5 };
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        exit(0);
    }
    if (argc < 2 || (strcmp(argv[1], "claims") != 0 && strcmp(argv[1], "redeem") != 0)) {
        fputs(usage, stderr);
        return false;
    }
    o->mode = argv[1];
    for (int i = 2; i < argc; i += 2)
        if (!parse_flag(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
            return false;
    if (!o->target.port || !o->accounts || !o->households) {
        fprintf(stderr, "bench_points: --url, --accounts and --households are required\n%s", usage);
        return false;
    }
    return true;
}

/* --- the run --- */

/* Start the clients, then time S seconds. Returns the microseconds from the
 * start to the last request answered. */
static int64_t
drive(struct bench *b, struct client *cs)
{
    long n = b->o->clients;
    struct timespec ts = { .tv_sec = b->o->seconds, .tv_nsec = 0 };
    int64_t t0, end = 0;

    pthread_barrier_init(&b->start, NULL, (unsigned)n + 1);
    for (long i = 0; i < n; i++) {
        cs[i].b = b;
        cs[i].index = i;
        if (pthread_create(&cs[i].thread, NULL, client_main, &cs[i]) != 0) {
            fprintf(stderr, "bench_points: cannot start client %ld\n", i + 1);
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

/* The sums over every client; req and chain hold every client's samples. */
struct totals {
    uint64_t writes, finals, redemptions, caps, retries, abandoned, short_409, bad;
    long exhausted;
    uint64_t errors[STATUS_SLOTS];
    struct lat req;
    struct lat chain;
};

static void
sum_up(const struct client *cs, long n, struct totals *t)
{
    *t = (struct totals){ 0 };
    for (long i = 0; i < n; i++) {
        t->writes += cs[i].writes;
        t->finals += cs[i].finals;
        t->redemptions += cs[i].redemptions;
        t->caps += cs[i].caps;
        t->retries += cs[i].retries;
        t->abandoned += cs[i].abandoned;
        t->short_409 += cs[i].short_409;
        t->bad += cs[i].bad;
        t->exhausted += cs[i].exhausted;
        bench_errors_add(t->errors, cs[i].errors);
        lat_append(&t->req, &cs[i].req);
        lat_append(&t->chain, &cs[i].chain);
    }
}

/* Print the key=value line; true when every 2xx carried what it must (a
 * client that ran out of households is reported, not failed). The errors include the expected 409s
 * (caps, objections before the board, redemptions without points), counted apart. */
static bool
report(const struct bench *b, const struct client *cs, int64_t elapsed_us, int64_t cpu_us)
{
    const struct bench_opts *o = b->o;
    struct sbuf errs = SBUF_INIT;
    double secs = (double)elapsed_us / 1e6;
    struct lat_stats req, chain;
    struct totals t;
    uint64_t errors;

    sum_up(cs, o->clients, &t);
    errors = bench_error_summary(t.errors, &errs);
    lat_summarise(&t.req, &req);
    lat_summarise(&t.chain, &chain);
    printf("mode=%s clients=%ld seconds=%.3f households=%zu writes=%" PRIu64 " writes_per_s=%.1f",
           o->mode, o->clients, secs, b->nhouseholds, t.writes, (double)t.writes / secs);
    if (strcmp(o->mode, "claims") == 0)
        printf(" finals=%" PRIu64 " finals_per_s=%.1f writes_per_final=%.2f cap_409=%" PRIu64
               " object_409=%" PRIu64 " abandoned=%" PRIu64 " chain_p50_ms=%.1f"
               " chain_p99_ms=%.1f",
               t.finals, (double)t.finals / secs,
               t.finals ? (double)t.writes / (double)t.finals : 0, t.caps, t.retries, t.abandoned,
               chain.p50_us / 1e3, chain.p99_us / 1e3);
    else
        printf(" redemptions=%" PRIu64 " redemptions_per_s=%.1f short_409=%" PRIu64, t.redemptions,
               (double)t.redemptions / secs, t.short_409);
    printf(" errors=%" PRIu64 " error_statuses=%s p50_us=%.0f p99_us=%.0f exhausted_clients=%ld"
           " bad_replies=%" PRIu64 " client_cpu_us_per_write=%.1f verified=%s\n",
           errors, errs.buf, req.p50_us, req.p99_us, t.exhausted, t.bad,
           t.writes ? (double)cpu_us / (double)t.writes : 0.0, t.bad ? "no" : "yes");
    sbuf_release(&errs);
    lat_release(&t.req);
    lat_release(&t.chain);
    return !t.bad;
}

const char bench_name[] = "bench_points";

int
main(int argc, char **argv)
{
    struct bench_opts o;
    struct bench b = { 0 };
    struct client *cs = NULL;
    int64_t cpu, elapsed;
    bool ok;

    if (!parse_args(argc, argv, &o))
        return 2;
    b.o = &o;
    atomic_init(&b.stop, false);
    if (setup(&b) < 0)
        return 1;
    cs = xcalloc((size_t)o.clients, sizeof(*cs));
    cpu = bench_cpu_us();
    elapsed = drive(&b, cs);
    ok = report(&b, cs, elapsed, bench_cpu_us() - cpu);
    if (!ok)
        fprintf(stderr, "bench_points: a 2xx reply lacked what it must carry (see bad_replies)\n");
    for (long i = 0; i < o.clients; i++) {
        lat_release(&cs[i].req);
        lat_release(&cs[i].chain);
        free(cs[i].spent);
    }
    free(cs);
    free(b.households);
    return ok ? 0 : 1;
}
