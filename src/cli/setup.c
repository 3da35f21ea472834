/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/setup.c -- 'init', 'migrate', 'demo' and 'version': making a data
 * directory with its keys, bringing a database to the current schema, and the
 * demo county. Keys live in DATA/keys, never in the database. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "api/module.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "store/db.h"
#include "store/migrate.h"
#include "tlog/keyfile.h"

void
cli_print_err(const char *what, const struct err *e)
{
    fprintf(stderr, "xiangzhi: %s: %s\n          %s\n", what, e->zh, e->en);
    if (e->detail[0]) /* the operator: what the library or the system said */
        fprintf(stderr, "          (%s)\n", e->detail);
}

static int
make_dir(const char *path)
{
    char buf[4096];

    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* DATA/keys/master.key: 32 random bytes, mode 0600, made once and never replaced.
 * Module keys (sensitive columns, the log's signing key) derive from or sit beside it. */
static int
ensure_master_key(const char *data, bool *created)
{
    unsigned char key[32];
    char dir[4096], path[4200];
    int fd;

    *created = false;
    snprintf(dir, sizeof(dir), "%s/keys", data);
    snprintf(path, sizeof(path), "%s/master.key", dir);
    if (make_dir(dir) < 0)
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? 0 : -1;
    randombytes_buf(key, sizeof(key));
    if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd) < 0) {
        close(fd);
        unlink(path);
        return -1;
    }
    sodium_memzero(key, sizeof(key));
    *created = true;
    return close(fd);
}

