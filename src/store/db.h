/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/db.h -- the one database interface every module uses (DESIGN.md §4).
 * SQL is written once in a portable dialect with '?' placeholders; the PostgreSQL
 * backend rewrites them to $n. A 'struct db' is a pool of connections; a thread
 * takes a connection with db_acquire, uses it alone, and gives it back. Statements
 * are prepared once per connection and cached by their SQL text.
 *
 * Portable dialect: BIGINT/INTEGER, TEXT, BLOB (bytea on PostgreSQL), booleans as
 * integers 0/1, times as epoch milliseconds, 'INSERT ... RETURNING id' for new
 * keys, no backend-specific functions in module SQL. Columns are 0-based,
 * parameters 1-based, as in SQLite. */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct db;
struct db_conn;
struct db_stmt;

struct db_options {
    int pool_size;       /* most connections open at once; >= 1 */
    int busy_timeout_ms; /* SQLite lock wait; PostgreSQL lock_timeout */
};

#define DB_OPTIONS_DEFAULT                                                                         \
    {                                                                                              \
        8, 5000                                                                                    \
    }

/* Open 'url' ("sqlite:PATH", "postgresql://..." or "postgres://...") and check
 * that one connection can be made with safe durability settings; refuses with
 * ERR_UNSAFE_CONFIG otherwise. On success *out owns the pool: db_close it. */
int db_open(const char *url, const struct db_options *opt, struct db **out, struct err *err);
void db_close(struct db *db); /* every connection must have been released; NULL ok */
/* "sqlite" or "pg". */
const char *db_backend(const struct db *db);

/* Take a connection, opening one if the pool has room, else waiting for one.
 * NULL with 'err' set when a connection cannot be made. Thread-safe. */
struct db_conn *db_acquire(struct db *db, struct err *err);
/* Give 'c' back. An open transaction is rolled back first; a broken connection
 * (the server went away) is closed instead of pooled. NULL ok. */
void db_release(struct db_conn *c);
/* True when the backend saw the connection fail; db_release will close it. */
bool db_conn_broken(const struct db_conn *c);

/* Run SQL text without parameters; may hold several statements (migrations). */
int db_exec(struct db_conn *c, const char *sql, struct err *err);

/* Transactions. db_begin takes the write lock at once on SQLite (BEGIN IMMEDIATE),
 * so a transaction never fails half-way for a lock upgrade. db_commit consumes
 * the transaction whether or not it succeeds. db_rollback is safe when none is open. */
int db_begin(struct db_conn *c, struct err *err);
int db_commit(struct db_conn *c, struct err *err);
void db_rollback(struct db_conn *c);
bool db_in_txn(const struct db_conn *c);

/* A read snapshot: every statement until db_end_read sees the same committed
 * state, and a write inside it fails on PostgreSQL. Both run as cached
 * statements, so a short read pays no parsing. db_end_read ends it (a rollback:
 * nothing was written) and is safe when none is open. */
int db_begin_read(struct db_conn *c, struct err *err);
void db_end_read(struct db_conn *c);

/* Savepoints inside a transaction. 'name' must be a plain identifier. */
int db_savepoint(struct db_conn *c, const char *name, struct err *err);
int db_savepoint_release(struct db_conn *c, const char *name, struct err *err);
int db_savepoint_rollback(struct db_conn *c, const char *name, struct err *err);

/* Prepare (or take from the connection's cache) a statement. The statement is
 * borrowed from 'c' and ready for binding; call db_reset when done with it.
 * 'sql' must stay valid and unchanged while 'c' lives (use string literals). */
int db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err);
/* The same for a statement composed at run time in a buffer that will not
 * last (a table's name put in, a condition per role): found by its text, and
 * the cache keeps a copy of it. */
int db_prepare_built(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err);

/* Binding copies the value. 'text' may be NULL for SQL NULL; len (size_t)-1 = strlen. */
void db_bind_i64(struct db_stmt *s, int idx, int64_t v);
void db_bind_double(struct db_stmt *s, int idx, double v);
void db_bind_text(struct db_stmt *s, int idx, const char *text, size_t len);
void db_bind_blob(struct db_stmt *s, int idx, const void *data, size_t len);
void db_bind_null(struct db_stmt *s, int idx);

