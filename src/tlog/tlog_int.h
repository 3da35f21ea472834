/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/tlog_int.h -- shared inside src/tlog. */
#ifndef TLOG_TLOG_INT_H
#define TLOG_TLOG_INT_H

#include <stdbool.h>
#include <stddef.h>

/* Strict standard base64 (RFC 4648 §4, padded) of s[0..n) into out[cap]: every
 * character must be of the alphabet (libsodium's decoder alone takes some
 * bytes >= 0x80 for '/', so one value would have several texts); *got bytes. */
bool tlog_b64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *got);

#endif
