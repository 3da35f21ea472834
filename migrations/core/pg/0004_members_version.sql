-- 0004: households.members_version counts every change to a household's
-- members (a person added, changed, moved in or out, removed). The database
-- keeps it, whoever writes: the server, `xiangzhi` commands or plain SQL. A
-- household's members are the same whenever (id, created_at, members_version)
-- are, which lets the server reuse their rendering between requests.
ALTER TABLE households ADD COLUMN members_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION persons_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE households SET members_version = members_version + 1 WHERE id = NEW.household_id;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.household_id <> NEW.household_id) THEN
        UPDATE households SET members_version = members_version + 1 WHERE id = OLD.household_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER persons_members_version AFTER INSERT OR UPDATE OR DELETE ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_count_change();
