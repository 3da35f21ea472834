/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_db.c -- conformance suite for store/db.h, run once per backend:
 * XIANGZHI_TEST_DB=sqlite (default; a fresh temp file per test) or a postgresql://
 * URL (each test gets its own schema through search_path, so tests running in
 * parallel processes never see each other's tables). */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"
#include "testdb.h"

static const char *test_url; /* what each test opens */

static bool
is_pg(void)
{
    return testdb_server()[0] != '\0';
}

static void
setup(void)
{
    test_url = testdb_create("db");
}

static void
teardown(void)
{
    testdb_destroy();
}

TestSuite(db, .init = setup, .fini = teardown, .timeout = 60);

/* Criterion skips .fini for a skipped test, so clean up here first. */
#define SKIP_UNLESS(cond, why)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            teardown();                                                                            \
            cr_skip_test(why);                                                                     \
        }                                                                                          \
    } while (0)

static struct db *
open_pool(int size)
{
    struct db_options opt = { size, 2000 };
    struct err err = ERR_INIT;
    struct db *db = NULL;

    cr_assert_eq(db_open(test_url, &opt, &db, &err), 0, "db_open: %s", err.en);
    return db;
}

static struct db_conn *
take(struct db *db)
{
    struct err err = ERR_INIT;
    struct db_conn *c = db_acquire(db, &err);

    cr_assert_not_null(c, "db_acquire: %s", err.en);
    return c;
}

static void
must_exec(struct db_conn *c, const char *sql)
{
    struct err err = ERR_INIT;

    cr_assert_eq(db_exec(c, sql, &err), 0, "%s: %s", sql, err.en);
}

/* The one DDL difference the tests need: SQLite vs PostgreSQL spelling. */
static void
create(struct db_conn *c, const char *sqlite_sql, const char *pg_sql)
{
    must_exec(c, is_pg() ? pg_sql : sqlite_sql);
}

static struct db_stmt *
prep(struct db_conn *c, const char *sql)
{
    struct err err = ERR_INIT;
    struct db_stmt *s = NULL;

    cr_assert_eq(db_prepare(c, sql, &s, &err), 0, "prepare %s: %s", sql, err.en);
    return s;
}

/* Step expecting 'want' (1 row, 0 done). */
static void
step_is(struct db_stmt *s, int want)
{
    struct err err = ERR_INIT;
    int rc = db_step(s, &err);

    cr_assert_eq(rc, want, "db_step = %d, want %d (%s)", rc, want, err.en);
}

static int64_t
query_i64(struct db_conn *c, const char *sql)
{
    struct err err = ERR_INIT;
    int64_t v = -12345;

    cr_assert_eq(db_query_i64(c, sql, &v, &err), 0, "%s: %s", sql, err.en);
    return v;
}

Test(db, open_close)
{
    struct db *db = open_pool(2);
    struct db_conn *c = take(db);

    cr_assert_str_eq(db_backend(db), is_pg() ? "pg" : "sqlite");
    cr_assert_eq(query_i64(c, "SELECT 40 + 2"), 42);
    cr_assert_not(db_in_txn(c));
    cr_assert_not(db_conn_broken(c));
    db_release(c);
    db_close(db);
    db_close(NULL);
    db_release(NULL);
}

static void
open_fails(const char *url, int code)
{
    struct err err = ERR_INIT;
    struct db *db = (struct db *)&err; /* must stay untouched on failure */

    cr_assert_eq(db_open(url, NULL, &db, &err), -code, "%s: got %d (%s)", url, err.code, err.en);
    cr_assert_eq(err.code, code);
    cr_assert_neq(err.en[0], '\0');
    cr_assert_neq(err.zh[0], '\0');
    cr_assert_eq((void *)db, (void *)&err);
}

Test(db, bad_url_rejected)
{
    open_fails("mysql://localhost/x", ERR_INVALID);
    open_fails("sqlite:", ERR_INVALID);
    open_fails("", ERR_INVALID);
    open_fails("sqlite:/nonexistent-dir/sub/x.db", ERR_UNAVAILABLE);
    /* Port 1 on loopback: nothing listens, the connection is refused at once. */
    open_fails("postgresql://nobody@127.0.0.1:1/x?connect_timeout=5", ERR_UNAVAILABLE);
}

