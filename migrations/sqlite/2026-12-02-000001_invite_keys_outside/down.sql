-- Back to argon2id codes under a per-survey salt in the database. Keyed hashes cannot be
-- turned back into codes, so the codes made since the upgrade are lost (as the older ones
-- were on the way up); each survey's key gets a fresh random salt for new codes.
DROP TABLE invites_used;
DROP TABLE invites;

-- SQLite adds a NOT NULL column only with a default; every row is then given its own salt.
ALTER TABLE invite_keys ADD COLUMN code_salt BLOB NOT NULL DEFAULT X'';
UPDATE invite_keys SET code_salt = randomblob(16);

CREATE TABLE invites (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    blinded_hash BLOB,
    PRIMARY KEY (survey_id, code_hash)
) WITHOUT ROWID;
