/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_workflow.c -- the workflow engine (domain/workflow) on a real
 * database, once per backend. The state machines DOMAIN.md §3-§10 describes
 * are declared here as tables -- disclosure, 四议两公开, disputes, proxy
 * services, inspection findings, issue referrals, ceremony reports, circle
 * posts -- to show the engine expresses each: every table is sound
 * (wf_validate), and each is walked along its main path on a real table. Then
 * what every step checks: the state (409 naming it), the version, the
 * permission and the scope (a record unseen is as if none), a reason, a second
 * person, nobody of the record's household, village-wide steps; the history,
 * time limits (warnings, a system step when due, a late alert), and the
 * inbox: alerts by role and region, unread counts, marking read. */
#include "core/compat.h"

#include <criterion/criterion.h>

#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/region/region.h"
#include "domain/workflow/alerts.h"
#include "domain/workflow/workflow.h"
#include "store/db.h"
#include "testdb.h"

#define R(role) AUTH_ROLE(role)
#define DAY (86400000LL)
#define ANYONE                                                                                     \
    (R(ROLE_COUNTY_ADMIN) | R(ROLE_TOWNSHIP_STAFF) | R(ROLE_VILLAGE_CADRE) | R(ROLE_SUPERVISOR) |  \
     R(ROLE_MEDIATOR) | R(ROLE_AGENT) | R(ROLE_VILLAGER))

static const struct auth_rule rules[] = {
    { "wft.read", ANYONE },
    { "wft.cadre", R(ROLE_VILLAGE_CADRE) | R(ROLE_TOWNSHIP_STAFF) },
    { "wft.committee", R(ROLE_SUPERVISOR) },
    { "wft.township", R(ROLE_TOWNSHIP_STAFF) },
    { "wft.mediator", R(ROLE_MEDIATOR) | R(ROLE_TOWNSHIP_STAFF) },
    { "wft.agent", R(ROLE_AGENT) },
    { "wft.villager", R(ROLE_VILLAGER) | R(ROLE_SUPERVISOR) },
};

static struct db *db;
static struct db_conn *conn;
static char (*villages)[13];
static size_t nvillages;
static struct principal cadre, cadre2, other_cadre, supervisor, township, mediator, agent, villager,
    neighbour;

/* --- the tables (DOMAIN.md) --- */

#define S(n, zh)                                                                                   \
    {                                                                                              \
        n, zh, n, false                                                                            \
    }
#define END(n, zh)                                                                                 \
    {                                                                                              \
        n, zh, n, true                                                                             \
    }
#define T(f, v, t, p)                                                                              \
    {                                                                                              \
        f, v, NULL, false, t, p, 0, { 0 }, v, v, 0, NULL, NULL                                     \
    }
#define TN(f, v, t, p, n)                                                                          \
    {                                                                                              \
        f, v, NULL, false, t, p, n, { 0 }, v, v, 0, NULL, NULL                                     \
    }
#define TR(f, v, t, p)                                                                             \
    {                                                                                              \
        f, v, NULL, false, t, p, WF_REASON, REASON, v, v, 0, NULL, NULL                            \
    }
#define REASON                                                                                     \
    {                                                                                              \
        "reason", 2, "请写明理由", "give the reason"                                               \
    }
#define TABLE(name, init, st, tr)                                                                  \
    {                                                                                              \
        .module = "wft", .thing = name, .audit = "wft." name, .title_zh = name, .title_en = name,  \
        .table = "wf_test", .household = "household_id", .read_perm = "wft.read", .initial = init, \
        .states = st, .nstates = ARRAY_LEN(st), .transitions = tr, .ntransitions = ARRAY_LEN(tr)   \
    }

/* §4 村务公开: transmit -> review -> publish, returned at each review, the
 * township 农经站 for finance items, corrections republished. */
