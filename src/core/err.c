/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/err.c -- the error catalogue: names and default bilingual messages. */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

struct err_entry {
    const char *name;
    const char *zh;
    const char *en;
};

static const struct err_entry catalogue[ERR__COUNT] = {
    [ERR_OK] = { "ok", "成功", "OK" },
    [ERR_INVALID] = { "invalid", "输入的值不正确", "invalid value" },
    [ERR_MALFORMED] = { "malformed", "请求内容格式不正确", "the request body is malformed" },
    [ERR_UNKNOWN_FIELD] = { "unknown_field", "包含不认识的字段", "unknown field" },
    [ERR_TOO_LARGE] = { "too_large", "请求内容过大", "the request is too large" },
    [ERR_HEADER_TOO_LARGE] = { "header_too_large", "请求头过大",
                               "the request headers are too large" },
    [ERR_URI_TOO_LONG] = { "uri_too_long", "请求地址过长", "the request address is too long" },
    [ERR_UNSUPPORTED_MEDIA] = { "unsupported_media_type", "请求内容类型不受支持",
                                "unsupported content type" },
    [ERR_NOT_FOUND] = { "not_found", "找不到所请求的内容", "not found" },
    [ERR_METHOD] = { "method_not_allowed", "不支持该请求方法", "method not allowed" },
    [ERR_CONFLICT] = { "conflict", "当前状态不允许此操作",
                       "the current state does not allow this" },
    [ERR_DUPLICATE] = { "duplicate", "记录已存在", "the record already exists" },
    [ERR_REFERENCE] = { "reference", "引用的记录不存在", "a referenced record does not exist" },
    [ERR_CONSTRAINT] = { "constraint", "数据不符合规则", "the data breaks a rule" },
    [ERR_UNAUTHENTICATED] = { "unauthenticated", "请先登录", "please log in" },
    [ERR_FORBIDDEN] = { "forbidden", "没有权限执行此操作", "you may not do this" },
    [ERR_TOO_MANY] = { "too_many_requests", "请求过于频繁,请稍后再试",
                       "too many requests, try again later" },
    [ERR_BUSY] = { "busy", "系统繁忙,请稍后再试", "the server is busy, try again shortly" },
    [ERR_UNAVAILABLE] = { "unavailable", "服务暂时不可用", "the service is unavailable" },
    [ERR_SCHEMA_NEWER] = { "schema_newer", "数据库版本比本程序新,请升级程序",
                           "the database was written by a newer version; upgrade xiangzhi" },
    [ERR_UNSAFE_CONFIG] = { "unsafe_config", "数据库设置不安全,可能丢失已确认的数据",
                            "unsafe database settings could lose acknowledged writes" },
    [ERR_IO] = { "io", "读写文件或网络失败", "file or network I/O failed" },
    [ERR_DB] = { "database", "数据库出错", "database error" },
    [ERR_INTERNAL] = { "internal", "服务器内部错误", "internal server error" },
};

/* Bytes in the UTF-8 sequence that lead byte 'c' starts (1 for stray bytes). */
static size_t
utf8_seq_len(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/* snprintf cuts by bytes; drop a last character that the cut left incomplete, so
 * a message or field name never ends in half a UTF-8 sequence. */
static void
trim_utf8(char *s)
{
    size_t n = strlen(s), start;

    if (n == 0)
        return;
    start = n - 1;
    while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
        start--;
    if (start + utf8_seq_len((unsigned char)s[start]) > n)
        s[start] = '\0';
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int
err_setv(struct err *e, int code, const char *field, const char *zh_fmt, const char *en_fmt,
         va_list ap)
{
    va_list ap2;

    if (!e)
        return -code;
    e->code = code;
    e->detail[0] = '\0';
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    trim_utf8(e->field);
    va_copy(ap2, ap);
    vsnprintf(e->zh, sizeof(e->zh), zh_fmt, ap);
    vsnprintf(e->en, sizeof(e->en), en_fmt, ap2);
    va_end(ap2);
    trim_utf8(e->zh);
    trim_utf8(e->en);
    return -code;
}
#pragma GCC diagnostic pop

int
err_set(struct err *e, int code, const char *field, const char *zh_fmt, const char *en_fmt, ...)
{
    va_list ap;

    va_start(ap, en_fmt);
    err_setv(e, code, field, zh_fmt, en_fmt, ap);
    va_end(ap);
    return -code;
}

int
err_set_text(struct err *e, int code, const char *field, const char *zh, const char *en)
{
    if (!e)
        return -code;
    e->code = code;
    e->detail[0] = '\0';
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    snprintf(e->zh, sizeof(e->zh), "%s", zh);
    snprintf(e->en, sizeof(e->en), "%s", en);
    trim_utf8(e->field);
    trim_utf8(e->zh);
    trim_utf8(e->en);
    return -code;
}

int
err_code_set(struct err *e, int code, const char *field)
{
    if (code <= 0 || code >= ERR__COUNT)
        code = ERR_INTERNAL;
    return err_set_text(e, code, field, catalogue[code].zh, catalogue[code].en);
}

void
err_detail(struct err *e, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
    va_end(ap);
    trim_utf8(e->detail);
}

const char *
err_default_message(int code, bool en)
{
    if (code < 0 || code >= ERR__COUNT)
        code = ERR_INTERNAL;
    return en ? catalogue[code].en : catalogue[code].zh;
}

const char *
err_code_name(int code)
{
    if (code < 0 || code >= ERR__COUNT)
        return "internal";
    return catalogue[code].name;
}

const char *
err_message(const struct err *e, bool en)
{
    const char *m = en ? e->en : e->zh;

    if (m[0])
        return m;
    return err_code_name(e->code);
}

void
err_clear(struct err *e)
{
    struct err zero = ERR_INIT;

    *e = zero;
}
