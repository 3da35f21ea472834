/* SPDX-License-Identifier: Apache-2.0 */
/* src/core/qr.c -- QR codes as SVG (qr.h) over libqrencode. */
#include "core/compat.h"

#include <qrencode.h>

#include "core/qr.h"

#define QUIET 4

static QRcode *
encode(const char *text, size_t len)
{
    QRcode *q = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);

    return q ? q : QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_L);
}

int
qr_svg(const char *text, size_t len, struct sbuf *out, struct err *err)
{
    QRcode *q = len && len < 4000 ? encode(text, len) : NULL;
    int size;

    if (!q)
        return err_set(err, ERR_INVALID, "text", "内容太长，无法生成二维码",
                       "too long for a QR code");
    size = q->width + 2 * QUIET;
    sbuf_addf(out,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
              "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
              "<path fill=\"#000\" d=\"",
              size, size, size, size);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++) {
            int run = 0;

            while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
                run++;
            if (run) /* a row's run of dark modules as one rectangle */
                sbuf_addf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    sbuf_addf(out, "\"/></svg>");
    QRcode_free(q);
    return 0;
}
