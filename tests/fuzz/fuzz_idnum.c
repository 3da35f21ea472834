/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_idnum.c -- libFuzzer target for domain/identity/idnum: the input,
 * as a NUL-terminated string, goes through idnum_parse and phone_parse. Beyond
 * "no crash, no UB" it checks the promises of idnum.h: a parsed number is the
 * canonical 18 chars with a correct check char, parsing it again is a fixed point
 * with the same birth, sex and region, its mask keeps only the first 6 and last 4;
 * a parsed phone is 11 digits 1[3-9]..., its mask keeps 3 + 4; every failure is
 * ERR_INVALID on the right field with both messages. Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/identity/idnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer saves the input that made us abort. */
static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_idnum: %s\n", what);
    abort();
}

static void
check_err(const struct err *e, const char *field)
{
    if (e->code != ERR_INVALID)
        fail("failure that is not ERR_INVALID");
    if (strcmp(e->field, field) != 0)
        fail("failure on the wrong field");
    if (!e->zh[0] || !e->en[0])
        fail("failure without both messages");
}

static bool
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int
seq_of(const char *n18)
{
    return (n18[14] - '0') * 100 + (n18[15] - '0') * 10 + (n18[16] - '0');
}

static void
check_idnum(const struct idnum *id)
{
    struct idnum again;
    char mask[19], made[19], ymd[9];

    if (strlen(id->number) != 18 || !digits(id->number, 17) ||
        !(digits(id->number + 17, 1) || id->number[17] == 'X'))
        fail("parsed number is not canonical");
    if (id->sex != ((id->number[16] - '0') % 2 ? 'M' : 'F'))
        fail("sex does not follow the sequence");
    memcpy(ymd, id->birth, 4);
    memcpy(ymd + 4, id->birth + 5, 2);
    memcpy(ymd + 6, id->birth + 8, 2);
    ymd[8] = '\0';
    idnum_make(id->region6, ymd, seq_of(id->number), made);
    if (strcmp(made, id->number) != 0)
        fail("number differs from idnum_make's for its parts");
    if (idnum_parse(id->number, &again, NULL) < 0 || strcmp(again.number, id->number) != 0 ||
        strcmp(again.birth, id->birth) != 0 || again.sex != id->sex ||
        strcmp(again.region6, id->region6) != 0)
        fail("parsing the canonical number again differs");
    idnum_mask(id->number, mask);
    if (memcmp(mask, id->number, 6) != 0 || strcmp(mask + 14, id->number + 14) != 0 ||
        strspn(mask + 6, "*") != 8)
        fail("bad ID mask");
}

static void
check_phone(const char *p)
{
    char mask[12];

    if (strlen(p) != 11 || !digits(p, 11) || p[0] != '1' || p[1] < '3')
        fail("parsed phone is not 1[3-9] + 9 digits");
    phone_mask(p, mask);
    if (memcmp(mask, p, 3) != 0 || strcmp(mask + 7, p + 7) != 0 || strspn(mask + 3, "*") != 4)
        fail("bad phone mask");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct idnum id;
    char phone[12];
    struct err e = ERR_INIT;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (idnum_parse(text, &id, &e) == 0)
        check_idnum(&id);
    else
        check_err(&e, "id_number");
    err_clear(&e);
    if (phone_parse(text, phone, &e) == 0)
        check_phone(phone);
    else
        check_err(&e, "phone");
    free(text);
    return 0;
}
