/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/households.c -- households and persons: list, search, read with
 * masked members, create, change, move, add a member, and the audited reveal of
 * one sensitive value. Scope checks happen in the domain calls. */
#include "core/compat.h"

#include <sodium.h>

#include "api/api.h"
#include "api/call.h"
#include "api/decode.h"
#include "core/blobcache.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "domain/registry/household.h"

struct hh_call {
    struct principal who;
    char rid[24];
    struct actor a;
    struct household asked; /* what the request asks for (writes); never changed by a job */
    struct household h;     /* the household as the job leaves it */
    struct person *members;
    size_t nmembers;
    struct person_input in;
    int64_t person_version; /* a person's update: the version it saw */
    char person_status[12]; /* "" keeps it */
    struct person p;
    char to_village[13];
    char reason[400];
    char field[16]; /* a reveal: "id_number" or "phone" */
    char purpose[800];
    char revealed[24];
    struct household_filter f;
    char f_region[13], f_name[100], f_id[24];
    struct household *rows;
    struct person_row *person_rows;
    size_t nrows;
    struct blob_cache *members_cache;
    struct sbuf members_json; /* the members as JSON, when the cache had them */
    bool store_members;       /* read from a snapshot: keep the rendering */
};

/* Each write's body fields into their members of struct hh_call. */
#define HH(member, field) API_MEMBER(struct hh_call, member, field, 0)

static const struct api_member create_members[] = {
    HH(asked.village_code, "village_code"),
    HH(asked.household_no, "household_no"),
    HH(asked.address, "address"),
    HH(asked.group_id, "group_id"),
};
static const struct api_member update_members[] = {
    HH(asked.version, "version"),
    HH(asked.household_no, "household_no"),
    HH(asked.address, "address"),
    HH(asked.group_id, "group_id"),
};
static const struct api_member move_members[] = {
    HH(to_village, "to_village"),
    HH(asked.household_no, "household_no"),
    HH(reason, "reason"),
};
static const struct api_member person_members[] = {
    HH(in.name, "name"),   HH(in.relation, "relation"),     HH(in.id_number, "id_number"),
    HH(in.sex, "sex"),     HH(in.birth_date, "birth_date"), HH(in.phone, "phone"),
    HH(in.flags, "flags"),
};
static const struct api_member person_update_members[] = {
    HH(person_version, "version"), HH(in.name, "name"),         HH(in.relation, "relation"),
    HH(in.phone, "phone"),         HH(person_status, "status"), HH(in.flags, "flags"),
};
static const struct api_member reveal_members[] = {
    HH(field, "field"),
    HH(purpose, "purpose"),
};

static void
copy_opt(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Reads keep the state on the stack; writes hand a heap copy to the writer. */
static void
call_init(struct hh_call *k, const struct request *req)
{
    memset(k, 0, sizeof(*k));
    k->who = *api_principal(req);
    snprintf(k->rid, sizeof(k->rid), "%s", req->rid);
    k->members_cache = ((struct api_ctx *)req->app)->members;
    sbuf_init(&k->members_json, 0);
}

/* What a state owns besides itself: the members list and their JSON. */
static void
drop_members(struct hh_call *k)
{
    free(k->members);
    k->members = NULL;
    k->nmembers = 0;
    sbuf_release(&k->members_json);
    k->store_members = false;
}

static void
call_release(void *state)
{
    struct hh_call *k = state;

    drop_members(k);
    sodium_memzero(&k->in, sizeof(k->in)); /* a typed ID number or phone */
    sodium_memzero(k->revealed, sizeof(k->revealed));
    free(k);
}

/* A write of 'k' whose body 'members' decode. */
static int
write_hh(struct request *req, struct response *res, struct hh_call *k,
         const struct api_member *members, size_t n, domain_job_fn job, api_render_fn render)
{
    return api_write_decoded(req, res, k, k, members, n, job, render, call_release);
}

static struct hh_call *
call_new(const struct request *req)
{
    struct hh_call *k = xmalloc(sizeof(*k));

    call_init(k, req);
    return k;
}

/* Point the actor at the state's own copies: valid wherever the state moves. */
static struct actor *
actor_of(struct hh_call *k, const struct request *req)
{
    k->a = (struct actor){ &k->who, k->rid, ((struct api_ctx *)req->app)->keys };
    return &k->a;
}

/* The household's own fields, inside an object the caller opened. */
static void
household_fields_json(struct jsonw *w, const struct household *h)
{
    jsonw_kint(w, "id", h->id);
    jsonw_kstr(w, "village_code", h->village_code);
    jsonw_kstr(w, "household_no", h->household_no);
    jsonw_kstr(w, "address", h->address);
    jsonw_kstr(w, "status", h->status);
    jsonw_kint(w, "version", h->version);
    jsonw_kint(w, "created_at", h->created_at);
    jsonw_kint(w, "updated_at", h->updated_at);
    jsonw_kref(w, "group_id", h->group_id);
    jsonw_kref(w, "head_person_id", h->head_person_id);
}

/* A person's fields, inside an object the caller opened: the masked ID number
 * and phone, never the plain values. */
static void
person_fields_json(struct jsonw *w, const struct person *p)
{
    jsonw_kint(w, "id", p->id);
    jsonw_kint(w, "household_id", p->household_id);
    jsonw_kstr(w, "village_code", p->village_code);
    jsonw_kstr(w, "name", p->name);
    jsonw_kstr(w, "sex", p->sex);
    jsonw_kstr(w, "birth_date", p->birth_date);
    jsonw_kstr(w, "relation", p->relation);
    jsonw_kstr(w, "id_number", p->id_mask);
    jsonw_kstr(w, "phone", p->phone_mask);
    jsonw_kint(w, "flags", p->flags);
    jsonw_kstr(w, "status", p->status);
    jsonw_kint(w, "version", p->version);
}

static void
person_json(struct jsonw *w, const struct person *p)
{
    jsonw_object(w);
    person_fields_json(w, p);
    jsonw_end_object(w);
}

static int
render_person(struct request *req, struct response *res, void *state)
{
    struct jsonw w;

    jsonw_init(&w, api_answer_body(req, res));
    person_json(&w, &((struct hh_call *)state)->p);
    return 0;
}

/* --- read one household with its members --- */

/* The members of k->h: their JSON from the members cache when it has them,
 * else the rows (whose rendering is kept afterwards when they come from a read
 * snapshot, i.e. committed data). Jobs may run twice: start afresh. */
static int
load_members(struct db_conn *c, struct hh_call *k, bool snapshot, struct err *err)
{
    struct blob_key key = { k->h.id, k->h.created_at, k->h.members_version };

    drop_members(k);
    if (blob_cache_copy(k->members_cache, &key, &k->members_json))
        return 0;
    k->store_members = snapshot;
    return household_members(c, &k->a, &k->h, &k->members, &k->nmembers, err);
}

static int
get_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;
    int rc = household_get(c, &k->a, k->h.id, &k->h, err);

    return rc < 0 ? rc : load_members(c, k, true, err);
}