static const struct wf_state disclosure_states[] = {
    S("draft", "草稿"),          S("submitted", "已提交"),    S("approved", "村两委已审"),
    S("reviewed", "监委会已签"), S("verified", "农经站已审"), S("published", "已公开"),
    S("returned", "退回"),       S("correction", "待更正"),   END("archived", "已归档"),
};
static const struct wf_transition disclosure_steps[] = {
    T("draft", "submit", "submitted", "wft.cadre"),
    T("submitted", "approve", "approved", "wft.cadre"),
    TR("submitted", "return", "returned", "wft.cadre"),
    TN("approved", "sign", "reviewed", "wft.committee", WF_OTHER_PERSON | WF_VERSIONED),
    TR("approved", "committee_return", "returned", "wft.committee"),
    T("reviewed", "verify", "verified", "wft.township"),
    TR("reviewed", "township_return", "returned", "wft.township"),
    T("reviewed", "publish", "published", "wft.cadre"),
    T("verified", "publish", "published", "wft.cadre"),
    T("returned", "resubmit", "submitted", "wft.cadre"),
    TR("published", "correct", "correction", "wft.villager"),
    T("correction", "republish", "published", "wft.cadre"),
    T("published", "archive", "archived", "wft.cadre"),
};

/* §3 四议两公开: proposal, joint deliberation, party meeting, villagers'
 * resolution, the resolution published, the result published. */
static const struct wf_state sixi_states[] = {
    S("proposed", "村党组织提议"),
    S("deliberated", "村两委商议"),
    S("party_reviewed", "党员大会审议"),
    S("resolved", "村民会议决议"),
    S("resolution_public", "决议公开"),
    END("result_public", "实施结果公开"),
    END("failed", "未通过"),
};
static const struct wf_transition sixi_steps[] = {
    T("proposed", "deliberate", "deliberated", "wft.cadre"),
    T("deliberated", "review", "party_reviewed", "wft.cadre"),
    TR("deliberated", "drop", "failed", "wft.cadre"),
    T("party_reviewed", "resolve", "resolved", "wft.cadre"),
    TR("party_reviewed", "drop", "failed", "wft.cadre"),
    T("resolved", "publish", "resolution_public", "wft.cadre"),
    T("resolution_public", "report", "result_public", "wft.cadre"),
};

/* §5 disputes: found -> triaged -> guided / mediating / transferred;
 * mediating -> agreed -> performing -> performed -> closed, or terminated, refused. */
static const struct wf_state dispute_states[] = {
    S("found", "发现"),        S("triaged", "研判"),       END("guided", "引导他处"),
    S("mediating", "调解中"),  END("transferred", "移交"), S("agreed", "达成协议"),
    S("performing", "履行中"), S("performed", "已履行"),   END("closed", "结案"),
    END("terminated", "终止"), END("refused", "拒绝调解"),
};
static const struct wf_transition dispute_steps[] = {
    T("found", "triage", "triaged", "wft.mediator"),
    T("triaged", "guide", "guided", "wft.mediator"),
    T("triaged", "mediate", "mediating", "wft.mediator"),
    TR("triaged", "transfer", "transferred", "wft.mediator"),
    TR("mediating", "transfer", "transferred", "wft.mediator"),
    T("mediating", "agree", "agreed", "wft.mediator"),
    TR("mediating", "terminate", "terminated", "wft.mediator"),
    TR("mediating", "refuse", "refused", "wft.mediator"),
    T("agreed", "perform", "performing", "wft.mediator"),
    T("performing", "performed", "performed", "wft.mediator"),
    T("performed", "close", "closed", "wft.mediator"),
};

/* §6 proxy services: received -> materials complete -> submitted upward ->
 * result returned -> delivered -> closed, or returned for materials. */
static const struct wf_state proxy_states[] = {
    S("received", "已受理"),           S("complete", "材料齐全"),
    S("submitted", "已上报"),          S("returned_result", "结果已返回"),
    S("delivered", "已送达"),          END("closed", "办结"),
    S("need_materials", "退回补材料"),
};
static const struct wf_transition proxy_steps[] = {
    T("received", "check", "complete", "wft.agent"),
    TR("received", "ask", "need_materials", "wft.agent"),
    T("need_materials", "check", "complete", "wft.agent"),
    T("complete", "submit", "submitted", "wft.agent"),
    T("submitted", "result", "returned_result", "wft.agent"),
    T("returned_result", "deliver", "delivered", "wft.agent"),
    T("delivered", "close", "closed", "wft.agent"),
};

/* §7 inspection findings: rectification with evidence, verification, a
 * follow-up round (回头看). */
