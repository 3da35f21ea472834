/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_idnum.c -- domain/identity/idnum: ID numbers (check char,
 * calendar, legacy 15-digit numbers, characters, masks, generated numbers) and
 * mobile numbers. Expected check chars were computed independently in Python. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "domain/identity/idnum.h"

/* Parse 'text', expect ERR_INVALID on "id_number" with 'needle' in the English message. */
static void
id_fails(const char *text, const char *needle)
{
    struct idnum id;
    struct err e = ERR_INIT;

    cr_assert_eq(idnum_parse(text, &id, &e), -ERR_INVALID, "'%s' accepted", text);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_str_eq(e.field, "id_number");
    cr_assert(e.zh[0], "no Chinese message for '%s'", text);
    cr_assert(strstr(e.en, needle), "'%s': message '%s' lacks '%s'", text, e.en, needle);
}

static void
id_ok(const char *text, struct idnum *id)
{
    struct err e = ERR_INIT;

    cr_assert_eq(idnum_parse(text, id, &e), 0, "'%s' refused: %s", text, e.en);
    cr_assert_eq(e.code, ERR_OK, "err touched on success");
}

/* YYYYMMDD in China (UTC+8), 'days' from today. */
static void
china_date(int days, char out[9])
{
    time_t t = time(NULL) + 8 * 3600 + (time_t)days * 86400;
    struct tm tm;

    gmtime_r(&t, &tm);
    cr_assert_eq(strftime(out, 9, "%Y%m%d", &tm), 8);
}

Test(idnum, the_standard_sample)
{
    struct idnum id;

    id_ok("11010519491231002X", &id);
    cr_assert_str_eq(id.number, "11010519491231002X");
    cr_assert_str_eq(id.birth, "1949-12-31");
    cr_assert_eq(id.sex, 'F');
    cr_assert_str_eq(id.region6, "110105");
}

Test(idnum, lowercase_x_is_stored_upper_and_spaces_trimmed)
{
    struct idnum id;

    id_ok("  11010519491231002x\t", &id);
    cr_assert_str_eq(id.number, "11010519491231002X");
}

Test(idnum, odd_sequence_is_male)
{
    struct idnum id;

    id_ok("130503196704010016", &id);
    cr_assert_eq(id.sex, 'M');
    cr_assert_str_eq(id.birth, "1967-04-01");
}

Test(idnum, every_wrong_check_char_fails)
{
    static const char checks[] = "0123456789Xx";
    char n[19] = "11010519491231002X";

    for (size_t i = 0; checks[i]; i++) {
        n[17] = checks[i];
        if (checks[i] == 'X' || checks[i] == 'x')
            continue;
        id_fails(n, "check character");
    }
}

/* MOD 11-2 catches any single changed digit in the first 17. */
Test(idnum, any_single_digit_change_fails)
{
    char n[19];
    struct idnum id;

    for (int pos = 0; pos < 17; pos++) {
        for (int d = 1; d < 10; d++) {
            snprintf(n, sizeof(n), "%s", "11010519491231002X");
            n[pos] = (char)('0' + (n[pos] - '0' + d) % 10);
            cr_assert_lt(idnum_parse(n, &id, NULL), 0, "'%s' accepted", n);
        }
    }
}

Test(idnum, february_29_only_in_leap_years)
{
    char n[19];
    struct idnum id;

    idnum_make("410183", "20000229", 123, n);
    id_ok(n, &id);
    cr_assert_str_eq(id.birth, "2000-02-29");
    idnum_make("410183", "19960229", 123, n);
    id_ok(n, &id);
    idnum_make("410183", "19000229", 123, n);
    id_fails(n, "does not exist");
    idnum_make("410183", "20230229", 123, n);
    id_fails(n, "does not exist");
    idnum_make("410183", "20230228", 123, n);
    id_ok(n, &id);
}

Test(idnum, impossible_dates_fail)
{
    static const char *const bad[] = { "19801301", "19800001", "19800100", "19800132",
                                       "19800431", "19800230", "19809999" };
    char n[19];

    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        idnum_make("410183", bad[i], 1, n);
        id_fails(n, "does not exist");
    }
}

Test(idnum, date_range_1900_to_today)
{
    char n[19], day[9];
    struct idnum id;

    idnum_make("410183", "19000101", 1, n);
    id_ok(n, &id);
    idnum_make("410183", "18991231", 1, n);
    id_fails(n, "before 1900");
    china_date(0, day);
    idnum_make("410183", day, 1, n);
    id_ok(n, &id);
    china_date(1, day);
    idnum_make("410183", day, 1, n);
    id_fails(n, "future");
    idnum_make("410183", "29991231", 1, n);
    id_fails(n, "future");
}

Test(idnum, legacy_15_digits_convert)
{
    struct idnum id;

    id_ok("130503670401001", &id);
    cr_assert_str_eq(id.number, "130503196704010016");
    cr_assert_str_eq(id.birth, "1967-04-01");
    cr_assert_eq(id.sex, 'M');
    cr_assert_str_eq(id.region6, "130503");
    id_ok(" 110105491231002 ", &id);
    cr_assert_str_eq(id.number, "11010519491231002X");
    cr_assert_eq(id.sex, 'F');
    id_fails("130503670230001", "does not exist");
    id_fails("13050367040100X", "not a digit");
}

