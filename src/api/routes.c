/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/routes.c -- core's endpoints, one row each: method, path, handler,
 * the permission it needs, the body it accepts. Each module's rows are in
 * src/api/<m>/routes.c; api_route_table (module.c) joins them, and the router,
 * the docs and the tests all read that table. */
#include "core/compat.h"

#include "api/api.h"
#include "api/module.h"
#include "domain/ops/probe.h"

static const struct json_field probe_fields[] = {
    { "note", JSON_KIND_STRING, false, 0, PROBE_NOTE_CHARS, NULL },
};
static const struct json_schema probe_schema = { probe_fields, ARRAY_LEN(probe_fields) };

/* A write that takes no input: the body, if any, must be {}. */
const struct json_schema api_empty_schema = { NULL, 0 };

#define FIELDS(f)                                                                                  \
    {                                                                                              \
        f, ARRAY_LEN(f)                                                                            \
    }

static const struct json_field login_fields[] = {
    { "username", JSON_KIND_STRING, true, 1, 64, NULL },
    { "password", JSON_KIND_STRING, true, 1, 128, NULL },
};
static const struct json_schema login_schema = FIELDS(login_fields);

static const struct json_field password_fields[] = {
    { "old_password", JSON_KIND_STRING, true, 1, 128, NULL },
    { "new_password", JSON_KIND_STRING, true, 1, 128, NULL },
};
static const struct json_schema password_schema = FIELDS(password_fields);

static const struct json_field user_fields[] = {
    { "username", JSON_KIND_STRING, true, 2, 32, NULL },
    { "display_name", JSON_KIND_STRING, true, 1, 32, NULL },
    { "phone", JSON_KIND_STRING, false, 0, 20, NULL },
    { "password", JSON_KIND_STRING, true, 1, 128, NULL },
    { "roles", JSON_KIND_ARRAY, true, 0, 0, NULL },
};
static const struct json_schema user_schema = FIELDS(user_fields);

static const struct json_field reset_fields[] = {
    { "password", JSON_KIND_STRING, true, 1, 128, NULL },
};
static const struct json_schema reset_schema = FIELDS(reset_fields);

static const char *const user_statuses[] = { "active", "disabled", NULL };
static const struct json_field status_fields[] = {
    { "status", JSON_KIND_STRING, true, 1, 16, user_statuses },
};
static const struct json_schema status_schema = FIELDS(status_fields);

static const struct json_field token_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 64, NULL },
    { "days", JSON_KIND_INT, false, 1, 366, NULL },
};
static const struct json_schema token_schema = FIELDS(token_fields);

static const struct json_field import_fields[] = {
    { "csv", JSON_KIND_STRING, true, 1, 0, NULL },
};
static const struct json_schema import_schema = FIELDS(import_fields);

static const struct json_field household_fields[] = {
    { "village_code", JSON_KIND_STRING, true, 12, 12, NULL },
    { "household_no", JSON_KIND_STRING, true, 1, 32, NULL },
    { "address", JSON_KIND_STRING, false, 0, 100, NULL },
    { "group_id", JSON_KIND_INT, false, 0, 0, NULL },
};
static const struct json_schema household_schema = FIELDS(household_fields);

static const struct json_field household_update_fields[] = {
    { "household_no", JSON_KIND_STRING, true, 1, 32, NULL },
    { "address", JSON_KIND_STRING, false, 0, 100, NULL },
    { "group_id", JSON_KIND_INT, false, 0, 0, NULL },
    { "version", JSON_KIND_INT, true, 1, 0, NULL },
};
static const struct json_schema household_update_schema = FIELDS(household_update_fields);

static const struct json_field move_fields[] = {
    { "to_village", JSON_KIND_STRING, true, 12, 12, NULL },
    { "household_no", JSON_KIND_STRING, false, 0, 32, NULL },
    { "reason", JSON_KIND_STRING, true, 2, 100, NULL },
};
static const struct json_schema move_schema = FIELDS(move_fields);