static const struct wf_state finding_states[] = {
    S("found", "发现问题"),  S("rectifying", "整改中"),   S("rectified", "已整改"),
    S("verified", "已验收"), END("closed", "回头看通过"), END("transferred", "移交纪委"),
};
static const struct wf_transition finding_steps[] = {
    T("found", "assign", "rectifying", "wft.township"),
    TR("found", "transfer", "transferred", "wft.township"),
    TN("rectifying", "report", "rectified", "wft.cadre", WF_EVIDENCE),
    T("rectified", "verify", "verified", "wft.township"),
    TR("rectified", "reject", "rectifying", "wft.township"),
    T("verified", "follow_up", "closed", "wft.township"),
};

/* §7 issue referral ("1+N"): collect -> classify -> review -> refer -> supervise -> feedback. */
static const struct wf_state referral_states[] = {
    S("collected", "收集"), S("classified", "分类"), S("reviewed", "审核"),
    S("referred", "转办"),  S("supervised", "督办"), END("answered", "反馈"),
};
static const struct wf_transition referral_steps[] = {
    T("collected", "classify", "classified", "wft.cadre"),
    T("classified", "review", "reviewed", "wft.cadre"),
    T("reviewed", "refer", "referred", "wft.township"),
    T("referred", "supervise", "supervised", "wft.township"),
    T("supervised", "answer", "answered", "wft.township"),
};

/* §10 ceremony reports to the 红白理事会: reported -> plan agreed -> held ->
 * verified (compliant or not) -> closed. */
static const struct wf_state ceremony_states[] = {
    S("reported", "已报备"), S("agreed", "方案已定"),     S("held", "已举办"),
    S("compliant", "合规"),  S("noncompliant", "不合规"), END("closed", "已办结"),
};
static const struct wf_transition ceremony_steps[] = {
    T("reported", "agree", "agreed", "wft.cadre"),
    T("agreed", "hold", "held", "wft.villager"),
    { "held",
      "verify",
      "compliant",
      true,
      "compliant",
      "wft.committee",
      0,
      { 0 },
      "verify",
      "verify",
      0,
      NULL,
      NULL },
    { "held", "verify", "compliant", false, "noncompliant", "wft.committee", WF_REASON, REASON,
      "verify", "verify", 0, NULL, NULL },
    T("compliant", "close", "closed", "wft.cadre"),
    T("noncompliant", "close", "closed", "wft.cadre"),
};

/* §8 the villagers' circle: a post reported, then hidden or restored. */
static const struct wf_state post_states[] = {
    S("posted", "已发布"),
    S("reported", "被举报"),
    END("hidden", "已隐藏"),
};
static const struct wf_transition post_steps[] = {
    { "posted", "report", NULL, false, "reported", "wft.villager", WF_VILLAGE_WIDE | WF_REASON,
      REASON, "report", "report", R(ROLE_VILLAGE_CADRE), "有帖子被举报", "a post was reported" },
    T("reported", "restore", "posted", "wft.cadre"),
    T("reported", "hide", "hidden", "wft.cadre"),
};

static const struct workflow domain_tables[] = {
    TABLE("disclosure", "draft", disclosure_states, disclosure_steps),
    TABLE("sixi", "proposed", sixi_states, sixi_steps),
    TABLE("dispute", "found", dispute_states, dispute_steps),
    TABLE("proxy", "received", proxy_states, proxy_steps),
    TABLE("finding", "found", finding_states, finding_steps),
    TABLE("referral", "collected", referral_states, referral_steps),
    TABLE("ceremony", "reported", ceremony_states, ceremony_steps),
    TABLE("post", "posted", post_states, post_steps),
};

/* --- fixture --- */

static void
principal_init(struct principal *p, int64_t id, int role, const char *scope, int64_t household)
{
    memset(p, 0, sizeof(*p));
    p->user_id = id;
    snprintf(p->username, sizeof(p->username), "u%" PRId64, id);
    p->roles[0] = (struct auth_binding){ role, "", household };
    snprintf(p->roles[0].scope, sizeof(p->roles[0].scope), "%s", scope);
    p->nroles = 1;
}

