DROP TABLE releases;
DROP TABLE counter_blocks;
