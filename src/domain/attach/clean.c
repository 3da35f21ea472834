/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/clean.c -- see attach.h: which format the bytes are (by
 * their magic, never by what the client said), the walker that cleans it, and
 * the limits on bytes and pixels. Pure: no files, no database, so the fuzz
 * target links this with the walkers alone. */
#include "core/compat.h"

#include "domain/attach/attach.h"
#include "domain/attach/attach_int.h"

_Static_assert(ATTACH_MAX_PIXELS == 100000000u, "attach_clean's message names the limit");

/* The cleaned file may gain a few bytes (jpeg.c's orientation block). */
#define OUT_SLACK 64

static const struct {
    int type;
    const char *mime;
} mimes[] = {
    { ATTACH_JPEG, "image/jpeg" },
    { ATTACH_PNG, "image/png" },
    { ATTACH_WEBP, "image/webp" },
};

const char *
attach_mime(int type)
{
    for (size_t i = 0; i < ARRAY_LEN(mimes); i++)
        if (mimes[i].type == type)
            return mimes[i].mime;
    return NULL;
}

int
attach_type_of_mime(const char *mime)
{
    for (size_t i = 0; mime && i < ARRAY_LEN(mimes); i++)
        if (strcmp(mimes[i].mime, mime) == 0)
            return mimes[i].type;
    return ATTACH_NONE;
}

bool
attach_hex_valid(const char *hex)
{
    size_t i;

    for (i = 0; hex && i < ATTACH_HEX_CHARS; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return false;
    return hex && hex[i] == '\0';
}

int
attach_malformed(struct err *err, const char *zh, const char *en)
{
    return err_set(err, ERR_INVALID, "file", "图片文件损坏:%s%.0s",
                   "the image is malformed: %.0s%s", zh, en);
}

/* The format by its first bytes. */
static int
sniff(const unsigned char *p, size_t len)
{
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return ATTACH_JPEG;
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return ATTACH_PNG;
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return ATTACH_WEBP;
    return ATTACH_NONE;
}

static int
walk(int type, const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
     struct err *err)
{
    if (type == ATTACH_JPEG)
        return attach_jpeg_clean(p, len, out, d, err);
    if (type == ATTACH_PNG)
        return attach_png_clean(p, len, out, d, err);
    return attach_webp_clean(p, len, out, d, err);
}

int
attach_clean(const void *in, size_t len, struct attach_image *out, struct err *err)
{
    struct sbuf buf;
    struct attach_dims d = { 0 };
    int type = sniff(in, len);
    int rc;

    memset(out, 0, sizeof(*out));
    if (len > ATTACH_MAX_BYTES)
        return err_set(err, ERR_TOO_LARGE, "file", "图片不能超过 %d MB",
                       "an image may be at most %d MiB", ATTACH_MAX_BYTES / (1024 * 1024));
    if (type == ATTACH_NONE)
        return err_set(err, ERR_UNSUPPORTED_MEDIA, "file", "只接受 JPEG、PNG 或 WebP 图片",
                       "only JPEG, PNG or WebP images are accepted");
    sbuf_init(&buf, len + OUT_SLACK);
    rc = walk(type, in, len, &buf, &d, err);
    if (rc == 0 && buf.failed)
        rc = err_code_set(err, ERR_INTERNAL, NULL);
    if (rc == 0 && (uint64_t)d.width * d.height > ATTACH_MAX_PIXELS)
        rc = err_set_text(err, ERR_INVALID, "file", "图片像素过多(最多 1 亿)",
                          "the image has too many pixels (at most 100 million)");
    if (rc < 0) {
        sbuf_release(&buf);
        return rc;
    }
    out->type = type;
    out->width = d.swapped ? d.height : d.width;
    out->height = d.swapped ? d.width : d.height;
    out->data = (unsigned char *)sbuf_detach(&buf, &out->len);
    return 0;
}

void
attach_image_release(struct attach_image *img)
{
    if (!img)
        return;
    free(img->data);
    memset(img, 0, sizeof(*img));
}
