/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_privacy.c -- domain/disclosure/privacy, the privacy gate: ID numbers
 * (check char, birth date, whole numbers only), mobile numbers in every accepted
 * spelling, bank cards (Luhn, grouping), full-width digits, spans in mixed Chinese
 * text, minors, masking and the two messages. Check chars and Luhn digits were
 * computed independently in Python. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "domain/disclosure/privacy.h"

#define MAX_HITS 16
#define DAY "2025-06-01"

/* Valid numbers (adults on DAY) and their near misses. */
#define ID_X "41018319850612123X"           /* born 1985-06-12, check char X */
#define ID_DIGIT "410183198506121256"       /* check char 6 */
#define ID_BAD_CHECK "410183198506121257"   /* wrong check char, fails Luhn too */
#define ID_BAD_LUHN_OK "410183198506121252" /* wrong check char, passes Luhn */
#define ID_MINOR "410183201003050024"       /* born 2010-03-05 */
#define CARD16 "6222021234567894"
#define CARD19 "6217001234567890122"

static size_t
scan(const char *text, const char *today, struct privacy_hit *hits)
{
    size_t total = 0;
    size_t n = privacy_scan(text, strlen(text), today, hits, MAX_HITS, &total);

    cr_assert_eq(n, total, "'%s': %zu stored, %zu found", text, n, total);
    return n;
}

/* 'text' holds exactly one hit, of 'kind', spanning 'needle' (its first occurrence). */
static void
expect_one(const char *text, enum privacy_kind kind, const char *needle)
{
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits);
    const char *at = strstr(text, needle);

    cr_assert(at, "bad test: '%s' not in '%s'", needle, text);
    cr_assert_eq(n, 1, "'%s': %zu hits, want 1", text, n);
    cr_assert_eq(hits[0].kind, kind, "'%s': kind %s", text, privacy_kind_name(hits[0].kind));
    cr_assert_eq(hits[0].offset, (size_t)(at - text), "'%s': offset %zu", text, hits[0].offset);
    cr_assert_eq(hits[0].length, strlen(needle), "'%s': length %zu", text, hits[0].length);
}

static void
expect_none(const char *text)
{
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits);

    cr_assert_eq(n, 0, "'%s': %zu hits, first %s at %zu+%zu", text, n,
                 n ? privacy_kind_name(hits[0].kind) : "", n ? hits[0].offset : 0,
                 n ? hits[0].length : 0);
}

/* privacy_scan then privacy_mask of 'text' must give 'want'. */
static void
expect_mask(const char *text, const char *want)
{
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits), len;
    char *got = privacy_mask(text, strlen(text), hits, n, &len);

    cr_assert_str_eq(got, want, "masking '%s'", text);
    cr_assert_eq(len, strlen(want));
    free(got);
}

Test(privacy_id, valid_numbers_in_text)
{
    expect_one("身份证号:" ID_X "。", PRIVACY_ID, ID_X);
    expect_one("身份证号:41018319850612123x。", PRIVACY_ID, "41018319850612123x");
    expect_one(ID_DIGIT, PRIVACY_ID, ID_DIGIT);
    expect_one("sample 11010519491231002X end", PRIVACY_ID, "11010519491231002X");
}

Test(privacy_id, grouped_6_8_4)
{
    expect_one("号码 410183 19850612 1256 已核", PRIVACY_ID, "410183 19850612 1256");
    expect_one("号码 410183-19850612-123X", PRIVACY_ID, "410183-19850612-123X");
}

Test(privacy_id, bad_check_char_is_not_an_id)
{
    expect_none("身份证号:" ID_BAD_CHECK "。");
    expect_none("41018319850612123"
                "9");
    /* 18 digits that fail MOD 11-2 but pass Luhn read as a bank card, not an ID. */
    expect_one("号 " ID_BAD_LUHN_OK " 号", PRIVACY_BANK, ID_BAD_LUHN_OK);
}

Test(privacy_id, impossible_birth_date_is_not_an_id)
{
    expect_none("41018319901301123X"); /* month 13, check char right */
    expect_none("410183199002301231"); /* 30 February, check char right */
    expect_none("410183209901011234"); /* born in 2099 */
    expect_none("010183198506121200"); /* address code starting with 0 */
}

