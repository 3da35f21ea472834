/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/routes.c -- every endpoint, one row each: method, path, handler, the
 * permission it needs, the body it accepts. The router, the docs and the tests
 * all read this table. */
#include "core/compat.h"

#include "api/api.h"
#include "domain/ops/probe.h"

static const struct json_field probe_fields[] = {
    { "note", JSON_KIND_STRING, false, 0, PROBE_NOTE_CHARS },
};
static const struct json_schema probe_schema = { probe_fields, ARRAY_LEN(probe_fields) };

static const struct json_field claim_fields[] = {
    { "household_id", JSON_KIND_INT, true, 1, INT64_MAX },
    { "item_id", JSON_KIND_INT, true, 1, INT64_MAX },
    { "note", JSON_KIND_STRING, false, 0, 200 },
    { "evidence", JSON_KIND_STRING, false, 0, 64 },
};
static const struct json_schema claim_schema = { claim_fields, ARRAY_LEN(claim_fields) };
static const struct json_field step_fields[] = {
    { "version", JSON_KIND_INT, true, 1, INT64_MAX },
    { "accept", JSON_KIND_BOOL, true, 0, 0 },
    { "note", JSON_KIND_STRING, false, 0, 200 },
};
static const struct json_schema step_schema = { step_fields, ARRAY_LEN(step_fields) };
static const struct json_field rereview_fields[] = {
    { "version", JSON_KIND_INT, true, 1, INT64_MAX },
    { "uphold", JSON_KIND_BOOL, true, 0, 0 },
    { "note", JSON_KIND_STRING, true, 1, 200 },
};
static const struct json_schema rereview_schema = { rereview_fields, ARRAY_LEN(rereview_fields) };
static const struct json_field objection_fields[] = {
    { "reason", JSON_KIND_STRING, true, 2, 200 },
};
static const struct json_schema objection_schema = { objection_fields,
                                                     ARRAY_LEN(objection_fields) };

static const struct json_field adopt_fields[] = {
    { "template_id", JSON_KIND_INT, true, 1, INT64_MAX },
    { "decision", JSON_KIND_STRING, true, 1, 200 },
    { "adopted_on", JSON_KIND_STRING, true, 10, 10 },
};
static const struct json_schema adopt_schema = { adopt_fields, ARRAY_LEN(adopt_fields) };
static const struct json_field cycle_fields[] = {
    { "day", JSON_KIND_STRING, true, 10, 10 },
};
static const struct json_schema cycle_schema = { cycle_fields, ARRAY_LEN(cycle_fields) };

static const struct json_field outlet_fields[] = {
    { "kind", JSON_KIND_STRING, true, 1, 10 },
    { "name", JSON_KIND_STRING, true, 1, 50 },
    { "discount_pct", JSON_KIND_INT, false, 0, 100 },
    { "merchant_username", JSON_KIND_STRING, false, 0, 40 },
};
static const struct json_schema outlet_schema = { outlet_fields, ARRAY_LEN(outlet_fields) };
static const struct json_field goods_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 50 },
    { "points", JSON_KIND_INT, true, 1, 1000000 },
    { "stock", JSON_KIND_INT, false, 0, 1000000000 },
    { "unit", JSON_KIND_STRING, false, 0, 10 },
};
static const struct json_schema goods_schema = { goods_fields, ARRAY_LEN(goods_fields) };
static const struct json_field goods_update_fields[] = {
    { "name", JSON_KIND_STRING, false, 1, 50 },
    { "points", JSON_KIND_INT, false, 1, 1000000 },
    { "restock", JSON_KIND_INT, false, 1, 1000000 },
    { "active", JSON_KIND_BOOL, false, 0, 0 },
};
static const struct json_schema goods_update_schema = { goods_update_fields,
                                                        ARRAY_LEN(goods_update_fields) };
