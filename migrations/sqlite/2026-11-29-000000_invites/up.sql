-- Invitations: a survey's RSA key for blind signatures, and its invite codes.

-- One key per survey (RFC 9474 blind RSA), and the salt its codes are hashed with.
CREATE TABLE invite_keys (
    survey_id INTEGER PRIMARY KEY NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    secret_key BLOB NOT NULL,
    code_salt BLOB NOT NULL
);

-- Invite codes, only as argon2id hashes under the survey's salt. A used code stays, so
-- that using it again gets a clear answer; nothing records when it was used, or by whom.
-- `blinded_hash` is the SHA-256 of the blinded message a code was exchanged for, so that
-- a browser whose reply was lost can ask again for the same one; a blinded message is
-- random to anyone without the browser's blinding factor, so it links nothing.
CREATE TABLE invites (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    blinded_hash BLOB,
    PRIMARY KEY (survey_id, code_hash)
) WITHOUT ROWID;
