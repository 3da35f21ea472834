/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/throttle.h -- login throttling per client address, in memory:
 * at most THROTTLE_MAX failures per address in THROTTLE_WINDOW_MS. (Per-account
 * locking lives in the database: account_login_failed.) With several app servers
 * each keeps its own count; the per-account lock is the shared one. */
#ifndef DOMAIN_AUTH_THROTTLE_H
#define DOMAIN_AUTH_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define THROTTLE_MAX 20
#define THROTTLE_WINDOW_MS (5LL * 60 * 1000)

/* May 'addr' try to log in now? Thread-safe. */
bool throttle_allows(const char *addr, int64_t now);
/* Count a failed login from 'addr'. */
void throttle_failed(const char *addr, int64_t now);

#endif
