/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_transfer.c -- domain/registry/transfer: decoding (BOM, GBK,
 * GBK declared as UTF-8), per-row problems, all-or-nothing apply (a duplicate ID
 * number, a village outside the caller's scope, a used household number), the
 * writer re-running a job, and the masked CSV / XLSX export with formula cells
 * neutralised. Runs once per backend: XIANGZHI_TEST_DB=sqlite (default; a fresh
 * temp file per test) or a postgresql:// URL (each test in its own schema). */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <iconv.h>

#include "core/crypto.h"
#include "core/sbuf.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "domain/registry/household.h"
#include "domain/identity/idnum.h"
#include "domain/registry/transfer.h"
#include "domain/sheet/sheet.h"
#include "store/db.h"
#include "testdb.h"
#include "store/migrate.h"
#include "store/writer.h"

static struct db *db;
static struct db_conn *conn;
static struct crypto_keys keys;
static struct principal admin, cadre;
static struct actor as_admin, as_cadre;
static char (*villages)[13];
static size_t nvillages;

#define HEADER "村代码,户号,地址,姓名,与户主关系,身份证号,性别,出生日期,手机号,备注\n"

/* ---- fixture (the same backend choice as test_region.c) ---- */

static void
principal_init(struct principal *p, int64_t id, int role, const char *scope)
{
    memset(p, 0, sizeof(*p));
    p->user_id = id;
    snprintf(p->username, sizeof(p->username), "user%" PRId64, id);
    p->roles[0].role = role;
    snprintf(p->roles[0].scope, sizeof(p->roles[0].scope), "%s", scope);
    p->nroles = 1;
}

static void
setup(void)
{
    struct err err = ERR_INIT;

    testdb_open("transfer", &db, &conn);
    cr_assert_eq(crypto_init(), 0);
    memset(keys.seal, 0x5a, sizeof(keys.seal));
    memset(keys.lookup, 0xa5, sizeof(keys.lookup));
    cr_assert_eq(region_demo_xinmi(conn, 4, &villages, &nvillages, &err), 0, "%s", err.en);
    cr_assert_geq(nvillages, 2);
    principal_init(&admin, 1, ROLE_COUNTY_ADMIN, "410183000000");
    principal_init(&cadre, 2, ROLE_VILLAGE_CADRE, villages[0]);
    as_admin = (struct actor){ .who = &admin, .request_id = "t-admin", .keys = &keys };
    as_cadre = (struct actor){ .who = &cadre, .request_id = "t-cadre", .keys = &keys };
}

static void
teardown(void)
{
    free(villages);
    testdb_close(db, conn);
}

TestSuite(transfer, .init = setup, .fini = teardown, .timeout = 240);

/* ---- helpers ---- */

static int64_t
count(const char *sql)
{
    struct err err = ERR_INIT;
    int64_t v = -1;

    cr_assert_eq(db_query_i64(conn, sql, &v, &err), 0, "%s: %s", sql, err.en);
    return v;
}

static void
make_id(const char *birth, int seq, char out[19])
{
    idnum_make("410183", birth, seq, out);
}

/* Plain values of the good file, for the "never in an export" checks. */
static char id_head1[19], id_wife[19], id_legacy18[19], id_son2[19], id_head3[19], id_x[19];
static const char legacy15[] = "410183650315123"; /* 1965-03-15, odd: male */

/* 3 households, 7 persons: two in villages[0], one in villages[1]. */
static void
good_csv(struct sbuf *sb)
{
    int seq = 2;

    make_id("19600101", 11, id_head1);
    make_id("19620202", 22, id_wife);
    make_id("19650315", 123, id_legacy18);
    make_id("19900707", 33, id_son2);
    make_id("19700808", 45, id_head3);
    do
        make_id("19720909", seq += 2, id_x); /* a woman whose check char is X */
    while (id_x[17] != 'X');
    sbuf_adds(sb, HEADER);
    sbuf_addf(sb, "%s,001,王庄村1号,王大山,户主,%s,男,1960-01-01,13800138001,\n", villages[0],
              id_head1);
    sbuf_addf(sb, "%s,001,,李秀英,配偶,%s,,,139 0013 8002,备注\n", villages[0], id_wife);
    sbuf_addf(sb, "%s,001,,王小明,子女,,男,1990/3/5,,\n", villages[0]);
    sbuf_addf(sb, "%s,002,\"王庄村2号, 东院\",张三,户主,%s,,,,\n", villages[0], legacy15);
    sbuf_addf(sb, "%s,002,,张四,子女,%s,,,,\n", villages[0], id_son2);
    sbuf_addf(sb, "%s,001,李沟村1号,赵五,户主,%s,,,+86 13800138003,\n", villages[1], id_head3);
    sbuf_addf(sb, "%s,001,,钱六,配偶,%.17sx,女,,,\n", villages[1], id_x);
}

/* Decode, parse and apply in one transaction of our own: committed on success,
 * rolled back otherwise, as the writer does. */
static int
import_as(const struct actor *a, const char *data, size_t len, const char *charset,
          struct import_report *rep, struct err *err)
{
    struct import_progress prog = { 0, 0 };
    struct import_plan *plan = NULL;
    char *utf8 = NULL;
    size_t n = 0;
    int rc = sheet_decode(data, len, charset, &utf8, &n, err);

    if (rc == 0)
        rc = transfer_parse(utf8, n, &plan, rep, &prog, err);
    if (rc == 0) {
        cr_assert_not_null(plan);
        cr_assert_eq(atomic_load(&prog.done), rep->rows);
        cr_assert_eq(atomic_load(&prog.total), rep->rows);
        cr_assert_eq(db_begin(conn, err), 0, "%s", err->en);
        rc = transfer_apply(conn, a, plan, rep, &prog, err);
        if (rc == 0)
            cr_assert_eq(db_commit(conn, err), 0, "%s", err->en);
        else
            db_rollback(conn);
        if (rc == 0)
            cr_assert_eq(atomic_load(&prog.done), rep->rows);
    }
    transfer_plan_free(plan);
    free(utf8);
    return rc;
}

static int
import_text(const char *text, struct import_report *rep, struct err *err)
{
    return import_as(&as_admin, text, strlen(text), NULL, rep, err);
}

static void
import_ok(const char *text, int households, int persons)
{
    struct import_report rep;
    struct err err = ERR_INIT;
    int rc = import_text(text, &rep, &err);

    cr_assert_eq(rc, 0, "import: %d %s; first problem row %d: %s", rc, err.en,
                 rep.problems.n ? rep.problems.items[0].row : -1,
                 rep.problems.n ? rep.problems.items[0].reason_en : "");
    cr_assert_eq(rep.households, households);
    cr_assert_eq(rep.persons, persons);
    cr_assert_eq(rep.problems.n, 0);
    transfer_report_release(&rep);
}

/* The problem at 'row' in 'column', or NULL. */
static const struct sheet_problem *
find_problem(const struct import_report *rep, int row, const char *column)
{
    for (size_t i = 0; i < rep->problems.n; i++)
        if (rep->problems.items[i].row == row && strcmp(rep->problems.items[i].column, column) == 0)
            return &rep->problems.items[i];
    return NULL;
}

static void
expect_problem(const struct import_report *rep, int row, const char *column)
{
    const struct sheet_problem *p = find_problem(rep, row, column);

    cr_assert_not_null(p, "no problem at row %d column %s", row, column);
    cr_assert(p->reason_zh[0] && p->reason_en[0]);
}

static void
expect_empty_registry(void)
{
    cr_assert_eq(count("SELECT COUNT(*) FROM households"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons"), 0);
}

/* UTF-8 to GB18030 with iconv, as Excel in China would save it. */
static char *
to_gb18030(const char *utf8, size_t *out_len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t in_left = strlen(utf8), cap = in_left * 2 + 16, out_left = cap;
    char *in = (char *)(uintptr_t)utf8, *buf = malloc(cap), *o = buf;

    cr_assert(cd != (iconv_t)-1);
    cr_assert_neq(iconv(cd, &in, &in_left, &o, &out_left), (size_t)-1);
    iconv_close(cd);
    *out_len = cap - out_left;
    return buf;
}

/* ---- decoding ---- */

Test(transfer, utf8_bom_is_dropped)
{
    struct sbuf plain = SBUF_INIT, bom = SBUF_INIT;
    char *a = NULL, *b = NULL;
    size_t na, nb;
    struct err err = ERR_INIT;

    good_csv(&plain);
    sbuf_adds(&bom, "\xef\xbb\xbf");
    sbuf_add(&bom, plain.buf, plain.len);
    cr_assert_eq(sheet_decode(plain.buf, plain.len, NULL, &a, &na, &err), 0, "%s", err.en);
    cr_assert_eq(sheet_decode(bom.buf, bom.len, "UTF-8", &b, &nb, &err), 0, "%s", err.en);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(a, b, na), 0);
    cr_assert_eq(b[nb], '\0');
    free(a);
    free(b);
    import_ok(bom.buf, 3, 7);
    sbuf_release(&plain);
    sbuf_release(&bom);
}

Test(transfer, gbk_declared_gbk_equals_utf8)
{
    struct sbuf csv = SBUF_INIT;
    struct import_report rep;
    struct err err = ERR_INIT;
    size_t glen, n;
    char *gb, *utf8;

    good_csv(&csv);
    gb = to_gb18030(csv.buf, &glen);
    cr_assert_neq(glen, csv.len, "the GB18030 bytes differ from UTF-8");
    cr_assert_eq(sheet_decode(gb, glen, "gbk", &utf8, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, csv.len);
    cr_assert_eq(memcmp(utf8, csv.buf, n), 0);
    free(utf8);
    cr_assert_eq(import_as(&as_admin, gb, glen, "GB2312", &rep, &err), 0, "%s", err.en);
    cr_assert_eq(rep.households, 3);
    cr_assert_eq(rep.persons, 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons WHERE name = '李秀英'"), 1);
    transfer_report_release(&rep);
    free(gb);
    sbuf_release(&csv);
}

Test(transfer, gbk_declared_utf8_is_refused)
{
    struct sbuf csv = SBUF_INIT;
    struct err err = ERR_INIT;
    char *gb, *out = (char *)1;
    size_t glen, n;

    good_csv(&csv);
    gb = to_gb18030(csv.buf, &glen);
    cr_assert_eq(sheet_decode(gb, glen, "utf-8", &out, &n, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "charset");
    cr_assert_not_null(strstr(err.en, "GBK"), "%s", err.en);
    cr_assert_not_null(strstr(err.zh, "charset=gbk"), "%s", err.zh);
    cr_assert_null(out);
    err_clear(&err);
    cr_assert_eq(sheet_decode(gb, glen, NULL, &out, &n, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "charset");
    err_clear(&err);
    cr_assert_eq(sheet_decode("a,b\n", 4, "latin1", &out, &n, &err), -ERR_INVALID);
    cr_assert_eq(sheet_decode("\xff\xfe"
                              "a\0",
                              4, NULL, &out, &n, &err),
                 -ERR_INVALID);
    /* 0x81 0x20 is a cut GBK pair: it cannot decode; the offset is reported. */
    err_clear(&err);
    cr_assert_eq(sheet_decode("ab\x81 cd", 6, "gbk", &out, &n, &err), -ERR_INVALID);
    cr_assert_not_null(strstr(err.en, "byte 2"), "%s", err.en);
    free(gb);
    sbuf_release(&csv);
}

/* ---- import ---- */

Test(transfer, good_file_is_inserted_with_heads)
{
    struct sbuf csv = SBUF_INIT;
    struct household_filter f = { .limit = 50 };
    struct household *hs = NULL;
    struct err err = ERR_INIT;
    size_t n = 0;

    good_csv(&csv);
    import_ok(csv.buf, 3, 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM households"), 3);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons"), 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM households WHERE head_person_id IS NULL"), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons p JOIN households h ON h.head_person_id ="
                       " p.id WHERE p.relation = '户主'"),
                 3);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons WHERE id_hash IS NULL"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons WHERE name = '王小明' AND sex = 'M'"
                       " AND birth_date = '1990-03-05'"),
                 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons WHERE name = '张三'"
                       " AND birth_date = '1965-03-15'"),
                 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM households WHERE address = '王庄村2号, 东院'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE action = 'person.create'"), 7);
    /* The lowercase x was stored as X: the ID search finds her. */
    f.id_number = id_x;
    cr_assert_eq(household_list(conn, &as_admin, &f, &hs, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(hs[0].village_code, villages[1]);
    free(hs);
    sbuf_release(&csv);
}

Test(transfer, broken_rows_are_reported_and_nothing_is_written)
{
    struct sbuf csv = SBUF_INIT;
    struct import_report rep;
    struct import_plan *plan = (struct import_plan *)1;
    struct err err = ERR_INIT;
    char id_m[19], id_ok[19], bad_check[19];

    make_id("19800101", 1, id_m);
    make_id("19810101", 2, id_ok);
    snprintf(bad_check, sizeof(bad_check), "%.17s%c", id_ok, id_ok[17] == '0' ? '1' : '0');
    sbuf_adds(&csv, HEADER);
    sbuf_addf(&csv, "%s,001,,,户主,,男,1970-01-01,,\n", villages[0]);        /* 2: no name */
    sbuf_addf(&csv, "41018310020,002,,甲,户主,,男,1970-01-01,,\n");          /* 3: code */
    sbuf_addf(&csv, "410183100000,003,,乙,户主,,男,1970-01-01,,\n");         /* 4: township */
    sbuf_addf(&csv, "%s,004,,丙,户主,%s,,,,\n", villages[0], bad_check);     /* 5: check char */
    sbuf_addf(&csv, "%s,005,,丁,户主,%s,女,,,\n", villages[0], id_m);        /* 6: sex */
    sbuf_addf(&csv, "%s,006,,戊,户主,,男,1970-01-01,12345,\n", villages[0]); /* 7: phone */
    sbuf_addf(&csv, "%s,007,,己,户主,,女,1990-02-30,,\n", villages[0]);      /* 8: date */
    sbuf_addf(&csv, "%s,008,,庚,户主,%s,,,,\n", villages[0], id_ok);         /* 9: fine */
    sbuf_addf(&csv, "%s,008,,辛,户主,%s,,,,\n", villages[0], id_ok);         /* 10: 2x */
    sbuf_addf(&csv, "%s,009,,%s,,,男,1970-01-01,,\n", villages[0],
              "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"); /* 11: 33 */
    sbuf_addf(&csv, "%s,,,壬,户主,,,,,\n", villages[0]); /* 12: no number, sex, date */
    sbuf_addf(&csv, "%s,010,,癸,户主,%s,男,1981-01-02,,\n", villages[0], id_m);    /* 13 */
    sbuf_addf(&csv, "%s,011,,子,户主,4.10183E+17,男,1970-01-01,,\n", villages[0]); /* 14 */
    sbuf_addf(&csv, "4.10183E+11,012,,丑,户主,,男,1970-01-01,,\n");                /* 15 */
    cr_assert_eq(import_text(csv.buf, &rep, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "file");
    expect_problem(&rep, 2, "姓名");
    expect_problem(&rep, 3, "村代码");
    expect_problem(&rep, 4, "村代码");
    expect_problem(&rep, 5, "身份证号");
    expect_problem(&rep, 6, "性别");
    expect_problem(&rep, 7, "手机号");
    expect_problem(&rep, 8, "出生日期");
    cr_assert_null(find_problem(&rep, 9, "身份证号"));
    expect_problem(&rep, 10, "身份证号"); /* the same ID as row 9 */
    cr_assert_not_null(strstr(find_problem(&rep, 10, "身份证号")->reason_en, "row 9"));
    expect_problem(&rep, 10, "与户主关系"); /* a second head of household 008 */
    expect_problem(&rep, 11, "姓名");
    expect_problem(&rep, 12, "户号");
    expect_problem(&rep, 12, "性别");
    expect_problem(&rep, 12, "出生日期");
    expect_problem(&rep, 13, "出生日期"); /* contradicts the ID; and it repeats row 6's ID */
    expect_problem(&rep, 13, "身份证号");
    cr_assert_not_null(strstr(find_problem(&rep, 14, "身份证号")->reason_en, "Excel"));
    cr_assert_not_null(strstr(find_problem(&rep, 15, "村代码")->reason_en, "Excel"));
    for (size_t i = 1; i < rep.problems.n; i++)
        cr_assert_leq(rep.problems.items[i - 1].row, rep.problems.items[i].row,
                      "problems in row order");
    cr_assert_eq(rep.rows, 14);
    transfer_report_release(&rep);
    cr_assert_eq(transfer_parse(csv.buf, csv.len, &plan, &rep, NULL, &err), -ERR_INVALID);
    cr_assert_null(plan);
    transfer_report_release(&rep);
    expect_empty_registry();
    sbuf_release(&csv);
}

Test(transfer, file_level_problems)
{
    struct import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(import_text("", &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.n, 1);
    cr_assert_eq(rep.problems.items[0].row, 0);
    transfer_report_release(&rep);
    cr_assert_eq(import_text("\n\n" HEADER "\n", &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.n, 1);
    cr_assert_eq(rep.problems.items[0].row, 0);
    transfer_report_release(&rep);
    cr_assert_eq(import_text("村代码,姓名\n410183100201,甲\n", &rep, &err), -ERR_INVALID);
    expect_problem(&rep, 1, "户号");
    transfer_report_release(&rep);
    cr_assert_eq(import_text(HEADER "410183100201,1,\"x,甲\n", &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.items[rep.problems.n - 1].column[0], '\0');
    transfer_report_release(&rep);
}

Test(transfer, problems_are_capped_and_rows_counted)
{
    struct sbuf csv = SBUF_INIT;
    struct import_report rep;
    struct err err = ERR_INIT;

    sbuf_adds(&csv, HEADER);
    for (int i = 0; i < 1500; i++)
        sbuf_addf(&csv, "%s,%d,,,,,,,,\n", villages[0], i); /* no name, sex or date */
    cr_assert_eq(import_text(csv.buf, &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.n, SHEET_MAX_PROBLEMS);
    cr_assert_eq(rep.rows, 1500);
    cr_assert_not_null(strstr(rep.problems.items[rep.problems.n - 1].reason_en, "too many"));
    cr_assert_eq(rep.problems.items[rep.problems.n - 1].row, 0, "about the whole file");
    cr_assert_eq(rep.problems.total, 4500);
    cr_assert_not_null(strstr(err.en, "4500"), "%s", err.en);
    transfer_report_release(&rep);
    sbuf_release(&csv);
}

Test(transfer, too_many_rows)
{
    struct sbuf csv = SBUF_INIT;
    struct import_plan *plan = NULL;
    struct import_report rep;
    struct err err = ERR_INIT;

    sbuf_adds(&csv, HEADER);
    for (int i = 0; i <= TRANSFER_MAX_ROWS; i++)
        sbuf_addf(&csv, "%s,%d,,某,户主,,男,1970-01-01,,\n", villages[0], i);
    cr_assert_eq(transfer_parse(csv.buf, csv.len, &plan, &rep, NULL, &err), -ERR_TOO_LARGE);
    cr_assert_null(plan);
    transfer_report_release(&rep);
    sbuf_release(&csv);
}

Test(transfer, registered_id_fails_the_whole_file)
{
    struct sbuf first = SBUF_INIT, second = SBUF_INIT;
    struct import_report rep;
    struct err err = ERR_INIT;
    char id_new[19];

    good_csv(&first);
    import_ok(first.buf, 3, 7);
    make_id("19991231", 7, id_new);
    sbuf_adds(&second, HEADER);
    sbuf_addf(&second, "%s,101,,新户主,户主,%s,,,,\n", villages[0], id_new);
    sbuf_addf(&second, "%s,102,,新二,户主,,女,1980-01-01,,\n", villages[2]);
    sbuf_addf(&second, "%s,101,,旧人,配偶,%s,,,,\n", villages[0], id_wife);  /* row 4 */
    sbuf_addf(&second, "%s,001,,再来,户主,,女,1980-01-01,,\n", villages[1]); /* row 5: used */
    cr_assert_eq(import_text(second.buf, &rep, &err), -ERR_INVALID, "%s", err.en);
    expect_problem(&rep, 4, "身份证号");
    expect_problem(&rep, 5, "户号");
    cr_assert_eq(rep.problems.n, 2);
    cr_assert_eq(rep.households, 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM households"), 3);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons"), 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons WHERE name LIKE '新%'"), 0);
    transfer_report_release(&rep);
    sbuf_release(&first);
    sbuf_release(&second);
}

Test(transfer, village_outside_scope_fails_the_whole_file)
{
    struct sbuf csv = SBUF_INIT;
    struct import_report rep;
    struct err err = ERR_INIT;

    sbuf_adds(&csv, HEADER);
    sbuf_addf(&csv, "%s,001,,本村人,户主,,男,1970-01-01,,\n", villages[0]);
    sbuf_addf(&csv, "%s,001,,外村人,户主,,男,1970-01-01,,\n", villages[1]); /* row 3 */
    sbuf_addf(&csv, "%s,001,,外村二,配偶,,女,1971-01-01,,\n", villages[1]);
    sbuf_addf(&csv, "410183100299,001,,无此村,户主,,男,1970-01-01,,\n"); /* row 5 */
    cr_assert_eq(import_as(&as_cadre, csv.buf, csv.len, NULL, &rep, &err), -ERR_INVALID);
    expect_problem(&rep, 3, "村代码");
    expect_problem(&rep, 5, "村代码");
    cr_assert_eq(rep.problems.n, 2);
    expect_empty_registry();
    transfer_report_release(&rep);
    /* The county admin may import the same file save the missing village. */
    sbuf_reset(&csv);
    sbuf_adds(&csv, HEADER);
    sbuf_addf(&csv, "%s,001,,外村人,户主,,男,1970-01-01,,\n", villages[1]);
    import_ok(csv.buf, 1, 1);
    sbuf_release(&csv);
}

struct apply_job {
    const struct import_plan *plan;
    struct import_report rep;
    int runs;
};

static int
apply_job_run(struct db_conn *c, void *arg, struct err *err)
{
    struct apply_job *j = arg;

    j->runs++;
    return transfer_apply(c, &as_admin, j->plan, &j->rep, NULL, err);
}

/* The writer rolls a failed job back, and may run a job twice. */
Test(transfer, writer_job_all_or_nothing_and_rerun)
{
    struct sbuf csv = SBUF_INIT;
    struct import_plan *plan = NULL;
    struct apply_job job = { 0 };
    struct writer *w = NULL;
    struct err err = ERR_INIT;

    good_csv(&csv);
    cr_assert_eq(transfer_parse(csv.buf, csv.len, &plan, &job.rep, NULL, &err), 0, "%s", err.en);
    job.plan = plan;
    cr_assert_eq(writer_start(db, NULL, &w, &err), 0, "%s", err.en);
    cr_assert_eq(writer_call(w, apply_job_run, &job, &err), 0, "%s", err.en);
    cr_assert_eq(job.rep.persons, 7);
    /* Again: every ID is now registered, so the job fails and adds nothing. */
    cr_assert_eq(writer_call(w, apply_job_run, &job, &err), -ERR_INVALID);
    cr_assert_eq(job.rep.problems.n, 3, "one per household number; persons of refused skipped");
    cr_assert_eq(job.rep.problems.items[0].row, 2);
    writer_stop(w);
    writer_free(w);
    cr_assert_eq(count("SELECT COUNT(*) FROM persons"), 7);
    cr_assert_eq(count("SELECT COUNT(*) FROM households"), 3);
    transfer_report_release(&job.rep);
    transfer_plan_free(plan);
    sbuf_release(&csv);
}

/* ---- export ---- */

static char *export(enum sheet_format fmt, size_t *len)
{
    struct household_filter f = { .region = NULL };
    struct err err = ERR_INIT;
    char *out = NULL;

    cr_assert_eq(transfer_export(conn, &as_admin, &f, fmt, &out, len, &err), 0, "%s", err.en);
    cr_assert_not_null(out);
    return out;
}

static bool
contains(const char *hay, size_t len, const char *needle)
{
    return memmem(hay, len, needle, strlen(needle)) != NULL;
}

static int
count_lines(const char *s, size_t len)
{
    int n = 0;

    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

Test(transfer, export_csv_is_masked_with_bom)
{
    const char *plain[] = { id_head1, id_wife,       id_legacy18,   id_son2,       id_head3, id_x,
                            legacy15, "13800138001", "13900138002", "13800138003", NULL };
    struct sbuf csv = SBUF_INIT;
    char mask[19];
    size_t len;
    char *out;

    good_csv(&csv);
    import_ok(csv.buf, 3, 7);
    out = export(SHEET_CSV, &len);
    cr_assert_eq(
        memcmp(out,
               "\xef\xbb\xbf村代码,户号,地址,姓名,与户主关系,性别,出生日期,身份证号,"
               "手机号\r\n",
               strlen("\xef\xbb\xbf村代码,户号,地址,姓名,与户主关系,性别,出生日期,身份证号,"
                      "手机号\r\n")),
        0);
    cr_assert_eq(count_lines(out, len), 1 + 7);
    for (int i = 0; plain[i]; i++)
        cr_assert(!contains(out, len, plain[i]), "plain value %d in the export", i);
    idnum_mask(id_head1, mask);
    cr_assert(contains(out, len, mask), "masked ID");
    cr_assert(contains(out, len, "138****8001"));
    cr_assert(contains(out, len, "\"王庄村2号, 东院\""));
    cr_assert(contains(out, len, ",王小明,子女,男,1990-03-05,,\r\n"));
    free(out);
    sbuf_release(&csv);
}

Test(transfer, export_csv_neutralises_formulas_and_pages)
{
    struct sbuf csv = SBUF_INIT;
    size_t len;
    char *out;

    sbuf_adds(&csv, HEADER);
    sbuf_addf(&csv, "%s,-1,@SUM(A1),=1+1,户主,,男,1970-01-01,,\n", villages[0]);
    sbuf_addf(&csv, "%s,-1,,\"+cmd|' /C calc'!A0\",子女,,女,2001-01-01,,\n", villages[0]);
    for (int i = 0; i < 250; i++) /* more than one household_list page */
        sbuf_addf(&csv, "%s,H%03d,,人%d,户主,,男,1970-01-01,,\n", villages[1], i, i);
    import_ok(csv.buf, 251, 252);
    out = export(SHEET_CSV, &len);
    cr_assert_eq(count_lines(out, len), 1 + 252);
    cr_assert(contains(out, len, ",\"'-1\",\"'@SUM(A1)\",\"'=1+1\",户主,"));
    cr_assert(contains(out, len, ",\"'+cmd|' /C calc'!A0\","));
    cr_assert(!contains(out, len, ",=1+1"));
    cr_assert(contains(out, len, ",H249,,人249,"));
    free(out);
    sbuf_release(&csv);
}

Test(transfer, export_xlsx_is_a_zip)
{
    struct sbuf csv = SBUF_INIT;
    size_t len;
    char *out;

    good_csv(&csv);
    import_ok(csv.buf, 3, 7);
    out = export(SHEET_XLSX, &len);
    cr_assert_geq(len, 4000, "xlsx of %zu bytes", len);
    cr_assert_eq(memcmp(out, "PK\x03\x04", 4), 0);
    free(out);
    sbuf_release(&csv);
}

Test(transfer, export_of_nothing_in_scope)
{
    struct household_filter f = { .region = NULL };
    struct principal nobody;
    struct actor a = { .who = &nobody, .request_id = "t", .keys = &keys };
    struct err err = ERR_INIT;
    struct sbuf csv = SBUF_INIT;
    size_t len;
    char *out;

    good_csv(&csv);
    import_ok(csv.buf, 3, 7);
    principal_init(&nobody, 9, ROLE_MERCHANT, "410183000000");
    cr_assert_eq(transfer_export(conn, &a, &f, SHEET_CSV, &out, &len, &err), 0, "%s", err.en);
    cr_assert_eq(count_lines(out, len), 1);
    free(out);
    sbuf_release(&csv);
}
