/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_json.c -- decoding limits and schema checks for request bodies,
 * and the JSON writer of responses. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "core/json.h"

static const struct json_limits lim = { 1024, 4, 16, 50 };

static int
decode_code(const char *text)
{
    struct err e = ERR_INIT;
    json_t *v = json_decode_limited(text, strlen(text), &lim, &e);

    json_decref(v);
    return v ? 0 : e.code;
}

Test(json_limits, accepts_what_fits)
{
    cr_assert_eq(decode_code("{\"a\":[1,2,{\"b\":\"短\"}]}"), 0);
    cr_assert_eq(decode_code("[[[[1]]]]"), 0);
}

Test(json_limits, rejects_depth_string_size_items)
{
    char big[2048];

    cr_assert_eq(decode_code("[[[[[1]]]]]"), ERR_TOO_LARGE);
    cr_assert_eq(decode_code("{\"k\":\"0123456789abcdefX\"}"), ERR_TOO_LARGE);
    cr_assert_eq(decode_code("{\"0123456789abcdefX\":1}"), ERR_TOO_LARGE);
    memset(big, ' ', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[0] = '1';
    cr_assert_eq(decode_code(big), ERR_TOO_LARGE);
    cr_assert_eq(decode_code("[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                             "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"),
                 ERR_TOO_LARGE);
}

Test(json_limits, brackets_inside_strings_do_not_count)
{
    cr_assert_eq(decode_code("{\"a\":\"[[[[[[\"}"), 0);
    cr_assert_eq(decode_code("{\"a\":\"\\\"[[[[[[\"}"), 0);
}

Test(json_limits, rejects_malformed_duplicates_and_bad_utf8)
{
    cr_assert_eq(decode_code("{\"a\":1,}"), ERR_MALFORMED);
    cr_assert_eq(decode_code("{\"a\":1} x"), ERR_MALFORMED);
    cr_assert_eq(decode_code("{\"a\":1,\"a\":2}"), ERR_MALFORMED);
    cr_assert_eq(decode_code("{\"a\":\"\xff\xfe\"}"), ERR_MALFORMED);
    cr_assert_eq(decode_code("{\"a\":\"\\u0000\"}"), ERR_MALFORMED);
    cr_assert_eq(decode_code(""), ERR_MALFORMED);
    cr_assert_eq(decode_code("{\"n\":99999999999999999999999}"), ERR_MALFORMED);
}

static const char *const sexes[] = { "", "M", "F", NULL };
static const struct json_field fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 4, NULL },  { "age", JSON_KIND_INT, false, 0, 150, NULL },
    { "ok", JSON_KIND_BOOL, false, 0, 0, NULL },     { "tags", JSON_KIND_ARRAY, false, 0, 0, NULL },
    { "sex", JSON_KIND_STRING, false, 0, 1, sexes },
};
static const struct json_schema schema = { fields, ARRAY_LEN(fields) };

static int
validate(const char *text, const char **field)
{
    static struct err e;
    json_t *v = json_loads(text, 0, NULL);
    int rc;

    cr_assert_not_null(v, "test input must parse: %s", text);
    err_clear(&e);
    rc = json_validate(v, &schema, &e);
    json_decref(v);
    *field = e.field;
    return rc < 0 ? e.code : 0;
}

Test(json_schema, valid_objects_pass)
{
    const char *f;

    cr_assert_eq(validate("{\"name\":\"张三丰\",\"age\":30,\"ok\":true,\"tags\":[]}", &f), 0);
    cr_assert_eq(validate("{\"name\":\"王五六七\"}", &f), 0, "4 characters, 12 bytes");
}

Test(json_schema, each_rule_names_its_field)
{
    const char *f;

    cr_assert_eq(validate("{\"name\":\"a\",\"extra\":1}", &f), ERR_UNKNOWN_FIELD);
    cr_assert_str_eq(f, "extra");
    cr_assert_eq(validate("{\"age\":3}", &f), ERR_INVALID);
    cr_assert_str_eq(f, "name");
    cr_assert_eq(validate("{\"name\":\"\"}", &f), ERR_INVALID);
    cr_assert_eq(validate("{\"name\":\"五个汉字啊\"}", &f), ERR_TOO_LARGE);
    cr_assert_eq(validate("{\"name\":\"a\",\"age\":151}", &f), ERR_INVALID);
    cr_assert_str_eq(f, "age");
    cr_assert_eq(validate("{\"name\":\"a\",\"age\":-1}", &f), ERR_INVALID);
    cr_assert_eq(validate("{\"name\":\"a\",\"age\":\"3\"}", &f), ERR_INVALID);
    cr_assert_eq(validate("{\"name\":1}", &f), ERR_INVALID);
    cr_assert_eq(validate("{\"name\":\"a\",\"ok\":1}", &f), ERR_INVALID);
    cr_assert_eq(validate("[1]", &f), ERR_MALFORMED);
    cr_assert_eq(validate("{\"name\":\"a\",\"sex\":\"X\"}", &f), ERR_INVALID, "not a listed value");
    cr_assert_str_eq(f, "sex");
    cr_assert_eq(validate("{\"name\":\"a\",\"sex\":\"F\"}", &f), 0);
    cr_assert_eq(validate("{\"name\":\"a\",\"sex\":\"\"}", &f), 0);
}

