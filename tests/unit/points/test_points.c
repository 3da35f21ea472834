/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_points.c -- domain/points on a real database, once per
 * backend (XIANGZHI_TEST_DB): the county template (6 categories, 45 items) and
 * its adoption by a village's meeting; cycles; every transition of a claim and
 * the forbidden ones; the conflict-of-interest rule; objections; caps; a veto;
 * reversals; the ledger with its balances and log leaves, and a tampered
 * balance caught by the invariant check; spending (shop.h): pay codes used
 * once, stock and balance never below zero, cash top-up, a merchant only at
 * their own outlet, a tampered redemption caught by its leaf; statements;
 * cycles rolled on schedule. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/module.h"
#include "domain/points/points.h"
#include "domain/points/shop.h"
#include "domain/region/region.h"
#include "store/db.h"
#include "testdb.h"

static struct db *db;
static struct db_conn *conn;
static char (*villages)[13];
static size_t nvillages;
static struct principal admin, cadre, cadre_b, villager, neighbour;
static struct actor as_admin, as_cadre, as_cadre_b, as_villager, as_neighbour;
static int64_t home, other, far; /* households: the villager's, another, another village's */
static struct point_scheme scheme;
static struct point_cycle cycle;

static const char evidence[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void
principal_init(struct principal *p, int64_t id, int role, const char *scope, int64_t household)
{
    memset(p, 0, sizeof(*p));
    p->user_id = id;
    snprintf(p->username, sizeof(p->username), "user%" PRId64, id);
    p->roles[0].role = role;
    snprintf(p->roles[0].scope, sizeof(p->roles[0].scope), "%s", scope);
    p->roles[0].household_id = household;
    p->nroles = 1;
}

static int64_t
add_household(const char *village, const char *no)
{
    struct err err = ERR_INIT;
    struct db_stmt *s;
    char sql[256];
    int64_t id = 0;

    snprintf(sql, sizeof(sql),
             "INSERT INTO households (village_code, household_no, created_at, updated_at)"
             " VALUES ('%s', '%s', 0, 0)",
             village, no);
    cr_assert_eq(db_exec(conn, sql, &err), 0, "%s", err.en);
    /* A literal: statements are cached by the address of their SQL. */
    cr_assert_eq(db_prepare(conn, "SELECT id FROM households WHERE household_no = ?", &s, &err), 0);
    db_bind_text(s, 1, no, (size_t)-1);
    cr_assert_eq(db_step(s, &err), 1);
    id = db_col_i64(s, 0);
    db_reset(s);
    return id;
}

/* An account (for users.household_id: where its holder lives). */
static void
add_user(int64_t id, int64_t household)
{
    struct err err = ERR_INIT;
    char sql[256];

    snprintf(sql, sizeof(sql),
             "INSERT INTO users (id, username, display_name, password_hash, password_changed_at,"
             " created_at, updated_at, household_id) VALUES (%lld, 'u%lld', 'u', 'x', 0, 0, 0,"
             " NULLIF(%lld, 0))",
             (long long)id, (long long)id, (long long)household);
    cr_assert_eq(db_exec(conn, sql, &err), 0, "%s: %s", sql, err.en);
}

static void
setup(void)
{
    struct err err = ERR_INIT;

    testdb_open("points", &db, &conn);
    cr_assert_eq(region_demo_xinmi(conn, 4, &villages, &nvillages, &err), 0, "%s", err.en);
    home = add_household(villages[0], "P-1");
    other = add_household(villages[0], "P-2");
    far = add_household(villages[1], "P-3");
    principal_init(&admin, 1, ROLE_COUNTY_ADMIN, "410183000000", 0);
    principal_init(&cadre, 2, ROLE_VILLAGE_CADRE, villages[0], 0);
    principal_init(&cadre_b, 3, ROLE_VILLAGE_CADRE, villages[1], 0);
    principal_init(&villager, 4, ROLE_VILLAGER, villages[0], home);
    principal_init(&neighbour, 5, ROLE_VILLAGER, villages[0], other);
    add_user(1, 0);
    add_user(2, other); /* the cadre lives in 'other' */
    add_user(3, 0);
    add_user(4, home);
    add_user(5, other);
    as_admin = (struct actor){ .who = &admin, .request_id = "t" };
    as_cadre = (struct actor){ .who = &cadre, .request_id = "t" };
    as_cadre_b = (struct actor){ .who = &cadre_b, .request_id = "t" };
    as_villager = (struct actor){ .who = &villager, .request_id = "t" };
    as_neighbour = (struct actor){ .who = &neighbour, .request_id = "t" };
    cr_assert_eq(points_template_ensure(conn, "410183000000", &scheme, &err), 0, "%s", err.en);
    cr_assert_eq(points_scheme_adopt(conn, &as_cadre, scheme.id, villages[0],
                                     "2026年村民代表会议决议第3号", "2026-10-08", &scheme, &err),
                 0, "%s", err.en);
    cr_assert_eq(points_cycle_open(conn, &as_cadre, villages[0], "2026-11-27", &cycle, &err), 0,
                 "%s", err.en);
}

static void
teardown(void)
{
    free(villages);
    testdb_close(db, conn);
}

TestSuite(points, .init = setup, .fini = teardown, .timeout = 120);

/* The item of the village's scheme with template code 'code'. */
static struct point_item
item(const char *code)
{
    struct point_item *items, found = { 0 };
    struct err err = ERR_INIT;
    size_t n;

    cr_assert_eq(points_items(conn, scheme.id, &items, &n, &err), 0);
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, code) == 0)
            found = items[i];
    free(items);
    cr_assert(found.id, "no item %s", code);
    return found;
}

