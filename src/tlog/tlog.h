/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/tlog.h -- the public verifiable log, stored in the database.
 *
 * A module that makes a record final (a points entry, a redemption, a published
 * disclosure) calls tlog_append() with the same connection, inside its own
 * transaction: the record and its leaf commit together or not at all. The tree
 * is kept as the hashes of its complete subtrees (table tlog_hashes: level,
 * index), so an append writes one entry and on average two hashes, and every
 * root, proof and tile is read in O(log^2 n) rows without touching the rest of
 * the log (merkle.h). Checkpoints are kept forever (tlog_checkpoints).
 *
 * Leaf entries -- the bytes hashed (RFC 6962: SHA-256(0x00 || entry)) and served
 * in the C2SP entry bundles -- hold no names, ID numbers, phones or addresses:
 * a pseudonymous reference to the record and a salted commitment to its full
 * text. Encoding version 1, UTF-8 lines each ending in "\n":
 *
 *   xiangzhi/leaf/v1
 *   kind <kind>            the table below
 *   ref <ref>              pseudonymous: "<object>/<id>", [A-Za-z0-9._/-]{1,64}
 *   region <code>          the 12-digit region the record belongs to
 *   time <ms>              when it became final, UTC epoch milliseconds
 *   commit <base64>        SHA-256("xiangzhi/commit/v1\n" || salt[16] || record)
 *
 * The 16-byte salt is random per leaf and kept in the database beside the
 * entry, never published: without it nobody can test a guessed record against
 * the commitment. A public receipt (receipt.h) carries the entry only; the
 * record's owner gets the salt and the record from the module that keeps it
 * (e.g. a household its points entry) and can then recompute the commitment
 * (tlog_entry_commits_to, check.h).
 *
 *   kind        version  record (the committed bytes)                 ref
 *   ----------  -------  -------------------------------------------  -------------
 *   ops.probe   1        the probe's JSON {"id","created_at","note"}  probe/<id>
 *
 * A module's kinds ("<module>.<what>") are rows of its own, declared beside
 * its code (domain/module.h: struct module_kind; `xiangzhi modules` lists
 * them all). A new kind or a change to a record's bytes is a new row; an entry
 * once written never changes (the tables refuse UPDATE and DELETE). */
#ifndef TLOG_TLOG_H
#define TLOG_TLOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

struct db_conn;

#define TLOG_SALT_BYTES 16
#define TLOG_TILE_WIDTH 256
#define TLOG_ENTRY_MAX 1024 /* bytes of one leaf entry */

struct tlog_record {
    const char *kind;   /* from the table above */
    const char *ref;    /* pseudonymous reference */
    const char *region; /* 12-digit region code */
    int64_t time_ms;
    const void *record; /* the full record's canonical bytes (committed, not logged) */
    size_t record_len;
};

/* Append 'r' as the next leaf, in the caller's transaction on 'c'; *index is its
 * 0-based position. -ERR_INTERNAL for a kind, ref or region that breaks the
 * encoding (a bug in the caller). */
int tlog_append(struct db_conn *c, const struct tlog_record *r, uint64_t *index, struct err *err);

/* Leaves in the log now (as the connection's transaction sees it). */
int tlog_size(struct db_conn *c, uint64_t *size, struct err *err);

/* A reader of the stored subtree hashes of 'c', for merkle.h's producers. */
struct tlog_hashes tlog_db_hashes(struct db_conn *c);

/* Entry 'index': its bytes into 'entry' (appended) and its salt. ERR_NOT_FOUND
 * past the end. */
int tlog_entry(struct db_conn *c, uint64_t index, struct sbuf *entry,
               unsigned char salt[TLOG_SALT_BYTES], struct err *err);

/* C2SP tlog-tiles: append the hash tile 'level'/'n' of 'width' hashes (1..256)
 * to 'out', or the entry bundle 'n' of 'width' entries when level is -1.
 * ERR_NOT_FOUND when the log does not reach that far yet. */
int tlog_tile(struct db_conn *c, int level, uint64_t n, int width, struct sbuf *out,
              struct err *err);

/* Parse a tile path below "/tlog/tile/" -- "<L>/<N>[.p/<W>]" or
 * "entries/<N>[.p/<W>]" with N in 3-digit elements, all but the last "x"-led --
 * into *level (-1 for entries), *n and *width (256 for a full tile). Strict:
 * no leading zeros in L or W, L 0..63, W 1..255. -ERR_NOT_FOUND otherwise. */
int tlog_tile_path_parse(const char *path, int *level, uint64_t *n, int *width, struct err *err);

/* The path of a tile (the inverse of tlog_tile_path_parse), appended to 'out'. */
void tlog_tile_path_format(int level, uint64_t n, int width, struct sbuf *out);

/* The commitment to a record: SHA-256("xiangzhi/commit/v1\n" || salt || record). */
void tlog_commitment(const unsigned char salt[TLOG_SALT_BYTES], const void *record, size_t len,
                     unsigned char out[TLOG_HASH_BYTES]);

/* Checkpoints (checkpoint.c). */

/* Sign a checkpoint of the current tree with 'key' (its name is the log's
 * origin) and keep it, unless the newest kept checkpoint already has this size;
 * the newest note is appended to 'note' (may be NULL). Run by the writer. */
int tlog_checkpoint_sign(struct db_conn *c, const struct tlog_skey *key, struct sbuf *note,
                         struct err *err);
/* The same as a writer job ('key' a const struct tlog_skey *), for the scheduler. */
int tlog_checkpoint_job(struct db_conn *c, void *key, struct err *err);
/* The newest kept checkpoint (its signed note appended to 'note'); ERR_NOT_FOUND
 * before the first. */
int tlog_checkpoint_latest(struct db_conn *c, struct sbuf *note, uint64_t *size, struct err *err);

/* Witnesses (C2SP tlog-cosignature): keep the cosignatures on 'note' (a
 * checkpoint text this log signed, followed by signature lines) by any of the
 * 'n' configured 'witnesses'; the newest checkpoint is then served with them.
 * The accepted witnesses' names go to 'accepted', one per line. -ERR_INVALID
 * when none of them cosigned, -ERR_CONFLICT when the text is not the log's own
 * checkpoint, -ERR_NOT_FOUND for a size the log never signed. A writer job. */
int tlog_cosignatures_add(struct db_conn *c, const struct tlog_vkey *witnesses, int n,
                          const char *note, size_t len, struct sbuf *accepted, struct err *err);

#endif
