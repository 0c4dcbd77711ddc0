DROP TABLE audit_log;
DROP TABLE api_tokens;
ALTER TABLE surveys DROP COLUMN draft;
