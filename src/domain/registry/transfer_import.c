/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/registry/transfer_import.c -- the second step of a household import:
 * the sheet reader (domain/sheet: CSV in UTF-8, or .xlsx) maps the header and
 * hands over each row; this file checks every row on its own (cells, ID number against sex and
 * birth date) and against the others (one household per (村代码, 户号), one 户主 each, no ID number
 * twice) and builds the plan -- without the database. Problems are listed per row and column; a
 * plan is returned only when there are none. */
#include "core/compat.h"

#include <sodium.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/region/region.h"
#include "domain/identity/idnum.h"
#include "domain/registry/transfer.h"
#include "domain/registry/transfer_int.h"
#include "domain/sheet/sheet.h"

/* ---- the plan ---- */

/* Accepted header texts per column; the first is the canonical one. */
static const char *const village_titles[] = { "村代码", "村编码", "行政区划代码", "区划代码",
                                              NULL };
static const char *const hhno_titles[] = { "户号", "户编号", NULL };
static const char *const address_titles[] = { "地址", "住址", "家庭住址", NULL };
static const char *const name_titles[] = { "姓名", NULL };
static const char *const relation_titles[] = { "与户主关系", "关系", NULL };
static const char *const id_titles[] = { "身份证号", "身份证号码", "公民身份号码", NULL };
static const char *const sex_titles[] = { "性别", NULL };
static const char *const birth_titles[] = { "出生日期", NULL };
static const char *const phone_titles[] = { "手机号", "手机号码", "联系电话", NULL };
static const struct sheet_column columns[COL__COUNT] = {
    [COL_VILLAGE] = { .titles = village_titles, .required = true },
    [COL_HHNO] = { .titles = hhno_titles, .required = true },
    [COL_ADDRESS] = { .titles = address_titles, .required = false },
    [COL_NAME] = { .titles = name_titles, .required = true },
    [COL_RELATION] = { .titles = relation_titles, .required = false },
    [COL_ID] = { .titles = id_titles, .required = false },
    [COL_SEX] = { .titles = sex_titles, .required = false },
    [COL_BIRTH] = { .titles = birth_titles, .required = false },
    [COL_PHONE] = { .titles = phone_titles, .required = false },
};
static const struct sheet_spec spec = { columns, COL__COUNT, TRANSFER_MAX_ROWS };

static size_t
pool_add(struct import_plan *pl, const char *s)
{
    size_t at = pl->pool.len;

    sbuf_add(&pl->pool, s, strlen(s) + 1);
    return at;
}

/* ---- an open-addressing map from a key string to a plan index ---- */

struct keymap {
    int32_t *slot; /* index + 1; 0 = empty */
    size_t cap;    /* a power of two */
    size_t n;
};

typedef const char *(*key_fn)(const struct import_plan *pl, int32_t idx);

static size_t
hash_str(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static void
keymap_grow(struct keymap *m, const struct import_plan *pl, key_fn key_of)
{
    size_t cap = m->cap ? m->cap * 2 : 1024, j;
    int32_t *slot = xcalloc(cap, sizeof(*slot));

    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slot[i])
            continue;
        for (j = hash_str(key_of(pl, m->slot[i] - 1)) & (cap - 1); slot[j]; j = (j + 1) & (cap - 1))
            ;
        slot[j] = m->slot[i];
    }
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
}

/* The index stored under 'key', or -1 after storing 'idx' under it. */
static int32_t
keymap_put(struct keymap *m, const struct import_plan *pl, key_fn key_of, const char *key,
           int32_t idx)
{
    size_t j;

    if ((m->n + 1) * 2 > m->cap)
        keymap_grow(m, pl, key_of);
    for (j = hash_str(key) & (m->cap - 1); m->slot[j]; j = (j + 1) & (m->cap - 1))
        if (strcmp(key_of(pl, m->slot[j] - 1), key) == 0)
            return m->slot[j] - 1;
    m->slot[j] = idx + 1;
    m->n++;
    return -1;
}

static const char *
household_key(const struct import_plan *pl, int32_t idx)
{
    return transfer_plan_str(pl, pl->households[idx].key);
}

static const char *
person_id(const struct import_plan *pl, int32_t idx)
{
    return pl->persons[idx].id_number;
}

/* ---- parsing ---- */

