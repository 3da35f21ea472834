-- The shared machinery of records that move through states (src/domain/workflow/):
-- one history for every module's records, the time limits of their states, and
-- the alerts addressed by role and region that steps and time limits send.

CREATE TABLE wf_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    module     TEXT NOT NULL,
    thing      TEXT NOT NULL,
    object_id  INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    verb       TEXT NOT NULL,
    user_id    INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX wf_events_object ON wf_events (module, thing, object_id, id);

-- One time limit a record: its current state's. Gone when the record leaves it.
CREATE TABLE wf_deadlines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    module      TEXT NOT NULL,
    thing       TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    state       TEXT NOT NULL,
    region_code TEXT NOT NULL,
    due_at      BIGINT NOT NULL,
    warn_at     BIGINT,
    warned      INTEGER NOT NULL DEFAULT 0,
    late        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (module, thing, object_id)
);
CREATE INDEX wf_deadlines_due ON wf_deadlines (due_at);
CREATE INDEX wf_deadlines_warn ON wf_deadlines (warn_at);

-- An alert is for every holder of one of 'roles' (bits of enum role) whose
-- scope holds 'region_code': a township's staff see what is late in its villages.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    module      TEXT NOT NULL,
    thing       TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    roles       INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('notice', 'warning', 'late')),
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    due_at      BIGINT
);
CREATE INDEX alerts_region ON alerts (region_code, id);

CREATE TABLE alert_reads (
    alert_id INTEGER NOT NULL REFERENCES alerts (id),
    user_id  INTEGER NOT NULL,
    read_at  BIGINT NOT NULL,
    PRIMARY KEY (alert_id, user_id)
);
