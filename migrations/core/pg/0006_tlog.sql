-- 0006: the public verifiable log (src/tlog/tlog.h). Three append-only tables:
-- the leaf entries (with the salt of each entry's commitment, never published),
-- the hashes of the tree's complete subtrees, and every signed checkpoint.
CREATE TABLE tlog_entries (
    idx         BIGINT PRIMARY KEY,              -- 0-based leaf index
    entry       BYTEA NOT NULL,                  -- the leaf's bytes, as hashed and served
    salt        BYTEA NOT NULL,                  -- of the commitment; private
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- The hash of the complete subtree of 2^level leaves starting at idx << level.
CREATE TABLE tlog_hashes (
    level INTEGER NOT NULL,
    idx   BIGINT NOT NULL,
    hash  BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE tlog_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       BYTEA NOT NULL,
    note       TEXT NOT NULL,                    -- the signed note, as served
    created_at BIGINT NOT NULL
);

CREATE FUNCTION tlog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER tlog_entries_no_change BEFORE UPDATE OR DELETE ON tlog_entries
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_entries_no_truncate BEFORE TRUNCATE ON tlog_entries
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_hashes_no_change BEFORE UPDATE OR DELETE ON tlog_hashes
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_hashes_no_truncate BEFORE TRUNCATE ON tlog_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_checkpoints_no_change BEFORE UPDATE OR DELETE ON tlog_checkpoints
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_checkpoints_no_truncate BEFORE TRUNCATE ON tlog_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();

-- A write probe is logged (kind ops.probe): its leaf.
ALTER TABLE ops_probe ADD COLUMN tlog_index BIGINT;
