/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/users.c -- accounts: one's own password, and for the county admin the
 * users, their roles, resets and disabling; API tokens; the audit log reader.
 * Every change is audited in the transaction that makes it. */
#include "core/compat.h"

#include <sodium.h>

#include "api/api.h"
#include "api/call.h"
#include "api/render.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/region/region.h"
#include "domain/identity/idnum.h"

#define PASSWORD_MIN 8

struct user_change {
    struct principal who;
    char rid[24];
    int64_t user_id;
    char password[160];
    char old_password[160];
    char hash[CRYPTO_PWHASH_MAX];
    char status[12];
    bool must_change;
    const struct crypto_keys *keys;
    struct user_new u;
    struct user_info info;
};

static struct user_change *
change_new(const struct request *req)
{
    struct user_change *ch = xcalloc(1, sizeof(*ch));

    ch->who = *api_principal(req);
    snprintf(ch->rid, sizeof(ch->rid), "%s", req->rid);
    ch->keys = ((struct api_ctx *)req->app)->keys;
    return ch;
}

/* The place an account change belongs to: the target user's first role (so that
 * village's committee sees it), else the new user's, else the caller's own. */
static const char *
target_scope(const struct user_change *ch)
{
    if (ch->info.nroles)
        return ch->info.roles[0].scope;
    if (ch->u.nroles)
        return ch->u.roles[0].scope;
    return ch->who.nroles ? ch->who.roles[0].scope : "";
}

static int
audit_user(struct db_conn *c, const struct user_change *ch, const char *action, int role,
           struct err *err)
{
    char id[24];

    snprintf(id, sizeof(id), "%" PRId64, ch->user_id);
    return audit_record(c,
                        &(struct audit_entry){ .who = &ch->who,
                                               .role = role,
                                               .action = action,
                                               .object_type = "user",
                                               .object_id = id,
                                               .region_code = target_scope(ch),
                                               .result = "ok",
                                               .request_id = ch->rid },
                        err);
}

static int
check_password(const char *pw, struct err *err)
{
    size_t n = strlen(pw);

    if (n < PASSWORD_MIN || n > 128)
        return err_set(err, ERR_INVALID, "password", "密码应为 %d 到 128 个字符",
                       "a password must be %d to 128 characters", PASSWORD_MIN);
    return 0;
}

static int
hash_new_password(struct request *req, void *state, struct err *err)
{
    struct user_change *ch = state;
    int rc = check_password(ch->password, err);

    (void)req;
    if (rc == 0)
        rc = crypto_password_hash(ch->password, ch->hash, err);
    sodium_memzero(ch->password, sizeof(ch->password));
    return rc;
}

static int
render_ok(struct request *req, struct response *res, void *state)
{
    (void)state;
    api_forget_principals(req); /* a password, status or first-password flag changed */
    return response_text(res, 200, "application/json; charset=utf-8", "{\"ok\":true}");
}

/* An admin may manage only users whose every role lies in the admin's scope;
 * others look like no user at all. */
static int
target_in_scope(struct db_conn *c, struct user_change *ch, struct err *err)
{
    int rc = account_user_get(c, ch->user_id, &ch->info, err);

    for (int i = 0; rc == 0 && i < ch->info.nroles; i++)
        if (!auth_object_may(&ch->who, PERM_USER_ADMIN, ch->info.roles[i].scope, 0))
            rc = err_set(err, ERR_NOT_FOUND, "id", "找不到该用户", "no such user");
    return rc;
}

/* --- one's own password --- */

static int
verify_old_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_change *ch = arg;

    return account_password_hash(c, ch->user_id, ch->hash, err);
}

static int
change_prepare(struct request *req, void *state, struct err *err)
{
    struct user_change *ch = state;
    struct api_ctx *ctx = req->app;
    int rc = domain_read(ctx->db, verify_old_job, ch, err);

    if (rc == 0 && !crypto_password_verify(ch->hash, ch->old_password))
        rc = err_set(err, ERR_FORBIDDEN, "old_password", "原密码不正确",
                     "the current password is wrong");
    sodium_memzero(ch->old_password, sizeof(ch->old_password));
    if (rc == 0 && strcmp(ch->password, ch->who.username) == 0)
        rc = err_set(err, ERR_INVALID, "password", "密码不能与用户名相同",
                     "the password must differ from the username");
    return rc < 0 ? rc : hash_new_password(req, state, err);
}

