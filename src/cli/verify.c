/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/verify.c -- 'xiangzhi verify': checking the verifiable log without
 * trusting the server. Offline, from files anyone can hold: a receipt against
 * the log's verifier key; two checkpoints and the consistency proof between
 * them. On the server's database: the whole log recomputed from its entries,
 * every checkpoint, and every logged record against its leaf. Exit status 0
 * when everything checks, 1 when something does not, 2 for bad usage. */
#include "core/compat.h"

#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "api/module.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/xalloc.h"
#include "domain/ops/probe.h"
#include "store/db.h"
#include "store/migrate.h"
#include "tlog/check.h"
#include "tlog/receipt.h"

static const char verify_usage[] =
    "用法 / usage:\n"
    "  xiangzhi verify receipt FILE [--vkey KEY|FILE] [--witness KEY ...]\n"
    "                               [--checkpoint FILE [--proof FILE]]\n"
    "      核对一张收据:检查点的签名、条目在日志中的包含证明;每个 --witness 见证方\n"
    "      都须联署了该检查点;给了 --checkpoint 时,收据的日志须是它的前缀(更大时用\n"
    "      --proof 给一致性证明)。Check a receipt: the checkpoint's signature and the\n"
    "      entry's inclusion proof; each --witness must have cosigned the checkpoint; with\n"
    "      --checkpoint, the receipt's tree must be that one or a prefix of it (then\n"
    "      --proof gives the consistency proof).\n"
    "  xiangzhi verify consistency OLD NEW PROOF [--vkey KEY|FILE]\n"
    "      两个检查点(文件)和二者之间的一致性证明(/tlog/proof/consistency 的 JSON):\n"
    "      新日志只是在旧日志后追加。Two checkpoints and the consistency proof between\n"
    "      them (the JSON of /tlog/proof/consistency): the new log only appends to the old.\n"
    "  xiangzhi verify log [--db URL] [--data DIR]\n"
    "      在服务器上从条目重算整个日志,核对每个检查点和每条记录。\n"
    "      On the server: recompute the whole log from its entries; check every checkpoint\n"
    "      and every logged record.\n"
    "  xiangzhi verify MODULE [--db URL] [--data DIR]     (或 or: xiangzhi verify --MODULE)\n"
    "      一个模块的记录:例如 points 从积分记录重算每户余额,并核对每条记录都在日志中。\n"
    "      One module's records: e.g. points recomputes every household's balance from the\n"
    "      ledger and finds every entry in the log.\n"
    "  验证密钥默认读 DATA/tlog.vkey。The verifier key defaults to DATA/tlog.vkey.\n";

#define FILE_MAX (1 << 20)

#define MAX_WITNESS_ARGS 8

struct verify_cmd {
    struct cli_opts o;
    const char *vkey;
    const char *checkpoint, *proof; /* verify receipt --checkpoint [--proof] */
    const char *witnesses[MAX_WITNESS_ARGS];
    int nwitnesses;
    const char *args[3];
    int nargs;
};

static void
say_ok(const char *zh, const char *en)
{
    printf("  ✓ %s / %s\n", zh, en);
}

static int
fail(const char *what, const struct err *e)
{
    cli_print_err(what, e);
    return 1;
}

/* A whole (small) file into 'out'. */
static int
read_file(const char *path, struct sbuf *out, struct err *err)
{
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t n;

    if (!f)
        return err_set(err, ERR_IO, "file", "无法打开 %s", "cannot open %s", path);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && out->len < FILE_MAX)
        sbuf_add(out, buf, n);
    fclose(f);
    return out->len < FILE_MAX
               ? 0
               : err_set(err, ERR_TOO_LARGE, "file", "%s 太大", "%s is too large", path);
}

/* --vkey as a file if one is there, else as the key itself; DATA/tlog.vkey by default. */
static int
load_vkey(const struct verify_cmd *cmd, struct tlog_vkey *key, struct err *err)
{
    char path[4200];
    struct sbuf text = SBUF_INIT;
    const char *src = cmd->vkey;
    int rc = 0;

    if (!src) {
        snprintf(path, sizeof(path), "%s/tlog.vkey", cmd->o.data);
        src = path;
    }
    if (access(src, R_OK) == 0)
        rc = read_file(src, &text, err);
    else
        sbuf_adds(&text, src);
    if (rc == 0) {
        text.buf[strcspn(text.buf, "\r\n")] = '\0';
        rc = tlog_vkey_parse(text.buf, key, err);
    }
    sbuf_release(&text);
    return rc;
}