static int
record_meta(struct db *db, const char *key, const char *value, struct err *e)
{
    struct db_conn *c = db_acquire(db, e);
    struct db_stmt *s = NULL;
    int rc;

    if (!c)
        return -e->code;
    rc = db_prepare(c,
                    "INSERT INTO xz_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &s, e);
    if (rc == 0) {
        db_bind_text(s, 1, key, (size_t)-1);
        db_bind_text(s, 2, value, (size_t)-1);
        rc = db_step(s, e);
    }
    db_reset(s);
    db_release(c);
    return rc < 0 ? rc : 0;
}

/* The log's verifier key, as anyone checking a receipt needs it. */
static void
print_vkey(const char *data, bool created)
{
    char path[4200], line[600] = "";
    FILE *f;

    snprintf(path, sizeof(path), "%s/tlog.vkey", data);
    if ((f = fopen(path, "r")) != NULL) {
        if (!fgets(line, sizeof(line), f))
            line[0] = '\0';
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    printf("日志验证密钥 / log verifier key%s: %s\n", created ? "(新建 / new)" : "", line);
}

int
cli_prepare(const struct cli_opts *o, bool quiet, struct db **out)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    bool created = false, log_key = false;
    int from = 0, to = 0;

    dopt.pool_size = cli_db_pool_size(o); /* `demo --serve` serves from this pool */
    if (sodium_init() < 0 || make_dir(o->data) < 0 || ensure_master_key(o->data, &created) < 0) {
        fprintf(stderr,
                "xiangzhi: 无法创建数据目录或密钥 %s / cannot create the data directory "
                "or keys in %s: %s\n",
                o->data, o->data, strerror(errno));
        return -1;
    }
    if (tlog_key_ensure(o->data, o->origin, &log_key, &e) < 0) {
        cli_print_err("日志密钥 / log key", &e);
        return -1;
    }
    if (db_open(o->db, &dopt, out, &e) < 0 || migrate_apply(*out, &from, &to, &e) < 0) {
        cli_print_err("数据库 / database", &e);
        db_close(*out);
        *out = NULL;
        return -1;
    }
    if (!quiet) {
        printf("数据目录 / data: %s%s\n", o->data, created ? "(已生成新密钥 / new keys made)" : "");
        printf("数据库 / database: %s (%s), 结构版本 / schema %d -> %d\n", o->db, db_backend(*out),
               from, to);
        print_vkey(o->data, log_key);
    }
    return 0;
}

static const char init_usage[] =
    "用法 / usage: xiangzhi init [--db URL] [--data DIR] [--origin NAME]\n"
    "  新建数据库和密钥(已有的保留)。Create the database and keys (existing ones are kept).\n"
    "  --origin NAME 可验证日志的名称,建日志密钥时定下 the verifiable log's name, fixed when\n"
    "               its key is made (XIANGZHI_ORIGIN; 默认 xiangzhi.example/410183)\n"
    "  --db URL     sqlite:PATH 或 postgresql://...  (XIANGZHI_DB; 默认 sqlite:DATA/xiangzhi.db)\n"
    "  --data DIR   密钥和附件目录 keys and attachments (XIANGZHI_DATA; 默认 ./xiangzhi-data)\n";

int
cli_init(int argc, char **argv)
{
    struct cli_opts o;
    struct db *db = NULL;
    char now[32];
    struct err e = ERR_INIT;
    int rc = cli_parse(argc, argv, "init", init_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    if (cli_prepare(&o, false, &db) < 0)
        return 1;
    clock_iso8601(clock_now_ms(), now, sizeof(now));
    rc = record_meta(db, "initialised_at", now, &e);
    if (rc < 0)
        cli_print_err("数据库 / database", &e);
    db_close(db);
    return rc < 0 ? 1 : 0;
}

static const char migrate_usage[] =
    "用法 / usage: xiangzhi migrate [--db URL] [--data DIR]\n"
    "  把数据库升级到本程序的结构版本;数据库比程序新时拒绝。\n"
    "  Bring the database to this binary's schema; refuses a newer database.\n";

int
cli_migrate(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    struct cli_opts o;
    struct db *db = NULL;
    int from = 0, to = 0;
    int rc = cli_parse(argc, argv, "migrate", migrate_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    if (db_open(o.db, &dopt, &db, &e) < 0 || migrate_apply(db, &from, &to, &e) < 0) {
        cli_print_err("迁移失败 / migration failed", &e);
        db_close(db);
        return 1;
    }
    printf("结构版本 / schema version: %d -> %d\n", from, to);
    db_close(db);
    return 0;
}

static const char demo_usage[] =
    "用法 / usage: xiangzhi demo [--db URL] [--data DIR] [--households N] [--serve]\n"
    "                           [--listen ADDR:PORT]\n"
    "  建立演示县(新密市 410183)的数据库;加 --serve 同时启动服务。\n"
    "  Build the demo county database (新密市, 410183); --serve also serves it.\n";

int
cli_demo(int argc, char **argv)
{
    struct cli_opts o;
    struct db *db = NULL;
    int rc = cli_parse(argc, argv, "demo", demo_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    if (cli_prepare(&o, false, &db) < 0)
        return 1;
    if (cli_demo_build(&o, db) < 0) {
        db_close(db);
        return 1;
    }
    rc = o.serve ? cli_run_server(&o, db) : 0;
    db_close(db);
    return rc;
}

static const char version_usage[] = "用法 / usage: xiangzhi version\n";

int
cli_version(int argc, char **argv)
{
    struct cli_opts o;
    int rc = cli_parse(argc, argv, "version", version_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    printf("xiangzhi %s\n", XIANGZHI_VERSION);
    printf("  libmicrohttpd %s, SQLite %s, libpq %d, libsodium %s\n", MHD_get_version(),
           sqlite3_libversion(), PQlibVersion(), sodium_version_string());
    printf("  schema: %d migrations in %d modules:", migrate_latest(NULL), db_migration_sets_count);
    for (int i = 0; i < db_migration_sets_count; i++)
        printf(" %s %d", db_migration_sets[i].module, db_migration_sets[i].count);
    putchar('\n');
    return 0;
}

static const char routes_usage[] =
    "用法 / usage: xiangzhi routes\n"
    "  以 JSON 列出全部接口(方法、路径、权限、说明)。\n"
    "  Print every route as JSON (method, path, permission, summary).\n";

static json_t *
schema_json(const struct json_schema *sc)
{
    static const char *kinds[] = { "string", "integer", "boolean", "object", "array" };
    json_t *fields = json_array();

    for (size_t i = 0; sc && i < sc->count; i++) {
        const struct json_field *f = &sc->fields[i];

        json_t *values = json_null();

        for (const char *const *v = f->values; v && *v; v++) {
            if (json_is_null(values))
                values = json_array();
            json_array_append_new(values, json_string(*v));
        }
        json_array_append_new(fields, json_pack("{s:s, s:s, s:b, s:I, s:I, s:o}", "name", f->name,
                                                "kind", kinds[f->kind], "required", f->required,
                                                "min", (json_int_t)f->min, "max",
                                                (json_int_t)f->max, "values", values));
    }
    return fields;
}

int
cli_routes(int argc, char **argv)
{
    struct cli_opts o;
    const struct http_route *routes;
    size_t n;
    json_t *list;
    int rc = cli_parse(argc, argv, "routes", routes_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    list = json_array();
    routes = api_route_table(&n);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:s?, s:o}", "method",
                            http_method_name(routes[i].method), "path", routes[i].pattern, "perm",
                            routes[i].perm, "summary", routes[i].summary_en, "body",
                            schema_json(routes[i].body), "raw_type", routes[i].raw_type, "answer",
                            routes[i].answer, "query", schema_json(routes[i].query)));
    json_dumpf(list, stdout, JSON_INDENT(2));
    printf("\n");
    json_decref(list);
    return 0;
}
