/* SPDX-License-Identifier: Apache-2.0 */
/* src/store/db_pg.c -- the PostgreSQL backend on libpq. connect refuses a server
 * whose fsync, synchronous_commit or full_page_writes could lose acknowledged
 * writes. Portable SQL gets its '?' placeholders rewritten to $n and is prepared
 * server-side under a per-connection name; parameters go as text, blobs as
 * binary bytea; results come back in text format and are parsed on access.
 * Trap: unlike SQLite, a failed statement aborts the whole open transaction. */
#include "core/compat.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "store/db_int.h"

#define PG_BOOL_OID 16  /* pg_type.oid of boolean (catalog/pg_type_d.h) */
#define PG_BYTEA_OID 17 /* pg_type.oid of bytea */

struct pg_conn {
    struct db_conn base;
    PGconn *h;
    unsigned next_name; /* counter for server-side statement names */
    int64_t changes;    /* rows the latest INSERT, UPDATE or DELETE touched */
};

struct pg_blob {
    unsigned char *data; /* PQunescapeBytea's buffer (PQfreemem), or NULL */
    size_t len;          /* bytes */
};

struct pg_stmt {
    struct db_stmt base;
    char name[24];         /* server-side prepared statement name */
    int nparams;           /* placeholders in the SQL */
    char **values;         /* [nparams] owned copies; NULL = SQL NULL */
    int *lengths;          /* [nparams] bytes, used for binary values */
    int *formats;          /* [nparams] 0 text, 1 binary */
    PGresult *res;         /* result of the current execution, or NULL */
    bool ran;              /* executed since the last reset */
    int row;               /* current row in 'res' */
    struct pg_blob *blobs; /* [ncols] decoded bytea of the current row */
    int nblobs;
};

static PGconn *
conn_of(struct db_stmt *s)
{
    return ((struct pg_conn *)s->conn)->h;
}

static struct pg_stmt *
ps(struct db_stmt *s)
{
    return (struct pg_stmt *)s;
}

/* libpq prints notices (e.g. "relation already exists, skipping") to stderr. */
static void
quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The server's primary message without libpq's trailing newline. */
static void
server_message(PGconn *h, const PGresult *res, char *out, size_t size)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    size_t n;

    if (!m)
        m = PQerrorMessage(h);
    snprintf(out, size, "%s", m ? m : "");
    n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
}

static int
code_for_state(const char *state)
{
    static const struct {
        const char *state;
        int code;
    } map[] = {
        { "23505", ERR_DUPLICATE },  { "23503", ERR_REFERENCE },  { "23514", ERR_CONSTRAINT },
        { "23502", ERR_CONSTRAINT }, { "23P01", ERR_CONSTRAINT }, { "55P03", ERR_BUSY },
        { "40001", ERR_BUSY },       { "40P01", ERR_BUSY },
    };

    for (size_t i = 0; state && i < ARRAY_LEN(map); i++)
        if (strcmp(state, map[i].state) == 0)
            return map[i].code;
    return ERR_DB;
}

/* Map a failed result (or NULL) onto our catalogue; marks a dead link broken.
 * The server's or libpq's own words (which may name the server's address, a
 * table or a column) go only to the operator's log, as the error's detail. */
static int
pg_error(struct db_conn *c, const PGresult *res, struct err *err)
{
    PGconn *h = ((struct pg_conn *)c)->h;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char msg[200];
    int rc;

    server_message(h, res, msg, sizeof(msg));
    if (PQstatus(h) == CONNECTION_BAD) {
        c->broken = true;
        rc = err_code_set(err, ERR_UNAVAILABLE, "db");
    } else {
        rc = err_code_set(err, code_for_state(state), NULL);
    }
    err_detail(err, "PostgreSQL %s: %s", state ? state : "-", msg);
    return rc;
}

static bool
result_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);

    return res && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY);
}

static int
pg_exec(struct db_conn *c, const char *sql, struct err *err)
{
    PGresult *res = PQexec(((struct pg_conn *)c)->h, sql);
    int rc = 0;

    if (!result_ok(res))
        rc = pg_error(c, res, err);
    else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
        /* PostgreSQL answers COMMIT of an aborted transaction with a rollback. */
        rc = err_set(err, ERR_DB, NULL, "事务因先前的错误已回滚",
                     "the transaction was rolled back after an earlier error");
    PQclear(res);
    return rc;
}

