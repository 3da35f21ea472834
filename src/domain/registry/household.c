/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/household.c -- households: create, change, move, read, list,
 * each checked against the caller's scope and audited. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "domain/registry/household.h"
#include "domain/registry/registry_int.h"
#include "store/db.h"

void
registry_read_household(struct db_stmt *s, struct household *h)
{
    memset(h, 0, sizeof(*h));
    h->id = db_col_i64(s, 0);
    db_col_copy(s, 1, h->village_code, sizeof(h->village_code));
    h->group_id = db_col_is_null(s, 2) ? 0 : db_col_i64(s, 2);
    db_col_copy(s, 3, h->household_no, sizeof(h->household_no));
    db_col_copy(s, 4, h->address, sizeof(h->address));
    h->head_person_id = db_col_is_null(s, 5) ? 0 : db_col_i64(s, 5);
    db_col_copy(s, 6, h->status, sizeof(h->status));
    h->version = db_col_i64(s, 7);
    h->created_at = db_col_i64(s, 8);
    h->updated_at = db_col_i64(s, 9);
    h->members_version = db_col_i64(s, 10);
}

int
registry_not_found(struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "找不到该户或不在您的管辖范围内",
                   "no such household in your scope");
}

/* Load household 'id' if the caller may use 'perm' on it. */
int
registry_household_for(struct db_conn *c, const struct actor *a, int64_t id, const char *perm,
                       struct household *out, struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c, HH_COLUMNS "WHERE id = ?", &s, err);

    if (rc < 0)
        return rc;
    db_bind_i64(s, 1, id);
    rc = db_step(s, err);
    if (rc == 1)
        registry_read_household(s, out);
    db_reset(s);
    if (rc < 0)
        return rc;
    if (rc == 0 || !auth_object_may(a->who, PERM_HOUSEHOLD_READ, out->village_code, id))
        return registry_not_found(err);
    if (!auth_object_may(a->who, perm, out->village_code, id))
        return err_code_set(err, ERR_FORBIDDEN, NULL);
    return 0;
}

int
household_get(struct db_conn *c, const struct actor *a, int64_t id, struct household *out,
              struct err *err)
{
    return registry_household_for(c, a, id, PERM_HOUSEHOLD_READ, out, err);
}

int
registry_audit(struct db_conn *c, const struct actor *a, const char *action, const char *type,
               int64_t id, const char *region, const char *purpose, struct err *err)
{
    char oid[24];

    snprintf(oid, sizeof(oid), "%" PRId64, id);
    return audit_record(
        c,
        &(struct audit_entry){ .who = a->who,
                               .role = auth_acting_role(a->who, PERM_HOUSEHOLD_WRITE),
                               .action = action,
                               .object_type = type,
                               .object_id = oid,
                               .region_code = region,
                               .result = "ok",
                               .request_id = a->request_id,
                               .purpose = purpose },
        err);
}

/* A villager group, when one is given, must belong to the village. */
static int
check_group(struct db_conn *c, const char *village, int64_t group_id, struct err *err)
{
    int rc;

    if (!group_id)
        return 0;
    rc = db_run(c, err, "SELECT id FROM region_units WHERE id = ? AND village_code = ?", "it",
                group_id, village);
    if (rc == 0)
        return err_set(err, ERR_INVALID, "group_id", "村民小组不属于该村",
                       "the villager group is not in that village");
    return rc < 0 ? rc : 0;
}

/* The village (named by body field 'field') must exist within the caller's
 * scope -- one outside it is answered as one that does not exist -- and be a
 * village; a group must belong to it. */
static int
check_place(struct db_conn *c, const struct actor *a, const char *field, const char *village,
            int64_t group_id, struct err *err)
{
    struct region r;

    if (region_get(c, village, &r, err) < 0 ||
        !auth_object_may(a->who, PERM_HOUSEHOLD_WRITE, village, 0))
        return err_set(err, ERR_NOT_FOUND, field, "找不到该村或不在您的管辖范围内",
                       "no such village in your scope");
    if (r.level != REGION_VILLAGE)
        return err_set(err, ERR_INVALID, field, "户必须属于一个村(第 5 级区划)",
                       "a household belongs to a village (level 5)");
    return check_group(c, village, group_id, err);
}

static int
check_fields(const struct household *h, struct err *err)
{
    size_t n = json_utf8_chars(h->household_no);

    if (n < 1 || n > 32)
        return err_set(err, ERR_INVALID, "household_no", "户号应为 1-32 个字",
                       "the household number must be 1-32 characters");
    if (json_utf8_chars(h->address) > 100)
        return err_set(err, ERR_INVALID, "address", "地址最多 100 个字",
                       "the address allows at most 100 characters");
    return 0;
}

