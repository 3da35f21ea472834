/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/user.c -- accounts and their role bindings. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "domain/auth/account.h"
#include "domain/region/region.h"
#include "domain/identity/idnum.h"
#include "store/db.h"

static int
check_household(struct db_conn *c, const struct auth_binding *b, struct err *err)
{
    int rc;

    if (b->role != ROLE_VILLAGER)
        return b->household_id ? err_set(err, ERR_INVALID, "household_id", "只有村民角色关联户",
                                         "only a villager role names a household")
                               : 0;
    rc = db_run(c, err, "SELECT id FROM households WHERE id = ? AND village_code = ?", "it",
                b->household_id, b->scope);
    if (rc == 0)
        return err_set(err, ERR_INVALID, "household_id", "村民角色需要本村的一户",
                       "a villager role needs a household of that village");
    return rc < 0 ? rc : 0;
}

int
account_check_binding(struct db_conn *c, const struct auth_binding *b, struct err *err)
{
    struct region r;
    int level;

    if (b->role <= ROLE_NONE || b->role >= ROLE__COUNT)
        return err_set(err, ERR_INVALID, "role", "未知角色", "unknown role");
    if (region_code_parse(b->scope, &level, err) < 0)
        return -err->code;
    if (level != role_scope_level(b->role))
        return err_set(err, ERR_INVALID, "scope", "%s 的管辖范围应为第 %d 级区划",
                       "the scope of %s must be a level-%d region", role_name(b->role),
                       role_scope_level(b->role));
    if (region_get(c, b->scope, &r, err) < 0)
        return -err->code;
    return check_household(c, b, err);
}

static int
insert_user(struct db_conn *c, const struct crypto_keys *k, struct user_new *u, struct err *err)
{
    unsigned char ph[CRYPTO_HASH_BYTES];
    char mask[12] = "";
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc;

    if (u->phone[0]) {
        crypto_lookup_hash(k, "phone", u->phone, ph);
        phone_mask(u->phone, mask);
    }
    rc = db_prepare(c,
                    "INSERT INTO users (username, display_name, phone_hash, phone_mask,"
                    " password_hash, must_change_password, password_changed_at, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, u->username, (size_t)-1);
    db_bind_text(s, 2, u->display_name, (size_t)-1);
    if (u->phone[0])
        db_bind_blob(s, 3, ph, sizeof(ph));
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, mask, (size_t)-1);
    db_bind_text(s, 5, u->password_hash, (size_t)-1);
    db_bind_i64(s, 6, u->must_change_password);
    db_bind_i64(s, 7, now);
    db_bind_i64(s, 8, now);
    db_bind_i64(s, 9, now);
    rc = db_step(s, err);
    if (rc == 1)
        u->id = db_col_i64(s, 0);
    db_reset(s);
    if (rc == -ERR_DUPLICATE)
        err_set(err, ERR_DUPLICATE, "username", "用户名或手机号已被使用",
                "the username or phone number is already taken");
    return rc < 0 ? rc : 0;
}

