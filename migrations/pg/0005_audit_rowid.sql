-- 0005: on SQLite the audit log drops AUTOINCREMENT (a second row written per
-- insert). Its PostgreSQL twin draws ids from a sequence, which costs no such
-- row, so there is nothing to change here; the file keeps both backends'
-- migration numbers in step.
SELECT 1;
