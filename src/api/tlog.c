/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/tlog.c -- the verifiable log over HTTP, public and without login
 * (C2SP tlog-tiles, tlog-checkpoint, tlog-proof): the newest checkpoint, the
 * verifier key, hash tiles and entry bundles, inclusion and consistency proofs
 * as JSON, and a receipt per leaf; plus signing a checkpoint on demand (the
 * operator). Everything immutable is cached for a year. */
#include "core/compat.h"

#include <sodium.h>

#include "api/api.h"
#include "api/call.h"
#include "core/blobcache.h"
#include "core/jsonw.h"
#include "core/qr.h"
#include "core/xalloc.h"
#include "tlog/receipt.h"
#include "tlog/tlog.h"

#define IMMUTABLE "public, max-age=31536000, immutable"

struct tlog_call {
    const struct tlog_skey *key;
    struct sbuf out;  /* the note, tile or entry the job read */
    uint64_t a, b;    /* index and size, old and new, tile index */
    int level, width; /* a tile */
    unsigned char root[TLOG_HASH_BYTES];
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES];
    size_t nproof;
};

static void
call_init(struct tlog_call *k)
{
    memset(k, 0, sizeof(*k));
    sbuf_init(&k->out, 0);
}

/* A query or path number: plain decimal, no sign, no leading zeros. */
static bool
parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 18 || (n > 1 && s[0] == '0') || strspn(s, "0123456789") != n)
        return false;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    *out = v;
    return true;
}

static int
bad_number(struct request *req, struct response *res, const char *field)
{
    return api_fail(req, res, ERR_INVALID, field, "应为非负整数（不带前导零）",
                    "must be a non-negative integer without leading zeros");
}

static void
add_b64(struct sbuf *out, const unsigned char *bytes, size_t len)
{
    char b64[sodium_base64_ENCODED_LEN(TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(b64, sizeof(b64), bytes, len, sodium_base64_VARIANT_ORIGINAL);
    sbuf_adds(out, b64);
}

/* Text or bytes the job left in k->out, as the answer. */
static int
render_out(struct response *res, struct tlog_call *k, const char *type, const char *cache)
{
    struct sbuf *body = response_body(res, 200, type);

    sbuf_add(body, k->out.buf, k->out.len);
    res->cache_control = cache;
    sbuf_release(&k->out);
    return 0;
}

/* --- the checkpoint and the key --- */

static int
latest_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;

    return tlog_checkpoint_latest(c, &k->out, &k->a, err);
}

static int
render_checkpoint(struct request *req, struct response *res, void *state)
{
    (void)req;
    /* Mutable: a few seconds at most (c2sp.org/tlog-tiles). */
    return render_out(res, state, "text/plain; charset=utf-8", "public, max-age=2");
}

int
api_tlog_checkpoint(struct request *req, struct response *res)
{
    struct tlog_call k;
    int rc;

    call_init(&k);
    rc = api_read(req, res, latest_job, &k, render_checkpoint);
    sbuf_release(&k.out); /* what a failed job read */
    return rc;
}

int
api_tlog_vkey(struct request *req, struct response *res)
{
    const struct api_ctx *ctx = req->app;

    response_text(res, 200, "text/plain; charset=utf-8", ctx->log_vkey);
    sbuf_addc(&res->body, '\n');
    res->cache_control = "public, max-age=86400";
    return 0;
}

/* --- tiles --- */

static int
tile_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;

    return tlog_tile(c, k->level, k->a, k->width, &k->out, err);
}

/* A tile's place in its cache: index, level (-1 for entries), width. */
static struct blob_key
tile_key(const struct tlog_call *k)
{
    return (struct blob_key){ (int64_t)k->a, k->level, k->width };
}

/* Hash tiles (8 KiB) and entry bundles (up to ~64 KiB) keep apart. */
static struct blob_cache *
tile_cache(const struct request *req, const struct tlog_call *k)
{
    const struct api_ctx *ctx = req->app;

    return k->level < 0 ? ctx->bundles : ctx->tiles;
}

static int
render_tile(struct request *req, struct response *res, void *state)
{
    struct tlog_call *k = state;
    struct blob_key key = tile_key(k);

    /* A full tile never changes: keep it. (Partial ones are few and brief.) */
    if (k->width == TLOG_TILE_WIDTH)
        blob_cache_put(tile_cache(req, k), &key, k->out.buf, k->out.len);
    return render_out(res, state, "application/octet-stream", IMMUTABLE);
}