/* A query parameter's text, checked as the member it stands for. */
static int
text_code(const char *text, size_t field)
{
    struct err e = ERR_INIT;

    return json_text_check(text, &fields[field], &e) < 0 ? e.code : 0;
}

Test(json_schema, text_values_are_checked_as_their_members)
{
    struct err e = ERR_INIT;

    cr_assert_eq(text_code("30", 1), 0);
    cr_assert_eq(text_code("0", 1), 0);
    cr_assert_eq(text_code("151", 1), ERR_INVALID, "over its range");
    cr_assert_eq(text_code("-1", 1), ERR_INVALID, "under its range");
    cr_assert_eq(text_code("3x", 1), ERR_INVALID, "not all digits");
    cr_assert_eq(text_code(" 3", 1), ERR_INVALID);
    cr_assert_eq(text_code("-", 1), ERR_INVALID);
    cr_assert_eq(text_code("99999999999999999999999", 1), ERR_INVALID, "out of int64");
    cr_assert_eq(text_code("M", 4), 0);
    cr_assert_eq(text_code("MF", 4), ERR_TOO_LARGE);
    cr_assert_eq(text_code("X", 4), ERR_INVALID);
    cr_assert_eq(text_code("\xff", 0), ERR_INVALID, "not UTF-8");
    cr_assert_eq(json_text_check("x", &fields[1], &e), -ERR_INVALID);
    cr_assert_str_eq(e.field, "age");
    cr_assert(strstr(e.en, "integer"), "%s", e.en);
}

/* --- core/jsonw.c: responses written straight into a buffer --- */

#include "core/jsonw.h"

Test(jsonw, writes_what_jansson_reads_back)
{
    struct sbuf b = SBUF_INIT;
    struct jsonw w;
    json_error_t je;
    json_t *v;

    jsonw_init(&w, &b);
    jsonw_object(&w);
    jsonw_kint(&w, "id", -9007199254740993LL);
    jsonw_kstr(&w, "name", "王建国 \"quote\" back\\slash\nline\t<tag>&");
    jsonw_kstr(&w, "none", NULL);
    jsonw_kref(&w, "group_id", 0);
    jsonw_kref(&w, "head", 42);
    jsonw_key(&w, "list");
    jsonw_array(&w);
    for (int i = 0; i < 3; i++) {
        jsonw_object(&w);
        jsonw_kint(&w, "i", i);
        jsonw_key(&w, "ok");
        jsonw_bool(&w, i % 2);
        jsonw_end_object(&w);
    }
    jsonw_array(&w);
    jsonw_end_array(&w);
    jsonw_str(&w, "");
    jsonw_int(&w, 0);
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    cr_assert_eq(b.failed, 0);
    v = json_loads(b.buf, JSON_REJECT_DUPLICATES, &je);
    cr_assert_not_null(v, "not JSON: %s (%s)", b.buf, je.text);
    cr_assert_eq(json_integer_value(json_object_get(v, "id")), -9007199254740993LL);
    cr_assert_str_eq(json_string_value(json_object_get(v, "name")),
                     "王建国 \"quote\" back\\slash\nline\t<tag>&");
    cr_assert(json_is_null(json_object_get(v, "none")));
    cr_assert(json_is_null(json_object_get(v, "group_id")));
    cr_assert_eq(json_integer_value(json_object_get(v, "head")), 42);
    cr_assert_eq(json_array_size(json_object_get(v, "list")), 6);
    cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(v, "list"), 1), "ok")));
    cr_assert_eq(strstr(b.buf, "<"), NULL, "'<' must be escaped: %s", b.buf);
    json_decref(v);
    sbuf_release(&b);
}

Test(jsonw, too_deep_or_unbalanced_marks_the_buffer_failed)
{
    struct sbuf b = SBUF_INIT;
    struct jsonw w;

    jsonw_init(&w, &b);
    for (int i = 0; i < JSONW_MAX_DEPTH + 2; i++)
        jsonw_array(&w);
    cr_assert(b.failed);
    sbuf_release(&b);
    jsonw_init(&w, &b);
    jsonw_end_object(&w);
    cr_assert(b.failed);
    sbuf_release(&b);
}

Test(jsonw, every_control_character_is_escaped)
{
    struct sbuf b = SBUF_INIT;
    char all[128];
    json_t *v;

    for (int i = 1; i < 128; i++)
        all[i - 1] = (char)i;
    all[127] = '\0';
    sbuf_add_json_str(&b, all);
    for (size_t i = 0; i < b.len; i++)
        cr_assert((unsigned char)b.buf[i] >= 0x20 && b.buf[i] != 0x7f, "raw byte %d", b.buf[i]);
    v = json_loads(b.buf, JSON_DECODE_ANY, NULL);
    cr_assert_str_eq(json_string_value(v), all);
    json_decref(v);
    sbuf_release(&b);
}
