/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/disclosure/privacy.c -- see privacy.h. The text is read as units: one
 * character that can be part of a number (a digit, X, a separator, a plus sign, ASCII
 * or full-width) or one byte of anything else, so no multi-byte character is ever
 * split. A pattern is a list of digit-group lengths ("shape"), so the plain and the
 * grouped spellings share one matcher; ID numbers are judged by domain/identity. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/disclosure/privacy.h"
#include "domain/identity/idnum.h"

#define NUMBER_MAX 24 /* digits a span may hold: 19 + a 4-digit prefix, and slack */

enum unit_class {
    U_OTHER,
    U_DIGIT,
    U_X,
    U_SEP,
    U_PLUS,
};

struct unit {
    enum unit_class cls;
    char ascii; /* '0'..'9' for a digit, 'X' for an X, else 0 */
    size_t len; /* bytes, >= 1 */
};

/* Multi-byte characters that can be part of a number (full-width digits aside). */
static const struct {
    const char *utf8;
    enum unit_class cls;
    char ascii;
} wide_units[] = {
    { "\xC2\xA0", U_SEP, 0 },      /* U+00A0 no-break space */
    { "\xE3\x80\x80", U_SEP, 0 },  /* U+3000 ideographic space */
    { "\xEF\xBC\x8D", U_SEP, 0 },  /* U+FF0D full-width hyphen-minus */
    { "\xEF\xBC\x8B", U_PLUS, 0 }, /* U+FF0B full-width plus */
    { "\xEF\xBC\xB8", U_X, 'X' },  /* U+FF38 full-width X */
    { "\xEF\xBD\x98", U_X, 'X' },  /* U+FF58 full-width x */
};

/* A number's spelling: the lengths of its digit groups, one separator between two. */
struct shape {
    unsigned char groups[5];
    unsigned char ngroups;
};

static const struct shape id_shapes[] = { { { 18 }, 1 }, { { 6, 8, 4 }, 3 } };
static const struct shape phone_shapes[] = { { { 11 }, 1 }, { { 3, 4, 4 }, 3 } };
/* Longest first: a grouped 19-digit card must not be taken for its first 16. */
static const struct shape bank_shapes[] = {
    { { 19 }, 1 }, { { 4, 4, 4, 4, 3 }, 5 }, { { 18 }, 1 }, { { 4, 4, 4, 4, 2 }, 5 },
    { { 17 }, 1 }, { { 4, 4, 4, 4, 1 }, 5 }, { { 16 }, 1 }, { { 4, 4, 4, 4 }, 4 },
};

/* The digits (and a final X) of a number read at some position. */
struct number {
    char digits[NUMBER_MAX + 1]; /* ASCII, NUL-terminated */
    size_t ndigits;
    size_t end; /* byte offset just past the number */
};

struct match {
    size_t end; /* byte offset just past the hit */
    enum privacy_kind kind;
    bool minor; /* an ID whose holder is under 18 */
};

/* Where privacy_scan puts what it finds. */
struct hits_out {
    struct privacy_hit *hits;
    size_t max;
    size_t n;
    size_t total;
};

/* The unit at s[pos], pos < len; never reads at or past s[len]. */
static struct unit
read_unit(const char *s, size_t len, size_t pos)
{
    const unsigned char *p = (const unsigned char *)s + pos;
    size_t left = len - pos;
    struct unit u = { U_OTHER, 0, 1 };

    if (*p >= '0' && *p <= '9')
        return (struct unit){ U_DIGIT, (char)*p, 1 };
    if (*p == 'X' || *p == 'x')
        return (struct unit){ U_X, 'X', 1 };
    if (*p == ' ' || *p == '-')
        return (struct unit){ U_SEP, 0, 1 };
    if (*p == '+')
        return (struct unit){ U_PLUS, 0, 1 };
    if (left >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99)
        return (struct unit){ U_DIGIT, (char)('0' + (p[2] - 0x90)), 3 };
    for (size_t i = 0; i < ARRAY_LEN(wide_units); i++) {
        size_t n = strlen(wide_units[i].utf8);

        if (left >= n && memcmp(p, wide_units[i].utf8, n) == 0)
            return (struct unit){ wide_units[i].cls, wide_units[i].ascii, n };
    }
    return u;
}

static enum unit_class
class_at(const char *s, size_t len, size_t pos)
{
    return pos < len ? read_unit(s, len, pos).cls : U_OTHER;
}