/* "": not given (an ID number gives it). */
static const char *const sexes[] = { "", "M", "F", NULL };
static const struct json_field person_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 32, NULL },
    { "relation", JSON_KIND_STRING, false, 0, 10, NULL },
    { "id_number", JSON_KIND_STRING, false, 0, 20, NULL },
    { "sex", JSON_KIND_STRING, false, 0, 1, sexes },
    { "birth_date", JSON_KIND_STRING, false, 0, 10, NULL },
    { "phone", JSON_KIND_STRING, false, 0, 20, NULL },
    { "flags", JSON_KIND_INT, false, 0, 0, NULL },
};
static const struct json_schema person_schema = FIELDS(person_fields);

static const char *const person_statuses[] = { "", "active", "moved_out", "deceased", NULL };
static const struct json_field person_update_fields[] = {
    { "name", JSON_KIND_STRING, true, 1, 32, NULL },
    { "relation", JSON_KIND_STRING, false, 0, 10, NULL },
    { "phone", JSON_KIND_STRING, false, 0, 20, NULL },
    { "flags", JSON_KIND_INT, false, 0, 0, NULL },
    { "status", JSON_KIND_STRING, false, 0, 12, person_statuses },
    { "version", JSON_KIND_INT, true, 1, 0, NULL },
};
static const struct json_schema person_update_schema = FIELDS(person_update_fields);

static const char *const revealable[] = { "id_number", "phone", NULL };
static const struct json_field reveal_fields[] = {
    { "field", JSON_KIND_STRING, true, 1, 16, revealable },
    { "purpose", JSON_KIND_STRING, true, 5, 200, NULL },
};
static const struct json_schema reveal_schema = FIELDS(reveal_fields);

