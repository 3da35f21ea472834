/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/statement.c -- a household's points statement for a bank
 * (积分贷, shop.h): balance, points earned and redeemed, how many entries,
 * committed to the verifiable log so that the bank can check the statement's
 * receipt without asking anyone. The SQL of point_statements. */
#include "core/compat.h"

#include <stdlib.h>

#include "core/clock.h"
#include "core/jsonw.h"
#include "domain/auth/auth.h"
#include "domain/document/document.h"
#include "domain/points/points_int.h"
#include "domain/points/shop.h"
#include "domain/region/region.h"
#include "store/db.h"
#include "tlog/check.h"
#include "tlog/tlog.h"

static void
statement_record(const struct point_statement *st, struct sbuf *out)
{
    struct jsonw w;

    jsonw_init(&w, out);
    jsonw_object(&w);
    jsonw_kint(&w, "id", st->id);
    jsonw_kint(&w, "household_id", st->household_id);
    jsonw_kstr(&w, "village_code", st->village_code);
    jsonw_kint(&w, "outlet_id", st->outlet_id);
    jsonw_kint(&w, "balance", st->balance);
    jsonw_kint(&w, "earned", st->earned);
    jsonw_kint(&w, "deducted", st->deducted);
    jsonw_kint(&w, "redeemed", st->redeemed);
    jsonw_kint(&w, "entries", st->entries);
    jsonw_kref(&w, "last_entry", st->last_entry);
    jsonw_kint(&w, "issued_at", st->issued_at);
    jsonw_end_object(&w);
}

/* The household's totals from its entries. */
static int
totals(struct db_conn *c, struct point_statement *st, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN redemption_id IS NULL AND"
                        " delta > 0 THEN delta ELSE 0 END), 0), COALESCE(-SUM(CASE WHEN"
                        " redemption_id IS NULL AND delta < 0 THEN delta ELSE 0 END), 0),"
                        " COALESCE(-SUM(CASE WHEN redemption_id IS NULL THEN 0 ELSE delta END), 0),"
                        " COALESCE(MAX(id), 0) FROM point_entries WHERE household_id = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, st->household_id);
    rc = db_step(s, err);
    if (rc == 1) {
        st->entries = db_col_i64(s, 0);
        st->earned = db_col_i64(s, 1);
        st->deducted = db_col_i64(s, 2);
        st->redeemed = db_col_i64(s, 3);
        st->last_entry = db_col_i64(s, 4);
    }
    db_reset(s);
    return rc < 0 ? rc : points_balance_raw(c, st->household_id, &st->balance, err);
}

