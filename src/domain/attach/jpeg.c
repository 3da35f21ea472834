/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/jpeg.c -- the JPEG marker walk (ITU-T T.81 annex B). Every
 * segment up to EOI is checked for its length and copied or dropped (attach.h
 * says which); the entropy-coded data after each SOS is copied up to the next
 * marker. The output is canonical -- no fill bytes between segments, nothing
 * after EOI -- so cleaning it again changes nothing.
 *
 * Orientation: phones store a photo as the sensor saw it and say in Exif how to
 * turn it (tag 0x0112). Dropping all of Exif would show such photos sideways,
 * so when the first Exif APP1 holds an orientation other than 1, it is replaced
 * by orient_app1: a TIFF header and one IFD of that one tag -- no location, no
 * camera, no time. */
#include "core/compat.h"

#include "domain/attach/attach_int.h"

enum {
    M_TEM = 0x01,
    M_SOF0 = 0xC0,
    M_DHT = 0xC4,
    M_JPG = 0xC8,
    M_DAC = 0xCC,
    M_RST0 = 0xD0,
    M_RST7 = 0xD7,
    M_SOI = 0xD8,
    M_EOI = 0xD9,
    M_SOS = 0xDA,
    M_DQT = 0xDB,
    M_DNL = 0xDC,
    M_DRI = 0xDD,
    M_EXP = 0xDF,
    M_APP0 = 0xE0,
    M_APP1 = 0xE1,
    M_APP2 = 0xE2,
    M_APP14 = 0xEE,
    M_APP15 = 0xEF,
    M_COM = 0xFE,
};

/* FF E1, length 34, "Exif\0\0", "MM" 42, IFD0 at 8 holding one entry: tag
 * 0x0112, type 3 (SHORT), count 1, the value at byte ORIENT_AT; no next IFD. */
#define ORIENT_AT 29
static const unsigned char orient_app1[36] = {
    0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
    0,    1,    0x01, 0x12, 0,   3,   0,   0,   0, 1, 0,   0,   0, 0,  0, 0, 0, 0,
};

/* JFIF APP0 body without its thumbnail: "JFIF\0", version, units, densities,
 * thumbnail 0 x 0. */
#define JFIF_BODY 14

struct jpeg {
    const unsigned char *p;
    size_t len;
    size_t pos; /* next byte to read */
    struct sbuf *out;
    struct attach_dims *d;
    bool sof;       /* a frame header seen */
    bool scanned;   /* a scan seen */
    bool exif_done; /* the first Exif APP1 handled */
};

static bool
is_sof(int m)
{
    return m >= M_SOF0 && m <= 0xCF && m != M_DHT && m != M_JPG && m != M_DAC;
}

static bool
starts_with(const unsigned char *body, size_t blen, const char *sig, size_t n)
{
    return blen >= n && memcmp(body, sig, n) == 0;
}

/* Value of tag 0x0112 in IFD0 of the TIFF block 't', or 1 when absent or odd. */
static int
tiff_orientation(const unsigned char *t, size_t tlen)
{
    bool be;
    uint32_t ifd, n;

    if (tlen < 8 || !(memcmp(t, "MM\0*", 4) == 0 || memcmp(t, "II*\0", 4) == 0))
        return 1;
    be = t[0] == 'M';
    ifd = be ? attach_be32(t + 4) : attach_le32(t + 4);
    if (ifd > tlen - 2)
        return 1;
    n = be ? attach_be16(t + ifd) : attach_le16(t + ifd);
    for (uint32_t i = 0; i < n && (size_t)ifd + 2 + 12 * (i + 1) <= tlen; i++) {
        const unsigned char *e = t + ifd + 2 + 12 * i;
        uint32_t tag = be ? attach_be16(e) : attach_le16(e);
        uint32_t type = be ? attach_be16(e + 2) : attach_le16(e + 2);
        uint32_t count = be ? attach_be32(e + 4) : attach_le32(e + 4);
        uint32_t v = be ? attach_be16(e + 8) : attach_le16(e + 8);

        if (tag == 0x0112)
            return type == 3 && count == 1 && v >= 1 && v <= 8 ? (int)v : 1;
    }
    return 1;
}

