/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/disclosure/privacy.h -- the privacy gate of village-affairs disclosure
 * (DOMAIN.md §4, issue #14 item 4): find the personal numbers a published body or
 * attachment text must never hold, with their exact byte spans, so the gate can block
 * naming where they are, offer masking, and run again on the server at publication.
 *
 *   kind   | what matches (digits may be ASCII 0-9 or full-width ０-９)
 *   ID     | 18 chars: 17 digits + digit or X/x/Ｘ/ｘ, valid MOD 11-2 check char and birth
 *          | date (idnum_parse); plain or grouped 6-8-4
 *   PHONE  | 11 digits 1[3-9]..., plain or grouped 3-4-4; an optional +86 / ＋86 / 0086
 *          | prefix (and one separator after it) belongs to the span
 *   BANK   | 16-19 digits passing the Luhn check, plain or in groups of 4 (the last
 *          | group 1-4 digits); an 18-char number that is a valid ID is an ID only
 *   MINOR  | the span of an ID hit whose holder is under 18 on the given day; it follows
 *          | that ID hit, which is reported too
 *
 * A separator between groups is one space, '-', no-break space, ideographic space or
 * full-width '－'. A number is whole: the character before it and the one after it
 * are not digits (nor, after an ID, an X), so 20 digits are not an ID and two more.
 * A grouped number longer than the shapes above may still hold a hit in its groups:
 * the gate errs on the side of blocking. Spans begin and end on character boundaries
 * of valid UTF-8; invalid bytes are skipped, never a reason to stop. Everything here
 * is pure (apart from reading the clock) and thread-safe. */
#ifndef DOMAIN_DISCLOSURE_PRIVACY_H
#define DOMAIN_DISCLOSURE_PRIVACY_H

#include <stddef.h>

#include "core/err.h"

enum privacy_kind {
    PRIVACY_ID = 1, /* 公民身份号码 */
    PRIVACY_PHONE,  /* mainland mobile number */
    PRIVACY_BANK,   /* bank card number */
    PRIVACY_MINOR,  /* an ID whose holder is under 18: never published, masked or not */
};

struct privacy_hit {
    size_t offset;          /* bytes from the start of the text */
    size_t length;          /* bytes, > 0 */
    enum privacy_kind kind; /* what the span holds */
};

/* Scan text[0..len) (UTF-8; it may hold NULs) and store up to 'max_hits' hits in
 * 'hits' (may be NULL when max_hits is 0), in text order; spans do not overlap,
 * except that a MINOR hit repeats the span of the ID hit just before it. 'today' is
 * the day ages are judged on, "YYYY-MM-DD"; NULL or anything else means today in
 * China (UTC+8). A birth date after the real today is no ID, whatever 'today' says
 * (idnum_parse reads the clock). Returns the number of hits stored and sets *total
 * (when not NULL) to the number found, which may be larger. Keeps no pointer into
 * its arguments. */
size_t privacy_scan(const char *text, size_t len, const char *today, struct privacy_hit *hits,
                    size_t max_hits, size_t *total);

/* A copy of text[0..len) with each hit's span replaced by its number masked the way
 * the platform shows it on screen (ASCII, separators and prefix dropped):
 * ID and MINOR "410183********1234" (first 6 and last 4), PHONE "138****1234",
 * BANK one '*' a digit but the last 4 ("************1234"). A span that does not
 * read as its kind (a hit not from privacy_scan) becomes one '*' a character.
 * Hits ('hits' may be NULL when n is 0) may come in any order and overlap; a span
 * cutting a UTF-8 character is widened to the whole character, so valid UTF-8 in
 * gives valid UTF-8 out. Spans outside the text are ignored. The result is
 * NUL-terminated, never longer than 'len'; its length goes to *out_len when not
 * NULL. Caller frees. */
char *privacy_mask(const char *text, size_t len, const struct privacy_hit *hits, size_t n,
                   size_t *out_len);

/* Fill 'err' with ERR_INVALID on 'field' (may be NULL) and the two messages for
 * 'hit' in text[0..len), naming its kind and the character (1-based, UTF-8
 * characters, not bytes) where it starts: "第 12 个字符处有身份证号…" / "an ID number
 * at character 12 …". The messages never repeat the number. Returns -ERR_INVALID. */
int privacy_hit_err(const struct privacy_hit *hit, const char *text, size_t len, const char *field,
                    struct err *err);

/* Stable lower-case name of a kind ("id", "phone", "bank", "minor"), for JSON and
 * logs; "unknown" for anything else. Never NULL. */
const char *privacy_kind_name(enum privacy_kind kind);

#endif
