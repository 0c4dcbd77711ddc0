-- Drafts, API tokens and the audit log.

-- The definition being edited (JSON), for a survey never published or being revised.
ALTER TABLE surveys ADD COLUMN draft TEXT;

-- Read-only API tokens for researchers: only a SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- What staff did, when. Nothing about respondents ever enters it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
);
