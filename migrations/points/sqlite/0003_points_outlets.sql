-- 0011: where points are spent (积分兑换, DOMAIN.md §2): a village's outlets --
-- its 积分超市, service providers, merchants giving a discount, a bank taking
-- points statements for 积分贷 -- and their goods. Stock never goes below zero.
CREATE TABLE point_outlets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    village_code     TEXT NOT NULL REFERENCES regions (code),
    kind             TEXT NOT NULL CHECK (kind IN ('store', 'service', 'merchant', 'bank')),
    name             TEXT NOT NULL,
    discount_pct     INTEGER NOT NULL DEFAULT 0 CHECK (discount_pct BETWEEN 0 AND 100),
    merchant_user_id INTEGER REFERENCES users (id),
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL
);
CREATE INDEX point_outlets_village ON point_outlets (village_code, id);
CREATE INDEX point_outlets_merchant ON point_outlets (merchant_user_id);

CREATE TABLE point_goods (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    outlet_id  INTEGER NOT NULL REFERENCES point_outlets (id),
    name       TEXT NOT NULL,
    points     INTEGER NOT NULL CHECK (points > 0),
    stock      INTEGER CHECK (stock >= 0),          -- NULL: a service, not counted
    unit       TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
CREATE INDEX point_goods_outlet ON point_goods (outlet_id, id);
