/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/demo.c -- the demo county's year of points (积分制) activity,
 * made through the points module itself so that every rule holds: each village
 * adopts the county template by its meeting's decision; in each of the last
 * three quarters a dozen households claim, the cadres review and approve, the
 * board is posted and the claims become final (a few rejected, a few
 * deductions); the current quarter is left in every state so that review
 * queues, boards and objections have life; then the outlets, and a few
 * households spend points over the last months. Everything is made as if on
 * its day (clock_pretend), so that reports by month show the year. */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/module.h"
#include "domain/points/points.h"
#include "domain/points/shop.h"
#include "store/db.h"

#define DEMO_POINTS_HOUSEHOLDS 12 /* per village */
#define DAY_MS 86400000LL

/* The village's first households, by id. */
static size_t
village_households(struct db_conn *c, const char *village, int64_t *ids, struct err *err)
{
    struct db_stmt *s;
    size_t n = 0;

    if (db_prepare(c, "SELECT id FROM households WHERE village_code = ? ORDER BY id LIMIT 12", &s,
                   err) < 0)
        return 0;
    db_bind_text(s, 1, village, (size_t)-1);
    while (n < DEMO_POINTS_HOUSEHOLDS && db_step(s, err) == 1)
        ids[n++] = db_col_i64(s, 0);
    db_reset(s);
    return n;
}

/* A day in the quarter 'back' quarters before today's, in China (UTC+8):
 * the 15th of its middle month, YYYY-MM-DD. */
static void
quarter_day(int back, char out[11])
{
    char iso[32];
    int y, m, q;

    clock_iso8601(clock_now_ms() + 8 * 3600000LL, iso, sizeof(iso));
    y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
    m = (iso[5] - '0') * 10 + (iso[6] - '0');
    for (q = (m - 1) / 3 - back; q < 0; q += 4)
        y--;
    snprintf(out, 11, "%04u-%02u-15", (unsigned)y % 10000u, (unsigned)(q * 3 + 2) % 100u);
}

struct village_demo {
    struct actor cadre; /* the village's cadres, as the demo */
    struct principal who;
    struct point_item *items;
    size_t nitems;
    int64_t households[DEMO_POINTS_HOUSEHOLDS];
    size_t nhouseholds;
    int64_t store, sold[6]; /* the village's 积分超市 and its goods */
    size_t seed;            /* the village's number: villages differ */
};

/* One claim of household 'h', taken as far as 'stage' (0 submitted, 1
 * reviewed, 2 approved, 3 to be posted); every tenth is rejected at review. */
static int
claim(struct db_conn *c, struct village_demo *v, size_t h, int pick, int stage, struct err *err)
{
    const struct point_item *it = &v->items[(size_t)pick % v->nitems];
    struct point_claim k;
    int rc;

    if (it->evidence_required) /* the demo has no photos: take the next item */
        it = &v->items[(size_t)(pick + 1) % v->nitems];
    if (it->evidence_required)
        return 0;
    rc = points_claim_submit(c, &v->cadre, v->households[h], it->id, "演示数据", NULL, &k, err);
    if (rc == -ERR_CONFLICT) { /* a cap reached: fine */
        err_clear(err);
        return 0;
    }
    if (rc == 0 && stage >= 1)
        rc = points_claim_review(c, &v->cadre, k.id, k.version, pick % 10 != 0,
                                 pick % 10 ? "属实" : "证明材料不足", &k, err);
    if (rc == 0 && stage >= 2 && strcmp(k.state, "reviewed") == 0)
        rc = points_claim_approve(c, &v->cadre, k.id, k.version, true, "同意", &k, err);
    return rc;
}

struct demo_goods {
    const char *name, *unit;
    int points, stock;
};

static const struct demo_goods store_goods[] = {
    { "洗衣粉 1kg", "袋", 10, 60 }, { "食用油 5L", "桶", 45, 20 }, { "大米 10kg", "袋", 50, 20 },
    { "毛巾", "条", 5, 100 },       { "酱油", "瓶", 8, 40 },       { "暖水瓶", "个", 30, 10 },
};

/* The village's outlets: its 积分超市 (the first village's kept by the demo
 * merchant shanghu1), a barber taking points, a shop giving a discount, the
 * bank for 积分贷. */
static int
open_shop(struct db_conn *c, struct village_demo *v, const char *code, bool first, struct err *err)
{
    struct point_outlet store, other;
    struct point_goods g;
    int rc = points_outlet_create(c, &v->cadre, code, "store", "积分超市", 0,
                                  first ? "shanghu1" : NULL, &store, err);

    v->store = store.id;
    for (size_t i = 0; rc == 0 && i < sizeof(store_goods) / sizeof(store_goods[0]); i++) {
        rc = points_goods_add(c, &v->cadre, store.id, store_goods[i].name, store_goods[i].points,
                              store_goods[i].stock, store_goods[i].unit, &g, err);
        v->sold[i] = g.id;
    }
    if (rc == 0)
        rc = points_outlet_create(c, &v->cadre, code, "service", "便民理发", 0, NULL, &other, err);
    if (rc == 0)
        rc = points_goods_add(c, &v->cadre, other.id, "理发一次", 15, -1, "次", &g, err);
    if (rc == 0)
        rc = points_outlet_create(c, &v->cadre, code, "merchant", "村口便民店", 10, NULL, &other,
                                  err);
    if (rc == 0)
        rc = points_outlet_create(c, &v->cadre, code, "bank", "农商银行（积分贷）", 0, NULL, &other,
                                  err);
    return rc;
}

