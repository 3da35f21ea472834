/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/routes.c -- points' endpoints, one row each (as src/api/routes.c
 * for core): the module over HTTP (api/module.h). */
#include "core/compat.h"

#include "api/api.h"
#include "api/module.h"
#include "api/points/points_api.h"
#include "domain/points/points.h"

static const struct json_field claim_fields[] = {
    { "household_id", JSON_KIND_INT, true, 1, INT64_MAX, NULL },
    { "item_id", JSON_KIND_INT, true, 1, INT64_MAX, NULL },
    { "note", JSON_KIND_STRING, false, 0, 200, NULL },
    { "evidence", JSON_KIND_STRING, false, 0, 64, NULL },
};
static const struct json_schema claim_schema = { claim_fields, ARRAY_LEN(claim_fields) };
static const struct json_field objection_fields[] = {
    { "reason", JSON_KIND_STRING, true, 2, 200, NULL },
};
static const struct json_schema objection_schema = { objection_fields,
                                                     ARRAY_LEN(objection_fields) };

static const struct json_field adopt_fields[] = {
    { "template_id", JSON_KIND_INT, true, 1, INT64_MAX, NULL },
    { "decision", JSON_KIND_STRING, true, 1, 200, NULL },
    { "adopted_on", JSON_KIND_STRING, true, 10, 10, NULL },
};
static const struct json_schema adopt_schema = { adopt_fields, ARRAY_LEN(adopt_fields) };
static const struct json_field cycle_fields[] = {
    { "day", JSON_KIND_STRING, true, 10, 10, NULL },
};
static const struct json_schema cycle_schema = { cycle_fields, ARRAY_LEN(cycle_fields) };

static const char *const outlet_kinds[] = { "store", "service", "merchant", "bank", NULL };
static const struct json_field outlet_fields[] = {
    { "kind", JSON_KIND_STRING, true, 1, 10, outlet_kinds },
    { "name", JSON_KIND_STRING, true, 1, 50, NULL },
    { "discount_pct", JSON_KIND_INT, false, 0, 100, NULL },
    { "merchant_username", JSON_KIND_STRING, false, 0, 40, NULL },
};
static const struct json_schema outlet_schema = { outlet_fields, ARRAY_LEN(outlet_fields) };
static const struct json_field goods_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 50, NULL },
    { "points", JSON_KIND_INT, true, 1, 1000000, NULL },
    { "stock", JSON_KIND_INT, false, 0, 1000000000, NULL },
    { "unit", JSON_KIND_STRING, false, 0, 10, NULL },
};
static const struct json_schema goods_schema = { goods_fields, ARRAY_LEN(goods_fields) };
static const struct json_field goods_update_fields[] = {
    { "name", JSON_KIND_STRING, false, 1, 50, NULL },
    { "points", JSON_KIND_INT, false, 1, 1000000, NULL },
    { "restock", JSON_KIND_INT, false, 1, 1000000, NULL },
    { "active", JSON_KIND_BOOL, false, 0, 0, NULL },
};
static const struct json_schema goods_update_schema = { goods_update_fields,
                                                        ARRAY_LEN(goods_update_fields) };
static const struct json_field redeem_fields[] = {
    { "outlet_id", JSON_KIND_INT, true, 1, INT64_MAX, NULL },
    { "goods_id", JSON_KIND_INT, false, 1, INT64_MAX, NULL },
    { "quantity", JSON_KIND_INT, false, 1, 99, NULL },
    { "amount_fen", JSON_KIND_INT, false, 1, 100000000, NULL },
    { "paycode", JSON_KIND_STRING, false, 1, 32, NULL },
    { "household_id", JSON_KIND_INT, false, 1, INT64_MAX, NULL },
    { "allow_cash", JSON_KIND_BOOL, false, 0, 0, NULL },
};
static const struct json_schema redeem_schema = { redeem_fields, ARRAY_LEN(redeem_fields) };
static const struct json_field statement_fields[] = {
    { "household_id", JSON_KIND_INT, false, 1, INT64_MAX, NULL },
    { "outlet_id", JSON_KIND_INT, true, 1, INT64_MAX, NULL },
};
static const struct json_schema statement_schema = { statement_fields,
                                                     ARRAY_LEN(statement_fields) };
