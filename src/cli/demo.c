/* SPDX-License-Identifier: Apache-2.0 */
/* src/cli/demo.c -- the demo county: 新密市 (410183) with generated townships and
 * villages, and an account for every role in several villages, their passwords
 * written to DATA/demo-accounts.json (mode 0600). Built in one transaction; a
 * database that already holds the county is left as it is. */
#include "core/compat.h"

#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>

#include "api/module.h"
#include "cli/cli.h"
#include "core/crypto.h"
#include "domain/auth/account.h"
#include "domain/region/region.h"
#include "domain/registry/household.h"
#include "domain/identity/idnum.h"
#include "store/db.h"

#define DEMO_VILLAGES 20
#define DEMO_COUNTY "410183000000"

struct demo_account {
    const char *username;
    const char *name;
    int role;
    int scope_index; /* -1 county, 0.. township or village index by role level */
};

/* Village roles are created in the first two villages of the first township and
 * the first village of the second, so scope tests have neighbours to cross. */
static const struct demo_account accounts[] = {
    { "admin", "县管理员 张明", ROLE_COUNTY_ADMIN, -1 },
    { "auditor", "审计员 周平", ROLE_AUDITOR, -1 },
    { "zhen1", "乡镇干部 李华", ROLE_TOWNSHIP_STAFF, 0 },
    { "zhen2", "乡镇干部 赵强", ROLE_TOWNSHIP_STAFF, 1 },
    { "cun1", "村干部 王建国", ROLE_VILLAGE_CADRE, 0 },
    { "cun2", "村干部 刘秀英", ROLE_VILLAGE_CADRE, 1 },
    { "cun3", "村干部 陈志刚", ROLE_VILLAGE_CADRE, 2 },
    { "jiandu1", "监委会 孙丽", ROLE_SUPERVISOR, 0 },
    { "jiandu3", "监委会 马军", ROLE_SUPERVISOR, 2 },
    { "tiaojie1", "调解员 杨桂兰", ROLE_MEDIATOR, 0 },
    { "dangyuan1", "党员 吴德福", ROLE_PARTY_MEMBER, 0 },
    { "daiban1", "代办员 徐小燕", ROLE_AGENT, 0 },
    { "shanghu1", "积分超市 郑老板", ROLE_MERCHANT, 0 },
    { "cunmin1", "村民 王大山", ROLE_VILLAGER, 0 },
    { "cunmin3", "村民 陈小河", ROLE_VILLAGER, 2 },
};

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                        "周", "吴", "徐", "孙", "马", "朱", "胡", "郭" };
static const char *const given[] = { "建国", "秀英", "志强", "桂兰", "国庆", "玉梅", "德福", "小燕",
                                     "明",   "丽",   "军",   "芳",   "磊",   "静",   "伟",   "娜" };

struct demo {
    int households;
    int64_t villager_household[2]; /* first households of village 0 and 2 */
    struct crypto_keys keys;
    char (*villages)[13];
    size_t nvillages;
    char townships[2][13];
    char village_scope[3][13];
    json_t *out;
};

/* Townships of the first villages, and the three demo villages (two in the
 * first township, one in another). */
static void
pick_scopes(struct demo *d)
{
    size_t v2 = 1;

    snprintf(d->townships[0], 13, "%.9s000", d->villages[0]);
    snprintf(d->village_scope[0], 13, "%s", d->villages[0]);
    snprintf(d->village_scope[1], 13, "%s", d->villages[1]);
    while (v2 < d->nvillages && strncmp(d->villages[v2], d->villages[0], 9) == 0)
        v2++;
    snprintf(d->village_scope[2], 13, "%s", d->villages[v2 < d->nvillages ? v2 : 2]);
    snprintf(d->townships[1], 13, "%.9s000", d->village_scope[2]);
}

static const char *
scope_of(const struct demo *d, const struct demo_account *a)
{
    if (a->scope_index < 0)
        return DEMO_COUNTY;
    if (role_scope_level(a->role) == REGION_TOWNSHIP)
        return d->townships[a->scope_index];
    return d->village_scope[a->scope_index];
}

static int
add_account(struct db_conn *c, struct demo *d, const struct demo_account *a, struct err *err)
{
    struct user_new u = { .nroles = 1 };
    char password[16];

    crypto_random_token(u.password_hash); /* borrow the buffer for randomness */
    snprintf(password, sizeof(password), "xz-%.10s", u.password_hash);
    snprintf(u.username, sizeof(u.username), "%s", a->username);
    snprintf(u.display_name, sizeof(u.display_name), "%s", a->name);
    u.roles[0].role = a->role;
    snprintf(u.roles[0].scope, sizeof(u.roles[0].scope), "%s", scope_of(d, a));
    if (a->role == ROLE_VILLAGER)
        u.roles[0].household_id = d->villager_household[a->scope_index == 0 ? 0 : 1];
    if (crypto_password_hash(password, u.password_hash, err) < 0 ||
        account_user_create(c, &d->keys, &u, err) < 0)
        return -err->code;
    json_array_append_new(d->out,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "role", role_name(a->role),
                                    "title", role_title_zh(a->role), "username", a->username,
                                    "password", password, "scope", u.roles[0].scope, "household_id",
                                    (json_int_t)u.roles[0].household_id));
    return 0;
}

