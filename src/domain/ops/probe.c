/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/ops/probe.c -- see probe.h. The SQL for ops_probe lives here. */
#include "core/compat.h"

#include <stdio.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/jsonw.h"
#include "domain/ops/probe.h"
#include "store/db.h"
#include "tlog/check.h"
#include "tlog/tlog.h"

/* What a probe's leaf commits to (tlog.h, kind ops.probe v1), and its ref. */
static void
probe_record(const struct probe *p, struct sbuf *record, struct sbuf *ref)
{
    struct jsonw w;

    jsonw_init(&w, record);
    jsonw_object(&w);
    jsonw_kint(&w, "id", p->id);
    jsonw_kint(&w, "created_at", p->created_at);
    jsonw_kstr(&w, "note", p->note);
    jsonw_end_object(&w);
    sbuf_addf(ref, "probe/%lld", (long long)p->id);
}

/* The probe's leaf in the verifiable log; "000000000000" is the platform
 * itself, not a place. */
static int
append_leaf(struct db_conn *c, const struct probe *p, uint64_t *index, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT;
    int rc;

    probe_record(p, &record, &ref);
    rc = tlog_append(c,
                     &(struct tlog_record){ "ops.probe", ref.buf, "000000000000", p->created_at,
                                            record.buf, record.len },
                     index, err);
    sbuf_release(&record);
    sbuf_release(&ref);
    return rc;
}

/* The probe row, told the index its leaf is about to get. */
static int
insert_row(struct db_conn *c, struct probe *p, uint64_t index, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "INSERT INTO ops_probe (created_at, request_id, note, tlog_index)"
                        " VALUES (?, ?, ?, ?) RETURNING id, created_at",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, clock_now_ms());
    db_bind_text(s, 2, p->request_id, (size_t)-1);
    db_bind_text(s, 3, p->note, (size_t)-1);
    db_bind_i64(s, 4, (int64_t)index);
    rc = db_step(s, err);
    if (rc == 1) {
        p->id = db_col_i64(s, 0);
        p->created_at = db_col_i64(s, 1);
        rc = 0;
    } else if (rc == 0) {
        rc = err_code_set(err, ERR_DB, NULL);
    }
    db_reset(s);
    return rc;
}

/* A job: the probe and its leaf in one transaction. */
static int
probe_insert(struct db_conn *c, void *arg, struct err *err)
{
    struct probe *p = arg;
    uint64_t next, index;
    int rc;

    if (json_utf8_chars(p->note) > PROBE_NOTE_CHARS)
        return err_set(err, ERR_TOO_LARGE, "note", "备注最多 %d 个字",
                       "the note allows at most %d characters", PROBE_NOTE_CHARS);
    rc = tlog_size(c, &next, err);
    if (rc == 0)
        rc = insert_row(c, p, next, err);
    if (rc == 0)
        rc = append_leaf(c, p, &index, err);
    if (rc == 0 && index != next)
        rc = err_set(err, ERR_INTERNAL, "", "日志序号不符", "the log index moved");
    p->tlog_index = (int64_t)index;
    return rc;
}

int
probe_submit(struct writer *w, struct probe *p, writer_done_fn done, void *arg, struct err *err)
{
    return writer_submit(w, probe_insert, p, done, arg, err);
}

static int
read_row(struct db_stmt *s, struct probe *out)
{
    out->id = db_col_i64(s, 0);
    out->created_at = db_col_i64(s, 1);
    db_col_copy(s, 2, out->request_id, sizeof(out->request_id));
    db_col_copy(s, 3, out->note, sizeof(out->note));
    out->tlog_index = db_col_is_null(s, 4) ? -1 : db_col_i64(s, 4);
    return 0;
}

int
probe_get(struct db *db, int64_t id, struct probe *out, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    struct db_stmt *s = NULL;
    int rc;

    if (!c)
        return -err->code;
    rc = db_prepare(
        c, "SELECT id, created_at, request_id, note, tlog_index FROM ops_probe WHERE id = ?", &s,
        err);
    if (rc == 0) {
        db_bind_i64(s, 1, id);
        rc = db_step(s, err);
        if (rc == 1)
            rc = read_row(s, out);
        else if (rc == 0)
            rc = err_set(err, ERR_NOT_FOUND, "id", "找不到编号为 %" PRId64 " 的写入探针",
                         "no write probe with id %" PRId64, id);
    }
    db_reset(s);
    db_release(c);
    return rc;
}

int
probe_count(struct db *db, int64_t *out, struct err *err)
{
    struct db_conn *c = db_acquire(db, err);
    int rc;

    if (!c)
        return -err->code;
    rc = db_query_i64(c, "SELECT COUNT(*) FROM ops_probe", out, err);
    db_release(c);
    return rc;
}

/* One probe row against its leaf: 1 and 'problem' when they disagree. */
static int
check_one(struct db_conn *c, const struct probe *p, char *problem, size_t psize, struct err *err)
{
    struct sbuf record = SBUF_INIT, ref = SBUF_INIT, entry = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES];
    int rc = tlog_entry(c, (uint64_t)p->tlog_index, &entry, salt, err);

    if (rc == -ERR_NOT_FOUND) {
        err_clear(err);
        snprintf(problem, psize, "probe %lld: its leaf %lld is missing", (long long)p->id,
                 (long long)p->tlog_index);
        rc = 1;
    } else if (rc == 0) {
        probe_record(p, &record, &ref);
        if (!tlog_entry_commits_to(entry.buf, entry.len, salt, "ops.probe", ref.buf, record.buf,
                                   record.len)) {
            snprintf(problem, psize, "probe %lld differs from what its leaf %lld commits to",
                     (long long)p->id, (long long)p->tlog_index);
            rc = 1;
        }
    }
    sbuf_release(&record);
    sbuf_release(&ref);
    sbuf_release(&entry);
    return rc;
}

int
probe_check_log(struct db_conn *c, int64_t *checked, char *problem, size_t psize, struct err *err)
{
    struct db_stmt *s;
    struct probe p;
    int64_t leaves = 0;
    int rc = db_prepare(c,
                        "SELECT id, created_at, request_id, note, tlog_index FROM ops_probe"
                        " WHERE tlog_index IS NOT NULL ORDER BY id",
                        &s, err),
        bad = 0;

    *checked = 0;
    if (rc < 0)
        return rc;
    while (bad == 0 && (rc = db_step(s, err)) == 1) {
        read_row(s, &p);
        bad = check_one(c, &p, problem, psize, err);
        (*checked)++;
    }
    db_reset(s);
    if (rc < 0 || bad)
        return rc < 0 ? rc : bad;
    rc =
        db_query_i64(c, "SELECT COUNT(*) FROM tlog_entries WHERE kind = 'ops.probe'", &leaves, err);
    if (rc == 0 && leaves != *checked) {
        snprintf(problem, psize, "%lld probe leaves in the log, %lld probes hold one",
                 (long long)leaves, (long long)*checked);
        return 1;
    }
    return rc;
}