/* Each --witness must have cosigned the receipt's checkpoint. */
static int
check_witnesses(const struct verify_cmd *cmd, const struct tlog_receipt *r, struct err *e)
{
    struct tlog_vkey w;
    uint64_t time;
    size_t tlen;
    char when[32];

    for (int i = 0; i < cmd->nwitnesses; i++) {
        if (tlog_vkey_parse(cmd->witnesses[i], &w, e) < 0 ||
            tlog_cosignature_verify(r->note, r->note_len, &w, &time, &tlen, e) < 0)
            return -e->code;
        clock_iso8601((int64_t)time * 1000, when, sizeof(when));
        printf("  ✓ 见证方 %s 于 %s 联署了检查点 / witness %s cosigned the checkpoint at %s\n",
               w.name, when, w.name, when);
    }
    return 0;
}

static int read_checkpoint(const char *path, const struct tlog_vkey *key,
                           struct tlog_checkpoint *cp, struct sbuf *text, struct err *err);
static int read_proof(const char *path, unsigned char *proof, size_t *n, struct err *err);

/* --checkpoint: the receipt's entry is also in that (later or equal) tree: the
 * same tree, or one the receipt's grew into (--proof: the consistency proof). */
static int
against_checkpoint(const struct verify_cmd *cmd, const struct tlog_vkey *key,
                   const struct tlog_checkpoint *rc_cp, struct err *e)
{
    struct tlog_checkpoint cp;
    struct sbuf text = SBUF_INIT;
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES];
    size_t n = 0;
    int rc = read_checkpoint(cmd->checkpoint, key, &cp, &text, e);

    if (rc == 0 && cp.size > rc_cp->size && !cmd->proof)
        rc = err_set(e, ERR_INVALID, "proof", "该检查点更大,需要 --proof 一致性证明",
                     "that checkpoint is larger: give its consistency proof with --proof");
    if (rc == 0 && cp.size > rc_cp->size)
        rc = read_proof(cmd->proof, proof, &n, e);
    if (rc == 0 && (strcmp(cp.origin, rc_cp->origin) != 0 ||
                    !tlog_verify_consistency(rc_cp->size, cp.size, rc_cp->root, cp.root, proof, n)))
        rc = err_set(e, ERR_INVALID, "checkpoint", "收据的检查点与给定的检查点不一致",
                     "the receipt's checkpoint and the given one disagree");
    if (rc == 0) {
        say_ok("给定的检查点包含收据的日志", "the given checkpoint holds the receipt's log");
        printf("    %llu -> %llu\n", (unsigned long long)rc_cp->size, (unsigned long long)cp.size);
    }
    sbuf_release(&text);
    return rc;
}

static int
verify_receipt(const struct verify_cmd *cmd, const struct tlog_vkey *key)
{
    struct tlog_receipt *r = xmalloc(sizeof(*r));
    struct tlog_checkpoint cp;
    struct sbuf text = SBUF_INIT;
    struct err e = ERR_INIT;
    int rc = read_file(cmd->args[0], &text, &e);

    if (rc == 0)
        rc = tlog_receipt_parse(text.buf, text.len, r, &e);
    if (rc == 0)
        rc = tlog_receipt_verify(r, key, &cp, &e);
    if (rc == 0) {
        say_ok("检查点由日志密钥签名", "the checkpoint is signed by the log's key");
        printf("    %s: %llu 条 / entries\n", cp.origin, (unsigned long long)cp.size);
        say_ok("条目在日志中", "the entry is in the log");
        printf("    序号 / index %llu:\n%.*s", (unsigned long long)r->index, (int)r->extra_len,
               (const char *)r->extra);
        rc = check_witnesses(cmd, r, &e);
    }
    if (rc == 0 && cmd->checkpoint)
        rc = against_checkpoint(cmd, key, &cp, &e);
    free(r);
    sbuf_release(&text);
    return rc < 0 ? fail("收据 / receipt", &e) : 0;
}

/* A checkpoint file signed by 'key'. */
static int
read_checkpoint(const char *path, const struct tlog_vkey *key, struct tlog_checkpoint *cp,
                struct sbuf *text, struct err *err)
{
    size_t tlen;
    int rc = read_file(path, text, err);

    if (rc == 0)
        rc = tlog_note_verify(text->buf, text->len, key, &tlen, err);
    return rc < 0 ? rc : tlog_checkpoint_parse(text->buf, tlen, cp, err);
}

