/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/note.h -- C2SP signed notes with Ed25519 keys, and the C2SP
 * tlog-checkpoint text they carry. Formats, byte for byte
 * (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):
 *
 *   note       = text "\n" signature+        text: lines each ending in "\n"
 *   signature  = "— " key-name " " base64(key-id[4] || ed25519-signature[64]) "\n"
 *   key-id     = SHA-256(key-name || "\n" || 0x01 || public-key[32])[0:4]
 *   verifier   = key-name "+" hex8(key-id) "+" base64(alg || public-key)
 *   signer     = "PRIVATE+KEY+" key-name "+" hex8(key-id) "+" base64(alg || seed[32])
 *   (alg 0x01: a log's Ed25519 key, 0x04: a witness's; key-id hashes alg in)
 *   cosignature = "— " witness-name " " base64(key-id || u64be(time) || ed25519-signature)
 *                 over "cosignature/v1\ntime " decimal(time) "\n" || checkpoint text
 *   checkpoint = origin "\n" decimal(tree-size) "\n" base64(root-hash) "\n" extension-line*
 *
 * The signer format is golang.org/x/mod/sumdb/note's, so keys move between our
 * tools and theirs. Parsers treat every byte as hostile: bounded sizes, no
 * control characters, strict base64, no leading zeros. */
#ifndef TLOG_NOTE_H
#define TLOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "tlog/merkle.h"

#define TLOG_NAME_MAX 128      /* key names and origins, bytes */
#define TLOG_NOTE_MAX 65536    /* a whole signed note, bytes */
#define TLOG_NOTE_MAX_SIGS 100 /* signature lines in one note */

#define TLOG_ALG_ED25519 0x01     /* a log's key: signs notes */
#define TLOG_ALG_COSIGNATURE 0x04 /* a witness's key: C2SP tlog-cosignature/v1 */

struct tlog_vkey {
    char name[TLOG_NAME_MAX + 1];
    uint32_t id;
    unsigned char alg; /* TLOG_ALG_* */
    unsigned char pub[32];
};

struct tlog_skey {
    struct tlog_vkey v;
    unsigned char sk[64]; /* libsodium's secret key: seed || public key */
};

struct tlog_checkpoint {
    char origin[TLOG_NAME_MAX + 1];
    uint64_t size;
    unsigned char root[TLOG_HASH_BYTES];
    const char *extensions; /* borrowed from the parsed text: the lines after the
                             * root, each ending in "\n"; "" if none */
    size_t extensions_len;
};

/* Keys. */
int tlog_vkey_parse(const char *text, struct tlog_vkey *out, struct err *err);
void tlog_vkey_format(const struct tlog_vkey *k, struct sbuf *out);
int tlog_skey_parse(const char *text, struct tlog_skey *out, struct err *err);
void tlog_skey_format(const struct tlog_skey *k, struct sbuf *out);
/* A new key pair named 'name' (a valid key name, else -ERR_INVALID): a log's
 * key, or with _alg a witness's (TLOG_ALG_COSIGNATURE). */
int tlog_skey_generate(const char *name, struct tlog_skey *out, struct err *err);
int tlog_skey_generate_alg(const char *name, unsigned char alg, struct tlog_skey *out,
                           struct err *err);

/* Verify 'note' (len bytes) against 'key': 0 when it is well-formed and carries
 * a valid signature by 'key' (other keys' signatures are ignored); *text_len is
 * then the length of the signed text (which starts at 'note'). -ERR_MALFORMED
 * for a malformed note, -ERR_INVALID when no good signature by the key is on it
 * or a signature claiming to be the key's does not verify. */
int tlog_note_verify(const char *note, size_t len, const struct tlog_vkey *key, size_t *text_len,
                     struct err *err);
/* Append 'text' (must be valid note text) with one signature line by 'key' to
 * 'out'; -ERR_INVALID if the text is not valid note text. */
int tlog_note_sign(const char *text, size_t len, const struct tlog_skey *key, struct sbuf *out,
                   struct err *err);

/* C2SP tlog-cosignature/v1 (Ed25519): verify that 'note' carries a valid
 * cosignature by 'witness' (a TLOG_ALG_COSIGNATURE key) over its text; *time
 * is when the witness signed (POSIX seconds), *text_len as tlog_note_verify. */
int tlog_cosignature_verify(const char *note, size_t len, const struct tlog_vkey *witness,
                            uint64_t *time, size_t *text_len, struct err *err);
/* The same, appending the witness's verified line (with its "\n") to 'line'. */
int tlog_cosignature_line(const char *note, size_t len, const struct tlog_vkey *witness,
                          struct sbuf *line, uint64_t *time, size_t *text_len, struct err *err);
/* Append the cosignature line of 'witness' over checkpoint 'text' at 'time'. */
int tlog_cosign(const char *text, size_t len, const struct tlog_skey *witness, uint64_t time,
                struct sbuf *line, struct err *err);

/* Parse a checkpoint body (the signed text of a note); 'out' borrows from 'text'. */
int tlog_checkpoint_parse(const char *text, size_t len, struct tlog_checkpoint *out,
                          struct err *err);
/* The checkpoint's text: origin, size, root, then its extension lines. */
void tlog_checkpoint_format(const struct tlog_checkpoint *c, struct sbuf *out);

#endif
