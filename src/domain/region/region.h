/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/region/region.h -- administrative divisions (行政区划) and the
 * villager groups and grids below a village (DOMAIN.md §1). A region is named by
 * its 12-digit statistical code, never an integer (DESIGN.md §4); the level
 * follows from the trailing zeros and the parent shares the code's prefix to its
 * own level. Codes change over time: a retired region keeps its row with
 * valid_to and successor_code, so old records still resolve.
 *
 * Code layout (12 ASCII digits):
 *
 *   | digits | segment  | level when the rest is zero | ranges                         |
 *   |--------|----------|-----------------------------|--------------------------------|
 *   | 1-2    | province | 1 REGION_PROVINCE           | 00 is invalid                  |
 *   | 3-4    | city     | 2 REGION_CITY               | 90 = 省直辖县级行政区划         |
 *   | 5-6    | county   | 3 REGION_COUNTY             | 01-20 区, 21-80 县, 81-99 县级市 |
 *   | 7-9    | township | 4 REGION_TOWNSHIP           | 001-099 街道, 100-199 镇,       |
 *   |        |          |                             | 200-399 乡, 400-599 其他        |
 *   | 10-12  | village  | 5 REGION_VILLAGE            | 001-199 居委会, 200-399 村委会  |
 *
 * Once a segment is zero every later one must be zero too.
 *
 * Write functions (insert, rename, retire, unit insert, import, demo) run in the
 * caller's transaction, normally as a writer job (store/writer.h); none of them
 * keeps a pointer into its arguments. None is thread-safe on one connection. */
#ifndef DOMAIN_REGION_H
#define DOMAIN_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/sheet/problems.h"

struct db_conn;

#define REGION_CODE_LEN 12
#define REGION_NAME_CHARS 64 /* characters, not bytes */

enum region_level {
    REGION_PROVINCE = 1,
    REGION_CITY,
    REGION_COUNTY,
    REGION_TOWNSHIP,
    REGION_VILLAGE
};

struct region {
    char code[13];        /* 12 digits */
    char parent_code[13]; /* "" for none */
    int level;            /* enum region_level; from the code */
    char kind[16];  /* 省 市 县/县级市/区 街道 镇 乡 ... 居委会 村委会 (UTF-8) */
    char name[200]; /* UTF-8, 1..REGION_NAME_CHARS characters */
    int64_t valid_from;      /* epoch ms */
    int64_t valid_to;        /* epoch ms; 0 = current */
    char successor_code[13]; /* "" for none */
};

/* Check that 'code' is 12 ASCII digits with no non-zero segment after a zero one
 * (410100000001 is rejected) and a non-zero province; set *level (may be NULL)
 * from the trailing zeros. Returns 0 or -ERR_INVALID (field "code"). */
int region_code_parse(const char *code, int *level, struct err *err);

/* The kind a code's range implies at 'level' (see the table above): "省", "市",
 * "区"/"县"/"县级市", "街道"/"镇"/"乡"/"其他", "居委会"/"村委会"/"其他". A static
 * string; "" for a malformed code or level. */
const char *region_kind_of(const char *code, int level);

/* Digits that define the scope of a code at 'level': 2, 4, 6, 9 or 12; 0 for a
 * level out of range. */
size_t region_scope_len(int level);

/* True when both codes are well-formed and 'code' lies inside 'scope_code': it is
 * at the scope's level or below and shares its first region_scope_len digits. A
 * code is inside its own scope. */
bool region_in_scope(const char *scope_code, const char *code);

/* Insert 'r'. Checks the code (r->level, when not 0, must match it), the name,
 * the parent (a province has none; a county has a province, a city or none;
 * every other level has one exactly one level up, sharing the code's prefix,
 * already stored) and an optional successor (stored, same level). An empty
 * r->kind is filled from region_kind_of. ERR_DUPLICATE (field "code") when the
 * code exists; ERR_REFERENCE when the parent or successor does not;
 * ERR_INVALID otherwise, naming the field. */
int region_insert(struct db_conn *c, const struct region *r, struct err *err);

/* Read region 'code' into *out. ERR_NOT_FOUND (field "code") when absent,
 * ERR_INVALID when 'code' is malformed. */
int region_get(struct db_conn *c, const char *code, struct region *out, struct err *err);

/* The children of 'parent' ordered by code (NULL or "" for the top-level
 * regions). Current ones only (valid_to unset or in the future) unless
 * include_retired. *out is malloc'd, caller frees (NULL when *n is 0); both are
 * overwritten, also on failure. ERR_NOT_FOUND (field "code") when 'parent' does
 * not exist. */
int region_children(struct db_conn *c, const char *parent, bool include_retired,
                    struct region **out, size_t *n, struct err *err);

