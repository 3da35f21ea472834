/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_core.c -- the error catalogue, sbuf and Accept-Language. */
#include "core/compat.h"

#include <criterion/criterion.h>

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
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(err_code_name(i), err_code_name(j));
    }
    cr_assert_str_eq(err_code_name(-5), "internal");
    cr_assert_str_eq(err_code_name(ERR__COUNT + 3), "internal");
}

Test(err, long_messages_are_cut_on_a_character_boundary)
{
    struct err e = ERR_INIT;
    char big[1024] = "";

    for (int i = 0; i < 300; i++)
        memcpy(big + i * 3, "乡", 3);
    big[900] = '\0';
    err_set(&e, ERR_INVALID, NULL, "%s", "%s", big);
    cr_assert_lt(strlen(e.zh), sizeof(e.zh));
    cr_assert_eq(strlen(e.zh) % 3, 0, "cut inside a UTF-8 sequence");
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
}
