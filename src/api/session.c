/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/session.c -- logging in and out, who am I, changing one's password.
 * Password checks (argon2id, tens of milliseconds) run on the slow-work pool,
 * never on an I/O thread; what they decide is written through the writer. */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>

#include "api/api.h"
#include "api/call.h"
#include "api/render.h"
#include "core/clock.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/auth/throttle.h"

struct login {
    struct request *req;
    struct response *res;
    char login[64];
    char password[160];
    struct login_user u;
    struct user_info info;
    struct session_new s;
};

/* A real argon2id string to verify against when the account does not exist, so
 * a wrong username costs as long as a wrong password. */
static char dummy_hash[CRYPTO_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
    crypto_password_hash("xiangzhi-no-such-user", dummy_hash, NULL);
}

static int
find_job(struct db_conn *c, void *arg, struct err *err)
{
    struct login *l = arg;
    struct api_ctx *ctx = l->req->app;
    int rc = account_find_login(c, ctx->keys, l->login, &l->u, err);

    return rc < 0 ? rc : account_user_get(c, l->u.id, &l->info, err);
}

static void
finish(struct login *l)
{
    request_resume(l->req);
    sodium_memzero(l->password, sizeof(l->password));
    free(l);
}

static void
finish_error(struct login *l, int code, const char *zh, const char *en)
{
    api_fail(l->req, l->res, code, NULL, zh, en);
    finish(l);
}

static void
bad_credentials(struct login *l)
{
    throttle_failed(l->req->remote, clock_now_ms());
    finish_error(l, ERR_UNAUTHENTICATED, "用户名或密码错误", "wrong username or password");
}

static int
success_job(struct db_conn *c, void *arg, struct err *err)
{
    return account_login_succeeded(c, &((struct login *)arg)->s, err);
}

static int
failed_job(struct db_conn *c, void *arg, struct err *err)
{
    struct login *l = arg;

    return account_login_failed(c, l->u.id, l->req->remote, l->req->rid, err);
}

static void
success_done(void *arg, int rc, const struct err *e)
{
    struct login *l = arg;
    struct api_ctx *ctx = l->req->app;
    struct principal p = { .user_id = l->info.id,
                           .nroles = l->info.nroles,
                           .must_change_password = l->info.must_change_password };
    char cookie[256];

    if (rc < 0) {
        response_error(l->res, l->req, e);
        finish(l);
        return;
    }
    snprintf(p.username, sizeof(p.username), "%s", l->info.username);
    snprintf(p.display_name, sizeof(p.display_name), "%s", l->info.display_name);
    snprintf(p.csrf, sizeof(p.csrf), "%s", l->s.csrf);
    memcpy(p.roles, l->info.roles, sizeof(p.roles));
    snprintf(cookie, sizeof(cookie),
             "xz_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", l->s.token,
             (long long)(SESSION_MAX_MS / 1000), ctx->secure_cookies ? "; Secure" : "");
    response_header(l->res, "Set-Cookie", cookie);
    api_json(l->res, 201, render_principal(&p));
    finish(l);
}

static void
failed_done(void *arg, int rc, const struct err *e)
{
    (void)rc;
    (void)e;
    bad_credentials(arg);
}

static void
submit(struct login *l, domain_job_fn job, domain_done_fn done)
{
    struct api_ctx *ctx = l->req->app;
    struct err e = ERR_INIT;

    if (domain_write(ctx->writer, job, l, done, l, &e) < 0) {
        response_error(l->res, l->req, &e);
        finish(l);
    }
}

/* On the slow-work pool. */
static void
login_work(void *arg)
{
    struct login *l = arg;
    struct api_ctx *ctx = l->req->app;
    struct err e = ERR_INIT;
    int64_t now = clock_now_ms();

    pthread_once(&dummy_once, make_dummy);
    if (domain_read(ctx->db, find_job, l, &e) < 0) {
        if (e.code != ERR_NOT_FOUND) {
            response_error(l->res, l->req, &e);
            finish(l);
            return;
        }
        crypto_password_verify(dummy_hash, l->password);
        bad_credentials(l);
        return;
    }
    if (l->u.locked_until > now) {
        finish_error(l, ERR_TOO_MANY, "登录失败次数过多,账号已暂时锁定,请 15 分钟后再试",
                     "too many failed logins: the account is locked for 15 minutes");
        return;
    }
    if (l->u.disabled || !crypto_password_verify(l->u.password_hash, l->password)) {
        submit(l, failed_job, failed_done);
        return;
    }
    l->s.user_id = l->u.id;
    snprintf(l->s.remote, sizeof(l->s.remote), "%s", l->req->remote);
    snprintf(l->s.request_id, sizeof(l->s.request_id), "%s", l->req->rid);
    submit(l, success_job, success_done);
}

int
api_session_create(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    struct login *l;
    struct err e = ERR_INIT;

    if (!throttle_allows(req->remote, clock_now_ms()))
        return api_fail(req, res, ERR_TOO_MANY, NULL, "登录尝试过于频繁,请稍后再试",
                        "too many login attempts from your address; try again later");
    l = xcalloc(1, sizeof(*l));
    l->req = req;
    l->res = res;
    snprintf(l->login, sizeof(l->login), "%s", api_str(req, "username"));
    snprintf(l->password, sizeof(l->password), "%s", api_str(req, "password"));
    request_suspend(req);
    if (workpool_submit(ctx->slow, login_work, l, &e) < 0) {
        response_error(res, req, &e);
        finish(l);
    }
    return HTTP_SUSPENDED;
}

int
api_session_get(struct request *req, struct response *res)
{
    return api_json(res, 200, render_principal(api_principal(req)));
}

int
api_whoami(struct request *req, struct response *res)
{
    struct err e = ERR_INIT;

    if (api_authenticate_optional(req, &e) < 0)
        return response_error(res, req, &e);
    return api_json(
        res, 200,
        json_pack("{s:o}", "session",
                  api_principal(req) ? render_principal(api_principal(req)) : json_null()));
}

struct logout {
    unsigned char hash[32];
    bool secure;
};

static int
logout_job(struct db_conn *c, void *arg, struct err *err)
{
    return account_session_end(c, ((struct logout *)arg)->hash, err);
}

static int
logout_render(struct request *req, struct response *res, void *state)
{
    const struct logout *o = state;

    api_forget_principals(req);
    response_header(res, "Set-Cookie",
                    o->secure ? "xz_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                              : "xz_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return response_text(res, 204, NULL, "");
}

int
api_session_delete(struct request *req, struct response *res)
{
    const struct principal *p = api_principal(req);
    struct api_ctx *ctx = req->app;
    struct logout *o = xcalloc(1, sizeof(*o));

    memcpy(o->hash, p->session_hash, sizeof(o->hash));
    o->secure = ctx->secure_cookies;
    return api_write(req, res, logout_job, o, logout_render);
}