/* After a quarter, every other household takes something from the store
 * (one it can afford; none when it cannot), each all-or-nothing. */
static int
spend(struct db_conn *c, struct village_demo *v, int q, struct err *err)
{
    int rc = 0;

    for (size_t h = (size_t)q % 2; rc == 0 && h < v->nhouseholds; h += 2) {
        struct redeem_request r = { .outlet_id = v->store,
                                    .goods_id = v->sold[(h + (size_t)q) % 5],
                                    .quantity = 1,
                                    .household_id = v->households[h] };
        struct point_redemption out;

        rc = db_savepoint(c, "redeem", err);
        if (rc == 0)
            rc = points_redeem(c, &v->cadre, &r, &out, err);
        if (rc == -ERR_CONFLICT) { /* not enough points: nothing taken */
            err_clear(err);
            rc = db_savepoint_rollback(c, "redeem", err);
        }
        if (rc == 0)
            rc = db_savepoint_release(c, "redeem", err);
    }
    return rc;
}

/* Midday of 'day' (YYYY-MM-DD) in China, in epoch ms. */
static int64_t
day_ms(const char *day)
{
    struct tm tm = { 0 };

    if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return clock_now_ms();
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 4; /* 12:00 in China */
    return (int64_t)timegm(&tm) * 1000;
}

/* One quarter: claims by every demo household, the board, final or pending;
 * made as if on the quarter's day (the current quarter's two days ago, so that
 * its board is still up; its claims were made 2, 6 or 10 days ago, so that
 * some wait past their time limits and the inboxes have warnings and late
 * claims to show). */
static int
quarter(struct db_conn *c, struct village_demo *v, const char *village, int q, bool current,
        struct err *err)
{
    struct point_cycle cy;
    char day[11];
    int64_t n, when;
    int rc;

    clock_pretend(0);
    quarter_day(q, day);
    when = day_ms(day);
    if (current || when > clock_now_ms() - 2 * DAY_MS)
        when = clock_now_ms() - 2 * DAY_MS;
    clock_pretend(when);
    rc = points_cycle_open(c, &v->cadre, village, day, &cy, err);
    for (size_t h = 0; rc == 0 && h < v->nhouseholds; h++) { /* each village its own pattern */
        if (current)
            clock_pretend(when - (int64_t)(h % 3) * 4 * DAY_MS);
        for (int j = 0; rc == 0 && j < 1 + (int)((h + (size_t)q + v->seed) % 4); j++)
            rc = claim(c, v, h, (int)(h * 7 + (size_t)q * 3 + (size_t)j * 11 + v->seed * 5),
                       current ? (int)(h + (size_t)j) % 4 : 3, err);
    }
    clock_pretend(when);
    if (rc == 0)
        rc = points_publicise(c, &v->cadre, village, &n, err);
    if (rc == 0 && !current) { /* the board came down a week later */
        clock_pretend(when + (POINTS_PUBLICITY_DAYS + 1) * DAY_MS);
        rc = points_finalise_due(c, clock_now_ms(), &n, err);
    }
    if (rc == 0 && !current) { /* and some spent their points at the store */
        clock_pretend(when + (POINTS_PUBLICITY_DAYS + 3) * DAY_MS);
        rc = spend(c, v, q, err);
    }
    if (rc == 0 && !current)
        rc = points_cycle_close(c, &v->cadre, cy.id, err);
    return rc;
}

static int
village(struct db_conn *c, const struct point_scheme *tpl, const char *code, size_t seed,
        struct err *err)
{
    struct village_demo v = { .cadre = { .request_id = "demo" }, .seed = seed };
    bool first = seed == 0;
    struct point_scheme sc;
    int rc;

    v.who.nroles = 1;
    v.who.roles[0] = (struct auth_binding){ ROLE_VILLAGE_CADRE, "", 0 };
    snprintf(v.who.roles[0].scope, sizeof(v.who.roles[0].scope), "%s", code);
    snprintf(v.who.username, sizeof(v.who.username), "demo");
    v.cadre.who = &v.who;
    v.nhouseholds = village_households(c, code, v.households, err);
    rc = points_scheme_adopt(c, &v.cadre, tpl->id, code,
                             "村民代表会议表决通过《道德积分储蓄站管理办法》（演示）", "2025-12-20",
                             &sc, err);
    if (rc == 0)
        rc = points_items(c, sc.id, &v.items, &v.nitems, err);
    if (rc == 0)
        rc = open_shop(c, &v, code, first, err);
    for (int q = 3; rc == 0 && q >= 0; q--)
        rc = quarter(c, &v, code, q, q == 0, err);
    free(v.items);
    return rc;
}

int
points_demo(struct db_conn *c, char (*villages)[13], size_t nvillages, const char *county,
            struct err *err)
{
    struct point_scheme tpl;
    int rc = points_template_ensure(c, county, &tpl, err);

    for (size_t i = 0; rc == 0 && i < nvillages; i++)
        rc = village(c, &tpl, villages[i], i, err);
    clock_pretend(0);
    return rc;
}
