/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/router.c -- matching a request path against the route table. Patterns
 * are literal segments and {name} segments; a parameter matches one non-empty
 * segment of at most HTTP_PARAM_MAX bytes, a last {name*} the non-empty rest of
 * the path. The table is small (tens of routes),
 * so a linear scan is both simplest and fast. */
#include "core/compat.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "http/http.h"

#define HTTP_PARAM_MAX 256

void
request_clear_params(struct request *req)
{
    for (int i = 0; i < req->nparams; i++) {
        free(req->param_values[i]);
        req->param_values[i] = NULL;
        req->param_names[i] = NULL;
    }
    req->nparams = 0;
}

/* Compare one pattern against 'path'; on success record parameters in 'req'. */
static bool
match_one(const char *pat, const char *path, struct request *req)
{
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            /* {name*} as the last segment takes the rest of the path. */
            bool rest = close && close > pat + 1 && close[-1] == '*' && close[1] == '\0';
            size_t n = rest ? strlen(path) : strcspn(path, "/");

            if (!close || n == 0 || n > HTTP_PARAM_MAX || req->nparams == HTTP_MAX_PARAMS)
                return false;
            req->param_names[req->nparams] = pat + 1; /* up to '}': compared by length */
            req->param_values[req->nparams++] = xstrndup(path, n);
            pat = close + 1;
            path += n;
            continue;
        }
        if (*pat++ != *path++)
            return false;
    }
    return *pat == '\0' && *path == '\0';
}

int
http_route_match(const struct http_route *routes, size_t n, unsigned method, const char *path,
                 struct request *req, unsigned *allowed)
{
    unsigned want = method == HTTP_HEAD ? HTTP_GET : method;

    *allowed = 0;
    for (size_t i = 0; i < n; i++) {
        request_clear_params(req);
        if (!match_one(routes[i].pattern, path, req))
            continue;
        *allowed |= routes[i].method;
        if (routes[i].method == want)
            return (int)i;
    }
    request_clear_params(req);
    return *allowed ? -2 : -1;
}

const char *
request_param(const struct request *req, const char *name)
{
    size_t len = strlen(name);

    for (int i = 0; i < req->nparams; i++)
        if (strncmp(req->param_names[i], name, len) == 0 &&
            (req->param_names[i][len] == '}' || req->param_names[i][len] == '*'))
            return req->param_values[i];
    return NULL;
}

const char *
http_method_name(unsigned method)
{
    switch (method) {
    case HTTP_GET:
        return "GET";
    case HTTP_HEAD:
        return "HEAD";
    case HTTP_POST:
        return "POST";
    case HTTP_PUT:
        return "PUT";
    case HTTP_PATCH:
        return "PATCH";
    case HTTP_DELETE:
        return "DELETE";
    }
    return "OTHER";
}

/* Parse one "tag;q=0.8" item; returns the quality in thousandths. */
static int
item_quality(const char *item, size_t len)
{
    const char *q = memchr(item, ';', len);
    int val = 1000;

    if (!q)
        return val;
    q++;
    while (q < item + len && *q == ' ')
        q++;
    if (q + 2 <= item + len && q[0] == 'q' && q[1] == '=') {
        char buf[8] = { 0 };
        size_t n = (size_t)(item + len - (q + 2));

        double d;

        memcpy(buf, q + 2, n < sizeof(buf) - 1 ? n : sizeof(buf) - 1);
        d = strtod(buf, NULL);
        val = d >= 0 && d <= 1 ? (int)(d * 1000) : 0; /* RFC 9110: 0..1; inf/nan are junk */
    }
    return val;
}

bool
http_prefers_english(const char *al)
{
    int best_en = -1, best_zh = -1;

    while (al && *al) {
        size_t len = strcspn(al, ",");
        const char *tag = al;
        int q;

        while (*tag == ' ' && tag < al + len)
            tag++;
        q = item_quality(tag, (size_t)(al + len - tag));
        if (strncasecmp(tag, "en", 2) == 0 && q > best_en)
            best_en = q;
        else if (strncasecmp(tag, "zh", 2) == 0 && q > best_zh)
            best_zh = q;
        al += len + (al[len] == ',');
    }
    return best_en > 0 && best_en > best_zh;
}
