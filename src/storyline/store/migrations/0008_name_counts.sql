-- How many clustered articles name each name (the events stage's names signal weighs
-- rare names up). The row with the empty name holds the number of articles counted.
-- Filled from the features already stored, so an existing workspace keeps its history.
CREATE TABLE event_name_counts (
    name     TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO event_name_counts (name, articles)
    SELECT j.key, count(*) FROM event_features f, json_each(f.names) j GROUP BY j.key;
INSERT INTO event_name_counts (name, articles)
    SELECT '', count(*) FROM event_features;
