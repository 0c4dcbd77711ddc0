-- A survey's opening and closing times (seconds since the epoch, UTC), set by an admin
-- when publishing or later: before `opens_at` the survey refuses answers; at
-- `closes_at` the server closes it and makes its final release (once, whichever
-- instance gets there first: see server/src/disclosure/closing.rs). Both are cleared
-- when it closes. Times of the survey, never of a respondent.
ALTER TABLE surveys ADD COLUMN opens_at BIGINT;
ALTER TABLE surveys ADD COLUMN closes_at BIGINT;
