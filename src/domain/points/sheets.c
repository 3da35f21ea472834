/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/sheets.c -- the spreadsheets of points (domain/module.h,
 * struct module_sheet): a county template's items, which the county edits in
 * Excel and imports back (a row with an item's code changes that item, a row
 * without adds one to its category), and a village's claims, which a cadre
 * enters in bulk from the paper register (each row a claim as the form makes
 * it: the same checks, caps and evidence rule). */
#include "core/compat.h"

#include <errno.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "domain/points/board.h"
#include "domain/points/points_int.h"
#include "domain/points/sheets.h"
#include "store/db.h"

#define PAGE 200

/* --- cells --- */

/* A whole number cell: 'fallback' when blank. */
static int
int_cell(const char *cell, const char *field, int64_t fallback, int64_t *out, struct err *err)
{
    char *end;
    long long v;

    if (!cell[0]) {
        *out = fallback;
        return 0;
    }
    errno = 0;
    v = strtoll(cell, &end, 10);
    if (errno || *end || end == cell)
        return err_set(err, ERR_INVALID, field, "应为整数", "a whole number is expected");
    *out = v;
    return 0;
}

/* 是/否 (also Y/N, 1/0, yes/no, true/false): 1, 0, or 'fallback' when blank. */
static int
yes_no_cell(const char *cell, const char *field, int fallback, int *out, struct err *err)
{
    static const char *const yes[] = { "是", "Y", "y", "1", "yes", "Yes", "YES", "true", "TRUE" };
    static const char *const no[] = { "否", "N", "n", "0", "no", "No", "NO", "false", "FALSE" };

    *out = fallback;
    if (!cell[0])
        return 0;
    for (size_t i = 0; i < ARRAY_LEN(yes); i++)
        if (strcmp(cell, yes[i]) == 0)
            return *out = 1, 0;
    for (size_t i = 0; i < ARRAY_LEN(no); i++)
        if (strcmp(cell, no[i]) == 0)
            return *out = 0, 0;
    return err_set(err, ERR_INVALID, field, "应填“是”或“否”", "yes or no is expected");
}

static int
scheme_id_of(const char *target, int64_t *id, struct err *err)
{
    char *end;

    *id = strtoll(target, &end, 10);
    if (*end || *id <= 0)
        return points_not_found(err, POINTS_OBJ_SCHEME);
    return 0;
}

/* --- a template's items --- */

enum {
    IT_CATEGORY,
    IT_CATEGORY_NAME,
    IT_CODE,
    IT_NAME,
    IT_POINTS,
    IT_CAP,
    IT_EVIDENCE,
    IT_VETO,
    IT__COUNT
};

static const char *const category_titles[] = { "类别代码", "类别编码", NULL };
static const char *const category_name_titles[] = { "类别", "类别名称", NULL };
static const char *const code_titles[] = { "编码", "项目编码", NULL };
static const char *const name_titles[] = { "名称", "项目名称", "项目", NULL };
static const char *const points_titles[] = { "分值", "积分", NULL };
static const char *const cap_titles[] = { "每期上限", "上限", NULL };
static const char *const evidence_titles[] = { "需佐证", "需要佐证", "需证明", NULL };
static const char *const veto_titles[] = { "一票否决", NULL };

static const struct sheet_column item_columns[IT__COUNT] = {
    [IT_CATEGORY] = { .titles = category_titles, .required = true, .field = "category" },
    [IT_CATEGORY_NAME] = { .titles = category_name_titles, .out_only = true },
    [IT_CODE] = { .titles = code_titles, .field = "code" },
    [IT_NAME] = { .titles = name_titles, .required = true, .field = "name" },
    [IT_POINTS] = { .titles = points_titles, .required = true, .field = "points" },
    [IT_CAP] = { .titles = cap_titles, .field = "cycle_cap" },
    [IT_EVIDENCE] = { .titles = evidence_titles, .field = "evidence_required" },
    [IT_VETO] = { .titles = veto_titles, .field = "veto" },
};
const struct sheet_spec points_items_sheet = { item_columns, IT__COUNT, 2000 };