static void
setup(void)
{
    struct err err = ERR_INIT;

    testdb_open("workflow", &db, &conn);
    auth_rules_add(rules, ARRAY_LEN(rules));
    cr_assert_eq(region_demo_xinmi(conn, 4, &villages, &nvillages, &err), 0, "%s", err.en);
    cr_assert_eq(db_exec(conn,
                         "CREATE TABLE wf_test (id BIGINT PRIMARY KEY, state TEXT NOT NULL,"
                         " version BIGINT NOT NULL, village_code TEXT NOT NULL,"
                         " household_id BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
                         " state_at BIGINT NOT NULL)",
                         &err),
                 0, "%s", err.en);
    principal_init(&cadre, 1, ROLE_VILLAGE_CADRE, villages[0], 0);
    principal_init(&cadre2, 2, ROLE_VILLAGE_CADRE, villages[0], 0);
    principal_init(&other_cadre, 3, ROLE_VILLAGE_CADRE, villages[1], 0);
    principal_init(&supervisor, 4, ROLE_SUPERVISOR, villages[0], 0);
    principal_init(&township, 5, ROLE_TOWNSHIP_STAFF, "410183100000", 0);
    principal_init(&mediator, 6, ROLE_MEDIATOR, villages[0], 0);
    principal_init(&agent, 7, ROLE_AGENT, villages[0], 0);
    principal_init(&villager, 8, ROLE_VILLAGER, villages[0], 100);
    principal_init(&neighbour, 9, ROLE_VILLAGER, villages[0], 200);
}

static void
teardown(void)
{
    free(villages);
    testdb_close(db, conn);
}

TestSuite(workflow, .init = setup, .fini = teardown);

static int64_t next_id = 1;

/* A record of 'wf' in its initial state, of village 0 and household 100. */
static struct wf_record
record_of(const struct workflow *wf)
{
    struct err err = ERR_INIT;
    struct wf_record r = { .id = next_id++, .version = 1, .household_id = 100 };
    char sql[256];

    snprintf(r.state, sizeof(r.state), "%s", wf->initial);
    snprintf(r.region, sizeof(r.region), "%s", villages[0]);
    snprintf(sql, sizeof(sql),
             "INSERT INTO wf_test (id, state, version, village_code, household_id, updated_at,"
             " state_at) VALUES (%lld, '%s', 1, '%s', 100, 0, %lld)",
             (long long)r.id, wf->initial, villages[0], (long long)clock_now_ms());
    cr_assert_eq(db_exec(conn, sql, &err), 0, "%s", err.en);
    cr_assert_eq(wf_created(conn, &(struct actor){ 0 }, wf, &r, "", &err), 0, "%s", err.en);
    return r;
}

static const struct principal *
someone_for(const char *perm)
{
    static const struct principal *all[] = { &cadre,    &supervisor, &township,
                                             &mediator, &agent,      &villager };

    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        if (auth_object_may(all[i], perm, villages[0], 100))
            return all[i];
    cr_assert_fail("nobody holds %s", perm);
    return NULL;
}

/* Take 'verb' as whoever may; returns the state reached. */
static const char *
take(const struct workflow *wf, struct wf_record *r, const char *verb, bool choice)
{
    static struct wf_record out;
    struct err err = ERR_INIT;
    const struct wf_transition *t = NULL;

    for (size_t i = 0; i < wf->ntransitions && !t; i++)
        if (strcmp(wf->transitions[i].verb, verb) == 0)
            t = &wf->transitions[i];
    cr_assert_not_null(t, "%s has no verb %s", wf->thing, verb);
    cr_assert_eq(wf_apply(conn, &(struct actor){ someone_for(t->perm), "test", NULL }, wf, r->id,
                          verb,
                          &(struct wf_input){ .version = r->version,
                                              .choice = choice,
                                              .note = "因为如此",
                                              .evidence = "0123456789abcdef0123456789abcdef"
                                                          "0123456789abcdef0123456789abcdef" },
                          &out, &err),
                 0, "%s %s: %s", wf->thing, verb, err.en);
    *r = out;
    return out.state;
}

Test(workflow, every_domain_table_is_sound)
{
    for (size_t i = 0; i < ARRAY_LEN(domain_tables); i++) {
        struct err err = ERR_INIT;

        cr_assert_eq(wf_validate(&domain_tables[i], &err), 0, "%s", err.en);
    }
}

