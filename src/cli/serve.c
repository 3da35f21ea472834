/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/serve.c -- 'serve': wire the database, the writer and the HTTP server
 * together, run until SIGTERM or SIGINT, then shut down without losing work:
 * stop accepting, let the writer commit and answer everything queued, let the
 * answered requests go out, and only then close connections. */
#include "core/compat.h"

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/module.h"
#include "api/principal_cache.h"
#include "cli/cli.h"
#include "core/blobcache.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/workpool.h"
#include "core/log.h"
#include "store/db.h"
#include "store/migrate.h"
#include "domain/workflow/workflow.h"
#include "store/scheduler.h"
#include "store/writer.h"
#include "tlog/keyfile.h"
#include "tlog/tlog.h"

/* Households whose members stay rendered; full hash tiles of the log (8 KiB
 * each: at most 64 MB, every tile of a log of 2 million leaves) and full entry
 * bundles (~64 KiB each: at most 32 MB). */
#define MEMBERS_CACHE_SLOTS 8192
#define TILE_CACHE_SLOTS 8192
#define BUNDLE_CACHE_SLOTS 512

static void
writer_metrics(struct sbuf *out, void *ctx)
{
    struct writer_stats st;
    uint64_t cum = 0;

    writer_get_stats(ctx, &st);
    sbuf_addf(out,
              "# HELP xiangzhi_writer_queue_depth Write jobs waiting for the writer.\n"
              "# TYPE xiangzhi_writer_queue_depth gauge\nxiangzhi_writer_queue_depth %d\n"
              "# HELP xiangzhi_writer_jobs_total Write jobs answered, by result.\n"
              "# TYPE xiangzhi_writer_jobs_total counter\n"
              "xiangzhi_writer_jobs_total{result=\"committed\"} %" PRIu64 "\n"
              "xiangzhi_writer_jobs_total{result=\"failed\"} %" PRIu64 "\n"
              "# HELP xiangzhi_writer_reruns_total Batches run again with a savepoint per job "
              "after one failed.\n"
              "# TYPE xiangzhi_writer_reruns_total counter\n"
              "xiangzhi_writer_reruns_total %" PRIu64 "\n"
              "# HELP xiangzhi_writer_batch_size Jobs per committed transaction.\n"
              "# TYPE xiangzhi_writer_batch_size histogram\n",
              st.queue_depth, st.jobs_ok, st.jobs_failed, st.reruns);
    for (int b = 0; b < WRITER_BATCH_BUCKETS; b++) {
        cum += st.batch_hist[b];
        if (b < WRITER_BATCH_BUCKETS - 1)
            sbuf_addf(out, "xiangzhi_writer_batch_size_bucket{le=\"%d\"} %" PRIu64 "\n", 1 << b,
                      cum);
        else
            sbuf_addf(out, "xiangzhi_writer_batch_size_bucket{le=\"+Inf\"} %" PRIu64 "\n", cum);
    }
    sbuf_addf(out,
              "xiangzhi_writer_batch_size_sum %" PRIu64 "\n"
              "xiangzhi_writer_batch_size_count %" PRIu64 "\n",
              st.batch_jobs_sum, st.batches);
}

static FILE *
open_access_log(const char *spec)
{
    FILE *f;

    if (strcmp(spec, "off") == 0)
        return NULL;
    if (strcmp(spec, "-") == 0)
        return stderr;
    f = fopen(spec, "ae");
    if (f)
        setvbuf(f, NULL, _IOFBF, 1 << 16);
    else
        log_warn(NULL, "cannot open access log %s; logging to stderr", spec);
    return f ? f : stderr;
}

static int
wait_for_signal(void)
{
    sigset_t set;
    int sig = 0;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigwait(&set, &sig);
    return sig;
}