/* Read one server setting with SHOW into 'out' ("" when it cannot be read). */
static void
show(PGconn *h, const char *name, char *out, size_t size)
{
    char sql[64];
    PGresult *res;

    snprintf(sql, sizeof(sql), "SHOW %s", name);
    res = PQexec(h, sql);
    out[0] = '\0';
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
}

static int
unsafe(const char *name, const char *value, struct err *err)
{
    return err_set(err, ERR_UNSAFE_CONFIG, "db",
                   "PostgreSQL 设置 %s = '%s' 可能丢失已确认的写入,请修改服务器配置",
                   "PostgreSQL setting %s = '%s' could lose acknowledged writes; "
                   "fix the server configuration",
                   name, value);
}

/* Apply the session settings, then check every durability setting. */
static int
make_safe(struct db_conn *c, int busy_ms, struct err *err)
{
    PGconn *h = ((struct pg_conn *)c)->h;
    char sql[160], v[64];
    int rc;

    snprintf(sql, sizeof(sql),
             "SET lock_timeout = %d; SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'",
             busy_ms < 0 ? 0 : busy_ms);
    rc = pg_exec(c, sql, err);
    if (rc < 0)
        return rc;
    show(h, "fsync", v, sizeof(v));
    if (strcmp(v, "on") != 0)
        return unsafe("fsync", v, err);
    show(h, "synchronous_commit", v, sizeof(v));
    if (strcmp(v, "off") == 0 || v[0] == '\0')
        return unsafe("synchronous_commit", v, err);
    show(h, "full_page_writes", v, sizeof(v));
    if (strcmp(v, "on") != 0)
        return unsafe("full_page_writes", v, err);
    return 0;
}

static void
pg_disconnect(struct db_conn *c)
{
    struct pg_conn *pc = (struct pg_conn *)c;

    if (!pc)
        return;
    PQfinish(pc->h);
    free(pc);
}

static int
pg_connect(const char *target, const struct db_options *opt, struct db_conn **out, struct err *err)
{
    struct pg_conn *c;
    char msg[200];
    int rc;

    if (!PQisthreadsafe())
        return err_set_text(err, ERR_UNSAFE_CONFIG, "db", "libpq 未启用线程安全",
                            "libpq was built without thread safety");
    c = xcalloc(1, sizeof(*c));
    c->h = PQconnectdb(target);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        server_message(c->h, NULL, msg, sizeof(msg)); /* never the URL: it may hold a password */
        pg_disconnect(&c->base);
        rc =
            err_set(err, ERR_UNAVAILABLE, "db", "无法连接数据库", "cannot connect to the database");
        err_detail(err, "PostgreSQL: %s", msg);
        return rc;
    }
    PQsetNoticeProcessor(c->h, quiet, NULL);
    rc = make_safe(&c->base, opt->busy_timeout_ms, err);
    if (rc < 0) {
        pg_disconnect(&c->base);
        return rc;
    }
    *out = &c->base;
    return 0;
}

/* Length of a dollar-quote tag ("$$" or "$tag$") starting at 'p', or 0. */
static size_t
dollar_tag(const char *p)
{
    size_t n = 1;

    while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
           (n > 1 && p[n] >= '0' && p[n] <= '9'))
        n++;
    return p[n] == '$' ? n + 1 : 0;
}

/* Length of the quoted string, identifier or comment starting at 'p' (0 when 'p'
 * starts none). An unterminated one runs to the end: the server reports it. */
static size_t
skip_quoted(const char *p)
{
    const char *end = NULL;
    size_t tag;

    if (p[0] == '\'' || p[0] == '"') {
        end = strchr(p + 1, p[0]); /* '' and "" escapes reopen at the next char */
        return end ? (size_t)(end - p) + 1 : strlen(p);
    }
    if (p[0] == '-' && p[1] == '-') {
        end = strchr(p, '\n');
        return end ? (size_t)(end - p) : strlen(p);
    }
    if (p[0] == '/' && p[1] == '*') {
        end = strstr(p + 2, "*/");
        return end ? (size_t)(end - p) + 2 : strlen(p);
    }
    tag = p[0] == '$' ? dollar_tag(p) : 0;
    if (tag == 0)
        return 0;
    end = p + tag;
    while (*end && strncmp(end, p, tag) != 0)
        end++;
    return *end ? (size_t)(end - p) + tag : strlen(p);
}

