/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/json.h -- decoding untrusted JSON with limits, and checking a decoded
 * object against a declarative schema. The raw bytes are scanned for nesting depth,
 * string length and item count before jansson allocates anything, so a hostile
 * body cannot make the parser build a huge tree; jansson then parses strictly
 * (bad UTF-8, trailing data, duplicate keys and NUL escapes are rejected). */
#ifndef CORE_JSON_H
#define CORE_JSON_H

#include <jansson.h>

#include "core/err.h"

struct json_limits {
    size_t max_bytes;  /* whole document */
    int max_depth;     /* nested arrays/objects; the top-level value is depth 1 */
    size_t max_string; /* bytes in one string, keys included */
    size_t max_items;  /* values in the whole document */
};

#define JSON_LIMITS_DEFAULT                                                                        \
    {                                                                                              \
        1024 * 1024, 16, 64 * 1024, 20000                                                          \
    }

/* Parse 'len' bytes. Returns a new reference (json_decref it), or NULL with
 * 'err' set to ERR_MALFORMED or ERR_TOO_LARGE. Thread-safe. */
json_t *json_decode_limited(const char *buf, size_t len, const struct json_limits *lim,
                            struct err *err);

enum json_kind {
    JSON_KIND_STRING,
    JSON_KIND_INT,
    JSON_KIND_BOOL,
    JSON_KIND_OBJECT,
    JSON_KIND_ARRAY,
};

struct json_field {
    const char *name;
    enum json_kind kind;
    bool required;
    int64_t min; /* ints: least value; strings: least length in characters */
    int64_t max; /* ints: greatest value; strings: greatest length in characters; 0 = none */
    const char *const *values; /* strings: the only values allowed, NULL-terminated; NULL = any */
};

struct json_schema {
    const struct json_field *fields;
    size_t count;
};

/* Check that 'v' is an object whose members all appear in 's' with the right
 * kinds and ranges, and that every required member is present. Fails with
 * ERR_INVALID, ERR_UNKNOWN_FIELD or ERR_TOO_LARGE naming the field. */
int json_validate(const json_t *v, const struct json_schema *s, struct err *err);
/* The checks of one member: its kind, range and allowed values. */
int json_field_check(const json_t *v, const struct json_field *f, struct err *err);
/* A value given as text (a query parameter) checked as the member it stands
 * for: an integer field's text all digits (an optional minus), a string's
 * valid UTF-8; then json_field_check. */
int json_text_check(const char *text, const struct json_field *f, struct err *err);

/* Number of UTF-8 characters in a valid UTF-8 string. */
size_t json_utf8_chars(const char *s);

#endif
