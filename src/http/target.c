/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/target.c -- the request target as the client sent it, before
 * libmicrohttpd splits off the query and decodes it. Decoding "%00" yields a
 * NUL that cuts the C string MHD hands on ("/households/1%00/../users" would
 * reach the router as "/households/1"), so a target whose decoding holds a
 * control character is refused whole; and the access log writes the target as
 * asked for, escaped, never a shortened or decoded form. */
#include "core/compat.h"

#include "http/http_int.h"

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

bool
target_has_control(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_control((unsigned char)t[i]))
            return true;
        if (t[i] == '%' && i + 2 < n && hex_value(t[i + 1]) >= 0 && hex_value(t[i + 2]) >= 0 &&
            is_control((unsigned char)(hex_value(t[i + 1]) * 16 + hex_value(t[i + 2]))))
            return true;
    }
    return false;
}

void
target_log_path(struct sbuf *b, const char *t, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n && t[i] != '?'; i++) {
        unsigned char c = (unsigned char)t[i];

        if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\') {
            char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

            sbuf_add(b, esc, sizeof(esc));
        } else {
            sbuf_addc(b, (char)c);
        }
    }
}
