/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/jsonw.h -- writing JSON straight into an sbuf, for the responses
 * served most often (a household with its members): no tree of allocated
 * nodes as with jansson, no second pass to serialise it. The writer places the
 * commas; the caller opens and closes containers in order. Strings are escaped
 * as sbuf_add_json_str does ('<', '>' and '&' too, so JSON is safe inside
 * HTML). Nesting deeper than JSONW_MAX_DEPTH is a programming error: the
 * output is marked failed (sbuf 'failed'), never overrun. */
#ifndef CORE_JSONW_H
#define CORE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
    struct sbuf *out;
    int depth;
    bool after_key;     /* a key was written: the next value follows its colon */
    uint32_t has_items; /* bit d: the container at depth d holds an item already */
};

void jsonw_init(struct jsonw *w, struct sbuf *out);

void jsonw_object(struct jsonw *w); /* '{' as the next value */
void jsonw_array(struct jsonw *w);  /* '[' as the next value */
void jsonw_end_object(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);

/* Then exactly one value. Keys are the program's own literals and are written
 * as they are: plain ASCII, nothing that needs escaping. */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A value that is JSON text already (a stored rendering), written as it is. */
void jsonw_raw(struct jsonw *w, const char *json, size_t len);

/* Key and value in one call. */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_kint(struct jsonw *w, const char *key, int64_t v);
/* An optional reference: 0 is written as null. */
void jsonw_kref(struct jsonw *w, const char *key, int64_t id);

#endif
