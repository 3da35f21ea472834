/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points_json.h -- the JSON of a points item, written the same way
 * wherever an item is answered (points.c, points_scheme.c). */
#ifndef API_POINTS_JSON_H
#define API_POINTS_JSON_H

#include "core/jsonw.h"
#include "domain/points/points.h"

void points_item_json(struct jsonw *w, const struct point_item *it);

#endif
