/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_tlog_db.c -- tlog/log.c, tile.c and checkpoint.c on a real
 * database, once per backend (XIANGZHI_TEST_DB=sqlite or a postgresql:// URL):
 * 300 leaves appended (past the first 256-leaf tile); the stored tree's roots
 * and proofs against ones recomputed from the entries; tiles and entry bundles
 * byte for byte; a rolled-back append leaves nothing; the tables refuse
 * changes; checkpoints signed, kept and verified; the tile path grammar. */
#include "core/compat.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include "store/db.h"
#include "store/migrate.h"
#include "testdb.h"
#include "tlog/check.h"
#include "tlog/tlog.h"

#define LEAVES 300

static struct db *db;
static struct db_conn *conn;
static unsigned char hashes[LEAVES][TLOG_HASH_BYTES]; /* leaf hashes, from the entries */

static void
setup(void)
{
    testdb_open("tlog", &db, &conn);
}

static void
teardown(void)
{
    testdb_close(db, conn);
}

TestSuite(tlog_db, .init = setup, .fini = teardown, .timeout = 120);
TestSuite(tlog_path);

static void
append_one(int i)
{
    struct err err = ERR_INIT;
    char ref[32], record[64];
    uint64_t index;
    int n = snprintf(record, sizeof(record), "{\"n\":%d}", i);

    snprintf(ref, sizeof(ref), "probe/%d", i);
    cr_assert_eq(tlog_append(conn,
                             &(struct tlog_record){ "ops.probe", ref, "410183100200",
                                                    1795788985000 + i, record, (size_t)n },
                             &index, &err),
                 0, "append %d: %s", i, err.en);
    cr_assert_eq(index, (uint64_t)i);
}

/* Append leaves [from, to) in one transaction; remember their hashes. */
static void
append_range(int from, int to)
{
    struct err err = ERR_INIT;

    cr_assert_eq(db_begin(conn, &err), 0);
    for (int i = from; i < to; i++)
        append_one(i);
    cr_assert_eq(db_commit(conn, &err), 0, "%s", err.en);
    for (int i = from; i < to; i++) {
        struct sbuf entry = SBUF_INIT;
        unsigned char salt[TLOG_SALT_BYTES];

        cr_assert_eq(tlog_entry(conn, (uint64_t)i, &entry, salt, &err), 0);
        tlog_leaf_hash((const unsigned char *)entry.buf, entry.len, hashes[i]);
        sbuf_release(&entry);
    }
}

Test(tlog_db, entries_follow_the_encoding_and_commit_to_the_record)
{
    struct sbuf entry = SBUF_INIT, want = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES], commit[TLOG_HASH_BYTES];
    char b64[64];
    struct err err = ERR_INIT;

    append_range(0, 2);
    cr_assert_eq(tlog_entry(conn, 1, &entry, salt, &err), 0);
    tlog_commitment(salt, "{\"n\":1}", 7, commit);
    sodium_bin2base64(b64, sizeof(b64), commit, sizeof(commit), sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(&want,
              "xiangzhi/leaf/v1\nkind ops.probe\nref probe/1\nregion 410183100200\n"
              "time 1795788985001\ncommit %s\n",
              b64);
    cr_assert_str_eq(entry.buf, want.buf);
    cr_assert(strstr(entry.buf, "{") == NULL, "the record itself is in the entry");
    cr_assert_eq(tlog_entry(conn, 2, &entry, salt, &err), -ERR_NOT_FOUND);
    sbuf_release(&entry);
    sbuf_release(&want);
}

Test(tlog_db, stored_roots_and_proofs_match_the_entries)
{
    struct tlog_hashes h = tlog_db_hashes(conn);
    unsigned char root[TLOG_HASH_BYTES], want[TLOG_HASH_BYTES], old[TLOG_HASH_BYTES];
    unsigned char proof[TLOG_MAX_PROOF * TLOG_HASH_BYTES];
    struct err err = ERR_INIT;
    size_t np;
    uint64_t size;

    append_range(0, 1);
    append_range(1, 200); /* several transactions, several batch sizes */
    append_range(200, LEAVES);
    cr_assert_eq(tlog_size(conn, &size, &err), 0);
    cr_assert_eq(size, LEAVES);
    for (uint64_t n = 1; n <= LEAVES; n += n < 20 ? 1 : 37) {
        cr_assert_eq(tlog_tree_hash(&h, n, root, &err), 0, "%s", err.en);
        tlog_root_of(hashes[0], n, want);
        cr_assert_eq(memcmp(root, want, sizeof(root)), 0, "root of %lu", (unsigned long)n);
        for (uint64_t m = 0; m < n; m += 1 + m / 3) {
            cr_assert_eq(tlog_inclusion_proof(&h, m, n, proof, &np, &err), 0);
            cr_assert(tlog_verify_inclusion(m, n, hashes[m], proof, np, root));
            tlog_root_of(hashes[0], m + 1, old);
            cr_assert_eq(tlog_consistency_proof(&h, m + 1, n, proof, &np, &err), 0);
            cr_assert(tlog_verify_consistency(m + 1, n, old, root, proof, np));
        }
    }
    cr_assert_eq(tlog_tree_hash(&h, LEAVES + 1, root, &err), -ERR_NOT_FOUND);
}

Test(tlog_db, tiles_and_bundles_byte_for_byte)
{
    struct sbuf tile = SBUF_INIT;
    unsigned char want[TLOG_HASH_BYTES];
    struct err err = ERR_INIT;
    size_t at = 0;

    append_range(0, LEAVES);
    cr_assert_eq(tlog_tile(conn, 0, 0, 256, &tile, &err), 0);
    cr_assert_eq(tile.len, 8192);
    cr_assert_eq(memcmp(tile.buf, hashes[0], 8192), 0);
    sbuf_release(&tile);
    cr_assert_eq(tlog_tile(conn, 0, 1, LEAVES - 256, &tile, &err), 0); /* 0/001.p/44 */
    cr_assert_eq(memcmp(tile.buf, hashes[256], (LEAVES - 256) * TLOG_HASH_BYTES), 0);
    sbuf_release(&tile);
    cr_assert_eq(tlog_tile(conn, 1, 0, 1, &tile, &err), 0); /* 1/000.p/1: MTH of the first 256 */
    tlog_root_of(hashes[0], 256, want);
    cr_assert_eq(memcmp(tile.buf, want, TLOG_HASH_BYTES), 0);
    sbuf_release(&tile);
    cr_assert_eq(tlog_tile(conn, 0, 1, LEAVES - 255, &tile, &err), -ERR_NOT_FOUND);
    cr_assert_eq(tlog_tile(conn, 1, 0, 2, &tile, &err), -ERR_NOT_FOUND);
    sbuf_release(&tile);
    cr_assert_eq(tlog_tile(conn, -1, 1, LEAVES - 256, &tile, &err), 0); /* entries/001.p/44 */
    for (int i = 256; i < LEAVES; i++) { /* each entry: 16-bit length, bytes; hashes to its leaf */
        size_t len = (size_t)(unsigned char)tile.buf[at] << 8 | (unsigned char)tile.buf[at + 1];
        unsigned char h[TLOG_HASH_BYTES];

        tlog_leaf_hash((const unsigned char *)tile.buf + at + 2, len, h);
        cr_assert_eq(memcmp(h, hashes[i], TLOG_HASH_BYTES), 0, "bundle entry %d", i);
        at += 2 + len;
    }
    cr_assert_eq(at, tile.len);
    sbuf_release(&tile);
}

Test(tlog_db, a_rolled_back_append_leaves_nothing)
{
    struct err err = ERR_INIT;
    uint64_t size;

    append_range(0, 3);
    cr_assert_eq(db_begin(conn, &err), 0);
    append_one(3);
    db_rollback(conn);
    cr_assert_eq(tlog_size(conn, &size, &err), 0);
    cr_assert_eq(size, 3);
    append_range(3, 4); /* the index is reused: nothing of the rolled-back leaf stayed */
}

Test(tlog_db, the_tables_refuse_changes)
{
    static const char *sql[] = {
        "UPDATE tlog_entries SET kind = 'x'",    "DELETE FROM tlog_entries",
        "UPDATE tlog_hashes SET level = 9",      "DELETE FROM tlog_hashes",
        "UPDATE tlog_checkpoints SET note = ''", "DELETE FROM tlog_checkpoints",
    };
    struct tlog_skey key;
    struct err err = ERR_INIT;

    append_range(0, 2);
    cr_assert_eq(tlog_skey_generate("test.example/log", &key, &err), 0);
    cr_assert_eq(db_begin(conn, &err), 0);
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, NULL, &err), 0);
    cr_assert_eq(db_commit(conn, &err), 0);
    for (size_t i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
        err_clear(&err);
        cr_assert_lt(db_exec(conn, sql[i], &err), 0, "%s was allowed", sql[i]);
    }
}

