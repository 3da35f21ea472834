/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/migrate.c -- see migrate.h. */
#include "core/compat.h"

#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/db.h"
#include "store/migrate.h"

static const char create_table[] = "CREATE TABLE IF NOT EXISTS xz_migrations ("
                                   " module TEXT NOT NULL,"
                                   " version INTEGER NOT NULL,"
                                   " name TEXT NOT NULL,"
                                   " applied_at BIGINT NOT NULL,"
                                   " PRIMARY KEY (module, version))";
/* The one sequence before modules: read once, to carry an old database over. */
static const char create_legacy[] = "CREATE TABLE IF NOT EXISTS xz_schema ("
                                    " version INTEGER PRIMARY KEY,"
                                    " name TEXT NOT NULL,"
                                    " applied_at BIGINT NOT NULL)";

/* Where the old sequence's versions went: first..last became 'module''s
 * versions from first - shift. */
static const struct {
    int first, last, shift;
    const char *module;
} legacy[] = {
    { 1, 8, 0, "core" },
    { 9, 13, 8, "points" },
};

static const struct db_migration *
migrations_of(const struct db *db, const struct db_migration_set *set)
{
    return strcmp(db_backend(db), "pg") == 0 ? set->pg : set->sqlite;
}

int
migrate_latest(const struct db *db)
{
    int n = 0;

    (void)db;
    for (int i = 0; i < db_migration_sets_count; i++)
        n += db_migration_sets[i].count;
    return n;
}

static const struct db_migration_set *
set_named(const char *module)
{
    for (int i = 0; i < db_migration_sets_count; i++)
        if (strcmp(db_migration_sets[i].module, module) == 0)
            return &db_migration_sets[i];
    return NULL;
}

static int
newer(struct err *err, const char *module, int64_t version)
{
    return err_set(err, ERR_SCHEMA_NEWER, NULL,
                   "数据库由更新的 xiangzhi 写入,有本程序不认识的结构版本(模块 %s 第 %lld "
                   "版),请升级 xiangzhi",
                   "the database was written by a newer xiangzhi: it holds a schema version this "
                   "binary does not know (module %s, version %lld); upgrade xiangzhi",
                   module, (long long)version);
}

/* Each module's newest applied version into at[] (by set index), and the total
 * applied; ERR_SCHEMA_NEWER for a module or version this binary lacks. */