/* Block the stop signals before any thread starts, so only sigwait sees them. */
static void
block_signals(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The log's key (made now for a data directory from before the log) and its
 * verifier key as text. */
static int
load_log_key(const struct cli_opts *o, struct tlog_skey *key, struct sbuf *vkey, struct err *e)
{
    bool created = false;
    int rc = tlog_key_ensure(o->data, o->origin, &created, e);

    if (rc == 0)
        rc = tlog_key_load(o->data, key, e);
    if (rc == 0) {
        tlog_vkey_format(&key->v, vkey);
        if (created)
            log_info(NULL, "made the log key; verifier key %s", vkey->buf);
    }
    return rc;
}

/* How often a job at least looks: a short publicity window (a trial) needs
 * it sooner than the minute that is enough otherwise. */
static int
often(const struct cli_opts *o, int every_s)
{
    int trial = o->publicity < 240 ? 1 + o->publicity / 4 : INT32_MAX;

    return every_s < trial ? every_s : trial;
}

/* Each module's scheduled jobs (domain/module.h), and every workflow's time
 * limits (one job for all). */
static int
schedule_modules(const struct cli_opts *o, struct scheduler *s, struct err *e)
{
    int rc = scheduler_every(s, "deadlines", often(o, 60), wf_deadlines_job, NULL, e);

    for (size_t m = 0; rc == 0 && m < api_modules_count; m++)
        for (size_t j = 0; rc == 0 && j < api_modules[m]->domain->njobs; j++) {
            const struct module_job *job = &api_modules[m]->domain->jobs[j];

            rc = scheduler_every(s, job->name, often(o, job->every_s), job->run, NULL, e);
        }
    return rc;
}

/* Checkpoints every o->checkpoint_every seconds while the log grows -- and one
 * now, so that leaves appended before a restart are in a signed checkpoint
 * from the first request on -- and the modules' jobs. */
static int
start_scheduler(const struct cli_opts *o, struct writer *w, struct tlog_skey *key,
                struct scheduler **out, struct err *e)
{
    if (writer_call(w, tlog_checkpoint_job, key, e) < 0)
        return -e->code;
    *out = scheduler_new(w);
    if (scheduler_every(*out, "checkpoint", o->checkpoint_every, tlog_checkpoint_job, key, e) < 0 ||
        schedule_modules(o, *out, e) < 0 || scheduler_start(*out, e) < 0) {
        scheduler_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static void
free_caches(struct api_ctx *ctx)
{
    principal_cache_free(ctx->principals);
    blob_cache_free(ctx->members);
    blob_cache_free(ctx->tiles);
    blob_cache_free(ctx->bundles);
}

static void
shut_down(struct http_server *http, struct writer *w, struct workpool *slow)
{
    int left;

    http_quiesce(http);
    workpool_stop(slow); /* its tasks hand their writes to the writer, so it stops first */
    writer_stop(w);      /* commits and answers every queued job; resumes their requests */
    left = http_wait_idle(http, 5000);
    if (left)
        log_warn(NULL, "%d requests still in flight at shutdown", left);
    http_stop(http);
    writer_free(w);
}

int
cli_run_server(const struct cli_opts *o, struct db *db)
{
    /* XIANGZHI_TEST_RERUN: the tests' check that every write job, run twice,
     * answers the same (store/writer.h); never for production. */
    struct writer_options wopt = { o->queue_max, o->batch_max,
                                   getenv("XIANGZHI_TEST_RERUN") != NULL };
    struct http_options hopt = { 0 };
    struct http_limits limits = HTTP_LIMITS_DEFAULT;
    struct api_ctx ctx = { 0 };
    struct http_server *http = NULL;
    struct writer *w = NULL;
    struct workpool *slow = NULL;
    struct scheduler *sched = NULL;
    struct crypto_keys keys;
    struct tlog_skey log_key;
    struct tlog_vkey witnesses[TLOG_MAX_WITNESSES];
    int nwitnesses = 0;
    struct sbuf vkey = SBUF_INIT;
    struct err e = ERR_INIT;
    size_t nroutes;

    limits.conn_timeout = (unsigned)o->timeout;
    api_modules_init(&(struct module_settings){ .publicity_s = o->publicity });
    block_signals();
    if (crypto_init() < 0 || crypto_load_keys(o->data, &keys, &e) < 0 ||
        load_log_key(o, &log_key, &vkey, &e) < 0 ||
        tlog_witnesses_load(o->data, witnesses, &nwitnesses, &e) < 0 || migrate_check(db, &e) < 0 ||
        workpool_start(2, 1024, &slow, &e) < 0 || writer_start(db, &wopt, &w, &e) < 0 ||
        start_scheduler(o, w, &log_key, &sched, &e) < 0) {
        cli_print_err("无法启动 / cannot start", &e);
        writer_stop(w);
        writer_free(w);
        workpool_stop(slow);
        sbuf_release(&vkey);
        return 1;
    }
    ctx = (struct api_ctx){ .db = db,
                            .writer = w,
                            .version = XIANGZHI_VERSION,
                            .backend = db_backend(db),
                            .started_ms = clock_now_ms(),
                            .keys = &keys,
                            .slow = slow,
                            .principals = principal_cache_new(),
                            .members = blob_cache_new(MEMBERS_CACHE_SLOTS),
                            .tiles = blob_cache_new(TILE_CACHE_SLOTS),
                            .bundles = blob_cache_new(BUNDLE_CACHE_SLOTS),
                            .secure_cookies = o->secure_cookies,
                            .log_key = &log_key,
                            .log_vkey = vkey.buf,
                            .witnesses = witnesses,
                            .nwitnesses = nwitnesses,
                            .data_dir = o->data,
                            .rerun_check = wopt.rerun_always };
    hopt = (struct http_options){ .listen = o->listen,
                                  .threads = (unsigned)o->threads,
                                  .limits = limits,
                                  .routes = api_route_table(&nroutes),
                                  .nroutes = nroutes,
                                  .authorize = api_authorize,
                                  .status_of = api_status_of,
                                  .request_done = api_request_done,
                                  .app = &ctx,
                                  .access_log = open_access_log(o->access_log),
                                  .metrics_extra = writer_metrics,
                                  .metrics_ctx = w,
                                  .web_dir = o->web };
    if (http_start(&hopt, &http, &e) < 0) {
        cli_print_err("无法启动 / cannot start", &e);
        scheduler_free(sched);
        writer_stop(w);
        writer_free(w);
        workpool_stop(slow);
        free_caches(&ctx);
        sbuf_release(&vkey);
        return 1;
    }
    printf("xiangzhi 已启动 / serving: http://%s  (数据库 / database: %s)\n", o->listen,
           db_backend(db));
    if (http_serves_web(http))
        printf("  门户 / portal: http://%s/   手机端 / phone app: http://%s/app/   "
               "管理台 / console: http://%s/console/\n",
               o->listen, o->listen, o->listen);
    printf("  接口 / API: http://%s/api/v1/version   按 Ctrl-C 停止 / press Ctrl-C to stop\n",
           o->listen);
    fflush(stdout);
    log_info(NULL, "listening on %s port %u", o->listen, http_port(http));
    log_info(NULL, "received signal %d, shutting down", wait_for_signal());
    scheduler_free(sched); /* before the writer it submits to */
    shut_down(http, w, slow);
    sodium_memzero(&log_key, sizeof(log_key));
    sbuf_release(&vkey);
    free_caches(&ctx);
    if (hopt.access_log && hopt.access_log != stderr)
        fclose(hopt.access_log);
    log_info(NULL, "stopped cleanly");
    return 0;
}

static const char serve_usage[] =
    "用法 / usage: xiangzhi serve [--db URL] [--data DIR] [--listen ADDR:PORT]\n"
    "                            [--threads N] [--access-log PATH|-|off] [--web DIR]\n"
    "                            [--queue-max N] [--batch-max N] [--checkpoint-every S]\n"
    "  启动整个平台(接口、公开页面、可验证日志)。Serve the whole platform.\n"
    "  --db URL          sqlite:PATH 或 postgresql://...   (XIANGZHI_DB)\n"
    "  --data DIR        密钥和附件 keys and attachments   (XIANGZHI_DATA)\n"
    "  --listen A:P      监听地址 listen address, 默认 127.0.0.1:8080 (XIANGZHI_LISTEN)\n"
    "  --threads N       I/O 线程数 I/O threads (default 2 x cores), 默认=CPU 核数×2 "
    "(XIANGZHI_THREADS)\n"
    "  --timeout S       连接空闲超时秒数 idle seconds before a connection closes, 默认 30 "
    "(XIANGZHI_TIMEOUT)\n"
    "  --access-log P    访问日志 access log: 文件 file, - 标准错误 stderr, off "
    "(XIANGZHI_ACCESS_LOG)\n"
    "  --web DIR         网页前端目录 the web front end's built files, 默认 web/dist "
    "(XIANGZHI_WEB)\n"
    "  --queue-max N     写入队列上限 write queue bound, 默认 4096 (XIANGZHI_QUEUE_MAX)\n"
    "  --secure-cookies  会话 Cookie 加 Secure(在 HTTPS 反向代理之后使用)/ mark cookies Secure "
    "(behind TLS)\n"
    "  --batch-max N     每次提交最多任务数 jobs per commit, 默认 512 (XIANGZHI_BATCH_MAX)\n"
    "  --checkpoint-every S  日志增长时每 S 秒签一个检查点 sign a log checkpoint every S\n"
    "                    seconds while the log grows, 默认 10 (XIANGZHI_CHECKPOINT_EVERY)\n"
    "  --origin NAME     日志密钥尚不存在时用此名称新建 the log's name if its key is made now\n"
    "  --publicity S     积分公示和异议期(秒)the points publicity and objection window in\n"
    "                    seconds, 默认 604800 = 7 天 days (XIANGZHI_PUBLICITY)\n"
    "  收到 SIGTERM/SIGINT 时完成进行中的请求和提交后退出。\n"
    "  On SIGTERM/SIGINT, finishes in-flight requests and commits, then exits.\n";

int
cli_serve(int argc, char **argv)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    struct cli_opts o;
    struct db *db = NULL;
    int rc = cli_parse(argc, argv, "serve", serve_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    dopt.pool_size = cli_db_pool_size(&o);
    if (db_open(o.db, &dopt, &db, &e) < 0) {
        cli_print_err("数据库 / database", &e);
        return 1;
    }
    rc = cli_run_server(&o, db);
    db_close(db);
    return rc;
}
