/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_int.h -- helpers shared by the region module's files;
 * not for other modules. */
#ifndef DOMAIN_REGION_INT_H
#define DOMAIN_REGION_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/region/region.h"

/* True when s[0..len) is well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF) without NUL bytes. */
bool region_utf8_valid(const char *s, size_t len);

/* Check a region or unit name: valid UTF-8, 1..REGION_NAME_CHARS characters, no
 * control characters. ERR_INVALID naming 'field'. */
int region_name_check(const char *name, const char *field, struct err *err);

/* region_code_parse reporting 'field' instead of "code". */
int region_code_parse_field(const char *code, const char *field, int *level, struct err *err);

/* May a region of 'level' hang below one of 'parent_level'? */
bool region_parent_level_ok(int level, int parent_level);

/* Look 'code' up: 1 and *level (may be NULL) when stored, 0 when not, < 0 on a
 * database error. */
int region_lookup(struct db_conn *c, const char *code, int *level, struct err *err);

/* Run fn(c, arg, err) all or nothing: under a savepoint when 'c' is in a
 * transaction, else in a transaction of its own. */
typedef int (*region_atomic_fn)(struct db_conn *c, void *arg, struct err *err);
int region_atomic(struct db_conn *c, region_atomic_fn fn, void *arg, struct err *err);

#endif
