/* SPDX-License-Identifier: Apache-2.0 */
/* src/main.c -- the xiangzhi binary: dispatch to a subcommand. */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "api/module.h"
#include "cli/cli.h"

static const char usage[] =
    "xiangzhi (乡治) —— 县域乡村治理平台 / county rural-governance platform\n"
    "\n"
    "用法 / usage: xiangzhi <命令 command> [参数 flags]\n"
    "  serve     启动平台 / serve the platform\n"
    "  init      新建数据库和密钥 / create a database and keys\n"
    "  demo      建立演示县数据库(--serve 同时启动)/ build the demo county (--serve to serve it)\n"
    "  migrate   升级数据库结构 / bring the database schema up to date\n"
    "  user      账号管理 / accounts: add, list, disable, enable, reset-password\n"
    "  routes    列出全部接口 / print the route table as JSON\n"
    "  modules   列出全部模块及其声明 / print the modules and what they declare as JSON\n"
    "  verify    核对可验证日志:收据、一致性、整个日志 / check the verifiable log\n"
    "  version   显示版本 / show versions\n"
    "\n"
    "每个命令都支持 --help。Every command takes --help.\n"
    "通用参数 / common flags: --db URL (XIANGZHI_DB), --data DIR (XIANGZHI_DATA),\n"
    "                         --listen ADDR:PORT (XIANGZHI_LISTEN)\n";

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {
        { "serve", cli_serve },     { "init", cli_init },       { "demo", cli_demo },
        { "migrate", cli_migrate }, { "version", cli_version }, { "user", cli_user },
        { "routes", cli_routes },   { "verify", cli_verify },   { "modules", cli_modules }
    };

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    api_modules_init(NULL); /* serve registers them again with its settings */
    for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "xiangzhi: 未知命令 %s / unknown command '%s'\n\n%s", argv[1], argv[1], usage);
    return 2;
}
