/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_attach.c -- domain/attach: cleaning (golden files from
 * tests/data/attach/make_images.py: a phone JPEG with Exif GPS, XMP, IPTC, a
 * comment and a ZIP tail; PNG with eXIf/tEXt/zTXt/iTXt/tIME; WebP with EXIF and
 * XMP), refusals (truncated at every length, bad lengths and CRCs, no image
 * data, garbage, a polyglot, too big, too many pixels), the fixed point,
 * storage by content hash (one file for the same bytes twice, atomic, the
 * layout), and the records with their scope checks. The "db" suite runs once
 * per backend: XIANGZHI_TEST_DB=sqlite (default) or a postgresql:// URL. */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/sbuf.h"
#include "domain/attach/attach.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "store/db.h"
#include "testdb.h"

/* ---- helpers ---- */

struct bytes {
    unsigned char *p;
    size_t n;
};

static struct bytes
load(const char *name)
{
    char path[512];
    struct bytes b = { NULL, 0 };
    FILE *f;
    long n;

    snprintf(path, sizeof(path), "%s/attach/%s", TEST_DATA_DIR, name);
    f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run tests/data/attach/make_images.py)", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b.p = malloc((size_t)n + 1);
    b.n = fread(b.p, 1, (size_t)n, f);
    fclose(f);
    cr_assert_eq(b.n, (size_t)n);
    return b;
}

static bool
contains(const unsigned char *p, size_t n, const char *needle)
{
    return memmem(p, n, needle, strlen(needle)) != NULL;
}

/* Clean 'b'; returns the rc and leaves the result in *img. */
static int
clean(struct bytes b, struct attach_image *img, struct err *err)
{
    return attach_clean(b.p, b.n, img, err);
}

static void
expect_golden(const char *in_name, const char *golden_name, int type, uint32_t w, uint32_t h)
{
    struct bytes in = load(in_name), want = load(golden_name);
    struct attach_image img, again;
    struct err err = ERR_INIT;

    cr_assert_eq(clean(in, &img, &err), 0, "%s: %s", in_name, err.en);
    cr_expect_eq(img.type, type);
    cr_expect_eq(img.width, w, "%s: width %u", in_name, img.width);
    cr_expect_eq(img.height, h, "%s: height %u", in_name, img.height);
    cr_assert_eq(img.len, want.n, "%s: %zu bytes, golden %zu", in_name, img.len, want.n);
    cr_assert(memcmp(img.data, want.p, want.n) == 0, "%s differs from %s", in_name, golden_name);
    cr_assert_eq(attach_clean(img.data, img.len, &again, &err), 0, "%s", err.en);
    cr_assert(again.len == img.len && memcmp(again.data, img.data, img.len) == 0,
              "%s: cleaning twice changed it", in_name);
    attach_image_release(&img);
    attach_image_release(&again);
    free(in.p);
    free(want.p);
}

static int
clean_code(const void *p, size_t n)
{
    struct attach_image img;
    struct err err = ERR_INIT;
    int rc = attach_clean(p, n, &img, &err);

    if (rc == 0) {
        attach_image_release(&img);
        return 0;
    }
    cr_assert_eq(img.data, NULL);
    cr_assert(err.en[0] && err.zh[0]);
    return err.code;
}

/* ---- cleaning ---- */

Test(clean, jpeg_loses_gps_exif_xmp_iptc_comment_thumbnail_and_tail)
{
    struct bytes in = load("gps.jpg");
    struct attach_image img;
    struct err err = ERR_INIT;

    expect_golden("gps.jpg", "gps.clean.jpg", ATTACH_JPEG, 8, 16); /* orientation 6: turned */
    expect_golden("gps-upright.jpg", "gps-upright.clean.jpg", ATTACH_JPEG, 16, 8);
    expect_golden("plain.jpg", "plain.jpg", ATTACH_JPEG, 16, 8);
    expect_golden("other.jpg", "other.jpg", ATTACH_JPEG, 24, 16);
    cr_assert(contains(in.p, in.n, "TestCam") && contains(in.p, in.n, "GPSLatitude"));
    cr_assert_eq(clean(in, &img, &err), 0);
    for (const char *const *s = (const char *const[]){ "TestCam", "GPS", "xmp", "Photoshop",
                                                       "script", "MPF", "PK", "2024", NULL };
         *s; s++)
        cr_expect(!contains(img.data, img.len, *s), "'%s' survived", *s);
    cr_expect(contains(img.data, img.len, "ICC_PROFILE"), "the colour profile was lost");
    attach_image_release(&img);
    free(in.p);
}