Test(workflow, each_domain_table_walks_its_main_path)
{
    static const struct {
        size_t table;
        const char *verbs[8];
        const char *end;
    } paths[] = {
        { 0,
          { "submit", "approve", "sign", "verify", "publish", "correct", "republish" },
          "published" },
        { 1, { "deliberate", "review", "resolve", "publish", "report" }, "result_public" },
        { 2, { "triage", "mediate", "agree", "perform", "performed", "close" }, "closed" },
        { 3, { "ask", "check", "submit", "result", "deliver", "close" }, "closed" },
        { 4, { "assign", "report", "reject", "report", "verify", "follow_up" }, "closed" },
        { 5, { "classify", "review", "refer", "supervise", "answer" }, "answered" },
        { 6, { "agree", "hold", "verify", "close" }, "closed" },
        { 7, { "report", "restore", "report", "hide" }, "hidden" },
    };

    for (size_t p = 0; p < ARRAY_LEN(paths); p++) {
        const struct workflow *wf = &domain_tables[paths[p].table];
        struct wf_record r = record_of(wf);
        const char *state = wf->initial;

        for (size_t v = 0; v < ARRAY_LEN(paths[p].verbs) && paths[p].verbs[v]; v++)
            state = take(wf, &r, paths[p].verbs[v], true);
        cr_assert_str_eq(state, paths[p].end, "%s", wf->thing);
    }
}

Test(workflow, a_step_the_state_does_not_allow_is_409_naming_it)
{
    const struct workflow *wf = &domain_tables[2]; /* disputes */
    struct wf_record r = record_of(wf);
    struct err err = ERR_INIT;

    cr_assert_eq(wf_apply(conn, &(struct actor){ &mediator, "t", NULL }, wf, r.id, "close",
                          &(struct wf_input){ .version = 1 }, NULL, &err),
                 -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "state");
    cr_assert(strstr(err.en, "'found'"), "%s", err.en);
    cr_assert(strstr(err.zh, "发现"), "%s", err.zh);
}

Test(workflow, scope_permission_reason_version_and_people)
{
    const struct workflow *wf = &domain_tables[0]; /* disclosure */
    struct wf_record r = record_of(wf);
    struct err err = ERR_INIT;
    struct wf_input in = { .version = 1, .note = "" };

    /* Another village's cadre: as if the record did not exist. */
    cr_assert_eq(wf_apply(conn, &(struct actor){ &other_cadre, "t", NULL }, wf, r.id, "submit", &in,
                          NULL, &err),
                 -ERR_NOT_FOUND);
    cr_assert_eq(wf_apply(conn, &(struct actor){ &other_cadre, "t", NULL }, wf, 999999, "submit",
                          &in, NULL, &err),
                 -ERR_NOT_FOUND);
    /* A villager sees it, may not submit. */
    cr_assert_eq(wf_apply(conn, &(struct actor){ &villager, "t", NULL }, wf, r.id, "submit", &in,
                          NULL, &err),
                 -ERR_FORBIDDEN);
    take(wf, &r, "submit", true);
    /* A return needs its reason; a stale version meets 409. */
    in.version = r.version;
    cr_assert_eq(
        wf_apply(conn, &(struct actor){ &cadre, "t", NULL }, wf, r.id, "return", &in, NULL, &err),
        -ERR_INVALID);
    cr_assert_str_eq(err.field, "reason");
    take(wf, &r, "approve", true);
    /* The committee signs: somebody other than who approved -- the supervisor is. */
    cr_assert_eq(wf_apply(conn, &(struct actor){ &supervisor, "t", NULL }, wf, r.id, "sign",
                          &(struct wf_input){ .version = r.version - 1 }, NULL, &err),
                 -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "version");
    cr_assert_eq(wf_apply(conn, &(struct actor){ &supervisor, "t", NULL }, wf, r.id, "sign",
                          &(struct wf_input){ .version = r.version }, &r, &err),
                 0, "%s", err.en);
    cr_assert_str_eq(r.state, "reviewed");
}

Test(workflow, another_person_takes_the_next_step)
{
    static const struct wf_state st[] = { S("a", "甲"), S("b", "乙"), END("c", "丙") };
    static const struct wf_transition tr[] = {
        T("a", "one", "b", "wft.cadre"),
        TN("b", "two", "c", "wft.cadre", WF_OTHER_PERSON),
    };
    static const struct workflow wf = TABLE("twoperson", "a", st, tr);
    struct wf_record r = record_of(&wf);
    struct err err = ERR_INIT;

    cr_assert_eq(wf_apply(conn, &(struct actor){ &cadre, "t", NULL }, &wf, r.id, "one",
                          &(struct wf_input){ 0 }, &r, &err),
                 0);
    cr_assert_eq(wf_apply(conn, &(struct actor){ &cadre, "t", NULL }, &wf, r.id, "two",
                          &(struct wf_input){ 0 }, NULL, &err),
                 -ERR_CONFLICT);
    cr_assert_eq(wf_apply(conn, &(struct actor){ &cadre2, "t", NULL }, &wf, r.id, "two",
                          &(struct wf_input){ 0 }, &r, &err),
                 0, "%s", err.en);
    cr_assert_str_eq(r.state, "c");
}