struct parse {
    struct import_plan *plan;
    struct import_progress *prog;
    struct sheet_problems *problems; /* the report's */
    struct sheet_read sheet;         /* what reading found: titles, rows, fatal */
    const struct sheet_row *cur;     /* the row being checked */
    int record;                      /* its spreadsheet row */
    struct keymap households, ids;
    char today[11];
};

static const char *
cell(const struct parse *ps, enum col c)
{
    return ps->cur->cells[c];
}

static void
problem(struct parse *ps, enum col c, const char *zh, const char *en)
{
    sheet_problem(ps->problems, ps->record, ps->sheet.titles[c], zh, en);
}

/* A text cell: "" when empty and optional, NULL after a problem. */
static const char *
text_cell(struct parse *ps, enum col c, bool required, int max_chars, size_t max_bytes)
{
    const char *s = cell(ps, c);
    size_t len = strlen(s);

    if (!s[0] && required)
        problem(ps, c, "不能为空", "required");
    if (!s[0])
        return required ? NULL : s;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
            problem(ps, c, "不能含换行或控制字符",
                    "must not contain line breaks or control characters");
            return NULL;
        }
    }
    if (len > max_bytes || json_utf8_chars(s) > (size_t)max_chars) {
        sheet_problemf(ps->problems, ps->record, ps->sheet.titles[c], "太长（最多 %d 个字）",
                       "too long (at most %d characters)", max_chars);
        return NULL;
    }
    return s;
}

static bool
date_exists(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

/* YYYY-MM-DD, YYYY/M/D or YYYY.M.D into out as YYYY-MM-DD: 0, -1 for the
 * format, -2 for a day not in the calendar. */
static int
parse_date(const char *s, char out[11])
{
    int v[3] = { 0, 0, 0 }, digits, i = 0;
    char sep = 0;

    for (int part = 0; part < 3; part++) {
        for (digits = 0; s[i] >= '0' && s[i] <= '9' && digits < 5; i++, digits++)
            v[part] = v[part] * 10 + (s[i] - '0');
        if (digits == 0 || (part == 0 ? digits != 4 : digits > 2))
            return -1;
        if (part == 0)
            sep = s[i];
        if (part < 2 && (s[i] != sep || (sep != '-' && sep != '/' && sep != '.')))
            return -1;
        if (part < 2)
            i++;
    }
    if (s[i] || !date_exists(v[0], v[1], v[2]))
        return s[i] ? -1 : -2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)v[0] % 10000u, (unsigned)v[1] % 100u,
             (unsigned)v[2] % 100u);
    return 0;
}

/* The 出生日期 cell: 1 with 'out', 0 when empty, -1 after a problem. */
static int
birth_cell(struct parse *ps, char out[11])
{
    const char *s = cell(ps, COL_BIRTH);
    int rc;

    if (!s[0])
        return 0;
    rc = parse_date(s, out);
    if (rc == -1)
        problem(ps, COL_BIRTH, "日期格式应为 YYYY-MM-DD 或 YYYY/M/D",
                "the date must be YYYY-MM-DD or YYYY/M/D");
    else if (rc == -2)
        problem(ps, COL_BIRTH, "日历上没有这一天", "no such day in the calendar");
    else if (strcmp(out, "1900-01-01") < 0 || strcmp(out, ps->today) > 0)
        problem(ps, COL_BIRTH, "出生日期应在 1900-01-01 与今天之间",
                "the birth date must lie between 1900-01-01 and today");
    else
        return 1;
    return -1;
}

/* The 性别 cell: 'M' or 'F', 0 when empty, '?' after a problem. */
static char
sex_cell(struct parse *ps)
{
    static const char *const male[] = { "男", "男性", "M", "m", NULL };
    static const char *const female[] = { "女", "女性", "F", "f", NULL };
    const char *s = cell(ps, COL_SEX);

    if (!s[0])
        return 0;
    for (int i = 0; male[i]; i++)
        if (strcmp(s, male[i]) == 0)
            return 'M';
    for (int i = 0; female[i]; i++)
        if (strcmp(s, female[i]) == 0)
            return 'F';
    problem(ps, COL_SEX, "性别应为“男”或“女”", "the sex must be 男 or 女");
    return '?';
}

/* Excel shows a long number it stored as a number as 4.10183E+17 and saves that
 * to CSV: the digits are gone, only retyping as text helps. */
#define EXCEL_NUMBER_ZH                                                                            \
    "被 Excel 存成了数字（科学计数法），数字已丢失：请把该列设为“文本”后重新录入"
