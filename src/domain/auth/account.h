/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/account.h -- accounts, sessions and API tokens (DESIGN.md §6).
 * Sessions live in the database (app servers stay stateless): 30 minutes idle,
 * 12 hours at most. Session and API tokens are stored only as SHA-256 hashes.
 * Five failed logins lock an account for 15 minutes. Functions taking a
 * db_conn and documented as jobs run inside the writer's transaction. */
#ifndef DOMAIN_AUTH_ACCOUNT_H
#define DOMAIN_AUTH_ACCOUNT_H

#include "core/crypto.h"
#include "core/err.h"
#include "domain/auth/auth.h"

struct db_conn;

#define SESSION_IDLE_MS (30LL * 60 * 1000)
#define SESSION_MAX_MS (12LL * 3600 * 1000)
#define SESSION_TOUCH_MS (60LL * 1000) /* refresh last_seen at most this often */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_MS (15LL * 60 * 1000)
#define TOKEN_MAX_DAYS 366

struct login_user {
    int64_t id;
    bool disabled;
    int failed_logins;
    int64_t locked_until;
    char password_hash[CRYPTO_PWHASH_MAX];
};

/* Find an account by username, or by mobile number when 'login' is one.
 * ERR_NOT_FOUND when there is none. */
int account_find_login(struct db_conn *c, const struct crypto_keys *k, const char *login,
                       struct login_user *out, struct err *err);

struct session_new {
    int64_t user_id;                    /* in */
    char remote[64];                    /* in */
    char request_id[24];                /* in, for the audit entry */
    char token[CRYPTO_TOKEN_CHARS + 1]; /* out: goes in the cookie, never stored */
    char csrf[CRYPTO_TOKEN_CHARS + 1];  /* out */
    int64_t expires_at;                 /* out */
};

/* Job: open a session for a verified login, clear the failure count, audit. */
int account_login_succeeded(struct db_conn *c, struct session_new *s, struct err *err);
/* Job: count a failed login; lock the account at LOGIN_MAX_FAILURES. */
int account_login_failed(struct db_conn *c, int64_t user_id, const char *remote, const char *rid,
                         struct err *err);

/* Is the session or token behind 'p' still good at 'now' (not past its end,
 * not idle too long)? Also asked of principals remembered between requests. */
bool account_principal_current(const struct principal *p, int64_t now);

/* Fill 'p' from a session cookie or an API token. ERR_UNAUTHENTICATED when
 * unknown, expired, idle too long or the account is disabled. */
int account_session_principal(struct db_conn *c, const char *token, int64_t now,
                              struct principal *p, struct err *err);
int account_token_principal(struct db_conn *c, const char *token, int64_t now, struct principal *p,
                            struct err *err);
/* Jobs: keep a session alive; end one; end all of a user's sessions. */
int account_session_touch(struct db_conn *c, const unsigned char hash[32], int64_t now,
                          struct err *err);
int account_session_end(struct db_conn *c, const unsigned char hash[32], struct err *err);

struct user_new {
    char username[40];
    char display_name[100];
    char phone[12];                        /* validated 11 digits or "" */
    char password_hash[CRYPTO_PWHASH_MAX]; /* already argon2id */
    bool must_change_password;
    struct auth_binding roles[AUTH_MAX_ROLES];
    int nroles;
    int64_t id; /* out */
};

/* Read a user's role bindings (at most AUTH_MAX_ROLES) into b[], their count into *n. */
int account_load_bindings(struct db_conn *c, int64_t user_id, struct auth_binding *b, int *n,
                          struct err *err);
/* Check a role binding: known role, scope code of the role's level that
 * exists, and for a villager a household in that village. */
int account_check_binding(struct db_conn *c, const struct auth_binding *b, struct err *err);
/* Job: create a user with its roles. ERR_DUPLICATE on a taken username or phone. */
int account_user_create(struct db_conn *c, const struct crypto_keys *k, struct user_new *u,
                        struct err *err);
/* Job: set a new password hash; ends every session of the user except 'keep'
 * (NULL = all). */
int account_set_password(struct db_conn *c, int64_t user_id, const char *hash, bool must_change,
                         const unsigned char *keep, struct err *err);
/* Job: "active" or "disabled"; disabling ends the user's sessions and tokens. */
int account_set_status(struct db_conn *c, int64_t user_id, const char *status, struct err *err);

struct user_info {
    int64_t id;
    char username[40];
    char display_name[100];
    char phone_mask[12];
    char status[12];
    bool must_change_password;
    int64_t created_at;
    struct auth_binding roles[AUTH_MAX_ROLES];
    int nroles;
};

int account_user_get(struct db_conn *c, int64_t id, struct user_info *out, struct err *err);
int account_user_by_name(struct db_conn *c, const char *username, struct user_info *out,
                         struct err *err);
/* Users ordered by id after 'after_id'; *out malloc'd. */
int account_user_list(struct db_conn *c, int64_t after_id, int limit, struct user_info **out,
                      size_t *n, struct err *err);
/* Current password hash of a user (for a password change). */
int account_password_hash(struct db_conn *c, int64_t user_id, char out[CRYPTO_PWHASH_MAX],
                          struct err *err);

/* Job: a named API token for 'user_id', valid 'days'. The token is shown once. */
int account_token_create(struct db_conn *c, int64_t user_id, const char *name, int days,
                         char token[CRYPTO_TOKEN_CHARS + 1], int64_t *id, struct err *err);
/* Job: revoke token 'id' of 'user_id'. ERR_NOT_FOUND if it is not theirs. */
int account_token_revoke(struct db_conn *c, int64_t user_id, int64_t id, struct err *err);

#endif
