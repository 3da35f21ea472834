/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/attach_int.h -- private to domain/attach: the three format
 * walkers clean.c dispatches to. Each takes the whole upload (its magic already
 * checked), appends the cleaned file to 'out' (a buffer with a size limit) and
 * sets the stored width and height; on failure it returns -ERR_INVALID with
 * 'err' set, and 'out' holds nothing meaningful. None allocates but through
 * 'out'; none reads outside [p, p + len). */
#ifndef DOMAIN_ATTACH_INT_H
#define DOMAIN_ATTACH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"

struct attach_dims {
    uint32_t width; /* as stored */
    uint32_t height;
    bool swapped; /* shown turned a quarter (Exif orientation 5-8) */
};

int attach_jpeg_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                      struct err *err);
int attach_png_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                     struct err *err);
int attach_webp_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                      struct err *err);

/* Byte order helpers. */
static inline uint32_t
attach_be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
attach_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
attach_le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

static inline uint32_t
attach_le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint32_t
attach_le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* -ERR_INVALID, field "file", with the reason in both languages. */
int attach_malformed(struct err *err, const char *zh, const char *en);

#endif