Test(tlog_db, checkpoints_are_signed_kept_and_verify)
{
    struct tlog_skey key;
    struct tlog_checkpoint cp;
    struct sbuf note = SBUF_INIT, again = SBUF_INIT;
    struct err err = ERR_INIT;
    unsigned char want[TLOG_HASH_BYTES];
    uint64_t size;
    size_t tlen;

    cr_assert_eq(tlog_skey_generate("test.example/log", &key, &err), 0);
    cr_assert_eq(tlog_checkpoint_latest(conn, &note, &size, &err), -ERR_NOT_FOUND);
    append_range(0, 5);
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, &note, &err), 0);
    cr_assert_eq(tlog_note_verify(note.buf, note.len, &key.v, &tlen, &err), 0, "%s", err.en);
    cr_assert_eq(tlog_checkpoint_parse(note.buf, tlen, &cp, &err), 0);
    cr_assert_str_eq(cp.origin, "test.example/log");
    cr_assert_eq(cp.size, 5);
    tlog_root_of(hashes[0], 5, want);
    cr_assert_eq(memcmp(cp.root, want, TLOG_HASH_BYTES), 0);
    /* The same size again: the kept note, not a second one. */
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, &again, &err), 0);
    cr_assert_str_eq(again.buf, note.buf);
    append_range(5, 7);
    sbuf_release(&again);
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, &again, &err), 0);
    cr_assert_eq(tlog_checkpoint_latest(conn, NULL, &size, &err), 0);
    cr_assert_eq(size, 7);
    cr_assert_eq(
        db_query_i64(conn, "SELECT COUNT(*) FROM tlog_checkpoints", (int64_t *)&size, &err), 0);
    cr_assert_eq(size, 2);
    sbuf_release(&note);
    sbuf_release(&again);
}