static int64_t
balance_of(int64_t household)
{
    struct err err = ERR_INIT;
    int64_t b = -1;

    cr_assert_eq(points_balance(conn, &as_admin, household, &b, &err), 0, "%s", err.en);
    return b;
}

/* A claim taken from submitted to final the ordinary way. */
static struct point_claim
to_final(const struct actor *by, int64_t household, const char *code)
{
    struct point_claim k;
    struct err err = ERR_INIT;
    int64_t n;
    struct point_item it = item(code);

    cr_assert_eq(points_claim_submit(conn, by, household, it.id, "做了好事",
                                     it.evidence_required ? evidence : NULL, &k, &err),
                 0, "%s", err.en);
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, k.version, true, "属实", &k, &err), 0,
                 "%s", err.en);
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, k.version, true, "同意", &k, &err), 0,
                 "%s", err.en);
    cr_assert_eq(points_publicise(conn, &as_cadre, villages[0], &n, &err), 0);
    cr_assert_eq(points_finalise_due(conn, clock_now_ms() + 8 * 86400000LL, &n, &err), 0, "%s",
                 err.en);
    cr_assert_eq(points_claim_get(conn, &as_admin, k.id, &k, &err), 0);
    cr_assert_str_eq(k.state, "final");
    return k;
}

Test(points, the_template_has_six_categories_and_45_items)
{
    struct point_item *items;
    struct err err = ERR_INIT;
    size_t n;
    int64_t vetoes = 0;
    const char *cats[] = { "积孝", "积善", "积信", "积勤", "积俭", "积美" };

    cr_assert_eq(points_items(conn, scheme.id, &items, &n, &err), 0);
    cr_assert_eq(n, POINTS_TEMPLATE_ITEMS);
    for (size_t i = 0, c = 0; i < n; i++) {
        if (i > 0 && strcmp(items[i].category_code, items[i - 1].category_code) != 0)
            c++;
        cr_assert_str_eq(items[i].category_name, cats[c]);
        vetoes += items[i].veto;
    }
    cr_assert_gt(vetoes, 0);
    free(items);
    cr_assert_eq(scheme.version, 1);
    cr_assert_str_eq(scheme.status, "active");
    cr_assert_str_eq(cycle.starts_on, "2026-10-01");
    cr_assert_str_eq(cycle.ends_on, "2026-12-31");
}

Test(points, adoption_needs_a_decision_and_makes_a_new_version)
{
    struct point_scheme tpl, again;
    struct err err = ERR_INIT;

    cr_assert_eq(points_template_ensure(conn, "410183000000", &tpl, &err), 0);
    cr_assert_eq(
        points_scheme_adopt(conn, &as_cadre, tpl.id, villages[0], "", "2026-11-01", &again, &err),
        -ERR_INVALID);
    cr_assert_eq(points_scheme_adopt(conn, &as_cadre_b, tpl.id, villages[0], "决议", "2026-11-01",
                                     &again, &err),
                 -ERR_NOT_FOUND, "another village's cadre");
    cr_assert_eq(points_scheme_adopt(conn, &as_cadre, tpl.id, villages[0], "修订决议", "2026-11-01",
                                     &again, &err),
                 0, "%s", err.en);
    cr_assert_eq(again.version, 2);
    cr_assert_eq(points_scheme_active(conn, villages[0], &tpl, &err), 0);
    cr_assert_eq(tpl.id, again.id);
}

