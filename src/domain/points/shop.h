/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/shop.h -- spending points (DOMAIN.md §2): a village's
 * outlets (积分超市 with goods and stock, service providers, merchants giving a
 * discount, a bank taking statements for 积分贷), one-time pay codes, the
 * redemptions merchants take with them, and points statements for a bank.
 *
 * A redemption is all-or-nothing in the writer's transaction: the pay code is
 * used, the stock taken (never below zero: the UPDATE itself refuses), the
 * household's balance checked (never below zero; 'allow_cash' lets cash cover
 * a shortfall once some points are spent), the redemption recorded, a ledger
 * entry of its negative written and a leaf (kind points.redeem) appended to the
 * verifiable log. The leaf commits to the redemption's JSON record:
 * {"id","household_id","village_code","outlet_id","goods_id","goods_name",
 * "quantity","points","cash_fen","amount_fen","operator_id","entry_id",
 * "created_at"}. A statement is a leaf too (kind points.statement), committing
 * to {"id","household_id","village_code","outlet_id","balance","earned",
 * "deducted","redeemed","entries","last_entry","issued_at"} (earned: every
 * gain; deducted: every deduction and correction; redeemed: every
 * redemption); no names enter the log. */
#ifndef DOMAIN_POINTS_SHOP_H
#define DOMAIN_POINTS_SHOP_H

#include "domain/points/points.h"

struct sbuf;

#define POINTS_PAYCODE_TTL_MS (5 * 60 * 1000)
#define POINTS_PAYCODE_CHARS 20 /* "XZ" + 18 digits */
#define POINTS_REDEEM_MAX_QTY 99

struct point_outlet {
    int64_t id;
    char village_code[13];
    char kind[10]; /* store, service, merchant, bank */
    char name[200];
    int64_t discount_pct;
    int64_t merchant_user_id;
    bool active;
};

struct point_goods {
    int64_t id;
    int64_t outlet_id;
    char name[200];
    int64_t points;
    int64_t stock; /* -1: not counted (a service) */
    char unit[32];
    bool active;
};

struct point_redemption {
    int64_t id;
    int64_t household_id;
    char household_name[100];
    char village_code[13];
    int64_t outlet_id;
    char outlet_name[200];
    int64_t goods_id;
    char goods_name[200];
    int64_t quantity, points, cash_fen, amount_fen;
    int64_t operator_id;
    int64_t balance; /* after it, when just taken */
    int64_t entry_id, tlog_index;
    int64_t created_at;
};

/* What a merchant's phone sends. */
struct redeem_request {
    int64_t outlet_id;
    int64_t goods_id;   /* 0: a merchant's bill, 'amount_fen' */
    int64_t quantity;   /* of goods */
    int64_t amount_fen; /* the bill a merchant discounts */
    const char *paycode;
    int64_t household_id; /* instead of a pay code: a cadre at the village's store */
    bool allow_cash;
};

struct point_statement {
    int64_t id;
    int64_t household_id;
    char household_name[100];
    char village_code[13];
    char village_name[200];
    int64_t outlet_id;
    char outlet_name[200];
    int64_t balance, earned, deducted, redeemed, entries, last_entry;
    int64_t tlog_index;
    int64_t issued_at;
};

/* --- outlets and goods (outlet.c) --- */

/* A new outlet of 'village' (needs points.outlet there); a merchant outlet may
 * name its merchant's account ('merchant_username', NULL none): a merchant
 * role in the village. A job. */
int points_outlet_create(struct db_conn *c, const struct actor *a, const char *village,
                         const char *kind, const char *name, int64_t discount_pct,
                         const char *merchant_username, struct point_outlet *out, struct err *err);
/* The village's outlets and every outlet's goods (*goods, by outlet then id);
 * readable with points.read or points.redeem there. Both malloc'd. */
int points_outlets_of(struct db_conn *c, const struct actor *a, const char *village,
                      struct point_outlet **out, size_t *n, struct point_goods **goods,
                      size_t *ngoods, struct err *err);
/* The outlets 'a' may redeem at: a merchant's own, a cadre's villages'. */
int points_outlets_mine(struct db_conn *c, const struct actor *a, struct point_outlet **out,
                        size_t *n, struct point_goods **goods, size_t *ngoods, struct err *err);
int points_outlet_get(struct db_conn *c, int64_t id, struct point_outlet *out, struct err *err);
int points_goods_get(struct db_conn *c, int64_t id, struct point_goods *out, struct err *err);
/* New goods at outlet 'outlet_id' ('stock' -1 for a service). A job. */
int points_goods_add(struct db_conn *c, const struct actor *a, int64_t outlet_id, const char *name,
                     int64_t points, int64_t stock, const char *unit, struct point_goods *out,
                     struct err *err);
/* Change goods: a new 'name' (NULL keeps), 'points' (0 keeps), add 'restock'
 * to the stock, 'active' (-1 keeps). A job. */
int points_goods_update(struct db_conn *c, const struct actor *a, int64_t goods_id,
                        const char *name, int64_t points, int64_t restock, int active,
                        struct point_goods *out, struct err *err);

/* --- pay codes and redemptions (redeem.c) --- */

/* A one-time pay code for the caller's household (a villager), valid for
 * POINTS_PAYCODE_TTL_MS: 'code' gets POINTS_PAYCODE_CHARS + NUL. A job. */
int points_paycode_new(struct db_conn *c, const struct actor *a, char *code, size_t size,
                       int64_t *expires_at, struct err *err);
/* Take a redemption (above). Needs points.redeem at the outlet: a merchant only
 * at their own. A job. */
int points_redeem(struct db_conn *c, const struct actor *a, const struct redeem_request *r,
                  struct point_redemption *out, struct err *err);
/* Newest first: of a household ('household_id'), or of an outlet ('outlet_id',
 * the other 0). *out malloc'd. */
int points_redemptions(struct db_conn *c, const struct actor *a, int64_t household_id,
                       int64_t outlet_id, int limit, struct point_redemption **out, size_t *n,
                       struct err *err);
/* --- statements for a bank (statement.c) --- */

/* Statement 'id' as a paper (module_document "statement"): the household, its
 * village, the bank, the totals, the entries it covers (newest 200), its leaf.
 * Needs points.read on the household; else not found. */
struct document;
int points_statement_document(struct db_conn *c, const struct actor *a, int64_t id,
                              struct document *doc, struct err *err);

/* A signed-by-the-log statement of the household's points for bank outlet
 * 'outlet_id': the household itself or staff with points.read over it. A job. */
int points_statement_issue(struct db_conn *c, const struct actor *a, int64_t household_id,
                           int64_t outlet_id, struct point_statement *out, struct err *err);

#endif