static int
insert_statement(struct db_conn *c, const struct actor *a, struct point_statement *st,
                 struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO point_statements (household_id, outlet_id, balance, earned,"
                        " redeemed, entries, last_entry, issued_by, tlog_index, issued_at,"
                        " deducted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, st->household_id);
    db_bind_i64(s, 2, st->outlet_id);
    db_bind_i64(s, 3, st->balance);
    db_bind_i64(s, 4, st->earned);
    db_bind_i64(s, 5, st->redeemed);
    db_bind_i64(s, 6, st->entries);
    if (st->last_entry)
        db_bind_i64(s, 7, st->last_entry);
    else
        db_bind_null(s, 7);
    if (a->who)
        db_bind_i64(s, 8, a->who->user_id);
    else
        db_bind_null(s, 8);
    db_bind_i64(s, 9, st->tlog_index);
    db_bind_i64(s, 10, st->issued_at);
    db_bind_i64(s, 11, st->deducted);
    rc = db_step(s, err);
    if (rc == 1)
        st->id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : err_code_set(err, ERR_DB, NULL);
}

static int
append_leaf(struct db_conn *c, const struct point_statement *st, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    uint64_t index;
    int rc;

    statement_record(st, &record);
    sbuf_addf(&ref, "points/statement/%lld", (long long)st->id);
    rc = tlog_append(c,
                     &(struct tlog_record){ "points.statement", ref.buf, st->village_code,
                                            st->issued_at, record.buf, record.len },
                     &index, err);
    if (rc == 0 && (int64_t)index != st->tlog_index)
        rc = err_set(err, ERR_INTERNAL, "", "日志序号不符", "the log index moved");
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

int
points_statement_issue(struct db_conn *c, const struct actor *a, int64_t household_id,
                       int64_t outlet_id, struct point_statement *out, struct err *err)
{
    struct point_outlet o;
    struct region village;
    uint64_t next;
    int rc = points_household_name(c, household_id, out->village_code, out->household_name,
                                   sizeof(out->household_name), err);

    out->household_id = household_id;
    out->outlet_id = outlet_id;
    if (rc == 0)
        rc = points_may(a, PERM_POINTS_READ, out->village_code, household_id, POINTS_OBJ_HOUSEHOLD,
                        err);
    if (rc == 0)
        rc = points_outlet_get(c, outlet_id, &o, err);
    if (rc == 0 && points_village_readable(a, o.village_code, err) < 0)
        rc = points_not_found(err, POINTS_OBJ_OUTLET); /* another village's bank: unseen */
    if (rc == 0 && (strcmp(o.kind, "bank") != 0 || !o.active ||
                    strcmp(o.village_code, out->village_code) != 0))
        rc = err_set(err, ERR_INVALID, "outlet_id", "请选择本村办理积分贷的银行",
                     "choose a bank of the household's village");
    if (rc < 0)
        return rc;
    snprintf(out->outlet_name, sizeof(out->outlet_name), "%s", o.name);
    rc = region_get(c, out->village_code, &village, err);
    if (rc == 0) {
        snprintf(out->village_name, sizeof(out->village_name), "%s", village.name);
        rc = totals(c, out, err);
    }
    if (rc == 0)
        rc = tlog_size(c, &next, err);
    out->tlog_index = (int64_t)next;
    out->issued_at = clock_now_ms();
    if (rc == 0)
        rc = insert_statement(c, a, out, err);
    if (rc == 0)
        rc = append_leaf(c, out, err);
    if (rc == 0)
        rc = points_audit(c, a, "points.statement", out->id, out->village_code, o.name, err);
    return rc;
}

#define STATEMENT_COLUMNS                                                                          \
    "SELECT s.id, s.household_id, h.village_code, s.outlet_id, s.balance, s.earned, s.redeemed,"   \
    " s.entries, COALESCE(s.last_entry, 0), s.tlog_index, s.issued_at, s.deducted"                 \
    " FROM point_statements s"                                                                     \
    " JOIN households h ON h.id = s.household_id "

static void
read_statement(struct db_stmt *s, void *row)
{
    struct point_statement *st = row;

    memset(st, 0, sizeof(*st));
    st->id = db_col_i64(s, 0);
    st->household_id = db_col_i64(s, 1);
    db_col_copy(s, 2, st->village_code, sizeof(st->village_code));
    st->outlet_id = db_col_i64(s, 3);
    st->balance = db_col_i64(s, 4);
    st->earned = db_col_i64(s, 5);
    st->redeemed = db_col_i64(s, 6);
    st->entries = db_col_i64(s, 7);
    st->last_entry = db_col_i64(s, 8);
    st->tlog_index = db_col_i64(s, 9);
    st->issued_at = db_col_i64(s, 10);
    st->deducted = db_col_i64(s, 11);
}

/* One statement against its leaf. */
static int
check_one(struct db_conn *c, const struct point_statement *st, char *problem, size_t psize,
          struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT, entry = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES];
    int rc = tlog_entry(c, (uint64_t)st->tlog_index, &entry, salt, err);

    statement_record(st, &record);
    sbuf_addf(&ref, "points/statement/%lld", (long long)st->id);
    if (rc == -ERR_NOT_FOUND ||
        (rc == 0 && !tlog_entry_commits_to(entry.buf, entry.len, salt, "points.statement", ref.buf,
                                           record.buf, record.len))) {
        err_clear(err);
        snprintf(problem, psize, "points statement %lld differs from its log leaf %lld",
                 (long long)st->id, (long long)st->tlog_index);
        rc = 1;
    }
    sbuf_release(&record);
    sbuf_release(&ref);
    sbuf_release(&entry);
    return rc;
}

int
points_check_statements(struct db_conn *c, int64_t *count, char *problem, size_t psize,
                        struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(struct point_statement));
    const struct point_statement *all;
    int64_t leaves = 0;
    int rc = points_rows(c, STATEMENT_COLUMNS "WHERE s.id > ? ORDER BY s.id", NULL, 0,
                         read_statement, &rows, err);

    all = rows.items;
    for (size_t i = 0; rc == 0 && i < rows.n; i++)
        rc = check_one(c, &all[i], problem, psize, err);
    *count = (int64_t)rows.n;
    db_rows_release(&rows);
    if (rc == 0)
        rc = db_query_i64(c, "SELECT COUNT(*) FROM tlog_entries WHERE kind = 'points.statement'",
                          &leaves, err);
    if (rc == 0 && leaves != *count) {
        snprintf(problem, psize, "%lld statement leaves in the log, %lld statements",
                 (long long)leaves, (long long)*count);
        rc = 1;
    }
    return rc;
}