Test(db, integer_round_trip)
{
    static const int64_t vals[] = { INT64_MIN, -1, 0, 1, 4294967296LL, INT64_MAX };
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE ints (v BIGINT)");
    for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
        s = prep(c, "INSERT INTO ints (v) VALUES (?)");
        db_bind_i64(s, 1, vals[i]);
        step_is(s, 0);
        db_reset(s);
    }
    s = prep(c, "SELECT v FROM ints ORDER BY v");
    for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
        step_is(s, 1);
        cr_assert_eq(db_col_i64(s, 0), vals[i], "row %zu", i);
        cr_assert_not(db_col_is_null(s, 0));
    }
    step_is(s, 0);
    db_reset(s);
    cr_assert_eq(query_i64(c, "SELECT MIN(v) FROM ints"), INT64_MIN);
    db_release(c);
    db_close(db);
}

Test(db, double_round_trip)
{
    static const double vals[] = { -2.5e300, -0.1, 0.0, 1e-300, 0.1, 3.141592653589793 };
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE dbls (k INTEGER, v DOUBLE PRECISION)");
    for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
        s = prep(c, "INSERT INTO dbls (k, v) VALUES (?, ?)");
        db_bind_i64(s, 1, (int64_t)i);
        db_bind_double(s, 2, vals[i]);
        step_is(s, 0);
        db_reset(s);
    }
    s = prep(c, "SELECT v FROM dbls ORDER BY k");
    for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
        step_is(s, 1);
        cr_assert_eq(db_col_double(s, 0), vals[i], "row %zu: %.17g", i, db_col_double(s, 0));
    }
    step_is(s, 0);
    db_reset(s);
    db_release(c);
    db_close(db);
}

/* Insert 'k' -> text (NULL for SQL NULL), then read it back. */
static void
put_text(struct db_conn *c, int64_t k, const char *text)
{
    struct db_stmt *s = prep(c, "INSERT INTO texts (k, v) VALUES (?, ?)");

    db_bind_i64(s, 1, k);
    db_bind_text(s, 2, text, (size_t)-1);
    step_is(s, 0);
    db_reset(s);
}

static void
text_is(struct db_conn *c, int64_t k, const char *want)
{
    struct db_stmt *s = prep(c, "SELECT v FROM texts WHERE k = ?");
    const char *got;
    size_t len = 999;

    db_bind_i64(s, 1, k);
    step_is(s, 1);
    got = db_col_text(s, 0, &len);
    cr_assert_not_null(got, "db_col_text must never return NULL");
    cr_assert_eq(db_col_is_null(s, 0), want == NULL, "row %" PRId64, k);
    cr_assert_str_eq(got, want ? want : "");
    cr_assert_eq(len, want ? strlen(want) : 0, "row %" PRId64 " len %zu", k, len);
    step_is(s, 0);
    db_reset(s);
}

Test(db, text_utf8_empty_null)
{
    static const char *vals[] = { "乡治 village", "😀🌾 four-byte", "", NULL, "it's \"quoted\" \\" };
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE texts (k INTEGER PRIMARY KEY, v TEXT)");
    for (size_t i = 0; i < ARRAY_LEN(vals); i++)
        put_text(c, (int64_t)i, vals[i]);
    for (size_t i = 0; i < ARRAY_LEN(vals); i++)
        text_is(c, (int64_t)i, vals[i]);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM texts WHERE v IS NULL"), 1);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM texts WHERE v = ''"), 1);
    /* An explicit length takes a prefix; "乡" is three bytes. */
    s = prep(c, "INSERT INTO texts (k, v) VALUES (99, ?)");
    db_bind_text(s, 1, "乡治", 3);
    step_is(s, 0);
    db_reset(s);
    text_is(c, 99, "乡");
    db_release(c);
    db_close(db);
}

