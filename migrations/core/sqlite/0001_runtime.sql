-- 0001 runtime: deployment metadata and the write probe used by operators.
CREATE TABLE xz_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per POST /api/v1/ops/probe: proves the writer commits durably.
CREATE TABLE ops_probe (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200)
);
