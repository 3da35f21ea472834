/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_export.c -- the roster export (transfer.h): every
 * household the caller may read, with its members, one row per person, as CSV
 * or XLSX (sheet/writer.h). Rows come from household_list / household_members,
 * which carry only the masks of ID numbers and phones, so a plain value cannot
 * reach a file. */
#include "core/compat.h"

#include "core/xalloc.h"
#include "domain/registry/transfer.h"

#define NCOLS 9
#define PAGE 200

static const char *const titles[NCOLS] = {
    "村代码", "户号", "地址", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "手机号",
};
static const double widths[NCOLS] = { 15, 10, 36, 10, 11, 6, 12, 21, 14 };

static void
emit_person(struct sheet_writer *w, const struct household *h, const struct person *p)
{
    const char *sex = strcmp(p->sex, "M") == 0 ? "男" : strcmp(p->sex, "F") == 0 ? "女" : "";
    const char *cells[NCOLS] = {
        h->village_code, h->household_no, h->address,    p->name, p->relation, sex,
        p->birth_date,   p->id_mask,      p->phone_mask,
    };

    sheet_writer_row(w, cells);
}

static int
export_household(struct db_conn *c, const struct actor *a, const struct household *h,
                 struct sheet_writer *w, struct err *err)
{
    struct person *m = NULL;
    size_t n = 0;
    int rc = household_members(c, a, h, &m, &n, err);

    for (size_t i = 0; rc == 0 && i < n; i++)
        emit_person(w, h, &m[i]);
    free(m);
    return rc;
}

/* Every page of household_list, not just the first. */
static int
export_all(struct db_conn *c, const struct actor *a, const struct household_filter *f,
           struct sheet_writer *w, struct err *err)
{
    struct household_filter page = *f;
    struct household *hs = NULL;
    size_t n = 0;
    int rc;

    page.limit = PAGE;
    do {
        rc = household_list(c, a, &page, &hs, &n, err);
        for (size_t i = 0; rc == 0 && i < n && !w->too_large; i++)
            rc = export_household(c, a, &hs[i], w, err);
        if (n)
            page.after_id = hs[n - 1].id;
        free(hs);
        hs = NULL;
    } while (rc == 0 && n == PAGE && !w->too_large);
    return rc;
}

int
transfer_export(struct db_conn *c, const struct actor *a, const struct household_filter *f,
                enum sheet_format fmt, char **out, size_t *len, struct err *err)
{
    struct sheet_writer w;
    int rc = sheet_writer_open(&w, fmt, "户籍", titles, widths, NCOLS, err);

    *out = NULL;
    *len = 0;
    if (rc == 0)
        rc = export_all(c, a, f, &w, err);
    if (rc == 0)
        rc = sheet_writer_finish(&w, out, len, err);
    sheet_writer_release(&w);
    return rc;
}
