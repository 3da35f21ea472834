/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/modules.c -- 'xiangzhi modules': the module list and what each
 * module declares (domain/module.h, api/module.h), as JSON, for people and for
 * the tests that walk it (the access matrix, the per-module suites). */
#include "core/compat.h"

#include <jansson.h>
#include <stdio.h>

#include "api/module.h"
#include "cli/cli.h"
#include "store/migrate.h"

static const char modules_usage[] =
    "用法 / usage: xiangzhi modules\n"
    "  每个模块的路由、权限、迁移、定时任务、核对和日志条目种类(JSON)。\n"
    "  Every module's routes, permissions, migrations, jobs, checks\n"
    "  and log-entry kinds, as JSON.\n";

static json_t *
perms_json(const struct domain_module *m)
{
    json_t *a = json_array();

    for (size_t i = 0; i < m->nperms; i++) {
        json_t *roles = json_array();

        for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++)
            if (m->perms[i].roles & AUTH_ROLE(r))
                json_array_append_new(roles, json_string(role_name(r)));
        json_array_append_new(a, json_pack("{s:s, s:o}", "name", m->perms[i].perm, "roles", roles));
    }
    return a;
}

/* Each workflow's steps a person may take: the route's verb, its permission,
 * what it needs (for the access matrix and the openapi document). */
static json_t *
workflows_json(const struct domain_module *m)
{
    json_t *a = json_array();

    for (size_t w = 0; w < m->nworkflows; w++) {
        const struct workflow *wf = m->workflows[w];
        json_t *steps = json_array();

        for (size_t i = 0; i < wf->ntransitions; i++) {
            const struct wf_transition *t = &wf->transitions[i];

            json_array_append_new(
                steps, json_pack("{s:s, s:s, s:s, s:s?, s:b, s:s?, s:b, s:b, s:s?, s:i}", "from",
                                 t->from, "verb", t->verb, "to", t->to, "perm", t->perm,
                                 "versioned", (t->needs & WF_VERSIONED) != 0, "choice", t->choice,
                                 "when", t->when, "village_wide", (t->needs & WF_VILLAGE_WIDE) != 0,
                                 "reason_field", (t->needs & WF_REASON) ? t->reason.field : NULL,
                                 "reason_min", (t->needs & WF_REASON) ? t->reason.min_chars : 0));
        }
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "thing", wf->thing, "initial",
                                           wf->initial, "steps", steps));
    }
    return a;
}

static json_t *
module_json(const struct api_module *am)
{
    const struct domain_module *m = am->domain;
    json_t *routes = json_array(), *jobs = json_array(), *checks = json_array();
    json_t *kinds = json_array();
    int migrations = 0;

    for (size_t i = 0; i < am->nroutes; i++)
        json_array_append_new(routes, json_pack("{s:s, s:s}", "method",
                                                http_method_name(am->routes[i].method), "path",
                                                am->routes[i].pattern));
    for (size_t i = 0; i < m->njobs; i++)
        json_array_append_new(
            jobs, json_pack("{s:s, s:i}", "name", m->jobs[i].name, "every_s", m->jobs[i].every_s));
    for (size_t i = 0; i < m->nchecks; i++)
        json_array_append_new(checks, json_pack("{s:s, s:s}", "zh", m->checks[i].what_zh, "en",
                                                m->checks[i].what_en));
    for (size_t i = 0; i < m->nkinds; i++)
        json_array_append_new(kinds, json_pack("{s:s, s:i, s:s, s:s}", "kind", m->kinds[i].kind,
                                               "version", m->kinds[i].version, "record",
                                               m->kinds[i].record, "ref", m->kinds[i].ref));
    for (int i = 0; i < db_migration_sets_count; i++)
        if (strcmp(db_migration_sets[i].module, m->name) == 0)
            migrations = db_migration_sets[i].count;
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "name", m->name,
                     "title_zh", m->title_zh, "title_en", m->title_en, "routes", routes,
                     "permissions", perms_json(m), "migrations", migrations, "jobs", jobs, "checks",
                     checks, "kinds", kinds, "workflows", workflows_json(m));
}

int
cli_modules(int argc, char **argv)
{
    struct cli_opts o;
    json_t *list;
    int rc = cli_parse(argc, argv, "modules", modules_usage, &o);

    if (rc != 0)
        return rc < 0 ? 2 : 0;
    list = json_array();
    for (size_t m = 0; m < api_modules_count; m++)
        json_array_append_new(list, module_json(api_modules[m]));
    json_dumpf(list, stdout, JSON_INDENT(2));
    printf("\n");
    json_decref(list);
    return 0;
}
