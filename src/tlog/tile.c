/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/tile.c -- the C2SP tlog-tiles path grammar (tlog.h), parsed
 * strictly so that each tile has exactly one path: "<L>/<N>[.p/<W>]" or
 * "entries/<N>[.p/<W>]", N as 3-digit elements, all but the last led by "x",
 * the first not "x000". */
#include "core/compat.h"

#include "tlog/tlog.h"

static int
no_tile(struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "path", "没有这个瓦片", "no such tile");
}

/* A decimal in [lo, hi] without leading zeros, ending at 'end' or the string's end. */
static const char *
small_number(const char *s, int lo, int hi, int *out)
{
    int v = 0, n = 0;

    while (s[n] >= '0' && s[n] <= '9' && n < 4)
        v = v * 10 + (s[n++] - '0');
    if (n == 0 || (n > 1 && s[0] == '0') || v < lo || v > hi)
        return NULL;
    *out = v;
    return s + n;
}

/* N: "x001/x234/067" -> 1234067; returns the rest of the path (".p/W" or ""). */
static const char *
tile_index(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    bool first = true;

    for (;;) {
        bool more = *s == 'x';
        const char *d = s + more;

        if (!(d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' && d[2] >= '0' &&
              d[2] <= '9'))
            return NULL;
        if (more && first && memcmp(d, "000", 3) == 0)
            return NULL; /* a leading zero element */
        if (v > (UINT64_MAX - 999) / 1000)
            return NULL;
        v = v * 1000 + (uint64_t)((d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0'));
        s = d + 3;
        first = false;
        if (!more) {
            *out = v;
            return s;
        }
        if (*s++ != '/')
            return NULL;
    }
}

int
tlog_tile_path_parse(const char *path, int *level, uint64_t *n, int *width, struct err *err)
{
    const char *p = path;

    if (strncmp(p, "entries/", 8) == 0) {
        *level = -1;
        p += 8;
    } else if (!(p = small_number(p, 0, 63, level)) || *p++ != '/') {
        return no_tile(err);
    }
    if (!(p = tile_index(p, n)))
        return no_tile(err);
    *width = TLOG_TILE_WIDTH;
    if (*p == '\0')
        return 0;
    if (strncmp(p, ".p/", 3) != 0 || !(p = small_number(p + 3, 1, TLOG_TILE_WIDTH - 1, width)) ||
        *p != '\0')
        return no_tile(err);
    return 0;
}

void
tlog_tile_path_format(int level, uint64_t n, int width, struct sbuf *out)
{
    char groups[8][4];
    int ng = 0;

    if (level < 0)
        sbuf_adds(out, "entries/");
    else
        sbuf_addf(out, "%d/", level);
    do {
        snprintf(groups[ng++], sizeof(groups[0]), "%03d", (int)(n % 1000));
        n /= 1000;
    } while (n > 0 && ng < 8);
    while (ng-- > 1)
        sbuf_addf(out, "x%s/", groups[ng]);
    sbuf_adds(out, groups[0]);
    if (width < TLOG_TILE_WIDTH)
        sbuf_addf(out, ".p/%d", width);
}