/* The first Exif APP1 becomes orient_app1 when the photo is turned; every
 * APP1 (Exif, XMP...) is otherwise dropped. */
static void
exif(struct jpeg *j, const unsigned char *body, size_t blen)
{
    unsigned char seg[sizeof(orient_app1)];
    int o;

    if (j->exif_done || !starts_with(body, blen, "Exif\0\0", 6))
        return;
    j->exif_done = true;
    o = tiff_orientation(body + 6, blen - 6);
    if (o == 1)
        return;
    memcpy(seg, orient_app1, sizeof(seg));
    seg[ORIENT_AT] = (unsigned char)o;
    sbuf_add(j->out, seg, sizeof(seg));
    j->d->swapped = o >= 5;
}

/* APPn and COM: keep what changes how the picture looks, nothing else. */
static void
app(struct jpeg *j, int m, const unsigned char *seg, size_t slen)
{
    const unsigned char *body = seg + 4;
    size_t blen = slen - 4;

    if (m == M_APP0 && starts_with(body, blen, "JFIF\0", 5) && blen >= JFIF_BODY) {
        unsigned char jfif[4 + JFIF_BODY];

        memcpy(jfif, seg, sizeof(jfif));
        jfif[2] = 0;
        jfif[3] = 2 + JFIF_BODY;
        jfif[4 + 12] = jfif[4 + 13] = 0; /* no thumbnail: it may show what was cropped */
        sbuf_add(j->out, jfif, sizeof(jfif));
    } else if (m == M_APP1) {
        exif(j, body, blen);
    } else if ((m == M_APP2 && starts_with(body, blen, "ICC_PROFILE\0", 12)) ||
               (m == M_APP14 && starts_with(body, blen, "Adobe", 5))) {
        sbuf_add(j->out, seg, slen);
    }
}

/* A frame header: one per file; its size is the picture's. */
static int
frame(struct jpeg *j, const unsigned char *body, size_t blen, struct err *err)
{
    if (j->sof)
        return attach_malformed(err, "JPEG 文件有多个帧头",
                                "the JPEG has more than one frame header");
    if (blen < 6 || body[5] < 1 || body[5] > 4 || blen != 6 + 3 * (size_t)body[5])
        return attach_malformed(err, "JPEG 帧头长度不符", "the JPEG frame header has a bad length");
    j->d->height = attach_be16(body + 1);
    j->d->width = attach_be16(body + 3);
    if (!j->d->width || !j->d->height)
        return attach_malformed(err, "JPEG 图像宽高为 0", "the JPEG is 0 pixels wide or high");
    j->sof = true;
    return 0;
}

static int
scan_header(struct jpeg *j, const unsigned char *body, size_t blen, struct err *err)
{
    if (!j->sof)
        return attach_malformed(err, "JPEG 扫描段前没有帧头",
                                "the JPEG has a scan before its frame header");
    if (blen < 1 || body[0] < 1 || body[0] > 4 || blen != 4 + 2 * (size_t)body[0])
        return attach_malformed(err, "JPEG 扫描头长度不符",
                                "the JPEG scan header has a bad length");
    return 0;
}

