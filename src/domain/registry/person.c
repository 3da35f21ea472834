/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/person.c -- persons: adding members with their ID number and
 * phone sealed, listing members masked, and the audited reveal. */
#include "core/compat.h"

#include <sodium.h>

#include "core/clock.h"
#include "core/json.h"
#include "domain/auth/auth.h"
#include "domain/identity/idnum.h"
#include "domain/registry/registry_int.h"
#include "store/db.h"

#define AD_ID "persons.id_number"
#define AD_PHONE "persons.phone"

struct sealed {
    unsigned char id_enc[18 + CRYPTO_SEAL_OVERHEAD];
    unsigned char id_hash[CRYPTO_HASH_BYTES];
    unsigned char phone_enc[11 + CRYPTO_SEAL_OVERHEAD];
    unsigned char phone_hash[CRYPTO_HASH_BYTES];
    char id_mask[19];
    char phone_mask[12];
    bool has_id, has_phone;
};

static bool
date_ok(const char *d)
{
    int y, m, day;
    char tail;

    return strlen(d) == 10 && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 && y >= 1900 &&
           m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/* Validate 'in' and work out sex and birth date, sealing what is sensitive. */
static int
prepare(const struct actor *a, struct person_input *in, struct sealed *sl, struct err *err)
{
    struct idnum id;
    char phone[12];

    if (json_utf8_chars(in->name) < 1 || json_utf8_chars(in->name) > 32)
        return err_set(err, ERR_INVALID, "name", "姓名应为 1-32 个字", "a name is 1-32 characters");
    if (in->id_number[0]) {
        if (idnum_parse(in->id_number, &id, err) < 0)
            return -err->code;
        snprintf(in->sex, sizeof(in->sex), "%c", id.sex);
        snprintf(in->birth_date, sizeof(in->birth_date), "%s", id.birth);
        crypto_seal(a->keys, AD_ID, id.number, 18, sl->id_enc);
        crypto_lookup_hash(a->keys, "id_number", id.number, sl->id_hash);
        idnum_mask(id.number, sl->id_mask);
        sl->has_id = true;
    }
    if (strcmp(in->sex, "M") != 0 && strcmp(in->sex, "F") != 0)
        return err_set(err, ERR_INVALID, "sex", "性别应为 M 或 F", "sex must be M or F");
    if (!date_ok(in->birth_date))
        return err_set(err, ERR_INVALID, "birth_date", "出生日期应为 YYYY-MM-DD",
                       "the birth date must be YYYY-MM-DD");
    if (in->phone[0]) {
        if (phone_parse(in->phone, phone, err) < 0)
            return -err->code;
        crypto_seal(a->keys, AD_PHONE, phone, 11, sl->phone_enc);
        crypto_lookup_hash(a->keys, "phone", phone, sl->phone_hash);
        phone_mask(phone, sl->phone_mask);
        sl->has_phone = true;
    }
    return 0;
}

static void
bind_sealed(struct db_stmt *s, int at, const struct sealed *sl)
{
    if (sl->has_id) {
        db_bind_blob(s, at, sl->id_enc, sizeof(sl->id_enc));
        db_bind_blob(s, at + 1, sl->id_hash, sizeof(sl->id_hash));
    } else {
        db_bind_null(s, at);
        db_bind_null(s, at + 1);
    }
    db_bind_text(s, at + 2, sl->id_mask, (size_t)-1);
    if (sl->has_phone) {
        db_bind_blob(s, at + 3, sl->phone_enc, sizeof(sl->phone_enc));
        db_bind_blob(s, at + 4, sl->phone_hash, sizeof(sl->phone_hash));
    } else {
        db_bind_null(s, at + 3);
        db_bind_null(s, at + 4);
    }
    db_bind_text(s, at + 5, sl->phone_mask, (size_t)-1);
}

static int
insert_person(struct db_conn *c, const struct household *h, const struct person_input *in,
              const struct sealed *sl, int64_t *id, struct err *err)
{
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc = db_prepare(c,
                        "INSERT INTO persons (household_id, village_code, name, sex, birth_date,"
                        " relation, flags, created_at, updated_at, id_enc, id_hash, id_mask,"
                        " phone_enc, phone_hash, phone_mask)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, h->id);
    db_bind_text(s, 2, h->village_code, (size_t)-1);
    db_bind_text(s, 3, in->name, (size_t)-1);
    db_bind_text(s, 4, in->sex, (size_t)-1);
    db_bind_text(s, 5, in->birth_date, (size_t)-1);
    db_bind_text(s, 6, in->relation, (size_t)-1);
    db_bind_i64(s, 7, in->flags);
    db_bind_i64(s, 8, now);
    db_bind_i64(s, 9, now);
    bind_sealed(s, 10, sl);
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    if (rc == -ERR_DUPLICATE)
        return err_set(err, ERR_DUPLICATE, "id_number", "该身份证号已经登记",
                       "that ID number is already registered");
    return rc < 0 ? rc : 0;
}

#define PERSON_COLUMNS "SELECT " PERSON_FIELDS " FROM persons "

void
registry_read_person(struct db_stmt *s, struct person *p)
{
    memset(p, 0, sizeof(*p));
    p->id = db_col_i64(s, 0);
    p->household_id = db_col_i64(s, 1);
    db_col_copy(s, 2, p->village_code, sizeof(p->village_code));
    db_col_copy(s, 3, p->name, sizeof(p->name));
    db_col_copy(s, 4, p->sex, sizeof(p->sex));
    db_col_copy(s, 5, p->birth_date, sizeof(p->birth_date));
    db_col_copy(s, 6, p->relation, sizeof(p->relation));
    db_col_copy(s, 7, p->id_mask, sizeof(p->id_mask));
    db_col_copy(s, 8, p->phone_mask, sizeof(p->phone_mask));
    p->flags = db_col_i64(s, 9);
    db_col_copy(s, 10, p->status, sizeof(p->status));
    p->version = db_col_i64(s, 11);
}

static void
read_person(struct db_stmt *s, void *item)
{
    registry_read_person(s, item);
}

static int
person_not_found(struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "找不到该人员或不在您的管辖范围内",
                   "no such person in your scope");
}

/* The household of person 'p' for 'perm': one out of the caller's scope is
 * answered as a person that does not exist (issue #12). */
static int
household_of(struct db_conn *c, const struct actor *a, const struct person *p, const char *perm,
             struct household *h, struct err *err)
{
    int rc = registry_household_for(c, a, p->household_id, perm, h, err);

    return rc == -ERR_NOT_FOUND ? person_not_found(err) : rc;
}

static int
person_by_id(struct db_conn *c, int64_t id, struct person *out, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, PERSON_COLUMNS "WHERE id = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, id);
    rc = db_read_one(s, read_person, out, err);
    if (rc == 0)
        return person_not_found(err);
    return rc < 0 ? rc : 0;
}

int
person_add(struct db_conn *c, const struct actor *a, int64_t household_id,
           const struct person_input *in_const, struct person *out, struct err *err)
{
    struct person_input in = *in_const;
    struct household h;
    struct sealed sl = { .has_id = false };
    int64_t id = 0;
    int rc = registry_household_for(c, a, household_id, PERM_HOUSEHOLD_WRITE, &h, err);

    if (rc == 0)
        rc = prepare(a, &in, &sl, err);
    if (rc == 0)
        rc = insert_person(c, &h, &in, &sl, &id, err);
    if (rc == 0 && strcmp(in.relation, "户主") == 0 && !h.head_person_id)
        rc =
            db_run(c, err, "UPDATE households SET head_person_id = ? WHERE id = ?", "ii", id, h.id);
    if (rc >= 0)
        rc = registry_audit(c, a, "person.create", "person", id, h.village_code, NULL, err);
    return rc < 0 ? rc : person_by_id(c, id, out, err);
}

int
household_members(struct db_conn *c, const struct actor *a, const struct household *h,
                  struct person **out, size_t *n, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    if (!auth_object_may(a->who, PERM_HOUSEHOLD_READ, h->village_code, h->id))
        return registry_not_found(err);
    rc = db_prepare(c, PERSON_COLUMNS "WHERE household_id = ? ORDER BY id", &s, err);
    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, h->id);
    rc = db_read_rows(s, read_person, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}

static int
read_sealed(struct db_conn *c, int64_t id, bool phone, unsigned char *buf, size_t *len,
            struct err *err)
{
    struct db_stmt *s;
    const void *blob;
    int rc = db_prepare(c,
                        phone ? "SELECT phone_enc FROM persons WHERE id = ?"
                              : "SELECT id_enc FROM persons WHERE id = ?",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, id);
    rc = db_step(s, err);
    if (rc == 1 && !db_col_is_null(s, 0)) {
        blob = db_col_blob(s, 0, len);
        if (*len <= 64)
            memcpy(buf, blob, *len);
        else
            rc = err_code_set(err, ERR_INTERNAL, NULL);
    } else if (rc >= 0) {
        rc = err_set(err, ERR_NOT_FOUND, "field", "没有登记该项", "that value is not on record");
    }
    db_reset(s);
    return rc < 0 ? rc : 0;
}

int
person_reveal(struct db_conn *c, const struct actor *a, int64_t person_id, const char *field,
              const char *purpose, char *out, size_t out_size, struct err *err)
{
    unsigned char buf[64], plain[64];
    size_t len = 0, plain_len = 0;
    bool phone = strcmp(field, "phone") == 0;
    struct household h;
    struct person p;
    int rc;

    if (!phone && strcmp(field, "id_number") != 0)
        return err_set(err, ERR_INVALID, "field", "只能查看 id_number 或 phone",
                       "field must be id_number or phone");
    if (json_utf8_chars(purpose) < 5 || json_utf8_chars(purpose) > 200)
        return err_set(err, ERR_INVALID, "purpose", "请说明查看用途(5-200 字)",
                       "state the purpose of this reveal (5-200 characters)");
    rc = person_by_id(c, person_id, &p, err);
    if (rc == 0)
        rc = household_of(c, a, &p, PERM_PERSON_REVEAL, &h, err);
    if (rc == 0)
        rc = read_sealed(c, person_id, phone, buf, &len, err);
    if (rc == 0)
        rc = crypto_open(a->keys, phone ? AD_PHONE : AD_ID, buf, len, plain, &plain_len, err);
    if (rc == 0)
        rc = registry_audit(c, a, phone ? "person.reveal_phone" : "person.reveal_id_number",
                            "person", person_id, p.village_code, purpose, err);
    if (rc == 0)
        snprintf(out, out_size, "%.*s", (int)plain_len, (const char *)plain);
    sodium_memzero(plain, sizeof(plain));
    return rc;
}

static int
check_status(const char *status, struct err *err)
{
    if (!status || !status[0] || strcmp(status, "active") == 0 ||
        strcmp(status, "moved_out") == 0 || strcmp(status, "deceased") == 0)
        return 0;
    return err_set(err, ERR_INVALID, "status", "状态应为 active、moved_out 或 deceased",
                   "status must be active, moved_out or deceased");
}

/* A new phone sealed, or the phone removed ("-"); "" leaves it alone. */
static int
update_phone(struct db_conn *c, const struct actor *a, int64_t id, const char *typed,
             struct err *err)
{
    struct sealed sl = { .has_id = false };
    char phone[12];
    int rc;

    if (!typed[0])
        return 0;
    if (strcmp(typed, "-") == 0)
        rc = db_run(c, err,
                    "UPDATE persons SET phone_enc = NULL, phone_hash = NULL,"
                    " phone_mask = '' WHERE id = ?",
                    "i", id);
    else if (phone_parse(typed, phone, err) < 0)
        return -err->code;
    else {
        crypto_seal(a->keys, AD_PHONE, phone, 11, sl.phone_enc);
        crypto_lookup_hash(a->keys, "phone", phone, sl.phone_hash);
        phone_mask(phone, sl.phone_mask);
        rc = db_run(c, err,
                    "UPDATE persons SET phone_enc = ?, phone_hash = ?, phone_mask = ?"
                    " WHERE id = ?",
                    "bbti", (const void *)sl.phone_enc, sizeof(sl.phone_enc),
                    (const void *)sl.phone_hash, sizeof(sl.phone_hash), sl.phone_mask, id);
    }
    return rc < 0 ? rc : 0;
}

int
person_update(struct db_conn *c, const struct actor *a, int64_t person_id, int64_t version,
              const struct person_input *in, const char *status, struct person *out,
              struct err *err)
{
    struct household h;
    struct person p;
    int rc = person_by_id(c, person_id, &p, err);

    if (rc == 0)
        rc = household_of(c, a, &p, PERM_HOUSEHOLD_WRITE, &h, err);
    if (rc == 0 && p.version != version)
        rc = err_set(err, ERR_CONFLICT, "version", "该人员信息已被他人修改,请刷新后重试",
                     "the person was changed meanwhile; reload and try again");
    if (rc == 0 && (json_utf8_chars(in->name) < 1 || json_utf8_chars(in->name) > 32))
        rc = err_set(err, ERR_INVALID, "name", "姓名应为 1-32 个字", "a name is 1-32 characters");
    if (rc == 0)
        rc = check_status(status, err);
    if (rc == 0)
        rc = update_phone(c, a, person_id, in->phone, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE persons SET name = ?, relation = ?, flags = ?,"
                    " status = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    "ttitii", in->name, in->relation, in->flags,
                    status && status[0] ? status : p.status, clock_now_ms(), person_id);
    if (rc >= 0)
        rc = registry_audit(c, a, "person.update", "person", person_id, p.village_code, NULL, err);
    return rc < 0 ? rc : person_by_id(c, person_id, out, err);
}