#define EXCEL_NUMBER_EN                                                                            \
    "Excel stored this as a number (scientific notation) and lost digits: format the column "      \
    "as text and type it again"

static bool
scientific(const char *s)
{
    return strchr(s, '.') && (strstr(s, "E+") || strstr(s, "e+"));
}

static void
check_id(struct parse *ps, struct plan_person *p, char sex, int have_birth, const char *birth)
{
    struct idnum id;
    struct err e = ERR_INIT;
    int32_t first;

    if (scientific(cell(ps, COL_ID))) {
        problem(ps, COL_ID, EXCEL_NUMBER_ZH, EXCEL_NUMBER_EN);
        return;
    }
    if (idnum_parse(cell(ps, COL_ID), &id, &e) < 0) {
        problem(ps, COL_ID, e.zh, e.en);
        return;
    }
    memcpy(p->id_number, id.number, sizeof(p->id_number));
    snprintf(p->sex, sizeof(p->sex), "%c", id.sex);
    memcpy(p->birth, id.birth, sizeof(p->birth));
    if ((sex == 'M' || sex == 'F') && sex != id.sex)
        problem(ps, COL_SEX, "与身份证号中的性别不符", "does not match the sex in the ID number");
    if (have_birth == 1 && strcmp(birth, id.birth) != 0)
        problem(ps, COL_BIRTH, "与身份证号中的出生日期不符",
                "does not match the birth date in the ID number");
    first =
        keymap_put(&ps->ids, ps->plan, person_id, p->id_number, (int32_t)(p - ps->plan->persons));
    if (first >= 0)
        sheet_problemf(ps->problems, ps->record, ps->sheet.titles[COL_ID],
                       "与第 %d 行的身份证号重复", "the same ID number as row %d",
                       ps->plan->persons[first].row);
    sodium_memzero(&id, sizeof(id));
}

/* ID number, sex, birth date and phone. */
static void
check_identity(struct parse *ps, struct plan_person *p)
{
    const char *phone = cell(ps, COL_PHONE);
    char birth[11] = "", sex = sex_cell(ps);
    int have_birth = birth_cell(ps, birth);
    struct err e = ERR_INIT;

    if (cell(ps, COL_ID)[0]) {
        check_id(ps, p, sex, have_birth, birth);
    } else {
        if (sex == 0)
            problem(ps, COL_SEX, "没有身份证号时必须填写", "required when there is no ID number");
        if (have_birth == 0)
            problem(ps, COL_BIRTH, "没有身份证号时必须填写", "required when there is no ID number");
        snprintf(p->sex, sizeof(p->sex), "%c", sex == 'M' || sex == 'F' ? sex : '\0');
        memcpy(p->birth, birth, sizeof(p->birth));
    }
    if (phone[0] && phone_parse(phone, p->phone, &e) < 0)
        problem(ps, COL_PHONE, e.zh, e.en);
}

static const char *
village_cell(struct parse *ps)
{
    const char *s = cell(ps, COL_VILLAGE);
    struct err e = ERR_INIT;
    int level;

    if (!s[0])
        problem(ps, COL_VILLAGE, "不能为空", "required");
    else if (scientific(s))
        problem(ps, COL_VILLAGE, EXCEL_NUMBER_ZH, EXCEL_NUMBER_EN);
    else if (region_code_parse(s, &level, &e) < 0)
        problem(ps, COL_VILLAGE, "应为 12 位数字的行政区划代码", "must be a 12-digit region code");
    else if (level != REGION_VILLAGE)
        problem(ps, COL_VILLAGE, "不是村级代码（末三位不能为 000）",
                "not a village code (the last three digits must not be 000)");
    else
        return s;
    return NULL;
}

