/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/workflow/workflow.h -- records that move through states, declared
 * as data (DESIGN.md §2). A module declares its record's states, the
 * transitions between them (from, verb, to, who may, what the step needs, how
 * people call it) and the time limits on states; one engine takes a step
 * all-or-nothing in the caller's (the writer's) transaction:
 *
 *   1. the record (as if none when the caller may not see it);
 *   2. the permission, against the record's village (and household);
 *   3. the state: a step the record's state does not allow is ERR_CONFLICT
 *      naming the state; then the version the caller read (ERR_CONFLICT);
 *   4. what the step needs: a reason, evidence, a person other than the last
 *      one, nobody of the record's household (ERR_INVALID, ERR_CONFLICT);
 *   5. the module's own rules (its 'check'), then the state and version change,
 *      its side effects (its 'apply');
 *   6. one history row (wf_events), the audit entry and the alerts the step
 *      sends; the new state's time limit counts from state_at, set with the
 *      state in 3 (no row of its own: the deadline job reads the table).
 *
 * The transition routes (POST /api/v1/<module>/<things>/{id}/<verb>), the
 * access matrix, docs/openapi.yaml and the console's state diagram all come
 * from the same tables. A record's table holds that workflow's records only,
 * with at least the columns id, state, version, village_code, updated_at and
 * state_at (when it entered its state: the module's insert sets it to the
 * creation time), an index on (state, state_at), and the household's column
 * if it names one. The engine knows no module: modules hand it their tables. */
#ifndef DOMAIN_WORKFLOW_H
#define DOMAIN_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/auth/actor.h"

struct db_conn;
struct db_rows;

#define WF_STATE_MAX 24

struct wf_state {
    const char *name;     /* "submitted" */
    const char *title_zh; /* "已申报" */
    const char *title_en; /* "submitted" */
    bool end;             /* nothing follows it */
};

/* What a step needs besides its permission (bits of wf_transition.needs). */
enum {
    WF_VERSIONED = 1 << 0,    /* the caller names the version it read */
    WF_REASON = 1 << 1,       /* a reason: wf_transition.reason says its field and words */
    WF_EVIDENCE = 1 << 2,     /* an attachment (its SHA-256) */
    WF_OTHER_PERSON = 1 << 3, /* somebody other than who took the step before */
    WF_NOT_OWN = 1 << 4,      /* nobody of the record's household (the scorer never benefits) */
    WF_VILLAGE_WIDE = 1 << 5, /* any holder of 'perm' in the village, villagers included */
};

/* A reason a step needs: the body field it comes in, its least length in
 * characters, and what a missing one is told. */
struct wf_reason {
    const char *field; /* "note", "reason" */
    int min_chars;
    const char *zh;
    const char *en;
};

struct wf_transition {
    const char *from;   /* a state */
    const char *verb;   /* the route's last segment: "review" */
    const char *choice; /* the body's yes/no that picks this row ("accept"), or NULL */
    bool when;          /* the choice's value for this row */
    const char *to;
    const char *perm; /* who may take it; NULL: only the system (a time limit) */
    unsigned needs;   /* WF_* bits */
    struct wf_reason reason;
    const char *title_zh; /* the step as people say it: "评议通过" */
    const char *title_en;
    unsigned notify;       /* roles told of the step (AUTH_ROLE bits), in the record's region */
    const char *notice_zh; /* what they are told */
    const char *notice_en;
};

/* A time limit on a state: due so long after the record enters it, with a
 * warning before; when due the system takes 'verb', or (no verb) the roles in
 * 'alert' are told that the record is late. */
struct wf_deadline {
    const char *state;
    int64_t after_ms;       /* due this long after entering the state */
    int64_t (*after)(void); /* or, when set, this long (a setting) */
    int64_t warn_ms;        /* a warning this long after entering it (0: none) */
    const char *verb;       /* the system's step when due, or NULL */
    unsigned alert;         /* roles told of the warning and the lateness (AUTH_ROLE bits) */
    const char *title_zh;   /* "积分申报待评议已超过 7 天" */
    const char *title_en;
};

/* One record as the engine sees it. */
struct wf_record {
    int64_t id;
    char state[WF_STATE_MAX];
    int64_t version;
    char region[13];
    int64_t household_id; /* 0 when records name none */
    int64_t last_user;    /* who took the step wf_apply answers (0: the system) */
};