static void
members_json(struct jsonw *w, struct hh_call *k)
{
    struct blob_key key = { k->h.id, k->h.created_at, k->h.members_version };
    size_t start;

    jsonw_key(w, "members");
    if (k->members_json.len) {
        jsonw_raw(w, k->members_json.buf, k->members_json.len);
        return;
    }
    start = w->out->len;
    jsonw_array(w);
    for (size_t i = 0; i < k->nmembers; i++)
        person_json(w, &k->members[i]);
    jsonw_end_array(w);
    if (k->store_members && !w->out->failed)
        blob_cache_put(k->members_cache, &key, w->out->buf + start, w->out->len - start);
}

static int
render_household(struct request *req, struct response *res, void *state)
{
    struct hh_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, api_answer_body(req, res));
    jsonw_object(&w);
    household_fields_json(&w, &k->h);
    members_json(&w, k);
    jsonw_end_object(&w);
    return 0;
}

int
api_household_get(struct request *req, struct response *res)
{
    struct hh_call k;

    int rc;

    call_init(&k, req);
    actor_of(&k, req);
    k.h.id = api_param_id(req, "id");
    rc = api_read(req, res, get_job, &k, render_household);
    drop_members(&k);
    return rc;
}

/* --- create, update, move --- */

static int
create_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;
    int rc;

    k->h = k->asked; /* a job may run twice: start from the request each time */
    rc = household_create(c, &k->a, &k->h, err);

    return rc < 0 ? rc : load_members(c, k, false, err);
}

int
api_household_create(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    return write_hh(req, res, k, create_members, ARRAY_LEN(create_members), create_job,
                    render_household);
}

static int
update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;
    int rc;

    k->h = k->asked; /* a job may run twice: start from the request each time */
    rc = household_update(c, &k->a, &k->h, err);

    return rc < 0 ? rc : load_members(c, k, false, err);
}

int
api_household_update(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    k->asked.id = api_param_id(req, "id");
    return write_hh(req, res, k, update_members, ARRAY_LEN(update_members), update_job,
                    render_household);
}

static int
move_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;
    int rc = household_move(c, &k->a, k->asked.id, k->to_village, k->asked.household_no, k->reason,
                            &k->h, err);

    return rc < 0 ? rc : load_members(c, k, false, err);
}

int
api_household_move(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    k->asked.id = api_param_id(req, "id");
    return write_hh(req, res, k, move_members, ARRAY_LEN(move_members), move_job, render_household);
}

/* --- members --- */

static int
person_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;

    return person_add(c, &k->a, k->h.id, &k->in, &k->p, err);
}

int
api_person_add(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    k->h.id = api_param_id(req, "id");
    return write_hh(req, res, k, person_members, ARRAY_LEN(person_members), person_job,
                    render_person);
}

static int
reveal_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;

    return person_reveal(c, &k->a, k->p.id, k->field, k->purpose, k->revealed, sizeof(k->revealed),
                         err);
}

