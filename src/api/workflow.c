/* SPDX-License-Identifier: Apache-2.0 */
/* src/api/workflow.c -- workflows over HTTP (api/module.h: struct
 * api_workflow): from each table, one route per verb a person may take,
 * POST /api/v1/<module>/<things>/{id}/<verb>, with the body its steps need
 * (the version read, the verb's yes/no, the reason, evidence); one handler
 * takes every such step through the engine and answers the record as its
 * module writes it. And GET /api/v1/workflows: every table, for the console's
 * state diagrams and for anyone who wants to know how a matter goes. */
#include "core/compat.h"

#include "api/api.h"
#include "api/call.h"
#include "api/module.h"
#include "core/jsonw.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/workflow/workflow.h"

#define WF_NOTE_CHARS 200

/* A generated route: which workflow, which verb, and where its body says
 * the verb's yes/no and its reason. */
struct wf_route {
    const struct http_route *route; /* in the route table */
    const struct api_workflow *aw;
    const char *verb;
    const char *choice; /* or NULL */
    const char *note;   /* the reason's field, "note" when no row needs one */
};

/* The first row of each verb a person may take, in table order. */
static bool
first_of_verb(const struct workflow *wf, size_t i)
{
    if (!wf->transitions[i].perm)
        return false;
    for (size_t j = 0; j < i; j++)
        if (strcmp(wf->transitions[j].verb, wf->transitions[i].verb) == 0)
            return false;
    return true;
}

/* The reason a verb's rows ask for (wf_validate: one field for a verb), and
 * whether every row does. */
static const struct wf_reason *
verb_reason(const struct workflow *wf, const char *verb, bool *every)
{
    const struct wf_reason *reason = NULL;

    *every = true;
    for (size_t i = 0; i < wf->ntransitions; i++) {
        const struct wf_transition *t = &wf->transitions[i];

        if (strcmp(t->verb, verb) != 0)
            continue;
        if (t->needs & WF_REASON)
            reason = &t->reason;
        else
            *every = false;
    }
    return reason;
}

/* The body a verb takes: what any of its rows needs; a reason is required
 * when every row needs one. */
static const struct json_schema *
verb_schema(const struct workflow *wf, const struct wf_transition *v)
{
    struct json_field *f = xcalloc(4, sizeof(*f));
    struct json_schema *s = xcalloc(1, sizeof(*s));
    bool every;
    const struct wf_reason *reason = verb_reason(wf, v->verb, &every);
    size_t n = 0;

    if (v->needs & WF_VERSIONED)
        f[n++] = (struct json_field){ "version", JSON_KIND_INT, true, 1, INT64_MAX, NULL };
    if (v->choice)
        f[n++] = (struct json_field){ v->choice, JSON_KIND_BOOL, true, 0, 0, NULL };
    f[n++] = (struct json_field){
        reason ? reason->field : "note",         JSON_KIND_STRING, reason && every,
        reason && every ? reason->min_chars : 0, WF_NOTE_CHARS,    NULL
    };
    if (v->needs & WF_EVIDENCE)
        f[n++] = (struct json_field){ "evidence", JSON_KIND_STRING, true, 64, 64, NULL };
    *s = (struct json_schema){ f, n };
    return s;
}

size_t
api_workflow_routes(const struct api_workflow *aw, struct http_route *table)
{
    const struct workflow *wf = aw->wf;
    size_t n = 0;

    for (size_t i = 0; i < wf->ntransitions; i++) {
        const struct wf_transition *v = &wf->transitions[i];
        struct sbuf path = SBUF_INIT, summary = SBUF_INIT;

        if (!first_of_verb(wf, i))
            continue;
        sbuf_addf(&path, "/api/v1/%s/%s/{id}/%s", wf->module, wf->thing, v->verb);
        sbuf_addf(&summary, "%s: %s (%s)", wf->title_en, v->title_en, wf->title_zh);
        bool every;
        const struct wf_reason *reason = verb_reason(wf, v->verb, &every);

        table[n] = (struct http_route){ HTTP_POST,
                                        sbuf_detach(&path, NULL),
                                        api_wf_step,
                                        v->perm,
                                        verb_schema(wf, v),
                                        sbuf_detach(&summary, NULL),
                                        NULL,
                                        aw->answer,
                                        NULL };
        struct wf_route *r = xmalloc(sizeof(*r));

        *r =
            (struct wf_route){ &table[n], aw, v->verb, v->choice, reason ? reason->field : "note" };
        api_route_bind(&table[n], r);
        n++;
    }
    return n;
}

size_t
api_workflow_route_count(const struct api_workflow *aw)
{
    size_t n = 0;

    for (size_t i = 0; i < aw->wf->ntransitions; i++)
        n += first_of_verb(aw->wf, i);
    return n;
}

