-- 0006: the public verifiable log (src/tlog/tlog.h). Three append-only tables:
-- the leaf entries (with the salt of each entry's commitment, never published),
-- the hashes of the tree's complete subtrees, and every signed checkpoint.
CREATE TABLE tlog_entries (
    idx         INTEGER PRIMARY KEY,             -- 0-based leaf index
    entry       BLOB NOT NULL,                   -- the leaf's bytes, as hashed and served
    salt        BLOB NOT NULL,                   -- of the commitment; private
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- The hash of the complete subtree of 2^level leaves starting at idx << level.
CREATE TABLE tlog_hashes (
    level INTEGER NOT NULL,
    idx   BIGINT NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE tlog_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       BLOB NOT NULL,
    note       TEXT NOT NULL,                    -- the signed note, as served
    created_at BIGINT NOT NULL
);

CREATE TRIGGER tlog_entries_no_update BEFORE UPDATE ON tlog_entries
BEGIN
    SELECT RAISE(ABORT, 'tlog_entries is append-only');
END;
CREATE TRIGGER tlog_entries_no_delete BEFORE DELETE ON tlog_entries
BEGIN
    SELECT RAISE(ABORT, 'tlog_entries is append-only');
END;
CREATE TRIGGER tlog_hashes_no_update BEFORE UPDATE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'tlog_hashes is append-only');
END;
CREATE TRIGGER tlog_hashes_no_delete BEFORE DELETE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'tlog_hashes is append-only');
END;
CREATE TRIGGER tlog_checkpoints_no_update BEFORE UPDATE ON tlog_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'tlog_checkpoints is append-only');
END;
CREATE TRIGGER tlog_checkpoints_no_delete BEFORE DELETE ON tlog_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'tlog_checkpoints is append-only');
END;

-- A write probe is logged (kind ops.probe): its leaf.
ALTER TABLE ops_probe ADD COLUMN tlog_index BIGINT;
