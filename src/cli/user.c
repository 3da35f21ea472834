/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/user.c -- 'xiangzhi user add|list|disable|enable|reset-password': account
 * administration from the server's shell, e.g. the first county admin. Each
 * change runs in one transaction with its audit entry (actor "system"). */
#include "core/compat.h"

#include <getopt.h>
#include <sodium.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "domain/audit/audit.h"
#include "domain/auth/account.h"
#include "domain/identity/idnum.h"
#include "store/db.h"

static const char user_usage[] =
    "用法 / usage:\n"
    "  xiangzhi user add --username U --name 姓名 --role ROLE --scope CODE [--household ID]\n"
    "                    [--phone 手机号] [--password P]   (不给密码则生成 / generated if absent)\n"
    "  xiangzhi user list\n"
    "  xiangzhi user disable|enable USERNAME\n"
    "  xiangzhi user reset-password USERNAME [--password P]\n"
    "  角色 / roles: county_admin township_staff village_cadre supervisor mediator party_member\n"
    "                agent merchant villager auditor\n"
    "  通用参数 / common: --db URL --data DIR (XIANGZHI_DB, XIANGZHI_DATA)\n";

struct user_cmd {
    struct cli_opts o;
    const char *verb, *target, *password, *role, *scope, *household, *phone, *name;
    struct crypto_keys keys;
    struct user_new u;
    char generated[20];
};

typedef int (*txn_fn)(struct db_conn *c, struct user_cmd *cmd, struct err *err);

static int
in_txn(struct db *db, txn_fn fn, struct user_cmd *cmd, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    int rc;

    if (!c)
        return -err->code;
    rc = db_begin(c, err);
    if (rc == 0)
        rc = fn(c, cmd, err);
    if (rc == 0)
        rc = db_commit(c, err);
    db_release(c); /* rolls back if still open */
    return rc;
}

static int
audit_cli(struct db_conn *c, const char *action, int64_t user_id, struct err *err)
{
    char id[24];

    snprintf(id, sizeof(id), "%" PRId64, user_id);
    return audit_record(c,
                        &(struct audit_entry){ .action = action,
                                               .object_type = "user",
                                               .object_id = id,
                                               .result = "ok",
                                               .detail = "xiangzhi user (CLI)" },
                        err);
}

static const char *
password_or_generated(struct user_cmd *cmd)
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

    if (cmd->password)
        return cmd->password;
    for (size_t i = 0; i < 12; i++)
        cmd->generated[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    cmd->generated[12] = '\0';
    return cmd->generated;
}

static int
add_fn(struct db_conn *c, struct user_cmd *cmd, struct err *err)
{
    int rc = account_user_create(c, &cmd->keys, &cmd->u, err);

    return rc < 0 ? rc : audit_cli(c, "user.create", cmd->u.id, err);
}

static int
cmd_add(struct db *db, struct user_cmd *cmd, struct err *err)
{
    struct auth_binding *b = &cmd->u.roles[0];

    if (!cmd->target || !cmd->role || !cmd->scope)
        return err_set(err, ERR_INVALID, NULL, "需要 --username、--role 和 --scope",
                       "--username, --role and --scope are required");
    snprintf(cmd->u.username, sizeof(cmd->u.username), "%s", cmd->target);
    snprintf(cmd->u.display_name, sizeof(cmd->u.display_name), "%s",
             cmd->name ? cmd->name : cmd->target);
    if (cmd->phone && phone_parse(cmd->phone, cmd->u.phone, err) < 0)
        return -err->code;
    b->role = role_parse(cmd->role);
    snprintf(b->scope, sizeof(b->scope), "%s", cmd->scope);
    b->household_id = cmd->household ? strtoll(cmd->household, NULL, 10) : 0;
    cmd->u.nroles = 1;
    cmd->u.must_change_password = cmd->password == NULL;
    if (crypto_password_hash(password_or_generated(cmd), cmd->u.password_hash, err) < 0)
        return -err->code;
    if (in_txn(db, add_fn, cmd, err) < 0)
        return -err->code;
    printf("已创建用户 / created user %s (id %" PRId64 ")%s%s\n", cmd->u.username, cmd->u.id,
           cmd->password ? "" : ", 初始密码 / initial password: ",
           cmd->password ? "" : cmd->generated);
    return 0;
}

static int
cmd_list(struct db *db, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    struct user_info *rows = NULL;
    size_t n = 0;
    int rc;

    if (!c)
        return -err->code;
    rc = account_user_list(c, 0, 200, &rows, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        printf("%-6" PRId64 " %-20s %-10s %-8s", rows[i].id, rows[i].username, rows[i].display_name,
               rows[i].status);
        for (int r = 0; r < rows[i].nroles; r++)
            printf(" %s@%s", role_name(rows[i].roles[r].role), rows[i].roles[r].scope);
        printf("\n");
    }
    free(rows);
    db_release(c);
    return rc;
}

