/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/ledger.c -- the points ledger: append-only entries, each
 * with the household's balance and a leaf of the verifiable log in the same
 * transaction; reversals for corrections; the invariant check. The SQL of
 * point_entries and point_balances lives here. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/points/points_int.h"
#include "domain/points/shop.h"
#include "store/db.h"
#include "tlog/check.h"
#include "tlog/tlog.h"

/* What the entry's leaf commits to (points.h). */
static void
entry_record(const struct point_entry *e, struct sbuf *out)
{
    struct jsonw w;

    jsonw_init(&w, out);
    jsonw_object(&w);
    jsonw_kint(&w, "id", e->id);
    jsonw_kint(&w, "household_id", e->household_id);
    jsonw_kstr(&w, "village_code", e->village_code);
    jsonw_kref(&w, "cycle_id", e->cycle_id);
    jsonw_kref(&w, "item_id", e->item_id);
    jsonw_kref(&w, "claim_id", e->claim_id);
    jsonw_kint(&w, "delta", e->delta);
    jsonw_kstr(&w, "reason", e->reason);
    jsonw_kref(&w, "reversal_of", e->reversal_of);
    jsonw_kint(&w, "created_at", e->created_at);
    jsonw_end_object(&w);
}

/* Bind an optional reference: 0 is NULL. */
static void
bind_ref(struct db_stmt *s, int at, int64_t v)
{
    if (v)
        db_bind_i64(s, at, v);
    else
        db_bind_null(s, at);
}

/* The reference of an entry's own leaf. */
static void
entry_ref(const struct point_entry *e, struct sbuf *ref)
{
    sbuf_addf(ref, "points/entry/%lld", (long long)e->id);
}

