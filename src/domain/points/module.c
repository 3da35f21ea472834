/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/module.c -- points as the platform sees it (domain/module.h):
 * who holds which points permission, what the scheduler runs, what 'xiangzhi
 * verify' checks, and the kinds of leaf points appends to the log. */
#include "core/compat.h"

#include "domain/module.h"
#include "domain/points/points.h"
#include "domain/points/points_int.h"
#include "domain/points/sheets.h"
#include "domain/points/shop.h"

#define R(role) AUTH_ROLE(role)

/* A villager listed here acts only on their own household (auth.h). */
static const struct auth_rule perms[] = {
    { PERM_POINTS_READ, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) |
                            R(ROLE_SUPERVISOR) | R(ROLE_AUDITOR) | R(ROLE_VILLAGER) },
    { PERM_POINTS_CLAIM, R(ROLE_VILLAGE_CADRE) | R(ROLE_VILLAGER) },
    { PERM_POINTS_REVIEW, R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) },
    { PERM_POINTS_OBJECT, R(ROLE_SUPERVISOR) | R(ROLE_VILLAGER) },
    { PERM_POINTS_MANAGE, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) },
    { PERM_POINTS_REDEEM, R(ROLE_VILLAGE_CADRE) | R(ROLE_MERCHANT) },
    { PERM_POINTS_OUTLET, R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) },
};

static const struct module_job jobs[] = {
    /* Cycles that ended (then the next opens). Publicity windows are the
     * workflow engine's time limits (flow.c). */
    { "points cycles", 60, points_cycles_job },
};

static const struct workflow *const workflows[] = { &points_claims_flow };

static const struct module_check checks[] = {
    { "积分记录", "points entries", points_check_ledger },
    { "积分兑换", "points redemptions", points_check_redemptions },
    { "积分证明", "points statements", points_check_statements },
};

static const struct module_kind kinds[] = {
    { "points.final", 1,
      "a ledger entry's JSON {id, household_id, village_code, cycle_id, item_id, claim_id, delta,"
      " reason, reversal_of, created_at}",
      "points/entry/<id>" },
    { "points.redeem", 1,
      "a redemption's JSON {id, household_id, village_code, outlet_id, goods_id, goods_name,"
      " quantity, points, cash_fen, amount_fen, operator_id, entry_id, created_at}",
      "points/redemption/<id>" },
    { "points.statement", 1,
      "a bank statement's JSON: the household's points history for a loan, no names",
      "points/statement/<id>" },
};

static void
configure(const struct module_settings *s)
{
    points_set_publicity(s->publicity_s);
}

static const struct module_document documents[] = {
    { "statement", "积分证明(积分贷)", "points statement for a points loan", PERM_POINTS_READ,
      points_statement_document },
};

/* A template's items, edited by the county in Excel and read back; a
 * village's claims, entered in bulk from the paper register. */
static const struct module_sheet sheets[] = {
    { "items", "积分项目", "points items of a county template", &points_items_sheet, "scheme",
      SHEET_PARAM_ID, PERM_POINTS_MANAGE, PERM_POINTS_READ, points_items_import_row,
      points_items_export },
    { "claims", "积分申报", "points claims of a village", &points_claims_sheet, "village",
      SHEET_PARAM_REGION, PERM_POINTS_CLAIM, PERM_POINTS_READ, points_claims_import_row,
      points_claims_export },
};

/* The year's points on the dashboards, for whoever reads points over the region. */
static const struct module_tile tiles[] = {
    { "households", "参与积分的户数", "households earning points", "户", "households",
      PERM_POINTS_READ, points_tile_households },
    { "awarded", "发放积分", "points awarded", "分", "points", PERM_POINTS_READ,
      points_tile_awarded },
    { "redeemed", "兑换积分", "points redeemed", "分", "points", PERM_POINTS_READ,
      points_tile_redeemed },
    { "open_claims", "办理中的申报", "claims in progress", "件", "claims", PERM_POINTS_READ,
      points_tile_open_claims },
};

const struct domain_module points_module = {
    .name = "points",
    .title_zh = "积分制",
    .title_en = "Household points",
    .perms = perms,
    .nperms = ARRAY_LEN(perms),
    .jobs = jobs,
    .njobs = ARRAY_LEN(jobs),
    .checks = checks,
    .nchecks = ARRAY_LEN(checks),
    .kinds = kinds,
    .nkinds = ARRAY_LEN(kinds),
    .workflows = workflows,
    .nworkflows = ARRAY_LEN(workflows),
    .documents = documents,
    .ndocuments = ARRAY_LEN(documents),
    .sheets = sheets,
    .nsheets = ARRAY_LEN(sheets),
    .tiles = tiles,
    .ntiles = ARRAY_LEN(tiles),
    .configure = configure,
    .demo = points_demo,
};