/* Read 'want' digits at *pos into 'n'; the last may be an X when 'x_last'. */
static bool
read_group(const char *s, size_t len, size_t *pos, unsigned want, bool x_last, struct number *n)
{
    for (unsigned i = 0; i < want; i++) {
        struct unit u;

        if (*pos >= len || n->ndigits >= NUMBER_MAX)
            return false;
        u = read_unit(s, len, *pos);
        if (u.cls != U_DIGIT && !(u.cls == U_X && x_last && i + 1 == want))
            return false;
        n->digits[n->ndigits++] = u.ascii;
        *pos += u.len;
    }
    return true;
}

/* Read a whole number spelled as 'sh' at 'pos' (X allowed as its last char when
 * 'x_last'); the unit after it must not continue it. */
static bool
match_shape(const char *s, size_t len, size_t pos, const struct shape *sh, bool x_last,
            struct number *n)
{
    enum unit_class next;

    n->ndigits = 0;
    for (unsigned g = 0; g < sh->ngroups; g++) {
        if (g > 0) {
            if (class_at(s, len, pos) != U_SEP)
                return false;
            pos += read_unit(s, len, pos).len;
        }
        if (!read_group(s, len, &pos, sh->groups[g], x_last && g + 1 == sh->ngroups, n))
            return false;
    }
    n->digits[n->ndigits] = '\0';
    n->end = pos;
    next = class_at(s, len, pos);
    return next != U_DIGIT && !(x_last && next == U_X);
}

/* Whether someone born on 'birth' is under 18 on 'today' (both "YYYY-MM-DD"): born
 * after the same day 18 years earlier. Someone born on 29 February comes of age on
 * 1 March in a common year. */
static bool
under_18(const char *birth, const char *today)
{
    char cut[11];
    int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
               (today[3] - '0') - 18;

    if (year < 0)
        return true;
    memcpy(cut, today, sizeof(cut));
    cut[0] = (char)('0' + year / 1000);
    cut[1] = (char)('0' + year / 100 % 10);
    cut[2] = (char)('0' + year / 10 % 10);
    cut[3] = (char)('0' + year % 10);
    return strcmp(birth, cut) > 0;
}

static bool
match_id(const char *s, size_t len, size_t pos, const char *today, struct match *m)
{
    struct number n;
    struct idnum id;

    for (size_t i = 0; i < ARRAY_LEN(id_shapes); i++) {
        if (!match_shape(s, len, pos, &id_shapes[i], true, &n))
            continue;
        if (idnum_parse(n.digits, &id, NULL) < 0)
            continue;
        m->end = n.end;
        m->kind = PRIVACY_ID;
        m->minor = under_18(id.birth, today);
        return true;
    }
    return false;
}

/* 'pos' past a +86, ＋86 or 0086 prefix and one optional separator, or 'pos' itself. */
static size_t
skip_prefix(const char *s, size_t len, size_t pos)
{
    struct number n = { .ndigits = 0 };
    size_t p = pos;

    if (class_at(s, len, p) == U_PLUS) {
        p += read_unit(s, len, p).len;
        if (!read_group(s, len, &p, 2, false, &n) || memcmp(n.digits, "86", 2) != 0)
            return pos;
    } else if (!read_group(s, len, &p, 4, false, &n) || memcmp(n.digits, "0086", 4) != 0) {
        return pos;
    }
    if (class_at(s, len, p) == U_SEP)
        p += read_unit(s, len, p).len;
    return p;
}

static bool
phone_at(const char *s, size_t len, size_t pos, struct match *m)
{
    struct number n;

    for (size_t i = 0; i < ARRAY_LEN(phone_shapes); i++) {
        if (!match_shape(s, len, pos, &phone_shapes[i], false, &n))
            continue;
        if (n.digits[0] != '1' || n.digits[1] < '3')
            continue;
        m->end = n.end;
        m->kind = PRIVACY_PHONE;
        m->minor = false;
        return true;
    }
    return false;
}

static bool
match_phone(const char *s, size_t len, size_t pos, struct match *m)
{
    size_t after = skip_prefix(s, len, pos);

    return (after != pos && phone_at(s, len, after, m)) || phone_at(s, len, pos, m);
}

