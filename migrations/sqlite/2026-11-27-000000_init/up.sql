-- Nansen keeps aggregates, never responses. The only table that grows with each
-- submission is `nullifiers`, and it holds nothing but keyed hashes of random keys.
-- Tables keyed by hashes are WITHOUT ROWID, so no row id records the order of arrival.

-- Secrets the server generates for itself at first start (the nullifier HMAC key).
CREATE TABLE secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'researcher')),
    created_at BIGINT NOT NULL
);

-- Staff sessions, by a SHA-256 hash of the id in the cookie.
CREATE TABLE sessions (
    id_hash BLOB PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
) WITHOUT ROWID;

-- `current_version_id` is the version respondents answer now (null until published).
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    current_version_id BIGINT REFERENCES survey_versions (id),
    created_at BIGINT NOT NULL
);

-- Published versions never change: answers are always counted against the exact text
-- the respondent saw.
CREATE TABLE survey_versions (
    id INTEGER PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (survey_id, version)
);

-- One row per counter of a survey version: question '' with option '' is the
-- respondent total, option '' alone is "answered this question". The whole encoding,
-- and the only code that writes or reads these rows: server/src/storage/counters.rs.
CREATE TABLE counters (
    version_id INTEGER NOT NULL REFERENCES survey_versions (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    option TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (version_id, question, option)
) WITHOUT ROWID;

-- A keyed hash (HMAC-SHA-256 under secrets.nullifier) of each counted submission's
-- random key: lets a retry be recognised, and links to nothing.
CREATE TABLE nullifiers (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    hash BLOB NOT NULL,
    PRIMARY KEY (survey_id, hash)
) WITHOUT ROWID;
