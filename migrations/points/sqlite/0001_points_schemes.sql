-- 0009: points (积分制, DOMAIN.md §2), its schemes: a scheme per village (or a
-- county template villages adopt), its categories and items; cycles.
CREATE TABLE point_schemes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code   TEXT NOT NULL REFERENCES regions (code), -- a village, or a county for a template
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    template_id   INTEGER REFERENCES point_schemes (id),   -- what a village scheme was adopted from
    cycle         TEXT NOT NULL DEFAULT 'quarter' CHECK (cycle IN ('month', 'quarter', 'year')),
    point_fen     INTEGER NOT NULL DEFAULT 100,             -- 1 point = ¥1 at the store
    carry_over    INTEGER NOT NULL DEFAULT 1,
    decision      TEXT NOT NULL DEFAULT '',                 -- the villagers' meeting decision
    adopted_on    TEXT NOT NULL DEFAULT '',                 -- YYYY-MM-DD
    status        TEXT NOT NULL CHECK (status IN ('template', 'active', 'retired')),
    created_at    BIGINT NOT NULL,
    UNIQUE (region_code, version)
);

CREATE TABLE point_categories (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id INTEGER NOT NULL REFERENCES point_schemes (id),
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    sort      INTEGER NOT NULL,
    UNIQUE (scheme_id, code)
);

CREATE TABLE point_items (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id         INTEGER NOT NULL REFERENCES point_schemes (id),
    category_id       INTEGER NOT NULL REFERENCES point_categories (id),
    code              TEXT NOT NULL,
    name              TEXT NOT NULL,
    points            INTEGER NOT NULL CHECK (points <> 0), -- > 0 adds, < 0 deducts
    cycle_cap         INTEGER NOT NULL DEFAULT 0,           -- |points| per household per cycle; 0 none
    evidence_required INTEGER NOT NULL DEFAULT 0,
    veto              INTEGER NOT NULL DEFAULT 0,           -- final: the cycle's gains are cancelled
    sort              INTEGER NOT NULL,
    UNIQUE (scheme_id, code)
);

CREATE TABLE point_cycles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    village_code TEXT NOT NULL REFERENCES regions (code),
    scheme_id    INTEGER NOT NULL REFERENCES point_schemes (id),
    starts_on    TEXT NOT NULL,                             -- YYYY-MM-DD, Asia/Shanghai
    ends_on      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    BIGINT NOT NULL,
    closed_at    BIGINT,
    UNIQUE (village_code, starts_on)
);
