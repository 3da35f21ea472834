-- 0002 registry: regions, villager groups and grids, households, persons (DOMAIN.md §1).
-- Sensitive values (ID number, phone, subsidy and health flags) are stored only
-- encrypted (*_enc: nonce || XChaCha20-Poly1305 ciphertext), looked up by keyed hash
-- (*_hash) and shown by mask (*_mask). Every row that belongs to a place carries its
-- village code: the access scope and the future shard key.

CREATE TABLE regions (
    code           TEXT PRIMARY KEY CHECK (char_length(code) = 12),
    parent_code    TEXT REFERENCES regions (code),
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5), -- 1 province .. 5 village
    kind           TEXT NOT NULL DEFAULT '',                      -- 镇 乡 街道 村委会 居委会 ...
    name           TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
    valid_from     BIGINT NOT NULL DEFAULT 0,
    valid_to       BIGINT,                                        -- NULL while current
    successor_code TEXT REFERENCES regions (code),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);

-- 村民小组 (group) and 网格 (grid) below a village.
CREATE TABLE region_units (
    id           BIGSERIAL PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    kind         TEXT NOT NULL CHECK (kind IN ('group', 'grid')),
    number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
    name         TEXT NOT NULL,
    UNIQUE (village_code, kind, number)
);

CREATE TABLE households (
    id             BIGSERIAL PRIMARY KEY,
    village_code   TEXT NOT NULL REFERENCES regions (code),
    group_id       BIGINT REFERENCES region_units (id),
    household_no   TEXT NOT NULL CHECK (char_length(household_no) BETWEEN 1 AND 32),
    address        TEXT NOT NULL DEFAULT '',
    head_person_id BIGINT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved_out', 'dissolved')),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (village_code, household_no)
);
CREATE INDEX households_village ON households (village_code, id);

-- A household's moves between villages; its history stays.
CREATE TABLE household_moves (
    id           BIGSERIAL PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households (id),
    from_village TEXT NOT NULL REFERENCES regions (code),
    to_village   TEXT NOT NULL REFERENCES regions (code),
    moved_at     BIGINT NOT NULL,
    user_id      BIGINT,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX household_moves_household ON household_moves (household_id);

CREATE TABLE persons (
    id            BIGSERIAL PRIMARY KEY,
    household_id  BIGINT NOT NULL REFERENCES households (id),
    village_code  TEXT NOT NULL REFERENCES regions (code),
    name          TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 32),
    sex           TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date    TEXT NOT NULL,                 -- YYYY-MM-DD
    relation      TEXT NOT NULL DEFAULT '',      -- 户主 配偶 子女 ...
    id_enc        BYTEA,
    id_hash       BYTEA UNIQUE,
    id_mask       TEXT NOT NULL DEFAULT '',
    phone_enc     BYTEA,
    phone_hash    BYTEA,
    phone_mask    TEXT NOT NULL DEFAULT '',
    flags         INTEGER NOT NULL DEFAULT 0,    -- INTERNAL: party member, cadre, left-behind ...
    sensitive_enc BYTEA,                          -- SENSITIVE flags (低保, 特困, disability, health)
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved_out', 'deceased')),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX persons_household ON persons (household_id);
CREATE INDEX persons_village_name ON persons (village_code, name);
CREATE INDEX persons_phone_hash ON persons (phone_hash);