static int
change_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_change *ch = arg;
    int rc = account_set_password(c, ch->user_id, ch->hash, false, ch->who.session_hash, err);

    return rc < 0 ? rc : audit_user(c, ch, "user.password_change", ROLE_NONE, err);
}

int
api_password_change(struct request *req, struct response *res)
{
    struct user_change *ch = change_new(req);

    ch->user_id = ch->who.user_id;
    snprintf(ch->old_password, sizeof(ch->old_password), "%s", api_str(req, "old_password"));
    snprintf(ch->password, sizeof(ch->password), "%s", api_str(req, "new_password"));
    return api_slow_write(req, res, change_prepare, change_job, ch, render_ok);
}

/* --- the county admin's user management --- */

/* Every role the new user gets must lie inside the admin's own scope. */
static int
parse_roles(const struct request *req, struct user_change *ch, struct err *err)
{
    json_t *roles = json_object_get(req->body, "roles"), *r;
    size_t i;

    if (json_array_size(roles) < 1 || json_array_size(roles) > AUTH_MAX_ROLES)
        return err_set(err, ERR_INVALID, "roles", "角色数应为 1 到 %d 个", "give 1 to %d roles",
                       AUTH_MAX_ROLES);
    json_array_foreach (roles, i, r) {
        struct auth_binding *b = &ch->u.roles[ch->u.nroles++];
        const char *scope = json_string_value(json_object_get(r, "scope"));
        const char *role = json_string_value(json_object_get(r, "role"));

        b->role = role_parse(role ? role : "");
        snprintf(b->scope, sizeof(b->scope), "%s", scope ? scope : "");
        b->household_id = json_integer_value(json_object_get(r, "household_id"));
        if (!json_is_object(r) || b->role == ROLE_NONE)
            return err_set(err, ERR_INVALID, "roles", "第 %zu 个角色无效", "role %zu is invalid",
                           i + 1);
        if (!auth_object_may(&ch->who, PERM_USER_ADMIN, b->scope, 0))
            return err_set(err, ERR_FORBIDDEN, "roles", "第 %zu 个角色超出您的管辖范围",
                           "role %zu is outside your scope", i + 1);
    }
    return 0;
}

static int
create_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_change *ch = arg;
    int rc = account_user_create(c, ch->keys, &ch->u, err);

    ch->user_id = ch->u.id;
    if (rc == 0)
        rc = audit_user(c, ch, "user.create", ROLE_COUNTY_ADMIN, err);
    return rc < 0 ? rc : account_user_get(c, ch->u.id, &ch->info, err);
}

static int
create_prepare(struct request *req, void *state, struct err *err)
{
    struct user_change *ch = state;
    int rc = hash_new_password(req, state, err);

    snprintf(ch->u.password_hash, sizeof(ch->u.password_hash), "%s", ch->hash);
    return rc;
}

static int
render_user_info(struct request *req, struct response *res, void *state)
{
    (void)req;
    return api_json(res, req->method == HTTP_POST ? 201 : 200,
                    render_user(&((struct user_change *)state)->info));
}

int
api_user_create(struct request *req, struct response *res)
{
    struct user_change *ch = change_new(req);
    const char *phone = api_str(req, "phone");
    struct err e = ERR_INIT;

    snprintf(ch->u.username, sizeof(ch->u.username), "%s", api_str(req, "username"));
    snprintf(ch->u.display_name, sizeof(ch->u.display_name), "%s", api_str(req, "display_name"));
    snprintf(ch->password, sizeof(ch->password), "%s", api_str(req, "password"));
    ch->u.must_change_password = true;
    if ((phone && *phone && phone_parse(phone, ch->u.phone, &e) < 0) ||
        parse_roles(req, ch, &e) < 0) {
        free(ch);
        return response_error(res, req, &e);
    }
    return api_slow_write(req, res, create_prepare, create_job, ch, render_user_info);
}

