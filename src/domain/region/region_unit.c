/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_unit.c -- villager groups (村民小组) and grids (网格)
 * below a village: the SQL for the region_units table (migration 0002). A unit's
 * number is unique per village and kind; its default name is the number in
 * Chinese numerals (第三组, 第二网格), as villages write it. */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "domain/region/region.h"
#include "domain/region/region_int.h"
#include "store/db.h"

static const char *const cn_digit[] = {
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九"
};

/* 1..99 as Chinese numerals; 'in_hundreds' keeps the 一 of 一十 (一百一十). */
static void
cn_tens(char *buf, size_t size, int n, bool in_hundreds)
{
    if (n < 10)
        snprintf(buf, size, "%s", cn_digit[n]);
    else
        snprintf(buf, size, "%s十%s", n < 20 && !in_hundreds ? "" : cn_digit[n / 10],
                 n % 10 ? cn_digit[n % 10] : "");
}

/* 1..999 as Chinese numerals: 三, 十二, 二十, 一百零五, 一百一十. */
static void
cn_number(char *buf, size_t size, int n)
{
    char rest[16];
    int r = n % 100;

    if (n < 100) {
        cn_tens(buf, size, n, false);
        return;
    }
    cn_tens(rest, sizeof(rest), r, true);
    snprintf(buf, size, "%s百%s%s", cn_digit[n / 100], r > 0 && r < 10 ? "零" : "", r ? rest : "");
}

static int
check_unit(struct db_conn *c, const struct region_unit *u, struct err *err)
{
    int level = 0, rc;

    if (strcmp(u->kind, "group") != 0 && strcmp(u->kind, "grid") != 0)
        return err_set_text(err, ERR_INVALID, "kind", "类型应为 group（村民小组）或 grid（网格）",
                            "kind must be group or grid");
    if (u->number < 1 || u->number > 999)
        return err_set_text(err, ERR_INVALID, "number", "编号应在 1 到 999 之间",
                            "the number must be 1 to 999");
    if (u->name[0]) {
        rc = region_name_check(u->name, "name", err);
        if (rc < 0)
            return rc;
    }
    rc = region_code_parse_field(u->village_code, "village_code", NULL, err);
    if (rc < 0)
        return rc;
    rc = region_lookup(c, u->village_code, &level, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return err_set(err, ERR_NOT_FOUND, "village_code", "找不到村 %s", "no village %s",
                       u->village_code);
    if (level != REGION_VILLAGE)
        return err_set(err, ERR_INVALID, "village_code", "%s 不是村级区划", "%s is not a village",
                       u->village_code);
    return 0;
}

static int
unit_exists(struct db_conn *c, const struct region_unit *u, struct err *err)
{
    struct db_stmt *s;
    int rc;

    rc = db_prepare(
        c, "SELECT id FROM region_units WHERE village_code = ? AND kind = ? AND number = ?", &s,
        err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, u->village_code, (size_t)-1);
    db_bind_text(s, 2, u->kind, (size_t)-1);
    db_bind_i64(s, 3, u->number);
    rc = db_step(s, err);
    db_reset(s);
    return rc;
}

int
region_unit_insert(struct db_conn *c, struct region_unit *u, struct err *err)
{
    char num[32];
    struct db_stmt *s;
    int rc;

    rc = check_unit(c, u, err);
    if (rc == 0)
        rc = unit_exists(c, u, err);
    if (rc == 1 && strcmp(u->kind, "group") == 0)
        return err_set(err, ERR_DUPLICATE, "number", "该村已有第 %d 村民小组",
                       "the village already has group %d", u->number);
    if (rc == 1)
        return err_set(err, ERR_DUPLICATE, "number", "该村已有第 %d 网格",
                       "the village already has grid %d", u->number);
    if (rc < 0)
        return rc;
    if (!u->name[0]) {
        cn_number(num, sizeof(num), u->number);
        snprintf(u->name, sizeof(u->name), strcmp(u->kind, "group") == 0 ? "第%s组" : "第%s网格",
                 num);
    }
    rc = db_prepare(c,
                    "INSERT INTO region_units (village_code, kind, number, name) "
                    "VALUES (?, ?, ?, ?) RETURNING id",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, u->village_code, (size_t)-1);
    db_bind_text(s, 2, u->kind, (size_t)-1);
    db_bind_i64(s, 3, u->number);
    db_bind_text(s, 4, u->name, (size_t)-1);
    rc = db_step(s, err);
    if (rc == 1)
        u->id = db_col_i64(s, 0);
    db_reset(s);
    if (rc == 0)
        return err_code_set(err, ERR_DB, NULL);
    return rc < 0 ? rc : 0;
}

static void
read_unit(struct db_stmt *s, void *item)
{
    struct region_unit *u = item;

    memset(u, 0, sizeof(*u));
    u->id = db_col_i64(s, 0);
    db_col_copy(s, 1, u->village_code, sizeof(u->village_code));
    db_col_copy(s, 2, u->kind, sizeof(u->kind));
    u->number = (int)db_col_i64(s, 3);
    db_col_copy(s, 4, u->name, sizeof(u->name));
}

int
region_units(struct db_conn *c, const char *village_code, struct region_unit **out, size_t *n,
             struct err *err)
{
    struct db_rows rows = DB_ROWS_INIT(sizeof(**out));
    struct db_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    rc = db_prepare(c,
                    "SELECT id, village_code, kind, number, name FROM region_units "
                    "WHERE village_code = ? "
                    "ORDER BY CASE kind WHEN 'group' THEN 0 ELSE 1 END, number",
                    &s, err);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, village_code, (size_t)-1);
    rc = db_read_rows(s, read_unit, &rows, err);
    *out = db_rows_detach(&rows, n);
    if (rc == 0 && *n == 0) {
        rc = region_lookup(c, village_code, NULL, err);
        if (rc == 0)
            rc = err_set(err, ERR_NOT_FOUND, "village_code", "找不到村 %s", "no village %s",
                         village_code);
    }
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return 0;
}
