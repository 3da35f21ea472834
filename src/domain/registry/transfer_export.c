/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_export.c -- the roster export (transfer.h): every
 * household the caller may read, with its members, one row per person, as CSV
 * or XLSX. Rows come from household_list / household_members, which carry only
 * the masks of ID numbers and phones, so a plain value cannot reach a file. */
#include "core/compat.h"

#include <sys/stat.h>
#include <xlsxwriter.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/registry/transfer.h"

#define NCOLS 9
#define PAGE 200

static const char *const titles[NCOLS] = {
    "村代码", "户号", "地址", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "手机号",
};
static const double widths[NCOLS] = { 15, 10, 36, 10, 11, 6, 12, 21, 14 };

struct exporter {
    enum transfer_format fmt;
    struct sbuf csv;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_row_t row;  /* next XLSX row */
    bool too_large; /* past the XLSX row limit */
    bool failed;    /* libxlsxwriter refused a cell */
    int fd;         /* the temp file, -1 for none */
    char path[32];
};

/* RFC 4180; a cell a spreadsheet would run as a formula gets a leading '. */
static void
csv_cell(struct sbuf *sb, const char *s)
{
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);

    if (!formula && !strpbrk(s, ",\"\r\n")) {
        sbuf_adds(sb, s);
        return;
    }
    sbuf_addc(sb, '"');
    if (formula)
        sbuf_addc(sb, '\'');
    for (; *s; s++) {
        if (*s == '"')
            sbuf_addc(sb, '"');
        sbuf_addc(sb, *s);
    }
    sbuf_addc(sb, '"');
}

static void
emit_row(struct exporter *ex, const char *const cells[NCOLS], bool header)
{
    lxw_error e;

    if (ex->fmt == TRANSFER_CSV) {
        for (int i = 0; i < NCOLS; i++) {
            if (i)
                sbuf_addc(&ex->csv, ',');
            csv_cell(&ex->csv, cells[i]);
        }
        sbuf_add(&ex->csv, "\r\n", 2);
        return;
    }
    if (ex->row >= LXW_ROW_MAX) {
        ex->too_large = true;
        return;
    }
    for (int i = 0; i < NCOLS; i++) {
        e = worksheet_write_string(ex->ws, ex->row, (lxw_col_t)i, cells[i],
                                   header ? ex->bold : NULL);
        ex->failed |= e != LXW_NO_ERROR;
    }
    ex->row++;
}

static void
emit_person(struct exporter *ex, const struct household *h, const struct person *p)
{
    const char *sex = strcmp(p->sex, "M") == 0 ? "男" : strcmp(p->sex, "F") == 0 ? "女" : "";
    const char *cells[NCOLS] = {
        h->village_code, h->household_no, h->address,    p->name, p->relation, sex,
        p->birth_date,   p->id_mask,      p->phone_mask,
    };

    emit_row(ex, cells, false);
}

static int
export_household(struct db_conn *c, const struct actor *a, const struct household *h,
                 struct exporter *ex, struct err *err)
{
    struct person *m = NULL;
    size_t n = 0;
    int rc = household_members(c, a, h, &m, &n, err);

    for (size_t i = 0; rc == 0 && i < n; i++)
        emit_person(ex, h, &m[i]);
    free(m);
    return rc;
}

/* Every page of household_list, not just the first. */
static int
export_all(struct db_conn *c, const struct actor *a, const struct household_filter *f,
           struct exporter *ex, struct err *err)
{
    struct household_filter page = *f;
    struct household *hs = NULL;
    size_t n = 0;
    int rc;

    page.limit = PAGE;
    do {
        rc = household_list(c, a, &page, &hs, &n, err);
        for (size_t i = 0; rc == 0 && i < n && !ex->too_large; i++)
            rc = export_household(c, a, &hs[i], ex, err);
        if (n)
            page.after_id = hs[n - 1].id;
        free(hs);
        hs = NULL;
    } while (rc == 0 && n == PAGE && !ex->too_large);
    return rc;
}