Test(db, blobs_with_nul_bytes)
{
    static const unsigned char bytes[] = { 0, 1, 0, 0xff, '\\', 'x', 0x7f, 0x80, 0 };
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;
    const void *a, *b;
    size_t alen = 99, blen = 99;

    create(c, "CREATE TABLE blobs (k INTEGER, a BLOB, b BLOB)",
           "CREATE TABLE blobs (k INTEGER, a BYTEA, b BYTEA)");
    s = prep(c, "INSERT INTO blobs (k, a, b) VALUES (?, ?, ?)");
    db_bind_i64(s, 1, 1);
    db_bind_blob(s, 2, bytes, sizeof(bytes));
    db_bind_blob(s, 3, bytes + 3, 2);
    step_is(s, 0);
    db_reset(s);
    s = prep(c, "INSERT INTO blobs (k, a, b) VALUES (?, ?, ?)");
    db_bind_i64(s, 1, 2);
    db_bind_blob(s, 2, "", 0);
    db_bind_null(s, 3);
    step_is(s, 0);
    db_reset(s);
    s = prep(c, "SELECT a, b FROM blobs ORDER BY k");
    step_is(s, 1);
    a = db_col_blob(s, 0, &alen);
    b = db_col_blob(s, 1, &blen); /* both stay valid until the next step */
    cr_assert_eq(alen, sizeof(bytes));
    cr_assert_eq(memcmp(a, bytes, sizeof(bytes)), 0);
    cr_assert_eq(blen, 2);
    cr_assert_eq(memcmp(b, bytes + 3, 2), 0);
    cr_assert_eq(memcmp(db_col_blob(s, 0, NULL), bytes, sizeof(bytes)), 0);
    step_is(s, 1);
    cr_assert_not(db_col_is_null(s, 0), "an empty blob is not NULL");
    db_col_blob(s, 0, &alen);
    cr_assert_eq(alen, 0);
    cr_assert(db_col_is_null(s, 1));
    cr_assert_not_null(db_col_blob(s, 1, &blen));
    cr_assert_eq(blen, 0);
    step_is(s, 0);
    db_reset(s);
    db_release(c);
    db_close(db);
}

Test(db, nulls)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE n (a BIGINT, b TEXT, c DOUBLE PRECISION)");
    s = prep(c, "INSERT INTO n (a, b, c) VALUES (?, ?, ?)");
    db_bind_null(s, 1);
    db_bind_text(s, 2, NULL, 0);
    db_bind_null(s, 3);
    step_is(s, 0);
    db_reset(s);
    s = prep(c, "SELECT a, b, c FROM n");
    step_is(s, 1);
    cr_assert_eq(db_col_count(s), 3);
    for (int i = 0; i < 3; i++)
        cr_assert(db_col_is_null(s, i), "column %d", i);
    cr_assert_eq(db_col_i64(s, 0), 0);
    cr_assert_str_eq(db_col_text(s, 1, NULL), "");
    cr_assert_eq(db_col_double(s, 2), 0.0);
    step_is(s, 0);
    db_reset(s);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM n WHERE a IS NULL AND b IS NULL"), 1);
    db_release(c);
    db_close(db);
}

Test(db, multiple_rows)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;
    int64_t n = 0;

    must_exec(c, "CREATE TABLE m (k BIGINT, v TEXT)");
    must_exec(c, "BEGIN");
    for (int64_t i = 0; i < 200; i++) {
        s = prep(c, "INSERT INTO m (k, v) VALUES (?, ?)");
        db_bind_i64(s, 1, i);
        db_bind_text(s, 2, i % 2 ? "odd" : "even", (size_t)-1);
        step_is(s, 0);
        db_reset(s);
    }
    must_exec(c, "COMMIT");
    s = prep(c, "SELECT k, v FROM m WHERE k >= ? ORDER BY k");
    db_bind_i64(s, 1, 50);
    while (db_step(s, NULL) == 1) {
        cr_assert_eq(db_col_i64(s, 0), 50 + n);
        cr_assert_str_eq(db_col_text(s, 1, NULL), (50 + n) % 2 ? "odd" : "even");
        n++;
    }
    cr_assert_eq(n, 150);
    db_reset(s);
    db_release(c);
    db_close(db);
}

Test(db, question_mark_in_literals)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE q (a TEXT, \"b?\" TEXT, c TEXT)");
    s = prep(c, "INSERT INTO q (a, \"b?\", c) /* ? */ VALUES ('it''s ?', ? , -- ?\n ?)");
    db_bind_text(s, 1, "one", (size_t)-1);
    db_bind_text(s, 2, "two?", (size_t)-1);
    step_is(s, 0);
    db_reset(s);
    s = prep(c, "SELECT a, \"b?\", c FROM q WHERE a <> '?' AND c = ?");
    db_bind_text(s, 1, "two?", (size_t)-1);
    step_is(s, 1);
    cr_assert_str_eq(db_col_text(s, 0, NULL), "it's ?");
    cr_assert_str_eq(db_col_text(s, 1, NULL), "one");
    cr_assert_str_eq(db_col_text(s, 2, NULL), "two?");
    step_is(s, 0);
    db_reset(s);
    db_release(c);
    db_close(db);
}

static int64_t
insert_returning(struct db_conn *c, const char *name)
{
    struct db_stmt *s = prep(c, "INSERT INTO r (name) VALUES (?) RETURNING id");
    int64_t id;

    db_bind_text(s, 1, name, (size_t)-1);
    step_is(s, 1);
    id = db_col_i64(s, 0);
    step_is(s, 0);
    db_reset(s);
    return id;
}

