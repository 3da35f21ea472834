/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_privacy.c -- libFuzzer target for domain/disclosure/privacy, the
 * disclosure privacy gate, which reads whatever text a cadre pastes. Beyond "no crash,
 * no UB" it checks the promises of privacy.h: every hit lies inside the input, hits
 * come in order and do not overlap (a MINOR hit only repeats its ID's span), a smaller
 * hits array gets the same first hits, spans of valid UTF-8 lie on character
 * boundaries, masking keeps every byte outside the hits, replaces each hit with its
 * platform mask holding the right digits, and keeps valid UTF-8 valid -- also for
 * hits cut in the middle of a character. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include "domain/disclosure/privacy.h"

#define MAX_HITS 64
#define DAY "2025-06-01"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer saves the input that made us abort. */
static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_privacy: %s\n", what);
    abort();
}

/* Continuation bytes after lead byte 'c', or -1 if 'c' cannot start a character. */
static int
cont_count(unsigned c)
{
    if (c < 0x80)
        return 0;
    if (c >= 0xC2 && c <= 0xDF)
        return 1;
    if ((c & 0xF0) == 0xE0)
        return 2;
    if (c >= 0xF0 && c <= 0xF4)
        return 3;
    return -1;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static bool
valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int need = cont_count(s[i]);
        unsigned lo = s[i] == 0xE0 ? 0xA0 : s[i] == 0xF0 ? 0x90 : 0x80;
        unsigned hi = s[i] == 0xED ? 0x9F : s[i] == 0xF4 ? 0x8F : 0xBF;

        if (need < 0 || n - i <= (size_t)need)
            return false;
        for (int k = 1; k <= need; k++, lo = 0x80, hi = 0xBF)
            if (s[i + k] < lo || s[i + k] > hi)
                return false;
        i += (size_t)need + 1;
    }
    return true;
}

static bool
boundary(const unsigned char *s, size_t n, size_t pos)
{
    return pos >= n || (s[pos] & 0xC0) != 0x80;
}

/* The digits and Xs of s[0..n), ASCII or full-width, as ASCII (X upper case). */
static size_t
digits_of(const unsigned char *s, size_t n, char *out, size_t max)
{
    size_t nd = 0;

    for (size_t i = 0; i < n && nd < max; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == 'X' || s[i] == 'x') {
            out[nd++] = s[i] == 'x' ? 'X' : (char)s[i];
        } else if (i + 2 < n && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] >= 0x90 &&
                   s[i + 2] <= 0x99) {
            out[nd++] = (char)('0' + s[i + 2] - 0x90);
            i += 2;
        } else if (i + 2 < n && s[i] == 0xEF &&
                   ((s[i + 1] == 0xBC && s[i + 2] == 0xB8) ||
                    (s[i + 1] == 0xBD && s[i + 2] == 0x98))) {
            out[nd++] = 'X';
            i += 2;
        }
    }
    return nd;
}

/* The mask privacy.h promises for hit 'h' of 'text'. */
static size_t
expected_mask(const unsigned char *text, const struct privacy_hit *h, char *out)
{
    char d[32];
    size_t nd = digits_of(text + h->offset, h->length, d, sizeof(d));

    if (h->kind == PRIVACY_ID) {
        if (nd != 18)
            fail("an ID hit without 18 digits");
        memcpy(out, d, 6);
        memset(out + 6, '*', 8);
        memcpy(out + 14, d + 14, 4);
        return 18;
    }
    if (h->kind == PRIVACY_PHONE) {
        if (nd < 11 || nd > 15 || d[nd - 11] != '1')
            fail("a phone hit without 11 digits and a prefix");
        memcpy(out, d + nd - 11, 3);
        memset(out + 3, '*', 4);
        memcpy(out + 7, d + nd - 4, 4);
        return 11;
    }
    if (nd < 16 || nd > 19)
        fail("a bank hit without 16-19 digits");
    memset(out, '*', nd - 4);
    memcpy(out + nd - 4, d + nd - 4, 4);
    return nd;
}

