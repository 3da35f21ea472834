/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_body.c -- libFuzzer target for request-body decoding exactly as
 * http/server.c does it: json_decode_limited, then json_validate against a route
 * schema, then json_decref. Each input runs twice, under the server's limits and
 * under tight ones that the short fuzz inputs can actually reach. Beyond "no crash,
 * no leak, no UB" it checks two promises of json.h: a decoded tree never exceeds
 * the limits the prescan enforced, and every error text is valid UTF-8 (it goes
 * into a JSON response). The input, as text, is also checked as a query
 * parameter of each field (json_text_check: integers, ranges, listed values).
 * Built by scripts/fuzz.sh, not by meson. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = { "", "csv", "xlsx", NULL };
static const struct json_field body_fields[] = {
    { "note", JSON_KIND_STRING, false, 0, 200, NULL },
    { "name", JSON_KIND_STRING, true, 2, 20, NULL },
    { "count", JSON_KIND_INT, false, -5, 1000, NULL },
    { "amount", JSON_KIND_INT, false, 1, 0, NULL },
    { "enabled", JSON_KIND_BOOL, false, 0, 0, NULL },
    { "meta", JSON_KIND_OBJECT, false, 0, 0, NULL },
    { "tags", JSON_KIND_ARRAY, false, 0, 0, NULL },
    { "format", JSON_KIND_STRING, false, 0, 4, formats },
};
static const struct json_schema body_schema = { body_fields, ARRAY_LEN(body_fields) };

/* Tight enough that inputs of a few KiB hit every limit. */
static const struct json_limits tight_limits = { 4096, 4, 32, 64 };

struct tree_stats {
    int depth;         /* deepest container; the top level is 1 */
    size_t items;      /* values, keys not counted */
    size_t max_string; /* longest string or key, decoded bytes */
};

static void
walk(const json_t *v, int depth, struct tree_stats *st)
{
    const char *key;
    json_t *val;
    size_t i;

    st->items++;
    if (json_is_string(v) && json_string_length(v) > st->max_string)
        st->max_string = json_string_length(v);
    if (!json_is_object(v) && !json_is_array(v))
        return;
    if (depth > st->depth)
        st->depth = depth;
    json_array_foreach (v, i, val)
        walk(val, depth + 1, st);
    json_object_foreach ((json_t *)(uintptr_t)v, key, val) {
        if (strlen(key) > st->max_string)
            st->max_string = strlen(key);
        walk(val, depth + 1, st);
    }
}

/* Continuation bytes that follow lead byte 'c', or -1 if 'c' cannot lead. */
static int
utf8_tail(unsigned char c)
{
    if (c < 0x80)
        return 0;
    if ((c & 0xE0) == 0xC0)
        return 1;
    if ((c & 0xF0) == 0xE0)
        return 2;
    if ((c & 0xF8) == 0xF0)
        return 3;
    return -1;
}

/* Whole sequences only: a message cut inside a character is the failure sought. */
static bool
valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        int n = utf8_tail(*p++);

        if (n < 0)
            return false;
        for (; n > 0; n--, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* libFuzzer saves the input that made us abort. */
static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_body: %s\n", what);
    abort();
}

static void
check_err(const struct err *e)
{
    if (e->code <= ERR_OK || e->code >= ERR__COUNT)
        fail("failure without an error code");
    if (!valid_utf8(e->field))
        fail("err.field is not valid UTF-8");
    if (!valid_utf8(e->zh) || !valid_utf8(e->en))
        fail("err message is not valid UTF-8");
}

/* The input up to its first NUL, as a query parameter's value of every field. */
static void
run_as_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < body_schema.count; i++) {
        struct err e = ERR_INIT;

        if (json_text_check(text, &body_fields[i], &e) < 0)
            check_err(&e);
        else if (e.code != ERR_OK)
            fail("text accepted with an error set");
    }
    free(text);
}

static void
run(const uint8_t *data, size_t size, const struct json_limits *lim)
{
    struct err e = ERR_INIT;
    struct tree_stats st = { 0, 0, 0 };
    json_t *v = json_decode_limited((const char *)data, size, lim, &e);

    if (!v) {
        check_err(&e);
        return;
    }
    if (e.code != ERR_OK)
        fail("success with an error set");
    walk(v, 1, &st);
    /* The prescan counts value starts and commas, so a first scalar in an array
     * is uncounted; that slack is bounded by the nesting depth. */
    if (st.depth > lim->max_depth || st.max_string > lim->max_string ||
        st.items > lim->max_items + (size_t)lim->max_depth)
        fail("decoded tree exceeds the limits");
    if (json_validate(v, &body_schema, &e) < 0)
        check_err(&e);
    json_decref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_limits server = JSON_LIMITS_DEFAULT;

    server.max_bytes = 64 * 1024;
    run(data, size, &server);
    run(data, size, &tight_limits);
    run_as_text(data, size);
    return 0;
}