static int
item_from_row(const char *const *cells, struct point_item *in, int *evidence, int *veto,
              bool adding, struct err *err)
{
    int rc;

    memset(in, 0, sizeof(*in));
    snprintf(in->name, sizeof(in->name), "%s", cells[IT_NAME]);
    rc = int_cell(cells[IT_POINTS], "points", 0, &in->points, err);
    if (rc == 0)
        rc = int_cell(cells[IT_CAP], "cycle_cap", adding ? 0 : -1, &in->cycle_cap, err);
    if (rc == 0)
        rc = yes_no_cell(cells[IT_EVIDENCE], "evidence_required", adding ? 0 : -1, evidence, err);
    if (rc == 0)
        rc = yes_no_cell(cells[IT_VETO], "veto", adding ? 0 : -1, veto, err);
    if (rc == 0 && strlen(cells[IT_NAME]) >= sizeof(in->name))
        rc = err_set(err, ERR_INVALID, "name", "项目名称过长", "the item's name is too long");
    in->evidence_required = *evidence > 0;
    in->veto = *veto > 0;
    return rc;
}

int
points_items_import_row(struct db_conn *c, const struct actor *a, const char *target,
                        const struct sheet_row *row, struct err *err)
{
    const char *const *cells = row->cells;
    bool adding = !cells[IT_CODE][0];
    struct point_item in, cur, out;
    int64_t scheme = 0;
    int evidence, veto;
    int rc = scheme_id_of(target, &scheme, err);

    if (rc == 0)
        rc = item_from_row(cells, &in, &evidence, &veto, adding, err);
    if (rc == 0 && adding)
        return points_item_add(c, a, scheme, cells[IT_CATEGORY], &in, &out, err);
    if (rc == 0)
        rc = points_item_by_code(c, scheme, cells[IT_CODE], &cur, err);
    if (rc == -ERR_NOT_FOUND) /* an item's code is given by the platform, never by the file */
        return err_set(err, ERR_INVALID, "code", "方案中没有编码为“%s”的项目（新项目请留空编码）",
                       "the scheme has no item coded \"%s\" (leave the code empty for a new item)",
                       cells[IT_CODE]);
    if (rc == 0 && strcmp(cur.category_code, cells[IT_CATEGORY]) != 0)
        rc = err_set(err, ERR_INVALID, "category", "项目“%s”属于类别“%s”",
                     "item \"%s\" is in category \"%s\"", cur.code, cur.category_code);
    return rc < 0 ? rc : points_item_update(c, a, cur.id, &in, evidence, veto, &out, err);
}

int
points_items_export(struct db_conn *c, const struct actor *a, const char *target,
                    struct sheet_writer *w, struct err *err)
{
    struct point_scheme sc;
    struct point_item *items = NULL;
    size_t n = 0;
    int64_t scheme = 0;
    int rc = scheme_id_of(target, &scheme, err);

    if (rc == 0)
        rc = points_scheme_get(c, a, scheme, &sc, err);
    if (rc == 0)
        rc = points_items(c, scheme, &items, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct point_item *it = &items[i];
        char points[24], cap[24];
        const char *cells[IT__COUNT] = {
            [IT_CATEGORY] = it->category_code,
            [IT_CATEGORY_NAME] = it->category_name,
            [IT_CODE] = it->code,
            [IT_NAME] = it->name,
            [IT_POINTS] = points,
            [IT_CAP] = cap,
            [IT_EVIDENCE] = it->evidence_required ? "是" : "否",
            [IT_VETO] = it->veto ? "是" : "否",
        };

        snprintf(points, sizeof(points), "%" PRId64, it->points);
        snprintf(cap, sizeof(cap), "%" PRId64, it->cycle_cap);
        sheet_writer_row(w, cells);
    }
    free(items);
    return rc;
}

/* --- a village's claims --- */

enum {
    CL_HOUSEHOLD,
    CL_HEAD,
    CL_ITEM,
    CL_ITEM_NAME,
    CL_POINTS,
    CL_NOTE,
    CL_STATE,
    CL_DATE,
    CL__COUNT
};

static const char *const household_titles[] = { "户号", NULL };
static const char *const head_titles[] = { "户主", "户主姓名", NULL };
static const char *const item_titles[] = { "项目编码", "编码", NULL };
static const char *const item_name_titles[] = { "项目名称", "项目", NULL };
static const char *const claim_points_titles[] = { "分值", NULL };
static const char *const note_titles[] = { "说明", "备注", NULL };
static const char *const state_titles[] = { "状态", NULL };
static const char *const date_titles[] = { "申报日期", "日期", NULL };