Test(points, cycles_open_once_and_close)
{
    struct point_cycle again;
    struct err err = ERR_INIT;
    struct point_claim k;

    cr_assert_eq(points_cycle_open(conn, &as_cadre, villages[0], "2026-12-01", &again, &err),
                 -ERR_DUPLICATE);
    cr_assert_eq(points_cycle_close(conn, &as_villager, cycle.id, &err), -ERR_FORBIDDEN);
    cr_assert_eq(points_cycle_close(conn, &as_cadre, cycle.id, &err), 0);
    cr_assert_eq(points_cycle_close(conn, &as_cadre, cycle.id, &err), -ERR_CONFLICT);
    cr_assert_eq(
        points_claim_submit(conn, &as_villager, home, item("xiao01").id, "", NULL, &k, &err),
        -ERR_CONFLICT, "a claim without an open cycle");
}

Test(points, a_claim_goes_from_submitted_to_final_and_into_the_ledger)
{
    struct point_claim k = to_final(&as_villager, home, "xiao01");
    struct err err = ERR_INIT;
    char problem[256] = "";
    int64_t entries;

    cr_assert_str_eq(k.source, "self");
    cr_assert_gt(k.entry_id, 0);
    cr_assert_eq(balance_of(home), 5);
    cr_assert_eq(points_check_ledger(conn, &entries, problem, sizeof(problem), &err), 0, "%s",
                 problem);
    cr_assert_eq(entries, 1);
}

Test(points, forbidden_transitions_are_409_with_the_state)
{
    struct point_claim k, k2;
    struct err err = ERR_INIT;
    int64_t v;

    cr_assert_eq(
        points_claim_submit(conn, &as_villager, home, item("xiao01").id, "", NULL, &k, &err), 0);
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, k.version, true, "", &k2, &err),
                 -ERR_CONFLICT);
    cr_assert(strstr(err.en, "'submitted'"), "%s", err.en);
    err_clear(&err);
    cr_assert_eq(points_claim_object(conn, &as_neighbour, k.id, "不属实", &k2, &err),
                 -ERR_CONFLICT);
    v = k.version;
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, v, true, "", &k, &err), 0);
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, k.version, true, "", &k2, &err),
                 -ERR_CONFLICT, "reviewed twice");
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, v, true, "", &k2, &err), -ERR_CONFLICT,
                 "a stale version");
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, k.version, false, "", &k2, &err),
                 -ERR_INVALID, "a rejection without a reason");
    cr_assert_eq(points_claim_approve(conn, &as_villager, k.id, k.version, true, "", &k2, &err),
                 -ERR_FORBIDDEN, "a villager approving");
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, k.version, false, "不符合", &k, &err),
                 0);
    cr_assert_str_eq(k.state, "rejected");
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, k.version, true, "", &k2, &err),
                 -ERR_CONFLICT, "nothing after rejected");
    cr_assert_eq(balance_of(home), 0);
}

Test(points, nobody_scores_their_own_household)
{
    struct point_claim k, k2;
    struct err err = ERR_INIT;

    /* The cadre lives in 'other': no entering, reviewing or approving for it. */
    cr_assert_eq(points_claim_submit(conn, &as_cadre, other, item("shan04").id, "", NULL, &k, &err),
                 -ERR_CONFLICT);
    cr_assert_eq(
        points_claim_submit(conn, &as_neighbour, other, item("shan04").id, "", NULL, &k, &err), 0);
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, k.version, true, "", &k2, &err),
                 -ERR_CONFLICT);
    cr_assert(strstr(err.en, "own household"), "%s", err.en);
    cr_assert_eq(
        points_claim_submit(conn, &as_cadre, home, item("mei05").id, "乱堆乱放", NULL, &k, &err),
        0);
    cr_assert_str_eq(k.source, "cadre");
    cr_assert_eq(k.points, -3);
}

