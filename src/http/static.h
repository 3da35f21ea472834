/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/static.h -- the web front end's built files (web/dist), served by the
 * same server as the API. A GET or HEAD that matches no API route is looked up
 * under the site's root: the file itself (or its precompressed .gz twin when
 * the client accepts gzip), else, for a deep link of one of the single-page
 * apps (/app/..., /console/..., or a portal page without a file extension), that
 * app's index.html. Hashed assets (under assets/) are cached for a year as
 * immutable, everything else must be revalidated (ETag). Paths never leave the
 * root: dot segments and hidden files are refused, and files are opened with
 * openat2(RESOLVE_BENEATH), so not even a symlink leads outside. */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct static_site;

/* Open the site at 'dir'. ERR_NOT_FOUND when 'dir' is not a directory. */
int static_open(const char *dir, struct static_site **out, struct err *err);
void static_close(struct static_site *s); /* NULL ok */

/* What to send for one request. */
struct static_file {
    int fd;                    /* open, owned by the caller; -1 = nothing to send */
    uint64_t size;             /* bytes of fd */
    const char *content_type;  /* static string */
    const char *cache_control; /* static string */
    bool gzip;                 /* fd is the .gz twin: add Content-Encoding */
    bool compressible;         /* add Vary: Accept-Encoding */
    bool not_modified;         /* If-None-Match matched: answer 304, fd is -1 */
    char etag[48];             /* quoted */
};

/* Look 'path' up (decoded, from the request line). 'accept_encoding' and
 * 'if_none_match' are the request's headers or NULL. Returns 0 with *out set
 * (fd >= 0, or not_modified), or -ERR_NOT_FOUND. */
int static_lookup(const struct static_site *s, const char *path, const char *accept_encoding,
                  const char *if_none_match, struct static_file *out);

/* True when a client sending this Accept-Encoding takes gzip (q > 0). */
bool static_accepts_gzip(const char *accept_encoding);

#endif
