/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/identity/idnum.h -- 公民身份号码 (GB 11643-1999) and mainland mobile
 * numbers: parse to one canonical form (the form that is sealed and lookup-hashed,
 * so equal people give equal hashes) and mask for screens (DOMAIN.md §1).
 *
 *   ID number  | address code (6) | birth YYYYMMDD (8) | sequence (3) | check (1) |
 *              sequence odd = male; check = ISO 7064 MOD 11-2, weights
 *              7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> "10X98765432"
 *   phone      11 digits 1[3-9]xxxxxxxxx, no country prefix
 *
 * Error messages never repeat the input: it is sensitive and messages get logged.
 * All functions are pure apart from reading the clock, and thread-safe. */
#ifndef DOMAIN_IDENTITY_IDNUM_H
#define DOMAIN_IDENTITY_IDNUM_H

#include "core/err.h"

struct idnum {
    char number[19]; /* canonical 18 chars, check char 'X' upper case */
    char birth[11];  /* "YYYY-MM-DD" */
    char sex;        /* 'M' (odd sequence) or 'F' */
    char region6[7]; /* 6-digit address code of issue; may be outdated */
};

/* Parse an ID number. Accepts 18 chars (17 digits and a digit, 'x' or 'X' that
 * matches the MOD 11-2 check) or a 15-digit legacy number (YYMMDD in 19xx, no
 * check char), converted to 18. ASCII whitespace around the number is ignored.
 * The birth date must exist in the calendar, lie between 1900-01-01 and today
 * (UTC+8); the address code must not start with 0. Returns 0 and fills 'out',
 * or -ERR_INVALID (field "id_number") with a message naming the fault: wrong
 * length, a bad character (and its position), bad address code, impossible or
 * future birth date, bad check char. 'out' is unspecified on failure. */
int idnum_parse(const char *text, struct idnum *out, struct err *err);

/* First 6 + 8 '*' + last 4: "410183********1234". Anything that is not 18 chars
 * masks to 18 '*', so a bad value never leaks through the mask. */
void idnum_mask(const char *number18, char out[19]);

/* A valid 18-char number from a 6-digit address code, "YYYYMMDD" and a sequence
 * 0..999 (odd = male), for generated demo people. The inputs are trusted: the
 * caller passes digits of the right lengths (asserted in debug builds). */
void idnum_make(const char *region6, const char *yyyymmdd, int seq, char out[19]);

/* Parse a mainland mobile number: drop spaces and '-', then an optional +86,
 * 0086 or 86 prefix; what remains must be 11 digits matching 1[3-9]xxxxxxxxx.
 * Returns 0 with the 11 digits in 'out', or -ERR_INVALID (field "phone"). */
int phone_parse(const char *text, char out[12], struct err *err);

/* First 3 + "****" + last 4: "138****1234"; anything not 11 chars masks to 11 '*'. */
void phone_mask(const char *phone11, char out[12]);

#endif