Test(workflow, nobody_acts_on_their_own_household)
{
    static const struct wf_state st[] = { S("a", "甲"), END("b", "乙") };
    static const struct wf_transition tr[] = { TN("a", "go", "b", "wft.villager", WF_NOT_OWN) };
    static const struct workflow wf = TABLE("own", "a", st, tr);
    struct wf_record r = record_of(&wf);
    struct err err = ERR_INIT;

    /* The villager of household 100 may not; a villager-wide step would let a neighbour. */
    cr_assert_eq(wf_apply(conn, &(struct actor){ &villager, "t", NULL }, &wf, r.id, "go",
                          &(struct wf_input){ 0 }, NULL, &err),
                 -ERR_CONFLICT);
    cr_assert_str_eq(err.field, "household_id");
    cr_assert_eq(wf_apply(conn, &(struct actor){ &supervisor, "t", NULL }, &wf, r.id, "go",
                          &(struct wf_input){ 0 }, NULL, &err),
                 0, "%s", err.en);
}

Test(workflow, a_village_wide_step_is_open_to_every_villager_of_the_village)
{
    const struct workflow *wf = &domain_tables[7]; /* circle posts */
    struct wf_record r = record_of(wf);
    struct err err = ERR_INIT;
    struct db_rows h = DB_ROWS_INIT(sizeof(struct wf_event));
    const struct wf_event *e;

    cr_assert_eq(wf_apply(conn, &(struct actor){ &neighbour, "t", NULL }, wf, r.id, "report",
                          &(struct wf_input){ .note = "广告" }, &r, &err),
                 0, "%s", err.en);
    cr_assert_str_eq(r.state, "reported");
    cr_assert_eq(wf_history(conn, wf, r.id, &h, &err), 0);
    cr_assert_eq(h.n, 2);
    e = h.items;
    cr_assert_str_eq(e[0].to, "posted");
    cr_assert_str_eq(e[1].verb, "report");
    cr_assert_str_eq(e[1].note, "广告");
    db_rows_release(&h);
}

static int64_t
count(const char *sql)
{
    struct err err = ERR_INIT;
    int64_t n = -1;

    cr_assert_eq(db_query_i64(conn, sql, &n, &err), 0, "%s", err.en);
    return n;
}

