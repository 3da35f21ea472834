/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_region.c -- domain/region: code format and levels, kinds by
 * range, scopes, the regions and units tables, CSV import (all or nothing, one
 * problem per row and column) and the 新密市 demo tree. The storage tests run
 * once per backend: XIANGZHI_TEST_DB=sqlite (default; a fresh temp file per
 * test) or a postgresql:// URL (each test in its own schema via search_path). */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/region/region.h"
#include "store/db.h"
#include "testdb.h"
#include "store/migrate.h"
#include "store/writer.h"

static struct db *db;
static struct db_conn *conn;

static void
setup(void)
{
    testdb_open("region", &db, &conn);
}

static void
teardown(void)
{
    testdb_close(db, conn);
}

TestSuite(region_code);
TestSuite(region, .init = setup, .fini = teardown, .timeout = 120);

/* ---- helpers ---- */

static int64_t
count(const char *sql)
{
    struct err err = ERR_INIT;
    int64_t v = -1;

    cr_assert_eq(db_query_i64(conn, sql, &v, &err), 0, "%s: %s", sql, err.en);
    return v;
}

static int
try_add(const char *code, const char *parent, const char *name, struct err *err)
{
    struct region r;

    memset(&r, 0, sizeof(r));
    snprintf(r.code, sizeof(r.code), "%s", code);
    snprintf(r.parent_code, sizeof(r.parent_code), "%s", parent);
    snprintf(r.name, sizeof(r.name), "%s", name);
    return region_insert(conn, &r, err);
}

static void
add(const char *code, const char *parent, const char *name)
{
    struct err err = ERR_INIT;

    cr_assert_eq(try_add(code, parent, name, &err), 0, "insert %s: %s", code, err.en);
    cr_assert_eq(err.code, ERR_OK, "err touched on success");
}

static void
add_fails(const char *code, const char *parent, const char *name, int code_want, const char *field)
{
    struct err err = ERR_INIT;
    int rc = try_add(code, parent, name, &err);

    cr_assert_eq(rc, -code_want, "insert %s under '%s': got %d (%s)", code, parent, rc, err.en);
    cr_assert_str_eq(err.field, field, "insert %s: field %s", code, err.field);
    cr_assert(err.zh[0] && err.en[0]);
}

/* 河南省 > 郑州市 > 新密市 > 城关镇 > 一个村. */
static void
small_tree(void)
{
    add("410000000000", "", "河南省");
    add("410100000000", "410000000000", "郑州市");
    add("410183000000", "410100000000", "新密市");
    add("410183100000", "410183000000", "城关镇");
    add("410183100201", "410183100000", "王庄村");
}

static struct region
get(const char *code)
{
    struct err err = ERR_INIT;
    struct region r;

    cr_assert_eq(region_get(conn, code, &r, &err), 0, "get %s: %s", code, err.en);
    return r;
}

/* ---- codes, kinds, scopes ---- */

static int
level_of(const char *code)
{
    struct err err = ERR_INIT;
    int level = -1;

    cr_assert_eq(region_code_parse(code, &level, &err), 0, "%s: %s", code, err.en);
    return level;
}

Test(region_code, levels_from_trailing_zeros)
{
    cr_assert_eq(level_of("410000000000"), REGION_PROVINCE);
    cr_assert_eq(level_of("410100000000"), REGION_CITY);
    cr_assert_eq(level_of("410183000000"), REGION_COUNTY);
    cr_assert_eq(level_of("419001000000"), REGION_COUNTY, "济源, 省直辖");
    cr_assert_eq(level_of("410183100000"), REGION_TOWNSHIP);
    cr_assert_eq(level_of("410183001000"), REGION_TOWNSHIP);
    cr_assert_eq(level_of("410183100201"), REGION_VILLAGE);
    cr_assert_eq(level_of("410183100010"), REGION_VILLAGE);
    cr_assert_eq(region_code_parse("410183100201", NULL, NULL), 0, "level and err may be NULL");
}

Test(region_code, bad_codes_rejected)
{
    static const char *bad[] = {
        "",
        "4101831002",
        "41018310020",
        "4101831002011",
        "41018310020a",
        " 41018310020",
        "41018310020 ",
        "４10183100201",
        "410100000001",
        "410000000100",
        "410083000000",
        "410183000201",
        "000000000000",
        "001000000000",
        "41-183100201",
    };
    struct err err = ERR_INIT;

    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        err_clear(&err);
        cr_assert_eq(region_code_parse(bad[i], NULL, &err), -ERR_INVALID, "'%s' accepted", bad[i]);
        cr_assert_eq(err.code, ERR_INVALID);
        cr_assert_str_eq(err.field, "code");
        cr_assert(err.zh[0] && err.en[0]);
    }
    cr_assert_eq(region_code_parse(NULL, NULL, &err), -ERR_INVALID);
}

