-- 0005: the audit log, cheaper to append to (it takes one row per change). On
-- SQLite it also drops AUTOINCREMENT; here ids come from a sequence. On both, no
-- secondary index: the one on (region_code, id) served no query (a reader's scope
-- is matched with LIKE on the way through the log, newest first), and the one on
-- (object_type, object_id) cost every change an index page of its own. An
-- object's history is found by walking the log newest first instead.
DROP INDEX audit_log_region;
DROP INDEX audit_log_object;
