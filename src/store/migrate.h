/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/migrate.h -- numbered schema migrations, per module and backend.
 * The SQL lives in migrations/<module>/<backend>/NNNN_name.sql and is compiled
 * into the binary (scripts/embed_sql.py), one set per module in the order of
 * the module list ('core' first). Each module counts its own versions 1..n, so
 * two modules built at once never collide. The table xz_migrations records
 * every (module, version) applied; each migration and its row commit together,
 * so a crash leaves every module at a whole version. A binary refuses to touch
 * a database that holds a version or a module it does not know.
 *
 * Before modules, one sequence 1..13 was kept in xz_schema; a database from
 * then is carried over once, on its first migrate: versions 1-8 are core's
 * 1-8 and 9-13 points' 1-5 (the files were moved, not changed). */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H

#include "core/err.h"

struct db;

struct db_migration {
    int version;      /* 1, 2, 3 ... with no gaps, within its module */
    const char *name; /* from the file name */
    const char *sql;
};

/* One module's migrations: as many for SQLite as for PostgreSQL. */
struct db_migration_set {
    const char *module;
    const struct db_migration *sqlite;
    const struct db_migration *pg;
    int count;
};

/* Every module's set, in the order they apply (generated). */
extern const struct db_migration_set db_migration_sets[];
extern const int db_migration_sets_count;

/* How many migrations this binary carries in all (the same for both backends). */
int migrate_latest(const struct db *db);

/* How many of them the database has applied (0 for an empty database). */
int migrate_current(struct db *db, int *applied, struct err *err);

/* Apply every missing migration, module by module in order. *from and *to (may
 * be NULL) receive the number applied before and after. ERR_SCHEMA_NEWER when
 * the database is ahead of this binary. Safe against a concurrent migrate: the
 * versions are re-read under the write lock. */
int migrate_apply(struct db *db, int *from, int *to, struct err *err);

/* For 'serve': 0 when every module is exactly current; ERR_SCHEMA_NEWER when
 * any is ahead or unknown; ERR_CONFLICT (with the command to run) when behind. */
int migrate_check(struct db *db, struct err *err);

#endif