Test(points, scope_a_cadre_of_another_village_sees_nothing)
{
    struct point_claim k, k2;
    struct err err = ERR_INIT;

    cr_assert_eq(
        points_claim_submit(conn, &as_villager, home, item("xiao01").id, "", NULL, &k, &err), 0);
    cr_assert_eq(points_claim_review(conn, &as_cadre_b, k.id, k.version, true, "", &k2, &err),
                 -ERR_NOT_FOUND);
    cr_assert_eq(points_claim_get(conn, &as_cadre_b, k.id, &k2, &err), -ERR_NOT_FOUND);
    cr_assert_eq(
        points_claim_submit(conn, &as_cadre_b, home, item("xiao01").id, "", NULL, &k2, &err),
        -ERR_NOT_FOUND);
    cr_assert_eq(
        points_claim_submit(conn, &as_villager, far, item("xiao01").id, "", NULL, &k2, &err),
        -ERR_NOT_FOUND, "a villager for another household");
}

Test(points, evidence_caps_and_self_declared_deductions)
{
    struct point_claim k;
    struct err err = ERR_INIT;
    struct point_item photo = item("shan01"), capped = item("xiao02"), minus = item("mei05");

    cr_assert_eq(points_claim_submit(conn, &as_villager, home, photo.id, "", NULL, &k, &err),
                 -ERR_INVALID);
    cr_assert_str_eq(err.field, "evidence");
    cr_assert_eq(
        points_claim_submit(conn, &as_villager, home, photo.id, "", "not-a-hash", &k, &err),
        -ERR_INVALID);
    cr_assert_eq(points_claim_submit(conn, &as_villager, home, photo.id, "", evidence, &k, &err),
                 0);
    for (int i = 0; i < 3; i++) /* cap 6, 2 points each */
        cr_assert_eq(points_claim_submit(conn, &as_villager, home, capped.id, "", NULL, &k, &err),
                     0);
    cr_assert_eq(points_claim_submit(conn, &as_villager, home, capped.id, "", NULL, &k, &err),
                 -ERR_CONFLICT, "over the cap");
    cr_assert_eq(points_claim_submit(conn, &as_villager, home, minus.id, "", NULL, &k, &err),
                 -ERR_INVALID, "a self-declared deduction");
}

