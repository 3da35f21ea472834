/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/documents.c -- every module's printable documents over HTTP
 * (domain/module.h, struct module_document): one route a document,
 * GET /api/v1/<module>/documents/<kind>/{id}, one handler for them all. The
 * module fills the document; this adds what every paper carries -- the leaf
 * of the verifiable log the record is and a short fingerprint of that leaf
 * (the first 8 bytes of its RFC 6962 hash, grouped: the print page shows it
 * under the receipt's QR code, so a reader can compare the two). */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/module.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "tlog/merkle.h"
#include "tlog/tlog.h"

#define FINGERPRINT_BYTES 8

size_t
api_document_routes(const struct domain_module *m, struct http_route *table)
{
    for (size_t i = 0; i < m->ndocuments; i++) {
        const struct module_document *d = &m->documents[i];
        struct sbuf path = SBUF_INIT, summary = SBUF_INIT;

        sbuf_addf(&path, "/api/v1/%s/documents/%s/{id}", m->name, d->kind);
        sbuf_addf(&summary, "a %s to print, with its log receipt and fingerprint (%s)", d->title_en,
                  d->title_zh);
        table[i] = (struct http_route){ HTTP_GET,
                                        sbuf_detach(&path, NULL),
                                        api_document_get,
                                        d->perm,
                                        NULL,
                                        sbuf_detach(&summary, NULL),
                                        NULL,
                                        "200 Document",
                                        NULL };
        api_route_bind(&table[i], d);
    }
    return m->ndocuments;
}

struct doc_call {
    struct api_call c; /* first */
    const struct module_document *def;
    struct document doc;
    char fingerprint[FINGERPRINT_BYTES * 2 + FINGERPRINT_BYTES / 2];
};

static void
call_release(void *state)
{
    struct doc_call *k = state;

    document_release(&k->doc);
    free(k);
}

/* "3F2A-91C0-..." from the leaf's hash. */
static void
fingerprint(const unsigned char hash[TLOG_HASH_BYTES], char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (int i = 0; i < FINGERPRINT_BYTES; i++) {
        if (i && i % 2 == 0)
            out[o++] = '-';
        out[o++] = hex[hash[i] >> 4];
        out[o++] = hex[hash[i] & 15];
    }
    out[o] = '\0';
}

static int
document_job(struct db_conn *c, void *arg, struct err *err)
{
    struct doc_call *k = arg;
    struct sbuf entry = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES], hash[TLOG_HASH_BYTES];
    int rc = k->def->render(c, &k->c.act.a, k->c.id, &k->doc, err);

    if (rc == 0 && k->doc.tlog_index >= 0)
        rc = tlog_entry(c, (uint64_t)k->doc.tlog_index, &entry, salt, err);
    if (rc == 0 && k->doc.tlog_index >= 0) {
        tlog_leaf_hash((const unsigned char *)entry.buf, entry.len, hash);
        fingerprint(hash, k->fingerprint);
    }
    sbuf_release(&entry);
    return rc;
}

static int
render_document(struct request *req, struct response *res, void *state)
{
    struct doc_call *k = state;
    const struct document *d = &k->doc;
    int en = req->en;
    struct jsonw w;

    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kstr(&w, "kind", k->def->kind);
    jsonw_kstr(&w, "title", document_text(d, d->title, en));
    jsonw_key(&w, "fields");
    jsonw_array(&w);
    for (size_t i = 0; i < d->nfields; i++) {
        jsonw_object(&w);
        jsonw_kstr(&w, "label", document_text(d, d->labels[i], en));
        jsonw_kstr(&w, "value", document_value(d, d->values[i]));
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_key(&w, "columns");
    jsonw_array(&w);
    for (size_t i = 0; i < d->ncolumns; i++)
        jsonw_str(&w, document_text(d, d->columns[i], en));
    jsonw_end_array(&w);
    jsonw_key(&w, "rows");
    jsonw_array(&w);
    for (size_t i = 0; d->ncolumns && i < d->ncells; i += d->ncolumns) {
        jsonw_array(&w);
        for (size_t j = i; j < i + d->ncolumns && j < d->ncells; j++)
            jsonw_str(&w, document_value(d, d->cells[j]));
        jsonw_end_array(&w);
    }
    jsonw_end_array(&w);
    jsonw_key(&w, "tlog_index");
    if (d->tlog_index >= 0)
        jsonw_int(&w, d->tlog_index);
    else
        jsonw_null(&w);
    jsonw_kstr(&w, "fingerprint", d->tlog_index >= 0 ? k->fingerprint : NULL);
    jsonw_kint(&w, "issued_at", d->issued_at);
    jsonw_end_object(&w);
    return 0;
}

int
api_document_get(struct request *req, struct response *res)
{
    const struct module_document *def = api_route_bound(req);
    struct doc_call *k;

    if (!def) /* a route not of the table built here: a bug */
        return api_fail(req, res, ERR_INTERNAL, NULL, "服务器内部错误", "internal server error");
    k = api_call_new(req, sizeof(*k));
    k->def = def;
    k->doc = (struct document)DOCUMENT_INIT;
    return api_read_owned(req, res, document_job, k, render_document, call_release);
}