Test(db, returning_id)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    int64_t a, b;

    create(c, "CREATE TABLE r (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)",
           "CREATE TABLE r (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)");
    a = insert_returning(c, "first");
    b = insert_returning(c, "second");
    cr_assert_gt(a, 0);
    cr_assert_gt(b, a);
    cr_assert_eq(query_i64(c, "SELECT MAX(id) FROM r"), b);
    db_release(c);
    db_close(db);
}

static void
insert_k(struct db_conn *c, int64_t k)
{
    struct db_stmt *s = prep(c, "INSERT INTO tx (k) VALUES (?)");

    db_bind_i64(s, 1, k);
    step_is(s, 0);
    db_reset(s);
}

Test(db, transactions_commit_and_rollback)
{
    struct db *db = open_pool(2);
    struct db_conn *a = take(db), *b = take(db);
    struct err err = ERR_INIT;

    must_exec(a, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    cr_assert_eq(db_begin(a, &err), 0, "%s", err.en);
    cr_assert(db_in_txn(a));
    cr_assert_eq(db_begin(a, &err), -ERR_INTERNAL, "nested begin refused");
    insert_k(a, 1);
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 0, "uncommitted work is invisible");
    cr_assert_eq(db_commit(a, &err), 0, "%s", err.en);
    cr_assert_not(db_in_txn(a));
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 1, "committed work is visible");
    cr_assert_eq(db_begin(a, &err), 0, "%s", err.en);
    insert_k(a, 2);
    db_rollback(a);
    cr_assert_not(db_in_txn(a));
    db_rollback(a); /* none open: a no-op */
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 1, "rolled back work is gone");
    cr_assert_eq(query_i64(a, "SELECT COUNT(*) FROM tx"), 1);
    cr_assert_eq(db_commit(a, &err), -ERR_INTERNAL, "commit without a transaction");
    /* Releasing a connection rolls back its open transaction. */
    cr_assert_eq(db_begin(a, &err), 0, "%s", err.en);
    insert_k(a, 3);
    db_release(a);
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 1);
    db_release(b);
    db_close(db);
}

/* A read snapshot sees one committed state from its first statement to its end,
 * and refuses writes on PostgreSQL (READ ONLY). */
Test(db, read_snapshot)
{
    struct db *db = open_pool(2);
    struct db_conn *a = take(db), *b = take(db);
    struct err err = ERR_INIT;

    must_exec(a, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    insert_k(a, 1);
    cr_assert_eq(db_begin_read(b, &err), 0, "%s", err.en);
    cr_assert(db_in_txn(b));
    cr_assert_eq(db_begin_read(b, &err), -ERR_INTERNAL, "nested snapshot refused");
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 1);
    insert_k(a, 2); /* committed meanwhile */
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 1, "the snapshot does not move");
    if (is_pg()) {
        cr_assert_lt(db_run(b, &err, "INSERT INTO tx (k) VALUES (3)", ""), 0,
                     "a write inside a read snapshot must fail");
    }
    db_end_read(b);
    cr_assert_not(db_in_txn(b));
    db_end_read(b); /* none open: a no-op */
    cr_assert_eq(query_i64(b, "SELECT COUNT(*) FROM tx"), 2, "a new statement sees the commit");
    db_release(a);
    db_release(b);
    db_close(db);
}

/* db_changes counts the rows of the latest change, with no RETURNING needed. */
Test(db, changes_counts_rows)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;

    must_exec(c, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    insert_k(c, 1);
    insert_k(c, 2);
    insert_k(c, 3);
    cr_assert_eq(db_run(c, &err, "UPDATE tx SET k = k + 10 WHERE k >= ?", "i", (int64_t)2), 0, "%s",
                 err.en);
    cr_assert_eq(db_changes(c), 2);
    cr_assert_eq(db_run(c, &err, "UPDATE tx SET k = 0 WHERE k = ?", "i", (int64_t)99), 0);
    cr_assert_eq(db_changes(c), 0);
    cr_assert_eq(db_run(c, &err, "DELETE FROM tx WHERE k = ?", "i", (int64_t)1), 0);
    cr_assert_eq(db_changes(c), 1);
    db_release(c);
    db_close(db);
}