Test(points, an_objection_is_re_reviewed)
{
    struct point_claim k, k2;
    struct err err = ERR_INIT;
    int64_t n;

    cr_assert_eq(
        points_claim_submit(conn, &as_villager, home, item("xiao05").id, "", NULL, &k, &err), 0);
    cr_assert_eq(points_claim_review(conn, &as_cadre, k.id, k.version, true, "", &k, &err), 0);
    cr_assert_eq(points_claim_approve(conn, &as_cadre, k.id, k.version, true, "", &k, &err), 0);
    cr_assert_eq(points_publicise(conn, &as_cadre, villages[0], &n, &err), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(points_claim_object(conn, &as_neighbour, k.id, "", &k2, &err), -ERR_INVALID);
    cr_assert_eq(points_claim_object(conn, &as_neighbour, k.id, "他家并不和睦", &k, &err), 0, "%s",
                 err.en);
    cr_assert_str_eq(k.state, "objected");
    cr_assert_eq(points_finalise_due(conn, clock_now_ms() + 30 * 86400000LL, &n, &err), 0);
    cr_assert_eq(n, 0, "an objected claim does not become final by the clock");
    cr_assert_eq(points_claim_rereview(conn, &as_cadre, k.id, k.version, true, "", &k2, &err),
                 -ERR_INVALID, "a re-review needs its finding");
    cr_assert_eq(
        points_claim_rereview(conn, &as_cadre, k.id, k.version, true, "经核实属实", &k, &err), 0);
    cr_assert_str_eq(k.state, "final");
    cr_assert_eq(balance_of(home), 3);
}

Test(points, a_veto_cancels_the_cycles_gains)
{
    struct err err = ERR_INIT;
    char problem[256] = "";
    int64_t entries;

    to_final(&as_villager, home, "xiao01"); /* +5 */
    to_final(&as_villager, home, "xiao06"); /* +10 */
    cr_assert_eq(balance_of(home), 15);
    to_final(&as_cadre, home, "jian06"); /* -10, then -5 cancels the rest */
    cr_assert_eq(balance_of(home), 0);
    cr_assert_eq(points_check_ledger(conn, &entries, problem, sizeof(problem), &err), 0, "%s",
                 problem);
    cr_assert_eq(entries, 4);
}

Test(points, reversals_correct_and_the_invariant_catches_a_changed_balance)
{
    struct point_claim k = to_final(&as_villager, home, "xiao01");
    struct point_entry rev;
    struct err err = ERR_INIT;
    char problem[256] = "";
    int64_t entries;

    cr_assert_eq(points_reverse(conn, &as_cadre, k.entry_id, "", &rev, &err), -ERR_INVALID);
    cr_assert_eq(points_reverse(conn, &as_villager, k.entry_id, "录错了", &rev, &err),
                 -ERR_FORBIDDEN);
    cr_assert_eq(points_reverse(conn, &as_cadre, k.entry_id, "录错了", &rev, &err), 0, "%s",
                 err.en);
    cr_assert_eq(rev.delta, -5);
    cr_assert_eq(balance_of(home), 0);
    cr_assert_eq(points_reverse(conn, &as_cadre, k.entry_id, "再次", &rev, &err), -ERR_CONFLICT);
    cr_assert_eq(points_reverse(conn, &as_cadre, rev.id, "再次", &rev, &err), -ERR_CONFLICT);
    cr_assert_eq(points_check_ledger(conn, &entries, problem, sizeof(problem), &err), 0, "%s",
                 problem);
    cr_assert_eq(db_exec(conn, "UPDATE point_balances SET balance = balance + 1", &err), 0);
    cr_assert_eq(points_check_ledger(conn, &entries, problem, sizeof(problem), &err), 1);
    cr_assert(strstr(problem, "balances differ"), "%s", problem);
    cr_assert_lt(db_exec(conn, "UPDATE point_entries SET delta = 0", &err), 0,
                 "entries are append-only");
}

/* A store of village 0 with one kind of goods; *goods its id. */
static int64_t
store_with(const char *name, int64_t points, int64_t stock, int64_t *goods)
{
    struct point_outlet o;
    struct point_goods g;
    struct err err = ERR_INIT;

    cr_assert_eq(
        points_outlet_create(conn, &as_cadre, villages[0], "store", "积分超市", 0, NULL, &o, &err),
        0, "%s", err.en);
    cr_assert_eq(points_goods_add(conn, &as_cadre, o.id, name, points, stock, "个", &g, &err), 0,
                 "%s", err.en);
    *goods = g.id;
    return o.id;
}

static const char *
paycode(void)
{
    static char code[POINTS_PAYCODE_CHARS + 1];
    struct err err = ERR_INIT;
    int64_t expires;

    cr_assert_eq(points_paycode_new(conn, &as_villager, code, sizeof(code), &expires, &err), 0,
                 "%s", err.en);
    cr_assert_gt(expires, clock_now_ms());
    return code;
}

/* A redemption as the writer runs it: all of it, or none of it. */
static int
redeem(const struct actor *a, const struct redeem_request *q, struct point_redemption *r,
       struct err *err)
{
    int rc;

    cr_assert_eq(db_begin(conn, err), 0);
    rc = points_redeem(conn, a, q, r, err);
    if (rc == 0)
        cr_assert_eq(db_commit(conn, err), 0);
    else
        db_rollback(conn);
    return rc;
}

static void
ledger_holds(void)
{
    struct err err = ERR_INIT;
    char problem[256] = "";
    int64_t checked;

    /* Every check points declares for 'xiangzhi verify'. */
    for (size_t i = 0; i < points_module.nchecks; i++)
        cr_assert_eq(points_module.checks[i].run(conn, &checked, problem, sizeof(problem), &err), 0,
                     "%s: %s", points_module.checks[i].what_en, problem);
}

/* The check points declares for 'what' ("points redemptions"): 0 or 1. */
static int
check_of(const char *what, char *problem, size_t psize)
{
    struct err err = ERR_INIT;
    int64_t checked;

    for (size_t i = 0; i < points_module.nchecks; i++)
        if (strcmp(points_module.checks[i].what_en, what) == 0)
            return points_module.checks[i].run(conn, &checked, problem, psize, &err);
    cr_assert_fail("no check of %s", what);
    return -1;
}

Test(points, a_pay_code_is_used_once_and_stock_never_goes_below_zero)
{
    struct point_redemption r;
    struct err err = ERR_INIT;
    int64_t goods, store;
    char code[POINTS_PAYCODE_CHARS + 1];

    to_final(&as_villager, home, "xiao01"); /* +5 */
    to_final(&as_villager, home, "xiao06"); /* +10 */
    store = store_with("毛巾", 3, 2, &goods);
    snprintf(code, sizeof(code), "%s", paycode());
    struct redeem_request q = { .outlet_id = store, .goods_id = goods, .paycode = code };
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), 0, "%s", err.en);
    cr_assert_eq(r.points, 3);
    cr_assert_eq(r.balance, 12);
    cr_assert_eq(balance_of(home), 12);
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "paycode");
    q.paycode = paycode();
    q.quantity = 2;
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "stock");
    q.quantity = 1;
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), 0, "%s", err.en);
    q.paycode = paycode();
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "stock");
    cr_assert_eq(balance_of(home), 9);
    ledger_holds();
}