static const struct json_field redeem_fields[] = {
    { "outlet_id", JSON_KIND_INT, true, 1, INT64_MAX },
    { "goods_id", JSON_KIND_INT, false, 1, INT64_MAX },
    { "quantity", JSON_KIND_INT, false, 1, 99 },
    { "amount_fen", JSON_KIND_INT, false, 1, 100000000 },
    { "paycode", JSON_KIND_STRING, false, 1, 32 },
    { "household_id", JSON_KIND_INT, false, 1, INT64_MAX },
    { "allow_cash", JSON_KIND_BOOL, false, 0, 0 },
};
static const struct json_schema redeem_schema = { redeem_fields, ARRAY_LEN(redeem_fields) };
static const struct json_field statement_fields[] = {
    { "household_id", JSON_KIND_INT, false, 1, INT64_MAX },
    { "outlet_id", JSON_KIND_INT, true, 1, INT64_MAX },
};
static const struct json_schema statement_schema = { statement_fields,
                                                     ARRAY_LEN(statement_fields) };
static const struct json_field item_fields[] = {
    { "category", JSON_KIND_STRING, true, 1, 15 },
    { "name", JSON_KIND_STRING, true, 1, 100 },
    { "points", JSON_KIND_INT, true, -1000, 1000 },
    { "cycle_cap", JSON_KIND_INT, false, 0, 10000 },
    { "evidence_required", JSON_KIND_BOOL, false, 0, 0 },
    { "veto", JSON_KIND_BOOL, false, 0, 0 },
};
static const struct json_schema item_schema = { item_fields, ARRAY_LEN(item_fields) };
static const struct json_field item_update_fields[] = {
    { "name", JSON_KIND_STRING, false, 1, 100 },
    { "points", JSON_KIND_INT, false, -1000, 1000 },
    { "cycle_cap", JSON_KIND_INT, false, 0, 10000 },
    { "evidence_required", JSON_KIND_BOOL, false, 0, 0 },
    { "veto", JSON_KIND_BOOL, false, 0, 0 },
};
static const struct json_schema item_update_schema = { item_update_fields,
                                                       ARRAY_LEN(item_update_fields) };

/* A write that takes no input: the body, if any, must be {}. */
static const struct json_schema empty_schema = { NULL, 0 };

#define FIELDS(f)                                                                                  \
    {                                                                                              \
        f, ARRAY_LEN(f)                                                                            \
    }

static const struct json_field login_fields[] = {
    { "username", JSON_KIND_STRING, true, 1, 64 },
    { "password", JSON_KIND_STRING, true, 1, 128 },
};
static const struct json_schema login_schema = FIELDS(login_fields);

static const struct json_field password_fields[] = {
    { "old_password", JSON_KIND_STRING, true, 1, 128 },
    { "new_password", JSON_KIND_STRING, true, 1, 128 },
};
static const struct json_schema password_schema = FIELDS(password_fields);

static const struct json_field user_fields[] = {
    { "username", JSON_KIND_STRING, true, 2, 32 },
    { "display_name", JSON_KIND_STRING, true, 1, 32 },
    { "phone", JSON_KIND_STRING, false, 0, 20 },
    { "password", JSON_KIND_STRING, true, 1, 128 },
    { "roles", JSON_KIND_ARRAY, true, 0, 0 },
};
static const struct json_schema user_schema = FIELDS(user_fields);

static const struct json_field reset_fields[] = {
    { "password", JSON_KIND_STRING, true, 1, 128 },
};
static const struct json_schema reset_schema = FIELDS(reset_fields);

static const struct json_field status_fields[] = {
    { "status", JSON_KIND_STRING, true, 1, 16 },
};
static const struct json_schema status_schema = FIELDS(status_fields);

static const struct json_field token_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 64 },
    { "days", JSON_KIND_INT, false, 1, 366 },
};
static const struct json_schema token_schema = FIELDS(token_fields);

static const struct json_field import_fields[] = {
    { "csv", JSON_KIND_STRING, true, 1, 0 },
};
static const struct json_schema import_schema = FIELDS(import_fields);

static const struct json_field household_fields[] = {
    { "village_code", JSON_KIND_STRING, true, 12, 12 },
    { "household_no", JSON_KIND_STRING, true, 1, 32 },
    { "address", JSON_KIND_STRING, false, 0, 100 },
    { "group_id", JSON_KIND_INT, false, 0, 0 },
};
static const struct json_schema household_schema = FIELDS(household_fields);

static const struct json_field household_update_fields[] = {
    { "household_no", JSON_KIND_STRING, true, 1, 32 },
    { "address", JSON_KIND_STRING, false, 0, 100 },
    { "group_id", JSON_KIND_INT, false, 0, 0 },
    { "version", JSON_KIND_INT, true, 1, 0 },
};
static const struct json_schema household_update_schema = FIELDS(household_update_fields);

