DROP TABLE nullifiers;
DROP TABLE counters;
ALTER TABLE surveys DROP CONSTRAINT surveys_current_version_fk;
DROP TABLE survey_versions;
DROP TABLE surveys;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE secrets;