static int
xlsx_open(struct exporter *ex, struct err *err)
{
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };

    snprintf(ex->path, sizeof(ex->path), "/tmp/xz_export_XXXXXX");
    ex->fd = mkstemp(ex->path);
    if (ex->fd < 0)
        return err_set(err, ERR_IO, NULL, "无法创建临时文件", "cannot create a temporary file");
    ex->wb = workbook_new_opt(ex->path, &opt);
    if (ex->wb)
        ex->ws = workbook_add_worksheet(ex->wb, "户籍");
    if (ex->ws)
        ex->bold = workbook_add_format(ex->wb);
    if (!ex->bold)
        return err_set(err, ERR_IO, NULL, "无法创建 XLSX 文件", "cannot create the XLSX file");
    format_set_bold(ex->bold);
    for (int i = 0; i < NCOLS; i++)
        worksheet_set_column(ex->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    worksheet_freeze_panes(ex->ws, 1, 0);
    return 0;
}

/* Write the workbook to the temp file and read it back through our own fd (the
 * same inode, so nobody can swap the file by name in between). */
static int
xlsx_finish(struct exporter *ex, char **out, size_t *len, struct err *err)
{
    lxw_error e = workbook_close(ex->wb);
    struct stat st;
    ssize_t got = 0;

    ex->wb = NULL;
    if (e != LXW_NO_ERROR || fstat(ex->fd, &st) < 0 || st.st_size <= 0)
        return err_set(err, ERR_IO, NULL, "无法写出 XLSX 文件", "cannot write the XLSX file");
    *out = xmalloc((size_t)st.st_size);
    for (size_t at = 0; at < (size_t)st.st_size; at += (size_t)got) {
        got = pread(ex->fd, *out + at, (size_t)st.st_size - at, (off_t)at);
        if (got <= 0) {
            free(*out);
            *out = NULL;
            return err_set(err, ERR_IO, NULL, "无法读回 XLSX 文件",
                           "cannot read the XLSX file back");
        }
    }
    *len = (size_t)st.st_size;
    return 0;
}

static void
exporter_release(struct exporter *ex)
{
    if (ex->wb)
        workbook_close(ex->wb); /* frees it; the file goes below anyway */
    if (ex->fd >= 0) {
        unlink(ex->path);
        close(ex->fd);
    }
    sbuf_release(&ex->csv);
}

static int
finish(struct exporter *ex, char **out, size_t *len, struct err *err)
{
    if (ex->too_large)
        return err_set(err, ERR_TOO_LARGE, NULL, "超过 XLSX 的 %d 行上限，请导出 CSV 或缩小范围",
                       "over the XLSX limit of %d rows; export CSV or a smaller region",
                       LXW_ROW_MAX);
    if (ex->failed || ex->csv.failed)
        return err_set(err, ERR_INTERNAL, NULL, "生成导出文件失败", "building the export failed");
    if (ex->fmt == TRANSFER_XLSX)
        return xlsx_finish(ex, out, len, err);
    *out = sbuf_detach(&ex->csv, len);
    return 0;
}

int
transfer_export(struct db_conn *c, const struct actor *a, const struct household_filter *f,
                enum transfer_format fmt, char **out, size_t *len, struct err *err)
{
    struct exporter ex = { .fmt = fmt, .csv = SBUF_INIT, .fd = -1 };
    int rc = 0;

    *out = NULL;
    *len = 0;
    if (fmt == TRANSFER_XLSX)
        rc = xlsx_open(&ex, err);
    else
        sbuf_add(&ex.csv, "\xef\xbb\xbf", 3); /* the BOM tells Excel it is UTF-8 */
    if (rc == 0) {
        emit_row(&ex, titles, true);
        rc = export_all(c, a, f, &ex, err);
    }
    if (rc == 0)
        rc = finish(&ex, out, len, err);
    exporter_release(&ex);
    return rc;
}
