-- Shared passages (issue 3): a copy link may now be 'shared', passages that make up a
-- small part of both texts (often wire copy both reuse): stored, but no copy.
--
-- SQLite cannot alter a CHECK constraint, so copy_links is rebuilt with the same columns
-- and its rows copied over.
CREATE TABLE copy_links_new (
    source_id      TEXT NOT NULL REFERENCES articles (id),
    source_version INTEGER NOT NULL,
    target_id      TEXT NOT NULL REFERENCES articles (id),
    target_version INTEGER NOT NULL,
    relation       TEXT NOT NULL
                   CHECK (relation IN ('verbatim', 'edited', 'partial', 'shared', 'version')),
    overlap        REAL NOT NULL,      -- share of the source's words reused
    target_overlap REAL NOT NULL,      -- share of the target's words the source reuses
    similarity     REAL NOT NULL,      -- MinHash estimate of the Jaccard similarity
    passages       TEXT NOT NULL,      -- JSON [[source_start, source_end, target_start, target_end]]
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (source_id, source_version, target_id, target_version)
);

-- rowid order kept: links are listed oldest first
INSERT INTO copy_links_new
    SELECT source_id, source_version, target_id, target_version, relation, overlap,
           target_overlap, similarity, passages, reason, created_at
    FROM copy_links ORDER BY rowid;

DROP TABLE copy_links;
ALTER TABLE copy_links_new RENAME TO copy_links;
CREATE INDEX copy_links_target ON copy_links (target_id);

-- Partial links under a quarter of both texts (CopyPolicy.min_partial_share's default)
-- are shared passages now; their articles were joined into copy groups, which only the
-- stage can undo: a changed setting makes the next ingest with the copies stage
-- fingerprint and link the workspace again.
UPDATE copy_links
    SET relation = 'shared', reason = 'shared passages, under 25% of both texts (was partial): ' || reason
    WHERE relation = 'partial' AND overlap < 0.25 AND target_overlap < 0.25;
UPDATE copy_meta SET value = value || ';links before 0007' WHERE key = 'fingerprint';
