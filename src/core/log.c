/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/log.c -- see log.h. */
#include "core/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"

static enum log_level min_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
    min_level = level;
}

void
log_msg(enum log_level level, const char *rid, const char *fmt, ...)
{
    static const char *names[] = { "debug", "info", "warn", "error" };
    char line[2048];
    char stamp[32];
    va_list ap;
    int n, m;

    if (level < min_level)
        return;
    clock_iso8601(clock_now_ms(), stamp, sizeof(stamp));
    n = snprintf(line, sizeof(line), "%s level=%s rid=%s ", stamp, names[level], rid ? rid : "-");
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += m;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

void
invariant_failed(const char *what, const char *file, int line)
{
    log_error(NULL, "invariant broken at %s:%d: %s", file, line, what);
    abort();
}
