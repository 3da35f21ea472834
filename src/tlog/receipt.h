/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/receipt.h -- receipts: C2SP tlog-proof texts (c2sp.org/tlog-proof),
 * what a household keeps (as a QR code) to show that one record is in the log:
 *
 *   c2sp.org/tlog-proof@v1
 *   extra <base64>            the leaf entry itself (tlog.h), so the holder
 *                             needs nothing else to hash the leaf
 *   index <decimal>
 *   <base64 hash>             the inclusion proof, one hash per line
 *   ...
 *   <blank line>
 *   <the signed checkpoint note, verbatim>
 *
 * The parser treats the text as hostile: bounded, strict base64, no leading
 * zeros, at most TLOG_MAX_PROOF proof lines. */
#ifndef TLOG_RECEIPT_H
#define TLOG_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "tlog/note.h"

#define TLOG_RECEIPT_MAX 16384

struct tlog_receipt {
    unsigned char extra[TLOG_RECEIPT_MAX]; /* the entry */
    size_t extra_len;                      /* 0 when the receipt has no extra line */
    uint64_t index;
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES];
    size_t nproof;
    const char *note; /* borrowed from the parsed text: the checkpoint note */
    size_t note_len;
};

/* Append the receipt for leaf 'index' ('entry', its proof in the tree of the
 * checkpoint 'note') to 'out'. */
void tlog_receipt_format(const void *entry, size_t entry_len, uint64_t index,
                         const unsigned char *proof, size_t nproof, const char *note,
                         size_t note_len, struct sbuf *out);
int tlog_receipt_parse(const char *text, size_t len, struct tlog_receipt *out, struct err *err);

/* Check a parsed receipt as far as it can be checked offline: the note is
 * signed by 'key', its checkpoint parses, and the proof puts the leaf of the
 * receipt's entry at its index in that tree. *cp receives the checkpoint. */
int tlog_receipt_verify(const struct tlog_receipt *r, const struct tlog_vkey *key,
                        struct tlog_checkpoint *cp, struct err *err);

#endif
