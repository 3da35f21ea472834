-- 0013: a points statement keeps what was deducted apart from what was earned
-- (its log record says both).
ALTER TABLE point_statements ADD COLUMN deducted BIGINT NOT NULL DEFAULT 0;
