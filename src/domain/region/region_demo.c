/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region_demo.c -- the demo county 新密市 (410183), one of the
 * pilot counties in the seed report: its real townships (codes in the right
 * ranges, not necessarily the official ones) and generated villages with
 * groups and grids. Deterministic: the same call always builds the same tree,
 * and existing regions are kept, so running it twice changes nothing. */
#include "core/compat.h"

#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/region/region.h"
#include "domain/region/region_int.h"

#define DEMO_COUNTY "410183"

static const struct {
    int number; /* township segment: 街道 001-099, 镇 100-199, 乡 200-399 */
    const char *name;
} townships[] = {
    { 1, "青屏街道" }, { 2, "新华路街道" }, { 3, "西大街街道" }, { 100, "城关镇" },
    { 101, "米村镇" }, { 102, "牛店镇" },   { 103, "平陌镇" },   { 104, "超化镇" },
    { 105, "苟堂镇" }, { 106, "大隗镇" },   { 107, "刘寨镇" },   { 108, "白寨镇" },
    { 109, "岳村镇" }, { 110, "来集镇" },   { 111, "曲梁镇" },   { 200, "袁庄乡" },
};
#define FIRST_RURAL 3 /* villages go to the 镇 and 乡, not the 街道 */
#define RURAL_COUNT ((int)ARRAY_LEN(townships) - FIRST_RURAL)
_Static_assert(REGION_DEMO_MAX_VILLAGES <= RURAL_COUNT * 200, "village codes 200-399 per township");

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"
};
static const char *const features[] = { "庄", "沟", "寨", "洼", "岭", "坡", "河", "店",
                                        "营", "岗", "湾", "堂", "楼", "庙", "屯", "坪" };
static const char *const prefixes[] = { "", "东", "西", "南", "北", "后" };
#define NAME_COMBOS ((int)(ARRAY_LEN(surnames) * ARRAY_LEN(features)))
_Static_assert(REGION_DEMO_MAX_VILLAGES <= NAME_COMBOS * (int)ARRAY_LEN(prefixes),
               "distinct village names");

struct demo {
    int villages;
    char (*codes)[13];
    size_t n;
};

/* A 3-digit segment; the modulo tells the compiler it fits. */
static unsigned
seg3(int v)
{
    return (unsigned)v % 1000u;
}

/* Name 'k' of the distinct generated names: (prefix) surname + feature + 村. The
 * multipliers (coprime to 30 and 16) only scatter neighbours. */
static void
village_name(int k, char *buf, size_t size)
{
    int a = k % 30, b = (k / 30) % 16;

    snprintf(buf, size, "%s%s%s村", prefixes[k / NAME_COMBOS], surnames[(a * 7) % 30],
             features[(b * 5 + a) % 16]);
}

/* Insert region 'code' unless it exists; *created says which. */
static int
ensure(struct db_conn *c, const char *code, const char *parent, const char *name, bool *created,
       struct err *err)
{
    struct region r;
    int rc;

    *created = false;
    rc = region_lookup(c, code, NULL, err);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    memset(&r, 0, sizeof(r));
    snprintf(r.code, sizeof(r.code), "%s", code);
    snprintf(r.parent_code, sizeof(r.parent_code), "%s", parent);
    snprintf(r.name, sizeof(r.name), "%s", name);
    *created = true;
    return region_insert(c, &r, err);
}

static int
add_units(struct db_conn *c, const char *village, const char *kind, int count, struct err *err)
{
    struct region_unit u;
    int rc;

    for (int i = 1; i <= count; i++) {
        memset(&u, 0, sizeof(u));
        snprintf(u.village_code, sizeof(u.village_code), "%s", village);
        snprintf(u.kind, sizeof(u.kind), "%s", kind);
        u.number = i;
        rc = region_unit_insert(c, &u, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
demo_upper(struct db_conn *c, struct err *err)
{
    char code[13];
    bool created;
    int rc;

    rc = ensure(c, "410000000000", "", "河南省", &created, err);
    if (rc == 0)
        rc = ensure(c, "410100000000", "410000000000", "郑州市", &created, err);
    if (rc == 0)
        rc = ensure(c, DEMO_COUNTY "000000", "410100000000", "新密市", &created, err);
    for (size_t t = 0; t < ARRAY_LEN(townships) && rc == 0; t++) {
        snprintf(code, sizeof(code), DEMO_COUNTY "%03u000", seg3(townships[t].number));
        rc = ensure(c, code, DEMO_COUNTY "000000", townships[t].name, &created, err);
    }
    return rc;
}

/* Village 'k' overall, the j-th (from 0) of township 't'. */
static int
demo_village(struct db_conn *c, struct demo *d, int t, int j, struct err *err)
{
    char parent[13], name[64];
    int k = (int)d->n, rc;
    bool created;

    snprintf(parent, sizeof(parent), DEMO_COUNTY "%03u000", seg3(townships[t].number));
    snprintf(d->codes[k], sizeof(d->codes[k]), DEMO_COUNTY "%03u%03u", seg3(townships[t].number),
             seg3(200 + j));
    village_name(k, name, sizeof(name));
    rc = ensure(c, d->codes[k], parent, name, &created, err);
    if (rc == 0 && created)
        rc = add_units(c, d->codes[k], "group", 3 + k % 4, err);
    if (rc == 0 && created)
        rc = add_units(c, d->codes[k], "grid", 1 + k % 2, err);
    if (rc == 0)
        d->n++;
    return rc;
}

static int
demo_run(struct db_conn *c, void *arg, struct err *err)
{
    struct demo *d = arg;
    int rc, per, extra;

    d->n = 0; /* a writer re-run starts over */
    rc = demo_upper(c, err);
    per = d->villages / RURAL_COUNT;
    extra = d->villages % RURAL_COUNT;
    for (int t = 0; t < RURAL_COUNT && rc == 0; t++)
        for (int j = 0; j < per + (t < extra) && rc == 0; j++)
            rc = demo_village(c, d, FIRST_RURAL + t, j, err);
    return rc;
}

int
region_demo_xinmi(struct db_conn *c, int villages, char (**village_codes)[13], size_t *n,
                  struct err *err)
{
    struct demo d = { villages, NULL, 0 };
    int rc;

    *village_codes = NULL;
    *n = 0;
    if (villages < 0 || villages > REGION_DEMO_MAX_VILLAGES)
        return err_set(err, ERR_INVALID, "villages", "村的数量应在 0 到 %d 之间",
                       "the number of villages must be 0 to %d", REGION_DEMO_MAX_VILLAGES);
    if (villages > 0)
        d.codes = xcalloc((size_t)villages, sizeof(*d.codes));
    rc = region_atomic(c, demo_run, &d, err);
    if (rc < 0) {
        free(d.codes);
        return rc;
    }
    *village_codes = d.codes;
    *n = d.n;
    return 0;
}
