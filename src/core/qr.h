/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/qr.h -- a text as a QR code in SVG (libqrencode), for what a phone
 * shows or a page prints: a receipt of the verifiable log, a one-time pay
 * code. The SVG is one <path> of dark modules with a 4-module quiet zone and
 * no script, so it can be served as an image under the strict CSP. */
#ifndef CORE_QR_H
#define CORE_QR_H

#include <stddef.h>

#include "core/err.h"
#include "core/sbuf.h"

/* Append the SVG of 'text' (bytes, 'len') to 'out' at error-correction level
 * M (L when the text only fits so). -ERR_INVALID (field "text") when it is too
 * long for any QR code. */
int qr_svg(const char *text, size_t len, struct sbuf *out, struct err *err);

#endif
