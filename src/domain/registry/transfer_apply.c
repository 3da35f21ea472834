/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_apply.c -- the last step of a household import: the
 * plan inserted in file order through household_create and person_add, inside
 * the writer's transaction, so scope checks, sealing and auditing happen where
 * they always do. A refused row becomes a problem and fails the whole job; the
 * unique keys are looked up first so that on PostgreSQL a duplicate does not
 * kill the transaction before the report is complete. */
#include "core/compat.h"

#include <sodium.h>

#include "core/xalloc.h"
#include "domain/auth/auth.h"
#include "domain/registry/transfer.h"
#include "domain/registry/transfer_int.h"
#include "domain/sheet/problems.h"
#include "store/db.h"

/* ---- applying ---- */

struct apply {
    struct db_conn *c;
    const struct actor *a;
    const struct import_plan *plan;
    struct import_progress *prog;
    struct import_report *rep; /* problems go to rep->problems */
    int64_t *hh_id;            /* per household: 0 not yet, -1 refused, else its id */
    bool stop;                 /* a statement failed: on PostgreSQL the transaction is dead */
};

static const char *
column_of(const struct import_plan *pl, const char *field)
{
    static const char *const fields[COL__COUNT] = {
        [COL_VILLAGE] = "village_code",
        [COL_HHNO] = "household_no",
        [COL_ADDRESS] = "address",
        [COL_NAME] = "name",
        [COL_RELATION] = "relation",
        [COL_ID] = "id_number",
        [COL_SEX] = "sex",
        [COL_BIRTH] = "birth_date",
        [COL_PHONE] = "phone",
    };

    for (int c = 0; c < COL__COUNT; c++)
        if (strcmp(field, fields[c]) == 0)
            return pl->titles[c];
    return "";
}

/* A row the database or the scope check refused becomes a problem; any other
 * failure ends the job with its own error. */
static int
refused(struct apply *ap, int row, int rc, const struct err *e, struct err *err)
{
    switch (-rc) {
    case ERR_DUPLICATE:
    case ERR_REFERENCE:
    case ERR_CONSTRAINT:
        ap->stop = true; /* the statement failed inside the transaction */
        /* fall through */
    case ERR_INVALID:
    case ERR_FORBIDDEN:
    case ERR_NOT_FOUND:
        sheet_problem(&ap->rep->problems, row, column_of(ap->plan, e->field), e->zh, e->en);
        return 0;
    default:
        if (err)
            *err = *e;
        return rc;
    }
}

static int
apply_household(struct apply *ap, int32_t idx, struct err *err)
{
    const struct plan_household *ph = &ap->plan->households[idx];
    const char *key = transfer_plan_str(ap->plan, ph->key);
    struct err e = ERR_INIT;
    struct household h;
    int rc = 0;

    memset(&h, 0, sizeof(h));
    snprintf(h.village_code, sizeof(h.village_code), "%.12s", key);
    snprintf(h.household_no, sizeof(h.household_no), "%s", key + 13);
    snprintf(h.address, sizeof(h.address), "%s", transfer_plan_str(ap->plan, ph->address));
    ap->hh_id[idx] = -1;
    /* Checked first so the unique index never fails the transaction; outside
     * the caller's scope household_create refuses without telling. */
    if (auth_object_may(ap->a->who, PERM_HOUSEHOLD_WRITE, h.village_code, 0))
        rc = db_run(ap->c, err,
                    "SELECT 1 FROM households WHERE village_code = ? AND household_no = ?", "tt",
                    h.village_code, h.household_no);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        sheet_problem(&ap->rep->problems, ph->row, ap->plan->titles[COL_HHNO], "本村已有该户号",
                      "that household number is already used in this village");
        return 0;
    }
    rc = household_create(ap->c, ap->a, &h, &e);
    if (rc < 0)
        return refused(ap, ph->row, rc, &e, err);
    ap->hh_id[idx] = h.id;
    ap->rep->households++;
    return 0;
}

static int
apply_person(struct apply *ap, const struct plan_person *p, struct err *err)
{
    unsigned char hash[CRYPTO_HASH_BYTES];
    struct person_input in;
    struct person out;
    struct err e = ERR_INIT;
    int rc = 0;

    if (p->id_number[0]) {
        crypto_lookup_hash(ap->a->keys, "id_number", p->id_number, hash);
        rc = db_run(ap->c, err, "SELECT 1 FROM persons WHERE id_hash = ?", "b", hash, sizeof(hash));
    }
    if (rc != 0) {
        if (rc == 1)
            sheet_problem(&ap->rep->problems, p->row, ap->plan->titles[COL_ID],
                          "该身份证号已经登记", "that ID number is already registered");
        return rc < 0 ? rc : 0;
    }
    memset(&in, 0, sizeof(in));
    snprintf(in.name, sizeof(in.name), "%s", transfer_plan_str(ap->plan, p->name));
    snprintf(in.relation, sizeof(in.relation), "%s", transfer_plan_str(ap->plan, p->relation));
    memcpy(in.id_number, p->id_number, sizeof(p->id_number));
    memcpy(in.sex, p->sex, sizeof(in.sex));
    memcpy(in.birth_date, p->birth, sizeof(in.birth_date));
    memcpy(in.phone, p->phone, sizeof(p->phone));
    rc = person_add(ap->c, ap->a, ap->hh_id[p->household], &in, &out, &e);
    sodium_memzero(&in, sizeof(in));
    if (rc < 0)
        return refused(ap, p->row, rc, &e, err);
    ap->rep->persons++;
    if (ap->prog)
        atomic_fetch_add(&ap->prog->done, 1);
    return 0;
}

int
transfer_apply(struct db_conn *c, const struct actor *a, const struct import_plan *plan,
               struct import_report *report, struct import_progress *progress, struct err *err)
{
    struct apply ap = { .c = c, .a = a, .plan = plan, .prog = progress, .rep = report };
    const struct plan_person *p;
    int rc = 0;

    transfer_report_release(report);
    report->rows = plan->rows;
    if (progress) {
        atomic_store(&progress->total, plan->rows);
        atomic_store(&progress->done, 0);
    }
    ap.hh_id = xcalloc(plan->nhouseholds + 1, sizeof(*ap.hh_id));
    for (size_t i = 0; i < plan->npersons && rc == 0 && !ap.stop; i++) {
        p = &plan->persons[i];
        if (ap.hh_id[p->household] == 0)
            rc = apply_household(&ap, p->household, err);
        if (rc == 0 && ap.hh_id[p->household] > 0)
            rc = apply_person(&ap, p, err);
    }
    free(ap.hh_id);
    if (rc == 0 && report->problems.total > 0)
        rc = err_set(err, ERR_INVALID, "file", "数据库拒绝了 %d 处，整个文件均未导入",
                     "the database refused %d rows; nothing from the file was imported",
                     report->problems.total);
    if (rc < 0)
        report->households = report->persons = 0;
    return rc;
}