static int
status_fn(struct db_conn *c, struct user_cmd *cmd, struct err *err)
{
    struct user_info u;
    const char *status = strcmp(cmd->verb, "disable") == 0 ? "disabled" : "active";
    int rc = account_user_by_name(c, cmd->target, &u, err);

    if (rc == 0)
        rc = account_set_status(c, u.id, status, err);
    return rc < 0 ? rc : audit_cli(c, "user.status", u.id, err);
}

static int
reset_fn(struct db_conn *c, struct user_cmd *cmd, struct err *err)
{
    struct user_info u;
    int rc = account_user_by_name(c, cmd->target, &u, err);

    if (rc == 0)
        rc = account_set_password(c, u.id, cmd->u.password_hash, cmd->password == NULL, NULL, err);
    return rc < 0 ? rc : audit_cli(c, "user.password_reset", u.id, err);
}

static int
cmd_reset(struct db *db, struct user_cmd *cmd, struct err *err)
{
    if (crypto_password_hash(password_or_generated(cmd), cmd->u.password_hash, err) < 0 ||
        in_txn(db, reset_fn, cmd, err) < 0)
        return -err->code;
    printf("已重置 / password reset for %s%s%s\n", cmd->target,
           cmd->password ? "" : ", 新密码(首次登录须修改)/ new password (change at first login): ",
           cmd->password ? "" : cmd->generated);
    return 0;
}

static int
parse_user_flags(int argc, char **argv, struct user_cmd *cmd)
{
    static const struct option opts[] = {
        { "username", required_argument, NULL, 'u' },
        { "password", required_argument, NULL, 'p' },
        { "role", required_argument, NULL, 'r' },
        { "scope", required_argument, NULL, 's' },
        { "household", required_argument, NULL, 'H' },
        { "phone", required_argument, NULL, 'P' },
        { "name", required_argument, NULL, 'n' },
        { "db", required_argument, NULL, 'd' },
        { "data", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char **slot[128] = {
        ['u'] = &cmd->target, ['p'] = &cmd->password,  ['r'] = &cmd->role,
        ['s'] = &cmd->scope,  ['H'] = &cmd->household, ['P'] = &cmd->phone,
        ['n'] = &cmd->name,   ['d'] = &cmd->o.db,      ['D'] = &cmd->o.data
    };
    int c;

    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h' || c == '?' || c < 0 || c >= 128 || !slot[c]) {
            fputs(user_usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 1 : -1;
        }
        *slot[c] = optarg;
    }
    if (optind < argc)
        cmd->target = argv[optind];
    return 0;
}

int
cli_user(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct user_cmd cmd = { 0 };
    struct err e = ERR_INIT;
    struct db *db = NULL;
    int rc;

    if (argc < 2 || cli_parse(1, argv, "user", user_usage, &cmd.o) != 0) {
        fputs(user_usage, stderr);
        return 2;
    }
    if (cmd.o.db == cmd.o.db_default)
        cmd.o.db = NULL; /* derive it again once --data is known */
    cmd.verb = argv[1];
    rc = parse_user_flags(argc, argv, &cmd);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    cli_default_db(&cmd.o);
    if (crypto_init() < 0 || crypto_load_keys(cmd.o.data, &cmd.keys, &e) < 0 ||
        db_open(cmd.o.db, &dopt, &db, &e) < 0) {
        cli_print_err("用户 / user", &e);
        return 1;
    }
    if (strcmp(cmd.verb, "add") == 0)
        rc = cmd_add(db, &cmd, &e);
    else if (strcmp(cmd.verb, "list") == 0)
        rc = cmd_list(db, &e);
    else if (strcmp(cmd.verb, "disable") == 0 || strcmp(cmd.verb, "enable") == 0)
        rc = cmd.target ? in_txn(db, status_fn, &cmd, &e)
                        : err_set(&e, ERR_INVALID, NULL, "需要用户名", "a username is needed");
    else if (strcmp(cmd.verb, "reset-password") == 0 && cmd.target)
        rc = cmd_reset(db, &cmd, &e);
    else
        rc = err_set(&e, ERR_INVALID, NULL, "未知操作,见 --help", "unknown action; see --help");
    if (rc < 0)
        cli_print_err("用户 / user", &e);
    db_close(db);
    sodium_memzero(&cmd.keys, sizeof(cmd.keys));
    return rc < 0 ? 1 : 0;
}