static int
get_job(struct db_conn *c, void *arg, struct err *err)
{
    return target_in_scope(c, arg, err);
}

int
api_user_get(struct request *req, struct response *res)
{
    struct user_change ch = { .user_id = api_param_id(req, "id"), .who = *api_principal(req) };

    return api_read(req, res, get_job, &ch, render_user_info);
}

struct user_page {
    struct principal who;
    int64_t after;
    int limit;
    struct user_info *rows;
    size_t n;
};

/* Does every role of 'u' lie in the admin's scope (target_in_scope's rule)? */
static bool
visible(const struct principal *who, const struct user_info *u)
{
    for (int i = 0; i < u->nroles; i++)
        if (!auth_object_may(who, PERM_USER_ADMIN, u->roles[i].scope, 0))
            return false;
    return true;
}

/* Pages of accounts by id, keeping those the admin may see, until the page is
 * full or the accounts end: a short page still means the last one. */
static int
list_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_page *pg = arg;
    int limit = pg->limit < 1 || pg->limit > 200 ? 50 : pg->limit, rc;
    struct user_info *batch;
    size_t got;

    pg->rows = xcalloc((size_t)limit, sizeof(*pg->rows));
    pg->n = 0;
    do {
        rc = account_user_list(c, pg->after, limit, &batch, &got, err);
        for (size_t i = 0; rc == 0 && i < got; i++) {
            pg->after = batch[i].id;
            if (visible(&pg->who, &batch[i]) && pg->n < (size_t)limit)
                pg->rows[pg->n++] = batch[i];
            if (pg->n == (size_t)limit)
                break;
        }
        free(batch);
    } while (rc == 0 && got == (size_t)limit && pg->n < (size_t)limit);
    if (rc < 0) {
        free(pg->rows);
        pg->rows = NULL;
    }
    return rc;
}

static int
render_users(struct request *req, struct response *res, void *state)
{
    struct user_page *pg = state;
    json_t *items = json_array();

    (void)req;
    for (size_t i = 0; i < pg->n; i++)
        json_array_append_new(items, render_user(&pg->rows[i]));
    free(pg->rows);
    return api_json(res, 200, json_pack("{s:o}", "items", items));
}

int
api_user_list(struct request *req, struct response *res)
{
    struct user_page pg = { *api_principal(req), api_query_int(req, "after", 0),
                            (int)api_query_int(req, "limit", 50), NULL, 0 };

    return api_read(req, res, list_job, &pg, render_users);
}

static int
reset_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_change *ch = arg;
    int rc = target_in_scope(c, ch, err);

    if (rc == 0)
        rc = account_set_password(c, ch->user_id, ch->hash, true, NULL, err);

    return rc < 0 ? rc : audit_user(c, ch, "user.password_reset", ROLE_COUNTY_ADMIN, err);
}

int
api_user_reset_password(struct request *req, struct response *res)
{
    struct user_change *ch = change_new(req);

    ch->user_id = api_param_id(req, "id");
    snprintf(ch->password, sizeof(ch->password), "%s", api_str(req, "password"));
    return api_slow_write(req, res, hash_new_password, reset_job, ch, render_ok);
}

static int
status_job(struct db_conn *c, void *arg, struct err *err)
{
    struct user_change *ch = arg;
    int rc = target_in_scope(c, ch, err);

    if (rc == 0)
        rc = account_set_status(c, ch->user_id, ch->status, err);

    return rc < 0 ? rc : audit_user(c, ch, "user.status", ROLE_COUNTY_ADMIN, err);
}

int
api_user_set_status(struct request *req, struct response *res)
{
    struct user_change *ch = change_new(req);

    ch->user_id = api_param_id(req, "id");
    snprintf(ch->status, sizeof(ch->status), "%s", api_str(req, "status"));
    return api_write(req, res, status_job, ch, render_ok);
}