Test(region_code, kinds_by_range)
{
    static const struct {
        const char *code;
        int level;
        const char *kind;
    } cases[] = {
        { "410000000000", 1, "省" },     { "410100000000", 2, "市" },
        { "410308000000", 3, "区" },     { "410322000000", 3, "县" },
        { "410183000000", 3, "县级市" }, { "419001000000", 3, "县级市" },
        { "410183001000", 4, "街道" },   { "410183099000", 4, "街道" },
        { "410183100000", 4, "镇" },     { "410183199000", 4, "镇" },
        { "410183200000", 4, "乡" },     { "410183399000", 4, "乡" },
        { "410183400000", 4, "其他" },   { "410183599000", 4, "其他" },
        { "410183100001", 5, "居委会" }, { "410183100199", 5, "居委会" },
        { "410183100200", 5, "村委会" }, { "410183100399", 5, "村委会" },
        { "410183100400", 5, "其他" },   { "410183100201", 3, "县级市" },
        { "410183100201", 4, "镇" },     { "410183000000", 4, "" },
        { "41018310020x", 5, "" },       { "410183100201", 0, "" },
        { "410183100201", 6, "" },
    };

    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        cr_assert_str_eq(region_kind_of(cases[i].code, cases[i].level), cases[i].kind,
                         "%s at level %d", cases[i].code, cases[i].level);
    cr_assert_str_eq(region_kind_of(NULL, 3), "");
}

Test(region_code, scopes)
{
    cr_assert_eq(region_scope_len(REGION_PROVINCE), 2);
    cr_assert_eq(region_scope_len(REGION_CITY), 4);
    cr_assert_eq(region_scope_len(REGION_COUNTY), 6);
    cr_assert_eq(region_scope_len(REGION_TOWNSHIP), 9);
    cr_assert_eq(region_scope_len(REGION_VILLAGE), 12);
    cr_assert_eq(region_scope_len(0), 0);
    cr_assert_eq(region_scope_len(6), 0);

    cr_assert(region_in_scope("410183000000", "410183100201"));
    cr_assert(region_in_scope("410183000000", "410183000000"), "a code is in its own scope");
    cr_assert(region_in_scope("410183100000", "410183100201"));
    cr_assert(region_in_scope("410000000000", "419001100201"), "省直辖 county in the province");
    cr_assert(region_in_scope("410100000000", "410183100201"));
    cr_assert(region_in_scope("410183100201", "410183100201"));
    cr_assert_not(region_in_scope("410183100000", "410183101201"), "another township");
    cr_assert_not(region_in_scope("410183000000", "410184100201"), "another county");
    cr_assert_not(region_in_scope("410100000000", "410283000000"), "another city");
    cr_assert_not(region_in_scope("410183100201", "410183100000"), "a village holds no township");
    cr_assert_not(region_in_scope("410183100201", "410183100202"));
    cr_assert_not(region_in_scope("4101830", "410183100201"), "a malformed scope holds nothing");
    cr_assert_not(region_in_scope("", "410183100201"));
    cr_assert_not(region_in_scope(NULL, "410183100201"));
    cr_assert_not(region_in_scope("410183000000", "41018310020x"));
    cr_assert_not(region_in_scope("410183000000", NULL));
}

/* ---- the regions table ---- */

Test(region, insert_and_get)
{
    struct region r;

    small_tree();
    r = get("410183100201");
    cr_assert_str_eq(r.code, "410183100201");
    cr_assert_str_eq(r.parent_code, "410183100000");
    cr_assert_eq(r.level, REGION_VILLAGE);
    cr_assert_str_eq(r.kind, "村委会", "kind filled from the code");
    cr_assert_str_eq(r.name, "王庄村");
    cr_assert_eq(r.valid_to, 0);
    cr_assert_str_eq(r.successor_code, "");
    r = get("410000000000");
    cr_assert_str_eq(r.parent_code, "");
    cr_assert_str_eq(r.kind, "省");
    cr_assert_str_eq(get("410183000000").kind, "县级市");
    cr_assert_str_eq(get("410183100000").kind, "镇");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 5);
}