/* Rewrite '?' placeholders outside quotes and comments to $1, $2, ... Returns
 * their count. E'...' strings with backslash escapes are not portable dialect. */
static int
rewrite_placeholders(const char *sql, struct sbuf *out)
{
    int n = 0;
    const char *p = sql;

    while (*p) {
        size_t skip = skip_quoted(p);

        if (skip > 0) {
            sbuf_add(out, p, skip);
            p += skip;
        } else if (*p == '?') {
            sbuf_addf(out, "$%d", ++n);
            p++;
        } else {
            /* An identifier character before '$' makes it part of a name, not a quote. */
            bool ident = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
                         (*p >= '0' && *p <= '9');

            sbuf_addc(out, *p++);
            while (ident && *p == '$')
                sbuf_addc(out, *p++);
        }
    }
    return n;
}

static int
pg_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *err)
{
    struct pg_conn *pc = (struct pg_conn *)c;
    struct sbuf text = SBUF_INIT;
    struct pg_stmt *s;
    PGresult *res;
    int n, rc = 0;

    n = rewrite_placeholders(sql, &text);
    s = xcalloc(1, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "xz_s%u", ++pc->next_name);
    res = PQprepare(pc->h, s->name, text.buf, n, NULL);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_error(c, res, err);
        free(s);
        goto out;
    }
    s->nparams = n;
    s->values = xcalloc((size_t)n + 1, sizeof(*s->values));
    s->lengths = xcalloc((size_t)n + 1, sizeof(*s->lengths));
    s->formats = xcalloc((size_t)n + 1, sizeof(*s->formats));
    *out = &s->base;
out:
    PQclear(res);
    sbuf_release(&text);
    return rc;
}

/* Forget the current row's decoded blobs. */
static void
clear_blobs(struct pg_stmt *s)
{
    for (int i = 0; i < s->nblobs; i++) {
        PQfreemem(s->blobs[i].data);
        s->blobs[i].data = NULL;
        s->blobs[i].len = 0;
    }
}

static void
pg_reset(struct db_stmt *st)
{
    struct pg_stmt *s = ps(st);

    clear_blobs(s);
    free(s->blobs);
    s->blobs = NULL;
    s->nblobs = 0;
    PQclear(s->res);
    s->res = NULL;
    s->ran = false;
    s->row = 0;
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}

static void
pg_finalize(struct db_stmt *st)
{
    struct pg_stmt *s = ps(st);
    PGconn *h = conn_of(st);
    char sql[48];

    pg_reset(st);
    /* Names are never reused, so a failed DEALLOCATE (dead link, aborted
     * transaction) only leaves a harmless entry until the session ends. */
    if (PQstatus(h) == CONNECTION_OK) {
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
        PQclear(PQexec(h, sql));
    }
    free(s->values);
    free(s->lengths);
    free(s->formats);
    free(s);
}

/* Store an owned copy of parameter 'idx' (1-based); refuses a bad index. */
static void
bind_value(struct db_stmt *st, int idx, char *value, int len, int format)
{
    struct pg_stmt *s = ps(st);

    if (idx < 1 || idx > s->nparams) {
        free(value);
        st->bind_error = 1;
        return;
    }
    free(s->values[idx - 1]);
    s->values[idx - 1] = value;
    s->lengths[idx - 1] = len;
    s->formats[idx - 1] = format;
}

static void
pg_bind_i64(struct db_stmt *s, int idx, int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRId64, v);
    bind_value(s, idx, xstrdup(buf), 0, 0);
}

