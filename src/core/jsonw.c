/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/jsonw.c -- see jsonw.h. */
#include "core/compat.h"

#include <string.h>

#include "core/jsonw.h"

void
jsonw_init(struct jsonw *w, struct sbuf *out)
{
    *w = (struct jsonw){ .out = out };
}

/* Before any value or key: the comma between items of one container. */
static void
separate(struct jsonw *w)
{
    uint32_t bit = 1u << w->depth;

    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && (w->has_items & bit))
        sbuf_addc(w->out, ',');
    w->has_items |= bit;
}

static void
open_container(struct jsonw *w, char ch)
{
    separate(w);
    if (w->depth + 1 >= JSONW_MAX_DEPTH) {
        w->out->failed = 1;
        return;
    }
    w->depth++;
    w->has_items &= ~(1u << w->depth);
    sbuf_addc(w->out, ch);
}

static void
close_container(struct jsonw *w, char ch)
{
    if (w->depth == 0) {
        w->out->failed = 1;
        return;
    }
    w->depth--;
    sbuf_addc(w->out, ch);
}

void
jsonw_object(struct jsonw *w)
{
    open_container(w, '{');
}

void
jsonw_array(struct jsonw *w)
{
    open_container(w, '[');
}

void
jsonw_end_object(struct jsonw *w)
{
    close_container(w, '}');
}

void
jsonw_end_array(struct jsonw *w)
{
    close_container(w, ']');
}

/* Keys are the program's own literals: plain ASCII that needs no escaping.
 * The separator, the quoted key, the colon and 'tail' (an opening quote, say)
 * are written in place in one go. */
static void
key_with(struct jsonw *w, const char *key, const char *tail)
{
    size_t klen = strlen(key), tlen = strlen(tail), n = 0;
    char *out = sbuf_room(w->out, klen + tlen + 4);

    if (!out)
        return;
    if (w->depth > 0 && (w->has_items & (1u << w->depth)))
        out[n++] = ',';
    w->has_items |= 1u << w->depth;
    out[n++] = '"';
    memcpy(out + n, key, klen);
    n += klen;
    out[n++] = '"';
    out[n++] = ':';
    memcpy(out + n, tail, tlen);
    sbuf_commit(w->out, n + tlen);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
    key_with(w, key, "");
    w->after_key = true;
}

void
jsonw_str(struct jsonw *w, const char *s)
{
    separate(w);
    if (s)
        sbuf_add_json_str(w->out, s);
    else
        sbuf_add(w->out, "null", 4);
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
    char buf[24], *digits = sbuf_int_digits(buf, v);

    separate(w);
    sbuf_add(w->out, digits, strlen(digits));
}

void
jsonw_bool(struct jsonw *w, bool v)
{
    separate(w);
    sbuf_adds(w->out, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *w)
{
    separate(w);
    sbuf_add(w->out, "null", 4);
}

void
jsonw_raw(struct jsonw *w, const char *json, size_t len)
{
    separate(w);
    sbuf_add(w->out, json, len);
}

void
jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
    if (!s) {
        jsonw_key(w, key);
        jsonw_null(w);
        return;
    }
    key_with(w, key, "\"");
    sbuf_add_json_chars(w->out, s);
    sbuf_addc(w->out, '"');
}

void
jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
    char buf[24];

    key_with(w, key, sbuf_int_digits(buf, v));
}

void
jsonw_kref(struct jsonw *w, const char *key, int64_t id)
{
    jsonw_key(w, key);
    if (id)
        jsonw_int(w, id);
    else
        jsonw_null(w);
}
