/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/check.c -- see check.h. The entries are read in order once; the
 * subtrees they complete are rebuilt on a stack exactly as tlog_append stores
 * them and compared row by row. */
#include "core/compat.h"

#include <sodium.h>
#include <stdarg.h>

#include "store/db.h"
#include "tlog/check.h"

/* Note the first disagreement; returns 1 ("something disagrees"). */
static int disagree(struct tlog_check_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
disagree(struct tlog_check_report *r, const char *fmt, ...)
{
    va_list ap;

    if (!r->problem[0]) {
        va_start(ap, fmt);
        vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
        va_end(ap);
    }
    return 1;
}

/* Compare the stored hash (level, index) with 'want'. */
static int
check_hash(struct db_conn *c, struct tlog_check_report *r, int level, uint64_t index,
           const unsigned char want[TLOG_HASH_BYTES], struct err *err)
{
    struct tlog_hashes h = tlog_db_hashes(c);
    unsigned char got[TLOG_HASH_BYTES];
    int rc = h.read(h.ctx, level, index, got, err);

    if (rc == -ERR_NOT_FOUND) {
        err_clear(err);
        return disagree(r, "stored hash missing at level %d, index %" PRIu64, level, index);
    }
    if (rc < 0)
        return rc;
    r->hashes++;
    if (sodium_memcmp(got, want, TLOG_HASH_BYTES) != 0)
        return disagree(r, "stored hash differs at level %d, index %" PRIu64, level, index);
    return 0;
}

/* Leaf 'i' with hash 'leaf': its level-0 hash and each subtree it completes,
 * folded onto the stack of complete subtrees (stack[level] for set bits). */
static int
check_leaf(struct db_conn *c, struct tlog_check_report *r, uint64_t i,
           unsigned char stack[64][TLOG_HASH_BYTES], const unsigned char leaf[TLOG_HASH_BYTES],
           struct err *err)
{
    unsigned char h[TLOG_HASH_BYTES];
    int level = 0, rc = check_hash(c, r, 0, i, leaf, err);

    memcpy(h, leaf, TLOG_HASH_BYTES);
    for (uint64_t j = i; rc == 0 && (j & 1); j >>= 1) {
        tlog_node_hash(stack[level], h, h);
        rc = check_hash(c, r, ++level, j >> 1, h, err);
    }
    memcpy(stack[level], h, TLOG_HASH_BYTES);
    return rc;
}

static int
check_entries(struct db_conn *c, struct tlog_check_report *r, uint64_t size,
              tlog_progress_fn progress, void *arg, struct err *err)
{
    unsigned char stack[64][TLOG_HASH_BYTES], leaf[TLOG_HASH_BYTES];
    struct db_stmt *s;
    const void *e;
    size_t len = 0;
    int rc = db_prepare(c, "SELECT idx, entry FROM tlog_entries ORDER BY idx", &s, err), bad = 0;

    if (rc < 0)
        return rc;
    while (bad == 0 && (rc = db_step(s, err)) == 1) {
        if ((uint64_t)db_col_i64(s, 0) != r->leaves) {
            bad = disagree(r, "entry %" PRIu64 " missing (found %" PRId64 ")", r->leaves,
                           db_col_i64(s, 0));
            break;
        }
        e = db_col_blob(s, 1, &len);
        tlog_leaf_hash(e, len, leaf);
        bad = check_leaf(c, r, r->leaves, stack, leaf, err);
        if (++r->leaves % 65536 == 0 && progress)
            progress(r->leaves, size, arg);
    }
    db_reset(s);
    return rc < 0 ? rc : bad;
}

/* Each kept checkpoint: the log's signature, and the root of its size. */
static int
check_checkpoints(struct db_conn *c, const struct tlog_vkey *key, struct tlog_check_report *r,
                  struct err *err)
{
    struct tlog_hashes h = tlog_db_hashes(c);
    struct tlog_checkpoint cp;
    unsigned char root[TLOG_HASH_BYTES];
    struct db_stmt *s;
    struct err e2 = ERR_INIT;
    const char *note;
    size_t len = 0, tlen;
    int rc = db_prepare(c, "SELECT size, note FROM tlog_checkpoints ORDER BY size", &s, err),
        bad = 0;

    if (rc < 0)
        return rc;
    while (bad == 0 && (rc = db_step(s, err)) == 1) {
        uint64_t size = (uint64_t)db_col_i64(s, 0);

        note = db_col_text(s, 1, &len);
        if (tlog_note_verify(note, len, key, &tlen, &e2) < 0 ||
            tlog_checkpoint_parse(note, tlen, &cp, &e2) < 0 || cp.size != size)
            bad =
                disagree(r, "checkpoint of size %" PRIu64 " is not signed by the log's key", size);
        else if (size > r->leaves || tlog_tree_hash(&h, size, root, &e2) < 0 ||
                 sodium_memcmp(root, cp.root, TLOG_HASH_BYTES) != 0)
            bad = disagree(r, "checkpoint of size %" PRIu64 " does not match the log's root", size);
        else
            r->checkpoints++;
    }
    db_reset(s);
    return rc < 0 ? rc : bad;
}

int
tlog_check(struct db_conn *c, const struct tlog_vkey *key, struct tlog_check_report *r,
           tlog_progress_fn progress, void *arg, struct err *err)
{
    uint64_t size = 0;
    int64_t rows = 0;
    int rc;

    memset(r, 0, sizeof(*r));
    rc = tlog_size(c, &size, err);
    if (rc == 0)
        rc = check_entries(c, r, size, progress, arg, err);
    if (rc == 0)
        rc = db_query_i64(c, "SELECT COUNT(*) FROM tlog_hashes", &rows, err);
    if (rc == 0 && (uint64_t)rows != r->hashes)
        rc = disagree(r, "%" PRId64 " stored hashes, %" PRIu64 " expected", rows, r->hashes);
    if (rc == 0)
        rc = check_checkpoints(c, key, r, err);
    return rc;
}

/* Line 'n' (0-based) of the entry, without its "\n". */
static bool
entry_line(const char *entry, size_t len, int n, const char **s, size_t *slen)
{
    const char *p = entry, *end = entry + len, *nl;

    for (int i = 0; p < end; i++, p = nl + 1) {
        if (!(nl = memchr(p, '\n', (size_t)(end - p))))
            return false;
        if (i == n) {
            *s = p;
            *slen = (size_t)(nl - p);
            return true;
        }
    }
    return false;
}

static bool
line_is(const char *entry, size_t len, int n, const char *want)
{
    const char *s;
    size_t slen;

    return entry_line(entry, len, n, &s, &slen) && slen == strlen(want) &&
           memcmp(s, want, slen) == 0;
}

bool
tlog_entry_commits_to(const char *entry, size_t len, const unsigned char salt[TLOG_SALT_BYTES],
                      const char *kind, const char *ref, const void *record, size_t record_len)
{
    unsigned char commit[TLOG_HASH_BYTES];
    char b64[sodium_base64_ENCODED_LEN(TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char want[256];

    tlog_commitment(salt, record, record_len, commit);
    sodium_bin2base64(b64, sizeof(b64), commit, sizeof(commit), sodium_base64_VARIANT_ORIGINAL);
    snprintf(want, sizeof(want), "commit %s", b64);
    if (!line_is(entry, len, 0, "xiangzhi/leaf/v1") || !line_is(entry, len, 5, want))
        return false;
    snprintf(want, sizeof(want), "kind %s", kind);
    if (!line_is(entry, len, 1, want))
        return false;
    snprintf(want, sizeof(want), "ref %s", ref);
    return line_is(entry, len, 2, want);
}