Test(db, savepoints)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;

    must_exec(c, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    cr_assert_eq(db_savepoint(c, "sp", &err), -ERR_INTERNAL, "needs a transaction");
    cr_assert_eq(db_begin(c, &err), 0, "%s", err.en);
    cr_assert_eq(db_savepoint(c, "bad name; DROP TABLE tx", &err), -ERR_INTERNAL);
    insert_k(c, 1);
    cr_assert_eq(db_savepoint(c, "sp_one", &err), 0, "%s", err.en);
    insert_k(c, 2);
    cr_assert_eq(db_savepoint_rollback(c, "sp_one", &err), 0, "%s", err.en);
    insert_k(c, 3);
    cr_assert_eq(db_savepoint_release(c, "sp_one", &err), 0, "%s", err.en);
    cr_assert_eq(db_commit(c, &err), 0, "%s", err.en);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM tx"), 2);
    cr_assert_eq(query_i64(c, "SELECT SUM(k) FROM tx"), 4, "rows 1 and 3 remain");
    db_release(c);
    db_close(db);
}

/* The portable way to survive a failed statement inside a transaction. */
Test(db, savepoint_recovers_failed_statement)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;
    struct db_stmt *s;

    must_exec(c, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    cr_assert_eq(db_begin(c, &err), 0, "%s", err.en);
    insert_k(c, 1);
    cr_assert_eq(db_savepoint(c, "try_insert", &err), 0, "%s", err.en);
    s = prep(c, "INSERT INTO tx (k) VALUES (?)");
    db_bind_i64(s, 1, 1);
    cr_assert_eq(db_step(s, &err), -ERR_DUPLICATE);
    db_reset(s);
    cr_assert_eq(db_savepoint_rollback(c, "try_insert", &err), 0, "%s", err.en);
    insert_k(c, 2);
    cr_assert_eq(db_commit(c, &err), 0, "%s", err.en);
    cr_assert_eq(query_i64(c, "SELECT SUM(k) FROM tx"), 3);
    db_release(c);
    db_close(db);
}

/* Run 'sql' with integer parameters; returns db_step's result. */
static int
try_insert(struct db_conn *c, const char *sql, int64_t a, int64_t b, struct err *err)
{
    struct db_stmt *s = prep(c, sql);
    int rc;

    db_bind_i64(s, 1, a);
    db_bind_i64(s, 2, b);
    rc = db_step(s, err);
    db_reset(s);
    return rc;
}

static void
insert_fails(struct db_conn *c, const char *sql, int64_t a, int64_t b, int code)
{
    struct err err = ERR_INIT;
    int rc = try_insert(c, sql, a, b, &err);

    cr_assert_eq(rc, -code, "%s (%" PRId64 ", %" PRId64 "): got %d, want %d (%s)", sql, a, b, rc,
                 -code, err.en);
    cr_assert_eq(err.code, code);
    cr_assert_neq(err.en[0], '\0');
    cr_assert_neq(err.zh[0], '\0');
}

Test(db, constraint_errors)
{
    static const char ins_parent[] = "INSERT INTO parent (id, qty) VALUES (?, ?)";
    static const char ins_child[] = "INSERT INTO child (id, parent_id) VALUES (?, ?)";
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;
    struct db_stmt *s;

    must_exec(c,
              "CREATE TABLE parent (id BIGINT PRIMARY KEY, qty BIGINT NOT NULL CHECK (qty >= 0))");
    must_exec(c, "CREATE TABLE child (id BIGINT PRIMARY KEY,"
                 " parent_id BIGINT NOT NULL REFERENCES parent (id))");
    cr_assert_eq(try_insert(c, ins_parent, 1, 5, &err), 0, "%s", err.en);
    insert_fails(c, ins_parent, 1, 6, ERR_DUPLICATE);
    insert_fails(c, ins_parent, 2, -1, ERR_CONSTRAINT);
    insert_fails(c, ins_child, 1, 42, ERR_REFERENCE);
    cr_assert_eq(try_insert(c, ins_child, 1, 1, &err), 0, "%s", err.en);
    insert_fails(c, ins_child, 1, 1, ERR_DUPLICATE);
    s = prep(c, ins_parent);
    db_bind_i64(s, 1, 3);
    db_bind_null(s, 2);
    cr_assert_eq(db_step(s, &err), -ERR_CONSTRAINT, "NOT NULL: %s", err.en);
    db_reset(s);
    insert_fails(c, "DELETE FROM parent WHERE id = ? OR id = ?", 1, 1, ERR_REFERENCE);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM parent"), 1, "the connection still works");
    db_release(c);
    db_close(db);
}

