/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/list.c -- listing and searching households, and persons,
 * within the caller's scope: by region, by a (member's) name prefix or by an
 * exact ID number (keyed hash: the number itself is never compared or stored).
 * Both queries share their conditions and so their parameters. */
#include "core/compat.h"

#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "domain/registry/household.h"
#include "domain/identity/idnum.h"
#include "domain/registry/registry_int.h"
#include "store/db.h"

#define SCOPES 4

/* Households 'h' in scope: one condition per scope slot, a region prefix and,
 * for villagers, one household; then the region asked for. */
#define IN_SCOPE                                                                                   \
    " AND ((h.village_code LIKE ? AND (? = 0 OR h.id = ?))"                                        \
    " OR (h.village_code LIKE ? AND (? = 0 OR h.id = ?))"                                          \
    " OR (h.village_code LIKE ? AND (? = 0 OR h.id = ?))"                                          \
    " OR (h.village_code LIKE ? AND (? = 0 OR h.id = ?)))"                                         \
    " AND h.village_code LIKE ?"

static const char list_sql[] =
    "SELECT h.id, h.village_code, h.group_id, h.household_no, h.address, h.head_person_id,"
    " h.status, h.version, h.created_at, h.updated_at, h.members_version FROM households h"
    " WHERE h.id > ?" IN_SCOPE
    " AND (? = '' OR EXISTS (SELECT 1 FROM persons p WHERE p.household_id = h.id"
    " AND p.name LIKE ? ESCAPE '\\'))"
    " AND (? = 0 OR EXISTS (SELECT 1 FROM persons p WHERE p.household_id = h.id"
    " AND p.id_hash = ?))"
    " ORDER BY h.id LIMIT ?";

/* The same conditions on persons 'p' of households 'h' (PERSON_FIELDS' order). */
static const char person_list_sql[] =
    "SELECT p.id, p.household_id, p.village_code, p.name, p.sex, p.birth_date, p.relation,"
    " p.id_mask, p.phone_mask, p.flags, p.status, p.version, h.household_no"
    " FROM persons p JOIN households h ON h.id = p.household_id"
    " WHERE p.id > ?" IN_SCOPE " AND (? = '' OR p.name LIKE ? ESCAPE '\\')"
    " AND (? = 0 OR p.id_hash = ?)"
    " ORDER BY p.id LIMIT ?";

struct list_params {
    char scope_like[SCOPES][16];
    int64_t household[SCOPES];
    char region_like[16];
    char name_like[200];
    unsigned char id_hash[CRYPTO_HASH_BYTES];
    bool by_id;
};

static int
scope_params(const struct actor *a, struct list_params *lp)
{
    struct auth_filter f[SCOPES];
    int n = auth_filters(a->who, PERM_HOUSEHOLD_READ, f, SCOPES), level;

    for (int i = 0; i < SCOPES; i++) {
        snprintf(lp->scope_like[i], sizeof(lp->scope_like[i]), "-");
        lp->household[i] = 0;
        if (i >= n || region_code_parse(f[i].scope, &level, NULL) < 0)
            continue;
        snprintf(lp->scope_like[i], sizeof(lp->scope_like[i]), "%.*s%%",
                 (int)region_scope_len(level), f[i].scope);
        lp->household[i] = f[i].household_id;
    }
    return n;
}

/* A name prefix for LIKE, with % _ and \ escaped. */
static void
name_pattern(const char *name, char *out, size_t size)
{
    size_t j = 0;

    for (; *name && j + 3 < size; name++) {
        if (*name == '%' || *name == '_' || *name == '\\')
            out[j++] = '\\';
        out[j++] = *name;
    }
    out[j++] = '%';
    out[j] = '\0';
}

static int
filter_params(const struct actor *a, const struct household_filter *f, struct list_params *lp,
              struct err *err)
{
    struct idnum id;
    int level;

    snprintf(lp->region_like, sizeof(lp->region_like), "%%");
    if (f->region && f->region[0]) {
        if (region_code_parse(f->region, &level, err) < 0)
            return -err->code;
        snprintf(lp->region_like, sizeof(lp->region_like), "%.*s%%", (int)region_scope_len(level),
                 f->region);
    }
    lp->name_like[0] = '\0';
    if (f->name && f->name[0])
        name_pattern(f->name, lp->name_like, sizeof(lp->name_like));
    lp->by_id = f->id_number && f->id_number[0];
    if (lp->by_id) {
        if (idnum_parse(f->id_number, &id, err) < 0)
            return -err->code;
        crypto_lookup_hash(a->keys, "id_number", id.number, lp->id_hash);
    }
    return 0;
}

static void
bind_list(struct db_stmt *s, const struct household_filter *f, const struct list_params *lp)
{
    int at = 2;

    db_bind_i64(s, 1, f->after_id);
    for (int i = 0; i < SCOPES; i++, at += 3) {
        db_bind_text(s, at, lp->scope_like[i], (size_t)-1);
        db_bind_i64(s, at + 1, lp->household[i]);
        db_bind_i64(s, at + 2, lp->household[i]);
    }
    db_bind_text(s, at++, lp->region_like, (size_t)-1);
    db_bind_text(s, at++, lp->name_like, (size_t)-1);
    db_bind_text(s, at++, lp->name_like, (size_t)-1);
    db_bind_i64(s, at++, lp->by_id);
    db_bind_blob(s, at++, lp->id_hash, sizeof(lp->id_hash));
    db_bind_i64(s, at, f->limit < 1 || f->limit > 200 ? 50 : f->limit);
}

/* Prepare 'sql' with the caller's scope and filter bound; *s stays NULL when
 * the caller has no scope at all (nothing to list). */
static int
prepare_list(struct db_conn *c, const struct actor *a, const struct household_filter *f,
             const char *sql, struct db_stmt **s, struct err *err)
{
    struct list_params lp;
    int rc;

    *s = NULL;
    if (scope_params(a, &lp) == 0)
        return 0;
    rc = filter_params(a, f, &lp, err);
    if (rc == 0)
        rc = db_prepare(c, sql, s, err);
    if (rc < 0)
        return rc;
    bind_list(*s, f, &lp);
    return 0;
}

static void
read_household(struct db_stmt *s, void *item)
{
    registry_read_household(s, item);
}

int
household_list(struct db_conn *c, const struct actor *a, const struct household_filter *f,
               struct household **out, size_t *n, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    rc = prepare_list(c, a, f, list_sql, &s, err);
    if (rc < 0 || !s)
        return rc;
    rc = db_read_rows(s, read_household, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}

static void
read_person_row(struct db_stmt *s, void *item)
{
    struct person_row *r = item;

    registry_read_person(s, &r->p);
    db_col_copy(s, 12, r->household_no, sizeof(r->household_no));
}

int
person_list(struct db_conn *c, const struct actor *a, const struct household_filter *f,
            struct person_row **out, size_t *n, struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    rc = prepare_list(c, a, f, person_list_sql, &s, err);
    if (rc < 0 || !s)
        return rc;
    rc = db_read_rows(s, read_person_row, &rows, err);
    if (rc < 0)
        db_rows_release(&rows);
    *out = db_rows_detach(&rows, n);
    return rc;
}
