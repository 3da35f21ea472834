/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/options.c -- the common flags, their environment variables and
 * defaults. Flags win over the environment, the environment over defaults. */
#include "core/compat.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

enum {
    OPT_ACCESS_LOG = 1000,
    OPT_THREADS,
    OPT_QUEUE_MAX,
    OPT_BATCH_MAX,
    OPT_SERVE,
    OPT_TIMEOUT,
    OPT_SECURE_COOKIES,
    OPT_HOUSEHOLDS,
    OPT_WEB,
    OPT_ORIGIN,
    OPT_CHECKPOINT_EVERY,
    OPT_PUBLICITY
};

static const struct option longopts[] = {
    { "db", required_argument, NULL, 'd' },
    { "data", required_argument, NULL, 'D' },
    { "listen", required_argument, NULL, 'l' },
    { "access-log", required_argument, NULL, OPT_ACCESS_LOG },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "queue-max", required_argument, NULL, OPT_QUEUE_MAX },
    { "batch-max", required_argument, NULL, OPT_BATCH_MAX },
    { "serve", no_argument, NULL, OPT_SERVE },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "secure-cookies", no_argument, NULL, OPT_SECURE_COOKIES },
    { "households", required_argument, NULL, OPT_HOUSEHOLDS },
    { "web", required_argument, NULL, OPT_WEB },
    { "origin", required_argument, NULL, OPT_ORIGIN },
    { "checkpoint-every", required_argument, NULL, OPT_CHECKPOINT_EVERY },
    { "publicity", required_argument, NULL, OPT_PUBLICITY },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static const char *
env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);

    return v && *v ? v : fallback;
}

/* A positive integer flag; -1 on a bad value. */
static int
parse_count(const char *text, const char *flag)
{
    char *end = NULL;
    long v = text ? strtol(text, &end, 10) : 0;

    if (!text)
        return 0;
    if (!end || *end || v < 0 || v > 1000000) {
        fprintf(stderr,
                "xiangzhi: %s 应为 0 到 1000000 的整数 / %s must be an integer 0..1000000\n", flag,
                flag);
        return -1;
    }
    return (int)v;
}

static void
set_defaults(struct cli_opts *o)
{
    o->db = env_or("XIANGZHI_DB", NULL);
    o->data = env_or("XIANGZHI_DATA", "./xiangzhi-data");
    o->listen = env_or("XIANGZHI_LISTEN", "127.0.0.1:8080");
    o->access_log = env_or("XIANGZHI_ACCESS_LOG", "-");
    o->web = env_or("XIANGZHI_WEB", "web/dist");
    o->origin = env_or("XIANGZHI_ORIGIN", "xiangzhi.example/410183");
    o->checkpoint_every =
        parse_count(env_or("XIANGZHI_CHECKPOINT_EVERY", "10"), "XIANGZHI_CHECKPOINT_EVERY");
    o->publicity = parse_count(env_or("XIANGZHI_PUBLICITY", "604800"), "XIANGZHI_PUBLICITY");
    o->households = 2000;
    o->secure_cookies = strcmp(env_or("XIANGZHI_SECURE_COOKIES", "0"), "1") == 0;
    o->threads = parse_count(getenv("XIANGZHI_THREADS"), "XIANGZHI_THREADS");
    o->timeout = parse_count(env_or("XIANGZHI_TIMEOUT", "30"), "XIANGZHI_TIMEOUT");
    o->queue_max = parse_count(env_or("XIANGZHI_QUEUE_MAX", "4096"), "XIANGZHI_QUEUE_MAX");
    o->batch_max = parse_count(env_or("XIANGZHI_BATCH_MAX", "512"), "XIANGZHI_BATCH_MAX");
}

static int
apply(struct cli_opts *o, int c, const char *cmd)
{
    switch (c) {
    case 'd':
        o->db = optarg;
        return 0;
    case 'D':
        o->data = optarg;
        return 0;
    case 'l':
        o->listen = optarg;
        return 0;
    case OPT_ACCESS_LOG:
        o->access_log = optarg;
        return 0;
    case OPT_WEB:
        o->web = optarg;
        return 0;
    case OPT_ORIGIN:
        o->origin = optarg;
        return 0;
    case OPT_CHECKPOINT_EVERY:
        return (o->checkpoint_every = parse_count(optarg, "--checkpoint-every")) < 1 ? -1 : 0;
    case OPT_PUBLICITY:
        return (o->publicity = parse_count(optarg, "--publicity")) < 1 ? -1 : 0;
    case OPT_THREADS:
        return (o->threads = parse_count(optarg, "--threads")) < 0 ? -1 : 0;
    case OPT_HOUSEHOLDS:
        o->households = parse_count(optarg, "--households");
        if (o->households >= 20 && o->households <= 115000)
            return 0;
        fprintf(stderr, "xiangzhi: --households 应在 20 到 115000 之间 / must be 20..115000\n");
        return -1;
    case OPT_SECURE_COOKIES:
        o->secure_cookies = true;
        return 0;
    case OPT_TIMEOUT:
        return (o->timeout = parse_count(optarg, "--timeout")) < 1 ? -1 : 0;
    case OPT_QUEUE_MAX:
        return (o->queue_max = parse_count(optarg, "--queue-max")) < 1 ? -1 : 0;
    case OPT_BATCH_MAX:
        return (o->batch_max = parse_count(optarg, "--batch-max")) < 1 ? -1 : 0;
    case OPT_SERVE:
        if (strcmp(cmd, "demo") != 0)
            break;
        o->serve = true;
        return 0;
    }
    fprintf(stderr,
            "xiangzhi %s: 参数错误,运行 xiangzhi %s --help 查看用法 / bad arguments, see "
            "'xiangzhi %s --help'\n",
            cmd, cmd, cmd);
    return -1;
}

/* Twice the cores: a thread that blocks (a lock wait in SQLite, a page read,
 * being preempted on a shared machine) leaves a runnable one behind it. On two
 * cores this served about half as many more household reads per second as one
 * thread per core did (docs/benchmarks.md, issue #3). */
static int
default_io_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 && n < 64 ? 2 * (int)n : 4;
}

int
cli_parse(int argc, char **argv, const char *cmd, const char *usage, struct cli_opts *o)
{
    int c;

    memset(o, 0, sizeof(*o));
    set_defaults(o);
    if (o->threads < 0 || o->timeout < 1 || o->queue_max < 1 || o->batch_max < 1 ||
        o->checkpoint_every < 1 || o->publicity < 1)
        return -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (apply(o, c, cmd) < 0)
            return -1;
    }
    if (optind < argc)
        return apply(o, '?', cmd);
    cli_default_db(o);
    if (!o->threads)
        o->threads = default_io_threads();
    return 0;
}

int
cli_db_pool_size(const struct cli_opts *o)
{
    return o->threads + 4; /* + the writer, the slow-work pool (2) and a spare */
}

void
cli_default_db(struct cli_opts *o)
{
    if (o->db)
        return;
    snprintf(o->db_default, sizeof(o->db_default), "sqlite:%s/xiangzhi.db", o->data);
    o->db = o->db_default;
}
