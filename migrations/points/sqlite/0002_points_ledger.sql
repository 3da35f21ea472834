-- 0010: points (积分制, DOMAIN.md §2), its claims and ledger: claims and their
-- history; the append-only ledger with a balance per household kept in the same
-- transaction; each final entry a leaf of the verifiable log (tlog_index).
CREATE TABLE point_claims (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id      INTEGER NOT NULL REFERENCES households (id),
    village_code      TEXT NOT NULL REFERENCES regions (code),
    cycle_id          INTEGER NOT NULL REFERENCES point_cycles (id),
    item_id           INTEGER NOT NULL REFERENCES point_items (id),
    points            INTEGER NOT NULL,
    source            TEXT NOT NULL CHECK (source IN ('self', 'cadre', 'module')),
    state             TEXT NOT NULL CHECK (state IN ('submitted', 'reviewed', 'approved', 'publicised',
                                                     'objected', 'final', 'rejected')),
    note              TEXT NOT NULL DEFAULT '',
    evidence          TEXT,                                 -- an attachment's SHA-256
    created_by        INTEGER REFERENCES users (id),
    publicity_ends_at BIGINT,
    entry_id          INTEGER,                              -- the ledger entry once final
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX point_claims_village ON point_claims (village_code, state, id);
CREATE INDEX point_claims_due ON point_claims (state, publicity_ends_at);
CREATE INDEX point_claims_household ON point_claims (household_id, cycle_id, item_id);

CREATE TABLE point_claim_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id   INTEGER NOT NULL REFERENCES point_claims (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    user_id    INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX point_claim_events_claim ON point_claim_events (claim_id, id);

CREATE TABLE point_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households (id),
    village_code TEXT NOT NULL,
    cycle_id     INTEGER REFERENCES point_cycles (id),
    item_id      INTEGER REFERENCES point_items (id),
    claim_id     INTEGER REFERENCES point_claims (id),
    delta        INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    reversal_of  INTEGER REFERENCES point_entries (id),
    tlog_index   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX point_entries_household ON point_entries (household_id, id);

CREATE TABLE point_balances (
    household_id INTEGER PRIMARY KEY REFERENCES households (id),
    village_code TEXT NOT NULL,
    balance      INTEGER NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only');
END;
CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only');
END;

-- The household an account holder belongs to (a cadre is a villager too): the
-- scorer may never score their own household.
ALTER TABLE users ADD COLUMN household_id INTEGER REFERENCES households (id);