static void
check_hits(const unsigned char *text, size_t size, const struct privacy_hit *hits, size_t n)
{
    bool utf8 = valid_utf8(text, size);
    size_t end = 0;

    for (size_t i = 0; i < n; i++) {
        const struct privacy_hit *h = &hits[i];

        if (h->length == 0 || h->offset > size || h->length > size - h->offset)
            fail("a hit outside the input");
        if (h->kind < PRIVACY_ID || h->kind > PRIVACY_MINOR)
            fail("a hit of no kind");
        if (h->kind == PRIVACY_MINOR) {
            if (i == 0 || hits[i - 1].kind != PRIVACY_ID || hits[i - 1].offset != h->offset ||
                hits[i - 1].length != h->length)
                fail("a MINOR hit that does not repeat its ID hit");
            continue;
        }
        if (h->offset < end)
            fail("hits overlap or come out of order");
        end = h->offset + h->length;
        if (utf8 && (!boundary(text, size, h->offset) || !boundary(text, size, end)))
            fail("a span cuts a character of valid UTF-8");
    }
}

/* The masked text is the input with each hit replaced by its mask, nothing else. */
static void
check_mask(const unsigned char *text, size_t size, const struct privacy_hit *hits, size_t n)
{
    size_t len, cur = 0, o = 0, m;
    char *out = privacy_mask((const char *)text, size, hits, n, &len);
    char want[32];

    for (size_t i = 0; i < n; i++) {
        if (hits[i].kind == PRIVACY_MINOR)
            continue;
        m = expected_mask(text, &hits[i], want);
        if (o + (hits[i].offset - cur) + m > len ||
            memcmp(out + o, text + cur, hits[i].offset - cur) != 0)
            fail("masking changed a byte outside the hits");
        o += hits[i].offset - cur;
        if (memcmp(out + o, want, m) != 0)
            fail("a hit masked wrongly");
        o += m;
        cur = hits[i].offset + hits[i].length;
    }
    if (len != o + (size - cur) || memcmp(out + o, text + cur, size - cur) != 0 || out[len])
        fail("masking changed the tail or the length");
    if (valid_utf8(text, size) && !valid_utf8((const unsigned char *)out, len))
        fail("masking broke valid UTF-8");
    free(out);
}

/* Hits moved by a byte or two, cutting characters: the mask stays valid UTF-8. */
static void
check_foreign_mask(const unsigned char *text, size_t size, const struct privacy_hit *hits, size_t n)
{
    struct privacy_hit moved[MAX_HITS];
    size_t len;
    char *out;

    for (size_t i = 0; i < n; i++) {
        moved[n - 1 - i] = hits[i];
        moved[n - 1 - i].offset += i % 3;
        moved[n - 1 - i].length += i % 2 ? 1 : size;
    }
    out = privacy_mask((const char *)text, size, moved, n, &len);
    if (len > size || out[len] != '\0')
        fail("a foreign mask longer than its input");
    if (valid_utf8(text, size) && !valid_utf8((const unsigned char *)out, len))
        fail("masking foreign hits broke valid UTF-8");
    free(out);
}

static void
check_messages(const unsigned char *text, size_t size, const struct privacy_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct err e = ERR_INIT;

        if (privacy_hit_err(&hits[i], (const char *)text, size, "body", &e) != -ERR_INVALID ||
            e.code != ERR_INVALID || !e.zh[0] || !e.en[0] || strcmp(e.field, "body") != 0)
            fail("a hit without both messages");
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct privacy_hit hits[MAX_HITS], few[3];
    size_t total = 0, total_few = 0;
    size_t n = privacy_scan((const char *)data, size, DAY, hits, MAX_HITS, &total);
    size_t n_few = privacy_scan((const char *)data, size, DAY, few, ARRAY_LEN(few), &total_few);

    if (n > MAX_HITS || total < n || (total <= MAX_HITS && n != total))
        fail("bad hit counts");
    if (total_few != total || n_few != (n < ARRAY_LEN(few) ? n : ARRAY_LEN(few)))
        fail("a smaller hits array got another count");
    for (size_t i = 0; i < n_few; i++)
        if (few[i].offset != hits[i].offset || few[i].length != hits[i].length ||
            few[i].kind != hits[i].kind)
            fail("a smaller hits array got other hits");
    check_hits(data, size, hits, n);
    check_mask(data, size, hits, n);
    check_foreign_mask(data, size, hits, n);
    check_messages(data, size, hits, n);
    return 0;
}