/* The "proof" array of a /tlog/proof/consistency answer. */
static int
read_proof(const char *path, unsigned char *proof, size_t *n, struct err *err)
{
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL), *v;
    size_t i, got;
    int rc = 0;

    *n = 0;
    if (!json_is_array(json_object_get(doc, "proof")))
        rc = err_set(err, ERR_MALFORMED, "proof", "证明文件不是一致性证明的 JSON",
                     "the proof file is not a consistency proof's JSON");
    json_array_foreach (json_object_get(doc, "proof"), i, v) {
        const char *b64 = json_string_value(v);

        if (rc < 0 || i >= TLOG_MAX_PROOF || !b64 ||
            sodium_base642bin(proof + i * TLOG_HASH_BYTES, TLOG_HASH_BYTES, b64, strlen(b64), NULL,
                              &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            got != TLOG_HASH_BYTES) {
            rc =
                err_set(err, ERR_MALFORMED, "proof", "证明中的哈希不对", "a bad hash in the proof");
            break;
        }
        *n = i + 1;
    }
    json_decref(doc);
    return rc;
}

static int
verify_consistency(const struct verify_cmd *cmd, const struct tlog_vkey *key)
{
    struct tlog_checkpoint a, b;
    struct sbuf ta = SBUF_INIT, tb = SBUF_INIT;
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES];
    struct err e = ERR_INIT;
    size_t n = 0;
    int rc = read_checkpoint(cmd->args[0], key, &a, &ta, &e);

    if (rc == 0)
        rc = read_checkpoint(cmd->args[1], key, &b, &tb, &e);
    if (rc == 0)
        rc = read_proof(cmd->args[2], proof, &n, &e);
    if (rc == 0 && (strcmp(a.origin, b.origin) != 0 ||
                    !tlog_verify_consistency(a.size, b.size, a.root, b.root, proof, n)))
        rc = err_set(&e, ERR_INVALID, "proof", "一致性证明不成立:新日志不是旧日志的延续",
                     "the consistency proof fails: the new log does not extend the old one");
    if (rc == 0) {
        say_ok("两个检查点都由日志密钥签名", "both checkpoints are signed by the log's key");
        say_ok("新日志只是在旧日志后追加", "the new log only appends to the old one");
        printf("    %s: %llu -> %llu\n", a.origin, (unsigned long long)a.size,
               (unsigned long long)b.size);
    }
    sbuf_release(&ta);
    sbuf_release(&tb);
    return rc < 0 ? fail("一致性 / consistency", &e) : 0;
}

static void
progress(uint64_t done, uint64_t total, void *arg)
{
    (void)arg;
    fprintf(stderr, "\r  %llu / %llu", (unsigned long long)done, (unsigned long long)total);
}

/* The checks of module 'm' (domain/module.h): 0, 1 (with 'problem') or -ERR_*;
 * each one's count printed. */
static int
module_checks(struct db_conn *c, const struct domain_module *m, char *problem, size_t psize,
              struct err *e)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < m->nchecks; i++) {
        int64_t n = 0;

        rc = m->checks[i].run(c, &n, problem, psize, e);
        if (rc == 0)
            printf("    %s / %s: %lld\n", m->checks[i].what_zh, m->checks[i].what_en, (long long)n);
    }
    return rc;
}

/* On one read snapshot: the log itself, then each module's records. */
static int
check_log_on(struct db_conn *c, const struct tlog_vkey *key, const void *arg, struct err *e)
{
    struct tlog_check_report r;
    char problem[256] = "";
    int64_t probes = 0;
    int rc = tlog_check(c, key, &r, progress, NULL, e);

    if (r.leaves >= 65536)
        fputc('\n', stderr); /* after the progress line */

    if (rc == 0) {
        say_ok("每个哈希都由条目重算一致", "every hash recomputes from the entries");
        printf("    %llu 条 / entries, %llu 个哈希 / hashes, %llu 个检查点 / checkpoints\n",
               (unsigned long long)r.leaves, (unsigned long long)r.hashes,
               (unsigned long long)r.checkpoints);
        rc = probe_check_log(c, &probes, problem, sizeof(problem), e);
    } else if (rc == 1) {
        snprintf(problem, sizeof(problem), "%s", r.problem);
    }
    (void)arg;
    if (rc == 0) {
        say_ok("每条记录都与它的日志条目一致", "every record matches its log entry");
        printf("    写入探针 / write probes: %lld\n", (long long)probes);
    }
    for (size_t m = 0; rc == 0 && m < api_modules_count; m++)
        rc = module_checks(c, api_modules[m]->domain, problem, sizeof(problem), e);
    if (rc == 1)
        printf("  ✗ 不一致 / disagreement: %s\n", problem);
    return rc;
}