int
api_tlog_tile(struct request *req, struct response *res)
{
    struct tlog_call k;
    struct blob_key key;
    struct err e = ERR_INIT;
    int rc;

    call_init(&k);
    if (tlog_tile_path_parse(request_param(req, "path"), &k.level, &k.a, &k.width, &e) < 0)
        return response_error(res, req, &e);
    key = tile_key(&k);
    if (k.width == TLOG_TILE_WIDTH &&
        blob_cache_copy(tile_cache(req, &k), &key,
                        response_body(res, 200, "application/octet-stream"))) {
        res->cache_control = IMMUTABLE;
        return 0;
    }
    rc = api_read(req, res, tile_job, &k, render_tile);
    sbuf_release(&k.out); /* what a failed job read */
    return rc;
}

/* --- proofs --- */

static int
inclusion_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;
    struct tlog_hashes h = tlog_db_hashes(c);
    int rc = tlog_tree_hash(&h, k->b, k->root, err);

    return rc < 0 ? rc : tlog_inclusion_proof(&h, k->a, k->b, k->proof, &k->nproof, err);
}

static int
consistency_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;
    struct tlog_hashes h = tlog_db_hashes(c);
    int rc = tlog_tree_hash(&h, k->b, k->root, err);

    return rc < 0 ? rc : tlog_consistency_proof(&h, k->a, k->b, k->proof, &k->nproof, err);
}

/* {"<ka>":a,"<kb>":b,"root":...,"proof":[...]}: the root is that of the tree of b. */
static void
proof_json(struct sbuf *out, const struct tlog_call *k, const char *ka, const char *kb)
{
    struct jsonw w;
    struct sbuf b64 = SBUF_INIT;

    jsonw_init(&w, out);
    jsonw_object(&w);
    jsonw_kint(&w, ka, (int64_t)k->a);
    jsonw_kint(&w, kb, (int64_t)k->b);
    add_b64(&b64, k->root, TLOG_HASH_BYTES);
    jsonw_kstr(&w, "root", b64.buf);
    jsonw_key(&w, "proof");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nproof; i++) {
        sbuf_reset(&b64);
        add_b64(&b64, k->proof + i * TLOG_HASH_BYTES, TLOG_HASH_BYTES);
        jsonw_str(&w, b64.buf);
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    sbuf_release(&b64);
}

static int
render_inclusion(struct request *req, struct response *res, void *state)
{
    (void)req;
    proof_json(response_json_body(res, 200), state, "index", "size");
    res->cache_control = IMMUTABLE;
    return 0;
}

static int
render_consistency(struct request *req, struct response *res, void *state)
{
    (void)req;
    proof_json(response_json_body(res, 200), state, "old", "new");
    res->cache_control = IMMUTABLE;
    return 0;
}

int
api_tlog_inclusion(struct request *req, struct response *res)
{
    struct tlog_call k;
    int rc;

    call_init(&k);
    if (!parse_u64(request_query(req, "index"), &k.a))
        return bad_number(req, res, "index");
    if (!parse_u64(request_query(req, "size"), &k.b))
        return bad_number(req, res, "size");
    rc = api_read(req, res, inclusion_job, &k, render_inclusion);
    sbuf_release(&k.out); /* what a failed job read */
    return rc;
}

int
api_tlog_consistency(struct request *req, struct response *res)
{
    struct tlog_call k;
    int rc;

    call_init(&k);
    if (!parse_u64(request_query(req, "old"), &k.a))
        return bad_number(req, res, "old");
    if (!parse_u64(request_query(req, "new"), &k.b))
        return bad_number(req, res, "new");
    rc = api_read(req, res, consistency_job, &k, render_consistency);
    sbuf_release(&k.out); /* what a failed job read */
    return rc;
}

/* --- receipts (c2sp.org/tlog-proof) --- */

/* The newest checkpoint must hold the leaf; then the leaf and its proof there. */
static int
receipt_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;
    struct tlog_hashes h = tlog_db_hashes(c);
    struct sbuf entry = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES];
    int rc = tlog_checkpoint_latest(c, &k->out, &k->b, err);

    if (rc == 0 && k->a >= k->b)
        rc = err_set(err, ERR_NOT_FOUND, "index", "这一条还没有签入检查点，请稍后再试",
                     "that entry is not in a signed checkpoint yet; try again shortly");
    if (rc == 0)
        rc = tlog_entry(c, k->a, &entry, salt, err);
    if (rc == 0)
        rc = tlog_inclusion_proof(&h, k->a, k->b, k->proof, &k->nproof, err);
    if (rc == 0) { /* k->out held the checkpoint; now the receipt around it */
        struct sbuf text = SBUF_INIT;

        tlog_receipt_format(entry.buf, entry.len, k->a, k->proof, k->nproof, k->out.buf, k->out.len,
                            &text);
        sbuf_release(&k->out);
        k->out = text;
    }
    sodium_memzero(salt, sizeof(salt));
    sbuf_release(&entry);
    return rc;
}

