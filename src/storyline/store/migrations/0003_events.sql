-- Events: online assignments, their explanations, lineage of merges and splits.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,   -- AUTOINCREMENT: ids are never reused
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'split', 'retired')),
    size        INTEGER NOT NULL DEFAULT 0,
    first_day   REAL,                -- dated articles only (days since 1970)
    last_day    REAL,
    seen_day    REAL,                -- the latest article, undated ones at their ingest time
    label       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX events_seen_day ON events (status, seen_day);

CREATE TABLE event_members (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    event_id    INTEGER NOT NULL REFERENCES events (id),
    seq         INTEGER NOT NULL
);
CREATE INDEX event_members_event ON event_members (event_id);

-- What the clusterer saw and decided for each article (storyline why).
CREATE TABLE event_decisions (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    event_id    INTEGER NOT NULL,
    action      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    threshold   REAL NOT NULL,
    candidates  TEXT NOT NULL,        -- JSON: [{event_id, signals, probability}]
    weights     TEXT NOT NULL,        -- JSON: the model's signal weights at the time
    created_at  TEXT NOT NULL
);

-- The features each article was clustered with, so events can be rebuilt and re-clustered.
CREATE TABLE event_features (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    day         REAL NOT NULL,
    dated       INTEGER NOT NULL,
    terms       TEXT NOT NULL,        -- JSON {term: weight}
    title       TEXT NOT NULL,
    names       TEXT NOT NULL,
    vector      BLOB,                 -- float16 embedding
    source      TEXT,
    headline    TEXT NOT NULL
);

CREATE TABLE event_lineage (
    id          INTEGER PRIMARY KEY,
    old_event   INTEGER NOT NULL REFERENCES events (id),
    new_event   INTEGER NOT NULL REFERENCES events (id),
    kind        TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'recluster')),
    articles    INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX event_lineage_old ON event_lineage (old_event);
