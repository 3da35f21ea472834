/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_core.c -- the error catalogue, sbuf and Accept-Language. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "core/blobcache.h"
#include "core/err.h"
#include "core/sbuf.h"
#include "http/http.h"

Test(err, set_returns_negative_code_and_both_languages)
{
    struct err e = ERR_INIT;
    int rc = err_set(&e, ERR_INVALID, "phone", "手机号 %s 不正确", "phone %s is invalid", "123");

    cr_assert_eq(rc, -ERR_INVALID);
    cr_assert_str_eq(e.field, "phone");
    cr_assert_str_eq(e.zh, "手机号 123 不正确");
    cr_assert_str_eq(e.en, "phone 123 is invalid");
    cr_assert_str_eq(err_message(&e, true), "phone 123 is invalid");
    cr_assert_str_eq(err_message(&e, false), "手机号 123 不正确");
}

Test(err, detail_is_kept_apart_from_the_messages)
{
    struct err e = ERR_INIT;

    err_set(&e, ERR_UNAVAILABLE, "db", "数据库暂时无法访问", "the database is unreachable");
    err_detail(&e, "connection to server at \"%s\", port %d failed", "127.0.0.1", 54329);
    cr_assert_str_eq(err_message(&e, true), "the database is unreachable");
    cr_assert(strstr(e.detail, "54329"));
    cr_assert_null(strstr(e.en, "127.0.0.1"));
    err_set(&e, ERR_BUSY, NULL, "忙", "busy"); /* a new error forgets the old detail */
    cr_assert_str_eq(e.detail, "");
    err_detail(NULL, "ignored %d", 1);
}

Test(err, null_err_is_allowed)
{
    cr_assert_eq(err_set(NULL, ERR_BUSY, NULL, "忙", "busy"), -ERR_BUSY);
}

Test(err, every_code_has_a_distinct_name_and_messages)
{
    for (int i = 0; i < ERR__COUNT; i++) {
        struct err e = ERR_INIT;

        err_code_set(&e, i == 0 ? ERR_INTERNAL : i, NULL);
        cr_assert(e.zh[0] && e.en[0], "code %d lacks a message", i);
        /* Chinese in the one, none in the other (a CJK character is 3 bytes from 0xE3). */
        cr_assert(strpbrk(e.zh, "\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xef"), "code %d: '%s'", i, e.zh);
        for (const char *p = e.en; *p; p++)
            cr_assert((unsigned char)*p < 0x80, "code %d: English '%s' is not plain", i, e.en);
        cr_assert_str_eq(err_message(&e, true), err_default_message(e.code, true));
        cr_assert_str_eq(err_message(&e, false), err_default_message(e.code, false));
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(err_code_name(i), err_code_name(j));
    }
    cr_assert_str_eq(err_code_name(-5), "internal");
    cr_assert_str_eq(err_code_name(ERR__COUNT + 3), "internal");
}

static bool
valid_utf8_end(const char *s)
{
    size_t n = strlen(s), i = n;

    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return n == 0;
    return n - (i - 1) == ((unsigned char)s[i - 1] >= 0xF0   ? 4
                           : (unsigned char)s[i - 1] >= 0xE0 ? 3
                           : (unsigned char)s[i - 1] >= 0xC0 ? 2
                                                             : 1);
}

Test(err, long_texts_are_cut_on_a_character_boundary)
{
    char big[1024] = "";

    /* Every offset of 3-byte characters against the buffer end, and a 4-byte one. */
    for (int pad = 0; pad < 4; pad++) {
        struct err e = ERR_INIT;

        memset(big, 'a', (size_t)pad);
        for (int i = 0; i < 300; i++)
            memcpy(big + pad + i * 3, "乡", 3);
        big[pad + 900] = '\0';
        err_set(&e, ERR_INVALID, big, "%s", "%s😀", big);
        cr_assert_lt(strlen(e.zh), sizeof(e.zh));
        cr_assert(valid_utf8_end(e.zh), "zh cut inside a character at pad %d", pad);
        cr_assert(valid_utf8_end(e.en), "en cut inside a character at pad %d", pad);
        cr_assert(valid_utf8_end(e.field), "field cut inside a character at pad %d", pad);
        cr_assert_geq(strlen(e.zh), sizeof(e.zh) - 4, "no more than one character dropped");
        err_set_text(&e, ERR_INVALID, big, big, big);
        cr_assert(valid_utf8_end(e.zh) && valid_utf8_end(e.field));
    }
}

