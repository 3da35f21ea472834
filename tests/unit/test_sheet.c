/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_sheet.c -- domain/sheet: a cadre's spreadsheet read the same
 * way from CSV and from .xlsx (workbooks written here with libxlsxwriter, as
 * Excel would: shared strings or inline ones, numbers, dates, gaps). */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "domain/sheet/sheet.h"
#include "domain/sheet/writer.h"

static const char *const name_titles[] = { "姓名", NULL };
static const char *const code_titles[] = { "村代码", "区划代码", NULL };
static const char *const birth_titles[] = { "出生日期", NULL };
static const char *const note_titles[] = { "备注", NULL };
static const struct sheet_column columns[] = {
    { .titles = name_titles, .required = true },
    { .titles = code_titles, .required = true },
    { .titles = birth_titles, .required = false },
    { .titles = note_titles, .required = false },
};
static const struct sheet_spec spec = { columns, ARRAY_LEN(columns), 5 };

/* What a read handed over: "row:cell|cell|cell|cell" lines. */
struct seen {
    char text[2048];
};

static void
on_row(void *arg, const struct sheet_row *row)
{
    struct seen *s = arg;
    size_t n = strlen(s->text);

    snprintf(s->text + n, sizeof(s->text) - n, "%d:%s|%s|%s|%s\n", row->row, row->cells[0],
             row->cells[1], row->cells[2], row->cells[3]);
}

static void
read_text(const char *data, size_t len, struct seen *s, struct sheet_problems *p,
          struct sheet_read *out)
{
    memset(s, 0, sizeof(*s));
    memset(p, 0, sizeof(*p));
    sheet_read(&spec, data, len, on_row, s, p, out);
}

Test(sheet_csv, maps_the_header_by_any_title_and_trims_cells)
{
    const char csv[] = "\xef\xbb\xbf"
                       "备注,区划代码, 姓名 \r\n"
                       ",,\r\n"
                       "好人, 410183100200 ,\xe3\x80\x80王大山\xe3\x80\x80\r\n"
                       "\"有,逗号\",410183100201,李四\r\n";
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;

    read_text(csv, sizeof(csv) - 1, &s, &p, &out);
    cr_assert_eq(p.n, 0, "%s", p.n ? p.items[0].reason_en : "");
    cr_assert_not(out.fatal);
    cr_assert_eq(out.rows, 2);
    cr_assert_str_eq(s.text, "3:王大山|410183100200||好人\n4:李四|410183100201||有,逗号\n");
    cr_assert_str_eq(out.titles[1], "区划代码", "the report names the column as the file does");
    cr_assert_str_eq(out.titles[2], "出生日期", "an absent column by its canonical title");
    sheet_problems_release(&p);
}

