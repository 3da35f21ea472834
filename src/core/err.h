/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/err.h -- the one catalogue of error codes (mandoc style) and the error
 * detail a failing call leaves for its caller (git's strbuf *err). Every message
 * is written twice, Simplified Chinese and English, at the place that knows what
 * went wrong; the API layer picks one by the request's Accept-Language and maps
 * the code to an HTTP status (api/errmap.c). Domain code never mentions HTTP.
 * What a library said (SQLite's or libpq's text, an address, a path) goes into
 * 'detail', which only the operator's log sees: a client gets the two messages,
 * never a library's own words. */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include <stdarg.h>

enum err_code {
    ERR_OK = 0,
    ERR_INVALID,           /* a field has a bad value */
    ERR_MALFORMED,         /* the body is not well-formed JSON / the input cannot be parsed */
    ERR_UNKNOWN_FIELD,     /* a field the schema does not know */
    ERR_TOO_LARGE,         /* body, string, array or nesting over a limit */
    ERR_HEADER_TOO_LARGE,  /* request headers over the limit */
    ERR_URI_TOO_LONG,      /* the request target over the limit */
    ERR_UNSUPPORTED_MEDIA, /* wrong Content-Type */
    ERR_NOT_FOUND,         /* no such object or route */
    ERR_METHOD,            /* the route exists, the method does not */
    ERR_CONFLICT,          /* the object's state forbids this */
    ERR_DUPLICATE,         /* a unique key already exists */
    ERR_REFERENCE,         /* a referenced object does not exist (foreign key) */
    ERR_CONSTRAINT,        /* a CHECK / NOT NULL rule was broken */
    ERR_UNAUTHENTICATED,   /* no valid session or token */
    ERR_FORBIDDEN,         /* authenticated but not allowed */
    ERR_TOO_MANY,          /* throttled */
    ERR_BUSY,              /* the write queue is full; retry later */
    ERR_UNAVAILABLE,       /* shutting down or the database is unreachable */
    ERR_SCHEMA_NEWER,      /* the database was written by a newer xiangzhi */
    ERR_UNSAFE_CONFIG,     /* the database settings would lose acknowledged writes */
    ERR_IO,                /* a file or socket operation failed */
    ERR_DB,                /* the database reported an unexpected error */
    ERR_INTERNAL,          /* a bug */
    ERR__COUNT
};

#define ERR_FIELD_MAX 64
#define ERR_MSG_MAX 256

struct err {
    int code;                  /* enum err_code; ERR_OK until set */
    char field[ERR_FIELD_MAX]; /* offending input field, "" if none */
    char zh[ERR_MSG_MAX];      /* client-safe message, Simplified Chinese */
    char en[ERR_MSG_MAX];      /* the same message in English */
    char detail[ERR_MSG_MAX];  /* for the operator's log only, never sent; "" if none */
};

#define ERR_INIT                                                                                   \
    {                                                                                              \
        ERR_OK, "", "", "", ""                                                                     \
    }

/* Fill 'e' (when not NULL) and return -code, so callers can write
 * 'return err_set(...)'. 'field' may be NULL. The two formats take the same
 * arguments in the same order. Messages longer than ERR_MSG_MAX are cut at a
 * UTF-8 character boundary. */
int err_set(struct err *e, int code, const char *field, const char *zh_fmt, const char *en_fmt,
            ...);
int err_setv(struct err *e, int code, const char *field, const char *zh_fmt, const char *en_fmt,
             va_list ap);

/* Like err_set with finished texts (no formatting). */
int err_set_text(struct err *e, int code, const char *field, const char *zh, const char *en);

/* Add what a library or the system said (its text, an address, a path) for the
 * operator's log; 'e' keeps its code and messages. A NULL 'e' is ignored. */
void err_detail(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set the catalogue's default message for 'code'. Returns -code. */
int err_code_set(struct err *e, int code, const char *field);

/* The catalogue's default messages for 'code' (borrowed; never NULL). */
const char *err_default_message(int code, bool en);

/* Stable snake_case name of a code ("not_found"), for JSON and logs. Never NULL. */
const char *err_code_name(int code);

/* The message in the language asked for: 'en' true for English. Borrowed. */
const char *err_message(const struct err *e, bool en);

void err_clear(struct err *e);

#endif