Test(points, not_enough_points_unless_cash_tops_up)
{
    struct point_redemption r;
    struct err err = ERR_INIT;
    int64_t goods, store;

    to_final(&as_villager, home, "xiao06"); /* +10 */
    store = store_with("电饭锅", 25, 5, &goods);
    struct redeem_request q = { .outlet_id = store, .goods_id = goods, .household_id = home };
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "points");
    q.allow_cash = true;
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), 0, "%s", err.en);
    cr_assert_eq(r.points, 10);
    cr_assert_eq(r.cash_fen, 1500);
    cr_assert_eq(balance_of(home), 0);
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), -ERR_CONFLICT,
                 "no points at all: cash alone is no redemption");
    ledger_holds();
}

Test(points, a_merchant_takes_points_only_at_their_own_outlet)
{
    struct principal merchant;
    struct actor as_merchant;
    struct point_redemption r;
    struct err err = ERR_INIT;
    int64_t goods, own_goods, mine, theirs;

    principal_init(&merchant, 6, ROLE_MERCHANT, villages[0], 0);
    as_merchant = (struct actor){ .who = &merchant, .request_id = "t" };
    add_user(6, 0);
    to_final(&as_villager, home, "xiao06"); /* +10 */
    mine = store_with("酱油", 2, 10, &own_goods);
    theirs = store_with("食盐", 1, 10, &goods);
    cr_assert_eq(
        db_run(conn, &err, "UPDATE point_outlets SET merchant_user_id = 6 WHERE id = ?", "i", mine),
        0);
    struct redeem_request q = { .outlet_id = theirs, .goods_id = goods, .paycode = paycode() };
    cr_assert_eq(redeem(&as_merchant, &q, &r, &err), -ERR_FORBIDDEN);
    q.outlet_id = mine;
    cr_assert_eq(redeem(&as_merchant, &q, &r, &err), -ERR_NOT_FOUND, "goods of another outlet");
    q.goods_id = own_goods;
    q.paycode = paycode();
    cr_assert_eq(redeem(&as_merchant, &q, &r, &err), 0, "%s", err.en);
    q.household_id = home, q.paycode = NULL;
    cr_assert_eq(redeem(&as_merchant, &q, &r, &err), -ERR_INVALID,
                 "a merchant needs the household's pay code");
    cr_assert_str_eq(err.field, "paycode");
}

Test(points, a_deduction_takes_no_more_than_the_balance)
{
    struct point_claim k;
    struct point_entry *e;
    struct err err = ERR_INIT;
    int64_t balance;
    size_t n;

    to_final(&as_villager, home, "qin01"); /* a small gain */
    to_final(&as_cadre, home, "xin06");    /* -5 */
    cr_assert_eq(balance_of(home), 0);
    k = to_final(&as_cadre, home, "mei05"); /* -3, nothing left to take */
    cr_assert_eq(points_entries_of(conn, &as_admin, home, 1, &e, &n, &balance, &err), 0);
    cr_assert_eq(e[0].id, k.entry_id);
    cr_assert_eq(e[0].delta, 0);
    cr_assert(strstr(e[0].reason, "余额不足"), "%s", e[0].reason);
    free(e);
    ledger_holds();
}

