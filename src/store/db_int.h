/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/db_int.h -- private to src/store: the ops table each backend fills in
 * (git's refs backends, SQLite's VFS). db.c owns pooling, statement caching and
 * transaction state; a backend only talks to its client library. A backend's
 * connection and statement structs embed 'struct db_conn' / 'struct db_stmt' as
 * their first member. */
#ifndef STORE_DB_INT_H
#define STORE_DB_INT_H

#include "store/db.h"

#define DB_STMT_CACHE 128

struct db_ops {
    const char *name; /* "sqlite", "pg" */
    /* Open one connection to 'target' (the URL less any "sqlite:" prefix) with safe
     * settings, and verify them: ERR_UNSAFE_CONFIG when durability is off. */
    int (*connect)(const char *target, const struct db_options *opt, struct db_conn **out,
                   struct err *err);
    void (*disconnect)(struct db_conn *c);
    int (*exec)(struct db_conn *c, const char *sql, struct err *err);
    const char *begin_sql;      /* "BEGIN IMMEDIATE" / "BEGIN" */
    const char *begin_read_sql; /* a read-only snapshot: "BEGIN" / "... READ ONLY" */
    /* Prepare 'sql' (portable dialect) freshly; db.c caches the result. */
    int (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err);
    void (*finalize)(struct db_stmt *s);
    void (*bind_i64)(struct db_stmt *s, int idx, int64_t v);
    void (*bind_double)(struct db_stmt *s, int idx, double v);
    void (*bind_text)(struct db_stmt *s, int idx, const char *text, size_t len);
    void (*bind_blob)(struct db_stmt *s, int idx, const void *data, size_t len);
    void (*bind_null)(struct db_stmt *s, int idx);
    int (*step)(struct db_stmt *s, struct err *err);
    int64_t (*changes)(struct db_conn *c);
    void (*reset)(struct db_stmt *s);
    int (*col_count)(struct db_stmt *s);
    bool (*col_is_null)(struct db_stmt *s, int col);
    int64_t (*col_i64)(struct db_stmt *s, int col);
    double (*col_double)(struct db_stmt *s, int col);
    const char *(*col_text)(struct db_stmt *s, int col, size_t *len);
    const void *(*col_blob)(struct db_stmt *s, int col, size_t *len);
};

struct db_stmt {
    struct db_conn *conn;
    const char *sql; /* the caller's string, or our copy (owns_sql): the cache key */
    int bind_error;  /* a bind was refused (bad index); db_step reports it */
    bool transient;  /* not in the cache: finalized by db_reset */
    bool owns_sql;   /* 'sql' is a copy of a composed statement's text (db_prepare_built) */
};

struct db_conn {
    const struct db_ops *ops;
    struct db *db;
    struct db_conn *next_free;
    bool in_txn;
    bool broken; /* set by the backend when the link to the server is lost */
    struct db_stmt *cache[DB_STMT_CACHE]; /* open-addressed by hash of the SQL text */
    /* The same statements found by the address of their SQL literal, checked
     * first: no hashing of the text on the hot path. Direct-mapped, a hint only. */
    struct db_stmt *by_addr[DB_STMT_CACHE];
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* Helpers shared by backends. */
bool db_ident_ok(const char *name); /* [A-Za-z_][A-Za-z0-9_]* up to 63 bytes */

#endif
