/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/encode.c -- what a dynamic answer gets on its way out: gzip when the
 * client takes it and the body is text worth compressing (JSON, SVG, plain
 * text; a household list shrinks to a fifth, a receipt's QR code from 50 KB to
 * 10), and, for answers a client may cache, an ETag from the body's hash so
 * that asking again with If-None-Match costs a 304 and no body. */
#include "core/compat.h"

#include <zlib.h>

#include "core/crypto.h"
#include "http/http_int.h"

#define GZIP_MIN 1024 /* bytes: below this the header costs more than it saves */

bool
encode_worth_gzip(const struct response *res)
{
    const char *t = res->content_type;

    return res->body.len >= GZIP_MIN && t &&
           (strncmp(t, "application/json", 16) == 0 || strncmp(t, "image/svg+xml", 13) == 0 ||
            strncmp(t, "text/", 5) == 0);
}

int
encode_gzip(const char *in, size_t n, struct sbuf *out)
{
    z_stream z = { 0 };
    uLong bound;
    int rc;

    /* Level 4: most of level 9's gain on JSON, at a third of its time. */
    if (deflateInit2(&z, 4, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    bound = deflateBound(&z, (uLong)n);
    sbuf_reserve(out, bound + 1);
    if (out->failed) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->buf + out->len;
    z.avail_out = (uInt)bound;
    rc = deflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END) {
        out->len += z.total_out;
        out->buf[out->len] = '\0';
    }
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

void
encode_etag(const char *body, size_t n, char out[24])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char h[CRYPTO_HASH_BYTES];

    crypto_sha256(body, n, h);
    out[0] = '"';
    for (int i = 0; i < 10; i++) {
        out[1 + 2 * i] = hex[h[i] >> 4];
        out[2 + 2 * i] = hex[h[i] & 15];
    }
    out[21] = '"';
    out[22] = '\0';
}
