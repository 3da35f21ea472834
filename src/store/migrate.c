/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/migrate.c -- see migrate.h. */
#include "core/compat.h"

#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/db.h"
#include "store/migrate.h"

extern const struct db_migration db_migrations_sqlite[];
extern const int db_migrations_sqlite_count;
extern const struct db_migration db_migrations_pg[];
extern const int db_migrations_pg_count;

static const char create_schema_table[] = "CREATE TABLE IF NOT EXISTS xz_schema ("
                                          " version INTEGER PRIMARY KEY,"
                                          " name TEXT NOT NULL,"
                                          " applied_at BIGINT NOT NULL)";

static const struct db_migration *
table_for_backend(const char *backend, int *count)
{
    if (strcmp(backend, "pg") == 0) {
        *count = db_migrations_pg_count;
        return db_migrations_pg;
    }
    *count = db_migrations_sqlite_count;
    return db_migrations_sqlite;
}

static const struct db_migration *
table_for(const struct db *db, int *count)
{
    return table_for_backend(db_backend(db), count);
}

int
migrate_latest_backend(const char *backend)
{
    int count;

    table_for_backend(backend, &count);
    return count;
}

int
migrate_latest(const struct db *db)
{
    int count;

    table_for(db, &count);
    return count;
}

static int
read_version(struct db_conn *c, int *version, struct err *err)
{
    int64_t v = 0;
    int rc = db_query_i64(c, "SELECT COALESCE(MAX(version), 0) FROM xz_schema", &v, err);

    *version = (int)v;
    return rc;
}

int
migrate_current(struct db *db, int *version, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    int rc;

    if (!c)
        return -err->code;
    rc = db_exec(c, create_schema_table, err);
    if (rc == 0)
        rc = read_version(c, version, err);
    db_release(c);
    return rc;
}

static int
apply_one(struct db_conn *c, const struct db_migration *m, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = db_exec(c, m->sql, err);
    if (rc < 0)
        return rc;
    rc = db_prepare(c, "INSERT INTO xz_schema (version, name, applied_at) VALUES (?, ?, ?)", &s,
                    err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, m->version);
    db_bind_text(s, 2, m->name, (size_t)-1);
    db_bind_i64(s, 3, clock_now_ms());
    rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* One transaction per migration: lock, re-read, apply, record. Sets *done when
 * nothing is left. */
static int
step_once(struct db *db, struct db_conn *c, int *at, bool *done, struct err *err)
{
    int count;
    const struct db_migration *table = table_for(db, &count);
    int rc = db_begin(c, err);

    if (rc < 0)
        return rc;
    if (strcmp(db_backend(db), "pg") == 0)
        rc = db_exec(c, "LOCK TABLE xz_schema IN EXCLUSIVE MODE", err);
    if (rc == 0)
        rc = read_version(c, at, err);
    if (rc == 0 && *at > count)
        rc = err_set(err, ERR_SCHEMA_NEWER, NULL,
                     "数据库结构版本 %d 比本程序支持的 %d 新,请升级 xiangzhi",
                     "database schema version %d is newer than this binary's %d; upgrade xiangzhi",
                     *at, count);
    if (rc == 0 && *at == count) {
        *done = true;
        db_rollback(c);
        return 0;
    }
    if (rc == 0)
        rc = apply_one(c, &table[*at], err);
    if (rc == 0)
        rc = db_commit(c, err);
    if (rc < 0) {
        db_rollback(c);
        return rc;
    }
    log_info(NULL, "migrated %s schema to version %d (%s)", db_backend(db), *at + 1,
             table[*at].name);
    (*at)++;
    return 0;
}

int
migrate_apply(struct db *db, int *from, int *to, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    bool done = false;
    int at = 0, start = -1;
    int rc;

    if (!c)
        return -err->code;
    rc = db_exec(c, create_schema_table, err);
    while (rc == 0 && !done) {
        rc = step_once(db, c, &at, &done, err);
        if (start < 0)
            start = at - (done ? 0 : 1);
    }
    db_release(c);
    if (from)
        *from = start < 0 ? 0 : start;
    if (to)
        *to = at;
    return rc;
}

int
migrate_check(struct db *db, struct err *err)
{
    int version = 0, latest = migrate_latest(db);
    int rc = migrate_current(db, &version, err);

    if (rc < 0)
        return rc;
    if (version > latest)
        return err_set(
            err, ERR_SCHEMA_NEWER, NULL, "数据库结构版本 %d 比本程序支持的 %d 新,请升级 xiangzhi",
            "database schema version %d is newer than this binary's %d; upgrade xiangzhi", version,
            latest);
    if (version < latest)
        return err_set(err, ERR_CONFLICT, NULL,
                       "数据库结构版本 %d 低于 %d,请先运行 xiangzhi migrate",
                       "database schema version %d is older than %d; run 'xiangzhi migrate' first",
                       version, latest);
    return 0;
}