/* On one read snapshot: one module's records alone (`verify points`). */
static int
check_module_on(struct db_conn *c, const struct tlog_vkey *key, const void *arg, struct err *e)
{
    const struct domain_module *m = arg;
    char problem[256] = "";
    int rc;

    (void)key;
    printf("  %s / %s\n", m->title_zh, m->title_en);
    rc = module_checks(c, m, problem, sizeof(problem), e);
    if (rc == 0)
        say_ok("每条记录都与它的账目和日志条目一致",
               "every record agrees with its accounts and its log entry");
    else if (rc == 1)
        printf("  ✗ 不一致 / disagreement: %s\n", problem);
    return rc;
}

typedef int (*snapshot_check_fn)(struct db_conn *c, const struct tlog_vkey *key, const void *arg,
                                 struct err *e);

static int
verify_log(const struct verify_cmd *cmd, const struct tlog_vkey *key, snapshot_check_fn check,
           const void *arg)
{
    struct db_options dopt = DB_OPTIONS_DEFAULT;
    struct err e = ERR_INIT;
    struct db *db = NULL;
    struct db_conn *c = NULL;
    int rc = db_open(cmd->o.db, &dopt, &db, &e);

    if (rc == 0)
        rc = migrate_check(db, &e); /* the tables of this binary's schema, no older */
    if (rc == 0 && !(c = db_acquire(db, &e)))
        rc = -e.code;
    if (rc == 0)
        rc = db_begin_read(c, &e);
    if (rc == 0) {
        rc = check(c, key, arg, &e);
        db_end_read(c);
    }
    db_release(c);
    db_close(db);
    return rc < 0 ? fail("日志 / log", &e) : rc;
}

static int
parse_verify(int argc, char **argv, struct verify_cmd *cmd)
{
    static const struct option opts[] = {
        { "vkey", required_argument, NULL, 'k' },
        { "witness", required_argument, NULL, 'w' },
        { "checkpoint", required_argument, NULL, 'c' },
        { "proof", required_argument, NULL, 'p' },
        { "db", required_argument, NULL, 'd' },
        { "data", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'k')
            cmd->vkey = optarg;
        else if (c == 'c')
            cmd->checkpoint = optarg;
        else if (c == 'p')
            cmd->proof = optarg;
        else if (c == 'w' && cmd->nwitnesses < MAX_WITNESS_ARGS)
            cmd->witnesses[cmd->nwitnesses++] = optarg;
        else if (c == 'd')
            cmd->o.db = optarg;
        else if (c == 'D')
            cmd->o.data = optarg;
        else
            return c == 'h' ? 1 : -1;
    }
    while (optind < argc && cmd->nargs < 3)
        cmd->args[cmd->nargs++] = argv[optind++];
    return optind < argc ? -1 : 0;
}

int
cli_verify(int argc, char **argv)
{
    struct verify_cmd cmd = { 0 };
    struct tlog_vkey key;
    struct err e = ERR_INIT;
    const char *what = argc > 1 ? argv[1] : "";
    const struct api_module *module;
    int rc;

    if (strncmp(what, "--", 2) == 0)
        what += 2; /* `verify --points` as well as `verify points` */
    module = api_module_named(what);
    if (argc < 2 || cli_parse(1, argv, "verify", verify_usage, &cmd.o) != 0)
        rc = -1;
    else
        rc = parse_verify(argc, argv, &cmd);
    if (cmd.o.db == cmd.o.db_default)
        cmd.o.db = NULL; /* derive it again once --data is known */
    if (rc != 0 || (strcmp(what, "receipt") == 0 && cmd.nargs != 1) ||
        (strcmp(what, "consistency") == 0 && cmd.nargs != 3) ||
        ((strcmp(what, "log") == 0 || module) && cmd.nargs != 0)) {
        fputs(verify_usage, rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    cli_default_db(&cmd.o);
    if (crypto_init() < 0 || load_vkey(&cmd, &key, &e) < 0)
        return fail("验证密钥 / verifier key", &e);
    if (strcmp(what, "receipt") == 0)
        return verify_receipt(&cmd, &key);
    if (strcmp(what, "consistency") == 0)
        return verify_consistency(&cmd, &key);
    if (strcmp(what, "log") == 0)
        return verify_log(&cmd, &key, check_log_on, NULL);
    if (module)
        return verify_log(&cmd, &key, check_module_on, module->domain);
    fputs(verify_usage, stderr);
    return 2;
}
