/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/sbuf.c -- see sbuf.h. */
#include "core/compat.h"

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

void
sbuf_add_json_str(struct sbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    sbuf_addc(sb, '"');
    for (; *p; p++) {
        if (*p == '"' || *p == '\\') {
            sbuf_addc(sb, '\\');
            sbuf_addc(sb, (char)*p);
        } else if (*p == '\n') {
            sbuf_adds(sb, "\\n");
        } else if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '&') {
            char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
            sbuf_add(sb, esc, sizeof(esc));
        } else {
            sbuf_addc(sb, (char)*p);
        }
    }
    sbuf_addc(sb, '"');
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
