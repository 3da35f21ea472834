/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/sbuf.c -- see sbuf.h. */
#include "core/compat.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/xalloc.h"

char sbuf_empty[1];

void
sbuf_init(struct sbuf *sb, size_t limit)
{
    struct sbuf init = SBUF_INIT;

    *sb = init;
    sb->limit = limit;
}

/* Make room for 'extra' more bytes plus the NUL; false once over the limit. */
static bool
grow(struct sbuf *sb, size_t extra)
{
    size_t want;

    if (sb->failed)
        return false;
    if (extra > SIZE_MAX / 2 - sb->len || (sb->limit && sb->len + extra > sb->limit)) {
        sb->failed = 1;
        return false;
    }
    want = sb->len + extra + 1;
    if (want <= sb->cap)
        return true;
    if (want < sb->cap * 2)
        want = sb->cap * 2;
    if (want < 64)
        want = 64;
    if (sb->cap == 0) {
        sb->buf = xmalloc(want);
        sb->buf[0] = '\0';
    } else {
        sb->buf = xrealloc(sb->buf, want);
    }
    sb->cap = want;
    return true;
}

void
sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
    if (!grow(sb, len))
        return;
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void
sbuf_adds(struct sbuf *sb, const char *s)
{
    sbuf_add(sb, s, strlen(s));
}

void
sbuf_addc(struct sbuf *sb, char c)
{
    sbuf_add(sb, &c, 1);
}

char *
sbuf_int_digits(char buf[24], int64_t v)
{
    char *p = buf + 23;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

void
sbuf_add_int(struct sbuf *sb, int64_t v)
{
    char buf[24];

    sbuf_adds(sb, sbuf_int_digits(buf, v));
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
    size_t room = sb->cap > sb->len ? sb->cap - sb->len : 0;
    va_list ap2;
    int n;

    if (sb->failed)
        return;
    /* Format straight into the spare room; only a miss pays a second pass. */
    va_copy(ap2, ap);
    n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < room && (!sb->limit || sb->len + (size_t)n <= sb->limit)) {
        sb->len += (size_t)n;
        return;
    }
    if (room)
        sb->buf[sb->len] = '\0';
    if (!grow(sb, (size_t)n))
        return;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

/* Extra bytes each byte takes inside a JSON string literal: 0 for bytes kept as
 * they are, 1 for a two-byte escape (\" \\ \n), 5 for \u00XX (other control
 * characters, DEL, and '<', '>', '&' so that JSON is safe inside HTML). */
static const unsigned char json_extra[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1, 5, 5, 5, 5, 5, /* 0x00-0x0f; \n = 1 */
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, /* 0x10-0x1f */
    0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' = 1, '&' = 5 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 5, 0, /* '<' '>' = 5 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40-0x4f */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' = 1 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60-0x6f */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, /* DEL = 5; 0x80-0xff: 0 */
};

static size_t
json_escape(unsigned char c, char *out)
{
    static const char hex[] = "0123456789abcdef";

    out[0] = '\\';
    if (json_extra[c] == 1) {
        out[1] = c == '\n' ? 'n' : (char)c;
        return 2;
    }
    memcpy(out + 1, "u00", 3);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 15];
    return 6;
}

void
sbuf_add_json_chars(struct sbuf *sb, const char *s)
{
    const unsigned char *p;
    size_t len = 0, extra = 0, n = 0;
    char *out;

    for (p = (const unsigned char *)s; *p; p++, len++)
        extra += json_extra[*p];
    if (!(out = sbuf_room(sb, len + extra)))
        return;
    if (extra == 0) {
        memcpy(out, s, len);
        sbuf_commit(sb, len);
        return;
    }
    for (p = (const unsigned char *)s; *p; p++) {
        if (json_extra[*p])
            n += json_escape(*p, out + n);
        else
            out[n++] = (char)*p;
    }
    sbuf_commit(sb, n);
}

char *
sbuf_room(struct sbuf *sb, size_t n)
{
    return grow(sb, n) ? sb->buf + sb->len : NULL;
}

void
sbuf_commit(struct sbuf *sb, size_t used)
{
    sb->len += used;
    sb->buf[sb->len] = '\0';
}

void
sbuf_add_json_str(struct sbuf *sb, const char *s)
{
    sbuf_addc(sb, '"');
    sbuf_add_json_chars(sb, s);
    sbuf_addc(sb, '"');
}

void
sbuf_reserve(struct sbuf *sb, size_t extra)
{
    grow(sb, extra);
}

void
sbuf_reset(struct sbuf *sb)
{
    sb->len = 0;
    sb->failed = 0;
    if (sb->cap)
        sb->buf[0] = '\0';
}

void
sbuf_release(struct sbuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    sbuf_init(sb, 0);
}

char *
sbuf_detach(struct sbuf *sb, size_t *len)
{
    char *p;

    if (len)
        *len = sb->len;
    p = sb->cap ? sb->buf : xstrdup("");
    sbuf_init(sb, 0);
    return p;
}