static int
duplicate_no(int rc, struct err *err)
{
    if (rc == -ERR_DUPLICATE)
        return err_set(err, ERR_DUPLICATE, "household_no", "本村已有该户号",
                       "that household number is already used in this village");
    return rc;
}

int
household_create(struct db_conn *c, const struct actor *a, struct household *h, struct err *err)
{
    struct db_stmt *s;
    int64_t now = clock_now_ms();
    int rc = check_fields(h, err);

    if (rc == 0)
        rc = check_place(c, a, "village_code", h->village_code, h->group_id, err);
    if (rc == 0)
        rc = db_prepare(c,
                        "INSERT INTO households (village_code, group_id, household_no, address,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, h->village_code, (size_t)-1);
    if (h->group_id)
        db_bind_i64(s, 2, h->group_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, h->household_no, (size_t)-1);
    db_bind_text(s, 4, h->address, (size_t)-1);
    db_bind_i64(s, 5, now);
    db_bind_i64(s, 6, now);
    rc = db_step(s, err);
    if (rc == 1)
        h->id = db_col_i64(s, 0);
    db_reset(s);
    rc = duplicate_no(rc, err);
    if (rc < 0)
        return rc;
    rc = registry_audit(c, a, "household.create", "household", h->id, h->village_code, NULL, err);
    return rc < 0 ? rc : household_get(c, a, h->id, h, err);
}

/* The household stays in its village (already checked by
 * registry_household_for), so only the fields and the group are checked. The
 * UPDATE checks the version itself, so two writers cannot both win; the new
 * row is the old one with the new fields (no RETURNING: SQLite buffers its
 * rows in a temporary table, which cost as much as the update). */
int
household_update(struct db_conn *c, const struct actor *a, struct household *h, struct err *err)
{
    struct household cur;
    int64_t now = clock_now_ms();
    int rc = registry_household_for(c, a, h->id, PERM_HOUSEHOLD_WRITE, &cur, err);

    if (rc == 0)
        rc = check_fields(h, err);
    if (rc == 0)
        rc = check_group(c, cur.village_code, h->group_id, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE households SET group_id = ?, household_no = ?, address = ?,"
                    " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    h->group_id ? "ittiii" : "nttiii", h->group_id, h->household_no, h->address,
                    now, h->id, h->version);
    rc = duplicate_no(rc, err);
    if (rc < 0)
        return rc;
    if (db_changes(c) != 1)
        return err_set(err, ERR_CONFLICT, "version", "该户已被他人修改,请刷新后重试",
                       "the household was changed meanwhile; reload and try again");
    cur.group_id = h->group_id;
    memcpy(cur.household_no, h->household_no, sizeof(cur.household_no));
    memcpy(cur.address, h->address, sizeof(cur.address));
    cur.version = h->version + 1;
    cur.updated_at = now;
    *h = cur;
    rc = registry_audit(c, a, "household.update", "household", h->id, h->village_code, NULL, err);
    return rc < 0 ? rc : 0;
}

int
household_move(struct db_conn *c, const struct actor *a, int64_t id, const char *to_village,
               const char *new_no, const char *reason, struct household *out, struct err *err)
{
    struct household cur;
    int64_t now = clock_now_ms();
    int rc = registry_household_for(c, a, id, PERM_HOUSEHOLD_WRITE, &cur, err);

    if (rc == 0)
        rc = check_place(c, a, "to_village", to_village, 0, err);
    if (rc == 0 && strcmp(cur.village_code, to_village) == 0)
        rc = err_set(err, ERR_INVALID, "to_village", "已在该村", "already in that village");
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO household_moves (household_id, from_village, to_village, moved_at,"
                    " user_id, reason) VALUES (?, ?, ?, ?, ?, ?)",
                    "ittiit", id, cur.village_code, to_village, now, a->who->user_id, reason);
    if (rc >= 0)
        rc = db_run(c, err,
                    "UPDATE households SET village_code = ?, group_id = NULL,"
                    " household_no = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    "ttii", to_village, new_no && new_no[0] ? new_no : cur.household_no, now, id);
    if (rc >= 0)
        rc = db_run(c, err, "UPDATE persons SET village_code = ? WHERE household_id = ?", "ti",
                    to_village, id);
    rc = duplicate_no(rc, err);
    if (rc < 0)
        return rc;
    rc = registry_audit(c, a, "household.move", "household", id, to_village, reason, err);
    return rc < 0 ? rc : household_get(c, a, id, out, err);
}