Test(privacy_id, embedded_in_a_longer_run_is_not_an_id)
{
    expect_none("1" ID_DIGIT);          /* 19 digits, no Luhn */
    expect_none(ID_DIGIT "12");         /* 20 digits */
    expect_none("编号" ID_DIGIT "1号"); /* 19 digits */
    expect_none(ID_DIGIT "X");          /* an X too many */
    expect_none("１" ID_DIGIT);         /* a full-width digit before is a digit too */
}

Test(privacy_phone, every_accepted_spelling)
{
    static const char *const spellings[] = {
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 13812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "008613812345678",
        "0086 13812345678",
        "0086-138-1234-5678",
        "19912345678",
        "１３８１２３４５６７８",
        "＋８６ １３８ １２３４ ５６７８",
        "138\xe3\x80\x80"
        "1234\xe3\x80\x80"
        "5678",
    };
    char text[128];

    for (size_t i = 0; i < ARRAY_LEN(spellings); i++) {
        snprintf(text, sizeof(text), "联系电话:%s,欢迎来电", spellings[i]);
        expect_one(text, PRIVACY_PHONE, spellings[i]);
    }
}

Test(privacy_phone, not_phones)
{
    expect_none("138123456789");      /* 12 digits */
    expect_none("12812345678");       /* starts 12 */
    expect_none("10012345678");       /* starts 10 */
    expect_none("1381234567");        /* 10 digits */
    expect_none("2138-1234-5678");    /* a 4-digit first group */
    expect_none("138 1234 56789");    /* a 5-digit last group */
    expect_none("138  1234  5678");   /* two separators */
    expect_none("913812345678");      /* digit before */
    expect_none("号码0086138123456"); /* prefix and too few digits */
}

Test(privacy_phone, prefix_belongs_to_the_span)
{
    expect_one("电话+8613812345678", PRIVACY_PHONE, "+8613812345678");
    /* Without a phone after it, 0086 is no prefix and the phone stands alone. */
    expect_one("区号0086,13812345678", PRIVACY_PHONE, "13812345678");
}

Test(privacy_bank, luhn_valid_cards)
{
    expect_one("卡号" CARD16 "。", PRIVACY_BANK, CARD16);
    expect_one("卡号 6222 0212 3456 7894 。", PRIVACY_BANK, "6222 0212 3456 7894");
    expect_one("卡号6222-0212-3456-7894", PRIVACY_BANK, "6222-0212-3456-7894");
    expect_one("卡号" CARD19, PRIVACY_BANK, CARD19);
    expect_one("卡号 6217 0012 3456 7890 122,", PRIVACY_BANK, "6217 0012 3456 7890 122");
    expect_one("卡号 621483021234567894", PRIVACY_BANK, "621483021234567894");
}

Test(privacy_bank, not_cards)
{
    expect_none("6222021234567895");    /* Luhn fails */
    expect_none("6222 0212 3456 7895"); /* Luhn fails, grouped */
    expect_none("6217001234567890123"); /* Luhn fails, 19 digits */
    expect_none("62220212345678941");   /* 17 digits, Luhn fails */
    expect_none("1" CARD19);            /* 20 digits */
    expect_none("622202123456789");     /* 15 digits */
    expect_none("62220 21234 56789 4"); /* not in groups of 4 */
}

Test(privacy_fullwidth, spans_are_in_original_bytes)
{
    const char *text =
        "证号４１０１８３１９８５０６１２１２３Ｘ,卡６２２２０２１２３４５６７８９４";
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits);

    cr_assert_eq(n, 2);
    cr_assert_eq(hits[0].kind, PRIVACY_ID);
    cr_assert_eq(hits[0].offset, 6); /* after two 3-byte characters */
    cr_assert_eq(hits[0].length, 18 * 3);
    cr_assert_eq(hits[1].kind, PRIVACY_BANK);
    cr_assert_eq(hits[1].offset, 6 + 54 + 1 + 3);
    cr_assert_eq(hits[1].length, 16 * 3);
}

Test(privacy_fullwidth, mixed_widths_and_lower_x)
{
    expect_one("４１０１８３19850612123ｘ", PRIVACY_ID, "４１０１８３19850612123ｘ");
    expect_one("１３８-1234-５６７８", PRIVACY_PHONE, "１３８-1234-５６７８");
}

