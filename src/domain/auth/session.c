/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/session.c -- logging in, sessions and API tokens: turning a
 * cookie or bearer token into a principal, and the jobs that open, refresh and
 * end sessions. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/audit/audit.h"
#include "domain/auth/account.h"
#include "domain/identity/idnum.h"
#include "store/db.h"

static void
token_hash(const char *token, unsigned char out[32])
{
    crypto_sha256(token, strlen(token), out);
}

int
account_find_login(struct db_conn *c, const struct crypto_keys *k, const char *login,
                   struct login_user *out, struct err *err)
{
    unsigned char ph[CRYPTO_HASH_BYTES];
    char phone[12];
    struct db_stmt *s;
    int rc;

    if (phone_parse(login, phone, NULL) == 0) {
        crypto_lookup_hash(k, "phone", phone, ph);
        rc = db_prepare(c,
                        "SELECT id, status, failed_logins, locked_until, password_hash"
                        " FROM users WHERE phone_hash = ?",
                        &s, err);
        if (rc == 0)
            db_bind_blob(s, 1, ph, sizeof(ph));
    } else {
        rc = db_prepare(c,
                        "SELECT id, status, failed_logins, locked_until, password_hash"
                        " FROM users WHERE username = ?",
                        &s, err);
        if (rc == 0)
            db_bind_text(s, 1, login, (size_t)-1);
    }
    if (rc < 0)
        return rc;
    rc = db_step(s, err);
    if (rc == 1) {
        out->id = db_col_i64(s, 0);
        out->disabled = strcmp(db_col_text(s, 1, NULL), "active") != 0;
        out->failed_logins = (int)db_col_i64(s, 2);
        out->locked_until = db_col_i64(s, 3);
        db_col_copy(s, 4, out->password_hash, sizeof(out->password_hash));
    } else if (rc == 0) {
        rc = err_code_set(err, ERR_NOT_FOUND, "username");
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* Who logs in, as the audit log names them: the username, and as the place the
 * entry belongs to the scope of their first role, so the county and the
 * village's committee see it. "#id" if the account cannot be read. */
static void
login_subject(struct db_conn *c, int64_t user_id, struct principal *who, char scope[13])
{
    struct db_stmt *s;

    scope[0] = '\0';
    snprintf(who->username, sizeof(who->username), "#%" PRId64, user_id);
    if (db_prepare(
            c,
            "SELECT u.username, COALESCE((SELECT r.scope_code FROM user_roles r"
            " WHERE r.user_id = u.id ORDER BY r.id LIMIT 1), '') FROM users u WHERE u.id = ?",
            &s, NULL) < 0)
        return;
    db_bind_i64(s, 1, user_id);
    if (db_step(s, NULL) == 1) {
        db_col_copy(s, 0, who->username, sizeof(who->username));
        db_col_copy(s, 1, scope, 13);
    }
    db_reset(s);
}

static int
audit_login(struct db_conn *c, int64_t user_id, const char *result, const char *remote,
            const char *rid, struct err *err)
{
    struct principal who = { .user_id = user_id };
    char id[24], scope[13];

    login_subject(c, user_id, &who, scope);
    snprintf(id, sizeof(id), "%" PRId64, user_id);
    return audit_record(c,
                        &(struct audit_entry){ .who = &who,
                                               .action = "session.login",
                                               .object_type = "user",
                                               .object_id = id,
                                               .region_code = scope,
                                               .result = result,
                                               .request_id = rid,
                                               .detail = remote },
                        err);
}

int
account_login_succeeded(struct db_conn *c, struct session_new *s, struct err *err)
{
    unsigned char h[32];
    struct db_stmt *st;
    int64_t now = clock_now_ms();
    int rc;

    crypto_random_token(s->token);
    crypto_random_token(s->csrf);
    token_hash(s->token, h);
    s->expires_at = now + SESSION_MAX_MS;
    rc = db_prepare(c,
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
                    " last_seen_at, expires_at, remote) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &st, err);
    if (rc < 0)
        return rc;
    db_bind_blob(st, 1, h, sizeof(h));
    db_bind_i64(st, 2, s->user_id);
    db_bind_text(st, 3, s->csrf, (size_t)-1);
    db_bind_i64(st, 4, now);
    db_bind_i64(st, 5, now);
    db_bind_i64(st, 6, s->expires_at);
    db_bind_text(st, 7, s->remote, (size_t)-1);
    rc = db_step(st, err);
    db_reset(st);
    if (rc < 0)
        return rc;
    rc = db_run(c, err, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", "i",
                s->user_id);
    return rc < 0 ? rc : audit_login(c, s->user_id, "ok", s->remote, s->request_id, err);
}

int
account_login_failed(struct db_conn *c, int64_t user_id, const char *remote, const char *rid,
                     struct err *err)
{
    int64_t lock_at = clock_now_ms() + LOGIN_LOCK_MS;
    int rc = db_run(c, err,
                    "UPDATE users SET failed_logins = failed_logins + 1,"
                    " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until"
                    " END WHERE id = ?",
                    "iii", (int64_t)LOGIN_MAX_FAILURES, lock_at, user_id);

    return rc < 0 ? rc : audit_login(c, user_id, "denied", remote, rid, err);
}

static int
load_roles(struct db_conn *c, struct principal *p, struct err *err)
{
    return account_load_bindings(c, p->user_id, p->roles, &p->nroles, err);
}

static int
unauthenticated(struct err *err)
{
    return err_set(err, ERR_UNAUTHENTICATED, NULL, "登录已失效,请重新登录",
                   "your session has ended; please log in again");
}

bool
account_principal_current(const struct principal *p, int64_t now)
{
    if (now >= p->expires_at)
        return false;
    return p->via_token || now - p->last_seen_at <= SESSION_IDLE_MS;
}

int
account_session_principal(struct db_conn *c, const char *token, int64_t now, struct principal *p,
                          struct err *err)
{
    struct db_stmt *s;
    int rc;

    memset(p, 0, sizeof(*p));
    token_hash(token, p->session_hash);
    rc = db_prepare(c,
                    "SELECT u.id, u.username, u.display_name, u.must_change_password,"
                    " s.csrf_token, s.last_seen_at, s.expires_at FROM sessions s"
                    " JOIN users u ON u.id = s.user_id"
                    " WHERE s.token_hash = ? AND u.status = 'active'",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_blob(s, 1, p->session_hash, sizeof(p->session_hash));
    rc = db_step(s, err);
    if (rc == 1) {
        p->user_id = db_col_i64(s, 0);
        db_col_copy(s, 1, p->username, sizeof(p->username));
        db_col_copy(s, 2, p->display_name, sizeof(p->display_name));
        p->must_change_password = db_col_i64(s, 3) != 0;
        db_col_copy(s, 4, p->csrf, sizeof(p->csrf));
        p->last_seen_at = db_col_i64(s, 5);
        p->expires_at = db_col_i64(s, 6);
    }
    if (rc >= 0 && (rc == 0 || !account_principal_current(p, now))) {
        rc = unauthenticated(err);
    }
    db_reset(s);
    return rc < 0 ? rc : load_roles(c, p, err);
}

int
account_token_principal(struct db_conn *c, const char *token, int64_t now, struct principal *p,
                        struct err *err)
{
    unsigned char h[32];
    struct db_stmt *s;
    int rc;

    memset(p, 0, sizeof(*p));
    token_hash(token, h);
    rc = db_prepare(c,
                    "SELECT u.id, u.username, u.display_name, t.expires_at FROM api_tokens t"
                    " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?"
                    " AND t.revoked_at IS NULL AND t.expires_at > ? AND u.status = 'active'",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_blob(s, 1, h, sizeof(h));
    db_bind_i64(s, 2, now);
    rc = db_step(s, err);
    if (rc == 1) {
        p->user_id = db_col_i64(s, 0);
        db_col_copy(s, 1, p->username, sizeof(p->username));
        db_col_copy(s, 2, p->display_name, sizeof(p->display_name));
        p->expires_at = db_col_i64(s, 3);
        p->via_token = true;
    } else if (rc == 0) {
        rc = err_set(err, ERR_UNAUTHENTICATED, NULL, "接口令牌无效或已过期",
                     "the API token is invalid, revoked or expired");
    }
    db_reset(s);
    return rc < 0 ? rc : load_roles(c, p, err);
}

int
account_session_touch(struct db_conn *c, const unsigned char hash[32], int64_t now, struct err *err)
{
    int rc = db_run(c, err, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", "ib", now,
                    (const void *)hash, (size_t)32);

    return rc < 0 ? rc : 0;
}

int
account_session_end(struct db_conn *c, const unsigned char hash[32], struct err *err)
{
    int rc = db_run(c, err, "DELETE FROM sessions WHERE token_hash = ?", "b", (const void *)hash,
                    (size_t)32);

    return rc < 0 ? rc : 0;
}

int
account_token_create(struct db_conn *c, int64_t user_id, const char *name, int days,
                     char token[CRYPTO_TOKEN_CHARS + 1], int64_t *id, struct err *err)
{
    unsigned char h[32];
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc;

    if (days < 1 || days > TOKEN_MAX_DAYS)
        return err_set(err, ERR_INVALID, "days", "有效天数应在 1 到 %d 之间",
                       "days must be between 1 and %d", TOKEN_MAX_DAYS);
    crypto_random_token(token);
    token_hash(token, h);
    rc = db_prepare(c,
                    "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at)"
                    " VALUES (?, ?, ?, ?, ?) RETURNING id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_blob(s, 1, h, sizeof(h));
    db_bind_i64(s, 2, user_id);
    db_bind_text(s, 3, name, (size_t)-1);
    db_bind_i64(s, 4, now);
    db_bind_i64(s, 5, now + (int64_t)days * 86400000);
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
account_token_revoke(struct db_conn *c, int64_t user_id, int64_t id, struct err *err)
{
    int rc = db_run(c, err,
                    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ?"
                    " AND revoked_at IS NULL RETURNING id",
                    "iii", clock_now_ms(), id, user_id);

    if (rc == 0)
        return err_set(err, ERR_NOT_FOUND, "id", "找不到该令牌", "no such token");
    return rc < 0 ? rc : 0;
}
