-- 0005: the audit log, cheaper to append to (it takes one row per change).
-- Its ids no longer use AUTOINCREMENT, which made every insert read and rewrite
-- the table's row in sqlite_sequence, about as much work as the insert itself.
-- AUTOINCREMENT guarded against reusing the id of a deleted last row; no row of
-- the audit log can be deleted (the triggers below), so ids still only grow.
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;

CREATE TABLE audit_log_0005 (
    id          INTEGER PRIMARY KEY,
    at          BIGINT NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,                   -- household.create, person.reveal ...
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    request_id  TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_log_0005 SELECT id, at, user_id, username, role, action, object_type, object_id,
       region_code, result, request_id, purpose, detail FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_0005 RENAME TO audit_log;
-- No secondary index (dropping the old table dropped its two). The one on
-- (region_code, id) served no query (a reader's scope is matched with LIKE on
-- the way through the log, newest first), and the one on (object_type,
-- object_id) cost every change a page of its own in the WAL: about a fifth of
-- the rate of durable updates (docs/benchmarks.md). An object's history is
-- found by walking the log newest first instead (0.11 s through 460,000 rows),
-- for a lookup made now and then from the desk console.

-- Nobody edits the audit log, not even with SQL access through the platform.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