static const struct json_field move_fields[] = {
    { "to_village", JSON_KIND_STRING, true, 12, 12 },
    { "household_no", JSON_KIND_STRING, false, 0, 32 },
    { "reason", JSON_KIND_STRING, true, 2, 100 },
};
static const struct json_schema move_schema = FIELDS(move_fields);

static const struct json_field person_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 32 },
    { "relation", JSON_KIND_STRING, false, 0, 10 },
    { "id_number", JSON_KIND_STRING, false, 0, 20 },
    { "sex", JSON_KIND_STRING, false, 0, 1 },
    { "birth_date", JSON_KIND_STRING, false, 0, 10 },
    { "phone", JSON_KIND_STRING, false, 0, 20 },
    { "flags", JSON_KIND_INT, false, 0, 0 },
};
static const struct json_schema person_schema = FIELDS(person_fields);

static const struct json_field person_update_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 32 },    { "relation", JSON_KIND_STRING, false, 0, 10 },
    { "phone", JSON_KIND_STRING, false, 0, 20 },  { "flags", JSON_KIND_INT, false, 0, 0 },
    { "status", JSON_KIND_STRING, false, 0, 12 }, { "version", JSON_KIND_INT, true, 1, 0 },
};
static const struct json_schema person_update_schema = FIELDS(person_update_fields);

static const struct json_field reveal_fields[] = {
    { "field", JSON_KIND_STRING, true, 1, 16 },
    { "purpose", JSON_KIND_STRING, true, 5, 200 },
};
static const struct json_schema reveal_schema = FIELDS(reveal_fields);

static const struct json_field search_fields[] = {
    { "id_number", JSON_KIND_STRING, false, 0, 20 }, { "name", JSON_KIND_STRING, false, 0, 32 },
    { "region", JSON_KIND_STRING, false, 0, 12 },    { "after", JSON_KIND_INT, false, 0, 0 },
    { "limit", JSON_KIND_INT, false, 1, 200 },
};
static const struct json_schema search_schema = FIELDS(search_fields);

