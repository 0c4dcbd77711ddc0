-- Last logins, API token labels and last use (to the hour), and indexes for reading the
-- audit log by actor or action (see migrations/sqlite).
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;

CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
