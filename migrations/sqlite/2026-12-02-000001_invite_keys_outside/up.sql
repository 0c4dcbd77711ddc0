-- Invite codes keyed with a secret that is not in the database: the key file
-- (NANSEN_KEY_FILE, see README), 32 random bytes made at first start.
--
-- Until now a code was kept as an argon2id hash under a salt stored beside it, on a row
-- with a `used` flag: whoever held the printed list of codes and a copy of the database
-- could hash each code and see which invitees had answered. From here on:
--
-- * `invites` holds HMAC-SHA-256(key file, "code", survey, code) of each code made. The
--   hash cannot be recomputed without the key file, and using a code never changes its
--   row (nothing in it says whether it was used).
-- * `invites_used` holds, for each code used, HMAC-SHA-256(key file, "used", survey,
--   code), another value of the same code that shares nothing with its `invites` row,
--   and the SHA-256 of the blinded message the code was exchanged for (so that a lost
--   reply can be asked for again). Without the key file a copy of the database tells
--   how many codes were used, not which; both tables are kept in hash order.
-- * the per-survey salt goes from `invite_keys`; the key file replaces it.
--
-- Codes made before this migration are retired. They cannot be carried over: only the
-- codes themselves could be hashed anew, and the server never had them after it showed
-- them once. Keeping them, with their salt and flags, would keep the leak. Each survey
-- that had some gets a line in the audit log, so that its admins know to make new ones;
-- invitations already exchanged for a token stay good (the signing keys are kept).
INSERT INTO audit_log (at, actor, action, target)
SELECT CAST(strftime('%s', 'now') AS INTEGER), '(upgrade)', 'invites_retired',
       surveys.slug || ': the ' || COUNT(*) || ' invite codes made before the upgrade no longer work; make new ones'
FROM invites JOIN surveys ON surveys.id = invites.survey_id
GROUP BY surveys.slug;

-- With secure_delete on (every connection sets it), the freed pages are zeroed.
DROP TABLE invites;

ALTER TABLE invite_keys DROP COLUMN code_salt;

CREATE TABLE invites (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    PRIMARY KEY (survey_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE invites_used (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    used_hash BLOB NOT NULL,
    blinded_hash BLOB,
    PRIMARY KEY (survey_id, used_hash)
) WITHOUT ROWID;