/* Set the name of 'code' (same rules as insert). ERR_NOT_FOUND when absent. */
int region_rename(struct db_conn *c, const char *code, const char *name, struct err *err);

/* Retire 'code' from 'at' (epoch ms, >= its valid_from), naming its successor
 * ("" or NULL for none; otherwise a stored region of the same level, e.g.
 * 孟津县 410322000000 -> 孟津区 410308000000 in 2021). ERR_CONFLICT when it is
 * already retired or still has current children at 'at' (codes carry their
 * parent's prefix, so the children are re-coded and retired first);
 * ERR_REFERENCE when the successor does not exist. */
int region_retire(struct db_conn *c, const char *code, const char *successor, int64_t at,
                  struct err *err);

/* A villager group (村民小组, kind "group") or grid (网格, kind "grid"). */
struct region_unit {
    int64_t id;            /* set by the store */
    char village_code[13]; /* a level-5 region */
    char kind[8];          /* "group" or "grid" */
    int number;            /* 1..999, unique per village and kind */
    char name[200];        /* UTF-8; "" on insert = 第N组 / 第N网格 */
};

/* Insert 'u' and set u->id (and u->name when it was empty). ERR_NOT_FOUND
 * (field "village_code") when the village does not exist, ERR_INVALID when it is
 * not a village or kind/number/name are bad, ERR_DUPLICATE (field "number") when
 * the village already has that kind and number. */
int region_unit_insert(struct db_conn *c, struct region_unit *u, struct err *err);

/* The units of 'village_code': groups, then grids, each by number. *out is
 * malloc'd, caller frees (NULL when *n is 0). ERR_NOT_FOUND when the village
 * does not exist. */
int region_units(struct db_conn *c, const char *village_code, struct region_unit **out, size_t *n,
                 struct err *err);

/* CSV import of a region tree, all or nothing.
 *
 * Input: UTF-8 with or without a BOM; the first non-blank record is the header.
 * Columns by header text: 代码 (or 编码, 区划代码, 统计用区划代码) and 名称 (or 区划名称)
 * are required; 上级代码 (or 上级编码) is optional -- when absent or empty the
 * parent is derived from the code (a county: its city, else its province); 类型
 * is optional -- when empty, region_kind_of. Other columns are ignored. Rows may
 * come in any order; parents are inserted first. Blank records are skipped.
 *
 * Every row is checked before anything is written: UTF-8, code format, duplicate
 * codes in the file or in the database, a parent in neither the file nor the
 * database, a parent that is not one level up or does not share the code's
 * prefix, an empty or too-long name or type. 'report' is overwritten: rows is
 * the number of data rows, inserted how many regions were written (0 unless all
 * were), problems one entry per problem in file order. A problem's row is the
 * record number counting the header as 1 (the spreadsheet row when the file
 * has no blank lines); 0 for the file as a whole. Problems stop at
 * SHEET_MAX_PROBLEMS, one at row 0 (so listed first) saying more were left out.
 *
 * Returns 0, or -ERR_INVALID when the report lists problems, -ERR_TOO_LARGE over
 * REGION_IMPORT_MAX_ROWS rows, -ERR_* from the database. Inside an open
 * transaction it uses a savepoint, otherwise its own transaction. A writer job
 * that may run twice must release the first report before the second call. */
#define REGION_IMPORT_MAX_ROWS 100000

struct region_import_report {
    int rows;                       /* data rows read */
    int inserted;                   /* regions written */
    struct sheet_problems problems; /* sorted by row; see _release */
};

int region_import_csv(struct db_conn *c, const char *data, size_t len,
                      struct region_import_report *report, struct err *err);
/* Free the problems and zero 'r'. NULL ok. */
void region_import_report_release(struct region_import_report *r);

/* The demo county 新密市: 河南省 410000000000 -> 郑州市 410100000000 -> 新密市
 * 410183000000 with its 16 townships (3 街道, 12 镇, 1 乡; codes in range, not
 * necessarily the official ones) and 'villages' (0..REGION_DEMO_MAX_VILLAGES)
 * generated 村委会 villages, spread evenly over the 镇 and 乡 with codes from 200
 * in each, deterministic names (王庄村, 李沟村 ...), each with 3-6 村民小组 and
 * 1-2 网格. Regions that already exist are kept (so a second call changes
 * nothing). *village_codes gets the village codes in code order, malloc'd,
 * caller frees; *n its length. All or nothing, as region_import_csv. */
#define REGION_DEMO_MAX_VILLAGES 2600

int region_demo_xinmi(struct db_conn *c, int villages, char (**village_codes)[13], size_t *n,
                      struct err *err);

#endif
