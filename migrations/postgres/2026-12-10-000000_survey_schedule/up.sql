-- A survey's opening and closing times: see migrations/sqlite/…_survey_schedule.
ALTER TABLE surveys ADD COLUMN opens_at BIGINT;
ALTER TABLE surveys ADD COLUMN closes_at BIGINT;
