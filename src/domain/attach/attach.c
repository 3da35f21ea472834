/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/attach.c -- see attach.h: the SQL for `attachments` and
 * `attachment_uploads` (migration 0008), where an upload belongs, and who may
 * read one back. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/attach/attach.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "store/db.h"

int
attach_upload_region(const struct principal *p, const char *want, char out[13], struct err *err)
{
    if (p->nroles < 1)
        return err_set_text(err, ERR_FORBIDDEN, NULL, "没有可归属的辖区",
                            "you hold no role whose region an upload could belong to");
    if (!want || !*want) {
        snprintf(out, 13, "%s", p->roles[0].scope);
        return 0;
    }
    if (region_code_parse(want, NULL, err) < 0)
        return -err->code;
    for (int i = 0; i < p->nroles; i++) {
        if (region_in_scope(p->roles[i].scope, want)) {
            snprintf(out, 13, "%s", want);
            return 0;
        }
    }
    return err_set_text(err, ERR_FORBIDDEN, "region", "该地区不在您的辖区内",
                        "that region is outside your scope");
}

int
attach_record(struct db_conn *c, struct attach_meta *m, struct err *err)
{
    const char *mime = attach_mime(m->type);
    int rc;

    if (!mime || !attach_hex_valid(m->sha256) || m->bytes <= 0)
        return err_code_set(err, ERR_INTERNAL, NULL);
    m->created_at = clock_now_ms();
    rc = db_run(c, err,
                "INSERT INTO attachments (sha256, mime, bytes, width, height, uploaded_by,"
                " region_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                "ttiiiiti", m->sha256, mime, m->bytes, (int64_t)m->width, (int64_t)m->height,
                m->uploaded_by, m->region_code, m->created_at);
    if (rc >= 0)
        rc =
            db_run(c, err,
                   "INSERT INTO attachment_uploads (sha256, uploaded_by, region_code, created_at)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT (sha256, uploaded_by, region_code) DO NOTHING",
                   "titi", m->sha256, m->uploaded_by, m->region_code, m->created_at);
    return rc < 0 ? rc : 0;
}

static int
not_found(struct err *err)
{
    return err_set_text(err, ERR_NOT_FOUND, "sha256", "找不到该附件", "no such attachment");
}

/* 1 when one upload of 'hex' is p's own or in a region p reads as staff. */
static int
may_read(struct db_conn *c, const struct principal *p, const char *hex, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT uploaded_by, region_code FROM attachment_uploads"
                        " WHERE sha256 = ?",
                        &s, err);
    bool ok = false;

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, hex, (size_t)-1);
    while (!ok && (rc = db_step(s, err)) == 1)
        ok = db_col_i64(s, 0) == p->user_id ||
             auth_object_may(p, PERM_HOUSEHOLD_READ, db_col_text(s, 1, NULL), 0);
    db_reset(s);
    return rc < 0 ? rc : ok;
}

int
attach_get(struct db_conn *c, const struct principal *p, const char *hex, struct attach_meta *out,
           struct err *err)
{
    struct db_stmt *s;
    int rc;

    if (!attach_hex_valid(hex))
        return not_found(err);
    rc = may_read(c, p, hex, err);
    if (rc <= 0)
        return rc < 0 ? rc : not_found(err);
    rc = db_prepare(c,
                    "SELECT mime, bytes, width, height, uploaded_by, region_code, created_at"
                    " FROM attachments WHERE sha256 = ?",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, hex, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1) {
        memset(out, 0, sizeof(*out));
        snprintf(out->sha256, sizeof(out->sha256), "%s", hex);
        out->type = attach_type_of_mime(db_col_text(s, 0, NULL));
        out->bytes = db_col_i64(s, 1);
        out->width = (uint32_t)db_col_i64(s, 2);
        out->height = (uint32_t)db_col_i64(s, 3);
        out->uploaded_by = db_col_i64(s, 4);
        db_col_copy(s, 5, out->region_code, sizeof(out->region_code));
        out->created_at = db_col_i64(s, 6);
        rc = out->type == ATTACH_NONE ? err_code_set(err, ERR_INTERNAL, NULL) : 0;
    } else if (rc == 0) {
        rc = not_found(err);
    }
    db_reset(s);
    return rc;
}