static int
read_versions(struct db_conn *c, int at[], int *total, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(
        c, "SELECT module, MAX(version), COUNT(*) FROM xz_migrations GROUP BY module", &s, err);

    *total = 0;
    for (int i = 0; i < db_migration_sets_count; i++)
        at[i] = 0;
    while (rc == 0 && (rc = db_step(s, err)) == 1) {
        char module[64];
        const struct db_migration_set *set;
        int64_t version = db_col_i64(s, 1);

        db_col_copy(s, 0, module, sizeof(module));
        set = set_named(module);
        if (!set || version > set->count) {
            rc = newer(err, module, version);
            break;
        }
        at[set - db_migration_sets] = (int)version;
        *total += (int)db_col_i64(s, 2);
        rc = 0;
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static int
record(struct db_conn *c, const char *module, int version, const char *name, int64_t at,
       struct err *err)
{
    int rc = db_run(c, err,
                    "INSERT INTO xz_migrations (module, version, name, applied_at)"
                    " VALUES (?, ?, ?, ?)",
                    "titi", module, (int64_t)version, name, at);

    return rc < 0 ? rc : 0;
}

/* A database of the one old sequence: its versions, module by module, once
 * (when xz_migrations is still empty). */
static int
carry_legacy(struct db_conn *c, struct err *err)
{
    struct db_stmt *s;
    int64_t mine = 0;
    int rc = db_query_i64(c, "SELECT COUNT(*) FROM xz_migrations", &mine, err);

    if (rc < 0 || mine > 0)
        return rc < 0 ? rc : 0;
    rc = db_prepare(c, "SELECT version, name, applied_at FROM xz_schema ORDER BY version", &s, err);
    while (rc == 0 && (rc = db_step(s, err)) == 1) {
        int64_t v = db_col_i64(s, 0);
        char name[128];
        size_t i = 0;

        db_col_copy(s, 1, name, sizeof(name));
        while (i < ARRAY_LEN(legacy) && (v < legacy[i].first || v > legacy[i].last))
            i++;
        rc = i < ARRAY_LEN(legacy) ? record(c, legacy[i].module, (int)v - legacy[i].shift, name,
                                            db_col_i64(s, 2), err)
                                   : newer(err, "-", v);
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static int
prepare_tables(struct db_conn *c, struct err *err)
{
    int rc = db_exec(c, create_table, err);

    if (rc == 0)
        rc = db_exec(c, create_legacy, err);
    return rc;
}

int
migrate_current(struct db *db, int *applied, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    int at[64];
    int rc;

    *applied = 0;
    if (!c)
        return -err->code;
    if (db_migration_sets_count > (int)ARRAY_LEN(at))
        rc = err_code_set(err, ERR_INTERNAL, NULL);
    else
        rc = prepare_tables(c, err);
    if (rc == 0)
        rc = db_begin(c, err);
    if (rc == 0) {
        rc = carry_legacy(c, err);
        if (rc == 0)
            rc = read_versions(c, at, applied, err);
        db_rollback(c); /* only looked: the carrying-over is migrate_apply's to keep */
    }
    db_release(c);
    return rc;
}

/* One transaction per migration: lock, carry the old sequence over, re-read,
 * apply the next missing one, record it. Sets *done when nothing is left. */
static int
step_once(struct db *db, struct db_conn *c, int *applied, bool *done, struct err *err)
{
    int at[64], i = 0;
    int rc = db_begin(c, err);

    if (rc == 0 && strcmp(db_backend(db), "pg") == 0)
        rc = db_exec(c, "LOCK TABLE xz_migrations IN EXCLUSIVE MODE", err);
    if (rc == 0)
        rc = carry_legacy(c, err);
    if (rc == 0)
        rc = read_versions(c, at, applied, err);
    while (rc == 0 && i < db_migration_sets_count && at[i] == db_migration_sets[i].count)
        i++;
    if (rc == 0 && i == db_migration_sets_count) {
        *done = true;
        return db_commit(c, err); /* the carried-over rows, if any */
    }
    if (rc == 0) {
        const struct db_migration_set *set = &db_migration_sets[i];
        const struct db_migration *m = &migrations_of(db, set)[at[i]];

        rc = db_exec(c, m->sql, err);
        if (rc == 0)
            rc = record(c, set->module, m->version, m->name, clock_now_ms(), err);
        if (rc == 0)
            rc = db_commit(c, err);
        if (rc == 0)
            log_info(NULL, "migrated %s schema: %s version %d (%s)", db_backend(db), set->module,
                     m->version, m->name);
        (*applied)++;
    }
    if (rc < 0)
        db_rollback(c);
    return rc;
}

int
migrate_apply(struct db *db, int *from, int *to, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    bool done = false;
    int applied = 0, start = -1;
    int rc;

    if (!c)
        return -err->code;
    rc = db_migration_sets_count > 64 ? err_code_set(err, ERR_INTERNAL, NULL)
                                      : prepare_tables(c, err);
    while (rc == 0 && !done) {
        rc = step_once(db, c, &applied, &done, err);
        if (start < 0 && rc == 0)
            start = applied - (done ? 0 : 1);
    }
    db_release(c);
    if (from)
        *from = start < 0 ? 0 : start;
    if (to)
        *to = applied;
    return rc;
}

int
migrate_check(struct db *db, struct err *err)
{
    int applied = 0, latest = migrate_latest(db);
    int rc = migrate_current(db, &applied, err);

    if (rc < 0)
        return rc;
    if (applied < latest)
        return err_set(err, ERR_CONFLICT, NULL,
                       "数据库缺少 %d 个结构迁移,请先运行 xiangzhi migrate",
                       "the database lacks %d schema migrations; run 'xiangzhi migrate' first",
                       latest - applied);
    return 0;
}