/* Drop the append-only triggers of 'table' (as someone with the database's
 * owner rights could), to show that tlog_check still notices. */
static void
unprotect(const char *table)
{
    struct err err = ERR_INIT;
    char sql[256];
    bool pg = testdb_server()[0] != '\0';

    if (pg)
        snprintf(sql, sizeof(sql), "ALTER TABLE %s DISABLE TRIGGER USER", table);
    else
        snprintf(sql, sizeof(sql), "DROP TRIGGER %s_no_update", table);
    cr_assert_eq(db_exec(conn, sql, &err), 0, "%s: %s", sql, err.en);
}

Test(tlog_db, the_whole_log_checks_and_any_change_is_found)
{
    struct tlog_skey key;
    struct tlog_check_report r;
    struct err err = ERR_INIT;

    cr_assert_eq(tlog_skey_generate("test.example/log", &key, &err), 0);
    append_range(0, LEAVES);
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, NULL, &err), 0);
    cr_assert_eq(tlog_check(conn, &key.v, &r, NULL, NULL, &err), 0, "%s / %s", r.problem, err.en);
    cr_assert_eq(r.leaves, LEAVES);
    cr_assert_eq(r.hashes, 2 * LEAVES - (uint64_t)__builtin_popcountll(LEAVES));
    cr_assert_eq(r.checkpoints, 1);
    unprotect("tlog_hashes");
    cr_assert_eq(db_exec(conn,
                         "UPDATE tlog_hashes SET hash = (SELECT hash FROM tlog_hashes"
                         " WHERE level = 0 AND idx = 0) WHERE level = 3 AND idx = 1",
                         &err),
                 0);
    cr_assert_eq(tlog_check(conn, &key.v, &r, NULL, NULL, &err), 1);
    cr_assert(strstr(r.problem, "level 3, index 1"), "%s", r.problem);
}

