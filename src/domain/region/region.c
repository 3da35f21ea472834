/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region.c -- regions in the store: insert, read, children,
 * rename, retire, and the transaction helper the import and the demo share.
 * The rules (code format, levels) live in region_code.c; this file holds the SQL
 * for the regions table (migration 0002). */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domain/region/region.h"
#include "domain/region/region_int.h"
#include "store/db.h"

#define REGION_COLS "code, parent_code, level, kind, name, valid_from, valid_to, successor_code "

int
region_lookup(struct db_conn *c, const char *code, int *level, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = db_prepare(c, "SELECT level FROM regions WHERE code = ?", &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, code, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1 && level)
        *level = (int)db_col_i64(s, 0);
    db_reset(s);
    return rc;
}

int
region_atomic(struct db_conn *c, region_atomic_fn fn, void *arg, struct err *err)
{
    int rc;

    if (!db_in_txn(c)) {
        rc = db_begin(c, err);
        if (rc < 0)
            return rc;
        rc = fn(c, arg, err);
        if (rc < 0) {
            db_rollback(c);
            return rc;
        }
        return db_commit(c, err);
    }
    rc = db_savepoint(c, "region_atomic", err);
    if (rc < 0)
        return rc;
    rc = fn(c, arg, err);
    if (rc < 0) {
        db_savepoint_rollback(c, "region_atomic", NULL);
        db_savepoint_release(c, "region_atomic", NULL);
        return rc;
    }
    return db_savepoint_release(c, "region_atomic", err);
}

static int
check_parent(struct db_conn *c, const struct region *r, int level, struct err *err)
{
    int plevel, rc;

    if (!r->parent_code[0]) {
        if (level == REGION_PROVINCE || level == REGION_COUNTY)
            return 0;
        return err_set(err, ERR_INVALID, "parent_code", "区划 %s 必须有上级区划",
                       "region %s needs a parent", r->code);
    }
    rc = region_code_parse_field(r->parent_code, "parent_code", &plevel, err);
    if (rc < 0)
        return rc;
    if (!region_parent_level_ok(level, plevel) || !region_in_scope(r->parent_code, r->code))
        return err_set(err, ERR_INVALID, "parent_code", "%s 不能作为 %s 的上级区划",
                       "%s cannot be the parent of %s", r->parent_code, r->code);
    rc = region_lookup(c, r->parent_code, NULL, err);
    if (rc == 0)
        return err_set(err, ERR_REFERENCE, "parent_code", "上级区划 %s 不存在",
                       "parent region %s does not exist", r->parent_code);
    return rc < 0 ? rc : 0;
}

/* A successor ("" or NULL for none) must be another stored region of 'level'. */
static int
check_successor(struct db_conn *c, const char *code, int level, const char *successor,
                struct err *err)
{
    int slevel, rc;

    if (!successor || !successor[0])
        return 0;
    rc = region_code_parse_field(successor, "successor_code", &slevel, err);
    if (rc < 0)
        return rc;
    if (slevel != level || strcmp(successor, code) == 0)
        return err_set(err, ERR_INVALID, "successor_code",
                       "继任区划 %s 必须是与 %s 同级的另一个区划",
                       "successor %s must be another region at the level of %s", successor, code);
    rc = region_lookup(c, successor, NULL, err);
    if (rc == 0)
        return err_set(err, ERR_REFERENCE, "successor_code", "继任区划 %s 不存在",
                       "successor region %s does not exist", successor);
    return rc < 0 ? rc : 0;
}

static int
check_region(struct db_conn *c, const struct region *r, int *level, struct err *err)
{
    int rc;

    rc = region_code_parse(r->code, level, err);
    if (rc < 0)
        return rc;
    if (r->level != 0 && r->level != *level)
        return err_set(err, ERR_INVALID, "level", "区划代码 %s 是第 %d 级，不是第 %d 级",
                       "region code %s is at level %d, not %d", r->code, *level, r->level);
    rc = region_name_check(r->name, "name", err);
    if (rc < 0)
        return rc;
    if (r->valid_from < 0 || (r->valid_to != 0 && r->valid_to < r->valid_from))
        return err_set_text(err, ERR_INVALID, "valid_to", "有效期不正确",
                            "the validity period is wrong");
    rc = check_parent(c, r, *level, err);
    if (rc < 0)
        return rc;
    return check_successor(c, r->code, *level, r->successor_code, err);
}

static void
bind_text_or_null(struct db_stmt *s, int idx, const char *text)
{
    db_bind_text(s, idx, text[0] ? text : NULL, (size_t)-1);
}

