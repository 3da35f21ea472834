/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/xalloc.h -- allocation that never returns NULL. On out-of-memory the
 * process aborts (Redis, git, h2o): untrusted sizes are bounded at the edge before
 * anything is allocated, so OOM here is an operator problem, not an input error. */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
