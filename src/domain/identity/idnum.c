/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/identity/idnum.c -- see idnum.h. Everything is checked on a
 * canonical 18-char copy, so 15-digit legacy numbers pass the same date and
 * address rules as new ones. Only ASCII is accepted; a full-width digit is a
 * bad character, not a digit. */
#include "core/compat.h"

#include <assert.h>
#include <time.h>

#include "core/clock.h"
#include "domain/identity/idnum.h"

#define ID_FIELD "id_number"
#define PHONE_FIELD "phone"
#define PHONE_STRIPPED_MAX 20 /* longer than "0086" + 11 digits + slack: reject early */
#define UTC8_OFFSET_MS (8LL * 3600 * 1000)

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_check_map[] = "10X98765432";

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The MOD 11-2 check char of the first 17 digits of 'd'. */
static char
id_check_char(const char *d)
{
    int sum = 0;

    for (int i = 0; i < 17; i++)
        sum += (d[i] - '0') * id_weights[i];
    return id_check_map[sum % 11];
}

/* Characters (not bytes) of UTF-8 text s[0..n), for the wrong-length message. */
static size_t
utf8_chars(const char *s, size_t n)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static int
two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool
leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Today in China (UTC+8) as YYYYMMDD. */
static long
today_utc8(void)
{
    time_t secs = (time_t)((clock_now_ms() + UTC8_OFFSET_MS) / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Check the 8 digits "YYYYMMDD" at 'd' as a birth date. */
static int
check_birth(const char *d, struct err *err)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = two_digits(d) * 100 + two_digits(d + 2);
    int m = two_digits(d + 4);
    int day = two_digits(d + 6);
    int max;

    if (m < 1 || m > 12 || day < 1)
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码中的出生日期(第 7–14 位)不存在",
                            "the birth date in the ID number (characters 7-14) does not exist");
    max = mdays[m - 1] + (m == 2 && leap_year(y) ? 1 : 0);
    if (day > max)
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码中的出生日期(第 7–14 位)不存在",
                            "the birth date in the ID number (characters 7-14) does not exist");
    if (y < 1900)
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码中的出生日期早于 1900 年",
                            "the birth date in the ID number is before 1900");
    if ((long)y * 10000 + m * 100 + day > today_utc8())
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码中的出生日期晚于今天",
                            "the birth date in the ID number is in the future");
    return 0;
}

/* Check the characters of s[0..n) (n is 15 or 18): digits, and for 18 a last
 * char that is a digit or x/X. */
static int
check_chars(const char *s, size_t n, struct err *err)
{
    size_t digits = n == 18 ? 17 : n;

    for (size_t i = 0; i < digits; i++)
        if (!is_digit(s[i]))
            return err_set(err, ERR_INVALID, ID_FIELD, "身份证号码第 %zu 位不是数字",
                           "character %zu of the ID number is not a digit", i + 1);
    if (n == 18 && !is_digit(s[17]) && s[17] != 'x' && s[17] != 'X')
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码第 18 位应为数字或 X",
                            "character 18 of the ID number must be a digit or X");
    return 0;
}

/* Canonical 18 chars from checked s[0..n): legacy numbers gain "19" and a check
 * char, and a lower-case x becomes X. */
static void
canonical18(const char *s, size_t n, char out[19])
{
    if (n == 15) {
        memcpy(out, s, 6);
        memcpy(out + 6, "19", 2);
        memcpy(out + 8, s + 6, 9);
        out[17] = id_check_char(out);
    } else {
        memcpy(out, s, 18);
        if (out[17] == 'x')
            out[17] = 'X';
    }
    out[18] = '\0';
}

static void
fill_idnum(const char *n18, struct idnum *out)
{
    memcpy(out->number, n18, 19);
    memcpy(out->birth, n18 + 6, 4);
    out->birth[4] = '-';
    memcpy(out->birth + 5, n18 + 10, 2);
    out->birth[7] = '-';
    memcpy(out->birth + 8, n18 + 12, 2);
    out->birth[10] = '\0';
    out->sex = ((n18[16] - '0') % 2) ? 'M' : 'F';
    memcpy(out->region6, n18, 6);
    out->region6[6] = '\0';
}