static int
render_receipt(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_out(res, state, "text/plain; charset=utf-8", "public, max-age=60");
}

int
api_tlog_receipt(struct request *req, struct response *res)
{
    struct tlog_call k;
    int rc;

    call_init(&k);
    if (!parse_u64(request_param(req, "index"), &k.a))
        return bad_number(req, res, "index");
    rc = api_read(req, res, receipt_job, &k, render_receipt);
    sbuf_release(&k.out); /* what a failed job read */
    return rc;
}

/* The same receipt as a QR code (SVG) for a phone to show or a page to print;
 * the portal's /verify page reads it back. */
static int
receipt_qr_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;
    struct sbuf svg = SBUF_INIT;
    int rc = receipt_job(c, arg, err);

    if (rc == 0)
        rc = qr_svg(k->out.buf, k->out.len, &svg, err);
    sbuf_release(&k->out);
    k->out = svg;
    return rc;
}

static int
render_receipt_qr(struct request *req, struct response *res, void *state)
{
    (void)req;
    return render_out(res, state, "image/svg+xml", "public, max-age=60");
}

int
api_tlog_receipt_qr(struct request *req, struct response *res)
{
    struct tlog_call k;
    int rc;

    call_init(&k);
    if (!parse_u64(request_param(req, "index"), &k.a))
        return bad_number(req, res, "index");
    rc = api_read(req, res, receipt_qr_job, &k, render_receipt_qr);
    sbuf_release(&k.out);
    return rc;
}

/* --- signing on demand --- */

static int
sign_job(struct db_conn *c, void *arg, struct err *err)
{
    struct tlog_call *k = arg;

    sbuf_reset(&k->out);
    return tlog_checkpoint_sign(c, k->key, &k->out, err);
}

static int
render_signed(struct request *req, struct response *res, void *state)
{
    const struct tlog_call *k = state;

    (void)req;
    sbuf_add(response_body(res, 200, "text/plain; charset=utf-8"), k->out.buf, k->out.len);
    return 0;
}

static void
release_sign(void *state)
{
    struct tlog_call *k = state;

    sbuf_release(&k->out);
    free(k);
}

int
api_tlog_sign(struct request *req, struct response *res)
{
    struct tlog_call *k = xmalloc(sizeof(*k));

    call_init(k);
    k->key = ((const struct api_ctx *)req->app)->log_key;
    return api_write_owned(req, res, sign_job, k, render_signed, release_sign);
}

/* --- witnesses' cosignatures --- */

struct cosig_call {
    const struct tlog_vkey *witnesses;
    int nwitnesses;
    struct sbuf accepted;
    size_t len;
    char note[]; /* the posted note */
};

static int
cosig_job(struct db_conn *c, void *arg, struct err *err)
{
    struct cosig_call *k = arg;

    sbuf_reset(&k->accepted);
    return tlog_cosignatures_add(c, k->witnesses, k->nwitnesses, k->note, k->len, &k->accepted,
                                 err);
}

static int
render_cosig(struct request *req, struct response *res, void *state)
{
    struct cosig_call *k = state;
    struct jsonw w;
    const char *p = k->accepted.buf;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "accepted");
    jsonw_array(&w);
    while (*p) {
        size_t n = strcspn(p, "\n");
        struct sbuf name = SBUF_INIT;

        sbuf_add(&name, p, n);
        jsonw_str(&w, name.buf);
        sbuf_release(&name);
        p += n + (p[n] == '\n');
    }
    jsonw_end_array(&w);
    jsonw_end_object(&w);
    return 0;
}

static void
release_cosig(void *state)
{
    struct cosig_call *k = state;

    sbuf_release(&k->accepted);
    free(k);
}

int
api_tlog_cosign(struct request *req, struct response *res)
{
    const struct api_ctx *ctx = req->app;
    struct cosig_call *k;

    if (ctx->nwitnesses == 0)
        return api_fail(req, res, ERR_FORBIDDEN, "note", "本日志没有登记见证方",
                        "this log has no configured witnesses");
    if (req->raw_len > TLOG_NOTE_MAX)
        return api_fail(req, res, ERR_TOO_LARGE, "note", "联署的检查点太大",
                        "the cosigned checkpoint is too large");
    k = xmalloc(sizeof(*k) + req->raw_len + 1);
    k->witnesses = ctx->witnesses;
    k->nwitnesses = ctx->nwitnesses;
    sbuf_init(&k->accepted, 0);
    k->len = req->raw_len;
    memcpy(k->note, req->raw, req->raw_len);
    k->note[k->len] = '\0';
    return api_write_owned(req, res, cosig_job, k, render_cosig, release_cosig);
}
