-- Invite codes keyed with a secret that is not in the database (the key file, see
-- migrations/sqlite for the whole reasoning): `invites` holds HMAC-SHA-256(key file,
-- "code", survey, code), never changed by a code's use; `invites_used` holds another
-- keyed hash of each code used, which shares nothing with its `invites` row; the
-- per-survey salt goes.
--
-- Codes made before are retired (they cannot be re-hashed without the codes, and
-- keeping them keeps the leak); each survey that had some gets a line in the audit log.
INSERT INTO audit_log (at, actor, action, target)
SELECT EXTRACT(EPOCH FROM now())::BIGINT, '(upgrade)', 'invites_retired',
       surveys.slug || ': the ' || COUNT(*) || ' invite codes made before the upgrade no longer work; make new ones'
FROM invites JOIN surveys ON surveys.id = invites.survey_id
GROUP BY surveys.slug;

-- PostgreSQL removes the table's files; their old bytes stay wherever the WAL or the
-- filesystem keep them (see docs/THREAT_MODEL.md on PostgreSQL).
DROP TABLE invites;

ALTER TABLE invite_keys DROP COLUMN code_salt;

CREATE TABLE invites (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    PRIMARY KEY (survey_id, code_hash)
);

CREATE TABLE invites_used (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    used_hash BYTEA NOT NULL,
    blinded_hash BYTEA,
    PRIMARY KEY (survey_id, used_hash)
);
