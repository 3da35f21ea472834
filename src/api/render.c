/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/render.c -- see render.h. */
#include "core/compat.h"

#include "api/render.h"
#include "domain/sheet/problems.h"

/* The permissions one role binding holds: pages offer what each role may do,
 * in that role's scope. */
static json_t *
binding_permissions(const struct auth_binding *b)
{
    json_t *a = json_array();
    const char *perm;

    for (size_t i = 0; (perm = auth_perm_name(i)) != NULL; i++)
        if (auth_binding_may(b, perm))
            json_array_append_new(a, json_string(perm));
    return a;
}

json_t *
render_bindings(const struct auth_binding *b, int n)
{
    json_t *a = json_array();

    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "role", role_name(b[i].role), "title",
                              role_title_zh(b[i].role), "scope", b[i].scope, "permissions",
                              binding_permissions(&b[i]));

        json_object_set_new(o, "household_id",
                            b[i].household_id ? json_integer(b[i].household_id) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

/* The permissions some role of 'p' holds: the pages show what one may use. */
static json_t *
render_permissions(const struct principal *p)
{
    json_t *a = json_array();
    const char *perm;

    for (size_t i = 0; (perm = auth_perm_name(i)) != NULL; i++)
        if (auth_role_may(p, perm))
            json_array_append_new(a, json_string(perm));
    return a;
}

json_t *
render_principal(const struct principal *p)
{
    return json_pack("{s:{s:I, s:s, s:s, s:b}, s:o, s:o, s:s, s:b}", "user", "id",
                     (json_int_t)p->user_id, "username", p->username, "display_name",
                     p->display_name, "must_change_password", p->must_change_password, "roles",
                     render_bindings(p->roles, p->nroles), "permissions", render_permissions(p),
                     "csrf_token", p->csrf, "via_token", p->via_token);
}

json_t *
render_user(const struct user_info *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:o}", "id", (json_int_t)u->id,
                     "username", u->username, "display_name", u->display_name, "phone",
                     u->phone_mask, "status", u->status, "must_change_password",
                     u->must_change_password, "created_at", (json_int_t)u->created_at, "roles",
                     render_bindings(u->roles, u->nroles));
}

json_t *
render_problems(const struct sheet_problems *l)
{
    json_t *a = json_array();

    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s}", "row", l->items[i].row, "column",
                                           l->items[i].column, "reason", l->items[i].reason_zh,
                                           "reason_en", l->items[i].reason_en));
    return a;
}
