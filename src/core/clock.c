/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/clock.c -- see clock.h. */
#include "core/compat.h"

#include <stdio.h>
#include <time.h>

#include "core/clock.h"

static _Atomic int64_t pretended_offset; /* ms added to the wall clock; 0 but in the demo */

static int64_t
real_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
    return real_now_ms() + pretended_offset;
}

void
clock_pretend(int64_t ms)
{
    pretended_offset = ms ? ms - real_now_ms() : 0;
}

int64_t
clock_mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
clock_iso8601(int64_t ms, char *buf, size_t size)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void
clock_day_china(int64_t ms, char day[11])
{
    time_t secs = (time_t)((ms + 8LL * 3600 * 1000) / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
}

int64_t
clock_year_start_china(int year)
{
    struct tm tm = { .tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1 };

    return ((int64_t)timegm(&tm) - 8 * 3600) * 1000;
}

int
clock_year_china(int64_t ms)
{
    time_t secs = (time_t)((ms + 8LL * 3600 * 1000) / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    return tm.tm_year + 1900;
}
