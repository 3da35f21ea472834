/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/board.h -- what is read out of the points module for
 * people rather than for a transaction: a village's claims (the review queue,
 * a household's own), the village publicity board of a cycle with its red and
 * black lists, the annual honours, and the reports by village. The board and
 * honours are public, as the paper board on the village wall is: names (the
 * household head's) and points only, never an ID, phone or address. */
#ifndef DOMAIN_POINTS_BOARD_H
#define DOMAIN_POINTS_BOARD_H

#include "domain/points/points.h"

#define POINTS_BOARD_RED 10 /* households on the red list */
#define POINTS_HONOUR_FAMILIES 10
#define POINTS_HONOUR_COURTYARDS 5

/* A claim with the names a list shows. */
struct claim_row {
    struct point_claim claim;
    char item_name[200];
    char household_name[100];
    char item_code[16];
    char household_no[33];
};

/* The village's claims newest first ('state' NULL for any; 'household' 0 for
 * every household a's scope holds; before 0 from the newest). A villager sees
 * only their own household's. *out malloc'd; *next the cursor or 0. */
int points_claims_list(struct db_conn *c, const struct actor *a, const char *village,
                       const char *state, int64_t household, int64_t before, int limit,
                       struct claim_row **out, size_t *n, int64_t *next, struct err *err);

struct board_household {
    int64_t household_id;
    char name[100];
    int64_t total; /* final points of the cycle */
    bool deducted; /* a deduction or veto became final in the cycle */
    char reason[200];
};

struct board_line {
    int64_t household_id;
    char item_name[200];
    int64_t points;
    char state[12]; /* publicised, objected, final */
};

struct point_board {
    char village_code[13];
    char village_name[200];
    struct point_cycle cycle;
    bool has_cycle;
    struct board_household *households; /* by total, highest first */
    size_t nhouseholds;
    struct board_line *lines; /* by household */
    size_t nlines;
};

/* The board of the village's cycle 'cycle_id' (0: the open one, else the
 * newest). Public. */
int points_board(struct db_conn *c, const char *village, int64_t cycle_id, struct point_board *out,
                 struct err *err);
void points_board_free(struct point_board *b);

struct honour_row {
    int64_t household_id;
    char name[100];
    int64_t total;
};

/* The year's honours (Jan 1 to Dec 31, China): 文明家庭, the households with
 * the most points and no deduction; 最美庭院, the most of category 积美. */
int points_honours(struct db_conn *c, const char *village, int year, struct honour_row **families,
                   size_t *nfamilies, struct honour_row **courtyards, size_t *ncourtyards,
                   struct err *err);

struct report_village {
    char code[13];
    char name[100];
    int64_t households, participating, awarded, deducted, redeemed;
};

struct report_category {
    char code[16];
    char name[64];
    int64_t awarded, deducted;
};

struct points_report {
    struct report_village *villages;
    size_t nvillages;
    struct report_category *categories;
    size_t ncategories;
    int64_t month_awarded[12], month_redeemed[12];
};

/* The year's points in the villages under 'region' (needs points.read over it). */
int points_report(struct db_conn *c, const struct actor *a, const char *region, int year,
                  struct points_report *out, struct err *err);
void points_report_free(struct points_report *r);

#endif
