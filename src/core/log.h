/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/log.h -- operator log lines on stderr, one write(2) per line so lines
 * from different threads never interleave. Every line carries the request id of
 * the work it belongs to ("-" outside a request): there is no global request
 * state, the caller passes it. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below 'level' are dropped. Default LOG_INFO. Not thread-safe: set at start. */
void log_set_level(enum log_level level);
/* 'rid' may be NULL. */
void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_info(rid, ...) log_msg(LOG_INFO, rid, __VA_ARGS__)
#define log_warn(rid, ...) log_msg(LOG_WARN, rid, __VA_ARGS__)
#define log_error(rid, ...) log_msg(LOG_ERROR, rid, __VA_ARGS__)
#define log_debug(rid, ...) log_msg(LOG_DEBUG, rid, __VA_ARGS__)

#endif