static int
render_reveal(struct request *req, struct response *res, void *state)
{
    struct hh_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_kint(&w, "person_id", k->p.id);
    jsonw_kstr(&w, "field", k->field);
    jsonw_kstr(&w, "value", k->revealed);
    jsonw_end_object(&w);
    return 0;
}

int
api_person_reveal(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    k->p.id = api_param_id(req, "id");
    return write_hh(req, res, k, reveal_members, ARRAY_LEN(reveal_members), reveal_job,
                    render_reveal);
}

/* --- list and search --- */

static int
list_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;

    return household_list(c, &k->a, &k->f, &k->rows, &k->nrows, err);
}

/* {"items":[...],"next_after":id}: 'item' writes row i's fields and returns
 * its id. */
typedef int64_t (*item_fields_fn)(struct jsonw *w, const struct hh_call *k, size_t i);

static int
render_items(struct response *res, const struct hh_call *k, item_fields_fn item)
{
    struct jsonw w;
    int64_t last = 0;

    jsonw_init(&w, response_json_body(res, 200));
    jsonw_object(&w);
    jsonw_key(&w, "items");
    jsonw_array(&w);
    for (size_t i = 0; i < k->nrows; i++) {
        jsonw_object(&w);
        last = item(&w, k, i);
        jsonw_end_object(&w);
    }
    jsonw_end_array(&w);
    jsonw_kint(&w, "next_after", last);
    jsonw_end_object(&w);
    return 0;
}

static int64_t
household_item(struct jsonw *w, const struct hh_call *k, size_t i)
{
    household_fields_json(w, &k->rows[i]);
    return k->rows[i].id;
}

static int
render_list(struct request *req, struct response *res, void *state)
{
    struct hh_call *k = state;

    (void)req;
    render_items(res, k, household_item);
    free(k->rows);
    return 0;
}

/* --- persons: list and search, the same filters --- */

static int
person_list_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;

    return person_list(c, &k->a, &k->f, &k->person_rows, &k->nrows, err);
}

static int64_t
person_item(struct jsonw *w, const struct hh_call *k, size_t i)
{
    person_fields_json(w, &k->person_rows[i].p);
    jsonw_kstr(w, "household_no", k->person_rows[i].household_no);
    return k->person_rows[i].p.id;
}

static int
render_person_list(struct request *req, struct response *res, void *state)
{
    struct hh_call *k = state;

    (void)req;
    render_items(res, k, person_item);
    free(k->person_rows);
    return 0;
}

/* A list of households or of persons ('persons'), by the same filter. */
static int
list_with(struct request *req, struct response *res, struct hh_call *k, bool persons,
          const char *region, const char *name, const char *id_number, int64_t after, int64_t limit)
{
    copy_opt(k->f_region, sizeof(k->f_region), region);
    copy_opt(k->f_name, sizeof(k->f_name), name);
    copy_opt(k->f_id, sizeof(k->f_id), id_number);
    k->f = (struct household_filter){ k->f_region, k->f_name, k->f_id, after, (int)limit };
    actor_of(k, req);
    return persons ? api_read(req, res, person_list_job, k, render_person_list)
                   : api_read(req, res, list_job, k, render_list);
}

/* GET: region and name from the query string. */
static int
list_by_query(struct request *req, struct response *res, bool persons)
{
    struct hh_call k;

    call_init(&k, req);
    return list_with(req, res, &k, persons, request_query(req, "region"),
                     request_query(req, "name"), NULL, api_query_int(req, "after", 0),
                     api_query_int(req, "limit", 50));
}

/* Search by ID number is a POST: the number must never appear in a URL, and so
 * never in an access log. */
static int
list_by_body(struct request *req, struct response *res, bool persons)
{
    struct hh_call k;
    int rc;

    call_init(&k, req);
    rc = list_with(req, res, &k, persons, api_str(req, "region"), api_str(req, "name"),
                   api_str(req, "id_number"), api_int(req, "after", 0), api_int(req, "limit", 50));
    sodium_memzero(k.f_id, sizeof(k.f_id));
    return rc;
}

int
api_household_list(struct request *req, struct response *res)
{
    return list_by_query(req, res, false);
}

int
api_household_search(struct request *req, struct response *res)
{
    return list_by_body(req, res, false);
}

int
api_person_list(struct request *req, struct response *res)
{
    return list_by_query(req, res, true);
}

int
api_person_search(struct request *req, struct response *res)
{
    return list_by_body(req, res, true);
}

static int
person_update_job(struct db_conn *c, void *arg, struct err *err)
{
    struct hh_call *k = arg;

    return person_update(c, &k->a, k->p.id, k->person_version, &k->in, k->person_status, &k->p,
                         err);
}

int
api_person_update(struct request *req, struct response *res)
{
    struct hh_call *k = call_new(req);

    actor_of(k, req);
    k->p.id = api_param_id(req, "id");
    return write_hh(req, res, k, person_update_members, ARRAY_LEN(person_update_members),
                    person_update_job, render_person);
}
