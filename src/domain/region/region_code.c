/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_code.c -- the pure half of the region module: code
 * format, levels, kinds by range, scopes, and the text checks shared by insert
 * and import. No database access. */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "domain/region/region.h"
#include "domain/region/region_int.h"

/* Offset just past each segment: province, city, county, township, village. */
static const size_t seg_end[] = { 2, 4, 6, 9, 12 };

static bool
all_zero(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '0')
            return false;
    return true;
}

/* The number in digits s[0..n). */
static int
seg_value(const char *s, size_t n)
{
    int v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int
region_code_parse(const char *code, int *level, struct err *err)
{
    int first_zero = -1;

    if (!code || strnlen(code, REGION_CODE_LEN + 1) != REGION_CODE_LEN ||
        strspn(code, "0123456789") != REGION_CODE_LEN)
        return err_set_text(err, ERR_INVALID, "code", "区划代码应为 12 位数字",
                            "a region code is 12 digits");
    for (int i = 0; i < 5; i++) {
        size_t start = i ? seg_end[i - 1] : 0;
        bool zero = all_zero(code + start, seg_end[i] - start);

        if (zero && first_zero < 0)
            first_zero = i;
        else if (!zero && first_zero >= 0)
            return err_set_text(err, ERR_INVALID, "code",
                                "区划代码某一级为 0 时，其下各级也必须为 0",
                                "a region code has no non-zero segment after a zero one");
    }
    if (first_zero == 0)
        return err_set_text(err, ERR_INVALID, "code", "区划代码的省级部分不能为 00",
                            "a region code's province digits cannot be 00");
    if (level)
        *level = first_zero < 0 ? REGION_VILLAGE : first_zero;
    return 0;
}

int
region_code_parse_field(const char *code, const char *field, int *level, struct err *err)
{
    int rc = region_code_parse(code, level, err);

    if (rc < 0 && err)
        snprintf(err->field, sizeof(err->field), "%s", field);
    return rc;
}

static const char *
county_kind(const char *code)
{
    int v = seg_value(code + 4, 2);

    if (seg_value(code + 2, 2) == 90) /* 省直辖县级行政区划, e.g. 济源 419001 */
        return "县级市";
    if (v >= 1 && v <= 20)
        return "区";
    if (v <= 80)
        return "县";
    return "县级市";
}

static const char *
township_kind(const char *code)
{
    int v = seg_value(code + 6, 3);

    if (v >= 1 && v <= 99)
        return "街道";
    if (v >= 100 && v <= 199)
        return "镇";
    if (v >= 200 && v <= 399)
        return "乡";
    return "其他";
}

static const char *
village_kind(const char *code)
{
    int v = seg_value(code + 9, 3);

    if (v >= 1 && v <= 199)
        return "居委会";
    if (v >= 200 && v <= 399)
        return "村委会";
    return "其他";
}

const char *
region_kind_of(const char *code, int level)
{
    int parsed;

    if (region_code_parse(code, &parsed, NULL) < 0 || level < REGION_PROVINCE || level > parsed)
        return "";
    switch (level) {
    case REGION_PROVINCE:
        return "省";
    case REGION_CITY:
        return "市";
    case REGION_COUNTY:
        return county_kind(code);
    case REGION_TOWNSHIP:
        return township_kind(code);
    default:
        return village_kind(code);
    }
}

size_t
region_scope_len(int level)
{
    if (level < REGION_PROVINCE || level > REGION_VILLAGE)
        return 0;
    return seg_end[level - 1];
}

bool
region_in_scope(const char *scope_code, const char *code)
{
    int scope_level, level;

    if (region_code_parse(scope_code, &scope_level, NULL) < 0 ||
        region_code_parse(code, &level, NULL) < 0 || scope_level > level)
        return false;
    return memcmp(scope_code, code, region_scope_len(scope_level)) == 0;
}

bool
region_parent_level_ok(int level, int parent_level)
{
    if (level == REGION_COUNTY && parent_level == REGION_PROVINCE)
        return true; /* 省直辖县级行政区划 */
    return parent_level == level - 1;
}

/* Length of the UTF-8 sequence at s[0..n), 0 when it is malformed. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned int cp, min;

    if (s[0] < 0x80)
        return s[0] ? 1 : 0;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2, cp = s[0] & 0x1Fu, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3, cp = s[0] & 0x0Fu, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4, cp = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

bool
region_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;

    while (i < len) {
        n = utf8_seq(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

int
region_name_check(const char *name, const char *field, struct err *err)
{
    size_t len = name ? strlen(name) : 0;

    if (len == 0)
        return err_set_text(err, ERR_INVALID, field, "名称不能为空", "the name is empty");
    if (!region_utf8_valid(name, len))
        return err_set_text(err, ERR_INVALID, field, "名称不是有效的 UTF-8 文本",
                            "the name is not valid UTF-8");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return err_set_text(err, ERR_INVALID, field, "名称不能含控制字符",
                                "the name contains a control character");
    /* The byte bound keeps a stored name inside struct region's buffer. */
    if (len >= sizeof(((struct region *)NULL)->name) || json_utf8_chars(name) > REGION_NAME_CHARS)
        return err_set(err, ERR_INVALID, field, "名称最多 %d 个字",
                       "the name allows at most %d characters", REGION_NAME_CHARS);
    return 0;
}