static void
pg_bind_double(struct db_stmt *s, int idx, double v)
{
    char buf[40];

    if (v != v)
        snprintf(buf, sizeof(buf), "NaN");
    else if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
        snprintf(buf, sizeof(buf), "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(buf, sizeof(buf), "%.17g", v);
    bind_value(s, idx, xstrdup(buf), 0, 0);
}

static void
pg_bind_text(struct db_stmt *s, int idx, const char *text, size_t len)
{
    /* PostgreSQL text cannot hold NUL; refuse rather than silently truncate. */
    if (memchr(text, '\0', len) || len > INT32_MAX) {
        s->bind_error = 1;
        return;
    }
    bind_value(s, idx, xstrndup(text, len), (int)len, 0);
}

static void
pg_bind_blob(struct db_stmt *s, int idx, const void *data, size_t len)
{
    char *copy;

    if (len > INT32_MAX) {
        s->bind_error = 1;
        return;
    }
    copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    bind_value(s, idx, copy, (int)len, 1);
}

static void
pg_bind_null(struct db_stmt *s, int idx)
{
    bind_value(s, idx, NULL, 0, 0);
}

/* First step after binding: run the statement and keep its rows. */
static int
execute(struct db_stmt *st, struct err *err)
{
    struct pg_stmt *s = ps(st);
    ExecStatusType status;

    s->ran = true;
    s->row = 0;
    s->res = PQexecPrepared(conn_of(st), s->name, s->nparams, (const char *const *)s->values,
                            s->lengths, s->formats, 0);
    status = PQresultStatus(s->res);
    if (!s->res || (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)) {
        int rc = pg_error(st->conn, s->res, err);

        PQclear(s->res);
        s->res = NULL;
        return rc;
    }
    s->nblobs = PQnfields(s->res);
    s->blobs = xcalloc((size_t)s->nblobs + 1, sizeof(*s->blobs));
    if (status == PGRES_COMMAND_OK)
        ((struct pg_conn *)st->conn)->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
    return PQntuples(s->res) > 0 ? 1 : 0;
}

static int64_t
pg_changes(struct db_conn *c)
{
    return ((struct pg_conn *)c)->changes;
}

static int
pg_step(struct db_stmt *st, struct err *err)
{
    struct pg_stmt *s = ps(st);

    clear_blobs(s);
    if (!s->ran)
        return execute(st, err);
    if (!s->res || s->row >= PQntuples(s->res))
        return 0;
    s->row++;
    return s->row < PQntuples(s->res) ? 1 : 0;
}

static bool
has_cell(struct pg_stmt *s, int col)
{
    return s->res && s->row < PQntuples(s->res) && col >= 0 && col < PQnfields(s->res);
}

static int
pg_col_count(struct db_stmt *st)
{
    struct pg_stmt *s = ps(st);

    return s->res ? PQnfields(s->res) : 0;
}

static bool
pg_col_is_null(struct db_stmt *st, int col)
{
    struct pg_stmt *s = ps(st);

    return !has_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t
pg_col_i64(struct db_stmt *st, int col)
{
    struct pg_stmt *s = ps(st);
    const char *v;

    if (pg_col_is_null(st, col))
        return 0;
    v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == PG_BOOL_OID) /* e.g. 'SELECT a = b': SQLite gives 0/1 */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double
pg_col_double(struct db_stmt *st, int col)
{
    struct pg_stmt *s = ps(st);

    if (pg_col_is_null(st, col))
        return 0.0;
    return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *
pg_col_text(struct db_stmt *st, int col, size_t *len)
{
    struct pg_stmt *s = ps(st);

    if (!has_cell(s, col)) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = (size_t)PQgetlength(s->res, s->row, col);
    return PQgetvalue(s->res, s->row, col);
}

static const void *
pg_col_blob(struct db_stmt *st, int col, size_t *len)
{
    struct pg_stmt *s = ps(st);
    struct pg_blob *b;

    if (len)
        *len = 0;
    if (pg_col_is_null(st, col))
        return "";
    if (PQftype(s->res, col) != PG_BYTEA_OID)
        return pg_col_text(st, col, len); /* like SQLite: the bytes of the text */
    b = &s->blobs[col];
    if (!b->data)
        b->data = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &b->len);
    if (!b->data)
        return "";
    if (len)
        *len = b->len;
    return b->data;
}

const struct db_ops db_pg_ops = {
    .name = "pg",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .begin_sql = "BEGIN",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_i64 = pg_bind_i64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .changes = pg_changes,
    .reset = pg_reset,
    .col_count = pg_col_count,
    .col_is_null = pg_col_is_null,
    .col_i64 = pg_col_i64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
};
