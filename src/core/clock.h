/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/clock.h -- time as the platform stores it: UTC epoch milliseconds
 * (DESIGN.md §4), plus a monotonic clock for durations and timeouts. */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t clock_now_ms(void);  /* wall clock, UTC epoch milliseconds */
int64_t clock_mono_us(void); /* monotonic microseconds, for measuring */
/* From now on clock_now_ms() runs as if it had been 'ms' a moment ago (0: the
 * real time again). Only for `xiangzhi demo`, which builds a year of history
 * as it would have happened; never in a server. */
void clock_pretend(int64_t ms);
/* "2026-11-27T08:44:22.123Z" into 'buf' (at least 25 bytes). */
void clock_iso8601(int64_t ms, char *buf, size_t size);
/* The day in China (UTC+8, as villages date their papers) of 'ms': "2026-11-27". */
void clock_day_china(int64_t ms, char day[11]);
/* The first millisecond of 'year' in China (UTC+8). */
int64_t clock_year_start_china(int year);
/* The year in China of 'ms'. */
int clock_year_china(int64_t ms);

#endif