Test(sbuf, appends_formats_and_detaches)
{
    struct sbuf sb = SBUF_INIT;
    char *p;
    size_t len;

    cr_assert_str_eq(sb.buf, "");
    sbuf_adds(&sb, "乡治");
    sbuf_addf(&sb, " %d-%s", 42, "x");
    sbuf_addc(&sb, '!');
    cr_assert_str_eq(sb.buf, "乡治 42-x!");
    p = sbuf_detach(&sb, &len);
    cr_assert_eq(len, strlen("乡治 42-x!"));
    cr_assert_str_eq(sb.buf, "");
    free(p);
}

Test(sbuf, limit_makes_failure_sticky)
{
    struct sbuf sb;

    sbuf_init(&sb, 8);
    sbuf_adds(&sb, "12345");
    cr_assert_not(sb.failed);
    sbuf_adds(&sb, "6789");
    cr_assert(sb.failed);
    sbuf_adds(&sb, "x");
    cr_assert_eq(sb.len, 5);
    cr_assert_str_eq(sb.buf, "12345");
    sbuf_release(&sb);
}

Test(sbuf, json_strings_are_escaped)
{
    struct sbuf sb = SBUF_INIT;

    sbuf_add_json_str(&sb, "a\"b\\c\n\x01<script>");
    cr_assert_str_eq(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\\u003cscript\\u003e\"");
    sbuf_release(&sb);
}

Test(lang, accept_language_picks_by_quality)
{
    cr_assert_not(http_prefers_english(NULL));
    cr_assert_not(http_prefers_english(""));
    cr_assert_not(http_prefers_english("zh-CN,zh;q=0.9,en;q=0.8"));
    cr_assert(http_prefers_english("en-US,en;q=0.9"));
    cr_assert(http_prefers_english("zh;q=0.5, en;q=0.9"));
    cr_assert_not(http_prefers_english("en;q=0"));
    cr_assert_not(http_prefers_english("fr-FR"));
    cr_assert(http_prefers_english("fr, EN-gb;q=0.7"));
    cr_assert_not(http_prefers_english("en;q=inf"));
    cr_assert_not(http_prefers_english("en;q=nan"));
    cr_assert_not(http_prefers_english("en;q=-3e6, zh;q=0.1"));
}

Test(blob_cache, stores_replaces_and_never_answers_for_another_key)
{
    struct blob_cache *bc = blob_cache_new(64);
    struct blob_key k1 = { 7, 1, 1 }, k2 = { 7, 1, 2 }, k3 = { 8, 1, 1 };
    struct sbuf out = SBUF_INIT;

    cr_assert(!blob_cache_copy(bc, &k1, &out));
    blob_cache_put(bc, &k1, "first", 5);
    cr_assert(blob_cache_copy(bc, &k1, &out));
    cr_assert_str_eq(out.buf, "first");
    cr_assert(!blob_cache_copy(bc, &k2, &out), "another version answered");
    cr_assert(!blob_cache_copy(bc, &k3, &out), "another key answered");
    blob_cache_put(bc, &k2, "second", 6); /* a newer version takes the slot */
    sbuf_reset(&out);
    cr_assert(blob_cache_copy(bc, &k2, &out));
    cr_assert_str_eq(out.buf, "second");
    cr_assert(!blob_cache_copy(bc, &k1, &out));
    for (int64_t i = 0; i < 1000; i++) { /* crowded: whatever answers is right */
        struct blob_key k = { i, i % 3, 0 };
        char v[32];

        snprintf(v, sizeof(v), "v%lld", (long long)i);
        blob_cache_put(bc, &k, v, strlen(v));
    }
    for (int64_t i = 0; i < 1000; i++) {
        struct blob_key k = { i, i % 3, 0 };
        char v[32];

        sbuf_reset(&out);
        snprintf(v, sizeof(v), "v%lld", (long long)i);
        if (blob_cache_copy(bc, &k, &out))
            cr_assert_str_eq(out.buf, v);
    }
    sbuf_release(&out);
    blob_cache_free(bc);
}
