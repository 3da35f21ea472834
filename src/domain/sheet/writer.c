/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/writer.c -- CSV or .xlsx out (writer.h). The workbook is
 * built by libxlsxwriter in constant-memory mode in a mkstemp file under /tmp,
 * read back through our own descriptor and unlinked before returning. */
#include "core/compat.h"

#include <sys/stat.h>
#include <xlsxwriter.h>

#include "core/xalloc.h"
#include "domain/sheet/writer.h"

#define DEFAULT_WIDTH 14

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
emit(struct sheet_writer *w, const char *const *cells, bool header)
{
    if (w->fmt == SHEET_CSV) {
        for (size_t i = 0; i < w->ncols; i++) {
            if (i)
                sbuf_addc(&w->csv, ',');
            csv_cell(&w->csv, cells[i] ? cells[i] : "");
        }
        sbuf_add(&w->csv, "\r\n", 2);
        return;
    }
    if (w->row >= LXW_ROW_MAX) {
        w->too_large = true;
        return;
    }
    for (size_t i = 0; i < w->ncols; i++) {
        lxw_error e = worksheet_write_string(w->ws, w->row, (lxw_col_t)i, cells[i] ? cells[i] : "",
                                             header ? w->bold : NULL);
        w->failed |= e != LXW_NO_ERROR;
    }
    w->row++;
}

static int
xlsx_open(struct sheet_writer *w, const char *sheet_name, const double *widths, struct err *err)
{
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };

    snprintf(w->path, sizeof(w->path), "/tmp/xz_sheet_XXXXXX");
    w->fd = mkstemp(w->path);
    if (w->fd < 0)
        return err_set(err, ERR_IO, NULL, "无法创建临时文件", "cannot create a temporary file");
    w->wb = workbook_new_opt(w->path, &opt);
    if (w->wb)
        w->ws = workbook_add_worksheet(w->wb, sheet_name);
    if (w->ws)
        w->bold = workbook_add_format(w->wb);
    if (!w->bold)
        return err_set(err, ERR_IO, NULL, "无法创建 XLSX 文件", "cannot create the XLSX file");
    format_set_bold(w->bold);
    for (size_t i = 0; i < w->ncols; i++)
        worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, widths ? widths[i] : DEFAULT_WIDTH,
                             NULL);
    worksheet_freeze_panes(w->ws, 1, 0);
    return 0;
}

int
sheet_writer_open(struct sheet_writer *w, enum sheet_format fmt, const char *sheet_name,
                  const char *const *titles, const double *widths, size_t ncols, struct err *err)
{
    *w = (struct sheet_writer){ .fmt = fmt, .ncols = ncols, .csv = SBUF_INIT, .fd = -1 };
    if (fmt == SHEET_XLSX && xlsx_open(w, sheet_name, widths, err) < 0)
        return -err->code;
    if (fmt == SHEET_CSV)
        sbuf_add(&w->csv, "\xef\xbb\xbf", 3); /* the BOM tells Excel it is UTF-8 */
    emit(w, titles, true);
    return 0;
}

void
sheet_writer_row(struct sheet_writer *w, const char *const *cells)
{
    emit(w, cells, false);
    if (!w->too_large)
        w->rows++;
}

/* Write the workbook to the temp file and read it back through our own fd (the
 * same inode, so nobody can swap the file by name in between). */
static int
xlsx_finish(struct sheet_writer *w, char **out, size_t *len, struct err *err)
{
    lxw_error e = workbook_close(w->wb);
    struct stat st;
    ssize_t got = 0;

    w->wb = NULL;
    if (e != LXW_NO_ERROR || fstat(w->fd, &st) < 0 || st.st_size <= 0)
        return err_set(err, ERR_IO, NULL, "无法写出 XLSX 文件", "cannot write the XLSX file");
    *out = xmalloc((size_t)st.st_size);
    for (size_t at = 0; at < (size_t)st.st_size; at += (size_t)got) {
        got = pread(w->fd, *out + at, (size_t)st.st_size - at, (off_t)at);
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

int
sheet_writer_finish(struct sheet_writer *w, char **out, size_t *len, struct err *err)
{
    *out = NULL;
    *len = 0;
    if (w->too_large)
        return err_set(err, ERR_TOO_LARGE, NULL, "超过 XLSX 的 %d 行上限，请导出 CSV 或缩小范围",
                       "over the XLSX limit of %d rows; export CSV or a smaller region",
                       LXW_ROW_MAX);
    if (w->failed || w->csv.failed)
        return err_set(err, ERR_INTERNAL, NULL, "生成导出文件失败", "building the export failed");
    if (w->fmt == SHEET_XLSX)
        return xlsx_finish(w, out, len, err);
    *out = sbuf_detach(&w->csv, len);
    return 0;
}

void
sheet_writer_release(struct sheet_writer *w)
{
    if (w->wb)
        workbook_close(w->wb); /* frees it; the file goes below anyway */
    w->wb = NULL;
    if (w->fd >= 0) {
        unlink(w->path);
        close(w->fd);
        w->fd = -1;
    }
    sbuf_release(&w->csv);
}

const char *
sheet_format_type(enum sheet_format fmt)
{
    return fmt == SHEET_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                             : "text/csv; charset=utf-8";
}

const char *
sheet_format_ext(enum sheet_format fmt)
{
    return fmt == SHEET_XLSX ? "xlsx" : "csv";
}
