/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/authz.c -- the one authorisation function every request passes
 * (DESIGN.md §6). Today it knows two permissions: public routes, and operator
 * routes that only the machine itself may call. Accounts, roles and region
 * scopes (issue #3) extend this table-driven check; a route whose permission is
 * unknown here is refused, so a new route cannot be open by accident. */
#include "core/compat.h"

#include <string.h>

#include "api/api.h"

int
api_authorize(struct request *req, const struct http_route *r, struct err *err)
{
    if (strcmp(r->perm, PERM_PUBLIC) == 0)
        return 0;
    if (strcmp(r->perm, PERM_OPS) == 0) {
        if (req->remote_loopback)
            return 0;
        return err_set(err, ERR_FORBIDDEN, NULL, "此接口只允许本机运维调用",
                       "this route is for the operator on the server itself");
    }
    return err_code_set(err, ERR_FORBIDDEN, NULL);
}
