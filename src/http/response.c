/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/response.c -- building responses: JSON bodies, the uniform error shape
 * {"error":{"code","message","field"}} in the request's language, extra headers. */
#include "core/compat.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "http/http_int.h"

void
response_header(struct response *res, const char *name, const char *value)
{
    if (res->nhdrs == HTTP_MAX_EXTRA_HEADERS)
        return;
    res->hdr_names[res->nhdrs] = name;
    res->hdr_values[res->nhdrs++] = xstrdup(value);
}

static int
dump_cb(const char *buf, size_t size, void *data)
{
    sbuf_add(data, buf, size);
    return 0;
}

int
response_json(struct response *res, int status, const json_t *v)
{
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    sbuf_reset(&res->body);
    json_dump_callback(v, dump_cb, &res->body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    return 0;
}

struct sbuf *
response_json_body(struct response *res, int status)
{
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    sbuf_reset(&res->body);
    sbuf_reserve(&res->body, 2048); /* one allocation for a typical record */
    return &res->body;
}

struct sbuf *
response_body(struct response *res, int status, const char *content_type)
{
    res->status = status;
    res->content_type = content_type;
    sbuf_reset(&res->body);
    return &res->body;
}

int
response_text(struct response *res, int status, const char *content_type, const char *body)
{
    res->status = status;
    res->content_type = content_type;
    sbuf_reset(&res->body);
    sbuf_adds(&res->body, body);
    return 0;
}

int
response_error_status(struct response *res, const struct request *req, const struct err *e,
                      int status)
{
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    sbuf_reset(&res->body);
    sbuf_adds(&res->body, "{\"error\":{\"code\":");
    sbuf_add_json_str(&res->body, err_code_name(e->code));
    sbuf_adds(&res->body, ",\"message\":");
    sbuf_add_json_str(&res->body, err_message(e, req->en));
    sbuf_adds(&res->body, ",\"field\":");
    sbuf_add_json_str(&res->body, e->field);
    sbuf_adds(&res->body, ",\"request_id\":");
    sbuf_add_json_str(&res->body, req->rid ? req->rid : "");
    sbuf_adds(&res->body, "}}");
    if (status == 503)
        response_header(res, "Retry-After", "1");
    return 0;
}

void
response_release(struct response *res)
{
    sbuf_release(&res->body);
    for (int i = 0; i < res->nhdrs; i++)
        free(res->hdr_values[i]);
    res->nhdrs = 0;
}
