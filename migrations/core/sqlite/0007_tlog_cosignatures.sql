-- 0007: witnesses' cosignatures of the log's checkpoints (C2SP tlog-cosignature),
-- one line per witness and checkpoint, served with the checkpoint. Append-only.
CREATE TABLE tlog_cosignatures (
    size       BIGINT NOT NULL REFERENCES tlog_checkpoints (size),
    witness    TEXT NOT NULL,                    -- the witness's key name
    line       TEXT NOT NULL,                    -- "— name base64(...)\n", as posted
    signed_at  BIGINT NOT NULL,                  -- the cosignature's time, POSIX seconds
    created_at BIGINT NOT NULL,
    PRIMARY KEY (size, witness)
) WITHOUT ROWID;

CREATE TRIGGER tlog_cosignatures_no_update BEFORE UPDATE ON tlog_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'tlog_cosignatures is append-only');
END;
CREATE TRIGGER tlog_cosignatures_no_delete BEFORE DELETE ON tlog_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'tlog_cosignatures is append-only');
END;
