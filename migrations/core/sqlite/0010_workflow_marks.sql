-- Time limits are read from each workflow's table (its records' state and
-- state_at); what is kept is only that a record was warned, or found late, in
-- the state it entered at state_at -- so each is told once. wf_deadlines is no
-- longer read (modules' earlier migrations still write to it).

CREATE TABLE wf_marks (
    module    TEXT NOT NULL,
    thing     TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    state_at  BIGINT NOT NULL,
    warned    INTEGER NOT NULL DEFAULT 0,
    late      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (module, thing, object_id, state_at)
);
