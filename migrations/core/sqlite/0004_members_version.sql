-- 0004: households.members_version counts every change to a household's
-- members (a person added, changed, moved in or out, removed). The database
-- keeps it, whoever writes: the server, `xiangzhi` commands or plain SQL. A
-- household's members are the same whenever (id, created_at, members_version)
-- are, which lets the server reuse their rendering between requests.
ALTER TABLE households ADD COLUMN members_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER persons_added AFTER INSERT ON persons
BEGIN
    UPDATE households SET members_version = members_version + 1 WHERE id = NEW.household_id;
END;

CREATE TRIGGER persons_changed AFTER UPDATE ON persons
BEGIN
    UPDATE households SET members_version = members_version + 1
     WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER persons_removed AFTER DELETE ON persons
BEGIN
    UPDATE households SET members_version = members_version + 1 WHERE id = OLD.household_id;
END;
