/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/keyfile.h -- the log's signing key on disk, outside the database:
 * DATA/keys/tlog.key holds the signer key text (note.h; mode 0600, refused if
 * anyone but the owner may read it) and DATA/tlog.vkey the verifier key, the
 * one line printed on every poster and statement. The key's name is the log's
 * origin (e.g. xiangzhi.example/410183), fixed when the key is made. */
#ifndef TLOG_KEYFILE_H
#define TLOG_KEYFILE_H

#include <stdbool.h>

#include "core/err.h"
#include "tlog/note.h"

/* Make the key pair for 'origin' unless DATA/keys/tlog.key exists (then keep it
 * and ignore 'origin'); *created tells which. DATA/keys must exist. */
int tlog_key_ensure(const char *data_dir, const char *origin, bool *created, struct err *err);
/* Read DATA/keys/tlog.key. */
int tlog_key_load(const char *data_dir, struct tlog_skey *out, struct err *err);

#define TLOG_MAX_WITNESSES 16

/* DATA/tlog.witnesses: the witnesses whose cosignatures the log accepts, one
 * verifier key (alg 0x04, C2SP tlog-cosignature) per line; blank lines and
 * lines starting with '#' are skipped. A missing file means no witnesses. */
int tlog_witnesses_load(const char *data_dir, struct tlog_vkey *out, int *n, struct err *err);

#endif
