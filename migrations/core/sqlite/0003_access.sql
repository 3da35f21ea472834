-- 0003 access: accounts, role bindings with region scopes, sessions, API tokens and
-- the audit log (DESIGN.md §6). Passwords are argon2id strings; session and API
-- tokens are stored only as SHA-256 hashes, so a database copy cannot log anyone in.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 2 AND 32),
    display_name         TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
    phone_hash           BLOB UNIQUE,            -- keyed hash: log in by phone
    phone_mask           TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         BIGINT NOT NULL DEFAULT 0,
    password_changed_at  BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

-- A role held over a region scope (a county, township or village code); a
-- villager's role also names the household.
CREATE TABLE user_roles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    role         TEXT NOT NULL,
    scope_code   TEXT NOT NULL REFERENCES regions (code),
    household_id INTEGER REFERENCES households (id),
    UNIQUE (user_id, role, scope_code)
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,                -- absolute limit
    remote       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,                   -- household.create, person.reveal ...
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    request_id  TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_region ON audit_log (region_code, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- Nobody edits the audit log, not even with SQL access through the platform.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
