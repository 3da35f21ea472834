/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/table.c -- reading and judging workflow tables, and the
 * registry of every module's (filled at start, read-only after). */
#include "core/compat.h"

#include "domain/workflow/workflow.h"

#define MAX_WORKFLOWS 64

static const struct workflow *known[MAX_WORKFLOWS];
static size_t nknown;

const struct wf_state *
wf_state_named(const struct workflow *wf, const char *name)
{
    for (size_t i = 0; i < wf->nstates; i++)
        if (strcmp(wf->states[i].name, name) == 0)
            return &wf->states[i];
    return NULL;
}

const struct wf_deadline *
wf_deadline_of(const struct workflow *wf, const char *state)
{
    for (size_t i = 0; i < wf->ndeadlines; i++)
        if (strcmp(wf->deadlines[i].state, state) == 0)
            return &wf->deadlines[i];
    return NULL;
}

static int
bad(const struct workflow *wf, struct err *err, const char *what, const char *name)
{
    return err_set(err, ERR_INTERNAL, "", "流程表 %s.%s 有误:%s %s",
                   "the workflow table %s.%s is wrong: %s %s", wf->module, wf->thing, what, name);
}

static bool
same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every row of a verb agrees on who and what; no two leave a state for one choice. */
static int
verbs_agree(const struct workflow *wf, struct err *err)
{
    for (size_t i = 0; i < wf->ntransitions; i++)
        for (size_t j = 0; j < i; j++) {
            const struct wf_transition *a = &wf->transitions[i], *b = &wf->transitions[j];

            if (strcmp(a->verb, b->verb) != 0)
                continue;
            if (!same_str(a->perm, b->perm) || !same_str(a->choice, b->choice) ||
                (a->needs & ~(unsigned)WF_REASON) != (b->needs & ~(unsigned)WF_REASON))
                return bad(wf, err, "a verb's rows differ in who may or what they need:", a->verb);
            if (strcmp(a->from, b->from) == 0 && (!a->choice || a->when == b->when))
                return bad(wf, err, "two rows leave one state by", a->verb);
            if ((a->needs & b->needs & WF_REASON) && strcmp(a->reason.field, b->reason.field) != 0)
                return bad(wf, err, "a verb's reasons come in different fields:", a->verb);
        }
    return 0;
}

/* Every state reachable from the initial one, and every one not an end has a way out. */
static int
reachable(const struct workflow *wf, struct err *err)
{
    bool seen[64] = { false };
    bool grew = true;

    if (wf->nstates > ARRAY_LEN(seen))
        return bad(wf, err, "too many states", "");
    seen[wf_state_named(wf, wf->initial) - wf->states] = true;
    while (grew) {
        grew = false;
        for (size_t i = 0; i < wf->ntransitions; i++) {
            const struct wf_transition *t = &wf->transitions[i];
            size_t from = (size_t)(wf_state_named(wf, t->from) - wf->states);
            size_t to = (size_t)(wf_state_named(wf, t->to) - wf->states);

            if (seen[from] && !seen[to])
                grew = seen[to] = true;
        }
    }
    for (size_t s = 0; s < wf->nstates; s++) {
        bool out = false;

        if (!seen[s])
            return bad(wf, err, "a state nothing reaches:", wf->states[s].name);
        for (size_t i = 0; i < wf->ntransitions && !out; i++)
            out = strcmp(wf->transitions[i].from, wf->states[s].name) == 0;
        if (out == wf->states[s].end)
            return bad(wf, err,
                       out ? "an end state with a way out:" : "a dead end:", wf->states[s].name);
    }
    return 0;
}

int
wf_validate(const struct workflow *wf, struct err *err)
{
    if (!wf->module || !wf->thing || !wf->table || !wf->read_perm || !wf->audit || !wf->title_zh ||
        !wf->title_en || !wf->initial || !wf_state_named(wf, wf->initial))
        return bad(wf, err, "a name is missing or the initial state unknown", "");
    for (size_t i = 0; i < wf->ntransitions; i++) {
        const struct wf_transition *t = &wf->transitions[i];

        if (!wf_state_named(wf, t->from) || !wf_state_named(wf, t->to))
            return bad(wf, err, "a transition names an unknown state:", t->verb);
        if (!t->title_zh || !t->title_en)
            return bad(wf, err, "a step without its title:", t->verb);
        if ((t->needs & WF_REASON) && (!t->reason.field || !t->reason.zh || !t->reason.en))
            return bad(wf, err, "a reason without its field or words:", t->verb);
        if (t->notify && (!t->notice_zh || !t->notice_en))
            return bad(wf, err, "a notice without its words:", t->verb);
    }
    for (size_t i = 0; i < wf->ndeadlines; i++) {
        const struct wf_deadline *d = &wf->deadlines[i];
        const struct wf_transition *t = NULL;

        for (size_t j = 0; j < wf->ntransitions && d->verb && !t; j++)
            if (strcmp(wf->transitions[j].verb, d->verb) == 0 &&
                strcmp(wf->transitions[j].from, d->state) == 0)
                t = &wf->transitions[j];
        if (!wf_state_named(wf, d->state) || (d->verb && !t) || !d->title_zh || !d->title_en ||
            (!d->verb && !d->alert))
            return bad(wf, err, "a time limit is wrong on", d->state);
    }
    return verbs_agree(wf, err) < 0 ? -ERR_INTERNAL : reachable(wf, err);
}

void
wf_register(const struct workflow *wf)
{
    struct err e = ERR_INIT;

    for (size_t i = 0; i < nknown; i++)
        if (known[i] == wf)
            return;
    INVARIANT(nknown < MAX_WORKFLOWS);
    if (wf_validate(wf, &e) < 0) /* a broken table is a bug: never serve it */
        invariant_failed(e.en, __FILE__, __LINE__);
    known[nknown++] = wf;
}

const struct workflow *
wf_find(const char *module, const char *thing)
{
    for (size_t i = 0; i < nknown; i++)
        if (strcmp(known[i]->module, module) == 0 && strcmp(known[i]->thing, thing) == 0)
            return known[i];
    return NULL;
}

size_t
wf_count(void)
{
    return nknown;
}

const struct workflow *
wf_at(size_t i)
{
    return i < nknown ? known[i] : NULL;
}