/* --- as a paper --- */

#define CHINA_MS (8 * 3600000LL)

/* YYYY-MM-DD of an instant, in China. */
static void
china_day(int64_t ms, char out[11])
{
    char iso[32];

    clock_iso8601(ms + CHINA_MS, iso, sizeof(iso));
    snprintf(out, 11, "%.10s", iso);
}

/* The entries the statement covers, newest first, as the document's table. */
static int
entries_table(struct db_conn *c, const struct point_statement *st, struct document *doc,
              struct err *err)
{
    struct db_stmt *s;
    char day[11];
    int rc = db_prepare(c,
                        "SELECT created_at, reason, delta FROM point_entries WHERE household_id = ?"
                        " AND id <= ? ORDER BY id DESC LIMIT 200",
                        &s, err);

    if (rc < 0)
        return rc;
    document_column(doc, "日期", "date");
    document_column(doc, "事由", "reason");
    document_column(doc, "积分", "points");
    db_bind_i64(s, 1, st->household_id);
    db_bind_i64(s, 2, st->last_entry);
    while ((rc = db_step(s, err)) == 1) {
        china_day(db_col_i64(s, 0), day);
        document_cell(doc, day);
        document_cell(doc, db_col_text(s, 1, NULL));
        document_cellf(doc, "%+lld", (long long)db_col_i64(s, 2));
    }
    db_reset(s);
    return rc;
}

int
points_statement_document(struct db_conn *c, const struct actor *a, int64_t id,
                          struct document *doc, struct err *err)
{
    struct point_statement st;
    struct point_outlet o;
    struct region village;
    char day[11];
    int rc = points_one(c, STATEMENT_COLUMNS "WHERE s.id = ?", NULL, id, read_statement, &st,
                        POINTS_OBJ_STATEMENT, err);

    if (rc == 0)
        rc = points_may(a, PERM_POINTS_READ, st.village_code, st.household_id, POINTS_OBJ_STATEMENT,
                        err);
    if (rc == 0)
        rc = points_household_name(c, st.household_id, st.village_code, st.household_name,
                                   sizeof(st.household_name), err);
    if (rc == 0)
        rc = region_get(c, st.village_code, &village, err);
    if (rc == 0)
        rc = points_outlet_get(c, st.outlet_id, &o, err);
    if (rc < 0)
        return rc;
    china_day(st.issued_at, day);
    document_title(doc, "积分证明(积分贷)", "Points statement (for a points loan)");
    document_field(doc, "家庭", "household", st.household_name);
    document_fieldf(doc, "村", "village", "%s(%s)", village.name, st.village_code);
    document_field(doc, "出具给", "issued to", o.name);
    document_fieldf(doc, "积分余额", "balance", "%lld", (long long)st.balance);
    document_fieldf(doc, "累计获得", "earned", "%lld", (long long)st.earned);
    document_fieldf(doc, "扣减", "deducted", "%lld", (long long)st.deducted);
    document_fieldf(doc, "已兑换", "redeemed", "%lld", (long long)st.redeemed);
    document_fieldf(doc, "积分记录", "entries", "%lld", (long long)st.entries);
    document_field(doc, "出具日期", "issued on", day);
    document_fieldf(doc, "证明编号", "statement no.", "%lld", (long long)st.id);
    doc->tlog_index = st.tlog_index;
    doc->issued_at = st.issued_at;
    return entries_table(c, &st, doc, err);
}