Test(db, bad_binding_reported)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;
    struct db_stmt *s;

    s = prep(c, "SELECT ? + 1");
    db_bind_i64(s, 2, 1); /* only one parameter */
    cr_assert_eq(db_step(s, &err), -ERR_INTERNAL);
    db_reset(s);
    db_bind_i64(s, 0, 1);
    cr_assert_eq(db_step(s, &err), -ERR_INTERNAL);
    db_reset(s);
    db_bind_i64(s, 1, 41);
    step_is(s, 1);
    cr_assert_eq(db_col_i64(s, 0), 42, "reset clears the bind error");
    db_reset(s);
    db_release(c);
    db_close(db);
}

Test(db, statement_cache_reuse)
{
    static const char sql[] = "SELECT ? * 2";
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct db_stmt *s1, *s2, *s3;
    char copy[sizeof(sql)];

    s1 = prep(c, sql);
    db_bind_i64(s1, 1, 21);
    step_is(s1, 1);
    cr_assert_eq(db_col_i64(s1, 0), 42);
    db_reset(s1);
    s2 = prep(c, sql);
    cr_assert_eq(s1, s2, "the same SQL gives the cached statement");
    memcpy(copy, sql, sizeof(sql));
    s3 = prep(c, copy);
    cr_assert_eq(s1, s3, "the cache is keyed by the text, not the pointer");
    db_bind_i64(s2, 1, 50);
    step_is(s2, 1);
    cr_assert_eq(db_col_i64(s2, 0), 100);
    step_is(s2, 0);
    db_reset(s2);
    cr_assert_neq(prep(c, "SELECT ? * 3"), s1);
    db_reset(prep(c, "SELECT ? * 3"));
    db_release(c);
    db_close(db);
}

Test(db, query_i64_not_found)
{
    struct db *db = open_pool(1);
    struct db_conn *c = take(db);
    struct err err = ERR_INIT;
    int64_t v = 7;

    must_exec(c, "CREATE TABLE empty_t (v BIGINT)");
    cr_assert_eq(db_query_i64(c, "SELECT v FROM empty_t", &v, &err), -ERR_NOT_FOUND);
    cr_assert_eq(err.code, ERR_NOT_FOUND);
    cr_assert_eq(v, 7, "*out untouched");
    err_clear(&err);
    cr_assert_eq(db_query_i64(c, "SELECT no_such_column FROM empty_t", &v, &err), -ERR_DB);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM empty_t"), 0);
    db_release(c);
    db_close(db);
}

Test(db, lock_wait_times_out_busy)
{
    struct db_options opt = { 2, 100 };
    struct err err = ERR_INIT;
    struct db *db = NULL;
    struct db_conn *a, *b;
    int rc;

    cr_assert_eq(db_open(test_url, &opt, &db, &err), 0, "%s", err.en);
    a = take(db);
    b = take(db);
    must_exec(a, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    insert_k(a, 1);
    cr_assert_eq(db_begin(a, &err), 0, "%s", err.en);
    must_exec(a, "UPDATE tx SET k = 2 WHERE k = 1");
    /* SQLite refuses the second writer at BEGIN IMMEDIATE, PostgreSQL at the row lock. */
    rc = db_begin(b, &err);
    if (rc == 0)
        rc = db_exec(b, "UPDATE tx SET k = 3 WHERE k = 1", &err);
    cr_assert_eq(rc, -ERR_BUSY, "got %d (%s)", rc, err.en);
    db_rollback(b);
    cr_assert_eq(db_commit(a, &err), 0, "%s", err.en);
    cr_assert_eq(query_i64(b, "SELECT k FROM tx"), 2);
    db_release(a);
    db_release(b);
    db_close(db);
}

struct waiter {
    struct db *db;
    struct db_conn *got;
    atomic_bool done;
};

static void *
acquire_thread(void *arg)
{
    struct waiter *w = arg;
    struct err err = ERR_INIT;

    w->got = db_acquire(w->db, &err);
    if (w->got && db_query_i64(w->got, "SELECT 1", &(int64_t){ 0 }, &err) < 0) {
        db_release(w->got);
        w->got = NULL;
    }
    atomic_store(&w->done, true);
    return NULL;
}

static void
sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

Test(db, pool_blocks_when_full)
{
    enum { POOL = 3 };
    struct db *db = open_pool(POOL);
    struct waiter w[POOL + 1];
    pthread_t t[POOL + 1];

    for (int i = 0; i <= POOL; i++) {
        w[i].db = db;
        w[i].got = NULL;
        atomic_init(&w[i].done, false);
    }
    for (int i = 0; i < POOL; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, acquire_thread, &w[i]), 0);
    for (int i = 0; i < POOL; i++) {
        pthread_join(t[i], NULL);
        cr_assert_not_null(w[i].got, "thread %d got a connection", i);
        for (int j = 0; j < i; j++)
            cr_assert_neq(w[i].got, w[j].got, "connections are not shared");
    }
    cr_assert_eq(pthread_create(&t[POOL], NULL, acquire_thread, &w[POOL]), 0);
    sleep_ms(300);
    cr_assert_not(atomic_load(&w[POOL].done), "a full pool makes the caller wait");
    db_release(w[1].got);
    pthread_join(t[POOL], NULL);
    cr_assert_eq(w[POOL].got, w[1].got, "the waiter gets the released connection");
    db_release(w[0].got);
    db_release(w[2].got);
    db_release(w[POOL].got);
    db_close(db);
}