Test(privacy_scan, several_hits_in_order)
{
    const char *text = "村民张三,身份证号41018319850612123X,电话138-1234-5678,卡号6222 0212 3456 "
                       "7894。另:李四 13912345678";
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits);

    cr_assert_eq(n, 4);
    cr_assert_eq(hits[0].kind, PRIVACY_ID);
    cr_assert_eq(hits[0].offset, 25);
    cr_assert_eq(hits[0].length, 18);
    cr_assert_eq(hits[1].kind, PRIVACY_PHONE);
    cr_assert_eq(hits[1].offset, 50);
    cr_assert_eq(hits[1].length, 13);
    cr_assert_eq(hits[2].kind, PRIVACY_BANK);
    cr_assert_eq(hits[2].offset, 70);
    cr_assert_eq(hits[2].length, 19);
    cr_assert_eq(hits[3].kind, PRIVACY_PHONE);
    cr_assert_eq(hits[3].offset, (size_t)(strstr(text, "13912345678") - text));
    cr_assert_eq(hits[3].length, 11);
}

Test(privacy_scan, total_counts_past_max_hits)
{
    const char *text = "13812345678 13912345678 13712345678";
    struct privacy_hit hits[2];
    size_t total = 0;

    cr_assert_eq(privacy_scan(text, strlen(text), DAY, hits, 2, &total), 2);
    cr_assert_eq(total, 3);
    cr_assert_eq(hits[1].offset, 12);
    cr_assert_eq(privacy_scan(text, strlen(text), DAY, NULL, 0, &total), 0);
    cr_assert_eq(total, 3);
}

Test(privacy_scan, text_with_none)
{
    const char *text = "2024年第三季度村务公开:收入 123456.78 元,支出 98765 元,"
                       "会议于 2024-10-08 召开,到会 37 人。";
    char *masked;

    expect_none(text);
    expect_none("");
    masked = privacy_mask(text, strlen(text), NULL, 0, NULL);
    cr_assert_str_eq(masked, text);
    free(masked);
}

Test(privacy_scan, length_bounds_the_text)
{
    const char *text = "13812345678";
    struct privacy_hit hit;
    size_t total;

    /* The first 10 bytes hold no phone, whatever follows them in memory. */
    cr_assert_eq(privacy_scan(text, 10, DAY, &hit, 1, &total), 0);
    cr_assert_eq(total, 0);
}

Test(privacy_minor, under_18_is_a_minor_too)
{
    const char *text = "学生 " ID_MINOR " 在读";
    struct privacy_hit hits[MAX_HITS];
    size_t n = scan(text, DAY, hits);

    cr_assert_eq(n, 2);
    cr_assert_eq(hits[0].kind, PRIVACY_ID);
    cr_assert_eq(hits[1].kind, PRIVACY_MINOR);
    cr_assert_eq(hits[1].offset, hits[0].offset);
    cr_assert_eq(hits[1].length, hits[0].length);
    cr_assert_eq(hits[0].offset, strlen("学生 "));
    /* The same person is an adult in 2028. */
    cr_assert_eq(scan(text, "2028-03-05", hits), 1);
    cr_assert_eq(hits[0].kind, PRIVACY_ID);
    cr_assert_eq(scan(text, "2028-03-04", hits), 2);
}

Test(privacy_minor, comes_of_age_on_the_18th_birthday)
{
    struct privacy_hit hits[MAX_HITS];

    cr_assert_eq(scan("410183200706010040", "2025-05-31", hits), 2);
    cr_assert_eq(scan("410183200706010040", "2025-06-01", hits), 1);
    /* Born on 29 February: still a minor on 28 February, an adult on 1 March. */
    cr_assert_eq(scan("410183200802290062", "2026-02-28", hits), 2);
    cr_assert_eq(scan("410183200802290062", "2026-03-01", hits), 1);
    cr_assert_eq(scan(ID_X, DAY, hits), 1);
}

Test(privacy_minor, no_day_means_today)
{
    struct privacy_hit hits[MAX_HITS];

    /* Born in 2015: a minor today (until 2033) and on a malformed day too. */
    cr_assert_eq(scan("410308201501010018", NULL, hits), 2);
    cr_assert_eq(scan("410308201501010018", "2025/06/01", hits), 2);
    cr_assert_eq(hits[1].kind, PRIVACY_MINOR);
    cr_assert_eq(scan(ID_X, NULL, hits), 1);
}

