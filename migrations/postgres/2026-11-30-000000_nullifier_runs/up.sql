-- Nullifiers as sorted runs: see migrations/sqlite/…_nullifier_runs and
-- server/src/submission/ledger.rs. Instances take turns at them under an advisory lock.
CREATE TABLE nullifier_runs (
    id BIGINT PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- The run's nullifiers, 16 bytes each, in ascending order.
    hashes BYTEA NOT NULL
);
-- Hashes do not compress: storing them out of line without trying saves the effort.
ALTER TABLE nullifier_runs ALTER COLUMN hashes SET STORAGE EXTERNAL;