Test(region, insert_keeps_given_kind_and_dates)
{
    struct err err = ERR_INIT;
    struct region r = { .code = "410183001000",
                        .parent_code = "410183000000",
                        .level = 4,
                        .kind = "社区",
                        .name = "青屏街道",
                        .valid_from = 1000 };

    small_tree();
    cr_assert_eq(region_insert(conn, &r, &err), 0, "%s", err.en);
    r = get("410183001000");
    cr_assert_str_eq(r.kind, "社区");
    cr_assert_eq(r.valid_from, 1000);
}

Test(region, get_missing_and_malformed)
{
    struct err err = ERR_INIT;
    struct region r;

    cr_assert_eq(region_get(conn, "410183100201", &r, &err), -ERR_NOT_FOUND);
    cr_assert_str_eq(err.field, "code");
    cr_assert(strstr(err.en, "410183100201"), "%s", err.en);
    cr_assert_eq(region_get(conn, "abc", &r, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "code");
}

Test(region, insert_rules)
{
    char long_name[4 * 65 + 1] = "", ok_name[3 * 64 + 1] = "";
    struct err err = ERR_INIT;
    struct region r = {
        .code = "410183101000", .parent_code = "410183000000", .level = 3, .name = "米村镇"
    };

    small_tree();
    add_fails("410183100201", "410183100000", "重复村", ERR_DUPLICATE, "code");
    add_fails("410183100202", "410183101000", "孤村", ERR_INVALID, "parent_code");
    add_fails("410183101202", "410183101000", "孤村", ERR_REFERENCE, "parent_code");
    add_fails("410183100202", "410183000000", "跳级村", ERR_INVALID, "parent_code");
    add_fails("410183100202", "", "无上级村", ERR_INVALID, "parent_code");
    add_fails("410183101000", "", "无上级镇", ERR_INVALID, "parent_code");
    add_fails("410200000000", "", "无上级市", ERR_INVALID, "parent_code");
    add_fails("410200000000", "41000000000x", "开封市", ERR_INVALID, "parent_code");
    add_fails("410100000000", "410000000000", "郑州市", ERR_DUPLICATE, "code");
    add_fails("420100000000", "410000000000", "武汉市", ERR_INVALID, "parent_code");
    add_fails("410183101000", "410183100201", "倒挂镇", ERR_INVALID, "parent_code");
    add_fails("41018310100", "410183000000", "短码镇", ERR_INVALID, "code");
    add_fails("410183101000", "410183000000", "", ERR_INVALID, "name");
    add_fails("410183101000", "410183000000", "米村\n镇", ERR_INVALID, "name");
    add_fails("410183101000", "410183000000", "\xe7\xb1\xb3\xff", ERR_INVALID, "name");
    for (int i = 0; i < 65; i++)
        memcpy(long_name + 4 * i, "𠀀", 5); /* four bytes each; 65 is one too many */
    add_fails("410183101000", "410183000000", long_name, ERR_INVALID, "name");
    for (int i = 0; i < 64; i++)
        memcpy(ok_name + 3 * i, "米", 4);
    add("410183101000", "410183000000", ok_name);
    cr_assert_eq(region_insert(conn, &r, &err), -ERR_INVALID, "level 3 for a township");
    cr_assert_str_eq(err.field, "level");
    /* A county may hang below its province (省直辖) or stand alone. */
    add("419001000000", "410000000000", "济源市");
    add("410308000000", "", "孟津区");
    add("419001001000", "419001000000", "沁园街道");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 9);
}

