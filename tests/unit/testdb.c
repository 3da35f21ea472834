/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/testdb.c -- see testdb.h. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "api/module.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testdb.h"

static char base_url[1024]; /* the server, for PostgreSQL; "" for SQLite */
static char test_url[1200];
static char sqlite_path[64];
static char schema[32];

static void
exec_on(const char *url, const char *sql)
{
    struct err err = ERR_INIT;
    struct db *d = NULL;
    struct db_conn *c;

    cr_assert_eq(db_open(url, NULL, &d, &err), 0, "open %s: %s", url, err.en);
    c = db_acquire(d, &err);
    cr_assert_not_null(c, "%s", err.en);
    cr_assert_eq(db_exec(c, sql, &err), 0, "%s: %s", sql, err.en);
    db_release(c);
    db_close(d);
}

const char *
testdb_server(void)
{
    return base_url;
}

void
testdb_url_with_options(char *out, size_t size, const char *base, const char *options)
{
    snprintf(out, size, "%s%soptions=%s", base, strchr(base, '?') ? "&" : "?", options);
}

const char *
testdb_create(const char *tag)
{
    const char *env = getenv("XIANGZHI_TEST_DB");
    char sql[160];
    int fd;

    if (env && (strncmp(env, "postgresql://", 13) == 0 || strncmp(env, "postgres://", 11) == 0)) {
        snprintf(base_url, sizeof(base_url), "%s", env);
        snprintf(schema, sizeof(schema), "xz_%.8s_%ld", tag, (long)getpid());
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
                 schema);
        exec_on(base_url, sql);
        snprintf(sql, sizeof(sql), "-csearch_path%%3D%s", schema);
        testdb_url_with_options(test_url, sizeof(test_url), base_url, sql);
        return test_url;
    }
    cr_assert(!env || strcmp(env, "sqlite") == 0, "XIANGZHI_TEST_DB: sqlite or a URL");
    snprintf(sqlite_path, sizeof(sqlite_path), "/tmp/xz_test_%.8s_XXXXXX", tag);
    fd = mkstemp(sqlite_path);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(test_url, sizeof(test_url), "sqlite:%s", sqlite_path);
    return test_url;
}

void
testdb_destroy(void)
{
    char path[96], sql[96];

    if (base_url[0]) {
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", schema);
        exec_on(base_url, sql);
        return;
    }
    unlink(sqlite_path);
    snprintf(path, sizeof(path), "%s-wal", sqlite_path);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", sqlite_path);
    unlink(path);
}

void
testdb_open(const char *tag, struct db **db, struct db_conn **conn)
{
    struct err err = ERR_INIT;

    api_modules_init(NULL); /* every module's permissions, as 'serve' has them */
    cr_assert_eq(db_open(testdb_create(tag), NULL, db, &err), 0, "db_open: %s", err.en);
    cr_assert_eq(migrate_apply(*db, NULL, NULL, &err), 0, "migrate: %s", err.en);
    *conn = db_acquire(*db, &err);
    cr_assert_not_null(*conn, "%s", err.en);
}

void
testdb_close(struct db *db, struct db_conn *conn)
{
    db_release(conn);
    db_close(db);
    testdb_destroy();
}
