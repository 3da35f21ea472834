/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/sheets.h -- the spreadsheets points declares (module.c):
 * a template's items (?scheme=ID) and a village's claims (?village=CODE). */
#ifndef DOMAIN_POINTS_SHEETS_H
#define DOMAIN_POINTS_SHEETS_H

#include "domain/sheet/import.h"
#include "domain/sheet/writer.h"

/* 类别代码, 类别, 编码, 名称, 分值, 每期上限, 需佐证, 一票否决 */
extern const struct sheet_spec points_items_sheet;
int points_items_import_row(struct db_conn *c, const struct actor *a, const char *target,
                            const struct sheet_row *row, struct err *err);
int points_items_export(struct db_conn *c, const struct actor *a, const char *target,
                        struct sheet_writer *w, struct err *err);

/* 户号, 户主, 项目编码, 项目名称, 分值, 说明, 状态, 申报日期 */
extern const struct sheet_spec points_claims_sheet;
int points_claims_import_row(struct db_conn *c, const struct actor *a, const char *village,
                             const struct sheet_row *row, struct err *err);
int points_claims_export(struct db_conn *c, const struct actor *a, const char *village,
                         struct sheet_writer *w, struct err *err);

#endif