/* What the caller gives a step. */
struct wf_input {
    int64_t version;      /* the version read (with WF_VERSIONED) */
    bool choice;          /* the value of the verb's choice, if it has one */
    const char *note;     /* a reason or a remark; may be NULL */
    const char *evidence; /* an attachment's SHA-256; may be NULL */
};

struct workflow;

/* One step being taken: the record before it, the transition, the input. */
struct wf_step {
    const struct workflow *wf;
    const struct wf_transition *t;
    struct wf_record rec; /* its state is the step's 'from' */
    const struct wf_input *in;
    int64_t due_at; /* the new state's time limit (0: none), for the module to show */
};

/* The module's own rules for a step: before the change (refuse with -ERR_*),
 * and after it (its side effects); both in the same transaction. */
typedef int (*wf_hook_fn)(struct db_conn *c, const struct actor *a, const struct wf_step *st,
                          struct err *err);

struct workflow {
    const char *module;    /* "points" */
    const char *thing;     /* "claims": the URL segment, and the history's object type */
    const char *audit;     /* the audit actions' prefix: "points.claim" */
    const char *title_zh;  /* the record as people say it: "积分申报" */
    const char *title_en;  /* "points claim" */
    const char *table;     /* "point_claims" */
    const char *household; /* its household column, or NULL */
    const char *read_perm; /* who sees a record; anyone else: as if none */
    const char *initial;   /* the state a new record starts in */
    const struct wf_state *states;
    size_t nstates;
    const struct wf_transition *transitions;
    size_t ntransitions;
    const struct wf_deadline *deadlines;
    size_t ndeadlines;
    wf_hook_fn check; /* may be NULL */
    wf_hook_fn apply; /* may be NULL */
};

/* Take step 'verb' of 'wf' on record 'id' for 'a' (a->who NULL: the system,
 * which needs no permission). The record's new state and version into 'out'
 * (may be NULL). A job: in the caller's transaction, whose failure undoes it.
 * ERR_NOT_FOUND (the record unseen or missing: the same words), ERR_FORBIDDEN,
 * ERR_CONFLICT (the state, named; a stale version; one's own household),
 * ERR_INVALID (the field the step needs). */
int wf_apply(struct db_conn *c, const struct actor *a, const struct workflow *wf, int64_t id,
             const char *verb, const struct wf_input *in, struct wf_record *out, struct err *err);

/* A record just made in 'wf->initial' (its row written by the module, with
 * state_at): its first history row. */
int wf_created(struct db_conn *c, const struct actor *a, const struct workflow *wf,
               const struct wf_record *rec, const char *note, struct err *err);

/* The record's not-found error, in the words every lookup of it uses. */
int wf_not_found(const struct workflow *wf, struct err *err);

/* One row of a record's history. */
struct wf_event {
    char from[WF_STATE_MAX];
    char to[WF_STATE_MAX];
    char verb[24];
    char by[100]; /* the account's display name; "" for the system */
    char note[800];
    int64_t at;
};
/* The record's history, oldest first, added to 'events' (items struct wf_event). */
int wf_history(struct db_conn *c, const struct workflow *wf, int64_t id, struct db_rows *events,
               struct err *err);

/* Lookups in a table: NULL when there is none. */
const struct wf_state *wf_state_named(const struct workflow *wf, const char *name);
const struct wf_deadline *wf_deadline_of(const struct workflow *wf, const char *state);

/* Is the table sound? Every state named exists, the initial one is reachable
 * to an end, every state not an end has a way out, every verb has one
 * permission and one set of needs, no two rows of a verb leave one state for
 * the same choice. 0, or -ERR_INTERNAL with what is wrong in 'err'. */
int wf_validate(const struct workflow *wf, struct err *err);

/* The scheduler's job over every registered workflow's time limits ('arg'
 * unused): the warnings due are sent; the limits due take their system step
 * or send the roles they name a "late" alert. */
int wf_deadlines_job(struct db_conn *c, void *arg, struct err *err);
/* The same at 'now' (tests); *stepped counts the system steps taken. */
int wf_deadlines_run(struct db_conn *c, int64_t now, int64_t *stepped, struct err *err);

/* Workflows known to the deadline runner and the console's diagrams: each
 * module's, registered at start (domain/module.h). */
void wf_register(const struct workflow *wf);
const struct workflow *wf_find(const char *module, const char *thing);
size_t wf_count(void);
const struct workflow *wf_at(size_t i);

#endif