Test(tlog_db, a_changed_entry_or_checkpoint_is_found)
{
    struct tlog_skey key, other;
    struct tlog_check_report r;
    struct err err = ERR_INIT;

    cr_assert_eq(tlog_skey_generate("test.example/log", &key, &err), 0);
    cr_assert_eq(tlog_skey_generate("test.example/log", &other, &err), 0);
    append_range(0, 40);
    cr_assert_eq(tlog_checkpoint_sign(conn, &key, NULL, &err), 0);
    cr_assert_eq(tlog_check(conn, &other.v, &r, NULL, NULL, &err), 1, "another key's checkpoint");
    cr_assert(strstr(r.problem, "not signed"), "%s", r.problem);
    unprotect("tlog_entries");
    cr_assert_eq(db_exec(conn, "UPDATE tlog_entries SET entry = salt WHERE idx = 17", &err), 0);
    cr_assert_eq(tlog_check(conn, &key.v, &r, NULL, NULL, &err), 1);
    cr_assert(strstr(r.problem, "level 0, index 17"), "%s", r.problem);
}

Test(tlog_db, an_entry_commits_to_its_record_only)
{
    struct sbuf entry = SBUF_INIT;
    unsigned char salt[TLOG_SALT_BYTES];
    struct err err = ERR_INIT;

    append_range(0, 2);
    cr_assert_eq(tlog_entry(conn, 1, &entry, salt, &err), 0);
    cr_assert(
        tlog_entry_commits_to(entry.buf, entry.len, salt, "ops.probe", "probe/1", "{\"n\":1}", 7));
    cr_assert(
        !tlog_entry_commits_to(entry.buf, entry.len, salt, "ops.probe", "probe/1", "{\"n\":2}", 7));
    cr_assert(
        !tlog_entry_commits_to(entry.buf, entry.len, salt, "ops.probe", "probe/2", "{\"n\":1}", 7));
    cr_assert(!tlog_entry_commits_to(entry.buf, entry.len, salt, "points.final", "probe/1",
                                     "{\"n\":1}", 7));
    salt[0] ^= 1;
    cr_assert(
        !tlog_entry_commits_to(entry.buf, entry.len, salt, "ops.probe", "probe/1", "{\"n\":1}", 7));
    sbuf_release(&entry);
}

/* --- the tile path grammar --- */

static void
path_ok(const char *path, int level, uint64_t n, int width)
{
    struct err err = ERR_INIT;
    struct sbuf back = SBUF_INIT;
    int l = -9, w = -9;
    uint64_t got = 0;

    cr_assert_eq(tlog_tile_path_parse(path, &l, &got, &w, &err), 0, "%s refused", path);
    cr_assert(l == level && got == n && w == width, "%s: %d %lu %d", path, l, (unsigned long)got,
              w);
    tlog_tile_path_format(l, got, w, &back);
    cr_assert_str_eq(back.buf, path);
    sbuf_release(&back);
}

Test(tlog_path, the_c2sp_paths_parse_and_nothing_else)
{
    static const char *bad[] = {
        "",
        "0",
        "0/",
        "0/1",
        "0/01",
        "0/0000",
        "00/000",
        "64/000",
        "-1/000",
        "0/x000/001",
        "0/x001",
        "0/x001/",
        "0/x1/001",
        "0/001.p/0",
        "0/001.p/256",
        "0/001.p/01",
        "0/001.p/",
        "0/001.p/5/",
        "0/001.q/5",
        "0/001/",
        "entries/",
        "entries/1",
        "entries/x001",
        "entry/000",
        "0/000.p/5x",
        "0/x001/x002/x003/x004/x005/x006/x007/000",
        "1 /000",
    };
    struct err err = ERR_INIT;
    int l, w;
    uint64_t n;

    path_ok("0/000", 0, 0, 256);
    path_ok("0/001.p/44", 0, 1, 44);
    path_ok("1/000.p/1", 1, 0, 1);
    path_ok("63/999", 63, 999, 256);
    path_ok("2/x001/x234/067", 2, 1234067, 256);
    path_ok("entries/x001/x234/067.p/255", -1, 1234067, 255);
    path_ok("entries/000", -1, 0, 256);
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        cr_assert_eq(tlog_tile_path_parse(bad[i], &l, &n, &w, &err), -ERR_NOT_FOUND, "'%s' parsed",
                     bad[i]);
}