static void
check_household(struct parse *ps, struct plan_person *p, const char *relation)
{
    struct import_plan *pl = ps->plan;
    const char *village = village_cell(ps);
    const char *no = text_cell(ps, COL_HHNO, true, 32, 32);
    const char *address = text_cell(ps, COL_ADDRESS, false, 100, 399);
    struct plan_household *h;
    char key[48];
    int32_t idx;

    if (!village || !no)
        return;
    snprintf(key, sizeof(key), "%s|%s", village, no);
    idx = keymap_put(&ps->households, pl, household_key, key, (int32_t)pl->nhouseholds);
    if (idx < 0) {
        if (pl->nhouseholds == pl->households_cap) {
            pl->households_cap = pl->households_cap ? pl->households_cap * 2 : 256;
            pl->households = xrealloc(pl->households, pl->households_cap * sizeof(*h));
        }
        idx = (int32_t)pl->nhouseholds++;
        pl->households[idx] =
            (struct plan_household){ .row = ps->record,
                                     .key = pool_add(pl, key),
                                     .address = pool_add(pl, address ? address : "") };
    }
    p->household = idx;
    h = &pl->households[idx];
    if (relation && strcmp(relation, "户主") == 0 && h->head_row)
        sheet_problemf(ps->problems, ps->record, ps->sheet.titles[COL_RELATION],
                       "该户已有户主（第 %d 行）", "the household already has a head (row %d)",
                       h->head_row);
    else if (relation && strcmp(relation, "户主") == 0)
        h->head_row = ps->record;
}

static void
on_row(void *arg, const struct sheet_row *row)
{
    struct parse *ps = arg;
    struct import_plan *pl = ps->plan;
    struct plan_person *p;
    const char *name, *relation;

    ps->cur = row;
    ps->record = row->row;
    pl->rows++;
    if (pl->npersons == pl->persons_cap) {
        pl->persons_cap = pl->persons_cap ? pl->persons_cap * 2 : 256;
        pl->persons = xrealloc(pl->persons, pl->persons_cap * sizeof(*p));
    }
    p = &pl->persons[pl->npersons++];
    *p = (struct plan_person){ .row = ps->record, .household = -1 };
    name = text_cell(ps, COL_NAME, true, 32, 99);
    relation = text_cell(ps, COL_RELATION, false, 13, 39);
    p->name = pool_add(pl, name ? name : "");
    p->relation = pool_add(pl, relation ? relation : "");
    check_identity(ps, p);
    check_household(ps, p, relation);
    if (ps->prog)
        atomic_store(&ps->prog->done, pl->rows);
}

static void
parse_start(struct parse *ps, const char *data, size_t len, struct import_report *rep,
            struct import_progress *prog)
{
    int lines = 0;

    memset(ps, 0, sizeof(*ps));
    memset(rep, 0, sizeof(*rep));
    ps->problems = &rep->problems;
    ps->prog = prog;
    ps->plan = xcalloc(1, sizeof(*ps->plan));
    sbuf_init(&ps->plan->pool, 0);
    clock_day_china(clock_now_ms(), ps->today);
    for (const char *q = data;
         !sheet_is_xlsx(data, len) && q && (q = memchr(q, '\n', len - (size_t)(q - data))); q++)
        lines++; /* CSV: its lines, the header one of them (a workbook's count is unknown) */
    if (prog) {
        atomic_store(&prog->total, lines > 0 ? lines - 1 : 0);
        atomic_store(&prog->done, 0);
    }
}

/* The verdict once every record is read. */
static int
parse_finish(struct parse *ps, struct import_report *rep, struct err *err)
{
    rep->rows = rep->persons = ps->plan->rows;
    rep->households = (int)ps->plan->nhouseholds;
    if (ps->prog)
        atomic_store(&ps->prog->total, ps->plan->rows);
    memcpy(ps->plan->titles, ps->sheet.titles, sizeof(ps->plan->titles));
    if (ps->sheet.too_large)
        return err_set(err, ERR_TOO_LARGE, "file", "文件超过 %d 行",
                       "the file has more than %d rows", TRANSFER_MAX_ROWS);
    if (rep->problems.total > 0)
        return err_set(err, ERR_INVALID, "file", "文件有 %d 处问题，未导入任何数据",
                       "the file has %d problems; nothing was imported", rep->problems.total);
    return 0;
}

int
transfer_parse(const char *utf8, size_t len, struct import_plan **plan,
               struct import_report *report, struct import_progress *progress, struct err *err)
{
    struct parse ps;
    int rc;

    parse_start(&ps, utf8, len, report, progress);
    sheet_read(&spec, utf8, len, on_row, &ps, &report->problems, &ps.sheet);
    rc = parse_finish(&ps, report, err);
    free(ps.households.slot);
    free(ps.ids.slot);
    if (rc < 0) {
        transfer_plan_free(ps.plan);
        ps.plan = NULL;
    }
    *plan = ps.plan;
    return rc;
}
