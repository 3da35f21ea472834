/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/checkpoint.c -- signing and keeping checkpoints (tlog.h): the C2SP
 * tlog-checkpoint text of the current tree, as a signed note by the log's key.
 * Every checkpoint is kept, so any two can be proven consistent. The SQL of
 * tlog_checkpoints lives here. */
#include "core/compat.h"

#include "core/clock.h"
#include "store/db.h"
#include "tlog/tlog.h"

int
tlog_checkpoint_latest(struct db_conn *c, struct sbuf *note, uint64_t *size, struct err *err)
{
    struct db_stmt *s;
    const char *text;
    size_t len = 0;
    int rc = db_prepare(c, "SELECT size, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1",
                        &s, err);

    if (rc < 0)
        return rc;
    rc = db_step(s, err);
    if (rc == 1) {
        *size = (uint64_t)db_col_i64(s, 0);
        text = db_col_text(s, 1, &len);
        if (note)
            sbuf_add(note, text, len);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(err, ERR_NOT_FOUND, "checkpoint", "日志还没有签名的检查点",
                     "the log has no signed checkpoint yet");
    }
    db_reset(s);
    return rc;
}

static int
keep(struct db_conn *c, const struct tlog_checkpoint *cp, const struct sbuf *note,
     struct err *err)
{
    int rc = db_run(c, err,
                    "INSERT INTO tlog_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
                    "ibti", (int64_t)cp->size, (const void *)cp->root, (size_t)TLOG_HASH_BYTES,
                    note->buf, clock_now_ms());

    return rc < 0 ? rc : 0;
}

int
tlog_checkpoint_sign(struct db_conn *c, const struct tlog_skey *key, struct sbuf *note,
                     struct err *err)
{
    struct tlog_checkpoint cp = { .extensions = "" };
    struct tlog_hashes h = tlog_db_hashes(c);
    struct sbuf text = SBUF_INIT, signed_note = SBUF_INIT;
    uint64_t latest = 0;
    int rc;

    snprintf(cp.origin, sizeof(cp.origin), "%s", key->v.name);
    rc = tlog_size(c, &cp.size, err);
    if (rc == 0) {
        rc = tlog_checkpoint_latest(c, NULL, &latest, err);
        if (rc == 0 && latest == cp.size)
            return note ? tlog_checkpoint_latest(c, note, &latest, err) : 0;
        if (rc == -ERR_NOT_FOUND) {
            err_clear(err);
            rc = 0;
        }
    }
    if (rc == 0)
        rc = tlog_tree_hash(&h, cp.size, cp.root, err);
    if (rc == 0) {
        tlog_checkpoint_format(&cp, &text);
        rc = tlog_note_sign(text.buf, text.len, key, &signed_note, err);
    }
    if (rc == 0)
        rc = keep(c, &cp, &signed_note, err);
    if (rc == 0 && note)
        sbuf_add(note, signed_note.buf, signed_note.len);
    sbuf_release(&text);
    sbuf_release(&signed_note);
    return rc;
}

int
tlog_checkpoint_job(struct db_conn *c, void *key, struct err *err)
{
    return tlog_checkpoint_sign(c, key, NULL, err);
}