static const struct json_field item_fields[] = {
    { "category", JSON_KIND_STRING, true, 1, 15, NULL },
    { "name", JSON_KIND_STRING, true, 1, 100, NULL },
    { "points", JSON_KIND_INT, true, -1000, 1000, NULL },
    { "cycle_cap", JSON_KIND_INT, false, 0, 10000, NULL },
    { "evidence_required", JSON_KIND_BOOL, false, 0, 0, NULL },
    { "veto", JSON_KIND_BOOL, false, 0, 0, NULL },
};
static const struct json_schema item_schema = { item_fields, ARRAY_LEN(item_fields) };
static const struct json_field item_update_fields[] = {
    { "name", JSON_KIND_STRING, false, 1, 100, NULL },
    { "points", JSON_KIND_INT, false, -1000, 1000, NULL },
    { "cycle_cap", JSON_KIND_INT, false, 0, 10000, NULL },
    { "evidence_required", JSON_KIND_BOOL, false, 0, 0, NULL },
    { "veto", JSON_KIND_BOOL, false, 0, 0, NULL },
};
static const struct json_schema item_update_schema = { item_update_fields,
                                                       ARRAY_LEN(item_update_fields) };

/* Query parameters. */
static const char *const claim_states[] = { "",         "submitted",  "reviewed",
                                            "approved", "publicised", "objected",
                                            "final",    "rejected",   NULL };
