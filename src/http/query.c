/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/query.c -- a route's query parameters held to its declaration
 * before its handler runs: an integer is all digits (an optional minus) and
 * within its range, a string within its length and, if listed, one of its
 * values, a required one present -- else a 400 naming the parameter. The
 * same checks as a JSON body's member (json_text_check). Parameters the route does not declare are
 * ignored (a cache-buster like ?try=2 is harmless). */
#include "core/compat.h"

#include "http/http_int.h"

int
query_check(const struct request *req, const struct json_schema *s, struct err *err)
{
    for (size_t i = 0; s && i < s->count; i++) {
        const struct json_field *f = &s->fields[i];
        const char *v = request_query(req, f->name);

        if ((!v || !*v) && f->required)
            return err_set(err, ERR_INVALID, f->name, "缺少查询参数:%s",
                           "missing query parameter: %s", f->name);
        if (v && *v && json_text_check(v, f, err) < 0)
            return -err->code;
    }
    return 0;
}
