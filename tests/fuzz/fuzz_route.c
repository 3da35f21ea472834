/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_route.c -- libFuzzer target for the router: http_route_match on
 * a small table with {param} patterns, and http_prefers_english. Input layout:
 * byte 0 picks the method, the rest up to the first '\n' is the path, the rest
 * after it is the Accept-Language value (each cut at an embedded NUL, as a C
 * string from libmicrohttpd would be). Besides "no crash, no leak, no UB" it
 * checks what http.h promises about a match, and that the raw path bytes
 * (NULs and all) are judged and logged as target.c promises: a control
 * character, raw or %-encoded, is found; the log's copy holds none, nor a
 * quote or a space. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "http/http.h"
#include "http/http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Handlers are never called here. The last pattern has more parameters than
 * HTTP_MAX_PARAMS and must never match. */
static const struct http_route routes[] = {
    { HTTP_GET, "/healthz", NULL, "public", NULL, NULL },
    { HTTP_POST, "/api/v1/ops/probe", NULL, "ops", NULL, NULL },
    { HTTP_GET, "/api/v1/ops/probe/{id}", NULL, "ops", NULL, NULL },
    { HTTP_GET, "/api/v1/households/{hid}/members/{mid}", NULL, "public", NULL, NULL },
    { HTTP_PATCH, "/api/v1/households/{hid}/members/{mid}", NULL, "public", NULL, NULL },
    { HTTP_DELETE, "/api/v1/households/{hid}", NULL, "public", NULL, NULL },
    { HTTP_PUT, "/a/{p1}/{p2}/{p3}/{p4}", NULL, "public", NULL, NULL },
    { HTTP_PUT, "/b/{p1}/{p2}/{p3}/{p4}/{p5}", NULL, "public", NULL, NULL },
    { HTTP_GET, "/{any}", NULL, "public", NULL, NULL },
};

static const unsigned methods[] = { HTTP_GET,   HTTP_HEAD,   HTTP_POST, HTTP_PUT,
                                    HTTP_PATCH, HTTP_DELETE, 0 };

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_route: %s\n", what);
    abort();
}

static int
count_params(const char *pattern)
{
    int n = 0;

    for (; *pattern; pattern++)
        n += *pattern == '{';
    return n;
}

/* What a successful match promises: one value per {name}, each a non-empty
 * segment without '/', each reachable by its name. */
static void
check_match(const struct request *req, int idx)
{
    const char *pat = routes[idx].pattern;
    char name[32];

    if (idx == (int)ARRAY_LEN(routes) - 2)
        fail("a pattern with too many parameters matched");
    if (req->nparams != count_params(pat))
        fail("parameter count differs from the pattern");
    for (int i = 0; i < req->nparams; i++) {
        const char *v = req->param_values[i];

        if (!v || !v[0] || strchr(v, '/'))
            fail("parameter value is empty or spans segments");
    }
    for (pat = strchr(pat, '{'); pat; pat = strchr(pat, '{')) {
        size_t n = strcspn(++pat, "}");

        snprintf(name, sizeof(name), "%.*s", (int)n, pat);
        if (!request_param(req, name))
            fail("a parameter is not found by its name");
    }
}

static void
route(unsigned method, const char *path)
{
    struct request req;
    unsigned allowed = 0;
    int idx;

    memset(&req, 0, sizeof(req));
    idx = http_route_match(routes, ARRAY_LEN(routes), method, path, &req, &allowed);
    if (idx >= 0) {
        if ((size_t)idx >= ARRAY_LEN(routes))
            fail("index out of range");
        check_match(&req, idx);
    } else if (req.nparams != 0) {
        fail("parameters left behind after no match");
    } else if ((idx == -2) != (allowed != 0) || idx < -2) {
        fail("result disagrees with the allowed methods");
    }
    request_clear_params(&req);
}

static int
hex(unsigned char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The target checks, against a plain restatement of their rules. */
static void
target(const char *t, size_t n)
{
    struct sbuf log = SBUF_INIT;
    bool want = false;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        int v = i + 2 < n && c == '%' && hex((unsigned char)t[i + 1]) >= 0 &&
                        hex((unsigned char)t[i + 2]) >= 0
                    ? hex((unsigned char)t[i + 1]) * 16 + hex((unsigned char)t[i + 2])
                    : -1;

        want = want || c < 0x20 || c == 0x7f || (v >= 0 && (v < 0x20 || v == 0x7f));
    }
    if (target_has_control(t, n) != want)
        fail("target_has_control disagrees with its rule");
    target_log_path(&log, t, n);
    for (size_t i = 0; i < log.len; i++)
        if ((unsigned char)log.buf[i] <= ' ' || (unsigned char)log.buf[i] >= 0x7f ||
            log.buf[i] == '"' || log.buf[i] == '\\')
            fail("the logged path holds a byte it must escape");
    sbuf_release(&log);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *rest = (const char *)data + 1;
    const char *nl;
    char *path, *al;
    size_t plen;

    if (size == 0)
        return 0;
    size--;
    nl = memchr(rest, '\n', size);
    plen = nl ? (size_t)(nl - rest) : size;
    target(rest, plen);
    path = xstrndup(rest, plen);
    al = nl ? xstrndup(nl + 1, size - plen - 1) : NULL;
    route(methods[data[0] % ARRAY_LEN(methods)], path);
    (void)http_prefers_english(al);
    (void)http_prefers_english(path);
    free(path);
    free(al);
    return 0;
}