/* One step, as the writer runs it (again from the request's copy on a rerun). */
struct step_call {
    struct api_actor act;
    const struct wf_route *r;
    int64_t id;
    struct wf_input in;
    char note[4 * WF_NOTE_CHARS + 1];
    char evidence[65];
    void *record; /* the module's struct, r->aw->size bytes */
};

static int
step_job(struct db_conn *c, void *arg, struct err *err)
{
    struct step_call *k = arg;
    int rc = wf_apply(c, &k->act.a, k->r->aw->wf, k->id, k->r->verb, &k->in, NULL, err);

    return rc < 0 ? rc : k->r->aw->read(c, k->id, k->record, err);
}

static int
render_step(struct request *req, struct response *res, void *state)
{
    struct step_call *k = state;
    struct jsonw w;

    (void)req;
    jsonw_init(&w, response_json_body(res, 200));
    k->r->aw->json(&w, k->record);
    return 0;
}

static void
step_release(void *state)
{
    struct step_call *k = state;

    free(k->record);
    free(k);
}

int
api_wf_step(struct request *req, struct response *res)
{
    const struct wf_route *r = api_route_bound(req);
    struct step_call *k;
    const char *note, *evidence;

    if (!r) /* a route not of the table built here: a bug */
        return api_fail(req, res, ERR_INTERNAL, NULL, "服务器内部错误", "internal server error");
    note = api_str(req, r->note);
    evidence = api_str(req, "evidence");
    k = xcalloc(1, sizeof(*k));
    api_actor_init(&k->act, req);
    k->r = r;
    k->id = api_param_id(req, "id");
    k->record = xcalloc(1, r->aw->size);
    snprintf(k->note, sizeof(k->note), "%s", note ? note : "");
    snprintf(k->evidence, sizeof(k->evidence), "%s", evidence ? evidence : "");
    k->in = (struct wf_input){ .version = api_int(req, "version", 0),
                               .choice =
                                   r->choice && json_is_true(json_object_get(req->body, r->choice)),
                               .note = k->note,
                               .evidence = k->evidence };
    return api_write_owned(req, res, step_job, k, render_step, step_release);
}

/* --- GET /api/v1/workflows --- */

static json_t *
needs_json(unsigned needs)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = { { WF_VERSIONED, "version" },         { WF_REASON, "reason" },
                  { WF_EVIDENCE, "evidence" },         { WF_OTHER_PERSON, "other_person" },
                  { WF_NOT_OWN, "not_own_household" }, { WF_VILLAGE_WIDE, "village_wide" } };
    json_t *a = json_array();

    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (needs & names[i].bit)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

static json_t *
roles_json(unsigned roles)
{
    json_t *a = json_array();

    for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++)
        if (roles & AUTH_ROLE(r))
            json_array_append_new(a, json_string(role_name(r)));
    return a;
}

static json_t *
transitions_json(const struct workflow *wf)
{
    json_t *a = json_array();

    for (size_t i = 0; i < wf->ntransitions; i++) {
        const struct wf_transition *t = &wf->transitions[i];

        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s?, s:o, s:s, s:s, s:o}", "from", t->from,
                         "verb", t->verb, "choice", t->choice, "when", t->when, "to", t->to, "perm",
                         t->perm, "needs", needs_json(t->needs), "title_zh", t->title_zh,
                         "title_en", t->title_en, "notify", roles_json(t->notify)));
    }
    return a;
}

static json_t *
deadlines_json(const struct workflow *wf)
{
    json_t *a = json_array();

    for (size_t i = 0; i < wf->ndeadlines; i++) {
        const struct wf_deadline *d = &wf->deadlines[i];
        int64_t after = d->after ? d->after() : d->after_ms;

        json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:s?, s:o, s:s, s:s}", "state",
                                           d->state, "after_s", (json_int_t)(after / 1000),
                                           "warn_s", (json_int_t)(d->warn_ms / 1000), "verb",
                                           d->verb, "alert", roles_json(d->alert), "title_zh",
                                           d->title_zh, "title_en", d->title_en));
    }
    return a;
}

static json_t *
workflow_json(const struct workflow *wf)
{
    json_t *states = json_array();

    for (size_t i = 0; i < wf->nstates; i++)
        json_array_append_new(states, json_pack("{s:s, s:s, s:s, s:b}", "name", wf->states[i].name,
                                                "title_zh", wf->states[i].title_zh, "title_en",
                                                wf->states[i].title_en, "end", wf->states[i].end));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "module", wf->module, "thing",
                     wf->thing, "title_zh", wf->title_zh, "title_en", wf->title_en, "initial",
                     wf->initial, "states", states, "transitions", transitions_json(wf),
                     "deadlines", deadlines_json(wf));
}

int
api_workflows(struct request *req, struct response *res)
{
    json_t *list = json_array();

    for (size_t i = 0; i < wf_count(); i++)
        json_array_append_new(list, workflow_json(wf_at(i)));
    (void)req;
    api_json(res, 200, json_pack("{s:o}", "workflows", list));
    res->cache_control = "public, max-age=300";
    return 0;
}
