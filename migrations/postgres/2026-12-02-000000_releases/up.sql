-- Counters as one fixed-size value per survey version, and releases: see
-- migrations/sqlite/…_releases and server/src/storage/counters.rs.
CREATE TABLE counter_blocks (
    version_id BIGINT PRIMARY KEY REFERENCES survey_versions (id) ON DELETE CASCADE,
    counts BYTEA NOT NULL
);
-- Never compressed: a compressed value's size would vary with the counts.
ALTER TABLE counter_blocks ALTER COLUMN counts SET STORAGE EXTERNAL;

CREATE TABLE releases (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    version_id BIGINT NOT NULL REFERENCES survey_versions (id) ON DELETE CASCADE,
    made_at BIGINT NOT NULL,
    respondents BIGINT NOT NULL,
    rho DOUBLE PRECISION NOT NULL,
    closing BOOLEAN NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (survey_id, number)
);
