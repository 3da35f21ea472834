/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/authz.c -- the one authorisation function every request passes
 * (DESIGN.md §6): find the caller (session cookie or API token), refuse a
 * cookie write without its CSRF token, hold accounts that must change their
 * password to their own routes, then ask the permission table whether some role
 * of the caller holds the route's permission. Object-level scope checks follow
 * in the domain call. A permission the table does not know is refused, so a new
 * route cannot be open by accident. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/principal_cache.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/xalloc.h"
#include "domain/auth/account.h"
#include "domain/auth/auth.h"

#define SESSION_COOKIE "xz_session"

struct lookup {
    const char *token;
    bool bearer;
    int64_t now;
    struct principal *p;
};

static int
lookup_job(struct db_conn *c, void *arg, struct err *err)
{
    struct lookup *l = arg;

    if (l->bearer)
        return account_token_principal(c, l->token, l->now, l->p, err);
    return account_session_principal(c, l->token, l->now, l->p, err);
}

static int
touch_job(struct db_conn *c, void *arg, struct err *err)
{
    const struct principal *p = arg;

    return account_session_touch(c, p->session_hash, clock_now_ms(), err);
}

static void
free_done(void *arg, int rc, const struct err *e)
{
    (void)rc;
    (void)e;
    free(arg);
}

/* Keep an active session alive, at most once a minute, without delaying the request. */
static void
touch_later(struct api_ctx *ctx, const struct principal *p, int64_t now)
{
    struct principal *copy;

    if (p->via_token || now - p->last_seen_at < SESSION_TOUCH_MS)
        return;
    copy = xmalloc(sizeof(*copy));
    *copy = *p;
    if (domain_write(ctx->writer, touch_job, copy, free_done, copy, NULL) < 0)
        free(copy);
}

static int
authenticate(struct request *req, struct principal *p, struct err *err)
{
    struct api_ctx *ctx = req->app;
    const char *authz = request_header(req, "Authorization");
    struct lookup l = { request_cookie(req, SESSION_COOKIE), false, clock_now_ms(), p };
    unsigned char key[CRYPTO_FINGERPRINT_BYTES];
    uint64_t generation;

    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        l.token = authz + 7;
        l.bearer = true;
    }
    if (!l.token || strlen(l.token) != CRYPTO_TOKEN_CHARS)
        return err_code_set(err, ERR_UNAUTHENTICATED, NULL);
    crypto_fingerprint(l.token, CRYPTO_TOKEN_CHARS, key);
    if (principal_cache_get(ctx->principals, key, l.now, p) && account_principal_current(p, l.now))
        return 0;
    generation = principal_cache_generation(ctx->principals);
    if (domain_read(ctx->db, lookup_job, &l, err) < 0)
        return -err->code;
    principal_cache_put(ctx->principals, key, generation, l.now, p);
    touch_later(ctx, p, l.now);
    return 0;
}

static bool
is_write(unsigned method)
{
    return method == HTTP_POST || method == HTTP_PUT || method == HTTP_PATCH ||
           method == HTTP_DELETE;
}

static int
check_csrf(const struct request *req, const struct principal *p, struct err *err)
{
    const char *sent = request_header(req, "X-CSRF-Token");

    if (p->via_token || !is_write(req->method))
        return 0;
    if (sent && strlen(sent) == strlen(p->csrf) && crypto_equal(sent, p->csrf, strlen(sent)))
        return 0;
    return err_set(err, ERR_FORBIDDEN, "X-CSRF-Token", "缺少或错误的 CSRF 令牌,请刷新页面后重试",
                   "missing or wrong CSRF token; reload the page and try again");
}

int
api_authorize(struct request *req, const struct http_route *r, struct err *err)
{
    struct principal *p;

    if (!auth_perm_known(r->perm))
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    if (strcmp(r->perm, PERM_PUBLIC) == 0)
        return 0;
    if (strcmp(r->perm, PERM_OPS) == 0)
        return req->remote_loopback
                   ? 0
                   : err_set(err, ERR_FORBIDDEN, NULL, "此接口只允许本机运维调用",
                             "this route is for the operator on the server itself");
    p = xcalloc(1, sizeof(*p));
    req->auth = p;
    if (authenticate(req, p, err) < 0 || check_csrf(req, p, err) < 0)
        return -err->code;
    if (p->must_change_password && strcmp(r->perm, PERM_SELF) != 0)
        return err_set(err, ERR_FORBIDDEN, NULL, "请先修改初始密码",
                       "change your initial password first");
    if (!auth_role_may(p, r->perm))
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    return 0;
}

int
api_authenticate_optional(struct request *req, struct err *err)
{
    struct principal *p = xcalloc(1, sizeof(*p));

    if (authenticate(req, p, err) == 0) {
        req->auth = p;
        return 0;
    }
    free(p);
    if (err->code != ERR_UNAUTHENTICATED)
        return -err->code;
    err_clear(err);
    return 0;
}

void
api_forget_principals(const struct request *req)
{
    principal_cache_forget_all(((struct api_ctx *)req->app)->principals);
}

void
api_request_done(struct request *req)
{
    free(req->auth);
    req->auth = NULL;
}