/* One marker segment at j->pos (just past its marker byte 'm'). */
static int
segment(struct jpeg *j, int m, struct err *err)
{
    const unsigned char *seg = j->p + j->pos - 2; /* FF m length body */
    size_t slen;
    int rc = 0;

    if (j->len - j->pos < 2 || attach_be16(j->p + j->pos) < 2 ||
        attach_be16(j->p + j->pos) > j->len - j->pos)
        return attach_malformed(err, "JPEG 段长度越界(文件不完整?)",
                                "a JPEG segment runs past the end (truncated?)");
    slen = 2 + attach_be16(j->p + j->pos);
    j->pos += slen - 2;
    if ((m >= M_APP0 && m <= M_APP15) || m == M_COM) {
        app(j, m, seg, slen);
        return 0;
    }
    if (is_sof(m))
        rc = frame(j, seg + 4, slen - 4, err);
    else if (m == M_SOS)
        rc = scan_header(j, seg + 4, slen - 4, err);
    else if (m != M_DHT && m != M_DQT && m != M_DRI && m != M_DAC && m != M_DNL && m != M_EXP)
        rc = attach_malformed(err, "JPEG 含不支持的标记", "the JPEG has a marker not supported");
    if (rc == 0)
        sbuf_add(j->out, seg, slen);
    return rc;
}

/* Entropy-coded data after an SOS: copied with its stuffed bytes (FF 00) and
 * restart markers (FF D0-D7), fill bytes dropped, up to the next marker. */
static int
entropy(struct jpeg *j, struct err *err)
{
    size_t start = j->pos;

    for (;;) {
        const unsigned char *ff = memchr(j->p + j->pos, 0xFF, j->len - j->pos);
        size_t at, q;

        if (!ff)
            break;
        at = (size_t)(ff - j->p);
        for (q = at + 1; q < j->len && j->p[q] == 0xFF; q++)
            ;
        if (q >= j->len)
            break;
        sbuf_add(j->out, j->p + start, at - start);
        j->pos = q + 1;
        if (j->p[q] != 0 && (j->p[q] < M_RST0 || j->p[q] > M_RST7)) {
            j->pos = at; /* a marker: the scan ends */
            j->scanned = true;
            return 0;
        }
        sbuf_add(j->out, (const unsigned char[]){ 0xFF, j->p[q] }, 2);
        start = j->pos;
    }
    return attach_malformed(err, "JPEG 图像数据不完整", "the JPEG image data is truncated");
}

/* The marker at j->pos, after any fill bytes: into *m. */
static int
next_marker(struct jpeg *j, int *m, struct err *err)
{
    if (j->pos >= j->len)
        return attach_malformed(err, "JPEG 文件不完整(没有结束标记)",
                                "the JPEG is truncated (no end marker)");
    if (j->p[j->pos] != 0xFF)
        return attach_malformed(err, "JPEG 段之间有多余数据",
                                "the JPEG has stray bytes between segments");
    while (j->pos < j->len && j->p[j->pos] == 0xFF)
        j->pos++;
    if (j->pos >= j->len)
        return attach_malformed(err, "JPEG 文件不完整(没有结束标记)",
                                "the JPEG is truncated (no end marker)");
    *m = j->p[j->pos++];
    return 0;
}

int
attach_jpeg_clean(const unsigned char *p, size_t len, struct sbuf *out, struct attach_dims *d,
                  struct err *err)
{
    struct jpeg j = { .p = p, .len = len, .pos = 2, .out = out, .d = d };
    int m = 0, rc;

    if (len < 4 || p[0] != 0xFF || p[1] != M_SOI)
        return attach_malformed(err, "不是 JPEG 文件", "not a JPEG file");
    sbuf_add(out, p, 2);
    while ((rc = next_marker(&j, &m, err)) == 0 && m != M_EOI) {
        if (m == M_TEM)
            continue; /* no parameters; nothing a viewer needs */
        if (m == 0 || m == M_SOI || (m >= M_RST0 && m <= M_RST7))
            return attach_malformed(err, "JPEG 标记位置不对", "a JPEG marker is out of place");
        rc = segment(&j, m, err);
        if (rc == 0 && m == M_SOS)
            rc = entropy(&j, err);
        if (rc < 0)
            return rc;
    }
    if (rc < 0)
        return rc;
    if (!j.scanned)
        return attach_malformed(err, "JPEG 没有图像数据", "the JPEG has no image data");
    sbuf_add(out, (const unsigned char[]){ 0xFF, M_EOI }, 2);
    return 0;
}