const struct http_route api_routes[] = {
    { HTTP_GET, "/healthz", api_healthz, PERM_PUBLIC, NULL, "liveness: the process answers", NULL },
    { HTTP_GET, "/readyz", api_readyz, PERM_PUBLIC, NULL,
      "readiness: the database answers and the writer has room", NULL },
    { HTTP_GET, "/metrics", api_metrics, PERM_OPS, NULL, "Prometheus metrics", NULL },
    { HTTP_GET, "/api/v1/version", api_version, PERM_PUBLIC, NULL, "version and backend", NULL },
    { HTTP_POST, "/api/v1/ops/probe", api_probe_create, PERM_OPS, &probe_schema,
      "record a durable write probe through the group-commit writer", NULL },
    { HTTP_GET, "/api/v1/ops/probe/{id}", api_probe_get, PERM_OPS, NULL, "read a write probe back",
      NULL },
    { HTTP_POST, "/api/v1/session", api_session_create, PERM_PUBLIC, &login_schema,
      "log in by username or phone; sets the session cookie", NULL },
    { HTTP_GET, "/api/v1/session", api_session_get, PERM_SELF, NULL,
      "who am I: user, roles with scopes, CSRF token", NULL },
    { HTTP_DELETE, "/api/v1/session", api_session_delete, PERM_SELF, NULL, "log out", NULL },
    { HTTP_PUT, "/api/v1/session/password", api_password_change, PERM_SELF, &password_schema,
      "change one's own password", NULL },
    { HTTP_POST, "/api/v1/users", api_user_create, PERM_USER_ADMIN, &user_schema,
      "create an account with its roles", NULL },
    { HTTP_GET, "/api/v1/users", api_user_list, PERM_USER_ADMIN, NULL, "list accounts", NULL },
    { HTTP_GET, "/api/v1/users/{id}", api_user_get, PERM_USER_ADMIN, NULL, "one account", NULL },
    { HTTP_PUT, "/api/v1/users/{id}/password", api_user_reset_password, PERM_USER_ADMIN,
      &reset_schema, "reset a password (must be changed at next login)", NULL },
    { HTTP_PUT, "/api/v1/users/{id}/status", api_user_set_status, PERM_USER_ADMIN, &status_schema,
      "enable or disable an account", NULL },
    { HTTP_POST, "/api/v1/tokens", api_token_create, PERM_SELF, &token_schema,
      "create an API token for integrations (shown once)", NULL },
    { HTTP_DELETE, "/api/v1/tokens/{id}", api_token_revoke, PERM_SELF, NULL,
      "revoke one of one's API tokens", NULL },
    { HTTP_GET, "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, NULL,
      "the audit log within one's scope, newest first", NULL },
    { HTTP_GET, "/api/v1/regions/{code}", api_region_get, PERM_PUBLIC, NULL,
      "a region and its current children (public)", NULL },
    { HTTP_GET, "/api/v1/regions/{code}/units", api_region_units, PERM_HOUSEHOLD_READ, NULL,
      "villager groups and grids of a village", NULL },
    { HTTP_POST, "/api/v1/regions/import", api_region_import, PERM_REGION_WRITE, &import_schema,
      "import a region tree from CSV: all rows or none, with a row-by-row report", NULL },
    { HTTP_GET, "/api/v1/households", api_household_list, PERM_HOUSEHOLD_READ, NULL,
      "households in scope, by region and member name, paged by id", NULL },
    { HTTP_POST, "/api/v1/households/search", api_household_search, PERM_HOUSEHOLD_READ,
      &search_schema, "search households by exact ID number, name or region", NULL },
    { HTTP_POST, "/api/v1/households/import", api_household_import, PERM_HOUSEHOLD_WRITE, NULL,
      "import households and persons from CSV (UTF-8 or GBK; all rows or none); answers a task",
      "text/csv" },
    { HTTP_GET, "/api/v1/households/export", api_household_export, PERM_HOUSEHOLD_READ, NULL,
      "export households in scope as CSV or .xlsx, masked (?format=csv|xlsx&region=)", NULL },
    { HTTP_GET, "/api/v1/tasks/{id}", api_task_get, PERM_SELF, NULL,
      "progress and result of one's own long job (an import)", NULL },
    { HTTP_POST, "/api/v1/households", api_household_create, PERM_HOUSEHOLD_WRITE,
      &household_schema, "create a household in a village", NULL },
    { HTTP_GET, "/api/v1/households/{id}", api_household_get, PERM_HOUSEHOLD_READ, NULL,
      "a household with its members (masked)", NULL },
    { HTTP_PUT, "/api/v1/households/{id}", api_household_update, PERM_HOUSEHOLD_WRITE,
      &household_update_schema, "change a household (optimistic: give its version)", NULL },
    { HTTP_POST, "/api/v1/households/{id}/move", api_household_move, PERM_HOUSEHOLD_WRITE,
      &move_schema, "move a household to another village; history kept", NULL },
    { HTTP_POST, "/api/v1/households/{id}/persons", api_person_add, PERM_HOUSEHOLD_WRITE,
      &person_schema, "add a member (ID number and phone sealed)", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}", api_points_village, PERM_POINTS_READ, NULL,
      "a village's points scheme, its items and the open cycle", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/publicise", api_points_publicise,
      PERM_POINTS_REVIEW, &empty_schema, "post the approved claims to the village board", NULL },
    { HTTP_POST, "/api/v1/points/claims", api_points_claim_create, PERM_POINTS_CLAIM, &claim_schema,
      "declare (a household) or enter (a cadre) a points claim", NULL },
    { HTTP_GET, "/api/v1/points/claims/{id}", api_points_claim_get, PERM_POINTS_READ, NULL,
      "one points claim", NULL },
    { HTTP_POST, "/api/v1/points/claims/{id}/review", api_points_claim_review, PERM_POINTS_REVIEW,
      &step_schema, "the review group's view of a claim (accept or reject)", NULL },
    { HTTP_POST, "/api/v1/points/claims/{id}/approve", api_points_claim_approve, PERM_POINTS_REVIEW,
      &step_schema, "the village committee's approval (accept or reject)", NULL },
    { HTTP_POST, "/api/v1/points/claims/{id}/object", api_points_claim_object, PERM_POINTS_OBJECT,
      &objection_schema, "object to a claim during its publicity", NULL },
    { HTTP_POST, "/api/v1/points/claims/{id}/rereview", api_points_claim_rereview,
      PERM_POINTS_REVIEW, &rereview_schema, "re-review an objected claim (uphold or reject)",
      NULL },
    { HTTP_GET, "/api/v1/points/households/{id}", api_points_household, PERM_POINTS_READ, NULL,
      "a household's points balance and newest entries", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/adopt", api_points_adopt, PERM_POINTS_MANAGE,
      &adopt_schema, "adopt a template as the village's scheme, by its meeting's decision", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/cycles", api_points_cycle_open, PERM_POINTS_MANAGE,
      &cycle_schema, "open the village's cycle holding a day", NULL },
    { HTTP_POST, "/api/v1/points/cycles/{id}/close", api_points_cycle_close, PERM_POINTS_MANAGE,
      &empty_schema, "close a cycle: no new claims", NULL },
    { HTTP_POST, "/api/v1/points/entries/{id}/reverse", api_points_reverse, PERM_POINTS_REVIEW,
      &objection_schema, "correct a ledger entry by reversing it (a reason is required)", NULL },
    { HTTP_GET, "/api/v1/points/me", api_points_me, PERM_SELF, NULL,
      "the caller's household's points balance and newest entries", NULL },
    { HTTP_GET, "/api/v1/points/me/claims", api_points_my_claims, PERM_SELF, NULL,
      "the caller's household's claims, newest first", NULL },
    { HTTP_GET, "/api/v1/points/me/redemptions", api_points_my_redemptions, PERM_SELF, NULL,
      "the caller's household's redemptions, newest first", NULL },
    { HTTP_POST, "/api/v1/points/me/paycode", api_points_paycode, PERM_SELF, &empty_schema,
      "a one-time pay code (5 minutes) for the caller's household, with its QR code", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}/claims", api_points_claims, PERM_POINTS_READ, NULL,
      "a village's claims newest first (?state=&household_id=&before=&limit=)", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}/board", api_points_board, PERM_PUBLIC, NULL,
      "a village's publicity board of a cycle (?cycle_id=), red and black lists; public", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}/honours", api_points_honours, PERM_PUBLIC, NULL,
      "a village's annual honours (?year=): 文明家庭, 最美庭院; public", NULL },
    { HTTP_GET, "/api/v1/points/villages/{code}/outlets", api_points_outlets, PERM_SELF, NULL,
      "a village's outlets and their goods (points.read or points.redeem there)", NULL },
    { HTTP_POST, "/api/v1/points/villages/{code}/outlets", api_points_outlet_create,
      PERM_POINTS_OUTLET, &outlet_schema, "a new outlet: store, service, merchant or bank", NULL },
    { HTTP_GET, "/api/v1/points/outlets/mine", api_points_outlets_mine, PERM_POINTS_REDEEM, NULL,
      "the outlets the caller takes points at", NULL },
    { HTTP_POST, "/api/v1/points/outlets/{id}/goods", api_points_goods_create, PERM_POINTS_OUTLET,
      &goods_schema, "new goods or a service at an outlet (no stock: not counted)", NULL },
    { HTTP_GET, "/api/v1/points/outlets/{id}/redemptions", api_points_outlet_redemptions, PERM_SELF,
      NULL, "an outlet's redemptions, newest first (its merchant, or points.read)", NULL },
    { HTTP_PATCH, "/api/v1/points/goods/{id}", api_points_goods_update, PERM_POINTS_OUTLET,
      &goods_update_schema, "change goods: name, points, restock, active", NULL },
    { HTTP_POST, "/api/v1/points/redemptions", api_points_redeem, PERM_POINTS_REDEEM,
      &redeem_schema, "redeem points at an outlet with a villager's pay code", NULL },
    { HTTP_GET, "/api/v1/points/households/{id}/redemptions", api_points_household_redemptions,
      PERM_POINTS_READ, NULL, "a household's redemptions, newest first", NULL },
    { HTTP_POST, "/api/v1/points/statements", api_points_statement, PERM_POINTS_READ,
      &statement_schema, "a household's points statement for a bank (积分贷), logged", NULL },
    { HTTP_GET, "/api/v1/points/reports", api_points_report, PERM_POINTS_READ, NULL,
      "the year's points by village, category and month (?region=&year=)", NULL },
    { HTTP_GET, "/api/v1/points/schemes", api_points_schemes, PERM_POINTS_MANAGE, NULL,
      "the county templates the caller may see", NULL },
    { HTTP_GET, "/api/v1/points/schemes/{id}", api_points_scheme_get, PERM_POINTS_READ, NULL,
      "a scheme and its items", NULL },
    { HTTP_POST, "/api/v1/points/schemes/{id}/items", api_points_item_create, PERM_POINTS_MANAGE,
      &item_schema, "a new item of a county template", NULL },
    { HTTP_PATCH, "/api/v1/points/items/{id}", api_points_item_update, PERM_POINTS_MANAGE,
      &item_update_schema, "change an item of a county template", NULL },
    { HTTP_GET, "/tlog/checkpoint", api_tlog_checkpoint, PERM_PUBLIC, NULL,
      "the verifiable log's newest signed checkpoint (C2SP tlog-checkpoint)", NULL },
    { HTTP_GET, "/tlog/vkey", api_tlog_vkey, PERM_PUBLIC, NULL,
      "the log's verifier key (C2SP signed-note: name+hash+base64)", NULL },
    { HTTP_GET, "/tlog/tile/{path*}", api_tlog_tile, PERM_PUBLIC, NULL,
      "a hash tile <L>/<N>[.p/<W>] or entry bundle entries/<N>[.p/<W>] (C2SP tlog-tiles)", NULL },
    { HTTP_GET, "/tlog/proof/inclusion", api_tlog_inclusion, PERM_PUBLIC, NULL,
      "inclusion proof of leaf ?index= in the tree of ?size= leaves (RFC 9162)", NULL },
    { HTTP_GET, "/tlog/proof/consistency", api_tlog_consistency, PERM_PUBLIC, NULL,
      "consistency proof from ?old= to ?new= leaves (RFC 9162)", NULL },
    { HTTP_GET, "/tlog/receipt/{index}", api_tlog_receipt, PERM_PUBLIC, NULL,
      "a receipt for one leaf against the newest checkpoint (C2SP tlog-proof)", NULL },
    { HTTP_GET, "/tlog/qr/{index}", api_tlog_receipt_qr, PERM_PUBLIC, NULL,
      "receipt {index} as a QR code (SVG) to show or print; /verify reads it back", NULL },
    { HTTP_POST, "/tlog/cosignature", api_tlog_cosign, PERM_PUBLIC, NULL,
      "a configured witness's cosignature of a checkpoint (C2SP tlog-cosignature, text/plain)",
      "text/plain" },
    { HTTP_POST, "/api/v1/tlog/checkpoint", api_tlog_sign, PERM_OPS, &empty_schema,
      "sign a checkpoint of the log now (the operator)", NULL },
    { HTTP_GET, "/api/v1/persons", api_person_list, PERM_HOUSEHOLD_READ, NULL,
      "persons in scope (masked), by region and name prefix, paged by id", NULL },
    { HTTP_POST, "/api/v1/persons/search", api_person_search, PERM_HOUSEHOLD_READ, &search_schema,
      "search persons by exact ID number, name or region", NULL },
    { HTTP_PUT, "/api/v1/persons/{id}", api_person_update, PERM_HOUSEHOLD_WRITE,
      &person_update_schema, "change a member (optimistic: give its version)", NULL },
    { HTTP_POST, "/api/v1/persons/{id}/reveal", api_person_reveal, PERM_PERSON_REVEAL,
      &reveal_schema, "show one sensitive value for a stated purpose; audited", NULL },
    { HTTP_POST, "/api/v1/attachments", api_attachment_create, PERM_SELF, NULL,
      "upload a photo (JPEG, PNG or WebP by content, at most 5 MiB; metadata stripped;"
      " ?region= one of one's scopes)",
      "image/*" },
    { HTTP_GET, "/api/v1/attachments/{sha256}", api_attachment_get, PERM_SELF, NULL,
      "a photo by its SHA-256: its uploader, or household.read staff over its region", NULL },
};

const size_t api_routes_count = ARRAY_LEN(api_routes);
