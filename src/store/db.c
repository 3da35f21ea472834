/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/db.c -- backend-independent half of the db interface: choosing the
 * backend from the URL, the connection pool, the per-connection statement cache
 * and transaction bookkeeping. */
#include "core/compat.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/db_int.h"

struct db {
    const struct db_ops *ops;
    char *target; /* what ops->connect receives */
    struct db_options opt;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct db_conn *free_list;
    int open_count; /* connections in existence, idle or taken */
};

static const struct db_ops *
pick_backend(const char *url, const char **target)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        *target = url + 7;
        return &db_sqlite_ops;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        *target = url;
        return &db_pg_ops;
    }
    return NULL;
}

int
db_open(const char *url, const struct db_options *opt, struct db **out, struct err *err)
{
    static const struct db_options defaults = DB_OPTIONS_DEFAULT;
    const struct db_ops *ops;
    const char *target = NULL;
    struct db_conn *c;
    struct db *db;

    ops = pick_backend(url, &target);
    if (!ops || !*target)
        return err_set(err, ERR_INVALID, "db", "数据库地址应为 sqlite:路径 或 postgresql://...",
                       "the database URL must be sqlite:PATH or postgresql://...");
    db = xcalloc(1, sizeof(*db));
    db->ops = ops;
    db->target = xstrdup(target);
    db->opt = opt ? *opt : defaults;
    if (db->opt.pool_size < 1)
        db->opt.pool_size = 1;
    pthread_mutex_init(&db->lock, NULL);
    pthread_cond_init(&db->freed, NULL);
    c = db_acquire(db, err); /* proves the URL works and the settings are safe */
    if (!c) {
        db_close(db);
        return -err->code;
    }
    db_release(c);
    *out = db;
    return 0;
}

/* Finalize 's' and free the copy of its text it may own. */
static void
stmt_finalize(struct db_stmt *s)
{
    char *copy = s->owns_sql ? (char *)(uintptr_t)s->sql : NULL;

    s->conn->ops->finalize(s);
    free(copy);
}

static void
conn_destroy(struct db_conn *c)
{
    for (int i = 0; i < DB_STMT_CACHE; i++)
        if (c->cache[i])
            stmt_finalize(c->cache[i]);
    c->ops->disconnect(c);
}

void
db_close(struct db *db)
{
    struct db_conn *c, *next;

    if (!db)
        return;
    for (c = db->free_list; c; c = next) {
        next = c->next_free;
        conn_destroy(c);
    }
    pthread_mutex_destroy(&db->lock);
    pthread_cond_destroy(&db->freed);
    free(db->target);
    free(db);
}

const char *
db_backend(const struct db *db)
{
    return db->ops->name;
}

struct db_conn *
db_acquire(struct db *db, struct err *err)
{
    struct db_conn *c = NULL;

    pthread_mutex_lock(&db->lock);
    while (!db->free_list && db->open_count >= db->opt.pool_size)
        pthread_cond_wait(&db->freed, &db->lock);
    if (db->free_list) {
        c = db->free_list;
        db->free_list = c->next_free;
        pthread_mutex_unlock(&db->lock);
        return c;
    }
    db->open_count++;
    pthread_mutex_unlock(&db->lock);
    /* Connect outside the lock: a PostgreSQL handshake takes milliseconds. */
    if (db->ops->connect(db->target, &db->opt, &c, err) < 0) {
        pthread_mutex_lock(&db->lock);
        db->open_count--;
        pthread_cond_signal(&db->freed);
        pthread_mutex_unlock(&db->lock);
        return NULL;
    }
    c->ops = db->ops;
    c->db = db;
    return c;
}

void
db_release(struct db_conn *c)
{
    struct db *db;

    if (!c)
        return;
    db = c->db;
    if (c->in_txn)
        db_rollback(c);
    if (c->broken) {
        conn_destroy(c);
        pthread_mutex_lock(&db->lock);
        db->open_count--;
        pthread_cond_signal(&db->freed);
        pthread_mutex_unlock(&db->lock);
        return;
    }
    pthread_mutex_lock(&db->lock);
    c->next_free = db->free_list;
    db->free_list = c;
    pthread_cond_signal(&db->freed);
    pthread_mutex_unlock(&db->lock);
}

int
db_exec(struct db_conn *c, const char *sql, struct err *err)
{
    return c->ops->exec(c, sql, err);
}

