/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/png.c -- the PNG chunk walk (ISO/IEC 15948, W3C PNG 3rd
 * ed.): signature, IHDR first, every chunk's length and CRC-32 checked, IEND
 * last. Kept: the critical chunks and the ancillary ones that change how the
 * picture looks (keep[] below); dropped: every other ancillary chunk -- eXIf,
 * tEXt, zTXt, iTXt, tIME, APNG's and private ones -- and anything after IEND.
 * An unknown critical chunk makes the file unusable, so it is refused. */
#include "core/compat.h"

#include <zlib.h>

#include "domain/attach/attach_int.h"

static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

static const char keep[][5] = {
    "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
    "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "cICP",
};

struct png {
    bool ihdr;
    bool idat;
};

static bool
kept(const unsigned char *type)
{
    for (size_t i = 0; i < ARRAY_LEN(keep); i++)
        if (memcmp(type, keep[i], 4) == 0)
            return true;
    return false;
}

static bool
type_ok(const unsigned char *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return false;
    return true;
}

/* Bit depths allowed for each colour type (PNG §11.2.2), as a bit mask. */
static bool
depth_ok(unsigned color, unsigned depth)
{
    static const unsigned allowed[7] = {
        [0] = 1 | 2 | 4 | 8 | 16, [2] = 8 | 16, [3] = 1 | 2 | 4 | 8, [4] = 8 | 16, [6] = 8 | 16
    };

    return color < 7 && depth <= 16 && (allowed[color] & depth) && (depth & (depth - 1)) == 0;
}

static int
header(const unsigned char *data, uint32_t n, struct attach_dims *d, struct err *err)
{
    if (n != 13)
        return attach_malformed(err, "PNG 文件头长度不符", "the PNG header has a bad length");
    d->width = attach_be32(data);
    d->height = attach_be32(data + 4);
    if (!d->width || !d->height || d->width > 0x7FFFFFFFu || d->height > 0x7FFFFFFFu)
        return attach_malformed(err, "PNG 图像宽高不对", "the PNG has a bad width or height");
    if (!depth_ok(data[9], data[8]) || data[10] != 0 || data[11] != 0 || data[12] > 1)
        return attach_malformed(err, "PNG 文件头取值不对", "the PNG header has bad values");
    return 0;
}

/* The chunk at 'c' (n data bytes), already bounds-checked: its CRC and place. */
static int
chunk(struct png *s, const unsigned char *c, uint32_t n, struct attach_dims *d, struct err *err)
{
    const unsigned char *type = c + 4;
    uLong crc = crc32(0L, type, 4 + (uInt)n);

    if (!type_ok(type))
        return attach_malformed(err, "PNG 块类型不对", "a PNG chunk has a bad type");
    if (crc != attach_be32(c + 8 + n))
        return attach_malformed(err, "PNG 块校验和不符", "a PNG chunk has a bad CRC");
    if (!s->ihdr && memcmp(type, "IHDR", 4) != 0)
        return attach_malformed(err, "PNG 文件头不在最前",
                                "the PNG does not start with its header");
    if (memcmp(type, "IHDR", 4) == 0) {
        if (s->ihdr)
            return attach_malformed(err, "PNG 有多个文件头", "the PNG has more than one header");
        s->ihdr = true;
        return header(c + 8, n, d, err);
    }
    if (memcmp(type, "IDAT", 4) == 0)
        s->idat = true;
    if (!(type[0] & 0x20) && !kept(type))
        return attach_malformed(err, "PNG 含不支持的关键块",
                                "the PNG has a critical chunk not supported");
    return 0;
}

int
attach_png_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                 struct err *err)
{
    struct png s = { 0 };
    size_t pos = sizeof(signature);

    if (len < pos || memcmp(p, signature, pos) != 0)
        return attach_malformed(err, "不是 PNG 文件", "not a PNG file");
    sbuf_add(out, p, pos);
    for (;;) {
        uint32_t n;
        int rc;

        if (len - pos < 12 || attach_be32(p + pos) > len - pos - 12)
            return attach_malformed(err, "PNG 文件不完整", "the PNG is truncated");
        n = attach_be32(p + pos);
        rc = chunk(&s, p + pos, n, d, err);
        if (rc < 0)
            return rc;
        if (kept(p + pos + 4))
            sbuf_add(out, p + pos, 12 + (size_t)n);
        if (memcmp(p + pos + 4, "IEND", 4) == 0)
            break;
        pos += 12 + (size_t)n;
    }
    if (!s.idat)
        return attach_malformed(err, "PNG 没有图像数据", "the PNG has no image data");
    return 0;
}
