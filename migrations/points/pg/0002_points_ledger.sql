-- 0010: points (积分制, DOMAIN.md §2), its claims and ledger: claims and their
-- history; the append-only ledger with a balance per household kept in the same
-- transaction; each final entry a leaf of the verifiable log (tlog_index).
CREATE TABLE point_claims (
    id                BIGSERIAL PRIMARY KEY,
    household_id      BIGINT NOT NULL REFERENCES households (id),
    village_code      TEXT NOT NULL REFERENCES regions (code),
    cycle_id          BIGINT NOT NULL REFERENCES point_cycles (id),
    item_id           BIGINT NOT NULL REFERENCES point_items (id),
    points            BIGINT NOT NULL,
    source            TEXT NOT NULL CHECK (source IN ('self', 'cadre', 'module')),
    state             TEXT NOT NULL CHECK (state IN ('submitted', 'reviewed', 'approved', 'publicised',
                                                     'objected', 'final', 'rejected')),
    note              TEXT NOT NULL DEFAULT '',
    evidence          TEXT,                                 -- an attachment's SHA-256
    created_by        BIGINT REFERENCES users (id),
    publicity_ends_at BIGINT,
    entry_id          BIGINT,                              -- the ledger entry once final
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX point_claims_village ON point_claims (village_code, state, id);
CREATE INDEX point_claims_due ON point_claims (state, publicity_ends_at);
CREATE INDEX point_claims_household ON point_claims (household_id, cycle_id, item_id);

CREATE TABLE point_claim_events (
    id         BIGSERIAL PRIMARY KEY,
    claim_id   BIGINT NOT NULL REFERENCES point_claims (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    user_id    INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX point_claim_events_claim ON point_claim_events (claim_id, id);

CREATE TABLE point_entries (
    id           BIGSERIAL PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households (id),
    village_code TEXT NOT NULL,
    cycle_id     BIGINT REFERENCES point_cycles (id),
    item_id      BIGINT REFERENCES point_items (id),
    claim_id     BIGINT REFERENCES point_claims (id),
    delta        BIGINT NOT NULL,
    reason       TEXT NOT NULL,
    reversal_of  BIGINT REFERENCES point_entries (id),
    tlog_index   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX point_entries_household ON point_entries (household_id, id);

CREATE TABLE point_balances (
    household_id BIGINT PRIMARY KEY REFERENCES households (id),
    village_code TEXT NOT NULL,
    balance      BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE FUNCTION point_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'point_entries is append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER point_entries_no_change BEFORE UPDATE OR DELETE ON point_entries
    FOR EACH ROW EXECUTE FUNCTION point_entries_append_only();
CREATE TRIGGER point_entries_no_truncate BEFORE TRUNCATE ON point_entries
    FOR EACH STATEMENT EXECUTE FUNCTION point_entries_append_only();

-- The household an account holder belongs to (a cadre is a villager too): the
-- scorer may never score their own household.
ALTER TABLE users ADD COLUMN household_id BIGINT REFERENCES households (id);
