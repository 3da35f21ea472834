/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/tokens.c -- API tokens for integrations (shown once), and reading the
 * audit log within one's scope. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/auth/account.h"
#include "domain/region/region.h"

struct token_call {
    int64_t user_id;
    char name[200];
    int days;
    int64_t id;
    char token[CRYPTO_TOKEN_CHARS + 1];
};

static int
token_create_job(struct db_conn *c, void *arg, struct err *err)
{
    struct token_call *t = arg;

    return account_token_create(c, t->user_id, t->name, t->days, t->token, &t->id, err);
}

static int
render_token(struct request *req, struct response *res, void *state)
{
    struct token_call *t = state;

    (void)req;
    return api_json(res, 201,
                    json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)t->id, "name", t->name,
                              "token", t->token, "days", t->days));
}

int
api_token_create(struct request *req, struct response *res)
{
    struct token_call *t = xcalloc(1, sizeof(*t));

    t->user_id = api_principal(req)->user_id;
    snprintf(t->name, sizeof(t->name), "%s", api_str(req, "name"));
    t->days = (int)api_int(req, "days", 90);
    return api_write(req, res, token_create_job, t, render_token);
}

static int
token_revoke_job(struct db_conn *c, void *arg, struct err *err)
{
    struct token_call *t = arg;

    return account_token_revoke(c, t->user_id, t->id, err);
}

static int
render_revoked(struct request *req, struct response *res, void *state)
{
    (void)state;
    api_forget_principals(req); /* the revoked token stops working at once */
    return response_text(res, 204, NULL, "");
}

int
api_token_revoke(struct request *req, struct response *res)
{
    struct token_call *t = xcalloc(1, sizeof(*t));

    t->user_id = api_principal(req)->user_id;
    t->id = api_param_id(req, "id");
    return api_write(req, res, token_revoke_job, t, render_revoked);
}

struct audit_call {
    char prefixes[4][13];
    const char *scopes[4];
    struct audit_query q;
    struct audit_row *rows;
    size_t n;
};

static int
audit_job(struct db_conn *c, void *arg, struct err *err)
{
    struct audit_call *a = arg;

    return audit_list(c, &a->q, &a->rows, &a->n, err);
}

static json_t *
audit_json(const struct audit_row *r)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)r->id, "at", (json_int_t)r->at, "user_id", (json_int_t)r->user_id,
                     "username", r->username, "role", r->role, "action", r->action, "object_type",
                     r->object_type, "object_id", r->object_id, "region_code", r->region_code,
                     "result", r->result, "request_id", r->request_id, "purpose", r->purpose,
                     "detail", r->detail);
}

static int
render_audit(struct request *req, struct response *res, void *state)
{
    struct audit_call *a = state;
    json_t *items = json_array();

    (void)req;
    for (size_t i = 0; i < a->n; i++)
        json_array_append_new(items, audit_json(&a->rows[i]));
    free(a->rows);
    return api_json(res, 200, json_pack("{s:o}", "items", items));
}

int
api_audit_list(struct request *req, struct response *res)
{
    struct auth_filter f[4];
    struct audit_call a = { 0 };
    int nf = auth_filters(api_principal(req), PERM_AUDIT_READ, f, 4);
    int level;

    for (int i = 0; i < nf; i++) {
        region_code_parse(f[i].scope, &level, NULL);
        snprintf(a.prefixes[i], sizeof(a.prefixes[i]), "%.*s", (int)region_scope_len(level),
                 f[i].scope);
        a.scopes[i] = a.prefixes[i];
    }
    a.q = (struct audit_query){ a.scopes,
                                (size_t)nf,
                                request_query(req, "object_type"),
                                request_query(req, "object_id"),
                                api_query_int(req, "before", 0),
                                (int)api_query_int(req, "limit", 50) };
    return api_read(req, res, audit_job, &a, render_audit);
}