static const struct json_field search_fields[] = {
    { "id_number", JSON_KIND_STRING, false, 0, 20, NULL },
    { "name", JSON_KIND_STRING, false, 0, 32, NULL },
    { "region", JSON_KIND_STRING, false, 0, 12, NULL },
    { "after", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema search_schema = FIELDS(search_fields);

/* Query parameters. */
static const struct json_field page_fields[] = {
    { "after", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema page_query = FIELDS(page_fields);

static const struct json_field list_fields[] = {
    { "region", JSON_KIND_STRING, false, 0, 12, NULL },
    { "name", JSON_KIND_STRING, false, 0, 32, NULL },
    { "after", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema list_query = FIELDS(list_fields);
static const struct json_field dashboard_fields[] = {
    { "region", JSON_KIND_STRING, false, 0, 12, NULL },
    { "year", JSON_KIND_INT, false, 2000, 2100, NULL },
};
static const struct json_schema dashboard_query = FIELDS(dashboard_fields);

static const struct json_field audit_fields[] = {
    { "object_type", JSON_KIND_STRING, false, 0, 32, NULL },
    { "object_id", JSON_KIND_STRING, false, 0, 64, NULL },
    { "before", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema audit_query = FIELDS(audit_fields);

static const char *const export_formats[] = { "csv", "xlsx", NULL };
static const struct json_field export_fields[] = {
    { "format", JSON_KIND_STRING, false, 0, 4, export_formats },
    { "region", JSON_KIND_STRING, false, 0, 12, NULL },
};
static const struct json_schema export_query = FIELDS(export_fields);

static const struct json_field inclusion_fields[] = {
    { "index", JSON_KIND_INT, true, 0, 0, NULL },
    { "size", JSON_KIND_INT, true, 1, 0, NULL },
};
static const struct json_schema inclusion_query = FIELDS(inclusion_fields);

static const struct json_field consistency_fields[] = {
    { "old", JSON_KIND_INT, true, 1, 0, NULL },
    { "new", JSON_KIND_INT, true, 1, 0, NULL },
};
static const struct json_schema consistency_query = FIELDS(consistency_fields);

static const struct json_field alerts_fields[] = {
    { "unread", JSON_KIND_INT, false, 0, 1, NULL },
    { "before", JSON_KIND_INT, false, 0, 0, NULL },
    { "limit", JSON_KIND_INT, false, 1, 200, NULL },
};
static const struct json_schema alerts_query = FIELDS(alerts_fields);

static const struct json_field region_fields[] = {
    { "region", JSON_KIND_STRING, false, 0, 12, NULL },
};
static const struct json_schema region_query = FIELDS(region_fields);

const struct http_route api_core_routes[] = {
    { HTTP_GET, "/healthz", api_healthz, PERM_PUBLIC, NULL, "liveness: the process answers", NULL,
      "200 Health", NULL },
    { HTTP_GET, "/readyz", api_readyz, PERM_PUBLIC, NULL,
      "readiness: the database answers and the writer has room", NULL, "200 Health", NULL },
    { HTTP_GET, "/metrics", api_metrics, PERM_OPS, NULL, "Prometheus metrics", NULL,
      "200 text/plain", NULL },
    { HTTP_GET, "/api/v1/version", api_version, PERM_PUBLIC, NULL, "version and backend", NULL,
      "200 Version", NULL },
    { HTTP_POST, "/api/v1/ops/probe", api_probe_create, PERM_OPS, &probe_schema,
      "record a durable write probe through the group-commit writer", NULL, "201 Probe", NULL },
    { HTTP_GET, "/api/v1/ops/probe/{id}", api_probe_get, PERM_OPS, NULL, "read a write probe back",
      NULL, "200 Probe", NULL },
    { HTTP_POST, "/api/v1/session", api_session_create, PERM_PUBLIC, &login_schema,
      "log in by username or phone; sets the session cookie", NULL, "201 Session", NULL },
    { HTTP_GET, "/api/v1/session", api_session_get, PERM_SELF, NULL,
      "who am I: user, roles with scopes, CSRF token", NULL, "200 Session", NULL },
    { HTTP_GET, "/api/v1/dashboard", api_dashboard, PERM_SELF, NULL,
      "every module's figures for a region in scope and a year (?region=&year=), each for whoever"
      " holds its permission there",
      NULL, "200 Dashboard", &dashboard_query },
    { HTTP_GET, "/api/v1/whoami", api_whoami, PERM_PUBLIC, NULL,
      "the session if there is one, else null: a page's first question, never a 401", NULL,
      "200 WhoAmI", NULL },
    { HTTP_DELETE, "/api/v1/session", api_session_delete, PERM_SELF, NULL, "log out", NULL, "204",
      NULL },
    { HTTP_PUT, "/api/v1/session/password", api_password_change, PERM_SELF, &password_schema,
      "change one's own password", NULL, "200 Ok", NULL },
    { HTTP_POST, "/api/v1/users", api_user_create, PERM_USER_ADMIN, &user_schema,
      "create an account with its roles", NULL, "201 User", NULL },
    { HTTP_GET, "/api/v1/users", api_user_list, PERM_USER_ADMIN, NULL, "list accounts", NULL,
      "200 UserList", &page_query },
    { HTTP_GET, "/api/v1/users/{id}", api_user_get, PERM_USER_ADMIN, NULL, "one account", NULL,
      "200 User", NULL },
    { HTTP_PUT, "/api/v1/users/{id}/password", api_user_reset_password, PERM_USER_ADMIN,
      &reset_schema, "reset a password (must be changed at next login)", NULL, "200 Ok", NULL },
    { HTTP_PUT, "/api/v1/users/{id}/status", api_user_set_status, PERM_USER_ADMIN, &status_schema,
      "enable or disable an account", NULL, "200 Ok", NULL },
    { HTTP_POST, "/api/v1/tokens", api_token_create, PERM_SELF, &token_schema,
      "create an API token for integrations (shown once)", NULL, "201 NewToken", NULL },
    { HTTP_DELETE, "/api/v1/tokens/{id}", api_token_revoke, PERM_SELF, NULL,
      "revoke one of one's API tokens", NULL, "204", NULL },
    { HTTP_GET, "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, NULL,
      "the audit log within one's scope, newest first", NULL, "200 AuditList", &audit_query },
    { HTTP_GET, "/api/v1/regions/{code}", api_region_get, PERM_PUBLIC, NULL,
      "a region and its current children (public)", NULL, "200 Region", NULL },
    { HTTP_GET, "/api/v1/regions/{code}/units", api_region_units, PERM_HOUSEHOLD_READ, NULL,
      "villager groups and grids of a village", NULL, "200 UnitList", NULL },
    { HTTP_POST, "/api/v1/regions/import", api_region_import, PERM_REGION_WRITE, &import_schema,
      "import a region tree from CSV: all rows or none, with a row-by-row report", NULL,
      "201 RegionImport", NULL },
    { HTTP_GET, "/api/v1/households", api_household_list, PERM_HOUSEHOLD_READ, NULL,
      "households in scope, by region and member name, paged by id", NULL, "200 HouseholdList",
      &list_query },
    { HTTP_POST, "/api/v1/households/search", api_household_search, PERM_HOUSEHOLD_READ,
      &search_schema, "search households by exact ID number, name or region", NULL,
      "200 HouseholdList", NULL },
    { HTTP_POST, "/api/v1/households/import", api_household_import, PERM_HOUSEHOLD_WRITE, NULL,
      "import households and persons from CSV (UTF-8 or GBK) or an Excel .xlsx workbook (its first"
      " sheet; all rows or none); answers a task",
      "text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "202 TaskStarted", NULL },
    { HTTP_GET, "/api/v1/households/export", api_household_export, PERM_HOUSEHOLD_READ, NULL,
      "export households in scope as CSV or .xlsx, masked (?format=csv|xlsx&region=)", NULL,
      "200 text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      &export_query },
    { HTTP_GET, "/api/v1/tasks/{id}", api_task_get, PERM_SELF, NULL,
      "progress and result of one's own long job (an import)", NULL, "200 Task", NULL },
    { HTTP_POST, "/api/v1/households", api_household_create, PERM_HOUSEHOLD_WRITE,
      &household_schema, "create a household in a village", NULL, "201 Household", NULL },
    { HTTP_GET, "/api/v1/households/{id}", api_household_get, PERM_HOUSEHOLD_READ, NULL,
      "a household with its members (masked)", NULL, "200 Household", NULL },
    { HTTP_PUT, "/api/v1/households/{id}", api_household_update, PERM_HOUSEHOLD_WRITE,
      &household_update_schema, "change a household (optimistic: give its version)", NULL,
      "200 Household", NULL },
    { HTTP_POST, "/api/v1/households/{id}/move", api_household_move, PERM_HOUSEHOLD_WRITE,
      &move_schema, "move a household to another village; history kept", NULL, "200 Household",
      NULL },
    { HTTP_POST, "/api/v1/households/{id}/persons", api_person_add, PERM_HOUSEHOLD_WRITE,
      &person_schema, "add a member (ID number and phone sealed)", NULL, "201 Person", NULL },
    { HTTP_GET, "/tlog/checkpoint", api_tlog_checkpoint, PERM_PUBLIC, NULL,
      "the verifiable log's newest signed checkpoint (C2SP tlog-checkpoint)", NULL,
      "200 text/plain", NULL },
    { HTTP_GET, "/tlog/vkey", api_tlog_vkey, PERM_PUBLIC, NULL,
      "the log's verifier key (C2SP signed-note: name+hash+base64)", NULL, "200 text/plain", NULL },
    { HTTP_GET, "/tlog/tile/{path*}", api_tlog_tile, PERM_PUBLIC, NULL,
      "a hash tile <L>/<N>[.p/<W>] or entry bundle entries/<N>[.p/<W>] (C2SP tlog-tiles)", NULL,
      "200 application/octet-stream", NULL },
    { HTTP_GET, "/tlog/proof/inclusion", api_tlog_inclusion, PERM_PUBLIC, NULL,
      "inclusion proof of leaf ?index= in the tree of ?size= leaves (RFC 9162)", NULL,
      "200 InclusionProof", &inclusion_query },
    { HTTP_GET, "/tlog/proof/consistency", api_tlog_consistency, PERM_PUBLIC, NULL,
      "consistency proof from ?old= to ?new= leaves (RFC 9162)", NULL, "200 ConsistencyProof",
      &consistency_query },
    { HTTP_GET, "/tlog/receipt/{index}", api_tlog_receipt, PERM_PUBLIC, NULL,
      "a receipt for one leaf against the newest checkpoint (C2SP tlog-proof)", NULL,
      "200 text/plain", NULL },
    { HTTP_GET, "/tlog/qr/{index}", api_tlog_receipt_qr, PERM_PUBLIC, NULL,
      "receipt {index} as a QR code (SVG) to show or print; /verify reads it back", NULL,
      "200 image/svg+xml", NULL },
    { HTTP_POST, "/tlog/cosignature", api_tlog_cosign, PERM_PUBLIC, NULL,
      "a configured witness's cosignature of a checkpoint (C2SP tlog-cosignature, text/plain)",
      "text/plain", "200 Cosignature", NULL },
    { HTTP_POST, "/api/v1/tlog/checkpoint", api_tlog_sign, PERM_OPS, &api_empty_schema,
      "sign a checkpoint of the log now (the operator)", NULL, "200 text/plain", NULL },
    { HTTP_GET, "/api/v1/persons", api_person_list, PERM_HOUSEHOLD_READ, NULL,
      "persons in scope (masked), by region and name prefix, paged by id", NULL, "200 PersonList",
      &list_query },
    { HTTP_POST, "/api/v1/persons/search", api_person_search, PERM_HOUSEHOLD_READ, &search_schema,
      "search persons by exact ID number, name or region", NULL, "200 PersonList", NULL },
    { HTTP_PUT, "/api/v1/persons/{id}", api_person_update, PERM_HOUSEHOLD_WRITE,
      &person_update_schema, "change a member (optimistic: give its version)", NULL, "200 Person",
      NULL },
    { HTTP_POST, "/api/v1/persons/{id}/reveal", api_person_reveal, PERM_PERSON_REVEAL,
      &reveal_schema, "show one sensitive value for a stated purpose; audited", NULL, "200 Reveal",
      NULL },
    { HTTP_GET, "/api/v1/workflows", api_workflows, PERM_PUBLIC, NULL,
      "every module's workflows: states, steps with who may take them, time limits (public)", NULL,
      "200 WorkflowList", NULL },
    { HTTP_GET, "/api/v1/alerts", api_alerts_list, PERM_SELF, NULL,
      "the caller's alerts, newest first (?unread=1&before=&limit=), and how many are unread", NULL,
      "200 AlertList", &alerts_query },
    { HTTP_GET, "/api/v1/alerts/unread", api_alerts_unread, PERM_SELF, NULL,
      "how many of the caller's alerts are unread", NULL, "200 Unread", NULL },
    { HTTP_POST, "/api/v1/alerts/read", api_alerts_read, PERM_SELF, &api_empty_schema,
      "mark all of the caller's alerts read", NULL, "200 Unread", NULL },
    { HTTP_POST, "/api/v1/alerts/{id}/read", api_alerts_read, PERM_SELF, &api_empty_schema,
      "mark one of the caller's alerts read", NULL, "200 Unread", NULL },
    { HTTP_POST, "/api/v1/attachments", api_attachment_create, PERM_SELF, NULL,
      "upload a photo (JPEG, PNG or WebP by content, at most 5 MiB; metadata stripped;"
      " ?region= one of one's scopes)",
      "image/*", "201 Attachment", &region_query },
    { HTTP_GET, "/api/v1/attachments/{sha256}", api_attachment_get, PERM_SELF, NULL,
      "a photo by its SHA-256: its uploader, or household.read staff over its region", NULL,
      "200 image/jpeg image/png image/webp", NULL },
};

const size_t api_core_routes_count = ARRAY_LEN(api_core_routes);
