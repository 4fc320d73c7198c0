-- Articles, the input records that map to them, rejections and ingest runs.
CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    text_hash     TEXT NOT NULL,
    language      TEXT,
    url           TEXT,
    canonical_url TEXT,
    published     TEXT,            -- ISO 8601 with UTC offset
    date_source   TEXT,
    source        TEXT,
    author        TEXT,
    external_id   TEXT,
    format        TEXT NOT NULL,
    location      TEXT NOT NULL,
    attributions  TEXT NOT NULL DEFAULT '[]',
    removed       TEXT NOT NULL DEFAULT '[]',
    metadata      TEXT NOT NULL DEFAULT '{}',
    version       INTEGER NOT NULL DEFAULT 1,
    ingested_at   TEXT NOT NULL
);
CREATE INDEX articles_text_hash ON articles (text_hash);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_external_id ON articles (external_id);

-- Every earlier text of an article whose page changed (same canonical URL, new text).
CREATE TABLE article_versions (
    article_id  TEXT NOT NULL REFERENCES articles (id),
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    published   TEXT,
    location    TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- One row per input record ever read: the checkpoint that makes a re-run resume.
CREATE TABLE records (
    key         TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id),
    external_id TEXT,
    location    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'version')),
    run_id      INTEGER REFERENCES runs (id)
);
CREATE INDEX records_article ON records (article_id);
CREATE INDEX records_external_id ON records (external_id);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running',
    counts      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE rejections (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES runs (id),
    location   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
