/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/decode.h -- a request body into the handler's own typed struct, by
 * the route's schema: each member a table row names is filled from its field
 * as the schema types it (a string into a char array, an integer into an
 * int64_t, a yes/no into a bool, or an int that is -1 when absent), so a
 * handler's request has one member per field, each meaning one thing. A
 * field the route's schema lacks, or a member of the wrong size, is a bug and
 * stops the program the first time the route is called. */
#ifndef API_DECODE_H
#define API_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "api/call.h"
#include "core/err.h"
#include "http/http.h"

struct api_member {
    const char *field; /* in the route's body schema */
    size_t offset;     /* of the member in the struct */
    size_t size;       /* of the member: a string's buffer, 8 for an integer */
    int64_t absent;    /* an integer's or a yes/no's value when the field is absent */
};

#define API_MEMBER(type, member, field, absent)                                                    \
    {                                                                                              \
        (field), offsetof(type, member), sizeof(((type *)0)->member), (absent)                     \
    }

/* Fill 'out' from the body by 'members'. A string longer than its member can
 * hold is ERR_INVALID naming the field (never cut); else 0. */
int api_decode(const struct request *req, const struct api_member *members, size_t n, void *out,
               struct err *err);

/* A write whose body is decoded first into 'in' (inside 'state'): the
 * decoding's error answered and 'state' released, or api_write_owned. */
int api_write_decoded(struct request *req, struct response *res, void *state, void *in,
                      const struct api_member *members, size_t n, domain_job_fn job,
                      api_render_fn render, api_release_fn release);

#endif