Test(points, the_log_catches_a_changed_redemption)
{
    struct point_redemption r;
    struct err err = ERR_INIT;
    char problem[256] = "";
    int64_t goods, store, entries;

    to_final(&as_villager, home, "xiao06");
    store = store_with("大米", 4, 10, &goods);
    struct redeem_request q = { .outlet_id = store, .goods_id = goods, .household_id = home };
    cr_assert_eq(redeem(&as_cadre, &q, &r, &err), 0, "%s", err.en);
    ledger_holds();
    cr_assert_eq(db_exec(conn, "UPDATE point_redemptions SET goods_name = '黄金'", &err), 0);
    cr_assert_eq(points_check_ledger(conn, &entries, problem, sizeof(problem), &err), 0,
                 "the ledger's own entries are unchanged: %s", problem);
    cr_assert_eq(check_of("points redemptions", problem, sizeof(problem)), 1);
    cr_assert(strstr(problem, "differs from its log leaf"), "%s", problem);
}

Test(points, a_statement_for_a_bank_is_a_leaf_of_its_own)
{
    struct point_statement st;
    struct point_outlet bank;
    struct err err = ERR_INIT;
    int64_t goods, store;

    to_final(&as_villager, home, "xiao06");
    store = store_with("大米", 4, 10, &goods);
    cr_assert_eq(points_outlet_create(conn, &as_cadre, villages[0], "bank", "农商银行", 0, NULL,
                                      &bank, &err),
                 0, "%s", err.en);
    cr_assert_eq(points_statement_issue(conn, &as_villager, home, store, &st, &err), -ERR_INVALID);
    cr_assert_eq(points_statement_issue(conn, &as_neighbour, home, bank.id, &st, &err),
                 -ERR_NOT_FOUND, "a neighbour's statement");
    cr_assert_eq(points_statement_issue(conn, &as_villager, home, bank.id, &st, &err), 0, "%s",
                 err.en);
    cr_assert_eq(st.balance, 10);
    cr_assert_eq(st.earned, 10);
    cr_assert_eq(db_run(conn, &err,
                        "SELECT idx FROM tlog_entries WHERE kind = 'points.statement'"
                        " AND idx = ?",
                        "i", st.tlog_index),
                 1);
    ledger_holds();
    cr_assert_eq(db_exec(conn, "UPDATE point_statements SET balance = balance + 100", &err), 0);
    {
        char problem[256] = "";

        cr_assert_eq(check_of("points statements", problem, sizeof(problem)), 1,
                     "a statement changed after it was issued");
        cr_assert(strstr(problem, "statement"), "%s", problem);
    }
}

Test(points, another_module_claims_as_the_system)
{
    static const struct actor module = { .request_id = "volunteer-sign-in" };
    struct point_claim k;
    struct err err = ERR_INIT;

    cr_assert_eq(points_claim_submit(conn, &module, home, item("shan04").id, "志愿服务签到 3 小时",
                                     NULL, &k, &err),
                 0, "%s", err.en);
    cr_assert_str_eq(k.source, "module");
    cr_assert_str_eq(k.state, "submitted", "it is reviewed like any other claim");
}

Test(points, a_cycle_closed_by_mistake_opens_again)
{
    struct point_cycle again;
    struct err err = ERR_INIT;

    cr_assert_eq(points_cycle_close(conn, &as_cadre, cycle.id, &err), 0, "%s", err.en);
    cr_assert_eq(points_cycle_open(conn, &as_cadre, villages[0], "2026-11-27", &again, &err), 0,
                 "%s", err.en);
    cr_assert_eq(again.id, cycle.id, "the same quarter, not a second one");
    cr_assert_str_eq(again.status, "open");
}

Test(points, cycles_roll_on_schedule)
{
    struct point_cycle now;
    struct err err = ERR_INIT;
    int64_t count;

    cr_assert_eq(points_cycles_roll(conn, "2026-12-31", &count, &err), 0, "%s", err.en);
    cr_assert_eq(count, 0, "the quarter has not ended");
    cr_assert_eq(points_cycles_roll(conn, "2027-01-02", &count, &err), 0, "%s", err.en);
    cr_assert_eq(count, 1);
    cr_assert_eq(points_cycle_current(conn, villages[0], &now, &err), 0);
    cr_assert_str_eq(now.starts_on, "2027-01-01");
    cr_assert_str_eq(now.ends_on, "2027-03-31");
}
