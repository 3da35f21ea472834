-- When a claim entered its state (the workflow engine sets it with the state):
-- its time limit counts from here (src/domain/workflow/deadlines.c reads due
-- claims through the index), so a step writes no time-limit row of its own.

ALTER TABLE point_claims ADD COLUMN state_at BIGINT NOT NULL DEFAULT 0;
UPDATE point_claims SET state_at = updated_at;
CREATE INDEX point_claims_state_at ON point_claims (state, state_at);
