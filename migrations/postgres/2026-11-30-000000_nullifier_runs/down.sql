DROP TABLE nullifier_runs;