Test(idnum, bad_characters_name_the_position)
{
    id_fails("A1010519491231002X", "character 1 of");
    id_fails("11010519491-31002X", "character 12 of");
    id_fails("1101051949123100X2", "character 17 of");
    id_fails("11010519491231002A", "character 18");
    id_fails("11010519491231002*", "digit or X");
}

Test(idnum, wrong_lengths)
{
    id_fails("", "not 0");
    id_fails("   ", "not 0");
    id_fails("11010519491231002", "not 17");
    id_fails("11010519491231002X1", "not 19");
    id_fails("110105 19491231002X", "not 19");
    id_fails("1305036704010", "not 13");
    id_fails("1101051949123100２X", "not 18");
    id_fails("1101051949123100２", "not 17");
}

Test(idnum, full_width_digit_is_a_bad_character)
{
    /* "２" is 3 bytes: 14 digits + it + X are 18 bytes. */
    id_fails("11010519491231２X", "character 15 of the ID number is not a digit");
}

Test(idnum, address_code_may_not_start_with_0)
{
    char n[19];

    idnum_make("010105", "19491231", 2, n);
    id_fails(n, "address code");
    id_fails("010105491231002", "address code");
}

Test(idnum, mask)
{
    char m[19];

    idnum_mask("410183199001011234", m);
    cr_assert_str_eq(m, "410183********1234");
    idnum_mask("11010519491231002X", m);
    cr_assert_str_eq(m, "110105********002X");
    idnum_mask("41018319900101123", m);
    cr_assert_str_eq(m, "******************");
    idnum_mask("4101831990010112345", m);
    cr_assert_str_eq(m, "******************");
}

Test(idnum, make_parses_back_with_same_birth_and_sex)
{
    static const char *const dates[] = { "19000101", "19491231", "19960229", "20101010" };
    char n[19], birth[11];
    struct idnum id;

    for (size_t d = 0; d < ARRAY_LEN(dates); d++) {
        snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", dates[d], dates[d] + 4, dates[d] + 6);
        for (int seq = 0; seq <= 999; seq++) {
            idnum_make("410581", dates[d], seq, n);
            cr_assert_eq(strlen(n), 18);
            id_ok(n, &id);
            cr_assert_str_eq(id.number, n);
            cr_assert_str_eq(id.birth, birth);
            cr_assert_eq(id.sex, seq % 2 ? 'M' : 'F', "seq %d gave %c", seq, id.sex);
            cr_assert_str_eq(id.region6, "410581");
        }
    }
    idnum_make("110105", "19491231", 2, n);
    cr_assert_str_eq(n, "11010519491231002X");
}

static void
phone_ok(const char *text, const char *want)
{
    char out[12];
    struct err e = ERR_INIT;

    memset(out, '?', sizeof(out));
    cr_assert_eq(phone_parse(text, out, &e), 0, "'%s' refused: %s", text, e.en);
    cr_assert_str_eq(out, want, "'%s'", text);
    cr_assert_eq(e.code, ERR_OK);
}

static void
phone_fails(const char *text, const char *needle)
{
    char out[12];
    struct err e = ERR_INIT;

    cr_assert_eq(phone_parse(text, out, &e), -ERR_INVALID, "'%s' accepted", text);
    cr_assert_str_eq(e.field, "phone");
    cr_assert(e.zh[0]);
    cr_assert(strstr(e.en, needle), "'%s': message '%s' lacks '%s'", text, e.en, needle);
}

Test(phone, valid_forms)
{
    phone_ok("13812345678", "13812345678");
    phone_ok("138 1234 5678", "13812345678");
    phone_ok("138-1234-5678", "13812345678");
    phone_ok(" 199 1234-5678 ", "19912345678");
    phone_ok("+86 138 1234 5678", "13812345678");
    phone_ok("+8613812345678", "13812345678");
    phone_ok("+86-138-1234-5678", "13812345678");
    phone_ok("008613812345678", "13812345678");
    phone_ok("0086 138 1234 5678", "13812345678");
    phone_ok("8613812345678", "13812345678");
    phone_ok("86 138 1234 5678", "13812345678");
    phone_ok("13012345678", "13012345678");
}

Test(phone, invalid_forms)
{
    phone_fails("138123456789", "11 digits");
    phone_fails("1381234567", "11 digits");
    phone_fails("", "11 digits");
    phone_fails("+86", "11 digits");
    phone_fails("86138123456789", "11 digits");
    phone_fails("12812345678", "starts with 13 to 19");
    phone_fails("10012345678", "starts with 13 to 19");
    phone_fails("23812345678", "starts with 13 to 19");
    phone_fails("8612812345678", "starts with 13 to 19");
    phone_fails("86123456789", "starts with 13 to 19"); /* 11 digits: no prefix to drop */
    phone_fails("1381234567a", "only digits");
    phone_fails("abcdefghijk", "only digits");
    phone_fails("138.1234.5678", "only digits");
    phone_fails("138+12345678", "only digits");
    phone_fails("+1 202 555 0123", "mainland");
    phone_fails("+852 9123 4567", "mainland");
    phone_fails("1381234567812345678901234", "too long");
}

Test(phone, mask)
{
    char m[12];

    phone_mask("13812345678", m);
    cr_assert_str_eq(m, "138****5678");
    phone_mask("1381234567", m);
    cr_assert_str_eq(m, "***********");
    phone_mask("138123456789", m);
    cr_assert_str_eq(m, "***********");
}
