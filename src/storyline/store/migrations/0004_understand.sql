-- The understand stage (issue 5): canonical entities, their mentions and the evidence of
-- every merge, dates with provenance, and quotes.

-- One row per canonical entity; gazetteer entities have ids like 'gpe:TR'.
CREATE TABLE entities (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    label      TEXT NOT NULL,
    origin     TEXT NOT NULL,            -- 'gazetteer' | 'text' | 'split'
    created_at TEXT NOT NULL
);
CREATE INDEX entities_name ON entities (name COLLATE NOCASE);

-- Why a name form belongs to an entity: the decision, its rule, score and evidence.
-- An undone link keeps its row (undone_at set); its mentions moved to another entity.
CREATE TABLE entity_links (
    id         INTEGER PRIMARY KEY,
    entity_id  TEXT NOT NULL REFERENCES entities (id),
    alias_key  TEXT NOT NULL,
    surface    TEXT NOT NULL,
    rule       TEXT NOT NULL,
    score      REAL NOT NULL,
    evidence   TEXT NOT NULL,            -- JSON object
    article_id TEXT,                     -- the article where the link was first made
    created_at TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX entity_links_entity ON entity_links (entity_id);

-- Lookup keys of live links: the name key, a surname, a sound key, an acronym.
CREATE TABLE entity_keys (
    kind      TEXT NOT NULL,             -- 'name' | 'last' | 'sound' | 'acronym'
    key       TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (kind, key, entity_id)
);
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);
CREATE INDEX entity_keys_key ON entity_keys (key);

-- A link a user undid: this name key must not join this entity again.
CREATE TABLE entity_blocks (
    alias_key TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (alias_key, entity_id)
);

CREATE TABLE entity_mentions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    entity_id  TEXT NOT NULL REFERENCES entities (id),
    link_id    INTEGER NOT NULL REFERENCES entity_links (id),
    surface    TEXT NOT NULL,
    label      TEXT NOT NULL,
    field      TEXT NOT NULL,            -- 'title' | 'text': what start and end index
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    PRIMARY KEY (article_id, field, start)
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
CREATE INDEX entity_mentions_link ON entity_mentions (link_id);

-- Publication date as stored, whether it is reliable (and why), the event date (and why).
CREATE TABLE article_dates (
    article_id         TEXT PRIMARY KEY REFERENCES articles (id),
    published          TEXT,
    published_source   TEXT,
    published_reliable INTEGER NOT NULL,
    published_evidence TEXT NOT NULL,
    event_date         TEXT,
    event_evidence     TEXT NOT NULL
);
CREATE INDEX article_dates_event ON article_dates (event_date);

CREATE TABLE date_mentions (
    article_id  TEXT NOT NULL REFERENCES articles (id),
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       TEXT,                    -- ISO date: the first day of the period, or NULL
    granularity TEXT NOT NULL,
    relation    TEXT,                    -- 'past' | 'present' | 'future' vs publication
    method      TEXT NOT NULL,
    PRIMARY KEY (article_id, start)
);

-- A quote: the same words in several articles are one row, first source first.
CREATE TABLE quotes (
    id                TEXT PRIMARY KEY,
    text              TEXT NOT NULL,
    speaker_entity_id TEXT,
    speaker           TEXT NOT NULL,
    first_article_id  TEXT NOT NULL,
    first_published   TEXT
);
CREATE INDEX quotes_speaker ON quotes (speaker_entity_id);

CREATE TABLE quote_mentions (
    quote_id          TEXT NOT NULL REFERENCES quotes (id),
    article_id        TEXT NOT NULL REFERENCES articles (id),
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    text              TEXT NOT NULL,
    kind              TEXT NOT NULL,     -- 'direct' | 'reported'
    speaker           TEXT NOT NULL,     -- as written ("the press secretary")
    speaker_entity_id TEXT,
    anonymous         INTEGER NOT NULL,
    verb              TEXT NOT NULL,
    PRIMARY KEY (article_id, start)
);
CREATE INDEX quote_mentions_quote ON quote_mentions (quote_id);
