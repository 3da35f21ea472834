/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/checkpoint.c -- signing and keeping checkpoints (tlog.h): the C2SP
 * tlog-checkpoint text of the current tree, as a signed note by the log's key.
 * Every checkpoint is kept, so any two can be proven consistent. The SQL of
 * tlog_checkpoints lives here. */
#include "core/compat.h"

#include "core/clock.h"
#include "store/db.h"
#include "tlog/tlog.h"

/* The witnesses' lines for checkpoint 'size', after the log's own. */
static int
add_cosignatures(struct db_conn *c, uint64_t size, struct sbuf *note, struct err *err)
{
    struct db_stmt *s;
    const char *line;
    size_t len = 0;
    int rc = db_prepare(c, "SELECT line FROM tlog_cosignatures WHERE size = ? ORDER BY witness", &s,
                        err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, (int64_t)size);
    while ((rc = db_step(s, err)) == 1) {
        line = db_col_text(s, 0, &len);
        sbuf_add(note, line, len);
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
tlog_checkpoint_latest(struct db_conn *c, struct sbuf *note, uint64_t *size, struct err *err)
{
    struct db_stmt *s;
    const char *text;
    size_t len = 0;
    int rc = db_prepare(c, "SELECT size, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1", &s,
                        err);

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
    return rc == 0 && note ? add_cosignatures(c, *size, note, err) : rc;
}

static int
keep(struct db_conn *c, const struct tlog_checkpoint *cp, const struct sbuf *note, struct err *err)
{
    int rc = db_run(
        c, err, "INSERT INTO tlog_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
        "ibti", (int64_t)cp->size, (const void *)cp->root, (size_t)TLOG_HASH_BYTES, note->buf,
        clock_now_ms());

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

/* The kept checkpoint of 'size', its text only, into 'text'. */
static int
kept_text(struct db_conn *c, uint64_t size, struct sbuf *text, struct err *err)
{
    struct db_stmt *s;
    const char *note, *cut;
    size_t len = 0;
    int rc = db_prepare(c, "SELECT note FROM tlog_checkpoints WHERE size = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, (int64_t)size);
    rc = db_step(s, err);
    if (rc == 1 && (note = db_col_text(s, 0, &len)) && (cut = strstr(note, "\n\n")) != NULL) {
        sbuf_add(text, note, (size_t)(cut - note) + 1);
        rc = 0;
    } else if (rc >= 0) {
        rc = err_set(err, ERR_NOT_FOUND, "size", "日志没有签过这个大小的检查点",
                     "the log signed no checkpoint of that size");
    }
    db_reset(s);
    return rc;
}

/* One witness's line, when it verifies on 'note' and the note's text is the
 * log's own checkpoint: kept (a repeat of the same witness is ignored). */
static int
keep_one(struct db_conn *c, const char *note, size_t len, const struct tlog_vkey *w,
         struct sbuf *accepted, struct err *err)
{
    struct sbuf line = SBUF_INIT, kept = SBUF_INIT;
    struct tlog_checkpoint cp;
    struct err ignored = ERR_INIT;
    uint64_t time;
    size_t tlen;
    int rc;

    if (tlog_cosignature_line(note, len, w, &line, &time, &tlen, &ignored) < 0)
        return 0; /* not this witness's (or not valid): others may be */
    rc = tlog_checkpoint_parse(note, tlen, &cp, err);
    if (rc == 0)
        rc = kept_text(c, cp.size, &kept, err);
    if (rc == 0 && (kept.len != tlen || memcmp(kept.buf, note, tlen) != 0))
        rc = err_set(err, ERR_CONFLICT, "note", "这不是本日志签过的检查点",
                     "that is not a checkpoint this log signed");
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO tlog_cosignatures (size, witness, line, signed_at, created_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (size, witness) DO NOTHING",
                    "ittii", (int64_t)cp.size, w->name, line.buf, (int64_t)time, clock_now_ms());
    if (rc >= 0) {
        sbuf_addf(accepted, "%s%s", accepted->len ? "\n" : "", w->name);
        rc = 0;
    }
    sbuf_release(&line);
    sbuf_release(&kept);
    return rc;
}

int
tlog_cosignatures_add(struct db_conn *c, const struct tlog_vkey *witnesses, int n, const char *note,
                      size_t len, struct sbuf *accepted, struct err *err)
{
    int rc = 0;

    for (int i = 0; rc == 0 && i < n; i++)
        rc = keep_one(c, note, len, &witnesses[i], accepted, err);
    if (rc == 0 && accepted->len == 0)
        rc = err_set(err, ERR_INVALID, "note", "没有已登记见证方的有效联署签名",
                     "no valid cosignature by a configured witness");
    return rc;
}