/* Run a parameterless statement through the cache. */
static int
run_cached(struct db_conn *c, const char *sql, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    rc = db_step(s, err);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* Open a transaction with 'sql' (the backend's BEGIN for writing or reading). */
static int
begin_with(struct db_conn *c, const char *sql, struct err *err)
{
    int rc;

    if (c->in_txn)
        return err_set(err, ERR_INTERNAL, NULL, "事务已开始", "a transaction is already open");
    rc = run_cached(c, sql, err);
    if (rc == 0)
        c->in_txn = true;
    return rc;
}

int
db_begin(struct db_conn *c, struct err *err)
{
    return begin_with(c, c->ops->begin_sql, err);
}

int
db_commit(struct db_conn *c, struct err *err)
{
    int rc;

    if (!c->in_txn)
        return err_set(err, ERR_INTERNAL, NULL, "没有打开的事务", "no transaction is open");
    /* Not a cached statement: PostgreSQL answers COMMIT of an aborted transaction
     * with a ROLLBACK that only the backend's exec recognises as a failure. */
    rc = c->ops->exec(c, "COMMIT", err);
    c->in_txn = false;
    if (rc < 0)
        c->ops->exec(c, "ROLLBACK", NULL); /* SQLite keeps the txn open after a failed COMMIT */
    return rc;
}

void
db_rollback(struct db_conn *c)
{
    if (!c || !c->in_txn)
        return;
    c->ops->exec(c, "ROLLBACK", NULL);
    c->in_txn = false;
}

int
db_begin_read(struct db_conn *c, struct err *err)
{
    return begin_with(c, c->ops->begin_read_sql, err);
}

void
db_end_read(struct db_conn *c)
{
    if (!c || !c->in_txn)
        return;
    if (run_cached(c, "ROLLBACK", NULL) < 0)
        c->ops->exec(c, "ROLLBACK", NULL);
    c->in_txn = false;
}

bool
db_conn_broken(const struct db_conn *c)
{
    return c->broken;
}

bool
db_in_txn(const struct db_conn *c)
{
    return c->in_txn;
}

bool
db_ident_ok(const char *name)
{
    size_t n = 0;

    if (!name || !(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z') ||
                   (name[0] >= 'A' && name[0] <= 'Z')))
        return false;
    for (; name[n]; n++) {
        char ch = name[n];

        if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9')))
            return false;
    }
    return n <= 63;
}

static int
savepoint_cmd(struct db_conn *c, const char *verb, const char *name, struct err *err)
{
    char sql[128];

    if (!db_ident_ok(name))
        return err_set(err, ERR_INTERNAL, NULL, "保存点名称无效", "bad savepoint name");
    if (!c->in_txn)
        return err_set(err, ERR_INTERNAL, NULL, "没有打开的事务", "no transaction is open");
    snprintf(sql, sizeof(sql), "%s%s", verb, name);
    return c->ops->exec(c, sql, err);
}

int
db_savepoint(struct db_conn *c, const char *name, struct err *err)
{
    return savepoint_cmd(c, "SAVEPOINT ", name, err);
}

int
db_savepoint_release(struct db_conn *c, const char *name, struct err *err)
{
    return savepoint_cmd(c, "RELEASE SAVEPOINT ", name, err);
}

int
db_savepoint_rollback(struct db_conn *c, const char *name, struct err *err)
{
    return savepoint_cmd(c, "ROLLBACK TO SAVEPOINT ", name, err);
}

/* Statement cache: open addressing on the SQL text, keyed by content so that the
 * same literal from different translation units shares one entry. */
static size_t
sql_hash(const char *s)
{
    size_t h = 5381;

    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

static size_t
addr_slot(const char *sql)
{
    uintptr_t a = (uintptr_t)sql;

    return (size_t)((a >> 3) ^ (a >> 11)) % DB_STMT_CACHE;
}

static int prepare_by_text(struct db_conn *c, const char *sql, bool copy, struct db_stmt **out,
                           struct err *err);

int
db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err)
{
    struct db_stmt *s = c->by_addr[addr_slot(sql)];
    int rc;

    if (s && s->sql == sql) {
        *out = s;
        return 0;
    }
    rc = prepare_by_text(c, sql, false, out, err);
    if (rc == 0 && !(*out)->transient && (*out)->sql == sql)
        c->by_addr[addr_slot(sql)] = *out;
    return rc;
}

int
db_prepare_built(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err)
{
    return prepare_by_text(c, sql, true, out, err);
}

/* A new statement keeps 'sql' as it is, or (copy) a copy of it. */
static void
keep_text(struct db_stmt *s, const char *sql, bool copy)
{
    s->sql = copy ? xstrdup(sql) : sql;
    s->owns_sql = copy;
}

static int
prepare_by_text(struct db_conn *c, const char *sql, bool copy, struct db_stmt **out,
                struct err *err)
{
    size_t h = sql_hash(sql);
    struct db_stmt *s;
    int rc;

    for (size_t i = 0; i < DB_STMT_CACHE; i++) {
        size_t slot = (h + i) % DB_STMT_CACHE;

        s = c->cache[slot];
        if (s && ((!copy && s->sql == sql) || strcmp(s->sql, sql) == 0)) {
            *out = s;
            return 0;
        }
        if (!s) {
            rc = c->ops->prepare(c, sql, &s, err);
            if (rc < 0)
                return rc;
            s->conn = c;
            keep_text(s, sql, copy);
            c->cache[slot] = s;
            *out = s;
            return 0;
        }
    }
    /* Full: more distinct statements than the cache holds. This one lives until
     * its db_reset; evicting a cached one could free a statement still in use. */
    rc = c->ops->prepare(c, sql, &s, err);
    if (rc < 0)
        return rc;
    s->conn = c;
    keep_text(s, sql, copy);
    s->transient = true;
    *out = s;
    return 0;
}

#define BIND_GUARD(s, idx)                                                                         \
    if ((idx) < 1) {                                                                               \
        (s)->bind_error = 1;                                                                       \
        return;                                                                                    \
    }

void
db_bind_i64(struct db_stmt *s, int idx, int64_t v)
{
    BIND_GUARD(s, idx);
    s->conn->ops->bind_i64(s, idx, v);
}

void
db_bind_double(struct db_stmt *s, int idx, double v)
{
    BIND_GUARD(s, idx);
    s->conn->ops->bind_double(s, idx, v);
}

void
db_bind_text(struct db_stmt *s, int idx, const char *text, size_t len)
{
    BIND_GUARD(s, idx);
    if (!text) {
        s->conn->ops->bind_null(s, idx);
        return;
    }
    s->conn->ops->bind_text(s, idx, text, len == (size_t)-1 ? strlen(text) : len);
}

void
db_bind_blob(struct db_stmt *s, int idx, const void *data, size_t len)
{
    BIND_GUARD(s, idx);
    s->conn->ops->bind_blob(s, idx, data, len);
}

void
db_bind_null(struct db_stmt *s, int idx)
{
    BIND_GUARD(s, idx);
    s->conn->ops->bind_null(s, idx);
}

int
db_step(struct db_stmt *s, struct err *err)
{
    if (s->bind_error)
        return err_set(err, ERR_INTERNAL, NULL, "参数绑定错误", "bad parameter binding");
    return s->conn->ops->step(s, err);
}

int
db_col_count(struct db_stmt *s)
{
    return s->conn->ops->col_count(s);
}

bool
db_col_is_null(struct db_stmt *s, int col)
{
    return s->conn->ops->col_is_null(s, col);
}

int64_t
db_col_i64(struct db_stmt *s, int col)
{
    return s->conn->ops->col_i64(s, col);
}

double
db_col_double(struct db_stmt *s, int col)
{
    return s->conn->ops->col_double(s, col);
}

const char *
db_col_text(struct db_stmt *s, int col, size_t *len)
{
    return s->conn->ops->col_text(s, col, len);
}

const void *
db_col_blob(struct db_stmt *s, int col, size_t *len)
{
    return s->conn->ops->col_blob(s, col, len);
}

size_t
db_col_copy(struct db_stmt *s, int col, char *dst, size_t size)
{
    size_t len = 0;
    const char *text = s->conn->ops->col_text(s, col, &len);

    if (size == 0)
        return 0;
    if (len >= size)
        len = size - 1;
    memcpy(dst, text, len);
    dst[len] = '\0';
    return len;
}

void
db_reset(struct db_stmt *s)
{
    if (!s)
        return;
    s->bind_error = 0;
    if (s->transient) {
        stmt_finalize(s);
        return;
    }
    s->conn->ops->reset(s);
}

int
db_query_i64(struct db_conn *c, const char *sql, int64_t *out, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = db_prepare(c, sql, &s, err);
    if (rc < 0)
        return rc;
    rc = db_step(s, err);
    if (rc == 1)
        *out = db_col_i64(s, 0);
    else if (rc == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "查询没有结果", "the query returned no row");
    db_reset(s);
    return rc < 0 ? rc : 0;
}

static void
bind_va(struct db_stmt *s, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        const void *data;

        switch (types[i]) {
        case 'i':
            db_bind_i64(s, i + 1, va_arg(ap, int64_t));
            break;
        case 't':
            db_bind_text(s, i + 1, va_arg(ap, const char *), (size_t)-1);
            break;
        case 'b':
            data = va_arg(ap, const void *);
            db_bind_blob(s, i + 1, data, va_arg(ap, size_t));
            break;
        default: /* 'n': NULL, and its int64_t placeholder argument is skipped */
            (void)va_arg(ap, int64_t);
            db_bind_null(s, i + 1);
            break;
        }
    }
}

bool
db_in_transaction(const struct db_conn *c)
{
    return c->in_txn;
}

int64_t
db_changes(struct db_conn *c)
{
    return c->ops->changes(c);
}

int
db_run(struct db_conn *c, struct err *err, const char *sql, const char *types, ...)
{
    struct db_stmt *s;
    va_list ap;
    int rc = db_prepare(c, sql, &s, err);

    if (rc < 0)
        return rc;
    va_start(ap, types);
    bind_va(s, types, ap);
    va_end(ap);
    rc = db_step(s, err);
    db_reset(s);
    return rc;
}