/* Birth date of member 'member' of household 'n' as YYYYMMDD. An ID number is
 * region + date + sequence, so (date, sequence) must never repeat: the sequence
 * comes from n % 500 and the date from n / 500 plus a spread of ages that also
 * depends only on n % 500 -- distinct for every n up to 115,000 and beyond. */
static void
birth_of(int n, int member, char out[32])
{
    static const int base_year[] = { 1955, 1957, 1995, 2005, 1935 };
    time_t t;
    struct tm tm = { 0 };
    int spread = (n % 5) + 5 * ((n % 500) / 100); /* 0..24 years */

    tm.tm_year = base_year[member] + (member < 2 ? spread : spread / 5) - 1900;
    tm.tm_mday = 1 + n / 500; /* timegm normalises the day count into a real date */
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Deterministic generated people: the household number picks name, sex, age. */
static void
person_for(int n, int member, struct person_input *in)
{
    static const char *const relation[] = { "户主", "配偶", "子女", "子女", "父母" };
    int male = member == 0 || member == 2 || (member == 4 && n % 2);
    char birth[32];

    memset(in, 0, sizeof(*in));
    snprintf(in->name, sizeof(in->name), "%s%s", surnames[n % ARRAY_LEN(surnames)],
             given[(n / 16 + member * 5) % ARRAY_LEN(given)]);
    snprintf(in->relation, sizeof(in->relation), "%s", relation[member]);
    birth_of(n, member, birth);
    idnum_make("410183", birth, (n % 500) * 2 + male, in->id_number); /* odd = male */
    if (member ==
        0) /* 170 numbers: a block used only by virtual operators, never a real line here */
        snprintf(in->phone, sizeof(in->phone), "170%08d", 10000000 + n);
}

static int
add_households(struct db_conn *c, struct demo *d, const struct actor *a, struct err *err)
{
    for (int n = 0; n < d->households; n++) {
        struct household h = { 0 };
        struct person_input in;
        struct person p;
        int rc;

        snprintf(h.village_code, sizeof(h.village_code), "%s", d->villages[n % d->nvillages]);
        snprintf(h.household_no, sizeof(h.household_no), "%04d", n / (int)d->nvillages + 1);
        snprintf(h.address, sizeof(h.address), "%d 号", n / (int)d->nvillages + 1);
        rc = household_create(c, a, &h, err);
        for (int m = 0; rc == 0 && m < 2 + n % 4; m++) {
            person_for(n, m, &in);
            rc = person_add(c, a, h.id, &in, &p, err);
        }
        if (rc < 0)
            return rc;
        if (n == 0)
            d->villager_household[0] = h.id;
        if (n == 2)
            d->villager_household[1] = h.id;
    }
    return 0;
}

static int
build(struct db_conn *c, struct demo *d, struct err *err)
{
    struct principal sys = { .user_id = 0, .nroles = 1 };
    struct actor a = { &sys, "demo", &d->keys };
    int rc = region_demo_xinmi(c, DEMO_VILLAGES, &d->villages, &d->nvillages, err);

    if (rc < 0)
        return rc;
    pick_scopes(d);
    snprintf(sys.username, sizeof(sys.username), "demo");
    sys.roles[0] = (struct auth_binding){ ROLE_COUNTY_ADMIN, DEMO_COUNTY, 0 };
    rc = add_households(c, d, &a, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(accounts); i++)
        rc = add_account(c, d, &accounts[i], err);
    for (size_t m = 0; rc == 0 && m < api_modules_count; m++)
        if (api_modules[m]->domain->demo)
            rc = api_modules[m]->domain->demo(c, d->villages, d->nvillages, DEMO_COUNTY, err);
    return rc < 0 ? rc : 0;
}

static int
write_accounts(const char *data, json_t *list)
{
    char path[4200];
    int fd, rc;

    snprintf(path, sizeof(path), "%s/demo-accounts.json", data);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    rc = json_dumpfd(list, fd, JSON_INDENT(2));
    close(fd);
    if (rc == 0)
        printf("演示账号 / demo accounts: %s\n", path);
    return rc;
}

int
cli_demo_build(const struct cli_opts *o, struct db *db)
{
    struct demo d = { .out = json_array(), .households = o->households };
    struct err e = ERR_INIT;
    struct db_conn *c = NULL;
    int rc;

    if (crypto_load_keys(o->data, &d.keys, &e) < 0 || !(c = db_acquire(db, &e)))
        goto out;
    rc = db_run(c, &e, "SELECT code FROM regions WHERE code = ?", "t", DEMO_COUNTY);
    if (rc != 0) {
        printf("演示县已存在,保留原数据 / the demo county exists; kept as it is\n");
        goto out;
    }
    if (db_begin(c, &e) < 0 || build(c, &d, &e) < 0 || db_commit(c, &e) < 0)
        goto out;
    printf("演示县 / demo county: 新密市 (410183), %zu 个村 / villages, %d 户 / households, "
           "%zu 个账号 / accounts\n",
           d.nvillages, d.households, ARRAY_LEN(accounts));
    if (write_accounts(o->data, d.out) < 0)
        err_set(&e, ERR_IO, NULL, "无法写入演示账号文件", "cannot write demo-accounts.json");
out:
    db_release(c);
    free(d.villages);
    json_decref(d.out);
    sodium_memzero(&d.keys, sizeof(d.keys));
    if (e.code != ERR_OK)
        cli_print_err("演示数据 / demo data", &e);
    return e.code == ERR_OK ? 0 : -1;
}
