/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/decode.c -- the first step of every spreadsheet import
 * (sheet.h, sheet_decode): the uploaded bytes to UTF-8. Excel in China saves CSV as GBK, so a file
 * that is not UTF-8 is tried as GB18030 (a superset of GBK and GB2312) to tell the user which
 * charset to declare; nothing is ever guessed silently. */
#include "core/compat.h"

#include <errno.h>
#include <iconv.h>

#include "core/xalloc.h"
#include "domain/sheet/sheet.h"

#define BOM "\xef\xbb\xbf"

/* Length of the well-formed UTF-8 sequence at p (n bytes left); 0 when it is
 * not one (NUL, overlong forms, surrogates, past U+10FFFF). */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
    size_t want = p[0] < 0x80   ? 1
                  : p[0] < 0xC2 ? 0
                  : p[0] < 0xE0 ? 2
                  : p[0] < 0xF0 ? 3
                  : p[0] < 0xF5 ? 4
                                : 0;

    if (p[0] == 0 || want == 0 || want > n)
        return 0;
    for (size_t i = 1; i < want; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
        return 0;
    return want;
}

/* Offset of the first byte that is not well-formed UTF-8, or len. */
static size_t
utf8_bad_at(const char *s, size_t len)
{
    size_t i = 0, n;

    while (i < len) {
        n = utf8_seq((const unsigned char *)s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

/* GB18030 to UTF-8. 0 with *out malloc'd; 1 with *bad_at when some bytes do not
 * decode; < 0 when iconv cannot start. */
static int
gb_to_utf8(const char *data, size_t len, char **out, size_t *out_len, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *in = (char *)(uintptr_t)data, *buf, *o;
    size_t in_left = len, cap = len + len / 2 + 16, out_left, used;
    int rc = 0;

    if (cd == (iconv_t)-1)
        return -1;
    buf = o = xmalloc(cap);
    out_left = cap - 1;
    while (in_left > 0 && iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        if (errno != E2BIG) {
            *bad_at = len - in_left; /* EILSEQ, or EINVAL for a cut-off last character */
            rc = 1;
            break;
        }
        used = (size_t)(o - buf);
        cap *= 2;
        buf = xrealloc(buf, cap);
        o = buf + used;
        out_left = cap - 1 - used;
    }
    iconv_close(cd);
    *o = '\0';
    *out_len = (size_t)(o - buf);
    *out = buf;
    return rc;
}

static int
decode_utf8(const char *data, size_t len, char **out, size_t *out_len, struct err *err)
{
    size_t bad = utf8_bad_at(data, len), gb_len, gb_bad;
    char *gb = NULL;
    int gb_rc;

    if (bad < len && data[bad] == '\0')
        return err_set(err, ERR_INVALID, "charset", "文件第 %zu 字节是 NUL，不是文本文件",
                       "byte %zu is a NUL: this is not a text file", bad);
    if (bad < len) {
        gb_rc = gb_to_utf8(data, len, &gb, &gb_len, &gb_bad);
        free(gb);
        if (gb_rc == 0)
            return err_set(err, ERR_INVALID, "charset",
                           "文件不是 UTF-8 编码，看起来是 GBK（中文版 Excel 保存的 CSV 通常是 "
                           "GBK），请声明 charset=gbk 后重新上传",
                           "the file is not UTF-8 and looks like GBK (Excel in China saves CSV "
                           "as GBK); declare charset=gbk and upload it again");
        return err_set(err, ERR_INVALID, "charset", "文件第 %zu 字节起不是有效的 UTF-8",
                       "the file is not valid UTF-8 from byte %zu on", bad);
    }
    *out = xmalloc(len + 1);
    memcpy(*out, data, len);
    (*out)[len] = '\0';
    *out_len = len;
    return 0;
}

static int
decode_gb(const char *data, size_t len, char **out, size_t *out_len, struct err *err)
{
    size_t bad = 0;
    int rc = gb_to_utf8(data, len, out, out_len, &bad);

    if (rc == 0 && strlen(*out) != *out_len) {
        rc = 1; /* a NUL byte: the offset is in the decoded text, close enough */
        bad = strlen(*out);
    }
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    if (rc < 0)
        return err_set(err, ERR_INTERNAL, "charset", "系统不支持 GB18030 解码",
                       "GB18030 decoding is not available");
    if (rc > 0)
        return err_set(err, ERR_INVALID, "charset", "文件第 %zu 字节起无法按 GBK/GB18030 解码",
                       "the file cannot be decoded as GBK/GB18030 from byte %zu on", bad);
    if (*out_len >= 3 && memcmp(*out, BOM, 3) == 0) {
        memmove(*out, *out + 3, *out_len - 2);
        *out_len -= 3;
    }
    return 0;
}

static bool
charset_is(const char *cs, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(cs, *names) == 0)
            return true;
    return false;
}

int
sheet_decode(const char *data, size_t len, const char *charset, char **out, size_t *out_len,
             struct err *err)
{
    static const char *const utf8[] = { "utf-8", "utf8", NULL };
    static const char *const gb[] = { "gbk", "gb18030", "gb2312", "cp936", NULL };

    *out = NULL;
    *out_len = 0;
    if (sheet_is_xlsx(data, len)) { /* a workbook: its XML is UTF-8 by definition */
        *out = xmalloc(len + 1);
        memcpy(*out, data, len);
        (*out)[len] = '\0';
        *out_len = len;
        return 0;
    }
    if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 || memcmp(data, "\xfe\xff", 2) == 0))
        return err_set(err, ERR_INVALID, "charset",
                       "文件是 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）”",
                       "the file is UTF-16; save it as \"CSV UTF-8 (comma delimited)\"");
    /* A UTF-8 BOM is unambiguous: it wins over a declared GBK. */
    if (len >= 3 && memcmp(data, BOM, 3) == 0)
        return decode_utf8(data + 3, len - 3, out, out_len, err);
    if (!charset || !charset[0] || charset_is(charset, utf8))
        return decode_utf8(data, len, out, out_len, err);
    if (charset_is(charset, gb))
        return decode_gb(data, len, out, out_len, err);
    return err_set(err, ERR_INVALID, "charset", "不支持的字符集（可用 utf-8、gbk、gb18030）",
                   "unsupported charset (use utf-8, gbk or gb18030)");
}
