/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/call.h -- the two shapes every handler takes. A read runs one domain
 * function on a pooled connection right here on the I/O thread; a write
 * suspends the request, runs one domain job through the group-commit writer and
 * answers after the commit. Either way the handler only decodes into a state
 * struct and names how to render it. */
#ifndef API_CALL_H
#define API_CALL_H

#include "domain/auth/auth.h"
#include "domain/exec.h"
#include "domain/auth/actor.h"
#include "http/http.h"

struct principal;

typedef int (*api_render_fn)(struct request *req, struct response *res, void *state);

/* Run 'job' as a read and render. 'state' is the caller's. */
int api_read(struct request *req, struct response *res, domain_job_fn job, void *state,
             api_render_fn render);
/* The same, for a state that owns what the job fills: 'release' frees it
 * after rendering, or after the error is answered. */
typedef void (*api_release_fn)(void *state);
int api_read_owned(struct request *req, struct response *res, domain_job_fn job, void *state,
                   api_render_fn render, api_release_fn release);
/* Run 'job' through the writer; takes ownership of 'state' (malloc'd; freed with
 * free() after rendering). Returns HTTP_SUSPENDED. */
int api_write(struct request *req, struct response *res, domain_job_fn job, void *state,
              api_render_fn render);
/* The same, with 'release' freeing the state and what it owns (after
 * rendering, or when the job failed). */
int api_write_owned(struct request *req, struct response *res, domain_job_fn job, void *state,
                    api_render_fn render, api_release_fn release);
/* Slow work first (argon2id, on the slow-work pool, not the I/O thread), then
 * 'job' through the writer. 'prepare' returns 0 or -ERR_* with 'err' set; on
 * failure the job is skipped and the error answered. Takes 'state' like
 * api_write. Returns HTTP_SUSPENDED. */
typedef int (*api_prepare_fn)(struct request *req, void *state, struct err *err);
int api_slow_write(struct request *req, struct response *res, api_prepare_fn prepare,
                   domain_job_fn job, void *state, api_render_fn render);

/* Answer an error built on the spot. */
int api_fail(struct request *req, struct response *res, int code, const char *field, const char *zh,
             const char *en);

/* After a committed change to accounts, sessions or tokens: callers are looked
 * up afresh from the next request on (authz.c). */
void api_forget_principals(const struct request *req);
/* The authenticated caller (set by api_authorize), or NULL on public routes. */
const struct principal *api_principal(const struct request *req);

/* The caller as a domain call sees it: a copy of the principal (all zero on
 * public routes), the request id and the keys. 'a' points into the struct
 * itself, so the struct may travel to the writer but must not be copied. */
struct api_actor {
    struct principal who;
    char rid[24];
    struct actor a;
};
void api_actor_init(struct api_actor *x, struct request *req);

/* The head most handlers' states start with: the caller, and the path's
 * {code} (a village) and {id} ("" and 0 when the route has none). */
struct api_call {
    struct api_actor act;
    char village[13];
    int64_t id;
};
/* A zeroed state of 'size' bytes whose first member is a struct api_call,
 * that head filled from the request. Free it with free() or a release. */
void *api_call_new(struct request *req, size_t size);

/* Small JSON helpers for handlers. */
const char *api_str(const struct request *req, const char *key); /* body string or NULL */
int64_t api_int(const struct request *req, const char *key, int64_t fallback);
/* An integer query parameter its route declares (checked before the handler
 * runs), or 'fallback' when absent or empty. */
int64_t api_query_int(const struct request *req, const char *name, int64_t fallback);
/* A positive integer path parameter; 0 when missing or malformed. */
int64_t api_param_id(const struct request *req, const char *name);
int api_json(struct response *res, int status, json_t *v); /* steals 'v' */
/* The success status the route declares ("201 Claim": 201; 200 when none):
 * one render serves a record's creation and its change alike. */
int api_answer_status(const struct request *req);
/* The JSON body of that answer (response_json_body with that status). */
struct sbuf *api_answer_body(const struct request *req, struct response *res);

#endif
