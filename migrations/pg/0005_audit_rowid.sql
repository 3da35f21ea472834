-- 0005: the audit log, cheaper to append to. On SQLite it also drops AUTOINCREMENT
-- (a second row written per insert); here ids come from a sequence, which costs no
-- such row. On both: one index, for an object's history (newest first). The
-- index on (region_code, id) served no query (a reader's scope is matched with
-- LIKE on the way through the log), and every change paid for its page.
DROP INDEX audit_log_region;
DROP INDEX audit_log_object;
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
