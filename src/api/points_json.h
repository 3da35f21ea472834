/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points_json.h -- the JSON of points items and entries, written the
 * same way wherever they are answered (points.c, points_scheme.c,
 * points_shop.c). */
#ifndef API_POINTS_JSON_H
#define API_POINTS_JSON_H

#include "core/jsonw.h"
#include "domain/points/points.h"

void points_item_json(struct jsonw *w, const struct point_item *it);
/* "entries": [...] of a household, newest first. */
void points_entries_json(struct jsonw *w, const struct point_entry *entries, size_t n);

#endif
