/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/migrate.h -- numbered schema migrations per backend. The SQL lives in
 * migrations/<backend>/NNNN_name.sql and is compiled into the binary. The table
 * xz_schema records every version applied; each migration and its version row
 * commit together, so a crash leaves the schema at a whole version. A binary
 * refuses to touch a database whose schema is newer than it knows. */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H

#include "core/err.h"

struct db;

struct db_migration {
    int version;      /* 1, 2, 3 ... with no gaps */
    const char *name; /* from the file name */
    const char *sql;
};

/* The newest version this binary carries for the database's backend, or for
 * the backend named "sqlite" / "pg". */
int migrate_latest(const struct db *db);
int migrate_latest_backend(const char *backend);

/* Read the schema version into *version (0 for an empty database). */
int migrate_current(struct db *db, int *version, struct err *err);

/* Apply every missing migration in order. *from and *to (may be NULL) receive the
 * versions before and after. ERR_SCHEMA_NEWER when the database is ahead. Safe
 * against a concurrent migrate: the version is re-read under the write lock. */
int migrate_apply(struct db *db, int *from, int *to, struct err *err);

/* For 'serve': 0 when the schema is exactly current; ERR_SCHEMA_NEWER when it is
 * ahead; ERR_CONFLICT (with the command to run) when it is behind. */
int migrate_check(struct db *db, struct err *err);

#endif