Test(workflow, time_limits_warn_step_and_tell_the_township)
{
    static const struct wf_state st[] = { S("waiting", "待办"), S("posted", "公示中"),
                                          END("done", "完成") };
    static const struct wf_transition tr[] = {
        T("waiting", "post", "posted", "wft.cadre"),
        T("posted", "expire", "done", NULL),
        T("posted", "finish", "done", "wft.cadre"),
    };
    static const struct wf_deadline dl[] = {
        { "waiting", 7 * DAY, NULL, 5 * DAY, NULL, R(ROLE_TOWNSHIP_STAFF), "待办超过 7 天",
          "waiting over 7 days" },
        { "posted", 3 * DAY, NULL, 0, "expire", 0, "公示期满", "publicity over" },
    };
    static struct workflow wf = TABLE("limits", "waiting", st, tr);
    struct wf_record r;
    struct err err = ERR_INIT;
    int64_t stepped, unread = 0, now = clock_now_ms();
    struct alert *a = NULL;
    size_t n = 0;

    wf.deadlines = dl;
    wf.ndeadlines = ARRAY_LEN(dl);
    wf_register(&wf);
    r = record_of(&wf);
    record_of(&wf); /* a second, left waiting */
    /* Day 6: warned; day 8: late; the township of the village is told, not another's. */
    cr_assert_eq(wf_deadlines_run(conn, now + 6 * DAY, &stepped, &err), 0, "%s", err.en);
    cr_assert_eq(count("SELECT COUNT(*) FROM alerts WHERE kind = 'warning'"), 2);
    cr_assert_eq(wf_deadlines_run(conn, now + 8 * DAY, &stepped, &err), 0, "%s", err.en);
    cr_assert_eq(count("SELECT COUNT(*) FROM alerts WHERE kind = 'late'"), 2);
    cr_assert_eq(wf_deadlines_run(conn, now + 9 * DAY, &stepped, &err), 0, "%s", err.en);
    cr_assert_eq(count("SELECT COUNT(*) FROM alerts WHERE kind = 'late'"), 2, "told once");
    cr_assert_eq(alerts_unread(conn, &(struct actor){ &township, "t", NULL }, &unread, &err), 0);
    cr_assert_eq(unread, 4);
    cr_assert_eq(alerts_unread(conn, &(struct actor){ &cadre, "t", NULL }, &unread, &err), 0);
    cr_assert_eq(unread, 0, "cadres were not addressed");
    principal_init(&township, 5, ROLE_TOWNSHIP_STAFF, "410183101000", 0);
    cr_assert_eq(alerts_unread(conn, &(struct actor){ &township, "t", NULL }, &unread, &err), 0);
    cr_assert_eq(unread, 0, "another township's staff see nothing");
    principal_init(&township, 5, ROLE_TOWNSHIP_STAFF, "410183100000", 0);
    cr_assert_eq(
        alerts_list(conn, &(struct actor){ &township, "t", NULL }, false, 0, 50, &a, &n, &err), 0);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(a[0].kind, "late", "newest first");
    cr_assert_eq(alerts_mark_read(conn, &(struct actor){ &township, "t", NULL }, a[0].id, &err), 0);
    cr_assert_eq(alerts_mark_read(conn, &(struct actor){ &cadre, "t", NULL }, a[1].id, &err),
                 -ERR_NOT_FOUND, "not the cadre's");
    cr_assert_eq(alerts_unread(conn, &(struct actor){ &township, "t", NULL }, &unread, &err), 0);
    cr_assert_eq(unread, 3);
    cr_assert_eq(alerts_mark_read(conn, &(struct actor){ &township, "t", NULL }, 0, &err), 0);
    cr_assert_eq(alerts_unread(conn, &(struct actor){ &township, "t", NULL }, &unread, &err), 0);
    cr_assert_eq(unread, 0);
    free(a);
    /* Posted: the system takes 'expire' when the three days are over. */
    take(&wf, &r, "post", true);
    cr_assert_eq(wf_deadlines_run(conn, clock_now_ms() + 2 * DAY, &stepped, &err), 0);
    cr_assert_eq(stepped, 0);
    cr_assert_eq(wf_deadlines_run(conn, clock_now_ms() + 4 * DAY, &stepped, &err), 0);
    cr_assert_eq(stepped, 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM wf_test WHERE state = 'done'"), 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM wf_events WHERE thing = 'limits' AND verb = 'expire'"
                       " AND user_id IS NULL"),
                 1, "the system's step, in the history");
    /* Warned and late once each stay: both waiting records, in wf_marks. */
    cr_assert_eq(count("SELECT COUNT(*) FROM wf_marks WHERE thing = 'limits' AND warned = 1"
                       " AND late = 1"),
                 2);
}

Test(workflow, broken_tables_are_refused)
{
    static const struct wf_state st[] = { S("a", "甲"), S("b", "乙"), END("c", "丙"),
                                          S("lost", "孤") };
    static const struct wf_transition dead_end[] = { T("a", "go", "b", "wft.cadre") };
    static const struct wf_transition unreachable[] = { T("a", "go", "b", "wft.cadre"),
                                                        T("b", "go", "c", "wft.cadre"),
                                                        T("lost", "go", "c", "wft.cadre") };
    static const struct wf_transition two_perms[] = { T("a", "go", "b", "wft.cadre"),
                                                      T("b", "go", "c", "wft.township"),
                                                      T("lost", "back", "a", "wft.cadre"),
                                                      T("a", "lose", "lost", "wft.cadre") };
    static const struct wf_transition unknown[] = { T("a", "go", "nowhere", "wft.cadre") };
    const struct workflow bad[] = { TABLE("x", "a", st, dead_end), TABLE("x", "a", st, unreachable),
                                    TABLE("x", "a", st, two_perms), TABLE("x", "a", st, unknown) };

    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct err err = ERR_INIT;

        cr_assert_eq(wf_validate(&bad[i], &err), -ERR_INTERNAL, "table %zu passed", i);
    }
}
