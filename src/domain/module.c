/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/module.c -- see module.h. */
#include "core/compat.h"

#include "domain/module.h"

void
domain_module_register(const struct domain_module *m, const struct module_settings *s)
{
    auth_rules_add(m->perms, m->nperms);
    for (size_t i = 0; i < m->nworkflows; i++)
        wf_register(m->workflows[i]);
    if (s && m->configure)
        m->configure(s);
}
