/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/auth/actor.h -- the caller as every domain call sees it: who acts
 * (NULL: the system -- the scheduler, the command line), the request it acts
 * in (for the audit log and the operator's log) and the keys sealed values
 * need. Plain data; the pointers are borrowed for the call. */
#ifndef DOMAIN_AUTH_ACTOR_H
#define DOMAIN_AUTH_ACTOR_H

struct principal;
struct crypto_keys;

struct actor {
    const struct principal *who;
    const char *request_id;
    const struct crypto_keys *keys;
};

#endif