static const struct json_field claims_fields[] = {
    { "state", JSON_KIND_STRING, false, 0, 15, claim_states },
    { "household_id", JSON_KIND_INT, false, 0, 0, NULL },
    { "before", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema claims_query = { claims_fields, ARRAY_LEN(claims_fields) };
static const struct json_field board_fields[] = {
    { "cycle_id", JSON_KIND_INT, false, 0, 0, NULL },
};
static const struct json_schema board_query = { board_fields, ARRAY_LEN(board_fields) };
static const struct json_field year_fields[] = {
    { "year", JSON_KIND_INT, false, 2000, 2100, NULL },
};
static const struct json_schema year_query = { year_fields, ARRAY_LEN(year_fields) };
static const struct json_field report_fields[] = {
    { "region", JSON_KIND_STRING, true, 12, 12, NULL },
    { "year", JSON_KIND_INT, false, 2000, 2100, NULL },
};
static const struct json_schema report_query = { report_fields, ARRAY_LEN(report_fields) };

const struct http_route points_routes[] = {
    { HTTP_GET, "/api/v1/points/villages/{code}", api_points_village, PERM_POINTS_READ, NULL,
      "a village's points scheme, its items and the open cycle", NULL, "200 PointsVillage", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/publicise", api_points_publicise,
      PERM_POINTS_REVIEW, &api_empty_schema, "post the approved claims to the village board", NULL,
      "200 Publicised", NULL },
    { HTTP_POST, "/api/v1/points/claims", api_points_claim_create, PERM_POINTS_CLAIM, &claim_schema,
      "declare (a household) or enter (a cadre) a points claim", NULL, "201 Claim", NULL },
    { HTTP_GET, "/api/v1/points/claims/{id}", api_points_claim_get, PERM_POINTS_READ, NULL,
      "one points claim", NULL, "200 ClaimWithHistory", NULL },
    { HTTP_GET, "/api/v1/points/households/{id}", api_points_household, PERM_POINTS_READ, NULL,
      "a household's points balance and newest entries", NULL, "200 HouseholdPoints", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/adopt", api_points_adopt, PERM_POINTS_MANAGE,
      &adopt_schema, "adopt a template as the village's scheme, by its meeting's decision", NULL,
      "201 Adoption", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/cycles", api_points_cycle_open, PERM_POINTS_MANAGE,
      &cycle_schema, "open the village's cycle holding a day", NULL, "201 Cycle", NULL },
    { HTTP_POST, "/api/v1/points/cycles/{id}/close", api_points_cycle_close, PERM_POINTS_MANAGE,
      &api_empty_schema, "close a cycle: no new claims", NULL, "200 Ok", NULL },
    { HTTP_POST, "/api/v1/points/entries/{id}/reverse", api_points_reverse, PERM_POINTS_REVIEW,
      &objection_schema, "correct a ledger entry by reversing it (a reason is required)", NULL,
      "201 Reversal", NULL },
    { HTTP_GET, "/api/v1/points/me", api_points_me, PERM_SELF, NULL,
      "the caller's household's points balance and newest entries", NULL, "200 HouseholdPoints",
      NULL },
    { HTTP_GET, "/api/v1/points/me/claims", api_points_my_claims, PERM_SELF, NULL,
      "the caller's household's claims, newest first", NULL, "200 ClaimList", NULL },
    { HTTP_GET, "/api/v1/points/me/redemptions", api_points_my_redemptions, PERM_SELF, NULL,
      "the caller's household's redemptions, newest first", NULL, "200 RedemptionList", NULL },
    { HTTP_POST, "/api/v1/points/me/paycode", api_points_paycode, PERM_SELF, &api_empty_schema,
      "a one-time pay code (5 minutes) for the caller's household, with its QR code", NULL,
      "201 Paycode", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}/claims", api_points_claims, PERM_POINTS_READ, NULL,
      "a village's claims newest first (?state=&household_id=&before=&limit=)", NULL,
      "200 ClaimList", &claims_query },
    { HTTP_GET, "/api/v1/points/villages/{code}/board", api_points_board, PERM_PUBLIC, NULL,
      "a village's publicity board of a cycle (?cycle_id=), red and black lists; public", NULL,
      "200 Board", &board_query },
    { HTTP_GET, "/api/v1/points/villages/{code}/honours", api_points_honours, PERM_PUBLIC, NULL,
      "a village's annual honours (?year=): 文明家庭, 最美庭院; public", NULL, "200 Honours",
      &year_query },
    { HTTP_GET, "/api/v1/points/villages/{code}/outlets", api_points_outlets, PERM_SELF, NULL,
      "a village's outlets and their goods (points.read or points.redeem there)", NULL,
      "200 OutletList", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/outlets", api_points_outlet_create,
      PERM_POINTS_OUTLET, &outlet_schema, "a new outlet: store, service, merchant or bank", NULL,
      "201 Outlet", NULL },
    { HTTP_GET, "/api/v1/points/outlets/mine", api_points_outlets_mine, PERM_POINTS_REDEEM, NULL,
      "the outlets the caller takes points at", NULL, "200 OutletList", NULL },
    { HTTP_POST, "/api/v1/points/outlets/{id}/goods", api_points_goods_create, PERM_POINTS_OUTLET,
      &goods_schema, "new goods or a service at an outlet (no stock: not counted)", NULL,
      "201 Goods", NULL },
    { HTTP_GET, "/api/v1/points/outlets/{id}/redemptions", api_points_outlet_redemptions, PERM_SELF,
      NULL, "an outlet's redemptions, newest first (its merchant, or points.read)", NULL,
      "200 RedemptionList", NULL },
    { HTTP_PATCH, "/api/v1/points/goods/{id}", api_points_goods_update, PERM_POINTS_OUTLET,
      &goods_update_schema, "change goods: name, points, restock, active", NULL, "200 Goods",
      NULL },
    { HTTP_POST, "/api/v1/points/redemptions", api_points_redeem, PERM_POINTS_REDEEM,
      &redeem_schema, "redeem points at an outlet with a villager's pay code", NULL,
      "201 Redemption", NULL },
    { HTTP_GET, "/api/v1/points/households/{id}/redemptions", api_points_household_redemptions,
      PERM_POINTS_READ, NULL, "a household's redemptions, newest first", NULL, "200 RedemptionList",
      NULL },
    { HTTP_POST, "/api/v1/points/statements", api_points_statement, PERM_POINTS_READ,
      &statement_schema, "a household's points statement for a bank (积分贷), logged", NULL,
      "201 Statement", NULL },
    { HTTP_GET, "/api/v1/points/reports", api_points_report, PERM_POINTS_READ, NULL,
      "the year's points by village, category and month (?region=&year=)", NULL, "200 PointsReport",
      &report_query },
    { HTTP_GET, "/api/v1/points/schemes", api_points_schemes, PERM_POINTS_MANAGE, NULL,
      "the county templates the caller may see", NULL, "200 SchemeList", NULL },
    { HTTP_GET, "/api/v1/points/schemes/{id}", api_points_scheme_get, PERM_POINTS_READ, NULL,
      "a scheme and its items", NULL, "200 Scheme", NULL },
    { HTTP_POST, "/api/v1/points/schemes/{id}/items", api_points_item_create, PERM_POINTS_MANAGE,
      &item_schema, "a new item of a county template", NULL, "201 Item", NULL },
    { HTTP_PATCH, "/api/v1/points/items/{id}", api_points_item_update, PERM_POINTS_MANAGE,
      &item_update_schema, "change an item of a county template", NULL, "200 Item", NULL },
};

static const struct api_workflow workflows[] = {
    { &points_claims_flow, sizeof(struct point_claim), points_claim_load, points_claim_json,
      "200 Claim" },
};

const struct api_module points_api_module = {
    .domain = &points_module,
    .routes = points_routes,
    .nroutes = ARRAY_LEN(points_routes),
    .workflows = workflows,
    .nworkflows = ARRAY_LEN(workflows),
};