Test(privacy_mask, the_platform_masks)
{
    expect_mask("身份证号:41018319850612123x。", "身份证号:410183********123X。");
    expect_mask("号码 410183 19850612 1256", "号码 410183********1256");
    expect_mask("电话138-1234-5678。", "电话138****5678。");
    expect_mask("电话:+86 138 1234 5678", "电话:138****5678");
    expect_mask("电话:0086-13812345678", "电话:138****5678");
    expect_mask("卡号6222 0212 3456 7894。", "卡号************7894。");
    expect_mask("卡号" CARD19, "卡号***************0122");
    expect_mask("号１３８１２３４５６７８号", "号138****5678号");
}

Test(privacy_mask, several_hits_and_a_minor)
{
    expect_mask("村民张三,身份证号41018319850612123X,电话138-1234-5678,卡号6222 0212 3456 7894。",
                "村民张三,身份证号410183********123X,电话138****5678,卡号************7894。");
    expect_mask("学生" ID_MINOR ",家长13912345678", "学生410183********0024,家长139****5678");
}

Test(privacy_mask, foreign_hits_are_masked_in_whole_characters)
{
    const char *text = "甲13812345678乙";
    /* Out of order, overlapping, cutting '甲' and '乙' in half, past the end. */
    const struct privacy_hit hits[] = {
        { 10, 5, PRIVACY_PHONE },
        { 1, 6, PRIVACY_BANK },
        { 3, 2, PRIVACY_ID },
        { 100, 4, PRIVACY_ID },
    };
    size_t len;
    char *masked = privacy_mask(text, strlen(text), hits, ARRAY_LEN(hits), &len);

    /* Bytes 7..9 are in no hit; a character a hit cuts is masked whole, one '*'. */
    cr_assert_str_eq(masked, "*****234*****");
    cr_assert_eq(len, 13);
    free(masked);
}

Test(privacy_err, both_messages_name_kind_and_character)
{
    const char *text = "村民张三,身份证号41018319850612123X,电话138-1234-5678";
    struct privacy_hit hits[MAX_HITS];
    struct err e = ERR_INIT;
    size_t n = scan(text, DAY, hits);

    cr_assert_eq(n, 2);
    cr_assert_eq(privacy_hit_err(&hits[0], text, strlen(text), "body", &e), -ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_str_eq(e.field, "body");
    cr_assert_str_eq(e.zh, "第 10 个字符处有身份证号,公开前请删除或遮盖");
    cr_assert_str_eq(e.en,
                     "there is an ID number at character 10; remove or mask it before publishing");
    err_clear(&e);
    privacy_hit_err(&hits[1], text, strlen(text), NULL, &e);
    cr_assert_str_eq(e.zh, "第 31 个字符处有手机号码,公开前请删除或遮盖");
    cr_assert(strstr(e.en, "a mobile number at character 31"), "%s", e.en);
    cr_assert(!strstr(e.zh, "138") && !strstr(e.en, "138"), "a message repeats the number");
}

Test(privacy_err, bank_and_minor)
{
    const struct privacy_hit bank = { 0, 16, PRIVACY_BANK }, minor = { 4, 18, PRIVACY_MINOR };
    struct err e = ERR_INIT;

    privacy_hit_err(&bank, CARD16, 16, "body", &e);
    cr_assert_str_eq(e.zh, "第 1 个字符处有银行卡号,公开前请删除或遮盖");
    cr_assert(strstr(e.en, "bank card number at character 1;"), "%s", e.en);
    err_clear(&e);
    privacy_hit_err(&minor, "学 " ID_MINOR, 22, "body", &e);
    cr_assert_str_eq(e.zh, "第 3 个字符处有未成年人的身份证号,未成年人的信息不得公开");
    cr_assert(strstr(e.en, "a minor's ID number at character 3;"), "%s", e.en);
}

Test(privacy_kind, names)
{
    cr_assert_str_eq(privacy_kind_name(PRIVACY_ID), "id");
    cr_assert_str_eq(privacy_kind_name(PRIVACY_PHONE), "phone");
    cr_assert_str_eq(privacy_kind_name(PRIVACY_BANK), "bank");
    cr_assert_str_eq(privacy_kind_name(PRIVACY_MINOR), "minor");
    cr_assert_str_eq(privacy_kind_name((enum privacy_kind)0), "unknown");
}
