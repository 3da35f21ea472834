/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/webp.c -- the WebP RIFF walk (RFC 9649). A simple file
 * (one VP8 or VP8L chunk) cannot hold metadata: that chunk alone is kept. An
 * extended file (VP8X first) keeps VP8X with its Exif and XMP flags cleared,
 * ICCP, ANIM, ANMF, ALPH, VP8 and VP8L, and drops EXIF, XMP and unknown chunks.
 * The RIFF size is rewritten; bytes after the RIFF are dropped. */
#include "core/compat.h"

#include "domain/attach/attach_int.h"

#define VP8X_XMP 0x04
#define VP8X_EXIF 0x08

static const char keep[][5] = { "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L" };

static bool
kept(const unsigned char *fourcc)
{
    for (size_t i = 0; i < ARRAY_LEN(keep); i++)
        if (memcmp(fourcc, keep[i], 4) == 0)
            return true;
    return false;
}

static bool
is_image(const unsigned char *fourcc)
{
    return memcmp(fourcc, "VP8 ", 4) == 0 || memcmp(fourcc, "VP8L", 4) == 0 ||
           memcmp(fourcc, "ANMF", 4) == 0;
}

/* Width and height of the first chunk ('c', its 'n' data bytes after 8). */
static int
first_chunk(const unsigned char *c, uint32_t n, struct attach_dims *d, struct err *err)
{
    const unsigned char *b = c + 8;

    if (memcmp(c, "VP8X", 4) == 0 && n >= 10) {
        d->width = attach_le24(b + 4) + 1;
        d->height = attach_le24(b + 7) + 1;
    } else if (memcmp(c, "VP8 ", 4) == 0 && n >= 10 && !(b[0] & 1) && b[3] == 0x9D &&
               b[4] == 0x01 && b[5] == 0x2A) {
        d->width = attach_le16(b + 6) & 0x3FFF;
        d->height = attach_le16(b + 8) & 0x3FFF;
    } else if (memcmp(c, "VP8L", 4) == 0 && n >= 5 && b[0] == 0x2F) {
        d->width = (attach_le32(b + 1) & 0x3FFF) + 1;
        d->height = ((attach_le32(b + 1) >> 14) & 0x3FFF) + 1;
    } else {
        return attach_malformed(err, "WebP 第一块不对",
                                "the WebP does not start with an image header");
    }
    if (!d->width || !d->height)
        return attach_malformed(err, "WebP 图像宽高为 0", "the WebP is 0 pixels wide or high");
    return 0;
}

/* Copy chunk 'c' (size 'n', padded to even) to 'out', VP8X with its metadata
 * flags cleared. */
static void
copy_chunk(struct sbuf *out, const unsigned char *c, uint32_t n)
{
    size_t at = out->len;

    sbuf_add(out, c, 8 + (size_t)n + (n & 1));
    if (memcmp(c, "VP8X", 4) == 0 && !out->failed)
        out->buf[at + 8] &= (char)~(VP8X_XMP | VP8X_EXIF);
}

int
attach_webp_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                  struct err *err)
{
    size_t end, pos = 12;
    bool extended = false, image = false;
    uint32_t riff;

    if (len < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WEBP", 4) != 0)
        return attach_malformed(err, "不是 WebP 文件", "not a WebP file");
    riff = attach_le32(p + 4);
    if (riff < 4 + 8 || riff > len - 8)
        return attach_malformed(err, "WebP 文件不完整", "the WebP is truncated");
    end = 8 + (size_t)riff;
    sbuf_add(out, p, 12);
    while (pos < end) {
        uint32_t n;

        if (end - pos < 8 || attach_le32(p + pos + 4) > end - pos - 8 ||
            (attach_le32(p + pos + 4) & 1) > end - pos - 8 - attach_le32(p + pos + 4))
            return attach_malformed(err, "WebP 块长度越界", "a WebP chunk runs past the end");
        n = attach_le32(p + pos + 4);
        if (pos == 12 && first_chunk(p + pos, n, d, err) < 0)
            return -err->code;
        if (pos == 12)
            extended = memcmp(p + pos, "VP8X", 4) == 0;
        if (pos == 12 || (extended && kept(p + pos))) {
            image = image || is_image(p + pos);
            copy_chunk(out, p + pos, n);
        }
        pos += 8 + (size_t)n + (n & 1);
    }
    if (!image)
        return attach_malformed(err, "WebP 没有图像数据", "the WebP has no image data");
    if (!out->failed) {
        uint32_t size = (uint32_t)(out->len - 8);
        unsigned char le[4] = { (unsigned char)size, (unsigned char)(size >> 8),
                                (unsigned char)(size >> 16), (unsigned char)(size >> 24) };

        memcpy(out->buf + 4, le, 4);
    }
    return 0;
}