Test(clean, png_and_webp_lose_metadata_chunks_and_tail)
{
    struct bytes png = load("gps.png"), webp = load("gps.webp");
    struct attach_image img;
    struct err err = ERR_INIT;

    expect_golden("gps.png", "gps.clean.png", ATTACH_PNG, 5, 3);
    expect_golden("plain.png", "plain.png", ATTACH_PNG, 5, 3);
    expect_golden("other.png", "other.png", ATTACH_PNG, 7, 4);
    expect_golden("gps.webp", "gps.clean.webp", ATTACH_WEBP, 2, 2);
    expect_golden("plain.webp", "plain.webp", ATTACH_WEBP, 2, 2);
    cr_assert_eq(clean(png, &img, &err), 0);
    for (const char *const *s = (const char *const[]){ "eXIf", "tEXt", "zTXt", "iTXt", "tIME",
                                                       "prVt", "TestCam", "script", NULL };
         *s; s++)
        cr_expect(!contains(img.data, img.len, *s), "'%s' survived", *s);
    attach_image_release(&img);
    cr_assert_eq(clean(webp, &img, &err), 0);
    cr_expect(!contains(img.data, img.len, "EXIF") && !contains(img.data, img.len, "XMP "));
    cr_expect_eq(img.data[20] & 0x0C, 0, "VP8X still claims metadata");
    attach_image_release(&img);
    free(png.p);
    free(webp.p);
}

/* Every cut short of the image's end is refused; its tail is not needed. */
static void
every_prefix_refused(const char *name, size_t image_end)
{
    struct bytes b = load(name);

    for (size_t n = 0; n < image_end; n++) {
        int code = clean_code(b.p, n);

        cr_assert(code == ERR_INVALID || code == ERR_UNSUPPORTED_MEDIA,
                  "%s cut to %zu bytes: code %d", name, n, code);
    }
    cr_assert_eq(clean_code(b.p, image_end), 0, "%s cut at its end", name);
    free(b.p);
}

Test(clean, truncated_anywhere_is_refused)
{
    struct bytes j = load("gps.jpg"), p = load("gps.png"), w = load("gps.webp");
    const unsigned char *eoi = memmem(j.p, j.n, "\xff\xd9PK", 4);
    const unsigned char *iend = memmem(p.p, p.n, "IEND", 4);

    cr_assert(eoi && iend);
    every_prefix_refused("gps.jpg", (size_t)(eoi - j.p) + 2);
    every_prefix_refused("gps.png", (size_t)(iend - p.p) + 8);
    every_prefix_refused("gps.webp", 8 + (w.p[4] | (size_t)w.p[5] << 8));
    free(j.p);
    free(p.p);
    free(w.p);
}

