-- Counters as one fixed-size value per survey version, and releases.
--
-- A row per counter let a copy of the database group the counters one batch changed:
-- PostgreSQL stamps every row an update touches with the batch's transaction id, and
-- SQLite moves a row that grows and writes new ones in key order. Now each survey
-- version's counters are one value of fixed size, created when the version is
-- published and rewritten whole, for every open survey, in every batch: which counts
-- changed together is in no row's metadata or place. The layout of the value (which
-- counter sits where, little-endian 64-bit integers) and the only code that writes or
-- reads it: server/src/storage/counters.rs. Rows left in `counters` by older versions
-- are moved into blocks when the server starts.
CREATE TABLE counter_blocks (
    version_id INTEGER PRIMARY KEY NOT NULL REFERENCES survey_versions (id) ON DELETE CASCADE,
    counts BLOB NOT NULL
);

-- Releases: what researchers and the public read, never the live counters. Each is an
-- immutable snapshot of a survey version's published tables (`results`, JSON, with its
-- noise and suppression already applied), numbered per survey. `made_at` is to the
-- hour. `respondents` is the exact total it was made from, so that the next release
-- waits for enough new respondents; `rho` is the privacy budget it spent (0 when an
-- admin turned noise off). See server/src/disclosure/releases.rs.
CREATE TABLE releases (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    version_id INTEGER NOT NULL REFERENCES survey_versions (id) ON DELETE CASCADE,
    made_at BIGINT NOT NULL,
    respondents BIGINT NOT NULL,
    rho DOUBLE NOT NULL,
    closing BOOLEAN NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (survey_id, number)
) WITHOUT ROWID;