int
region_insert(struct db_conn *c, const struct region *r, struct err *err)
{
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int level, rc;

    rc = check_region(c, r, &level, err);
    if (rc < 0)
        return rc;
    rc = region_lookup(c, r->code, NULL, err);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return err_set(err, ERR_DUPLICATE, "code", "区划代码 %s 已存在",
                       "region code %s already exists", r->code);
    rc = db_prepare(c,
                    "INSERT INTO regions (" REGION_COLS ", created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, r->code, (size_t)-1);
    bind_text_or_null(s, 2, r->parent_code);
    db_bind_i64(s, 3, level);
    db_bind_text(s, 4, r->kind[0] ? r->kind : region_kind_of(r->code, level), (size_t)-1);
    db_bind_text(s, 5, r->name, (size_t)-1);
    db_bind_i64(s, 6, r->valid_from);
    if (r->valid_to)
        db_bind_i64(s, 7, r->valid_to);
    else
        db_bind_null(s, 7);
    bind_text_or_null(s, 8, r->successor_code);
    db_bind_i64(s, 9, now);
    db_bind_i64(s, 10, now);
    rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* Copy the REGION_COLS of the current row into *out. */
static void
read_region(struct db_stmt *s, void *item)
{
    struct region *out = item;

    memset(out, 0, sizeof(*out));
    db_col_copy(s, 0, out->code, sizeof(out->code));
    db_col_copy(s, 1, out->parent_code, sizeof(out->parent_code));
    out->level = (int)db_col_i64(s, 2);
    db_col_copy(s, 3, out->kind, sizeof(out->kind));
    db_col_copy(s, 4, out->name, sizeof(out->name));
    out->valid_from = db_col_i64(s, 5);
    out->valid_to = db_col_is_null(s, 6) ? 0 : db_col_i64(s, 6);
    db_col_copy(s, 7, out->successor_code, sizeof(out->successor_code));
}

static int
not_found(const char *code, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "code", "找不到区划 %s", "no region %s", code);
}

int
region_get(struct db_conn *c, const char *code, struct region *out, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = region_code_parse(code, NULL, err);
    if (rc < 0)
        return rc;
    rc = db_prepare(c, "SELECT " REGION_COLS "FROM regions WHERE code = ?", &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, code, (size_t)-1);
    rc = db_read_one(s, read_region, out, err);
    if (rc == 0)
        return not_found(code, err);
    return rc < 0 ? rc : 0;
}

int
region_children(struct db_conn *c, const char *parent, bool include_retired, struct region **out,
                size_t *n, struct err *err)
{
    bool root = !parent || !parent[0];
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    rc = db_prepare(c,
                    root ? "SELECT " REGION_COLS "FROM regions WHERE parent_code IS NULL "
                           "AND (valid_to IS NULL OR valid_to > ?) ORDER BY code"
                         : "SELECT " REGION_COLS "FROM regions WHERE parent_code = ? "
                           "AND (valid_to IS NULL OR valid_to > ?) ORDER BY code",
                    &s, err);
    if (rc < 0)
        return rc;
    if (!root)
        db_bind_text(s, 1, parent, (size_t)-1);
    /* Every stored valid_to is >= 0, so INT64_MIN lets retired rows through. */
    db_bind_i64(s, root ? 1 : 2, include_retired ? INT64_MIN : clock_now_ms());
    rc = db_read_rows(s, read_region, &rows, err);
    *out = db_rows_detach(&rows, n);
    if (rc == 0 && *n == 0 && !root) {
        rc = region_lookup(c, parent, NULL, err);
        if (rc == 0)
            rc = not_found(parent, err);
    }
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return 0;
}

int
region_rename(struct db_conn *c, const char *code, const char *name, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = region_code_parse(code, NULL, err);
    if (rc == 0)
        rc = region_name_check(name, "name", err);
    if (rc < 0)
        return rc;
    rc = db_prepare(c, "UPDATE regions SET name = ?, updated_at = ? WHERE code = ? RETURNING code",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, name, (size_t)-1);
    db_bind_i64(s, 2, clock_now_ms());
    db_bind_text(s, 3, code, (size_t)-1);
    rc = db_step(s, err);
    db_reset(s);
    if (rc == 0)
        return not_found(code, err);
    return rc < 0 ? rc : 0;
}

/* Children of 'code' still current at 'at'. */
static int
count_current_children(struct db_conn *c, const char *code, int64_t at, int64_t *count,
                       struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = db_prepare(c,
                    "SELECT COUNT(*) FROM regions WHERE parent_code = ? "
                    "AND (valid_to IS NULL OR valid_to > ?)",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, code, (size_t)-1);
    db_bind_i64(s, 2, at);
    rc = db_step(s, err);
    if (rc == 1)
        *count = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static int
check_retire(struct db_conn *c, const struct region *cur, int64_t at, struct err *err)
{
    int64_t children = 0;
    int rc;

    if (cur->valid_to != 0)
        return err_set(err, ERR_CONFLICT, "code", "区划 %s 已经撤销",
                       "region %s is already retired", cur->code);
    if (at <= 0 || at < cur->valid_from)
        return err_set_text(err, ERR_INVALID, "at", "撤销时间不能早于区划的生效时间",
                            "the retirement time is before the region became valid");
    rc = count_current_children(c, cur->code, at, &children, err);
    if (rc < 0)
        return rc;
    if (children > 0)
        return err_set(err, ERR_CONFLICT, "code",
                       "区划 %s 下还有 %" PRId64 " 个现行下级区划，请先撤销或变更它们",
                       "region %s still has %" PRId64 " current subdivisions; retire them first",
                       cur->code, children);
    return 0;
}

int
region_retire(struct db_conn *c, const char *code, const char *successor, int64_t at,
              struct err *err)
{
    struct region cur;
    struct db_stmt *s;
    int rc;

    rc = region_get(c, code, &cur, err);
    if (rc == 0)
        rc = check_retire(c, &cur, at, err);
    if (rc == 0)
        rc = check_successor(c, code, cur.level, successor, err);
    if (rc < 0)
        return rc;
    rc = db_prepare(c,
                    "UPDATE regions SET valid_to = ?, successor_code = ?, updated_at = ? "
                    "WHERE code = ?",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, at);
    db_bind_text(s, 2, successor && successor[0] ? successor : NULL, (size_t)-1);
    db_bind_i64(s, 3, clock_now_ms());
    db_bind_text(s, 4, code, (size_t)-1);
    rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : 0;
}