static bool
username_ok(const char *name)
{
    size_t n = strlen(name);

    if (n < 2 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_' || name[i] == '.' || name[i] == '-'))
            return false;
    return true;
}

int
account_user_create(struct db_conn *c, const struct crypto_keys *k, struct user_new *u,
                    struct err *err)
{
    int rc;

    if (!username_ok(u->username))
        return err_set(err, ERR_INVALID, "username", "用户名应为 2-32 位小写字母、数字或 _ . -",
                       "a username is 2-32 lowercase letters, digits, _ . or -");
    if (json_utf8_chars(u->display_name) < 1 || json_utf8_chars(u->display_name) > 32)
        return err_set(err, ERR_INVALID, "display_name", "姓名应为 1-32 个字",
                       "the display name must be 1-32 characters");
    if (u->nroles < 1)
        return err_set(err, ERR_INVALID, "roles", "至少需要一个角色",
                       "at least one role is needed");
    for (int i = 0; i < u->nroles; i++)
        if (account_check_binding(c, &u->roles[i], err) < 0)
            return -err->code;
    rc = insert_user(c, k, u, err);
    for (int i = 0; rc == 0 && i < u->nroles; i++) {
        const struct auth_binding *b = &u->roles[i];

        rc = db_run(c, err,
                    "INSERT INTO user_roles (user_id, role, scope_code, household_id)"
                    " VALUES (?, ?, ?, ?)",
                    b->household_id ? "itti" : "ittn", u->id, role_name(b->role), b->scope,
                    b->household_id);
        if (rc == -ERR_DUPLICATE)
            rc = err_set(err, ERR_DUPLICATE, "roles", "重复的角色", "a role is given twice");
    }
    return rc < 0 ? rc : 0;
}

static int
end_sessions(struct db_conn *c, int64_t user_id, const unsigned char *keep, struct err *err)
{
    int rc;

    if (keep)
        rc = db_run(c, err, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", "ib",
                    user_id, (const void *)keep, (size_t)32);
    else
        rc = db_run(c, err, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
    return rc < 0 ? rc : 0;
}

static int
not_found_user(struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "找不到该用户", "no such user");
}

int
account_set_password(struct db_conn *c, int64_t user_id, const char *hash, bool must_change,
                     const unsigned char *keep, struct err *err)
{
    int64_t now = clock_now_ms();
    int rc = db_run(c, err,
                    "UPDATE users SET password_hash = ?, must_change_password = ?,"
                    " password_changed_at = ?, updated_at = ?, failed_logins = 0, locked_until = 0"
                    " WHERE id = ? RETURNING id",
                    "tiiii", hash, (int64_t)must_change, now, now, user_id);

    if (rc == 0)
        return not_found_user(err);
    return rc < 0 ? rc : end_sessions(c, user_id, keep, err);
}

int
account_set_status(struct db_conn *c, int64_t user_id, const char *status, struct err *err)
{
    int rc;

    if (strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0)
        return err_set(err, ERR_INVALID, "status", "状态应为 active 或 disabled",
                       "status must be active or disabled");
    rc = db_run(c, err, "UPDATE users SET status = ?, updated_at = ? WHERE id = ? RETURNING id",
                "tii", status, clock_now_ms(), user_id);
    if (rc == 0)
        return not_found_user(err);
    if (rc < 0 || strcmp(status, "disabled") != 0)
        return rc < 0 ? rc : 0;
    rc = db_run(c, err,
                "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ?"
                " AND revoked_at IS NULL",
                "ii", clock_now_ms(), user_id);
    return rc < 0 ? rc : end_sessions(c, user_id, NULL, err);
}

int
account_load_bindings(struct db_conn *c, int64_t user_id, struct auth_binding *b, int *n,
                      struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT role, scope_code, household_id FROM user_roles"
                        " WHERE user_id = ? ORDER BY id",
                        &s, err);

    *n = 0;
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, user_id);
    while ((rc = db_step(s, err)) == 1 && *n < AUTH_MAX_ROLES) {
        b[*n].role = role_parse(db_col_text(s, 0, NULL));
        db_col_copy(s, 1, b[*n].scope, sizeof(b[*n].scope));
        b[*n].household_id = db_col_is_null(s, 2) ? 0 : db_col_i64(s, 2);
        (*n)++;
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static int
load_bindings(struct db_conn *c, struct user_info *u, struct err *err)
{
    return account_load_bindings(c, u->id, u->roles, &u->nroles, err);
}

#define USER_COLUMNS                                                                               \
    "SELECT id, username, display_name, phone_mask, status, must_change_password, created_at"      \
    " FROM users "

static void
read_user(struct db_stmt *s, struct user_info *u)
{
    memset(u, 0, sizeof(*u));
    u->id = db_col_i64(s, 0);
    db_col_copy(s, 1, u->username, sizeof(u->username));
    db_col_copy(s, 2, u->display_name, sizeof(u->display_name));
    db_col_copy(s, 3, u->phone_mask, sizeof(u->phone_mask));
    db_col_copy(s, 4, u->status, sizeof(u->status));
    u->must_change_password = db_col_i64(s, 5) != 0;
    u->created_at = db_col_i64(s, 6);
}

static int
get_one(struct db_conn *c, struct db_stmt *s, struct user_info *out, struct err *err)
{
    int rc = db_step(s, err);

    if (rc == 1)
        read_user(s, out);
    db_reset(s);
    if (rc == 0)
        return not_found_user(err);
    return rc < 0 ? rc : load_bindings(c, out, err);
}

int
account_user_get(struct db_conn *c, int64_t id, struct user_info *out, struct err *err)
{
    static const char sql[] = USER_COLUMNS "WHERE id = ?";
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, id);
    return get_one(c, s, out, err);
}

int
account_user_by_name(struct db_conn *c, const char *username, struct user_info *out,
                     struct err *err)
{
    static const char sql[] = USER_COLUMNS "WHERE username = ?";
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, username, (size_t)-1);
    return get_one(c, s, out, err);
}

int
account_user_list(struct db_conn *c, int64_t after_id, int limit, struct user_info **out, size_t *n,
                  struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, USER_COLUMNS "WHERE id > ? ORDER BY id LIMIT ?", &s, err);

    *out = NULL;
    *n = 0;
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, after_id);
    db_bind_i64(s, 2, limit < 1 || limit > 200 ? 50 : limit);
    *out = xcalloc(limit < 1 || limit > 200 ? 50 : (size_t)limit, sizeof(**out));
    while ((rc = db_step(s, err)) == 1)
        read_user(s, &(*out)[(*n)++]);
    db_reset(s);
    for (size_t i = 0; rc == 0 && i < *n; i++)
        rc = load_bindings(c, &(*out)[i], err);
    return rc < 0 ? rc : 0;
}

int
account_password_hash(struct db_conn *c, int64_t user_id, char out[CRYPTO_PWHASH_MAX],
                      struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, "SELECT password_hash FROM users WHERE id = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, user_id);
    rc = db_step(s, err);
    if (rc == 1)
        snprintf(out, CRYPTO_PWHASH_MAX, "%s", db_col_text(s, 0, NULL));
    db_reset(s);
    if (rc == 0)
        return not_found_user(err);
    return rc < 0 ? rc : 0;
}
