/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/decode.c -- see decode.h. */
#include "core/compat.h"

#include <jansson.h>

#include "api/decode.h"
#include "core/json.h"

static const struct json_field *
schema_field(const struct request *req, const char *name)
{
    const struct json_schema *s = req->route ? req->route->body : NULL;

    for (size_t i = 0; s && i < s->count; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

static int
decode_string(const struct api_member *m, json_t *v, char *at, struct err *err)
{
    const char *text = json_is_string(v) ? json_string_value(v) : "";
    size_t len = strlen(text);

    if (len >= m->size)
        return err_set(err, ERR_INVALID, m->field, "“%s”过长", "\"%s\" is too long", m->field);
    memcpy(at, text, len + 1);
    return 0;
}

static void
decode_bool(const struct api_member *m, json_t *v, char *at)
{
    if (m->size == sizeof(bool)) {
        bool b = v ? json_is_true(v) : m->absent != 0;

        memcpy(at, &b, sizeof(b));
        return;
    }
    INVARIANT(m->size == sizeof(int)); /* yes, no or absent */
    int i = v ? json_is_true(v) : (int)m->absent;

    memcpy(at, &i, sizeof(i));
}

int
api_decode(const struct request *req, const struct api_member *members, size_t n, void *out,
           struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct api_member *m = &members[i];
        const struct json_field *f = schema_field(req, m->field);
        json_t *v = json_object_get(req->body, m->field);
        char *at = (char *)out + m->offset;
        int64_t num;

        INVARIANT(f); /* the route's schema names every member's field */
        switch (f->kind) {
        case JSON_KIND_STRING:
            if (decode_string(m, v, at, err) < 0)
                return -err->code;
            break;
        case JSON_KIND_INT:
            INVARIANT(m->size == sizeof(int64_t));
            num = json_is_integer(v) ? (int64_t)json_integer_value(v) : m->absent;
            memcpy(at, &num, sizeof(num));
            break;
        case JSON_KIND_BOOL:
            decode_bool(m, v, at);
            break;
        default:
            INVARIANT(!"a kind api_decode does not fill");
        }
    }
    return 0;
}

int
api_write_decoded(struct request *req, struct response *res, void *state, void *in,
                  const struct api_member *members, size_t n, domain_job_fn job,
                  api_render_fn render, api_release_fn release)
{
    struct err e = ERR_INIT;

    if (api_decode(req, members, n, in, &e) < 0) {
        release(state);
        return response_error(res, req, &e);
    }
    return api_write_owned(req, res, job, state, render, release);
}
