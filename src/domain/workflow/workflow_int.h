/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/workflow_int.h -- shared inside the workflow machinery. */
#ifndef DOMAIN_WORKFLOW_INT_H
#define DOMAIN_WORKFLOW_INT_H

#include "core/json.h"
#include "domain/workflow/workflow.h"

#define wf_chars(s) ((s) ? (int)json_utf8_chars(s) : 0)

/* ERR_CONFLICT: somebody changed the record since the caller read it. */
int wf_changed(const struct workflow *wf, struct err *err);

/* When a record entering 'state' at 'now' is due (0: the state has no limit). */
int64_t wf_due_at(const struct workflow *wf, const char *state, int64_t now);

/* An alert of 'kind' (notice, warning, late) about the record for the holders
 * of 'roles' whose scope holds its region. */
int wf_alert(struct db_conn *c, const struct workflow *wf, const struct wf_record *r,
             unsigned roles, const char *kind, const char *zh, const char *en, int64_t due_at,
             struct err *err);

#endif
