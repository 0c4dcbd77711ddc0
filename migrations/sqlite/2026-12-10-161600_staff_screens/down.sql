DROP INDEX audit_log_by_action;
DROP INDEX audit_log_by_actor;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens DROP COLUMN label;
ALTER TABLE users DROP COLUMN last_login_at;
