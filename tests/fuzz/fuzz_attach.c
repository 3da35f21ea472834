/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_attach.c -- libFuzzer target for the attachment cleaner's
 * JPEG, PNG and WebP walkers (domain/attach/clean.c and its walkers; no files,
 * no database). Beyond "no crash, no leak, no UB": whatever is accepted starts
 * with its format's magic, holds no metadata -- checked by walking it again
 * here, independently: no COM, no APPn but JFIF (no thumbnail), ICC, Adobe and
 * the one-tag orientation Exif; no PNG chunk outside the kept set; no WebP
 * EXIF/XMP chunk or flag -- and cleaning it again gives the same bytes, type
 * and size. PNG inputs run a second time with their chunk CRCs repaired, or the
 * fuzzer would rarely get past the first chunk. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <zlib.h>

#include "domain/attach/attach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_attach: %s:%d: %s\n", __FILE__, __LINE__, #cond);                \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static uint32_t
be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static bool
starts(const unsigned char *p, size_t n, const char *s, size_t k)
{
    return n >= k && memcmp(p, s, k) == 0;
}

/* One APPn/COM segment of the output is allowed (its body 'b', 'n' bytes). */
static void
check_app(int m, const unsigned char *b, size_t n)
{
    if (m == 0xE0) {
        CHECK(n == 14 && starts(b, n, "JFIF\0", 5) && b[12] == 0 && b[13] == 0);
    } else if (m == 0xE1) {
        CHECK(n == 32 &&
              starts(b, n, "Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0", 25));
        CHECK(b[25] >= 2 && b[25] <= 8 && memcmp(b + 26, "\0\0\0\0\0\0", 6) == 0);
    } else {
        CHECK((m == 0xE2 && starts(b, n, "ICC_PROFILE\0", 12)) ||
              (m == 0xEE && starts(b, n, "Adobe", 5)));
    }
}

/* The output is canonical: segments back to back, scans up to a marker. */
static void
check_jpeg(const unsigned char *p, size_t n)
{
    size_t pos = 2;

    CHECK(n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF);
    CHECK(p[n - 2] == 0xFF && p[n - 1] == 0xD9);
    while (pos < n - 2) {
        int m;
        size_t len;

        CHECK(p[pos] == 0xFF && pos + 4 <= n);
        m = p[pos + 1];
        len = be16(p + pos + 2);
        CHECK(m != 0xFF && m != 0xFE && m != 0xD8 && m != 0xD9 && len >= 2 && pos + 2 + len <= n);
        if (m >= 0xE0 && m <= 0xEF)
            check_app(m, p + pos + 4, len - 2);
        pos += 2 + len;
        if (m != 0xDA)
            continue;
        while (pos < n - 2 &&
               !(p[pos] == 0xFF && p[pos + 1] != 0 && (p[pos + 1] < 0xD0 || p[pos + 1] > 0xD7)))
            pos += p[pos] == 0xFF ? 2 : 1;
    }
    CHECK(pos == n - 2);
}

static void
check_png(const unsigned char *p, size_t n)
{
    static const char kept[] = "IHDR PLTE IDAT IEND tRNS gAMA cHRM sRGB iCCP sBIT bKGD pHYs cICP";
    size_t pos = 8;

    CHECK(starts(p, n, "\x89PNG\r\n\x1a\n", 8));
    for (;;) {
        char type[5] = { 0 };
        uint32_t len;

        CHECK(pos + 12 <= n);
        len = be32(p + pos);
        CHECK(pos + 12 + len <= n);
        memcpy(type, p + pos + 4, 4);
        CHECK(strstr(kept, type) && !strchr(type, ' '));
        CHECK(crc32(0, p + pos + 4, 4 + len) == be32(p + pos + 8 + len));
        pos += 12 + len;
        if (strcmp(type, "IEND") == 0)
            break;
    }
    CHECK(pos == n);
}

static void
check_webp(const unsigned char *p, size_t n)
{
    size_t pos = 12;

    CHECK(starts(p, n, "RIFF", 4) && n >= 12 && memcmp(p + 8, "WEBP", 4) == 0);
    CHECK(le32(p + 4) == n - 8);
    while (pos < n) {
        uint32_t len;

        CHECK(pos + 8 <= n);
        len = le32(p + pos + 4);
        CHECK(pos + 8 + len + (len & 1) <= n);
        CHECK(memcmp(p + pos, "EXIF", 4) != 0 && memcmp(p + pos, "XMP ", 4) != 0);
        if (memcmp(p + pos, "VP8X", 4) == 0)
            CHECK(len >= 1 && (p[pos + 8] & 0x0C) == 0);
        pos += 8 + len + (len & 1);
    }
}

static void
check_one(const uint8_t *data, size_t size)
{
    struct attach_image img, again;
    struct err e = ERR_INIT;

    if (attach_clean(data, size, &img, &e) < 0) {
        CHECK(e.code == ERR_INVALID || e.code == ERR_UNSUPPORTED_MEDIA || e.code == ERR_TOO_LARGE);
        CHECK(img.data == NULL && img.len == 0);
        return;
    }
    CHECK(img.len > 0 && img.width > 0 && img.height > 0);
    CHECK((uint64_t)img.width * img.height <= ATTACH_MAX_PIXELS);
    if (img.type == ATTACH_JPEG)
        check_jpeg(img.data, img.len);
    else if (img.type == ATTACH_PNG)
        check_png(img.data, img.len);
    else
        check_webp(img.data, img.len);
    CHECK(attach_clean(img.data, img.len, &again, &e) == 0);
    CHECK(again.type == img.type && again.width == img.width && again.height == img.height);
    CHECK(again.len == img.len && memcmp(again.data, img.data, img.len) == 0);
    attach_image_release(&again);
    attach_image_release(&img);
}

/* Recompute the CRC of every whole chunk of a PNG-looking copy. */
static void
repair_crcs(unsigned char *p, size_t n)
{
    size_t pos = 8;

    while (pos + 12 <= n && be32(p + pos) <= n - pos - 12) {
        uint32_t len = be32(p + pos), crc = (uint32_t)crc32(0, p + pos + 4, 4 + len);

        p[pos + 8 + len] = (unsigned char)(crc >> 24);
        p[pos + 9 + len] = (unsigned char)(crc >> 16);
        p[pos + 10 + len] = (unsigned char)(crc >> 8);
        p[pos + 11 + len] = (unsigned char)crc;
        pos += 12 + len;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy;

    check_one(data, size);
    if (size < 8 || memcmp(data, "\x89PNG\r\n\x1a\n", 8) != 0)
        return 0;
    copy = malloc(size);
    memcpy(copy, data, size);
    repair_crcs(copy, size);
    check_one(copy, size);
    free(copy);
    return 0;
}
