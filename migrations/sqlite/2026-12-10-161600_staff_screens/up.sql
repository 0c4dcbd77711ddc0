-- What the admin's staff screens show: when each account last logged in, and for each
-- API token a label (what it is for) and the hour it was last used in (to the hour, so
-- that a token in steady use writes once an hour, not on every request).
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;

-- The audit log is read a page at a time, newest first, optionally for one actor or one
-- kind of action: these keep such a page a short index walk however long the log grows.
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
