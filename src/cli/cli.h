/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/cli.h -- the subcommands of the xiangzhi binary and the flags they
 * share. Every common flag has an environment variable, so a service manager
 * can configure the server without a command line. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>

struct cli_opts {
    const char *db;         /* --db, XIANGZHI_DB; default sqlite:DATA/xiangzhi.db */
    const char *data;       /* --data, XIANGZHI_DATA; default ./xiangzhi-data */
    const char *listen;     /* --listen, XIANGZHI_LISTEN; default 127.0.0.1:8080 */
    const char *access_log; /* --access-log, XIANGZHI_ACCESS_LOG: path, "-" stderr, "off" */
    const char *web;        /* --web, XIANGZHI_WEB: the web front end; default web/dist */
    const char *origin;     /* --origin, XIANGZHI_ORIGIN: the log's name, when its key is made */
    int checkpoint_every;   /* --checkpoint-every, XIANGZHI_CHECKPOINT_EVERY: seconds */
    int publicity;          /* --publicity, XIANGZHI_PUBLICITY: the points window, seconds */
    int threads;            /* --threads, XIANGZHI_THREADS; default 2 x cores */
    int timeout;            /* --timeout, XIANGZHI_TIMEOUT: idle seconds per connection */
    int queue_max;          /* --queue-max, XIANGZHI_QUEUE_MAX */
    int batch_max;          /* --batch-max, XIANGZHI_BATCH_MAX */
    bool serve;             /* demo --serve */
    bool secure_cookies;    /* --secure-cookies, XIANGZHI_SECURE_COOKIES=1 */
    int households;         /* demo --households N (20..115000) */
    char db_default[4096];  /* storage for the derived default URL */
};

/* Parse argv (after the subcommand) into 'o'. Returns 0, 1 when --help was
 * printed, or -1 after printing an error. 'extra' lists which of the
 * subcommand-specific flags are allowed ("serve", "demo"). */
int cli_parse(int argc, char **argv, const char *cmd, const char *usage, struct cli_opts *o);

int cli_serve(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_modules(int argc, char **argv); /* modules.c */
int cli_verify(int argc, char **argv);
/* Fill o->db with sqlite:DATA/xiangzhi.db when no database was named. */
void cli_default_db(struct cli_opts *o);
/* Database connections a server with these options needs. */
int cli_db_pool_size(const struct cli_opts *o);

/* Shared steps (setup.c). */
struct db;
struct err;
/* Open o->db, apply migrations, create DATA and its keys; prints what it did. */
int cli_prepare(const struct cli_opts *o, bool quiet, struct db **out);
/* Build the demo county and its accounts unless present (demo.c). */
int cli_demo_build(const struct cli_opts *o, struct db *db);
/* Run the server until SIGTERM/SIGINT (serve.c). */
int cli_run_server(const struct cli_opts *o, struct db *db);
void cli_print_err(const char *what, const struct err *e);

#define XIANGZHI_VERSION "0.1.0"

#endif
