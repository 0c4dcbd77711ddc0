-- Back to argon2id codes under a per-survey salt (see migrations/sqlite): the codes made
-- since the upgrade are lost, and each survey's key gets a fresh random salt.
DROP TABLE invites_used;
DROP TABLE invites;

ALTER TABLE invite_keys ADD COLUMN code_salt BYTEA NOT NULL DEFAULT '\x'::BYTEA;
UPDATE invite_keys SET code_salt = decode(md5(random()::TEXT || survey_id::TEXT), 'hex');
ALTER TABLE invite_keys ALTER COLUMN code_salt DROP DEFAULT;

CREATE TABLE invites (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    blinded_hash BYTEA,
    PRIMARY KEY (survey_id, code_hash)
);
