/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/errmap.c -- the only place error codes become HTTP statuses. */
#include "core/compat.h"

#include "api/api.h"

int
api_status_of(int code)
{
    static const int status[ERR__COUNT] = {
        [ERR_OK] = 200,
        [ERR_INVALID] = 400,
        [ERR_MALFORMED] = 400,
        [ERR_UNKNOWN_FIELD] = 400,
        [ERR_TOO_LARGE] = 413,
        [ERR_HEADER_TOO_LARGE] = 431,
        [ERR_URI_TOO_LONG] = 414,
        [ERR_UNSUPPORTED_MEDIA] = 415,
        [ERR_NOT_FOUND] = 404,
        [ERR_METHOD] = 405,
        [ERR_CONFLICT] = 409,
        [ERR_DUPLICATE] = 409,
        [ERR_REFERENCE] = 422,
        [ERR_CONSTRAINT] = 422,
        [ERR_UNAUTHENTICATED] = 401,
        [ERR_FORBIDDEN] = 403,
        [ERR_TOO_MANY] = 429,
        [ERR_BUSY] = 503,
        [ERR_UNAVAILABLE] = 503,
        [ERR_SCHEMA_NEWER] = 500,
        [ERR_UNSAFE_CONFIG] = 500,
        [ERR_IO] = 500,
        [ERR_DB] = 500,
        [ERR_INTERNAL] = 500,
    };

    if (code < 0 || code >= ERR__COUNT || !status[code])
        return 500;
    return status[code];
}