/* Advance: 1 = a row is ready, 0 = done, < 0 = -ERR_* with 'err' set. Constraint
 * failures map to ERR_DUPLICATE (unique), ERR_REFERENCE (foreign key) and
 * ERR_CONSTRAINT (check, not null); lock timeouts to ERR_BUSY. */
int db_step(struct db_stmt *s, struct err *err);

/* Column accessors for the current row. Text and blob pointers are borrowed and
 * valid until the next db_step or db_reset. db_col_text never returns NULL ("" for NULL). */
int db_col_count(struct db_stmt *s);
bool db_col_is_null(struct db_stmt *s, int col);
int64_t db_col_i64(struct db_stmt *s, int col);
double db_col_double(struct db_stmt *s, int col);
const char *db_col_text(struct db_stmt *s, int col, size_t *len);
const void *db_col_blob(struct db_stmt *s, int col, size_t *len);
/* Copy a text column into dst[size] (cut to fit, always NUL-terminated; "" for
 * NULL); returns the bytes copied. */
size_t db_col_copy(struct db_stmt *s, int col, char *dst, size_t size);

/* Finish with a statement: clears its bindings and result; it stays cached. NULL ok. */
void db_reset(struct db_stmt *s);

/* One-shot statement: prepare 'sql', bind the arguments described by 'types'
 * ('i' int64_t, 't' const char * -- NULL binds SQL NULL, 'b' const void * then
 * size_t length, 'n' SQL NULL, consuming and ignoring one int64_t so that a
 * nullable integer is written `v ? "i" : "n"` with the same argument list),
 * step once and reset. Returns 1 when the statement produced a row (e.g.
 * UPDATE ... RETURNING matched), 0 when not, < 0 on error. */
int db_run(struct db_conn *c, struct err *err, const char *sql, const char *types, ...);

/* Is a transaction open on 'c' (db_begin, not yet committed or rolled back)? */
bool db_in_transaction(const struct db_conn *c);

/* Rows changed by the latest INSERT, UPDATE or DELETE run on 'c' (without
 * RETURNING, whose result table costs SQLite as much as the update itself). */
int64_t db_changes(struct db_conn *c);

/* Run a parameterless query and read column 0 of its first row into *out
 * (ERR_NOT_FOUND when there is no row). */
int db_query_i64(struct db_conn *c, const char *sql, int64_t *out, struct err *err);

/* Reading rows into structs (rows.c). A reader copies the current row of 's'
 * into 'item' (borrowed: only for the call). */
typedef void (*db_read_fn)(struct db_stmt *s, void *item);

/* A growing array of fixed-size items: 'items' holds 'cap' of 'size' bytes,
 * the first 'n' in use; one malloc'd block, so several statements may add to
 * it in turn. */
struct db_rows {
    void *items;
    size_t n;
    size_t cap;
    size_t size;
};
#define DB_ROWS_INIT(item_size)                                                                    \
    {                                                                                              \
        NULL, 0, 0, (item_size)                                                                    \
    }
/* A new, zeroed item at the end (the array grows as needed). */
void *db_rows_push(struct db_rows *r);
/* Free the items; 'r' is empty after (and reusable). */
void db_rows_release(struct db_rows *r);
/* Hand the items to the caller (who frees them), their number in *n; 'r' is
 * empty after. */
void *db_rows_detach(struct db_rows *r, size_t *n);
/* Step 's' to its end, each row read by 'read' into a new item of 'r' (added
 * to what 'r' holds); resets 's'. 0 or -ERR_*; what was read stays in 'r'. */
int db_read_rows(struct db_stmt *s, db_read_fn read, struct db_rows *r, struct err *err);
/* Step 's' once: 1 with the row read into 'out', 0 when there is none, or
 * -ERR_*; resets 's'. */
int db_read_one(struct db_stmt *s, db_read_fn read, void *out, struct err *err);

#endif