static void
children_are(const char *parent, bool retired, const char *const *want, size_t nwant)
{
    struct err err = ERR_INIT;
    struct region *kids = NULL;
    size_t n = 99;

    cr_assert_eq(region_children(conn, parent, retired, &kids, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, nwant, "children of %s: %zu, want %zu", parent, n, nwant);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(kids[i].code, want[i], "child %zu of %s", i, parent);
    free(kids);
}

Test(region, children_in_code_order)
{
    static const char *const towns[] = { "410183001000", "410183100000", "410183101000",
                                         "410183200000" };
    static const char *const roots[] = { "410000000000", "410308000000" };
    struct err err = ERR_INIT;
    struct region *kids = (struct region *)&err;
    size_t n = 99;

    small_tree();
    add("410183200000", "410183000000", "袁庄乡");
    add("410183001000", "410183000000", "青屏街道");
    add("410183101000", "410183000000", "米村镇");
    add("410308000000", "", "孟津区");
    children_are("410183000000", false, towns, 4);
    children_are("", false, roots, 2);
    children_are(NULL, false, roots, 2);
    children_are("410183100201", false, NULL, 0);
    cr_assert_eq(get("410183200000").level, REGION_TOWNSHIP);
    cr_assert_eq(region_children(conn, "410183300000", false, &kids, &n, &err), -ERR_NOT_FOUND);
    cr_assert_null(kids);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(err.field, "code");
}

Test(region, rename)
{
    struct err err = ERR_INIT;

    small_tree();
    cr_assert_eq(region_rename(conn, "410183100201", "王家庄村", &err), 0, "%s", err.en);
    cr_assert_str_eq(get("410183100201").name, "王家庄村");
    cr_assert_eq(region_rename(conn, "410183100202", "无此村", &err), -ERR_NOT_FOUND);
    cr_assert_str_eq(err.field, "code");
    cr_assert_eq(region_rename(conn, "410183100201", "", &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "name");
    cr_assert_eq(region_rename(conn, "bad", "名字", &err), -ERR_INVALID);
    cr_assert_str_eq(get("410183100201").name, "王家庄村");
}

/* 孟津县 410322 became 孟津区 410308 in 2021. */
Test(region, retire_with_successor)
{
    static const char *const before[] = { "410308000000", "410322000000" };
    static const char *const after[] = { "410308000000" };
    const int64_t at = 1609459200000; /* 2021-01-01 */
    struct err err = ERR_INIT;
    struct region r;

    add("410000000000", "", "河南省");
    add("410300000000", "410000000000", "洛阳市");
    add("410322000000", "410300000000", "孟津县");
    add("410308000000", "410300000000", "孟津区");
    add("410322100000", "410322000000", "城关镇");
    add("410308100000", "410308000000", "城关镇");
    children_are("410300000000", false, before, 2);
    cr_assert_eq(region_retire(conn, "410322000000", "410308000000", at, &err), -ERR_CONFLICT,
                 "a current township is still below it");
    cr_assert_eq(region_retire(conn, "410322100000", "410308100000", at, &err), 0, "%s", err.en);
    cr_assert_eq(region_retire(conn, "410322000000", "410308100000", at, &err), -ERR_INVALID,
                 "successor at another level");
    cr_assert_str_eq(err.field, "successor_code");
    cr_assert_eq(region_retire(conn, "410322000000", "410309000000", at, &err), -ERR_REFERENCE);
    cr_assert_eq(region_retire(conn, "410322000000", "410322000000", at, &err), -ERR_INVALID);
    cr_assert_eq(region_retire(conn, "410322000000", "410308000000", -5, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "at");
    cr_assert_eq(region_retire(conn, "410329000000", "", at, &err), -ERR_NOT_FOUND);
    cr_assert_eq(region_retire(conn, "410322000000", "410308000000", at, &err), 0, "%s", err.en);
    r = get("410322000000");
    cr_assert_eq(r.valid_to, at);
    cr_assert_str_eq(r.successor_code, "410308000000");
    cr_assert_str_eq(get("410322100000").successor_code, "410308100000");
    children_are("410300000000", false, after, 1);
    children_are("410300000000", true, before, 2);
    cr_assert_eq(region_retire(conn, "410322000000", "", at + 1, &err), -ERR_CONFLICT,
                 "already retired");
    /* Retiring with no successor. */
    cr_assert_eq(region_retire(conn, "410308100000", NULL, at, &err), 0, "%s", err.en);
    cr_assert_str_eq(get("410308100000").successor_code, "");
}

Test(region, retire_in_the_future_stays_current)
{
    static const char *const both[] = { "410183100000", "410183101000" };
    struct err err = ERR_INIT;

    small_tree();
    add("410183101000", "410183000000", "米村镇");
    cr_assert_eq(region_retire(conn, "410183101000", "", INT64_C(4102444800000), &err), 0, "%s",
                 err.en);
    children_are("410183000000", false, both, 2);
}

/* ---- groups and grids ---- */

static struct region_unit
unit(const char *village, const char *kind, int number, const char *name)
{
    struct region_unit u;

    memset(&u, 0, sizeof(u));
    snprintf(u.village_code, sizeof(u.village_code), "%s", village);
    snprintf(u.kind, sizeof(u.kind), "%s", kind);
    u.number = number;
    snprintf(u.name, sizeof(u.name), "%s", name);
    return u;
}

static void
unit_fails(struct region_unit u, int code, const char *field)
{
    struct err err = ERR_INIT;
    int rc = region_unit_insert(conn, &u, &err);

    cr_assert_eq(rc, -code, "%s %s %d: got %d (%s)", u.village_code, u.kind, u.number, rc, err.en);
    cr_assert_str_eq(err.field, field);
}

Test(region, units)
{
    static const int numbers[] = { 1, 2, 10, 12, 20, 105, 110 };
    static const char *const names[] = { "第一组",   "第二组",       "第十组",      "第十二组",
                                         "第二十组", "第一百零五组", "第一百一十组" };
    struct err err = ERR_INIT;
    struct region_unit u, *list = NULL;
    size_t n = 0;

    small_tree();
    for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
        u = unit("410183100201", "group", numbers[i], "");
        cr_assert_eq(region_unit_insert(conn, &u, &err), 0, "%s", err.en);
        cr_assert_gt(u.id, 0);
        cr_assert_str_eq(u.name, names[i]);
    }
    u = unit("410183100201", "grid", 2, "");
    cr_assert_eq(region_unit_insert(conn, &u, &err), 0, "%s", err.en);
    cr_assert_str_eq(u.name, "第二网格");
    u = unit("410183100201", "grid", 1, "村东网格");
    cr_assert_eq(region_unit_insert(conn, &u, &err), 0, "%s", err.en);
    unit_fails(unit("410183100201", "group", 2, ""), ERR_DUPLICATE, "number");
    unit_fails(unit("410183100201", "team", 3, ""), ERR_INVALID, "kind");
    unit_fails(unit("410183100201", "group", 0, ""), ERR_INVALID, "number");
    unit_fails(unit("410183100201", "group", 1000, ""), ERR_INVALID, "number");
    unit_fails(unit("410183100000", "group", 1, ""), ERR_INVALID, "village_code");
    unit_fails(unit("410183100202", "group", 1, ""), ERR_NOT_FOUND, "village_code");
    unit_fails(unit("4101831002", "group", 1, ""), ERR_INVALID, "village_code");
    unit_fails(unit("410183100201", "group", 3, "\x01组"), ERR_INVALID, "name");

    cr_assert_eq(region_units(conn, "410183100201", &list, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, ARRAY_LEN(numbers) + 2);
    for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
        cr_assert_str_eq(list[i].kind, "group");
        cr_assert_eq(list[i].number, numbers[i], "groups come first, by number");
    }
    cr_assert_str_eq(list[n - 2].name, "村东网格");
    cr_assert_str_eq(list[n - 1].kind, "grid");
    cr_assert_eq(list[n - 1].number, 2);
    free(list);
    cr_assert_eq(region_units(conn, "410183100202", &list, &n, &err), -ERR_NOT_FOUND);
    cr_assert_null(list);
    add("410183100202", "410183100000", "李沟村");
    cr_assert_eq(region_units(conn, "410183100202", &list, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, 0);
    cr_assert_null(list);
}

/* ---- CSV import ---- */

static int
import(const char *csv, struct region_import_report *rep, struct err *err)
{
    return region_import_csv(conn, csv, strlen(csv), rep, err);
}

static void
problem_is(const struct region_import_report *rep, size_t i, int row, const char *column,
           const char *en_needle)
{
    const struct sheet_problem *p;

    cr_assert_lt(i, rep->problems.n, "problem %zu of %zu", i, rep->problems.n);
    p = &rep->problems.items[i];
    cr_assert_eq(p->row, row, "problem %zu: row %d, want %d (%s)", i, p->row, row, p->reason_en);
    cr_assert_str_eq(p->column, column, "problem %zu (row %d): %s", i, row, p->reason_en);
    cr_assert(strstr(p->reason_en, en_needle), "problem %zu (row %d): '%s' lacks '%s'", i, row,
              p->reason_en, en_needle);
    cr_assert(p->reason_zh[0], "problem %zu has no Chinese reason", i);
}

/* Children after parents would be easy; this file has them the other way round,
 * derives two parents from the codes and names one type explicitly. */
Test(region, import_good_file)
{
    static const char csv[] = "代码,名称,上级代码,类型\r\n"
                              "410183100201,王庄村,410183100000,\r\n"
                              "410183100202,\"李沟村\",,\r\n"
                              "410183001001, 青屏社区 ,,社区\r\n"
                              "410183100000,城关镇,410183000000,\r\n"
                              "410183001000,青屏街道,,\r\n"
                              ",,,\r\n"
                              "410183000000,新密市,410100000000,\r\n"
                              "410100000000,郑州市,,\r\n"
                              "410000000000,河南省,,\r\n";
    static const char *const towns[] = { "410183001000", "410183100000" };
    struct region_import_report rep;
    struct err err = ERR_INIT;
    struct region r;

    cr_assert_eq(import(csv, &rep, &err), 0, "%s", err.en);
    cr_assert_eq(err.code, ERR_OK);
    cr_assert_eq(rep.rows, 8, "the blank record is not a row");
    cr_assert_eq(rep.inserted, 8);
    cr_assert_eq(rep.problems.n, 0);
    cr_assert_null(rep.problems.items);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 8);
    children_are("410183000000", false, towns, 2);
    r = get("410183100202");
    cr_assert_str_eq(r.parent_code, "410183100000", "derived from the code");
    cr_assert_str_eq(r.name, "李沟村");
    cr_assert_str_eq(r.kind, "村委会");
    r = get("410183001001");
    cr_assert_str_eq(r.name, "青屏社区", "blanks trimmed");
    cr_assert_str_eq(r.kind, "社区");
    cr_assert_str_eq(get("410183000000").parent_code, "410100000000");
    region_import_report_release(&rep);
    region_import_report_release(&rep);
    region_import_report_release(NULL);
}

Test(region, import_columns_by_alias_and_order_with_bom)
{
    static const char csv[] = "\xef\xbb\xbf名称,备注,编码\n"
                              "河南省,省,410000000000\n"
                              "郑州市,,410100000000\n"
                              "济源市,省直辖,419001000000\n"
                              "新密市,县级市,410183000000";
    struct region_import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(import(csv, &rep, &err), 0, "%s", err.en);
    cr_assert_eq(rep.inserted, 4);
    cr_assert_str_eq(get("410000000000").name, "河南省", "the BOM is not part of the header");
    cr_assert_str_eq(get("419001000000").parent_code, "410000000000",
                     "no 419000 city: the province");
    cr_assert_str_eq(get("410183000000").parent_code, "410100000000");
    region_import_report_release(&rep);
}

/* Every broken row is reported with its column; nothing at all is inserted, not
 * even the good rows. */
Test(region, import_broken_rows_insert_nothing)
{
    static const char csv[] = "代码,名称,上级代码\n"               /* row 1 */
                              "410000000000,河南省,\n"             /* 2 ok */
                              "410100000000,郑州市,\n"             /* 3 ok */
                              "41010000000X,坏代码,\n"             /* 4 */
                              "410184000000,,410100000000\n"       /* 5 */
                              "410183100000,城关镇,\n"             /* 6 */
                              "410183100201,王庄村,410183000000\n" /* 7 */
                              "410183100202,李\xff沟村,\n"         /* 8 */
                              "410200000000,一二三四五六七八九十一二三四五六七八九十"
                              "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                              "一二三四五六七八九十一二三四五,\n"  /* 9 */
                              "410100000001,坏层级,\n"             /* 10 */
                              "410300000000,洛阳市,420000000000\n" /* 11 */
                              "410183100203,刘寨村,4101831000\n";  /* 12 */
    struct region_import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(import(csv, &rep, &err), -ERR_INVALID);
    cr_assert_eq(err.code, ERR_INVALID);
    cr_assert(strstr(err.en, "nothing was imported"), "%s", err.en);
    cr_assert_eq(rep.rows, 11);
    cr_assert_eq(rep.inserted, 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 0, "all or nothing");
    problem_is(&rep, 0, 4, "代码", "12 digits");
    problem_is(&rep, 1, 5, "名称", "empty");
    problem_is(&rep, 2, 6, "上级代码", "410183000000 is in neither");
    problem_is(&rep, 3, 7, "上级代码", "not adjacent");
    problem_is(&rep, 4, 8, "名称", "UTF-8");
    problem_is(&rep, 5, 9, "名称", "at most 64");
    problem_is(&rep, 6, 10, "代码", "non-zero segment after a zero");
    problem_is(&rep, 7, 11, "上级代码", "prefix");
    problem_is(&rep, 8, 12, "上级代码", "12 digits");
    cr_assert_eq(rep.problems.n, 9, "one problem per broken row, got %zu", rep.problems.n);
    region_import_report_release(&rep);
}

Test(region, import_duplicate_in_file)
{
    static const char csv[] = "代码,名称\n"
                              "410000000000,河南省\n"
                              "410100000000,郑州市\n"
                              "410000000000,河南\n";
    struct region_import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(import(csv, &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.n, 1);
    problem_is(&rep, 0, 4, "代码", "repeats row 2");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 0);
    region_import_report_release(&rep);
}

Test(region, import_duplicate_in_database)
{
    static const char csv[] = "区划代码,区划名称\n"
                              "410183100000,城关镇\n"
                              "410183101000,米村镇\n"
                              "410183101201,米村\n";
    struct region_import_report rep;
    struct err err = ERR_INIT;

    small_tree();
    cr_assert_eq(import(csv, &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.problems.n, 1);
    problem_is(&rep, 0, 2, "区划代码", "already exists in the database");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 5);
    region_import_report_release(&rep);
    /* The same file without the existing row goes in, under the stored county. */
    cr_assert_eq(import("代码,名称\n410183101000,米村镇\n410183101201,米村\n", &rep, &err), 0, "%s",
                 err.en);
    cr_assert_eq(rep.inserted, 2);
    cr_assert_str_eq(get("410183101201").parent_code, "410183101000");
    region_import_report_release(&rep);
}

static void
import_fails_whole(const char *csv, const char *en_needle)
{
    struct region_import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(import(csv, &rep, &err), -ERR_INVALID, "%s", csv);
    cr_assert_eq(rep.inserted, 0);
    cr_assert_geq(rep.problems.n, 1);
    cr_assert(strstr(rep.problems.items[0].reason_en, en_needle), "'%s' lacks '%s'",
              rep.problems.items[0].reason_en, en_needle);
    region_import_report_release(&rep);
}

Test(region, import_empty_and_headless_files)
{
    import_fails_whole("", "empty");
    import_fails_whole("\xef\xbb\xbf", "empty");
    import_fails_whole("\n\n,,\n", "empty");
    import_fails_whole("代码,名称\n", "no data rows");
    import_fails_whole("410000000000,河南省\n", "missing");
    import_fails_whole("代码,名称,代码\n410000000000,河南省,1\n", "twice");
    import_fails_whole("\xb4\xfa\xc2\xeb,\xc3\xfb\xb3\xc6\n", "UTF-8"); /* 代码,名称 in GBK */
    import_fails_whole("代码,名称\n410000000000,\"河南省\n", "CSV syntax");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 0);
}

/* As the API runs it: a writer job inside the writer's transaction. */
struct import_job {
    const char *csv;
    struct region_import_report rep;
};

static int
import_job_run(struct db_conn *c, void *arg, struct err *err)
{
    struct import_job *j = arg;

    region_import_report_release(&j->rep);
    return region_import_csv(c, j->csv, strlen(j->csv), &j->rep, err);
}

Test(region, import_as_writer_job)
{
    struct import_job ok = { "代码,名称\n410000000000,河南省\n410100000000,郑州市\n", { 0 } };
    struct import_job bad = { "代码,名称\n410200000000,开封市\n410200000000,开封\n", { 0 } };
    struct writer *w = NULL;
    struct err err = ERR_INIT;

    cr_assert_eq(writer_start(db, NULL, &w, &err), 0, "%s", err.en);
    cr_assert_eq(writer_call(w, import_job_run, &ok, &err), 0, "%s", err.en);
    cr_assert_eq(writer_call(w, import_job_run, &bad, &err), -ERR_INVALID);
    writer_stop(w);
    writer_free(w);
    cr_assert_eq(ok.rep.inserted, 2);
    cr_assert_eq(bad.rep.problems.n, 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 2);
    region_import_report_release(&ok.rep);
    region_import_report_release(&bad.rep);
}

/* ---- the demo county ---- */

static void
check_village(const char *code, const struct region *village)
{
    struct err err = ERR_INIT;
    struct region_unit *units = NULL;
    struct region town;
    size_t n = 0, groups = 0, grids = 0;
    int seg = (int)strtol(code + 9, NULL, 10);

    cr_assert_eq(village->level, REGION_VILLAGE);
    cr_assert_str_eq(village->kind, "村委会");
    cr_assert(seg >= 200 && seg <= 399, "%s: village segment in the 村委会 range", code);
    cr_assert(strstr(village->name, "村"), "%s: %s", code, village->name);
    town = get(village->parent_code);
    cr_assert_eq(town.level, REGION_TOWNSHIP);
    cr_assert_str_eq(town.parent_code, "410183000000");
    cr_assert(region_in_scope(town.code, code));
    cr_assert_eq(region_units(conn, code, &units, &n, &err), 0, "%s", err.en);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(units[i].kind, "group") == 0)
            groups++;
        else
            grids++;
    }
    cr_assert(groups >= 3 && groups <= 6, "%s: %zu groups", code, groups);
    cr_assert(grids >= 1 && grids <= 2, "%s: %zu grids", code, grids);
    cr_assert_str_eq(units[0].name, "第一组");
    free(units);
}

