/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/compat.h -- the first include of every .c file. Fixes the feature-test
 * macros so every translation unit sees the same libc, then pulls in banned.h so
 * unsafe libc calls fail to compile. */
#ifndef CORE_COMPAT_H
#define CORE_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

/* System headers that declare banned names come before banned.h, as in git:
 * their own (fortified) definitions must see the real names. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A check that stays on in release builds, for where going on would corrupt
 * the ledger or the log, or a table set at start is wrong: it says where and
 * aborts. Never for validating input. */
#define INVARIANT(cond) ((cond) ? (void)0 : invariant_failed(#cond, __FILE__, __LINE__))
_Noreturn void invariant_failed(const char *what, const char *file, int line);

#endif
