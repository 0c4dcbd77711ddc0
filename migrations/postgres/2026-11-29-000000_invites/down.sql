DROP TABLE invites;
DROP TABLE invite_keys;
