/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/json.c -- see json.h. */
#include "core/compat.h"

#include <errno.h>

#include <stdio.h>
#include <string.h>

#include "core/json.h"

/* One pass over the raw bytes: nesting depth, string lengths and the number of
 * values, ignoring everything inside strings. Syntax is left to jansson. */
static int
prescan(const char *buf, size_t len, const struct json_limits *lim, struct err *err)
{
    bool in_str = false, esc = false;
    size_t str_len = 0, items = 0;
    int depth = 0;

    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        if (in_str) {
            if (++str_len > lim->max_string)
                return err_set(err, ERR_TOO_LARGE, NULL, "字符串超过 %zu 字节",
                               "a string is longer than %zu bytes", lim->max_string);
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
            str_len = 0;
            items++;
        } else if (c == '{' || c == '[') {
            if (++depth > lim->max_depth)
                return err_set(err, ERR_TOO_LARGE, NULL, "嵌套层数超过 %d",
                               "nesting deeper than %d", lim->max_depth);
            items++;
        } else if (c == '}' || c == ']') {
            depth--;
        } else if (c == ',') {
            items++;
        }
        if (items > lim->max_items)
            return err_set(err, ERR_TOO_LARGE, NULL, "元素个数超过 %zu", "more than %zu values",
                           lim->max_items);
    }
    return 0;
}

json_t *
json_decode_limited(const char *buf, size_t len, const struct json_limits *lim, struct err *err)
{
    json_error_t jerr;
    json_t *v;

    if (len > lim->max_bytes) {
        err_set(err, ERR_TOO_LARGE, NULL, "请求内容超过 %zu 字节", "the body is over %zu bytes",
                lim->max_bytes);
        return NULL;
    }
    if (prescan(buf, len, lim, err) < 0)
        return NULL;
    v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v)
        err_set(err, ERR_MALFORMED, NULL, "JSON 格式错误(第 %d 行第 %d 列)",
                "malformed JSON at line %d, column %d", jerr.line, jerr.column);
    return v;
}

size_t
json_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static const struct json_field *
find_field(const struct json_schema *s, const char *name)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

static bool
kind_matches(const json_t *v, enum json_kind kind)
{
    switch (kind) {
    case JSON_KIND_STRING:
        return json_is_string(v);
    case JSON_KIND_INT:
        return json_is_integer(v);
    case JSON_KIND_BOOL:
        return json_is_boolean(v);
    case JSON_KIND_OBJECT:
        return json_is_object(v);
    case JSON_KIND_ARRAY:
        return json_is_array(v);
    }
    return false;
}

static int
check_range(const json_t *v, const struct json_field *f, struct err *err)
{
    int64_t n;

    if (f->kind == JSON_KIND_STRING) {
        n = (int64_t)json_utf8_chars(json_string_value(v));
        if (n < f->min)
            return err_set(err, ERR_INVALID, f->name, "%s 至少需要 %" PRId64 " 个字",
                           "%s needs at least %" PRId64 " characters", f->name, f->min);
        if (f->max && n > f->max)
            return err_set(err, ERR_TOO_LARGE, f->name, "%s 最多 %" PRId64 " 个字",
                           "%s allows at most %" PRId64 " characters", f->name, f->max);
    } else if (f->kind == JSON_KIND_INT) {
        n = json_integer_value(v);
        if (n < f->min && !f->max)
            return err_set(err, ERR_INVALID, f->name, "%s 应不小于 %" PRId64,
                           "%s must be at least %" PRId64, f->name, f->min);
        if (n < f->min || (f->max && n > f->max))
            return err_set(err, ERR_INVALID, f->name, "%s 应在 %" PRId64 " 到 %" PRId64 " 之间",
                           "%s must be between %" PRId64 " and %" PRId64, f->name, f->min, f->max);
    }
    return 0;
}

/* A string member whose field lists its values: one of them. */
static int
check_values(const json_t *v, const struct json_field *f, struct err *err)
{
    char list[ERR_MSG_MAX / 2] = "";
    size_t used = 0;

    if (!f->values || f->kind != JSON_KIND_STRING)
        return 0;
    for (const char *const *p = f->values; *p; p++)
        if (strcmp(*p, json_string_value(v)) == 0)
            return 0;
    for (const char *const *p = f->values; *p && used < sizeof(list); p++) {
        int k = snprintf(list + used, sizeof(list) - used, "%s\"%s\"", used ? ", " : "", *p);

        used += k > 0 ? (size_t)k : 0;
    }
    return err_set(err, ERR_INVALID, f->name, "%s 应为以下之一:%s", "%s must be one of: %s",
                   f->name, list);
}

int
json_field_check(const json_t *v, const struct json_field *f, struct err *err)
{
    static const char *kind_zh[] = { "文字", "整数", "是/否", "对象", "列表" };
    static const char *kind_en[] = { "a string", "an integer", "true or false", "an object",
                                     "an array" };

    if (!kind_matches(v, f->kind)) {
        char zh[ERR_MSG_MAX], en[ERR_MSG_MAX];

        snprintf(zh, sizeof(zh), "%s 应为%s", f->name, kind_zh[f->kind]);
        snprintf(en, sizeof(en), "%s must be %s", f->name, kind_en[f->kind]);
        return err_set_text(err, ERR_INVALID, f->name, zh, en);
    }
    if (check_range(v, f, err) < 0)
        return -err->code;
    return check_values(v, f, err);
}

int
json_validate(const json_t *v, const struct json_schema *s, struct err *err)
{
    const char *key;
    json_t *val;

    if (!json_is_object(v))
        return err_set(err, ERR_MALFORMED, NULL, "请求内容应为 JSON 对象",
                       "the body must be a JSON object");
    json_object_foreach ((json_t *)(uintptr_t)v, key, val) {
        const struct json_field *f = find_field(s, key);

        if (!f)
            return err_set(err, ERR_UNKNOWN_FIELD, key, "不认识的字段:%s", "unknown field: %s",
                           key);
        if (json_field_check(val, f, err) < 0)
            return -err->code;
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->fields[i].required && !json_object_get(v, s->fields[i].name))
            return err_set(err, ERR_INVALID, s->fields[i].name, "缺少必填字段:%s",
                           "missing required field: %s", s->fields[i].name);
    return 0;
}

/* The text of an integer parameter as a JSON integer, or NULL. */
static json_t *
as_integer(const char *text)
{
    char *end;
    long long n;

    if (!*text || (*text != '-' && (*text < '0' || *text > '9')))
        return NULL;
    errno = 0;
    n = strtoll(text, &end, 10);
    return *end || errno ? NULL : json_integer(n);
}

int
json_text_check(const char *text, const struct json_field *f, struct err *err)
{
    json_t *v = f->kind == JSON_KIND_INT ? as_integer(text) : json_string(text);
    int rc;

    if (!v && f->kind == JSON_KIND_INT)
        return err_set(err, ERR_INVALID, f->name, "%s 应为整数", "%s must be an integer", f->name);
    if (!v) /* not UTF-8 */
        return err_set(err, ERR_INVALID, f->name, "%s 不是有效的文字", "%s is not valid text",
                       f->name);
    rc = json_field_check(v, f, err);
    json_decref(v);
    return rc;
}
