-- Invitations (see migrations/sqlite): a survey's RSA key and its invite codes, only as
-- argon2id hashes; nothing records when a code was used, or by whom.

CREATE TABLE invite_keys (
    survey_id BIGINT PRIMARY KEY NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    secret_key BYTEA NOT NULL,
    code_salt BYTEA NOT NULL
);

CREATE TABLE invites (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    blinded_hash BYTEA,
    PRIMARY KEY (survey_id, code_hash)
);
