-- Copies and provenance (issue 3): fingerprints, copy links, copy groups, provenance.

-- Settings the stored fingerprints were made with; a change re-fingerprints the workspace.
CREATE TABLE copy_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One fingerprint per article version: what rebuilds the in-memory copy index.
CREATE TABLE copy_fingerprints (
    seq        INTEGER PRIMARY KEY,    -- entry number in the index
    article_id TEXT NOT NULL REFERENCES articles (id),
    version    INTEGER NOT NULL,
    words      INTEGER NOT NULL,
    minhash    BLOB NOT NULL,          -- uint32 per permutation, little-endian
    anchors    BLOB NOT NULL,          -- uint64 winnowed anchors, little-endian
    UNIQUE (article_id, version)
);

-- source reuses text of target (the earlier, original side); a 'version' link joins two
-- versions of one article (same canonical URL, changed text).
CREATE TABLE copy_links (
    source_id      TEXT NOT NULL REFERENCES articles (id),
    source_version INTEGER NOT NULL,
    target_id      TEXT NOT NULL REFERENCES articles (id),
    target_version INTEGER NOT NULL,
    relation       TEXT NOT NULL CHECK (relation IN ('verbatim', 'edited', 'partial', 'version')),
    overlap        REAL NOT NULL,      -- share of the source's words reused
    target_overlap REAL NOT NULL,      -- share of the target's words the source reuses
    similarity     REAL NOT NULL,      -- MinHash estimate of the Jaccard similarity
    passages       TEXT NOT NULL,      -- JSON [[source_start, source_end, target_start, target_end]]
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (source_id, source_version, target_id, target_version)
);
CREATE INDEX copy_links_target ON copy_links (target_id);

-- Articles linked by copying: the copy group of each, and its origin (the articles
-- that are copies of one another share an origin; partial reuse keeps its own).
CREATE TABLE copy_members (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    group_id   TEXT NOT NULL,
    origin_id  TEXT NOT NULL
);
CREATE INDEX copy_members_group ON copy_members (group_id);
CREATE INDEX copy_members_origin ON copy_members (origin_id);

-- The likely original of each group, the reason for the choice, and its size.
CREATE TABLE copy_groups (
    group_id        TEXT PRIMARY KEY,
    original_id     TEXT NOT NULL REFERENCES articles (id),
    reason          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    origins         INTEGER NOT NULL,
    first_published TEXT,
    updated_at      TEXT NOT NULL
);

-- In how many articles each sentence appeared: text that many articles share is
-- boilerplate (a footer, a disclaimer) and is no evidence of copying.
CREATE TABLE copy_sentences (
    key      INTEGER PRIMARY KEY,
    articles INTEGER NOT NULL
);