Test(db, migrations)
{
    struct db *db = open_pool(2);
    struct err err = ERR_INIT;
    struct db_conn *c;
    int from = -1, to = -1, cur = -1, latest = migrate_latest(db);

    cr_assert_gt(latest, 0);
    cr_assert_eq(migrate_current(db, &cur, &err), 0, "%s", err.en);
    cr_assert_eq(cur, 0, "an empty database is at version 0");
    cr_assert_eq(migrate_check(db, &err), -ERR_CONFLICT, "behind: tells to migrate");
    cr_assert_eq(migrate_apply(db, &from, &to, &err), 0, "%s", err.en);
    cr_assert_eq(from, 0);
    cr_assert_eq(to, latest);
    cr_assert_eq(migrate_apply(db, &from, &to, &err), 0, "%s", err.en);
    cr_assert_eq(from, latest, "second apply is a no-op");
    cr_assert_eq(to, latest);
    cr_assert_eq(migrate_check(db, &err), 0, "%s", err.en);
    c = take(db);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM xz_migrations"), latest);
    cr_assert_eq(try_insert(c,
                            "INSERT INTO xz_migrations (module, version, name, applied_at)"
                            " VALUES ('core', ?, 'future', ?)",
                            latest + 1, 0, &err),
                 0, "%s", err.en);
    db_release(c);
    err_clear(&err);
    cr_assert_eq(migrate_check(db, &err), -ERR_SCHEMA_NEWER);
    cr_assert_eq(err.code, ERR_SCHEMA_NEWER);
    err_clear(&err);
    cr_assert_eq(migrate_apply(db, NULL, NULL, &err), -ERR_SCHEMA_NEWER);
    cr_assert_eq(err.code, ERR_SCHEMA_NEWER);
    db_close(db);
}

/* A database of the one sequence before modules (xz_schema 1..13) is carried
 * over: nothing applied twice, each old version under its module's number. */
Test(db, migrations_carry_the_old_sequence_over)
{
    struct db *db = open_pool(2);
    struct err err = ERR_INIT;
    struct db_conn *c;
    int from = -1, to = -1;

    /* What a binary of the old sequence made: core's 1-8 and points' 1-5
     * (the same files), numbered 1-13 in xz_schema. */
    c = take(db);
    cr_assert_eq(db_exec(c,
                         "CREATE TABLE xz_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " applied_at BIGINT NOT NULL)",
                         &err),
                 0, "%s", err.en);
    for (int v = 1; v <= 13; v++) {
        const struct db_migration_set *set = &db_migration_sets[v <= 8 ? 0 : 1];
        int i = v <= 8 ? v - 1 : v - 9;

        cr_assert_str_eq(set->module, v <= 8 ? "core" : "points");
        cr_assert_eq(
            db_exec(c, strcmp(db_backend(db), "pg") == 0 ? set->pg[i].sql : set->sqlite[i].sql,
                    &err),
            0, "%s", err.en);
        cr_assert_eq(try_insert(c,
                                "INSERT INTO xz_schema (version, name, applied_at)"
                                " VALUES (?, 'old', ?)",
                                v, 1000 + v, &err),
                     0, "%s", err.en);
    }
    db_release(c);
    cr_assert_eq(migrate_apply(db, &from, &to, &err), 0, "%s", err.en);
    cr_assert_eq(from, 13, "the old versions count as applied");
    cr_assert_eq(to, migrate_latest(db));
    c = take(db);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM xz_migrations WHERE module = 'core'"
                              " AND version BETWEEN 1 AND 8 AND applied_at BETWEEN 1001 AND 1008"),
                 8);
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM xz_migrations WHERE module = 'points'"
                              " AND version BETWEEN 1 AND 5 AND applied_at BETWEEN 1009 AND 1013"),
                 5);
    db_release(c);
    cr_assert_eq(migrate_check(db, &err), 0, "%s", err.en);
    db_close(db);
}

