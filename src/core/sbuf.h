/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/sbuf.h -- growable bytes, modelled on git's strbuf. Invariants: buf is
 * never NULL and always NUL-terminated (it may contain NULs); cap is private.
 * A buffer may be given a size limit; once an append would pass it, 'failed' is
 * set and further appends are no-ops, so a builder checks once at the end. */
#ifndef CORE_SBUF_H
#define CORE_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf {
    char *buf;    /* never NULL; NUL-terminated */
    size_t len;   /* bytes used, excluding the terminating NUL */
    size_t cap;   /* private: allocated bytes, 0 while buf is sbuf_empty */
    size_t limit; /* maximum len; 0 for none */
    int failed;   /* sticky: an append was refused */
};

extern char sbuf_empty[];
#define SBUF_INIT                                                                                  \
    {                                                                                              \
        sbuf_empty, 0, 0, 0, 0                                                                     \
    }

void sbuf_init(struct sbuf *sb, size_t limit);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Decimal digits of 'v', written at the end of 'buf'; returns where they start. */
char *sbuf_int_digits(char buf[24], int64_t v);
void sbuf_add_int(struct sbuf *sb, int64_t v); /* decimal, no printf */
/* Append 's' as a JSON string literal, quotes included. */
void sbuf_add_json_str(struct sbuf *sb, const char *s);
/* The same without the quotes: the escaped characters only. */
void sbuf_add_json_chars(struct sbuf *sb, const char *s);
/* Allocate room for 'extra' more bytes now (a builder that knows its size). */
void sbuf_reserve(struct sbuf *sb, size_t extra);
/* Writing in place: sbuf_room returns where up to 'n' bytes may be written
 * (NULL once the buffer failed or would pass its limit); sbuf_commit then
 * counts the 'used' bytes actually written (used <= n). */
char *sbuf_room(struct sbuf *sb, size_t n);
void sbuf_commit(struct sbuf *sb, size_t used);
void sbuf_reset(struct sbuf *sb);   /* len = 0, keeps memory and limit, clears failed */
void sbuf_release(struct sbuf *sb); /* back to the SBUF_INIT state */
/* Hand the bytes to the caller (free() them); the buffer returns to SBUF_INIT. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

#endif