Test(clean, judged_by_content_not_by_name)
{
    static const char *const others[] = {
        "GIF89a\x01\0\x01\0\0\0\0;",
        "<html><script>alert(1)</script></html>",
        "%PDF-1.4\n",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "\xff\xd8",
        "\x89PNG",
        "RIFF\0\0\0\0WAVEfmt ",
        "BM",
        "II*\0\x08\0\0\0",
    };
    unsigned char noise[4096];
    uint32_t x = 12345;

    for (size_t i = 0; i < ARRAY_LEN(others); i++)
        cr_expect_eq(clean_code(others[i], strlen(others[i]) + 1), ERR_UNSUPPORTED_MEDIA, "%s",
                     others[i]);
    cr_expect_eq(clean_code("", 0), ERR_UNSUPPORTED_MEDIA);
    for (size_t i = 0; i < sizeof(noise); i++)
        noise[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    cr_expect_eq(clean_code(noise, sizeof(noise)), ERR_UNSUPPORTED_MEDIA);
    /* The magic of one format and the body of another. */
    noise[0] = 0xFF, noise[1] = 0xD8, noise[2] = 0xFF;
    cr_expect_eq(clean_code(noise, sizeof(noise)), ERR_INVALID);
}

Test(clean, over_the_limit_is_too_large)
{
    size_t n = ATTACH_MAX_BYTES + 1;
    unsigned char *big = calloc(1, n);
    struct bytes j = load("plain.jpg");

    memcpy(big, j.p, j.n); /* a valid JPEG, then zeros */
    cr_assert_eq(clean_code(big, n), ERR_TOO_LARGE);
    cr_assert_eq(clean_code(big, n - 1), 0, "a JPEG with a long tail at the limit");
    free(big);
    free(j.p);
}

/* A JPEG of the given segments between SOI and EOI. */
static int
jpeg_code(const char *segments, size_t n)
{
    unsigned char buf[512];

    memcpy(buf, "\xff\xd8", 2);
    memcpy(buf + 2, segments, n);
    memcpy(buf + 2 + n, "\xff\xd9", 2);
    return clean_code(buf, n + 4);
}

#define SOF "\xff\xc0\0\x0b\x08\0\x08\0\x08\x01\x01\x11\0"
#define SOF_WIDE "\xff\xc0\0\x0b\x08\0\x08\0\x10\x01\x01\x11\0" /* 16 x 8 */
#define SOS "\xff\xda\0\x08\x01\x01\0\0\x3f\0"
#define SEGS(s) s, sizeof(s) - 1

Test(clean, malformed_jpeg_is_refused)
{
    cr_expect_eq(jpeg_code(SEGS(SOF SOS "\x12\x34")), 0);
    cr_expect_eq(jpeg_code(SEGS(SOF)), ERR_INVALID, "no SOS");
    cr_expect_eq(jpeg_code(SEGS("")), ERR_INVALID, "nothing");
    cr_expect_eq(jpeg_code(SEGS(SOS SOF "\x12")), ERR_INVALID, "SOS before SOF");
    cr_expect_eq(jpeg_code(SEGS(SOF SOF SOS "\x12")), ERR_INVALID, "two frames");
    cr_expect_eq(jpeg_code(SEGS("\xff\xfe\0\x01" SOF SOS "\x12")), ERR_INVALID, "length 1");
    cr_expect_eq(jpeg_code(SEGS("\xff\xfe\0\x00" SOF SOS "\x12")), ERR_INVALID, "length 0");
    cr_expect_eq(jpeg_code(SEGS("\xff\xfe\xff\xff" SOF SOS "\x12")), ERR_INVALID, "past the end");
    cr_expect_eq(jpeg_code(SEGS(SOF "xx" SOS "\x12")), ERR_INVALID, "stray bytes");
    cr_expect_eq(jpeg_code(SEGS("\xff\xc0\0\x0c\x08\0\x08\0\x08\x01\x01\x11\0\0" SOS "\x12")),
                 ERR_INVALID, "frame header length");
    cr_expect_eq(jpeg_code(SEGS("\xff\xc0\0\x0b\x08\0\0\0\x08\x01\x01\x11\0" SOS "\x12")),
                 ERR_INVALID, "0 pixels high");
    cr_expect_eq(jpeg_code(SEGS(SOF "\xff\xda\0\x09\x01\x01\0\0\x3f\0\0\x12")), ERR_INVALID,
                 "scan header length");
    cr_expect_eq(jpeg_code(SEGS(SOF "\xff\xf7\0\x02" SOS "\x12")), ERR_INVALID, "JPEG-LS");
    cr_expect_eq(jpeg_code(SEGS(SOF "\xff\xd0" SOS "\x12")), ERR_INVALID, "RST outside a scan");
    cr_expect_eq(jpeg_code(SEGS(SOF "\xff\xd8" SOS "\x12")), ERR_INVALID, "a second SOI");
}

Test(clean, jpeg_scan_keeps_stuffing_and_restarts_drops_fill)
{
    static const char in[] = "\xff\xd8" SOF "\xff\xdd\0\x04\0\x01" SOS
                             "\x12\xff\x00\x34\xff\xd0\x56\xff\xff\xd1\x78\xff\xff\xff\xd9";
    static const char want[] = "\xff\xd8" SOF "\xff\xdd\0\x04\0\x01" SOS
                               "\x12\xff\x00\x34\xff\xd0\x56\xff\xd1\x78\xff\xd9";
    struct attach_image img;
    struct err err = ERR_INIT;

    cr_assert_eq(attach_clean(in, sizeof(in) - 1, &img, &err), 0, "%s", err.en);
    cr_assert_eq(img.len, sizeof(want) - 1);
    cr_assert(memcmp(img.data, want, img.len) == 0);
    attach_image_release(&img);
}

Test(clean, progressive_jpeg_keeps_every_scan_and_loses_what_lies_between)
{
    static const char in[] = "\xff\xd8\xff\xc2\0\x0b\x08\0\x08\0\x08\x01\x01\x11\0"
                             "\xff\xda\0\x08\x01\x01\0\0\0\0\x12"
                             "\xff\xe1\0\x08http\0\x01\xff\xfe\0\x04hi\xff\xc4\0\x04\x10\x01"
                             "\xff\xda\0\x08\x01\x01\0\x01\x3f\0\x34\xff\xd9";
    static const char want[] = "\xff\xd8\xff\xc2\0\x0b\x08\0\x08\0\x08\x01\x01\x11\0"
                               "\xff\xda\0\x08\x01\x01\0\0\0\0\x12"
                               "\xff\xc4\0\x04\x10\x01"
                               "\xff\xda\0\x08\x01\x01\0\x01\x3f\0\x34\xff\xd9";
    struct attach_image img;
    struct err err = ERR_INIT;

    cr_assert_eq(attach_clean(in, sizeof(in) - 1, &img, &err), 0, "%s", err.en);
    cr_assert_eq(img.len, sizeof(want) - 1);
    cr_assert(memcmp(img.data, want, img.len) == 0);
    attach_image_release(&img);
}

/* An Exif APP1 (little-endian TIFF) whose IFD0 holds Orientation 'o' and a
 * GPS pointer. */
static size_t
exif_le(unsigned char *out, unsigned o)
{
    static const unsigned char tiff[] = {
        'I',  'I',  42, 0, 8, 0, 0, 0,                            /* header, IFD0 at 8 */
        2,    0,                                                  /* two entries */
        0x12, 0x01, 3,  0, 1, 0, 0, 0, 0,  0, 0,   0,             /* Orientation (value at 18) */
        0x25, 0x88, 4,  0, 1, 0, 0, 0, 38, 0, 0,   0,             /* GPSInfo at 38 */
        0,    0,    0,  0,                                        /* no next IFD */
        1,    0,    1,  0, 2, 0, 2, 0, 0,  0, 'N', 0, 0, 0, 0, 0, /* GPS IFD: LatitudeRef N */
    };
    size_t n = 4 + 6 + sizeof(tiff);

    memcpy(out, "\xff\xe1", 2);
    out[2] = (unsigned char)((n - 2) >> 8), out[3] = (unsigned char)(n - 2);
    memcpy(out + 4, "Exif\0\0", 6);
    memcpy(out + 10, tiff, sizeof(tiff));
    out[10 + 18] = (unsigned char)o;
    return n;
}

Test(clean, orientation_survives_alone)
{
    for (unsigned o = 0; o <= 9; o++) {
        unsigned char in[256], *p = in;
        struct attach_image img;
        struct err err = ERR_INIT;

        memcpy(p, "\xff\xd8", 2), p += 2;
        p += exif_le(p, o);
        memcpy(p, SOF_WIDE SOS "\x12\xff\xd9", sizeof(SOF_WIDE SOS) - 1 + 3);
        p += sizeof(SOF_WIDE SOS) - 1 + 3;
        cr_assert_eq(attach_clean(in, (size_t)(p - in), &img, &err), 0, "%s", err.en);
        if (o >= 2 && o <= 8) {
            cr_assert_eq(img.len, 2 + 36 + sizeof(SOF_WIDE SOS) - 1 + 3);
            cr_assert(memcmp(img.data + 2,
                             "\xff\xe1\0\x22"
                             "Exif\0\0MM\0\x2a",
                             14) == 0);
            cr_assert_eq(img.data[2 + 29], o);
        } else {
            cr_assert_eq(img.len, 2 + sizeof(SOF_WIDE SOS) - 1 + 3, "orientation %u", o);
        }
        cr_assert(!contains(img.data, img.len, "\x25\x88"), "the GPS pointer survived");
        cr_assert_eq(img.width, o >= 5 && o <= 8 ? 8 : 16, "orientation %u: shown turned", o);
        cr_assert_eq(img.height, o >= 5 && o <= 8 ? 16 : 8);
        attach_image_release(&img);
    }
}

/* A PNG: signature, then chunks given as (type, data, length) with right CRCs
 * unless 'bad_crc' names one. */
struct chunk {
    const char *type;
    const void *data;
    size_t n;
};

static size_t
png(unsigned char *out, const struct chunk *c, size_t nc, int bad_crc)
{
    size_t at = 8;

    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    for (size_t i = 0; i < nc; i++) {
        uint32_t crc;

        out[at] = (unsigned char)(c[i].n >> 24), out[at + 1] = (unsigned char)(c[i].n >> 16);
        out[at + 2] = (unsigned char)(c[i].n >> 8), out[at + 3] = (unsigned char)c[i].n;
        memcpy(out + at + 4, c[i].type, 4);
        memcpy(out + at + 8, c[i].data, c[i].n);
        crc = (uint32_t)crc32(0, out + at + 4, (uInt)(4 + c[i].n)) ^ ((int)i == bad_crc);
        out[at + 8 + c[i].n] = (unsigned char)(crc >> 24);
        out[at + 9 + c[i].n] = (unsigned char)(crc >> 16);
        out[at + 10 + c[i].n] = (unsigned char)(crc >> 8);
        out[at + 11 + c[i].n] = (unsigned char)crc;
        at += 12 + c[i].n;
    }
    return at;
}

static const unsigned char ihdr_1x1[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0 };
static const unsigned char ihdr_huge[13] = { 0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20, 8, 0, 0, 0, 0 };
static const unsigned char ihdr_bad_depth[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0, 0, 0 };
static const unsigned char idat_1x1[] = {
    0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01
};

static int
png_code(const struct chunk *c, size_t nc, int bad_crc)
{
    unsigned char buf[512];

    return clean_code(buf, png(buf, c, nc, bad_crc));
}

#define IHDR                                                                                       \
    {                                                                                              \
        "IHDR", ihdr_1x1, 13                                                                       \
    }
#define IDAT                                                                                       \
    {                                                                                              \
        "IDAT", idat_1x1, sizeof(idat_1x1)                                                         \
    }
#define IEND                                                                                       \
    {                                                                                              \
        "IEND", "", 0                                                                              \
    }
#define PNG(...)                                                                                   \
    (const struct chunk[]){ __VA_ARGS__ }, ARRAY_LEN(((const struct chunk[]){ __VA_ARGS__ }))

Test(clean, malformed_png_is_refused)
{
    cr_expect_eq(png_code(PNG(IHDR, IDAT, IEND), -1), 0);
    cr_expect_eq(png_code(PNG(IHDR, IDAT, IEND), 1), ERR_INVALID, "bad CRC");
    cr_expect_eq(png_code(PNG(IHDR, IDAT, IEND), 0), ERR_INVALID, "bad CRC on IHDR");
    cr_expect_eq(png_code(PNG(IHDR, IEND), -1), ERR_INVALID, "no IDAT");
    cr_expect_eq(png_code(PNG(IDAT, IHDR, IEND), -1), ERR_INVALID, "IHDR not first");
    cr_expect_eq(png_code(PNG(IHDR, IHDR, IDAT, IEND), -1), ERR_INVALID, "two IHDR");
    cr_expect_eq(png_code(PNG(IHDR, IDAT), -1), ERR_INVALID, "no IEND");
    cr_expect_eq(png_code(PNG(IHDR, { "QQQQ", "", 0 }, IDAT, IEND), -1), ERR_INVALID,
                 "unknown critical chunk");
    cr_expect_eq(png_code(PNG(IHDR, { "qQ1Q", "", 0 }, IDAT, IEND), -1), ERR_INVALID,
                 "chunk type not letters");
    cr_expect_eq(png_code(PNG({ "IHDR", ihdr_1x1, 12 }, IDAT, IEND), -1), ERR_INVALID,
                 "short IHDR");
    cr_expect_eq(png_code(PNG({ "IHDR", ihdr_bad_depth, 13 }, IDAT, IEND), -1), ERR_INVALID,
                 "bit depth 3");
    cr_expect_eq(png_code(PNG({ "IHDR", ihdr_huge, 13 }, IDAT, IEND), -1), ERR_INVALID,
                 "20000 x 20000 pixels");
    cr_expect_eq(png_code(PNG(IHDR, { "quUx", "private", 7 }, IDAT, IEND), -1), 0,
                 "unknown ancillary chunks are dropped, not refused");
}

Test(clean, png_length_past_the_end)
{
    unsigned char buf[256];
    size_t n = png(buf, PNG(IHDR, IDAT, IEND), -1);

    buf[8 + 25 + 3] = 0xff; /* IDAT's length */
    cr_expect_eq(clean_code(buf, n), ERR_INVALID);
    buf[8 + 25] = 0x80; /* over 2^31 */
    cr_expect_eq(clean_code(buf, n), ERR_INVALID);
}

Test(clean, polyglot_is_only_an_image_afterwards)
{
    /* A PNG whose text chunk is an HTML page and whose tail is a ZIP. */
    static const char html[] = "Comment\0<html><script>alert(1)</script></html>";
    unsigned char buf[512];
    size_t n = png(buf, PNG(IHDR, { "tEXt", html, sizeof(html) - 1 }, IDAT, IEND), -1);
    struct attach_image img;
    struct err err = ERR_INIT;

    memcpy(buf + n, "PK\x03\x04<html>", 10);
    cr_assert_eq(attach_clean(buf, n + 10, &img, &err), 0, "%s", err.en);
    cr_assert(!contains(img.data, img.len, "<html>") && !contains(img.data, img.len, "PK"));
    cr_assert_eq(img.len, 8 + 25 + 12 + sizeof(idat_1x1) + 12);
    attach_image_release(&img);
}

Test(clean, mime_names)
{
    cr_assert_str_eq(attach_mime(ATTACH_JPEG), "image/jpeg");
    cr_assert_str_eq(attach_mime(ATTACH_PNG), "image/png");
    cr_assert_str_eq(attach_mime(ATTACH_WEBP), "image/webp");
    cr_assert_null(attach_mime(ATTACH_NONE));
    cr_assert_eq(attach_type_of_mime("image/png"), ATTACH_PNG);
    cr_assert_eq(attach_type_of_mime("image/gif"), ATTACH_NONE);
    cr_assert(attach_hex_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    cr_assert(
        !attach_hex_valid("BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    cr_assert(!attach_hex_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"));
    cr_assert(
        !attach_hex_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0"));
    cr_assert(!attach_hex_valid("../../../../etc/passwd"));
    cr_assert(!attach_hex_valid(NULL));
}

/* ---- storage ---- */

static char data_dir[64];

static void
store_setup(void)
{
    snprintf(data_dir, sizeof(data_dir), "/tmp/xz-attach-XXXXXX");
    cr_assert(mkdtemp(data_dir));
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void
store_teardown(void)
{
    nftw(data_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(store, .init = store_setup, .fini = store_teardown);

/* Entries of 'dir' (not . and ..). */
static int
entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    cr_assert(d, "%s", dir);
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(store, by_hash_once_atomically)
{
    static const char abc_hex[] =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    char hex[ATTACH_HEX_CHARS + 1], again[ATTACH_HEX_CHARS + 1], path[256];
    struct err err = ERR_INIT;
    struct sbuf out = SBUF_INIT;
    struct stat st, st2;

    cr_assert_eq(attach_store(data_dir, "abc", 3, hex, &err), 0, "%s", err.en);
    cr_assert_str_eq(hex, abc_hex, "the name is the SHA-256 of the bytes");
    snprintf(path, sizeof(path), "%s/attachments/ba/%s", data_dir, abc_hex + 2);
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_assert_eq(st.st_size, 3);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(attach_store(data_dir, "abc", 3, again, &err), 0);
    cr_assert_str_eq(again, hex);
    cr_assert_eq(stat(path, &st2), 0);
    cr_assert_eq(st2.st_ino, st.st_ino, "the same bytes twice are one file, written once");
    snprintf(path, sizeof(path), "%s/attachments/ba", data_dir);
    cr_assert_eq(entries(path), 1, "no temporary file left behind");
    cr_assert_eq(attach_load(data_dir, hex, 3, &out, &err), 0, "%s", err.en);
    cr_assert(out.len == 3 && memcmp(out.buf, "abc", 3) == 0);
    sbuf_release(&out);
}

Test(store, a_short_file_under_the_name_is_replaced)
{
    static const char abc_hex[] =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    char hex[ATTACH_HEX_CHARS + 1], path[256];
    struct err err = ERR_INIT;
    struct sbuf out = SBUF_INIT;
    FILE *f;

    snprintf(path, sizeof(path), "%s/attachments", data_dir);
    cr_assert_eq(mkdir(path, 0750), 0);
    snprintf(path, sizeof(path), "%s/attachments/ba", data_dir);
    cr_assert_eq(mkdir(path, 0750), 0);
    snprintf(path, sizeof(path), "%s/attachments/ba/%s", data_dir, abc_hex + 2);
    f = fopen(path, "wb");
    fputs("a", f); /* as if written in place and cut short */
    fclose(f);
    cr_assert_eq(attach_load(data_dir, abc_hex, 3, &out, &err), -ERR_IO, "a short file is refused");
    cr_assert_eq(attach_store(data_dir, "abc", 3, hex, &err), 0);
    sbuf_reset(&out);
    cr_assert_eq(attach_load(data_dir, hex, 3, &out, &err), 0);
    cr_assert(out.len == 3 && memcmp(out.buf, "abc", 3) == 0);
    sbuf_release(&out);
}

Test(store, failures)
{
    char hex[ATTACH_HEX_CHARS + 1], path[256];
    struct err err = ERR_INIT;
    struct sbuf out = SBUF_INIT;
    FILE *f;

    cr_assert_eq(attach_load(data_dir, "../../etc/passwd", 10, &out, &err), -ERR_NOT_FOUND);
    cr_assert_eq(attach_load(data_dir,
                             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3,
                             &out, &err),
                 -ERR_IO, "missing file");
    snprintf(path, sizeof(path), "%s/file", data_dir);
    f = fopen(path, "wb");
    fclose(f);
    cr_assert_eq(attach_store(path, "abc", 3, hex, &err), -ERR_IO, "DATA is not a directory");
    cr_assert_eq(err.code, ERR_IO);
    cr_assert(!strstr(err.en, data_dir), "no paths in client messages");
    sbuf_release(&out);
}

/* ---- records and scope (per backend) ---- */

static struct db *db;
static struct db_conn *conn;
static char (*villages)[13];
static size_t nvillages;
static char township[13]; /* villages[0]'s */

static void
add_user(int64_t id)
{
    struct err err = ERR_INIT;
    char sql[256];

    snprintf(sql, sizeof(sql),
             "INSERT INTO users (id, username, display_name, password_hash, password_changed_at,"
             " created_at, updated_at) VALUES (%lld, 'a%lld', 'a', 'x', 0, 0, 0)",
             (long long)id, (long long)id);
    cr_assert_eq(db_exec(conn, sql, &err), 0, "%s", err.en);
}

static void
db_setup(void)
{
    struct err err = ERR_INIT;

    testdb_open("attach", &db, &conn);
    cr_assert_eq(region_demo_xinmi(conn, 4, &villages, &nvillages, &err), 0, "%s", err.en);
    cr_assert_geq(nvillages, 2);
    snprintf(township, sizeof(township), "%.9s000", villages[0]);
    cr_assert_neq(strncmp(villages[0], villages[1], 9), 0, "two townships");
    for (int64_t id = 1; id <= 12; id++)
        add_user(id);
}

static void
db_teardown(void)
{
    free(villages);
    testdb_close(db, conn);
}

TestSuite(db, .init = db_setup, .fini = db_teardown, .timeout = 120);

static struct principal
who(int64_t id, int role, const char *scope)
{
    struct principal p;

    memset(&p, 0, sizeof(p));
    p.user_id = id;
    p.roles[0].role = role;
    snprintf(p.roles[0].scope, sizeof(p.roles[0].scope), "%s", scope);
    p.roles[0].household_id = role == ROLE_VILLAGER ? 100 + id : 0;
    p.nroles = 1;
    return p;
}

static void
record(const struct principal *p, const char *hex, const char *region)
{
    struct attach_meta m = {
        .type = ATTACH_JPEG, .bytes = 187, .width = 16, .height = 8, .uploaded_by = p->user_id
    };
    struct err err = ERR_INIT;

    snprintf(m.sha256, sizeof(m.sha256), "%s", hex);
    cr_assert_eq(attach_upload_region(p, region, m.region_code, &err), 0, "%s", err.en);
    cr_assert_eq(attach_record(conn, &m, &err), 0, "%s", err.en);
    cr_assert_gt(m.created_at, 0);
}

static bool
sees(const struct principal *p, const char *hex)
{
    struct attach_meta m;
    struct err err = ERR_INIT;
    int rc = attach_get(conn, p, hex, &m, &err);

    cr_assert(rc == 0 || rc == -ERR_NOT_FOUND, "%s", err.en);
    if (rc == 0) {
        cr_assert_str_eq(m.sha256, hex);
        cr_assert_eq(m.type, ATTACH_JPEG);
        cr_assert(m.bytes == 187 && m.width == 16 && m.height == 8);
    }
    return rc == 0;
}

static int64_t
count(const char *sql)
{
    struct err err = ERR_INIT;
    int64_t v = -1;

    cr_assert_eq(db_query_i64(conn, sql, &v, &err), 0, "%s", err.en);
    return v;
}

#define HEX_A "1111111111111111111111111111111111111111111111111111111111111111"
#define HEX_B "2222222222222222222222222222222222222222222222222222222222222222"

Test(db, who_sees_an_upload)
{
    struct principal villager = who(1, ROLE_VILLAGER, villages[0]),
                     neighbour = who(2, ROLE_VILLAGER, villages[0]),
                     cadre = who(3, ROLE_VILLAGE_CADRE, villages[0]),
                     far_cadre = who(4, ROLE_VILLAGE_CADRE, villages[1]),
                     staff = who(5, ROLE_TOWNSHIP_STAFF, township),
                     admin = who(6, ROLE_COUNTY_ADMIN, "410183000000"),
                     auditor = who(7, ROLE_AUDITOR, "410183000000"),
                     mediator = who(8, ROLE_MEDIATOR, villages[0]),
                     supervisor = who(9, ROLE_SUPERVISOR, villages[0]);

    record(&villager, HEX_A, NULL);
    cr_expect(sees(&villager, HEX_A), "the uploader");
    cr_expect(!sees(&neighbour, HEX_A), "another villager of the village");
    cr_expect(sees(&cadre, HEX_A), "the village's cadre");
    cr_expect(!sees(&far_cadre, HEX_A), "another village's cadre");
    cr_expect(sees(&staff, HEX_A), "the township");
    cr_expect(sees(&admin, HEX_A), "the county");
    cr_expect(sees(&auditor, HEX_A), "an auditor (household.read over the county)");
    cr_expect(sees(&supervisor, HEX_A), "the supervisory committee");
    cr_expect(!sees(&mediator, HEX_A), "a role without household.read");
    cr_expect(!sees(&cadre, HEX_B), "nothing there");
    cr_expect(!sees(&admin, "not-a-hash"), "not a hash");
}

Test(db, the_same_photo_twice_is_one_row_and_two_uploads)
{
    struct principal villager = who(1, ROLE_VILLAGER, villages[0]),
                     far_villager = who(2, ROLE_VILLAGER, villages[1]),
                     far_cadre = who(4, ROLE_VILLAGE_CADRE, villages[1]),
                     cadre = who(3, ROLE_VILLAGE_CADRE, villages[0]);

    record(&villager, HEX_A, NULL);
    cr_expect(!sees(&far_cadre, HEX_A));
    record(&far_villager, HEX_A, NULL);
    record(&far_villager, HEX_A, NULL); /* the writer may run a job twice */
    cr_expect_eq(count("SELECT COUNT(*) FROM attachments"), 1);
    cr_expect_eq(count("SELECT COUNT(*) FROM attachment_uploads"), 2);
    cr_expect(sees(&far_villager, HEX_A), "the second uploader");
    cr_expect(sees(&far_cadre, HEX_A), "the second upload's village");
    cr_expect(sees(&cadre, HEX_A), "the first upload's village still");
    cr_expect_eq(count("SELECT uploaded_by FROM attachments"), 1, "the row keeps the first");
}

Test(db, where_an_upload_belongs)
{
    struct principal staff = who(5, ROLE_TOWNSHIP_STAFF, township), none;
    struct attach_meta m = {
        .type = ATTACH_PNG, .bytes = 1, .width = 1, .height = 1, .uploaded_by = 5
    };
    char out[13];
    struct err err = ERR_INIT;

    cr_assert_eq(attach_upload_region(&staff, NULL, out, &err), 0);
    cr_assert_str_eq(out, township);
    cr_assert_eq(attach_upload_region(&staff, "", out, &err), 0);
    cr_assert_str_eq(out, township);
    cr_assert_eq(attach_upload_region(&staff, villages[0], out, &err), 0);
    cr_assert_str_eq(out, villages[0]);
    cr_assert_eq(attach_upload_region(&staff, villages[1], out, &err), -ERR_FORBIDDEN);
    cr_assert_eq(attach_upload_region(&staff, "410183000000", out, &err), -ERR_FORBIDDEN,
                 "above one's scope");
    cr_assert_eq(attach_upload_region(&staff, "41018", out, &err), -ERR_INVALID);
    memset(&none, 0, sizeof(none));
    none.user_id = 5;
    cr_assert_eq(attach_upload_region(&none, NULL, out, &err), -ERR_FORBIDDEN, "no role");
    /* A well-formed code in scope that is no region. */
    snprintf(m.sha256, sizeof(m.sha256), "%s", HEX_B);
    snprintf(m.region_code, sizeof(m.region_code), "%.9s999", villages[0]);
    cr_assert_eq(attach_record(conn, &m, &err), -ERR_REFERENCE, "%s", err.en);
}
