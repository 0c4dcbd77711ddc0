DROP TABLE nullifiers;
DROP TABLE counters;
DROP TABLE survey_versions;
DROP TABLE surveys;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE secrets;