/* Every township's kind matches its code range; returns how many have 2+ villages. */
static int
check_townships(void)
{
    struct err err = ERR_INIT;
    struct region *towns = NULL, *villages = NULL;
    size_t n = 0, nv = 0;
    int busy = 0, seg;

    cr_assert_eq(region_children(conn, "410183000000", false, &towns, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, 16);
    for (size_t i = 0; i < n; i++) {
        seg = (int)strtol(towns[i].code + 6, NULL, 10) / 1000;
        cr_assert_str_eq(towns[i].kind,
                         seg < 100   ? "街道"
                         : seg < 200 ? "镇"
                                     : "乡",
                         "%s %s", towns[i].code, towns[i].name);
        cr_assert_eq(region_children(conn, towns[i].code, false, &villages, &nv, &err), 0);
        busy += nv >= 2;
        free(villages);
    }
    cr_assert_str_eq(towns[0].name, "青屏街道");
    cr_assert_str_eq(towns[15].name, "袁庄乡");
    free(towns);
    return busy;
}

Test(region, demo_xinmi_tree_is_consistent)
{
    struct err err = ERR_INIT;
    char(*codes)[13] = NULL, (*again)[13] = NULL;
    size_t n = 0, n2 = 0;
    int64_t total;

    cr_assert_eq(region_demo_xinmi(conn, 20, &codes, &n, &err), 0, "%s", err.en);
    cr_assert_eq(n, 20);
    for (size_t i = 0; i < n; i++) {
        struct region v = get(codes[i]);

        check_village(codes[i], &v);
        if (i > 0)
            cr_assert_lt(strcmp(codes[i - 1], codes[i]), 0, "codes in order");
    }
    cr_assert_geq(check_townships(), 2, "at least two townships with 2+ villages");
    cr_assert_str_eq(get("410183000000").name, "新密市");
    cr_assert_str_eq(get("410100000000").name, "郑州市");
    cr_assert_str_eq(get("410000000000").name, "河南省");
    cr_assert_eq(count("SELECT COUNT(DISTINCT name) FROM regions WHERE level = 5"), 20);
    total = count("SELECT COUNT(*) FROM regions");
    cr_assert_eq(total, 3 + 16 + 20);
    /* Deterministic and idempotent: the same codes again, nothing added. */
    cr_assert_eq(region_demo_xinmi(conn, 20, &again, &n2, &err), 0, "%s", err.en);
    cr_assert_eq(n2, n);
    cr_assert_eq(memcmp(codes, again, n * sizeof(*codes)), 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), total);
    free(codes);
    free(again);
}