static const struct sheet_column claim_columns[CL__COUNT] = {
    [CL_HOUSEHOLD] = { .titles = household_titles, .required = true, .field = "household_id" },
    [CL_HEAD] = { .titles = head_titles, .out_only = true },
    [CL_ITEM] = { .titles = item_titles, .required = true, .field = "item_id" },
    [CL_ITEM_NAME] = { .titles = item_name_titles, .out_only = true },
    [CL_POINTS] = { .titles = claim_points_titles, .out_only = true },
    [CL_NOTE] = { .titles = note_titles, .field = "note" },
    [CL_STATE] = { .titles = state_titles, .out_only = true },
    [CL_DATE] = { .titles = date_titles, .out_only = true },
};
const struct sheet_spec points_claims_sheet = { claim_columns, CL__COUNT, 5000 };

/* The active household numbered 'no' in the village. */
static int
household_by_no(struct db_conn *c, const char *village, const char *no, int64_t *id,
                struct err *err)
{
    struct db_stmt *s;
    int rc = db_prepare(c,
                        "SELECT id FROM households WHERE village_code = ? AND household_no = ?"
                        " AND status = 'active'",
                        &s, err);

    if (rc < 0)
        return rc;
    db_bind_text(s, 1, village, (size_t)-1);
    db_bind_text(s, 2, no, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1)
        *id = db_col_i64(s, 0);
    db_reset(s);
    return rc == 1 ? 0 : rc < 0 ? rc : points_not_found(err, POINTS_OBJ_HOUSEHOLD);
}

int
points_claims_import_row(struct db_conn *c, const struct actor *a, const char *village,
                         const struct sheet_row *row, struct err *err)
{
    const char *const *cells = row->cells;
    struct point_scheme sc;
    struct point_item it;
    struct point_claim out;
    int64_t household = 0;
    int rc = points_may(a, PERM_POINTS_CLAIM, village, 0, POINTS_OBJ_VILLAGE, err);

    if (rc == 0 && json_utf8_chars(cells[CL_NOTE]) > 200)
        rc = err_set(err, ERR_INVALID, "note", "说明不能超过 200 个字",
                     "the note is over 200 characters");
    if (rc == 0)
        rc = household_by_no(c, village, cells[CL_HOUSEHOLD], &household, err);
    if (rc == 0)
        rc = points_scheme_active(c, village, &sc, err);
    if (rc == -ERR_NOT_FOUND && household)
        return err_set(err, ERR_CONFLICT, "item_id", "本村还没有采用积分方案",
                       "the village has adopted no points scheme");
    if (rc == 0)
        rc = points_item_by_code(c, sc.id, cells[CL_ITEM], &it, err);
    if (rc == 0)
        rc = points_claim_submit(c, a, household, it.id, cells[CL_NOTE], NULL, &out, err);
    return rc;
}

static void
claim_line(struct sheet_writer *w, const struct claim_row *r)
{
    char points[24], day[11];
    const char *cells[CL__COUNT] = {
        [CL_HOUSEHOLD] = r->household_no,
        [CL_HEAD] = r->household_name,
        [CL_ITEM] = r->item_code,
        [CL_ITEM_NAME] = r->item_name,
        [CL_POINTS] = points,
        [CL_NOTE] = r->claim.note,
        [CL_STATE] = wf_state_named(&points_claims_flow, r->claim.state)->title_zh,
        [CL_DATE] = day,
    };

    snprintf(points, sizeof(points), "%" PRId64, r->claim.points);
    clock_day_china(r->claim.created_at, day);
    sheet_writer_row(w, cells);
}

int
points_claims_export(struct db_conn *c, const struct actor *a, const char *village,
                     struct sheet_writer *w, struct err *err)
{
    struct claim_row *rows = NULL;
    size_t n = 0;
    int64_t before = 0;
    int rc;

    do {
        rc = points_claims_list(c, a, village, NULL, 0, before, PAGE, &rows, &n, &before, err);
        for (size_t i = 0; rc == 0 && i < n; i++)
            claim_line(w, &rows[i]);
        free(rows);
        rows = NULL;
    } while (rc == 0 && before && !w->too_large);
    return rc;
}
