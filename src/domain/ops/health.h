/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/ops/health.h -- readiness: can the platform take work right now? */
#ifndef DOMAIN_OPS_HEALTH_H
#define DOMAIN_OPS_HEALTH_H

#include "core/err.h"

struct db;
struct writer;

/* 0 when a read connection answers a query and the writer queue is under three
 * quarters full; else ERR_UNAVAILABLE / ERR_BUSY saying which. */
int health_ready(struct db *db, struct writer *w, struct err *err);

#endif
