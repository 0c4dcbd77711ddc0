-- Nullifiers as sorted runs (see server/src/submission/ledger.rs). A nullifier is a
-- random-looking hash, so in the `nullifiers` B-tree every one of a batch's thousand
-- lands on a page of its own, and each commit rewrote about a thousand pages. A run is
-- one batch's nullifiers, sorted, in one value: a few pages. Runs of a size are merged
-- four at a time, so a survey has a few dozen at most.
--
-- `id` is random, so the rows' order says nothing about which run came first; within a
-- run the nullifiers are in ascending order, not in the order they arrived. The server
-- moves any rows left in `nullifiers` into runs when it starts.
CREATE TABLE nullifier_runs (
    id INTEGER PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- The run's nullifiers, 16 bytes each, in ascending order.
    hashes BLOB NOT NULL
);