int
idnum_parse(const char *text, struct idnum *out, struct err *err)
{
    char n18[19];
    size_t n;
    int rc;

    while (is_space(*text))
        text++;
    n = strlen(text);
    while (n > 0 && is_space(text[n - 1]))
        n--;
    if (n != 18 && n != 15)
        return err_set(
            err, ERR_INVALID, ID_FIELD, "身份证号码应为 18 位(旧号码 15 位),现在是 %zu 位",
            "an ID number has 18 characters (15 for old numbers), not %zu", utf8_chars(text, n));
    rc = check_chars(text, n, err);
    if (rc < 0)
        return rc;
    canonical18(text, n, n18);
    if (n18[0] == '0')
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码的地址码(前 6 位)不能以 0 开头",
                            "the address code of the ID number (first 6 digits) cannot start "
                            "with 0");
    rc = check_birth(n18 + 6, err);
    if (rc < 0)
        return rc;
    if (n == 18 && id_check_char(n18) != n18[17])
        return err_set_text(err, ERR_INVALID, ID_FIELD, "身份证号码校验位不正确,请核对号码",
                            "the ID number's check character is wrong; please check the number");
    fill_idnum(n18, out);
    return 0;
}

void
idnum_mask(const char *number18, char out[19])
{
    memset(out, '*', 18);
    out[18] = '\0';
    if (strnlen(number18, 19) != 18)
        return;
    memcpy(out, number18, 6);
    memcpy(out + 14, number18 + 14, 4);
}

void
idnum_make(const char *region6, const char *yyyymmdd, int seq, char out[19])
{
    assert(strlen(region6) == 6 && strlen(yyyymmdd) == 8);
    assert(seq >= 0 && seq <= 999);
    seq = ((seq % 1000) + 1000) % 1000;
    memcpy(out, region6, 6);
    memcpy(out + 6, yyyymmdd, 8);
    out[14] = (char)('0' + seq / 100);
    out[15] = (char)('0' + seq / 10 % 10);
    out[16] = (char)('0' + seq % 10);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

/* Copy 'text' without spaces and '-' into buf (PHONE_STRIPPED_MAX + 1 bytes). */
static int
phone_strip(const char *text, char *buf, struct err *err)
{
    size_t n = 0;

    for (; *text; text++) {
        if (is_space(*text) || *text == '-')
            continue;
        if (n == PHONE_STRIPPED_MAX)
            return err_set_text(err, ERR_INVALID, PHONE_FIELD, "手机号码过长",
                                "the mobile number is too long");
        buf[n++] = *text;
    }
    buf[n] = '\0';
    return 0;
}

/* The national number inside stripped 'buf', past any +86 / 0086 / 86 prefix. */
static const char *
phone_national(const char *buf, struct err *err)
{
    if (strncmp(buf, "+86", 3) == 0)
        return buf + 3;
    if (buf[0] == '+') {
        err_set_text(err, ERR_INVALID, PHONE_FIELD, "只支持中国大陆手机号码(+86)",
                     "only mainland China mobile numbers (+86) are accepted");
        return NULL;
    }
    if (strncmp(buf, "0086", 4) == 0)
        return buf + 4;
    if (strlen(buf) == 13 && strncmp(buf, "86", 2) == 0)
        return buf + 2;
    return buf;
}

int
phone_parse(const char *text, char out[12], struct err *err)
{
    char buf[PHONE_STRIPPED_MAX + 1];
    const char *p;
    int rc = phone_strip(text, buf, err);

    if (rc < 0)
        return rc;
    p = phone_national(buf, err);
    if (!p)
        return -ERR_INVALID;
    for (size_t i = 0; p[i]; i++)
        if (!is_digit(p[i]))
            return err_set_text(err, ERR_INVALID, PHONE_FIELD, "手机号码只能包含数字",
                                "a mobile number may contain only digits");
    if (strlen(p) != 11)
        return err_set_text(err, ERR_INVALID, PHONE_FIELD, "手机号码应为 11 位数字",
                            "a mobile number has 11 digits");
    if (p[0] != '1' || p[1] < '3')
        return err_set_text(err, ERR_INVALID, PHONE_FIELD, "手机号码应以 13–19 开头",
                            "a mobile number starts with 13 to 19");
    memcpy(out, p, 12);
    return 0;
}

void
phone_mask(const char *phone11, char out[12])
{
    memset(out, '*', 11);
    out[11] = '\0';
    if (strnlen(phone11, 12) != 11)
        return;
    memcpy(out, phone11, 3);
    memcpy(out + 7, phone11 + 7, 4);
}
