-- 0012: spending points: one-time pay codes a villager's phone shows, the
-- redemptions merchants take with them (each a ledger entry of its negative and
-- a leaf of the verifiable log), and points statements for a bank (积分贷).
CREATE TABLE point_paycodes (
    code_hash    TEXT PRIMARY KEY,                     -- SHA-256 of the code, hex
    household_id INTEGER NOT NULL REFERENCES households (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX point_paycodes_expiry ON point_paycodes (expires_at);

CREATE TABLE point_redemptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households (id),
    village_code TEXT NOT NULL,
    outlet_id    INTEGER NOT NULL REFERENCES point_outlets (id),
    goods_id     INTEGER REFERENCES point_goods (id),
    goods_name   TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    points       INTEGER NOT NULL CHECK (points >= 0),
    cash_fen     INTEGER NOT NULL DEFAULT 0 CHECK (cash_fen >= 0),
    amount_fen   INTEGER NOT NULL DEFAULT 0,
    operator_id  INTEGER REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX point_redemptions_household ON point_redemptions (household_id, id);
CREATE INDEX point_redemptions_outlet ON point_redemptions (outlet_id, id);

ALTER TABLE point_entries ADD COLUMN redemption_id INTEGER REFERENCES point_redemptions (id);
CREATE INDEX point_entries_redemption ON point_entries (redemption_id);

CREATE TABLE point_statements (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households (id),
    outlet_id    INTEGER NOT NULL REFERENCES point_outlets (id),
    balance      INTEGER NOT NULL,
    earned       INTEGER NOT NULL,
    redeemed     INTEGER NOT NULL,
    entries      INTEGER NOT NULL,
    last_entry   INTEGER,
    issued_by    INTEGER REFERENCES users (id),
    tlog_index   BIGINT NOT NULL,
    issued_at    BIGINT NOT NULL
);