Test(region, demo_bounds)
{
    struct err err = ERR_INIT;
    char(*codes)[13] = (char(*)[13])1;
    size_t n = 99;

    cr_assert_eq(region_demo_xinmi(conn, -1, &codes, &n, &err), -ERR_INVALID);
    cr_assert_str_eq(err.field, "villages");
    cr_assert_null(codes);
    cr_assert_eq(n, 0);
    cr_assert_eq(region_demo_xinmi(conn, REGION_DEMO_MAX_VILLAGES + 1, &codes, &n, &err),
                 -ERR_INVALID);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 0);
    cr_assert_eq(region_demo_xinmi(conn, 0, &codes, &n, &err), 0, "%s", err.en);
    cr_assert_null(codes);
    cr_assert_eq(n, 0);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 3 + 16, "townships without villages");
}

/* Inside the caller's transaction the work rides on a savepoint: the caller's
 * rollback takes it away again. */
Test(region, import_inside_a_transaction)
{
    struct region_import_report rep;
    struct err err = ERR_INIT;

    cr_assert_eq(db_begin(conn, &err), 0, "%s", err.en);
    cr_assert_eq(import("代码,名称\n410000000000,河南省\n", &rep, &err), 0, "%s", err.en);
    cr_assert(db_in_txn(conn), "the caller's transaction stays open");
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 1);
    db_rollback(conn);
    cr_assert_eq(count("SELECT COUNT(*) FROM regions"), 0);
    region_import_report_release(&rep);
}

/* A file of nothing but bad rows: the report stops at the limit and says so. */
Test(region, import_problems_are_capped)
{
    struct region_import_report rep;
    struct err err = ERR_INIT;
    size_t size = 32 + 40 * 1500, len;
    char *csv = malloc(size);

    cr_assert_not_null(csv);
    len = (size_t)snprintf(csv, size, "代码,名称\n");
    for (int i = 0; i < 1500; i++)
        len += (size_t)snprintf(csv + len, size - len, "41%010d,坏\n", i + 1);
    cr_assert_eq(region_import_csv(conn, csv, len, &rep, &err), -ERR_INVALID);
    cr_assert_eq(rep.rows, 1500);
    cr_assert_eq(rep.problems.n, SHEET_MAX_PROBLEMS);
    problem_is(&rep, 0, 0, "", "too many problems");
    problem_is(&rep, 1, 2, "代码", "non-zero segment after a zero");
    free(csv);
    region_import_report_release(&rep);
}
