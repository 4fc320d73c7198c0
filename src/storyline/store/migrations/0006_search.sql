-- Full-text search (issue 7): an FTS5 index over every article's title and text.
--
-- The index reads its text from the articles themselves (an external-content table over
-- a view), so no text is stored twice. Its rowids come from search_rows, whose INTEGER
-- PRIMARY KEY never changes (the articles table's own rowids may change on VACUUM).
-- Triggers keep the index in step with every insert, new version and delete.
CREATE TABLE search_rows (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE
);

CREATE VIEW search_content AS
    SELECT s.id AS id, a.title AS title, a.text AS text
    FROM search_rows s JOIN articles a ON a.id = s.article_id;

CREATE VIRTUAL TABLE article_search USING fts5 (
    title, text,
    content = 'search_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO search_rows (article_id) VALUES (new.id);
    INSERT INTO article_search (rowid, title, text)
        VALUES ((SELECT id FROM search_rows WHERE article_id = new.id), new.title, new.text);
END;

CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', (SELECT id FROM search_rows WHERE article_id = old.id),
                old.title, old.text);
    INSERT INTO article_search (rowid, title, text)
        VALUES ((SELECT id FROM search_rows WHERE article_id = new.id), new.title, new.text);
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', (SELECT id FROM search_rows WHERE article_id = old.id),
                old.title, old.text);
    DELETE FROM search_rows WHERE article_id = old.id;
END;

-- Listings filter articles by source and count each event's sources.
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_id_source ON articles (id, source);

-- Backfill: every article stored before this migration.
INSERT INTO search_rows (article_id) SELECT id FROM articles ORDER BY rowid;
INSERT INTO article_search (article_search) VALUES ('rebuild');
