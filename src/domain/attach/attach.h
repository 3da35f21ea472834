/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/attach.h -- attachments: evidence photos (issue #6). A
 * villager declaring a good deed attaches a photo; a cadre reviewing the claim
 * views it. What is kept is never the upload itself but a cleaned copy:
 *
 *   - judged by content only (magic bytes and a structural walk), never by the
 *     client's Content-Type or file name: JPEG, PNG or WebP, at most
 *     ATTACH_MAX_BYTES, at most ATTACH_MAX_PIXELS;
 *   - rewritten without metadata: JPEG keeps SOI, JFIF (thumbnail dropped), ICC
 *     (APP2), Adobe (APP14), DQT, SOF, DHT, DRI, DAC, SOS + scan data, EOI and
 *     drops every other APPn (Exif, XMP, IPTC, MPF...) and COM, but a photo
 *     turned by its Exif Orientation gets a minimal Exif of that one tag (see
 *     jpeg.c); PNG keeps only the critical chunks and those that change how it
 *     looks (tRNS gAMA cHRM sRGB iCCP sBIT bKGD pHYs cICP), so eXIf, tEXt, zTXt,
 *     iTXt, tIME and private chunks go; WebP drops EXIF and XMP chunks. Bytes
 *     after the end of the image (a ZIP or HTML "polyglot" tail) are dropped;
 *   - stored by the SHA-256 of the cleaned bytes as DATA/attachments/ab/cdef...
 *     (the 64 hex digits split 2/62), outside the database, written atomically;
 *     the same photo uploaded twice is one file and one row of `attachments`.
 *
 * Access (DESIGN.md §6): anyone logged in may upload (PERM_SELF); the upload
 * belongs to a region -- one of the uploader's scopes -- and to its uploader.
 * It may be read by its uploader, and by whoever holds PERM_HOUSEHOLD_READ over
 * that region other than as a villager (a villager's binding covers one
 * household, and an attachment is of none). Every upload of the same bytes adds
 * its own (uploader, region) to `attachment_uploads`; reading needs any one. */
#ifndef DOMAIN_ATTACH_H
#define DOMAIN_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct db_conn;
struct principal;
struct sbuf;

#define ATTACH_MAX_BYTES (5 * 1024 * 1024) /* an upload, before cleaning */
#define ATTACH_MAX_PIXELS 100000000u       /* width x height: no decompression bombs */
#define ATTACH_HEX_CHARS 64                /* SHA-256 as lower-case hex */

enum attach_type {
    ATTACH_NONE = 0,
    ATTACH_JPEG,
    ATTACH_PNG,
    ATTACH_WEBP,
};

/* A cleaned image. */
struct attach_image {
    int type;       /* enum attach_type */
    uint32_t width; /* pixels as displayed (Exif orientation applied) */
    uint32_t height;
    unsigned char *data; /* the cleaned file; caller frees with attach_image_release */
    size_t len;
};

/* What the database says of an attachment. */
struct attach_meta {
    char sha256[ATTACH_HEX_CHARS + 1];
    int type; /* enum attach_type */
    int64_t bytes;
    uint32_t width;
    uint32_t height;
    int64_t uploaded_by; /* user id: this upload's on attach_record, the first one's on read */
    char region_code[13];
    int64_t created_at; /* epoch ms, set by attach_record */
};

/* Clean 'len' bytes of 'in' into *out. Returns 0, or -ERR_TOO_LARGE over
 * ATTACH_MAX_BYTES, -ERR_UNSUPPORTED_MEDIA when the bytes are not a JPEG, PNG
 * or WebP, -ERR_INVALID for a malformed one (truncated, bad lengths or CRCs, no
 * image data, too many pixels); then *out is empty. Pure and thread-safe.
 * Cleaning a cleaned image gives the same bytes. */
int attach_clean(const void *in, size_t len, struct attach_image *out, struct err *err);
void attach_image_release(struct attach_image *img); /* back to all zero; NULL-safe */

/* "image/jpeg" for ATTACH_JPEG... (static strings); NULL for another value. */
const char *attach_mime(int type);
/* The type whose attach_mime is 'mime', or ATTACH_NONE. */
int attach_type_of_mime(const char *mime);
/* True when 'hex' is exactly ATTACH_HEX_CHARS lower-case hex digits. */
bool attach_hex_valid(const char *hex);

/* Store 'len' bytes under their SHA-256 in DATA/attachments/ ('data_dir' is
 * DATA), creating directories as needed (mode 0750, files 0600): a temporary
 * file written and fsynced, renamed into place, the directory fsynced. A file
 * already there with that name and size is kept as it is. Writes the hash to
 * 'hex'. -ERR_IO when the file cannot be written (nothing partial is left
 * under the final name). Thread-safe. */
int attach_store(const char *data_dir, const void *data, size_t len, char hex[ATTACH_HEX_CHARS + 1],
                 struct err *err);
/* Append the stored file 'hex' to 'out'. 'expect' is its size from the
 * database: a file of another size is -ERR_IO, as is a missing one. */
int attach_load(const char *data_dir, const char *hex, int64_t expect, struct sbuf *out,
                struct err *err);

/* Where an upload by 'p' belongs: 'want' (a region code, NULL or "" for the
 * scope of p's first role) must lie within one of p's role scopes. Writes the
 * code to 'out'. -ERR_INVALID for a malformed code, -ERR_FORBIDDEN outside
 * p's scopes or when p holds no role. */
int attach_upload_region(const struct principal *p, const char *want, char out[13],
                         struct err *err);

/* Record one upload, as a writer job (run twice, it changes nothing more): the
 * attachment's row unless that hash has one, and (sha256, uploaded_by,
 * region_code). Sets m->created_at. A region that does not exist is
 * -ERR_REFERENCE. Keeps no pointer into 'm'. */
int attach_record(struct db_conn *c, struct attach_meta *m, struct err *err);

/* Read attachment 'hex' for 'p' into *out: -ERR_NOT_FOUND when there is none,
 * and equally when 'p' may not see it (module comment). */
int attach_get(struct db_conn *c, const struct principal *p, const char *hex,
               struct attach_meta *out, struct err *err);

#endif
