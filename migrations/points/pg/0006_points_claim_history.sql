-- Claims' history joins the shared one (wf_events, core's migration 9): the
-- rows move with their order kept; the verb of a step before this is not known
-- and stays ''. Claims still in publicity get their time limit.

INSERT INTO wf_events (module, thing, object_id, from_state, to_state, verb, user_id, note, at)
SELECT 'points', 'claims', claim_id, from_state, to_state, '', user_id, note, at
FROM point_claim_events ORDER BY id;

DROP TABLE point_claim_events;

INSERT INTO wf_deadlines (module, thing, object_id, state, region_code, due_at)
SELECT 'points', 'claims', id, 'publicised', village_code, publicity_ends_at
FROM point_claims WHERE state = 'publicised' AND publicity_ends_at IS NOT NULL;
