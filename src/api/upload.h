/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/upload.h -- an uploaded spreadsheet imported as a task, the same for
 * the household roster (transfer.c) and every module's sheet (sheets.c): the
 * request is answered at once with the task to poll; on the slow-work pool the
 * bytes are decoded (UTF-8 or GBK, or an .xlsx workbook), the import's own
 * 'parse' checks every row, its 'apply' writes them in ONE writer job, and the
 * task ends with its report -- or the error and the report. The upload is
 * wiped when done (it may hold ID numbers). */
#ifndef API_UPLOAD_H
#define API_UPLOAD_H

#include <jansson.h>

#include "api/call.h"
#include "domain/sheet/sheet.h"

struct api_ctx;
struct task;

struct api_import_ops {
    const char *kind; /* the task's kind: "household.import" */
    /* Check the decoded rows into the state (no database). */
    int (*parse)(void *state, const char *utf8, size_t len, struct import_progress *progress,
                 struct err *err);
    domain_job_fn apply; /* its 'arg' is the state */
    json_t *(*report)(const void *state);
    void (*release)(void *state); /* what parse and apply made; not the state itself */
};

/* The head of an import's state (its first member). */
struct api_upload {
    struct api_actor act;
    const struct api_import_ops *ops;
    struct api_ctx *ctx;
    struct task *task;
    char charset[24];
    char *data; /* a copy of the upload */
    size_t len;
};

/* Start 'state' (malloc'd, its head zeroed; the caller filled the rest) as
 * the task its ops describe: 202 with the task, or the error; either way the
 * state is no longer the caller's. */
int api_import_start(struct request *req, struct response *res, struct api_upload *state,
                     const struct api_import_ops *ops);

#endif
