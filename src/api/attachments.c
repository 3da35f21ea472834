/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/attachments.c -- evidence photos (domain/attach/attach.h). An upload
 * is the raw image as the body, whatever image type the client names: the
 * bytes are judged, cleaned and stored on the slow-work pool (hashing 5 MiB and
 * an fsync are no work for an I/O thread), and the file is on disk before its
 * row is queued for the writer. A photo is served by its hash, to those who may
 * see it; its bytes never change, so the browser may keep it. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "core/xalloc.h"
#include "domain/attach/attach.h"

struct upload_call {
    const char *data_dir;
    struct attach_meta meta;
};

/* On the slow-work pool, the request suspended (its body stays with it). */
static int
upload_prepare(struct request *req, void *state, struct err *err)
{
    struct upload_call *k = state;
    struct attach_image img;
    int rc = attach_clean(req->raw, req->raw_len, &img, err);

    if (rc == 0)
        rc = attach_store(k->data_dir, img.data, img.len, k->meta.sha256, err);
    k->meta.type = img.type;
    k->meta.bytes = (int64_t)img.len;
    k->meta.width = img.width;
    k->meta.height = img.height;
    attach_image_release(&img);
    return rc;
}

static int
upload_job(struct db_conn *c, void *arg, struct err *err)
{
    struct upload_call *k = arg;

    return attach_record(c, &k->meta, err);
}

static int
upload_render(struct request *req, struct response *res, void *state)
{
    struct upload_call *k = state;
    char location[20 + ATTACH_HEX_CHARS + 1];

    (void)req;
    snprintf(location, sizeof(location), "/api/v1/attachments/%s", k->meta.sha256);
    response_header(res, "Location", location);
    return api_json(res, 201,
                    json_pack("{s:s, s:s, s:I, s:I, s:I}", "sha256", k->meta.sha256, "mime",
                              attach_mime(k->meta.type), "bytes", (json_int_t)k->meta.bytes,
                              "width", (json_int_t)k->meta.width, "height",
                              (json_int_t)k->meta.height));
}

int
api_attachment_create(struct request *req, struct response *res)
{
    struct api_ctx *ctx = req->app;
    const struct principal *who = api_principal(req);
    struct upload_call *k;
    struct err e = ERR_INIT;

    if (req->raw_len > ATTACH_MAX_BYTES)
        return api_fail(req, res, ERR_TOO_LARGE, "file", "图片不能超过 5 MB",
                        "an image may be at most 5 MiB");
    k = xcalloc(1, sizeof(*k));
    k->data_dir = ctx->data_dir;
    k->meta.uploaded_by = who->user_id;
    if (attach_upload_region(who, request_query(req, "region"), k->meta.region_code, &e) < 0) {
        free(k);
        return response_error(res, req, &e);
    }
    return api_slow_write(req, res, upload_prepare, upload_job, k, upload_render);
}

struct get_call {
    const struct principal *who;
    const char *sha256;
    struct attach_meta meta;
};

static int
get_job(struct db_conn *c, void *arg, struct err *err)
{
    struct get_call *k = arg;

    return attach_get(c, k->who, k->sha256, &k->meta, err);
}

static int
get_render(struct request *req, struct response *res, void *state)
{
    struct get_call *k = state;
    struct api_ctx *ctx = req->app;
    struct err e = ERR_INIT;
    struct sbuf *body = response_body(res, 200, attach_mime(k->meta.type));

    if (attach_load(ctx->data_dir, k->meta.sha256, k->meta.bytes, body, &e) < 0)
        return response_error(res, req, &e);
    res->cache_control = "private, max-age=31536000, immutable";
    response_header(res, "Content-Disposition", "inline");
    return 0;
}

int
api_attachment_get(struct request *req, struct response *res)
{
    struct get_call k = { .who = api_principal(req), .sha256 = request_param(req, "sha256") };

    return api_read(req, res, get_job, &k, get_render);
}
