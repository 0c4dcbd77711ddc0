ALTER TABLE surveys DROP COLUMN closes_at;
ALTER TABLE surveys DROP COLUMN opens_at;
