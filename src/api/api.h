/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/api.h -- the JSON API: one route table, thin handlers (decode, one
 * domain call, encode), the mapping of error codes to HTTP statuses, and the
 * authorisation hook every request passes. */
#ifndef API_API_H
#define API_API_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/auth/auth.h"
#include "http/http.h"

struct crypto_keys;
struct principal_cache;
struct blob_cache;
struct db;
struct workpool;
struct writer;

/* What handlers reach the platform through; set up by 'serve'. */
struct tlog_skey;
struct tlog_vkey;

struct api_ctx {
    struct db *db;
    struct writer *writer;
    const char *version;
    const char *backend; /* "sqlite" or "pg" */
    const struct crypto_keys *keys;
    struct workpool *slow;              /* argon2id and other slow work, off the I/O threads */
    struct principal_cache *principals; /* callers seen in the last moment */
    /* A household's members as JSON, by (id, created_at, members_version):
     * the database counts every change to the members (migration 0004), so an
     * entry is never stale -- a change moves the count on and the old entry is
     * not found again. Stored only from read snapshots, masked as every reader
     * of the household sees them. */
    struct blob_cache *members;
    struct blob_cache *tiles;          /* full hash tiles of the log: immutable */
    struct blob_cache *bundles;        /* full entry bundles of the log: immutable */
    bool secure_cookies;               /* add Secure to cookies (behind TLS) */
    const struct tlog_skey *log_key;   /* signs the verifiable log's checkpoints */
    const char *log_vkey;              /* its verifier key, as text */
    const struct tlog_vkey *witnesses; /* whose cosignatures the log keeps */
    int nwitnesses;
    int64_t started_ms;
    const char *data_dir; /* DATA (--data): attachments live under DATA/attachments */
    bool rerun_check;     /* tests (XIANGZHI_TEST_RERUN): every write job runs twice, and its
                             answer after each run must be the same (call.c) */
};

/* Core's routes (routes.c); the whole table is api_route_table (module.h). */
extern const struct http_route api_core_routes[];
extern const size_t api_core_routes_count;
/* The schema of a write that takes no input: the body, if any, must be {}. */
extern const struct json_schema api_empty_schema;

/* ERR_* -> HTTP status (errmap.c). */
int api_status_of(int err_code);

/* The authorisation hook (authz.c): 0 to let 'req' run 'r', else -ERR_*. */
int api_authorize(struct request *req, const struct http_route *r, struct err *err);
/* On a public route: the caller if the request carries a live session or
 * token (then api_principal answers it), else none; 0 either way, or an error
 * that is not the caller's absence (a database that does not answer). */
int api_authenticate_optional(struct request *req, struct err *err);
/* Frees what api_authorize attached to a request. */
void api_request_done(struct request *req);

/* Handlers (ops.c). */
int api_healthz(struct request *req, struct response *res);
int api_readyz(struct request *req, struct response *res);
int api_metrics(struct request *req, struct response *res);
int api_version(struct request *req, struct response *res);
int api_probe_create(struct request *req, struct response *res);
int api_probe_get(struct request *req, struct response *res);

/* Sessions and accounts (session.c, users.c). */
int api_session_create(struct request *req, struct response *res);
int api_session_get(struct request *req, struct response *res);
int api_whoami(struct request *req, struct response *res);
int api_dashboard(struct request *req, struct response *res);
int api_session_delete(struct request *req, struct response *res);
int api_password_change(struct request *req, struct response *res);
int api_user_create(struct request *req, struct response *res);
int api_user_list(struct request *req, struct response *res);
int api_user_get(struct request *req, struct response *res);
int api_user_reset_password(struct request *req, struct response *res);
int api_user_set_status(struct request *req, struct response *res);
int api_token_create(struct request *req, struct response *res);
int api_token_revoke(struct request *req, struct response *res);
int api_audit_list(struct request *req, struct response *res);

/* The registry (regions.c, households.c). */
int api_region_get(struct request *req, struct response *res);
int api_region_units(struct request *req, struct response *res);
int api_region_import(struct request *req, struct response *res);
int api_household_list(struct request *req, struct response *res);
int api_household_search(struct request *req, struct response *res);
int api_person_list(struct request *req, struct response *res);

/* The verifiable log (tlog.c). */
int api_tlog_checkpoint(struct request *req, struct response *res);
int api_tlog_vkey(struct request *req, struct response *res);
int api_tlog_tile(struct request *req, struct response *res);
int api_tlog_inclusion(struct request *req, struct response *res);
int api_tlog_consistency(struct request *req, struct response *res);
int api_tlog_receipt(struct request *req, struct response *res);
int api_tlog_receipt_qr(struct request *req, struct response *res);
int api_tlog_sign(struct request *req, struct response *res);
int api_tlog_cosign(struct request *req, struct response *res);
int api_person_search(struct request *req, struct response *res);
int api_household_get(struct request *req, struct response *res);
int api_household_create(struct request *req, struct response *res);
int api_household_update(struct request *req, struct response *res);
int api_household_move(struct request *req, struct response *res);
int api_person_add(struct request *req, struct response *res);
int api_person_reveal(struct request *req, struct response *res);
int api_person_update(struct request *req, struct response *res);
int api_household_import(struct request *req, struct response *res);
int api_household_export(struct request *req, struct response *res);
int api_task_get(struct request *req, struct response *res);

/* The inbox (alerts.c). */
int api_alerts_list(struct request *req, struct response *res);
int api_alerts_unread(struct request *req, struct response *res);
int api_alerts_read(struct request *req, struct response *res);

/* Attachments (attachments.c). */
int api_attachment_create(struct request *req, struct response *res);
int api_attachment_get(struct request *req, struct response *res);

#endif
