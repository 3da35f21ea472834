/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/render.h -- JSON shapes shared by several handlers. */
#ifndef API_RENDER_H
#define API_RENDER_H

#include <jansson.h>

#include "domain/auth/account.h"

struct sheet_problems;

json_t *render_bindings(const struct auth_binding *b, int n);
json_t *render_principal(const struct principal *p);
json_t *render_user(const struct user_info *u);
/* The problems of a spreadsheet import as a new array of
 * {"row","column","reason","reason_en"} (reason in Chinese); caller owns it. */
json_t *render_problems(const struct sheet_problems *l);

#endif
