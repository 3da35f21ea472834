/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/sheets.h -- spreadsheets over HTTP (sheets.c): every module's
 * declared sheets, and what the roster's own import and export share. */
#ifndef API_SHEETS_H
#define API_SHEETS_H

#include <jansson.h>

#include "domain/module.h"
#include "http/http.h"

/* Module 'm''s sheet routes: how many, and writing them into 'table'. */
size_t api_sheet_route_count(const struct domain_module *m);
size_t api_sheet_routes(const struct domain_module *m, struct http_route *table);
int api_sheet_import(struct request *req, struct response *res);
int api_sheet_export(struct request *req, struct response *res);
int api_sheet_template(struct request *req, struct response *res);

/* A file for the browser to save as NAME.csv or NAME.xlsx. */
void api_sheet_answer(struct response *res, enum sheet_format fmt, const char *name,
                      const char *data, size_t len);
/* A failed import's task result: the error and the report (stolen). */
json_t *api_import_failure(const struct err *e, json_t *report);

#endif
