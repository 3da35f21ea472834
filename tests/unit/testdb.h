/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/testdb.h -- the database a unit test runs against, chosen by
 * XIANGZHI_TEST_DB: "sqlite" (default; a temporary file) or a postgresql:// URL
 * (a schema of this test process's own, reached through search_path). Criterion
 * runs each test in its own process, so each gets a fresh, isolated database. */
#ifndef TESTS_UNIT_TESTDB_H
#define TESTS_UNIT_TESTDB_H

#include <stddef.h>

/* Make the database for this process; returns its URL (static storage). 'tag'
 * names it ("region", "transfer"). */
const char *testdb_create(const char *tag);
/* Drop the schema or remove the files. */
void testdb_destroy(void);

struct db;
struct db_conn;
/* The usual fixture: every module registered (api_modules_init), the database
 * for 'tag' created and migrated, one connection taken (asserting each step);
 * testdb_close releases all three. */
void testdb_open(const char *tag, struct db **db, struct db_conn **conn);
void testdb_close(struct db *db, struct db_conn *conn);
/* The PostgreSQL server's URL as given (no schema), or "" on SQLite. */
const char *testdb_server(void);
/* 'base' plus libpq connection options (URL-encoded, e.g. "-csynchronous_commit%3Doff"). */
void testdb_url_with_options(char *out, size_t size, const char *base, const char *options);

#endif