Test(sheet_csv, header_problems_stop_the_import)
{
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;

    read_text("姓名,备注\r\n王,x\r\n", 19, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert_eq(p.n, 1);
    cr_assert_str_eq(p.items[0].column, "村代码");
    cr_assert_str_eq(s.text, "", "no row handed over");
    sheet_problems_release(&p);

    read_text("姓名,村代码,区划代码\r\n王,1,2\r\n", 30, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert_str_eq(p.items[0].column, "区划代码");
    cr_assert(strstr(p.items[0].reason_en, "twice"));
    sheet_problems_release(&p);
}

Test(sheet_csv, bad_text_syntax_size_and_emptiness_are_reported)
{
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;
    const char bad_utf8[] = "姓名,村代码\n\xff\xfe,1\n李,2\n";
    const char quotes[] = "姓名,村代码\n\"王,1\n";
    const char many[] = "姓名,村代码\na,1\nb,1\nc,1\nd,1\ne,1\nf,1\n";

    read_text(bad_utf8, sizeof(bad_utf8) - 1, &s, &p, &out);
    cr_assert_eq(out.rows, 2);
    cr_assert_eq(p.n, 1);
    cr_assert_eq(p.items[0].row, 2);
    cr_assert_str_eq(p.items[0].column, "姓名");
    cr_assert_str_eq(s.text, "3:李|2||\n", "the bad row is not handed over");
    sheet_problems_release(&p);

    read_text(quotes, sizeof(quotes) - 1, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert(strstr(p.items[p.n - 1].reason_en, "CSV syntax"));
    sheet_problems_release(&p);

    read_text(many, sizeof(many) - 1, &s, &p, &out);
    cr_assert(out.fatal && out.too_large);
    cr_assert_eq(out.rows, 5);
    sheet_problems_release(&p);

    read_text("", 0, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert_str_eq(p.items[0].reason_en, "the file is empty");
    sheet_problems_release(&p);

    read_text("姓名,村代码\n,\n", 17, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert_str_eq(p.items[0].reason_en, "the file has no data rows");
    sheet_problems_release(&p);
}

/* A workbook as Excel would save it; its bytes into *len (malloc'd). */
static char *
workbook(bool inline_strings, size_t *len)
{
    char path[] = "/tmp/xz-sheet-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    lxw_workbook_options opt = { .constant_memory = inline_strings, .tmpdir = NULL };
    lxw_workbook *wb;
    lxw_worksheet *ws, *other;
    lxw_format *date;
    lxw_datetime day = { 1985, 3, 7, 0, 0, 0 };
    FILE *f;
    char *data;
    long n;

    cr_assert_geq(fd, 0);
    close(fd);
    wb = workbook_new_opt(path, &opt);
    ws = workbook_add_worksheet(wb, "户籍");
    other = workbook_add_worksheet(wb, "说明");
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy/m/d");
    worksheet_write_string(ws, 1, 0, "姓名", NULL); /* row 2: row 1 left blank */
    worksheet_write_string(ws, 1, 1, "村代码", NULL);
    worksheet_write_string(ws, 1, 3, "出生日期", NULL);
    worksheet_write_string(ws, 1, 4, "备注", NULL);
    worksheet_write_string(ws, 2, 0, " 王大山 ", NULL);
    worksheet_write_number(ws, 2, 1, 410183100200.0, NULL);
    worksheet_write_datetime(ws, 2, 3, &day, date);
    worksheet_write_number(ws, 2, 4, 4.5, NULL);
    worksheet_write_string(ws, 4, 0, "李四", NULL); /* row 5: row 4 empty */
    worksheet_write_string(ws, 4, 1, "410183100201", NULL);
    worksheet_write_boolean(ws, 4, 4, 1, NULL);
    worksheet_write_string(other, 0, 0, "不应读到", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(path);
    *len = (size_t)n;
    return data;
}

static void
check_workbook(bool inline_strings)
{
    size_t len;
    char *data = workbook(inline_strings, &len);
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;

    cr_assert(sheet_is_xlsx(data, len));
    read_text(data, len, &s, &p, &out);
    cr_assert_eq(p.n, 0, "%s", p.n ? p.items[0].reason_en : "");
    cr_assert_eq(out.rows, 2);
    cr_assert_str_eq(s.text, "3:王大山|410183100200|1985-03-07|4.5\n5:李四|410183100201||TRUE\n",
                     "got %s", s.text);
    sheet_problems_release(&p);
    free(data);
}

Test(sheet_xlsx, reads_the_first_sheet_as_excel_shows_it)
{
    check_workbook(false);
}

Test(sheet_xlsx, reads_inline_strings_too)
{
    check_workbook(true);
}

Test(sheet_xlsx, a_damaged_workbook_is_one_clear_problem)
{
    size_t len;
    char *data = workbook(false, &len);
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;

    read_text(data, len / 2, &s, &p, &out);
    cr_assert(out.fatal);
    cr_assert_eq(p.n, 1);
    cr_assert_str_eq(p.items[0].reason_en, "not a valid Excel (.xlsx) file");
    cr_assert_str_eq(s.text, "");
    sheet_problems_release(&p);
    free(data);
}

/* What the writer writes, the reader reads back: the same cells, in CSV and
 * in .xlsx, with a cell a spreadsheet would run as a formula kept as text. */
static void
round_trip(enum sheet_format fmt)
{
    static const char *const titles[] = { "姓名", "村代码", "出生日期", "备注" };
    static const char *const rows[][4] = {
        { "王大山", "410183100200", "1980-01-02", "说,“引号\"和逗号" },
        { "李四", "410183100201", "", "=SUM(A1:A2)" },
    };
    struct sheet_writer w;
    struct err e = ERR_INIT;
    struct seen s;
    struct sheet_problems p;
    struct sheet_read out;
    char *data = NULL;
    size_t len = 0;

    cr_assert_eq(sheet_writer_open(&w, fmt, "测试", titles, NULL, 4, &e), 0, "%s", e.en);
    for (size_t i = 0; i < 2; i++)
        sheet_writer_row(&w, rows[i]);
    cr_assert_eq(sheet_writer_finish(&w, &data, &len, &e), 0, "%s", e.en);
    sheet_writer_release(&w);
    cr_assert_eq(sheet_is_xlsx(data, len), fmt == SHEET_XLSX);
    read_text(data, len, &s, &p, &out);
    cr_assert_eq(p.n, 0, "%s", p.n ? p.items[0].reason_en : "");
    cr_assert_str_eq(s.text, fmt == SHEET_CSV
                                 ? "2:王大山|410183100200|1980-01-02|说,“引号\"和逗号\n"
                                   "3:李四|410183100201||'=SUM(A1:A2)\n"
                                 : "2:王大山|410183100200|1980-01-02|说,“引号\"和逗号\n"
                                   "3:李四|410183100201||=SUM(A1:A2)\n");
    sheet_problems_release(&p);
    free(data);
}

Test(sheet_writer, csv_reads_back_with_formulas_quoted)
{
    round_trip(SHEET_CSV);
}

Test(sheet_writer, xlsx_reads_back_with_every_cell_a_string)
{
    round_trip(SHEET_XLSX);
}