static bool
luhn_ok(const char *d, size_t n)
{
    int sum = 0;

    for (size_t i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';

        if (i % 2 == 1)
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    return sum % 10 == 0;
}

static bool
match_bank(const char *s, size_t len, size_t pos, struct match *m)
{
    struct number n;

    for (size_t i = 0; i < ARRAY_LEN(bank_shapes); i++) {
        if (!match_shape(s, len, pos, &bank_shapes[i], false, &n) || !luhn_ok(n.digits, n.ndigits))
            continue;
        m->end = n.end;
        m->kind = PRIVACY_BANK;
        m->minor = false;
        return true;
    }
    return false;
}

static void
add_hit(struct hits_out *out, size_t offset, size_t length, enum privacy_kind kind)
{
    if (out->n < out->max)
        out->hits[out->n++] = (struct privacy_hit){ offset, length, kind };
    out->total++;
}

/* 'today' if it reads "YYYY-MM-DD", else today in China, into day. */
static void
pick_day(const char *today, char day[11])
{
    static const char form[] = "dddd-dd-dd";
    bool ok = today != NULL && strnlen(today, 11) == 10;

    for (size_t i = 0; ok && i < 10; i++)
        ok = form[i] == 'd' ? (today[i] >= '0' && today[i] <= '9') : today[i] == form[i];
    if (ok)
        memcpy(day, today, 11);
    else
        clock_day_china(clock_now_ms(), day);
}

size_t
privacy_scan(const char *text, size_t len, const char *today, struct privacy_hit *hits,
             size_t max_hits, size_t *total)
{
    struct hits_out out = { hits, hits ? max_hits : 0, 0, 0 };
    char day[11];
    size_t pos = 0;
    bool after_digit = false;

    pick_day(today, day);
    while (pos < len) {
        struct unit u = read_unit(text, len, pos);
        struct match m;

        /* A number starts only where a run of digits does. */
        if (!after_digit && (u.cls == U_DIGIT || u.cls == U_PLUS) &&
            (match_id(text, len, pos, day, &m) || match_phone(text, len, pos, &m) ||
             match_bank(text, len, pos, &m))) {
            add_hit(&out, pos, m.end - pos, m.kind);
            if (m.minor)
                add_hit(&out, pos, m.end - pos, PRIVACY_MINOR);
            pos = m.end;
            continue;
        }
        after_digit = u.cls == U_DIGIT;
        pos += u.len;
    }
    if (total)
        *total = out.total;
    return out.n;
}

static int
hit_order(const void *a, const void *b)
{
    const struct privacy_hit *x = a, *y = b;

    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->length > y->length ? -1 : x->length < y->length;
}

static bool
is_continuation(const char *s, size_t pos)
{
    return ((unsigned char)s[pos] & 0xC0) == 0x80;
}

/* Bytes in the UTF-8 character that lead byte 'c' starts (1 for a stray byte). */
static size_t
char_bytes(unsigned char c)
{
    return c >= 0xF0 && c <= 0xF7 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* The start of the character byte 'pos' lies inside, or 'pos' when it begins one or
 * belongs to none (a stray continuation byte stands alone). */
static size_t
char_start(const char *s, size_t len, size_t pos)
{
    size_t back = 1;

    if (pos >= len || !is_continuation(s, pos))
        return pos;
    while (back <= 3 && back <= pos && is_continuation(s, pos - back))
        back++;
    if (back > 3 || back > pos || char_bytes((unsigned char)s[pos - back]) <= back)
        return pos;
    return pos - back;
}

/* The hit's span in text[0..len), widened where it cuts a UTF-8 character to the
 * whole character; false if empty or outside the text. */
static bool
span_of(const char *text, size_t len, const struct privacy_hit *h, size_t *start, size_t *end)
{
    size_t lead;

    if (h->offset >= len || h->length == 0)
        return false;
    *start = char_start(text, len, h->offset);
    *end = h->length > len - h->offset ? len : h->offset + h->length;
    lead = char_start(text, len, *end);
    if (lead < *end) {
        size_t stop = lead + char_bytes((unsigned char)text[lead]);

        while (*end < len && *end < stop && is_continuation(text, *end))
            (*end)++;
    }
    return true;
}

/* One '*' a character of s[start..end) into out; returns the bytes written. */
static size_t
mask_units(const char *s, size_t start, size_t end, char *out)
{
    size_t n = 0;

    for (size_t pos = start; pos < end;) {
        pos += read_unit(s, end, pos).len;
        while (pos < end && is_continuation(s, pos))
            pos++;
        out[n++] = '*';
    }
    return n;
}

/* The digits and Xs of s[start..end) into d; false if there are too many. */
static bool
span_digits(const char *s, size_t start, size_t end, char d[NUMBER_MAX + 1], size_t *nd)
{
    *nd = 0;
    for (size_t pos = start; pos < end;) {
        struct unit u = read_unit(s, end, pos);

        if (u.cls == U_DIGIT || u.cls == U_X) {
            if (*nd == NUMBER_MAX)
                return false;
            d[(*nd)++] = u.ascii;
        }
        pos += u.len;
    }
    d[*nd] = '\0';
    return true;
}

/* Mask s[start..end), a 'kind' hit, into out; returns the bytes written, never more
 * than end - start: every digit and X is at least one byte. */
static size_t
mask_span(const char *s, size_t start, size_t end, enum privacy_kind kind, char *out)
{
    char d[NUMBER_MAX + 1], m[19];
    size_t nd;

    if (!span_digits(s, start, end, d, &nd))
        return mask_units(s, start, end, out);
    if ((kind == PRIVACY_ID || kind == PRIVACY_MINOR) && nd == 18) {
        idnum_mask(d, m);
        memcpy(out, m, 18);
        return 18;
    }
    if (kind == PRIVACY_PHONE && nd >= 11 && nd <= 15 && strspn(d, "0123456789") == nd) {
        phone_mask(d + nd - 11, m);
        memcpy(out, m, 11);
        return 11;
    }
    if (kind == PRIVACY_BANK && nd >= 16 && nd <= 19) {
        memset(out, '*', nd - 4);
        memcpy(out + nd - 4, d + nd - 4, 4);
        return nd;
    }
    return mask_units(s, start, end, out);
}

char *
privacy_mask(const char *text, size_t len, const struct privacy_hit *hits, size_t n,
             size_t *out_len)
{
    struct privacy_hit *sorted = xmalloc(n ? n * sizeof(*sorted) : 1);
    char *out = xmalloc(len + 1);
    size_t cur = 0, o = 0, start, end;

    if (n)
        memcpy(sorted, hits, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), hit_order);
    for (size_t i = 0; i < n; i++) {
        if (!span_of(text, len, &sorted[i], &start, &end) || end <= cur)
            continue;
        memcpy(out + o, text + cur, start > cur ? start - cur : 0);
        o += start > cur ? start - cur : 0;
        /* What overlaps an earlier span is no longer a whole number. */
        if (start < cur)
            o += mask_units(text, cur, end, out + o);
        else
            o += mask_span(text, start, end, sorted[i].kind, out + o);
        cur = end;
    }
    memcpy(out + o, text + cur, len - cur);
    o += len - cur;
    out[o] = '\0';
    free(sorted);
    if (out_len)
        *out_len = o;
    return out;
}

/* UTF-8 characters of text[0..offset): lead bytes and invalid bytes count, continuation
 * bytes do not. */
static size_t
chars_before(const char *text, size_t len, size_t offset)
{
    size_t count = 0;

    for (size_t i = 0; i < offset && i < len; i++)
        if (!is_continuation(text, i))
            count++;
    return count;
}

int
privacy_hit_err(const struct privacy_hit *hit, const char *text, size_t len, const char *field,
                struct err *err)
{
    size_t at = chars_before(text, len, hit->offset) + 1;

    switch (hit->kind) {
    case PRIVACY_ID:
        return err_set(err, ERR_INVALID, field, "第 %zu 个字符处有身份证号,公开前请删除或遮盖",
                       "there is an ID number at character %zu; remove or mask it before "
                       "publishing",
                       at);
    case PRIVACY_PHONE:
        return err_set(err, ERR_INVALID, field, "第 %zu 个字符处有手机号码,公开前请删除或遮盖",
                       "there is a mobile number at character %zu; remove or mask it before "
                       "publishing",
                       at);
    case PRIVACY_BANK:
        return err_set(err, ERR_INVALID, field, "第 %zu 个字符处有银行卡号,公开前请删除或遮盖",
                       "there is a bank card number at character %zu; remove or mask it before "
                       "publishing",
                       at);
    case PRIVACY_MINOR:
        return err_set(err, ERR_INVALID, field,
                       "第 %zu 个字符处有未成年人的身份证号,未成年人的信息不得公开",
                       "there is a minor's ID number at character %zu; a minor's data must never "
                       "be published",
                       at);
    }
    return err_set(err, ERR_INVALID, field, "第 %zu 个字符处有不得公开的个人信息",
                   "there are personal data at character %zu that must not be published", at);
}

const char *
privacy_kind_name(enum privacy_kind kind)
{
    switch (kind) {
    case PRIVACY_ID:
        return "id";
    case PRIVACY_PHONE:
        return "phone";
    case PRIVACY_BANK:
        return "bank";
    case PRIVACY_MINOR:
        return "minor";
    }
    return "unknown";
}
