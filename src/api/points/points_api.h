/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/points/points_api.h -- private to points over HTTP: the handlers
 * its route table names (routes.c), and the JSON of items and entries,
 * written the same way wherever they are answered. */
#ifndef API_POINTS_POINTS_API_H
#define API_POINTS_POINTS_API_H

#include "core/jsonw.h"
#include "domain/points/points.h"
#include "http/http.h"

void points_item_json(struct jsonw *w, const struct point_item *it);
/* A claim (struct point_claim) as every answer writes it. */
void points_claim_json(struct jsonw *w, const void *claim);
/* "entries": [...] of a household, newest first. */
void points_entries_json(struct jsonw *w, const struct point_entry *entries, size_t n);

/* Points (claims.c). */
int api_points_village(struct request *req, struct response *res);
int api_points_publicise(struct request *req, struct response *res);
int api_points_claim_create(struct request *req, struct response *res);
int api_points_claim_get(struct request *req, struct response *res);
int api_points_household(struct request *req, struct response *res);
int api_points_me(struct request *req, struct response *res);
int api_points_adopt(struct request *req, struct response *res);
int api_points_cycle_open(struct request *req, struct response *res);
int api_points_cycle_close(struct request *req, struct response *res);
int api_points_reverse(struct request *req, struct response *res);
/* Spending points (shop.c). */
int api_points_outlets(struct request *req, struct response *res);
int api_points_outlets_mine(struct request *req, struct response *res);
int api_points_outlet_create(struct request *req, struct response *res);
int api_points_goods_create(struct request *req, struct response *res);
int api_points_goods_update(struct request *req, struct response *res);
int api_points_paycode(struct request *req, struct response *res);
int api_points_redeem(struct request *req, struct response *res);
int api_points_my_redemptions(struct request *req, struct response *res);
int api_points_household_redemptions(struct request *req, struct response *res);
int api_points_outlet_redemptions(struct request *req, struct response *res);
int api_points_statement(struct request *req, struct response *res);
/* Points for people (board.c) and the templates (scheme.c). */
int api_points_claims(struct request *req, struct response *res);
int api_points_my_claims(struct request *req, struct response *res);
int api_points_board(struct request *req, struct response *res);
int api_points_honours(struct request *req, struct response *res);
int api_points_report(struct request *req, struct response *res);
int api_points_schemes(struct request *req, struct response *res);
int api_points_scheme_get(struct request *req, struct response *res);
int api_points_item_create(struct request *req, struct response *res);
int api_points_item_update(struct request *req, struct response *res);

#endif
