/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_route.c -- the route matcher, and the API route table's rules. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "api/api.h"
#include "api/module.h"
#include "http/http.h"

static int
dummy(struct request *req, struct response *res)
{
    (void)req;
    (void)res;
    return 0;
}

static const struct http_route routes[] = {
    { HTTP_GET, "/healthz", dummy, "public", NULL, "", NULL, "200", NULL },
    { HTTP_GET, "/api/v1/households/{id}", dummy, "public", NULL, "", NULL, "200", NULL },
    { HTTP_PUT, "/api/v1/households/{id}", dummy, "public", NULL, "", NULL, "200", NULL },
    { HTTP_GET, "/api/v1/villages/{code}/households/{id}", dummy, "public", NULL, "", NULL, "200",
      NULL },
    { HTTP_GET, "/tlog/tile/{path*}", dummy, "public", NULL, "", NULL, "200", NULL },
};

static int
match(unsigned method, const char *path, struct request *req, unsigned *allowed)
{
    return http_route_match(routes, ARRAY_LEN(routes), method, path, req, allowed);
}

Test(route, literal_and_params)
{
    struct request req = { 0 };
    unsigned allowed;

    cr_assert_eq(match(HTTP_GET, "/healthz", &req, &allowed), 0);
    cr_assert_eq(match(HTTP_GET, "/api/v1/households/42", &req, &allowed), 1);
    cr_assert_str_eq(request_param(&req, "id"), "42");
    cr_assert_null(request_param(&req, "i"));
    cr_assert_eq(match(HTTP_PUT, "/api/v1/households/7", &req, &allowed), 2);
    cr_assert_eq(match(HTTP_GET, "/api/v1/villages/410183100201/households/9", &req, &allowed), 3);
    cr_assert_str_eq(request_param(&req, "code"), "410183100201");
    cr_assert_str_eq(request_param(&req, "id"), "9");
    request_clear_params(&req);
}

Test(route, a_last_star_parameter_takes_the_rest)
{
    struct request req = { 0 };
    unsigned allowed;

    cr_assert_eq(match(HTTP_GET, "/tlog/tile/0/x001/002.p/5", &req, &allowed), 4);
    cr_assert_str_eq(request_param(&req, "path"), "0/x001/002.p/5");
    cr_assert_eq(match(HTTP_GET, "/tlog/tile/entries/000", &req, &allowed), 4);
    cr_assert_str_eq(request_param(&req, "path"), "entries/000");
    cr_assert_eq(match(HTTP_GET, "/tlog/tile/", &req, &allowed), -1);
    request_clear_params(&req);
}

Test(route, head_is_get)
{
    struct request req = { 0 };
    unsigned allowed;

    cr_assert_eq(match(HTTP_HEAD, "/healthz", &req, &allowed), 0);
}

Test(route, misses_and_wrong_methods)
{
    struct request req = { 0 };
    unsigned allowed;

    cr_assert_eq(match(HTTP_GET, "/healthz/", &req, &allowed), -1);
    cr_assert_eq(match(HTTP_GET, "/health", &req, &allowed), -1);
    cr_assert_eq(match(HTTP_GET, "/api/v1/households/", &req, &allowed), -1);
    cr_assert_eq(match(HTTP_GET, "/api/v1/households/1/2", &req, &allowed), -1);
    cr_assert_eq(match(HTTP_GET, "", &req, &allowed), -1);
    cr_assert_eq(match(HTTP_DELETE, "/api/v1/households/1", &req, &allowed), -2);
    cr_assert_eq(allowed, HTTP_GET | HTTP_PUT);
    cr_assert_eq(match(0, "/healthz", &req, &allowed), -2);
    cr_assert_eq(req.nparams, 0, "no parameters left behind after a miss");
}

Test(route, overlong_parameter_is_no_match)
{
    struct request req = { 0 };
    unsigned allowed;
    char path[600] = "/api/v1/households/";

    memset(path + strlen(path), '1', 300);
    cr_assert_eq(match(HTTP_GET, path, &req, &allowed), -1);
}

Test(route_table, every_route_declares_permission_and_is_unique)
{
    size_t n;
    const struct http_route *api_routes = api_route_table(&n);

    for (size_t i = 0; i < n; i++) {
        const struct http_route *r = &api_routes[i];

        cr_assert_not_null(r->perm, "%s has no permission", r->pattern);
        cr_assert(auth_perm_known(r->perm), "%s: unknown permission %s", r->pattern, r->perm);
        cr_assert_not_null(r->handler);
        cr_assert(r->summary_en && r->summary_en[0]);
        cr_assert_eq(r->pattern[0], '/');
        if (r->method == HTTP_POST || r->method == HTTP_PUT || r->method == HTTP_PATCH)
            cr_assert(r->body || r->raw_type, "%s writes without a body schema", r->pattern);
        for (size_t j = 0; j < i; j++)
            cr_assert(api_routes[j].method != r->method ||
                          strcmp(api_routes[j].pattern, r->pattern) != 0,
                      "duplicate route %s", r->pattern);
    }
}

/* A module's routes are its own: all under /api/v1/<module>/ (DESIGN.md §2). */
Test(route_table, every_module_route_is_under_its_module)
{
    for (size_t m = 0; m < api_modules_count; m++) {
        char prefix[64];

        snprintf(prefix, sizeof(prefix), "/api/v1/%s/", api_modules[m]->domain->name);
        cr_assert_gt(api_modules[m]->nroutes, 0);
        for (size_t i = 0; i < api_modules[m]->nroutes; i++)
            cr_assert(strncmp(api_modules[m]->routes[i].pattern, prefix, strlen(prefix)) == 0,
                      "%s is not under %s", api_modules[m]->routes[i].pattern, prefix);
    }
}

Test(route_table, unknown_permission_is_refused)
{
    struct http_route r = {
        HTTP_GET, "/x", dummy, "no-such-permission", NULL, "", NULL, "200", NULL
    };
    struct request req = { 0 };
    struct err e = ERR_INIT;

    req.remote_loopback = true;
    cr_assert_lt(api_authorize(&req, &r, &e), 0);
    cr_assert_eq(e.code, ERR_FORBIDDEN);
    free(req.auth);
    r.perm = PERM_OPS;
    cr_assert_eq(api_authorize(&req, &r, &e), 0);
    req.remote_loopback = false;
    cr_assert_lt(api_authorize(&req, &r, &e), 0);
}

Test(errmap, statuses)
{
    cr_assert_eq(api_status_of(ERR_NOT_FOUND), 404);
    cr_assert_eq(api_status_of(ERR_BUSY), 503);
    cr_assert_eq(api_status_of(ERR_TOO_LARGE), 413);
    cr_assert_eq(api_status_of(ERR_HEADER_TOO_LARGE), 431);
    cr_assert_eq(api_status_of(ERR_UNSUPPORTED_MEDIA), 415);
    cr_assert_eq(api_status_of(ERR_DUPLICATE), 409);
    cr_assert_eq(api_status_of(-1), 500);
    for (int c = 1; c < ERR__COUNT; c++)
        cr_assert_geq(api_status_of(c), 400, "code %d maps below 400", c);
}