static int
insert_entry(struct db_conn *c, struct point_entry *e, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO point_entries (household_id, village_code, cycle_id, item_id,"
                        " claim_id, delta, reason, reversal_of, tlog_index, created_at,"
                        " redemption_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, e->household_id);
    db_bind_text(s, 2, e->village_code, (size_t)-1);
    bind_ref(s, 3, e->cycle_id);
    bind_ref(s, 4, e->item_id);
    bind_ref(s, 5, e->claim_id);
    db_bind_i64(s, 6, e->delta);
    db_bind_text(s, 7, e->reason, (size_t)-1);
    bind_ref(s, 8, e->reversal_of);
    db_bind_i64(s, 9, e->tlog_index);
    db_bind_i64(s, 10, e->created_at);
    bind_ref(s, 11, e->redemption_id);
    rc = db_step(s, err);
    if (rc == 1)
        e->id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
}

int
points_entry_seal(struct db_conn *c, const struct point_entry *e, const char *kind, const char *ref,
                  const struct sbuf *record, struct err *err)
{
    uint64_t index;
    int rc = tlog_append(c,
                         &(struct tlog_record){ kind, ref, e->village_code, e->created_at,
                                                record->buf, record->len },
                         &index, err);

    if (rc == 0 && (int64_t)index != e->tlog_index)
        rc = err_set(err, ERR_INTERNAL, "", "日志序号不符", "the log index moved");
    return rc;
}

/* A balance never goes below zero: a deduction or correction takes at most
 * what the household has, and says so in its reason. (A redemption checks
 * before it gets here.) */
static int
limit_to_balance(struct db_conn *c, struct point_entry *e, struct err *err)
{
    int64_t balance;
    int rc;

    if (e->delta >= 0 || e->redemption_id)
        return 0;
    rc = points_balance_raw(c, e->household_id, &balance, err);
    if (rc < 0 || balance + e->delta >= 0)
        return rc;
    if (balance < 0)
        balance = 0;
    if (strlen(e->reason) + 64 < sizeof(e->reason))
        snprintf(e->reason + strlen(e->reason), 64, "（余额不足，实扣 %lld 分）",
                 (long long)balance);
    e->delta = -balance;
    return 0;
}

int
points_entry_insert(struct db_conn *c, struct point_entry *e, struct err *err)
{
    uint64_t next = 0;
    int rc = limit_to_balance(c, e, err);

    if (rc == 0)
        rc = tlog_size(c, &next, err);

    e->tlog_index = (int64_t)next;
    e->created_at = clock_now_ms();
    if (rc == 0)
        rc = insert_entry(c, e, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO point_balances (household_id, village_code, balance, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (household_id) DO UPDATE SET"
                    " balance = point_balances.balance + excluded.balance,"
                    " updated_at = excluded.updated_at",
                    "itii", e->household_id, e->village_code, e->delta, e->created_at);
    return rc < 0 ? rc : 0;
}

int
points_entry_add(struct db_conn *c, struct point_entry *e, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    int rc = points_entry_insert(c, e, err);

    if (rc == 0) {
        entry_record(e, &record);
        entry_ref(e, &ref);
        rc = points_entry_seal(c, e, "points.final", ref.buf, &record, err);
    }
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

int
points_veto(struct db_conn *c, const struct point_claim *k, const struct point_item *it,
            struct err *err)
{
    struct point_entry e = { .household_id = k->household_id,
                             .cycle_id = k->cycle_id,
                             .item_id = k->item_id,
                             .claim_id = k->id };
    struct db_stmt *s;
    int64_t net = 0;
    int rc = db_prepare(c,
                        "SELECT COALESCE(SUM(delta), 0) FROM point_entries WHERE household_id = ?"
                        " AND cycle_id = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, k->household_id);
    db_bind_i64(s, 2, k->cycle_id);
    rc = db_step(s, err);
    if (rc == 1)
        net = db_col_i64(s, 0);
    db_reset(s);
    if (rc < 0 || net <= 0)
        return rc < 0 ? rc : 0;
    e.delta = -net;
    snprintf(e.village_code, sizeof(e.village_code), "%s", k->village_code);
    snprintf(e.reason, sizeof(e.reason), "一票否决（%s）：本周期所得积分清零", it->name);
    return points_entry_add(c, &e, err);
}

#define ENTRY_COLUMNS                                                                              \
    "SELECT id, household_id, village_code, COALESCE(cycle_id, 0), COALESCE(item_id, 0),"          \
    " COALESCE(claim_id, 0), delta, reason, COALESCE(reversal_of, 0), tlog_index, created_at,"     \
    " COALESCE(redemption_id, 0) FROM point_entries "

static void
read_entry(struct db_stmt *s, void *row)
{
    struct point_entry *out = row;

    memset(out, 0, sizeof(*out));
    out->id = db_col_i64(s, 0);
    out->household_id = db_col_i64(s, 1);
    db_col_copy(s, 2, out->village_code, sizeof(out->village_code));
    out->cycle_id = db_col_i64(s, 3);
    out->item_id = db_col_i64(s, 4);
    out->claim_id = db_col_i64(s, 5);
    out->delta = db_col_i64(s, 6);
    db_col_copy(s, 7, out->reason, sizeof(out->reason));
    out->reversal_of = db_col_i64(s, 8);
    out->tlog_index = db_col_i64(s, 9);
    out->created_at = db_col_i64(s, 10);
    out->redemption_id = db_col_i64(s, 11);
}

static int
entry_get(struct db_conn *c, int64_t id, struct point_entry *out, struct err *err)
{
    return points_one(c, ENTRY_COLUMNS "WHERE id = ?", NULL, id, read_entry, out, POINTS_OBJ_ENTRY,
                      err);
}

int
points_reverse(struct db_conn *c, const struct actor *a, int64_t entry_id, const char *reason,
               struct point_entry *out, struct err *err)
{
    struct point_entry orig;
    int rc = entry_get(c, entry_id, &orig, err);

    if (rc == 0)
        rc = points_may(a, PERM_POINTS_REVIEW, orig.village_code, orig.household_id,
                        POINTS_OBJ_ENTRY, err);
    if (rc == 0)
        rc = points_not_own(c, a, orig.household_id, err);
    if (rc == 0 && (!reason || strlen(reason) < 2))
        rc = err_set(err, ERR_INVALID, "reason", "更正需写明理由", "a correction needs a reason");
    if (rc == 0 && orig.redemption_id)
        rc = err_set(err, ERR_CONFLICT, "id", "兑换记录不能冲正，请由兑换点退货处理",
                     "a redemption is not reversed here; the outlet takes the goods back");
    if (rc == 0 && orig.reversal_of)
        rc =
            err_set(err, ERR_CONFLICT, "id", "冲正记录不能再冲正", "a reversal cannot be reversed");
    if (rc == 0 &&
        db_run(c, err, "SELECT id FROM point_entries WHERE reversal_of = ?", "i", entry_id) == 1)
        rc = err_set(err, ERR_CONFLICT, "id", "该记录已冲正", "that entry is reversed already");
    if (rc < 0)
        return rc;
    *out = (struct point_entry){ .household_id = orig.household_id,
                                 .cycle_id = orig.cycle_id,
                                 .item_id = orig.item_id,
                                 .claim_id = orig.claim_id,
                                 .delta = -orig.delta,
                                 .reversal_of = entry_id };
    snprintf(out->village_code, sizeof(out->village_code), "%s", orig.village_code);
    snprintf(out->reason, sizeof(out->reason), "冲正：%s", reason);
    rc = points_entry_add(c, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.reverse", out->id, out->village_code, reason, err);
    return rc;
}

int
points_balance(struct db_conn *c, const struct actor *a, int64_t household_id, int64_t *balance,
               struct err *err)
{
    char village[13] = "";
    struct db_stmt *s;
    int rc = db_prepare(c, "SELECT village_code FROM households WHERE id = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household_id);
    rc = db_step(s, err);
    if (rc == 1)
        db_col_copy(s, 0, village, sizeof(village));
    db_reset(s);
    if (rc == 0)
        return points_not_found(err, POINTS_OBJ_HOUSEHOLD);
    if (rc < 0 || (rc = points_may(a, PERM_POINTS_READ, village, household_id, POINTS_OBJ_HOUSEHOLD,
                                   err)) < 0)
        return rc;
    return points_balance_raw(c, household_id, balance, err);
}

int
points_balance_raw(struct db_conn *c, int64_t household_id, int64_t *balance, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, "SELECT balance FROM point_balances WHERE household_id = ?", &s, err);

    *balance = 0;
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household_id);
    rc = db_step(s, err);
    if (rc == 1)
        *balance = db_col_i64(s, 0);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* An entry read with its leaf's bytes and salt (has_leaf false: no leaf). */
struct leafed_entry {
    struct point_entry e;
    struct sbuf leaf;
    unsigned char salt[TLOG_SALT_BYTES];
    bool has_leaf;
};

#define CHECK_CHUNK 4096

/* One entry against its leaf: the log commits to exactly this row. */
static int
check_leaf(const struct leafed_entry *le, char *problem, size_t psize)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    int rc = 0;

    if (!le->has_leaf) {
        snprintf(problem, psize, "points entry %lld: its leaf is missing", (long long)le->e.id);
        return 1;
    }
    if (le->e.redemption_id) /* committed to by its redemption's record: redeem.c checks it */
        return 0;
    entry_record(&le->e, &record);
    entry_ref(&le->e, &ref);
    if (!tlog_entry_commits_to(le->leaf.buf, le->leaf.len, le->salt, "points.final", ref.buf,
                               record.buf, record.len)) {
        snprintf(problem, psize, "points entry %lld differs from its log leaf %lld",
                 (long long)le->e.id, (long long)le->e.tlog_index);
        rc = 1;
    }
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

/* Up to CHECK_CHUNK entries after id 'after', each with its leaf. */
static int
read_chunk(struct db_conn *c, int64_t after, struct leafed_entry *out, size_t *n, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT e.id, e.household_id, e.village_code, COALESCE(e.cycle_id, 0),"
                        " COALESCE(e.item_id, 0), COALESCE(e.claim_id, 0), e.delta, e.reason,"
                        " COALESCE(e.reversal_of, 0), e.tlog_index, e.created_at,"
                        " COALESCE(e.redemption_id, 0), t.entry, t.salt FROM point_entries e"
                        " LEFT JOIN tlog_entries t ON t.idx = e.tlog_index WHERE e.id > ?"
                        " ORDER BY e.id LIMIT 4096",
                        &s, err);

    *n = 0;
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, after);
    while ((rc = db_step(s, err)) == 1) {
        struct leafed_entry *le = &out[(*n)++];
        const void *leaf, *salt;
        size_t llen = 0, slen = 0;

        read_entry(s, &le->e);
        sbuf_reset(&le->leaf);
        leaf = db_col_blob(s, 12, &llen);
        salt = db_col_blob(s, 13, &slen);
        le->has_leaf = leaf && salt && slen == TLOG_SALT_BYTES;
        if (le->has_leaf) {
            sbuf_add(&le->leaf, leaf, llen);
            memcpy(le->salt, salt, TLOG_SALT_BYTES);
        }
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

/* Every entry, in order, against its leaf: read in chunks with their leaves
 * (one query a chunk, not two an entry). */
static int
check_leaves(struct db_conn *c, int64_t *entries, char *problem, size_t psize, struct err *err)
{
    struct leafed_entry *chunk = xcalloc(CHECK_CHUNK, sizeof(*chunk));
    int64_t after = 0;
    size_t n = CHECK_CHUNK;
    int rc = 0;

    for (size_t i = 0; i < CHECK_CHUNK; i++)
        chunk[i].leaf = (struct sbuf)SBUF_INIT;
    while (rc == 0 && n == CHECK_CHUNK) {
        rc = read_chunk(c, after, chunk, &n, err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            (*entries)++;
            rc = check_leaf(&chunk[i], problem, psize);
        }
        if (n)
            after = chunk[n - 1].e.id;
    }
    for (size_t i = 0; i < CHECK_CHUNK; i++)
        sbuf_release(&chunk[i].leaf);
    free(chunk);
    return rc;
}

int
points_check_ledger(struct db_conn *c, int64_t *entries, char *problem, size_t psize,
                    struct err *err)
{
    int64_t bad = 0;
    int rc;

    *entries = 0;
    /* Every balance is the sum of its household's entries, and no household
     * with entries lacks a balance. */
    rc = db_query_i64(c,
                      "SELECT COUNT(*) FROM (SELECT e.household_id, SUM(e.delta) AS total"
                      " FROM point_entries e GROUP BY e.household_id) t"
                      " LEFT JOIN point_balances b ON b.household_id = t.household_id"
                      " WHERE b.balance IS NULL OR b.balance <> t.total",
                      &bad, err);
    if (rc == 0 && bad == 0)
        rc = db_query_i64(c,
                          "SELECT COUNT(*) FROM point_balances b WHERE b.balance <> COALESCE("
                          "(SELECT SUM(delta) FROM point_entries e WHERE e.household_id ="
                          " b.household_id), 0)",
                          &bad, err);
    if (rc == 0 && bad) {
        snprintf(problem, psize, "%lld households' balances differ from their entries",
                 (long long)bad);
        return 1;
    }
    if (rc == 0)
        rc = db_query_i64(c, "SELECT COUNT(*) FROM point_balances WHERE balance < 0", &bad, err);
    if (rc == 0 && bad) {
        snprintf(problem, psize, "%lld households' balances are below zero", (long long)bad);
        return 1;
    }
    if (rc == 0)
        rc = check_leaves(c, entries, problem, psize, err);
    if (rc == 0)
        rc = db_query_i64(c,
                          "SELECT COUNT(*) FROM tlog_entries WHERE kind IN ('points.final',"
                          " 'points.redeem')",
                          &bad, err);
    if (rc == 0 && bad != *entries) {
        snprintf(problem, psize, "%lld points leaves in the log, %lld entries in the ledger",
                 (long long)bad, (long long)*entries);
        return 1;
    }
    return rc;
}

int
points_entries_of(struct db_conn *c, const struct actor *a, int64_t household_id, int limit,
                  struct point_entry **out, size_t *n, int64_t *balance, struct err *err)
{
    struct db_stmt *s;
    int rc = points_balance(c, a, household_id, balance, err);

    *out = NULL;
    *n = 0;
    if (rc < 0)
        return rc;
    if (limit < 1 || limit > 200)
        limit = 20;
    rc = db_prepare(c, ENTRY_COLUMNS "WHERE household_id = ? ORDER BY id DESC LIMIT ?", &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, household_id);
    db_bind_i64(s, 2, limit);
    *out = xcalloc((size_t)limit, sizeof(**out));
    while ((rc = db_step(s, err)) == 1)
        read_entry(s, &(*out)[(*n)++]);
    db_reset(s);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc < 0 ? rc : 0;
}