static void
pragma_is(struct db_conn *c, const char *sql, const char *want)
{
    struct db_stmt *s = prep(c, sql);

    step_is(s, 1);
    cr_assert_str_eq(db_col_text(s, 0, NULL), want, "%s", sql);
    db_reset(s);
}

Test(db, sqlite_durability_pragmas)
{
    struct db *db;
    struct db_conn *a, *b;

    SKIP_UNLESS(!is_pg(), "SQLite only");
    db = open_pool(2);
    a = take(db);
    b = take(db); /* every pooled connection, not just the first */
    pragma_is(a, "PRAGMA journal_mode", "wal");
    pragma_is(b, "PRAGMA journal_mode", "wal");
    cr_assert_eq(query_i64(a, "PRAGMA synchronous"), 2, "FULL");
    cr_assert_eq(query_i64(b, "PRAGMA synchronous"), 2, "FULL");
    cr_assert_eq(query_i64(a, "PRAGMA foreign_keys"), 1);
    cr_assert_eq(query_i64(b, "PRAGMA foreign_keys"), 1);
    cr_assert_geq(query_i64(a, "PRAGMA busy_timeout"), 2000);
    db_release(a);
    db_release(b);
    db_close(db);
}

Test(db, pg_session_settings)
{
    struct db *db;
    struct db_conn *c;

    SKIP_UNLESS(is_pg(), "PostgreSQL only");
    db = open_pool(1);
    c = take(db);
    pragma_is(c, "SHOW lock_timeout", "2s");
    pragma_is(c, "SHOW client_encoding", "UTF8");
    pragma_is(c, "SHOW TimeZone", "UTC");
    pragma_is(c, "SHOW fsync", "on");
    db_release(c);
    db_close(db);
}

Test(db, pg_refuses_synchronous_commit_off)
{
    struct err err = ERR_INIT;
    struct db *db = NULL;
    char url[1400];

    SKIP_UNLESS(is_pg(), "PostgreSQL only");
    testdb_url_with_options(url, sizeof(url), testdb_server(), "-csynchronous_commit%3Doff");
    cr_assert_eq(db_open(url, NULL, &db, &err), -ERR_UNSAFE_CONFIG, "%s", err.en);
    cr_assert_not_null(strstr(err.en, "synchronous_commit"), "%s", err.en);
    cr_assert_not_null(strstr(err.zh, "synchronous_commit"), "%s", err.zh);
    testdb_url_with_options(url, sizeof(url), testdb_server(), "-csynchronous_commit%3Dlocal");
    cr_assert_eq(db_open(url, NULL, &db, &err), 0, "'local' is accepted: %s", err.en);
    db_close(db);
}

/* A failed statement aborts a PostgreSQL transaction; COMMIT must not pretend. */
Test(db, pg_commit_after_error_fails)
{
    struct db *db;
    struct db_conn *c;
    struct err err = ERR_INIT;

    SKIP_UNLESS(is_pg(), "PostgreSQL only");
    db = open_pool(1);
    c = take(db);
    must_exec(c, "CREATE TABLE tx (k BIGINT PRIMARY KEY)");
    cr_assert_eq(db_begin(c, &err), 0, "%s", err.en);
    insert_k(c, 1);
    cr_assert_eq(db_exec(c, "INSERT INTO tx (k) VALUES (1)", &err), -ERR_DUPLICATE);
    cr_assert_lt(db_commit(c, &err), 0, "commit of an aborted transaction fails");
    cr_assert_not(db_in_txn(c));
    cr_assert_eq(query_i64(c, "SELECT COUNT(*) FROM tx"), 0);
    db_release(c);
    db_close(db);
}

Test(db, pg_lost_connection_is_broken)
{
    struct db *db;
    struct db_conn *c;
    struct err err = ERR_INIT;
    int64_t v;

    SKIP_UNLESS(is_pg(), "PostgreSQL only");
    db = open_pool(1);
    c = take(db);
    cr_assert_eq(db_query_i64(c, "SELECT pg_terminate_backend(pg_backend_pid())::int", &v, &err),
                 -ERR_UNAVAILABLE, "got %d (%s)", err.code, err.en);
    cr_assert(db_conn_broken(c));
    db_release(c); /* closes it and frees its pool slot */
    c = take(db);
    cr_assert_not(db_conn_broken(c));
    cr_assert_eq(query_i64(c, "SELECT 7"), 7);
    db_release(c);
    db_close(db);
}
